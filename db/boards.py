"""Unit leaderboards: who leads each comparison group, and how every figure is made up.

Aggregation happens in SQL (db/board_queries.py) over the covering index ix_record_board; the
results are one row per unit and type, which this module turns into standings, ranks and the
breakdown that explains them. Only approved records score.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import Engine, Row, select
from sqlalchemy.orm import Session

from core.clock import office_today
from core.periods import DateRange, month_parts
from core.scoring import (
    BONUS_KINDS,
    METRICS,
    ScoringRules,
    TypeScore,
    competition_ranks,
    composite_indices,
    median,
    per_capita,
    rank_change,
    tied_ranks,
    type_scorer,
)
from db import board_queries as q
from db.access import in_transaction, no_actor, public_read
from db.board_queries import TaskProgress
from db.engine import read_session
from db.models import ActivityType, Campaign, RuleSet, Unit


@dataclass(frozen=True)
class UnitStanding:
    unit_id: int
    name_zh: str
    name_en: str
    group_id: int | None
    headcount: int
    records: int  # approved records in the period
    points: float  # activity points after caps, plus bonuses
    per_capita: float | None
    required: int  # people, branches and unit tasks owed, summed over the tasks (for reading) ...
    done: int  # ... and done; completion is NOT done/required but core.completion's mean of rates
    completion: float | None
    rank: int | None = None  # None: no place (nothing scored; see core.scoring.has_rank)
    activity_points: float = 0.0
    bonus_points: float = 0.0
    survey: float | None = None  # mean of 公信度 and 满意度, 0-100
    composite: float | None = None  # 综合指数, 0-100
    tied: bool = False  # the rank is shared with another unit
    previous_rank: int | None = None  # rank in the previous period (core.periods.DateRange.previous)
    rank_change: int | None = None  # places gained since then (positive = up)


@dataclass(frozen=True)
class BonusLine:
    kind: str
    count: int
    points_each: float
    points: float


@dataclass(frozen=True)
class UnitDetail:
    """How a unit's figures are made up: the types and bonuses that sum to its points, the
    mandatory tasks behind its completion rate, the survey periods and the composite's parts."""

    types: list[TypeScore]
    bonuses: list[BonusLine]
    tasks: list[TaskProgress]
    survey_periods: list[str]
    components: dict[str, float | None]
    weights: dict[str, float] = field(default_factory=dict)  # the composite's shares for this unit


@dataclass(frozen=True)
class Board:
    campaign_id: int
    start: dt.date
    end: dt.date
    group_id: int | None
    metric: str
    rules_version: int
    standings: list[UnitStanding]
    details: dict[int, UnitDetail] = field(default_factory=dict)
    weights_used: dict[str, float] = field(default_factory=dict)  # composite weights, summing to 1
    best_per_capita: float = 0.0  # the group's best, = 100 on the composite's per-capita scale
    previous: DateRange | None = None  # the period rank changes compare with
    spans: tuple[RulesSpan, ...] = ()  # the versions that scored the period, part by part
    what_if: bool = False  # scored by one chosen version, not by the rules in force: not the ranking


@in_transaction
def catalogue_points(session: Session) -> dict[str, float]:
    return dict(session.execute(select(ActivityType.code, ActivityType.default_points)).all())


FAR_PAST = dt.date(2000, 1, 1)  # where the first version's span starts when no campaign gives a start


@dataclass(frozen=True)
class RulesSpan:
    """Part of a period and the rules that score it."""

    start: dt.date
    end: dt.date
    rules: ScoringRules


def _changes(session: Session) -> list[tuple[dt.date, ScoringRules]]:
    """Every version that was ever put in force, as (effective from, rules), in the order they
    took effect. Drafts and drafts set aside unpublished have no date and are never here."""
    points = catalogue_points(session)
    rows = session.execute(
        select(RuleSet.effective_from, RuleSet.version, RuleSet.config)
        .where(RuleSet.effective_from.is_not(None))
        .order_by(RuleSet.effective_from, RuleSet.version)
    ).all()
    return [(row.effective_from, ScoringRules.from_config(row.version, row.config, points)) for row in rows]


@in_transaction
def rules_in_force(
    session: Session, start: dt.date, end: dt.date, *, pending: tuple[dt.date, ScoringRules] | None = None
) -> list[RulesSpan]:
    """The rules that score [start, end]: one span per version in force during it, in date order.

    A version is in force from its effective date until the day before the next one's; the first
    also covers every day before it. `pending` is a version about to be published (effective
    from its date on), to show what publishing it would do.
    """
    changes = _changes(session)
    if pending is not None:
        changes = [change for change in changes if change[0] < pending[0]] + [pending]
    if not changes:
        return [RulesSpan(start, end, ScoringRules.from_config(0, {}, catalogue_points(session)))]
    spans = []
    for index, (since, rules) in enumerate(changes):
        until = changes[index + 1][0] - dt.timedelta(days=1) if index + 1 < len(changes) else dt.date.max
        first, last = (start if index == 0 else max(since, start)), min(until, end)
        if first <= last:
            spans.append(RulesSpan(first, last, rules))
    return spans


@in_transaction
def published_rules(session: Session) -> ScoringRules:
    """The rules in force today (the office's today), or the catalogue's defaults."""
    today = office_today()
    return rules_in_force(session, today, today)[-1].rules


@in_transaction
def rules_of_version(session: Session, version: int | None) -> ScoringRules:
    """The rules of a stored version (any status); the rules in force today for None or an unknown version."""
    if version is None:
        return published_rules(session)
    rule_set = session.scalar(select(RuleSet).where(RuleSet.version == version))
    if rule_set is None:
        return published_rules(session)
    return ScoringRules.from_config(rule_set.version, rule_set.config, catalogue_points(session))


@in_transaction
def rule_spans(
    session: Session, start: dt.date, end: dt.date, *, rules: ScoringRules | None = None,
    rules_version: int | None = None, pending: tuple[dt.date, ScoringRules] | None = None,
) -> list[RulesSpan]:
    """What scores a board of [start, end]: the rules in force then by default (with a `pending`
    version as if published); a what-if's one version (`rules`, or the stored `rules_version`)
    over the whole period otherwise."""
    if rules is None and rules_version is not None:
        rules = rules_of_version(session, rules_version)
    return [RulesSpan(start, end, rules)] if rules is not None else rules_in_force(session, start, end, pending=pending)


def _merged(lines: list[TypeScore]) -> TypeScore:
    """One type's lines from the parts of a period scored by different versions, as one line: the
    counts and points add up (each part was capped by its own rules); the points per record are
    the parts' common value, or their mean over what counted where the versions differ."""
    if len(lines) == 1:
        return lines[0]
    counted = sum(line.counted for line in lines)
    points = sum(line.points for line in lines)
    each = {line.points_each for line in lines}
    return TypeScore(
        lines[0].code, sum(line.records for line in lines), sum(line.person_capped for line in lines), counted,
        each.pop() if len(each) == 1 else (round(points / counted, 2) if counted else lines[-1].points_each), points,
    )


@no_actor
def scored_types(
    spans: list[RulesSpan], tallies: Callable[[RulesSpan], dict[tuple, q.Tally]], *, unit_cap: bool = True
) -> dict[tuple, TypeScore]:
    """Each (*key, type code)'s score over the spans: every span counted by `tallies` (a query of
    db.board_queries over the span) and capped under its own rules, then summed (so a cap applies
    within each span, not across a change of rules)."""
    if len(spans) == 1:  # the usual case: one version scored the whole period, nothing to merge
        score = type_scorer(spans[0].rules, unit_cap=unit_cap)
        return {key: score(key[-1], tally.records, tally.person_capped) for key, tally in tallies(spans[0]).items()}
    parts: dict[tuple, list[TypeScore]] = {}
    for span in spans:
        score = type_scorer(span.rules, unit_cap=unit_cap)
        for key, tally in tallies(span).items():
            parts.setdefault(key, []).append(score(key[-1], tally.records, tally.person_capped))
    return {key: _merged(lines) for key, lines in parts.items()}


@in_transaction
def scored_bonuses(
    session: Session, *, campaign_id: int, spans: list[RulesSpan], by: str, where_unit: int | None = None
) -> dict[str, dict[tuple, tuple[int, float]]]:
    """Per bonus kind, each key's (count, points) over the spans, each span at its own rules."""
    result: dict[str, dict[tuple, tuple[int, float]]] = {kind: {} for kind in BONUS_KINDS}
    for span in spans:
        counts = q.bonus_counts(session, campaign_id=campaign_id, start=span.start, end=span.end, by=by, where_unit=where_unit)
        for kind in BONUS_KINDS:
            for key, count in counts[kind].items():
                before, points = result[kind].get(key, (0, 0.0))
                result[kind][key] = (before + count, points + count * span.rules.bonuses.get(kind, 0.0))
    return result


def _ranked(standings: list[dict[str, Any]], metric: str) -> list[UnitStanding]:
    """The standings (their fields, without a rank) best first by metric, ranked: equal values
    share a rank and are ordered by name, so a tie never looks arbitrary. A unit without a value
    (no cadres) or at zero has no rank, and a period without approved records ranks nobody: the
    board says it is empty, it does not rank. Each standing is made once, with its rank, not
    made and then copied with it."""
    empty = not any(standing["records"] for standing in standings)

    def value(standing: dict[str, Any]) -> float | None:
        found = standing[metric]
        return None if empty or found is None else round(float(found), 6)

    ordered = sorted(standings, key=lambda s: (-(value(s) if value(s) is not None else -1.0), s["name_zh"], s["unit_id"]))
    ranks = competition_ranks(ordered, value)
    tied = tied_ranks(ranks)
    return [UnitStanding(**s, rank=rank, tied=shared) for s, rank, shared in zip(ordered, ranks, tied, strict=True)]


class _UnitFigures(NamedTuple):
    """What one unit's standing and breakdown are made from, before the comparison with the
    other units of its group (the composite, the ranks)."""

    unit: Row
    types: list[TypeScore]
    bonuses: list[BonusLine]
    activity: float
    total: float
    tasks: list[TaskProgress]
    survey: float | None
    survey_periods: list[str]
    headcount: int


def _figures(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None,
    metric: str,
    spans: list[RulesSpan],
    ranks_only: bool = False,
) -> list[_UnitFigures]:
    """Every active unit's figures for one period (those of one group, or of every group), each
    part scored by its rules (`spans`). `ranks_only` (for the previous period, whose ranks alone
    are used) skips what the metric does not need: the mandatory tasks are a scan of the whole
    campaign so far, and only completion and the composite index rank by them."""
    # The four columns a standing needs, not 300 mapped units.
    units_query = select(Unit.id, Unit.name_zh, Unit.name_en, Unit.group_id).where(
        Unit.active.is_(True), Unit.group_id.is_not(None)
    )
    if group_id is not None:
        units_query = units_query.where(Unit.group_id == group_id)
    units = session.execute(units_query.order_by(Unit.sort_order, Unit.id)).all()
    # Every group's board reads every unit's rows: a list of 300 ids would only slow the queries.
    unit_ids = [unit.id for unit in units] if group_id is not None else None
    scores = scored_types(spans, lambda span: q.unit_tallies(
        session, campaign_id=campaign_id, start=span.start, end=span.end, rules=span.rules,
        unit_ids=unit_ids, monthly=False,
    ))
    bonuses = scored_bonuses(session, campaign_id=campaign_id, spans=spans, by="unit")
    rules = spans[-1].rules
    heads = q.headcounts(session, end)
    needs_tasks = not ranks_only or metric in {"completion", "composite"}
    tasks = q.mandatory_progress(session, campaign_id, end, unit_ids, heads) if needs_tasks else {}
    surveys = q.survey_averages(session, campaign_id, start, end) if needs_tasks else {}
    order = {code: index for index, code in enumerate(session.scalars(select(ActivityType.code).order_by(ActivityType.sort_order)))}

    # Every unit's lines in the catalogue's order, sorted once for the board, not once per unit.
    by_unit: dict[int, list[TypeScore]] = {}
    for (unit_id, _code), line in sorted(scores.items(), key=lambda item: order.get(item[0][1], len(order))):
        by_unit.setdefault(unit_id, []).append(line)
    figures = []
    for unit in units:
        types = by_unit.get(unit.id, [])
        bonus_lines = [_bonus_line(kind, *bonuses[kind].get((unit.id,), (0, 0.0)), rules) for kind in BONUS_KINDS]
        activity = sum(line.points for line in types)
        survey, periods = surveys.get(unit.id, (None, []))
        figures.append(_UnitFigures(
            unit, types, bonus_lines, activity, activity + sum(line.points for line in bonus_lines),
            tasks.get(unit.id, []), survey, periods, heads.get(unit.id, 0),
        ))
    return figures


def _assemble(
    figures: list[_UnitFigures], *, campaign_id: int, start: dt.date, end: dt.date, group_id: int | None, metric: str,
    spans: list[RulesSpan],
) -> Board:
    """The board of the units of `figures` (one group, or all): the composite scales per capita
    by their best, so it is made once every unit's figures are in; the composite's weights are
    those of the last part of the period, the rules in force at its end."""
    rules = spans[-1].rules
    raw = [
        {"per_capita": per_capita(unit.total, unit.headcount), "completion": q.unit_completion(unit.tasks),
         "survey": round(unit.survey, 2) if unit.survey is not None else None}
        for unit in figures
    ]
    composites, used = composite_indices(raw, rules.weights)
    standings: list[dict[str, Any]] = []
    details: dict[int, UnitDetail] = {}
    for unit, own, composite in zip(figures, raw, composites, strict=True):
        standings.append({
            "unit_id": unit.unit.id,
            "name_zh": unit.unit.name_zh,
            "name_en": unit.unit.name_en,
            "group_id": unit.unit.group_id,
            "headcount": unit.headcount,
            "records": sum(line.records for line in unit.types),
            "points": round(unit.total, 2),
            "per_capita": own["per_capita"],
            "required": sum(task.required for task in unit.tasks),
            "done": sum(task.done for task in unit.tasks),
            "completion": own["completion"],
            "activity_points": round(unit.activity, 2),
            "bonus_points": round(unit.total - unit.activity, 2),
            "survey": own["survey"],
            "composite": round(composite.value, 2),
        })
        details[unit.unit.id] = UnitDetail(
            unit.types, unit.bonuses, unit.tasks, unit.survey_periods, composite.components, composite.weights
        )
    best = max((s["per_capita"] or 0.0 for s in standings), default=0.0)
    return Board(
        campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric,
        rules_version=rules.version, standings=_ranked(standings, metric), details=details,
        weights_used=used, best_per_capita=best, spans=tuple(spans),
    )


def _compute(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None,
    metric: str,
    spans: list[RulesSpan],
    ranks_only: bool = False,
) -> Board:
    """The board of one period of one group (None: the units of every group together); see _figures."""
    figures = _figures(
        session, campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, spans=spans,
        ranks_only=ranks_only,
    )
    return _assemble(figures, campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, spans=spans)


def _bonus_line(kind: str, count: int, points: float, rules: ScoringRules) -> BonusLine:
    """A bonus's line; where a change of rules split the period, the points each are the mean."""
    return BonusLine(kind, count, round(points / count, 2) if count else rules.bonuses.get(kind, 0.0), points)


@public_read
def unit_board(
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None = None,
    metric: str = "per_capita",
    rules: ScoringRules | None = None,
    rules_version: int | None = None,
    pending: tuple[dt.date, ScoringRules] | None = None,
    compare_previous: bool = True,
    ranks_only: bool = False,
    engine: Engine | None = None,
) -> Board:
    """The whole board of a comparison group for [start, end]: standings ranked by `metric`
    (points, per_capita, completion or composite), each unit's breakdown, and the rank change
    against the previous period: the calendar month or quarter before, or as many days before
    (None where that period precedes the campaign). `ranks_only`: only the ranks, points and
    counts are wanted, so the mandatory tasks and surveys are left out (no completion) unless
    the metric ranks by them.

    Each period is scored by the rules in force then (part by part where the rules changed
    during it). `rules` (or the stored `rules_version`) is a what-if instead: the period, and the
    one it is compared with, recomputed under that one version; the board says so (`what_if`).
    `pending` (effective date, rules) is the board as it would be once a draft is published.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    what_if = rules is not None or rules_version is not None or pending is not None
    with read_session(engine) as session:
        spans = rule_spans(session, start, end, rules=rules, rules_version=rules_version, pending=pending)
        board = _compute(
            session, campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, spans=spans,
            ranks_only=ranks_only,
        )
        board = replace(board, what_if=what_if)
        previous = _previous_period(session, campaign_id, start, end)
        if not compare_previous or previous is None:
            return board
        before = _compute(
            session, campaign_id=campaign_id, start=previous.start, end=previous.end, group_id=group_id,
            metric=metric, ranks_only=True,
            spans=rule_spans(session, previous.start, previous.end, rules=spans[-1].rules if what_if else None),
        )
    return _compared(board, before, previous)


def _previous_period(session: Session, campaign_id: int, start: dt.date, end: dt.date) -> DateRange | None:
    """The period rank changes compare [start, end] with (DateRange.previous), or None where it
    ends before the campaign began."""
    campaign_start = session.scalar(select(Campaign.start_date).where(Campaign.id == campaign_id))
    previous = DateRange(start, end).previous()
    return None if campaign_start is None or previous.end < campaign_start else previous


def _compared(board: Board, before: Board, previous: DateRange) -> Board:
    """`board` with each unit's rank in the `previous` period (`before`) and the places gained."""
    earlier = {standing.unit_id: standing.rank for standing in before.standings}
    standings = [
        replace(s, previous_rank=earlier.get(s.unit_id), rank_change=rank_change(earlier.get(s.unit_id), s.rank))
        for s in board.standings
    ]
    return replace(board, standings=standings, previous=previous)


@public_read
def group_boards(
    *, campaign_id: int, start: dt.date, end: dt.date, metric: str = "per_capita", engine: Engine | None = None
) -> dict[int, Board]:
    """What unit_board gives for each comparison group (by group id, those with active units),
    with the rules in force and the rank changes, from one read of every unit's figures for the
    period and one for the previous period, instead of both per group: the honour roll ranks
    every group."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    with read_session(engine) as session:
        spans = rule_spans(session, start, end)
        figures = _figures(session, campaign_id=campaign_id, start=start, end=end, group_id=None, metric=metric, spans=spans)
        previous = _previous_period(session, campaign_id, start, end)
        if previous is not None:
            previous_spans = rule_spans(session, previous.start, previous.end)
            before = _figures(
                session, campaign_id=campaign_id, start=previous.start, end=previous.end, group_id=None, metric=metric,
                spans=previous_spans, ranks_only=True,
            )
    boards: dict[int, Board] = {}
    for group_id in dict.fromkeys(unit.unit.group_id for unit in figures):
        board = _assemble(
            [unit for unit in figures if unit.unit.group_id == group_id],
            campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, spans=spans,
        )
        if previous is not None:
            earlier = _assemble(
                [unit for unit in before if unit.unit.group_id == group_id], campaign_id=campaign_id,
                start=previous.start, end=previous.end, group_id=group_id, metric=metric, spans=previous_spans,
            )
            board = _compared(board, earlier, previous)
        boards[group_id] = board
    return boards


@public_read
def unit_leaderboard(
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None = None,
    metric: str = "per_capita",
    rules: ScoringRules | None = None,
    engine: Engine | None = None,
) -> list[UnitStanding]:
    """Units of a comparison group ranked by `metric`, without rank changes (one period only)."""
    return unit_board(
        campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, rules=rules,
        compare_previous=False, engine=engine,
    ).standings


@public_read
def standings_with_change(
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None,
    metric: str = "per_capita",
    rules: ScoringRules | None = None,
    engine: Engine | None = None,
) -> list[UnitStanding]:
    """Current standings with `previous_rank` and `rank_change` filled in (the presenter's feed)."""
    return unit_board(
        campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, rules=rules,
        engine=engine,
    ).standings


@public_read
def rules_for(version: int | None = None, engine: Engine | None = None) -> ScoringRules:
    """The rules of a stored version, or those in force today for None."""
    with read_session(engine) as session:
        return rules_of_version(session, version)


@public_read
def rules_version(engine: Engine | None = None) -> int:
    """The version in force today."""
    with read_session(engine) as session:
        return published_rules(session).version


@public_read
def spans_for(start: dt.date, end: dt.date, engine: Engine | None = None) -> list[RulesSpan]:
    """The versions in force during [start, end], part by part (for a board to say what scored it)."""
    with read_session(engine) as session:
        return rules_in_force(session, start, end)


@dataclass(frozen=True)
class MonthFigure:
    month: str  # YYYY-MM
    unit_id: int
    points: float
    per_capita: float | None
    rank: int | None  # in the group, by points per capita that month; None: no place
    tied: bool


@dataclass(frozen=True)
class Trend:
    months: list[str]
    figures: list[MonthFigure]
    median_per_capita: dict[str, float | None]  # the group's median per month


@public_read
def group_trend(
    *,
    campaign_id: int,
    group_id: int,
    start: dt.date,
    end: dt.date,
    rules: ScoringRules | None = None,
    rules_version: int | None = None,
    engine: Engine | None = None,
) -> Trend:
    """Monthly points and rank of every unit of a group over [start, end], from the per-unit
    monthly summaries (db.board_queries.unit_month_points) and one query per bonus kind, per
    version in force. Caps apply per month, the month being the period (and within each part of
    a month that a change of rules split)."""
    with read_session(engine) as session:
        spans = rule_spans(session, start, end, rules=rules, rules_version=rules_version)
        units = session.scalars(
            select(Unit).where(Unit.active.is_(True), Unit.group_id == group_id).order_by(Unit.sort_order)
        ).all()
        unit_ids = [unit.id for unit in units]
        totals: dict[tuple[int, str], float] = {}
        active_months: set[str] = set()  # with approved records
        for span in spans:
            activity = q.unit_month_points(
                session, campaign_id=campaign_id, start=span.start, end=span.end, rules=span.rules, unit_ids=unit_ids
            )
            for (unit_id, label), (records, points) in activity.items():
                totals[(unit_id, label)] = totals.get((unit_id, label), 0.0) + points
                if records:
                    active_months.add(label)
        bonuses = scored_bonuses(session, campaign_id=campaign_id, spans=spans, by="month")
        parts = month_parts(start, end)
        months = [label for label, _first, _last in parts]
        month_ends = {label: last for label, _first, last in parts}
        heads_on = q.headcounts_on(session, sorted(set(month_ends.values())))
    for kind in BONUS_KINDS:
        for (unit_id, label), (_count, points) in bonuses[kind].items():
            if unit_id in unit_ids:
                totals[(unit_id, label)] = totals.get((unit_id, label), 0.0) + points
    names = {unit.id: unit.name_zh for unit in units}
    figures: list[MonthFigure] = []
    medians: dict[str, float | None] = {}
    for label in months:
        rows = [
            (unit_id, round(totals.get((unit_id, label), 0.0), 2),
             per_capita(totals.get((unit_id, label), 0.0), heads_on[month_ends[label]].get(unit_id, 0)))
            for unit_id in unit_ids
        ]
        rows.sort(key=lambda row: (-(round(row[2], 6) if row[2] is not None else -1.0), names[row[0]], row[0]))
        if label in active_months:
            ranks = competition_ranks(rows, lambda row: round(row[2], 6) if row[2] is not None else None)
        else:  # a month without approved records ranks nobody
            ranks = [None] * len(rows)
        tied = tied_ranks(ranks)
        figures.extend(
            MonthFigure(label, unit_id, points, share, rank, shared)
            for (unit_id, points, share), rank, shared in zip(rows, ranks, tied, strict=True)
        )
        medians[label] = median(row[2] for row in rows)
    return Trend(months, figures, medians)
