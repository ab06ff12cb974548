"""Unit leaderboards: who leads each comparison group, and how every figure is made up.

Aggregation happens in SQL (db/board_queries.py) over the covering index ix_record_board; the
results are one row per unit and type, which this module turns into standings, ranks and the
breakdown that explains them. Only approved records score.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.periods import DateRange
from core.scoring import (
    BONUS_KINDS,
    METRICS,
    ScoringRules,
    TypeScore,
    bonus_points,
    competition_ranks,
    composite_indices,
    median,
    per_capita,
    rank_change,
    score_type,
    tied_ranks,
)
from db import board_queries as q
from db.board_queries import TaskProgress
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, Campaign, RuleSet, Unit


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


def catalogue_points(session: Session) -> dict[str, float]:
    return dict(session.execute(select(ActivityType.code, ActivityType.default_points)).all())


def published_rules(session: Session) -> ScoringRules:
    """The rule set in force: the newest published one, or the catalogue's defaults."""
    rule_set = session.scalar(
        select(RuleSet).where(RuleSet.status == "published").order_by(RuleSet.version.desc()).limit(1)
    )
    if rule_set is None:
        return ScoringRules.from_config(0, {}, catalogue_points(session))
    return ScoringRules.from_config(rule_set.version, rule_set.config, catalogue_points(session))


def rules_of_version(session: Session, version: int | None) -> ScoringRules:
    """The rules of a stored version (any status); the published rules for None or an unknown version."""
    if version is None:
        return published_rules(session)
    rule_set = session.scalar(select(RuleSet).where(RuleSet.version == version))
    if rule_set is None:
        return published_rules(session)
    return ScoringRules.from_config(rule_set.version, rule_set.config, catalogue_points(session))


def metric_value(standing: UnitStanding, metric: str) -> float | None:
    return getattr(standing, metric)


def _rank(standings: list[UnitStanding], metric: str) -> list[UnitStanding]:
    """Best first by metric; equal values share a rank and are ordered by name, so a tie never
    looks arbitrary. A unit without a value (no cadres) or at zero has no rank, and a period
    without approved records ranks nobody: the board says it is empty, it does not rank."""
    empty = not any(standing.records for standing in standings)

    def value(standing: UnitStanding) -> float | None:
        found = metric_value(standing, metric)
        return None if empty or found is None else round(float(found), 6)

    ordered = sorted(standings, key=lambda s: (-(value(s) if value(s) is not None else -1.0), s.name_zh, s.unit_id))
    ranks = competition_ranks(ordered, value)
    tied = tied_ranks(ranks)
    return [replace(s, rank=rank, tied=shared) for s, rank, shared in zip(ordered, ranks, tied, strict=True)]


def _compute(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None,
    metric: str,
    rules: ScoringRules,
    ranks_only: bool = False,
) -> Board:
    """The board of one period. `ranks_only` (for the previous period, whose ranks alone are
    used) skips what the metric does not need: the mandatory tasks are a scan of the whole
    campaign so far, and only completion and the composite index rank by them."""
    units_query = select(Unit).where(Unit.active.is_(True), Unit.group_id.is_not(None))
    if group_id is not None:
        units_query = units_query.where(Unit.group_id == group_id)
    units = session.scalars(units_query.order_by(Unit.sort_order, Unit.id)).all()
    unit_ids = [unit.id for unit in units]
    in_units = [ActivityRecord.unit_id.in_(unit_ids)] if group_id is not None else []
    tallies = q.type_tallies(
        session, campaign_id=campaign_id, start=start, end=end, rules=rules,
        keys=[ActivityRecord.unit_id], where=in_units,
    )
    bonuses = q.bonus_counts(session, campaign_id=campaign_id, start=start, end=end, by="unit")
    heads = q.headcounts(session, end)
    needs_tasks = not ranks_only or metric in {"completion", "composite"}
    tasks = q.mandatory_progress(session, campaign_id, end, unit_ids) if needs_tasks else {}
    surveys = q.survey_averages(session, campaign_id, start, end) if needs_tasks else {}
    order = {code: index for index, code in enumerate(session.scalars(select(ActivityType.code).order_by(ActivityType.sort_order)))}

    by_unit: dict[int, list[TypeScore]] = {}
    for (unit_id, code), tally in tallies.items():
        by_unit.setdefault(unit_id, []).append(score_type(code, tally.records, tally.person_capped, rules))
    standings: list[UnitStanding] = []
    details: dict[int, UnitDetail] = {}
    for unit in units:
        types = sorted(by_unit.get(unit.id, []), key=lambda line: order.get(line.code, len(order)))
        counts = {kind: bonuses[kind].get((unit.id,), 0) for kind in BONUS_KINDS}
        extra = bonus_points(counts, rules)
        bonus_lines = [
            BonusLine(kind, counts[kind], rules.bonuses.get(kind, 0.0), extra[kind]) for kind in BONUS_KINDS
        ]
        activity = sum(line.points for line in types)
        total = activity + sum(extra.values())
        progress = tasks.get(unit.id, [])
        done = sum(task.done for task in progress)
        required = sum(task.required for task in progress)
        people = heads.get(unit.id, 0)
        survey, periods = surveys.get(unit.id, (None, []))
        standings.append(
            UnitStanding(
                unit_id=unit.id,
                name_zh=unit.name_zh,
                name_en=unit.name_en,
                group_id=unit.group_id,
                headcount=people,
                records=sum(line.records for line in types),
                points=round(total, 2),
                per_capita=per_capita(total, people),
                required=required,
                done=done,
                completion=q.unit_completion(progress),
                activity_points=round(activity, 2),
                bonus_points=round(total - activity, 2),
                survey=round(survey, 2) if survey is not None else None,
            )
        )
        details[unit.id] = UnitDetail(types, bonus_lines, progress, periods, {})
    composites, used = composite_indices(
        [{"per_capita": s.per_capita, "completion": s.completion, "survey": s.survey} for s in standings],
        rules.weights,
    )
    for index, (standing, composite) in enumerate(zip(standings, composites, strict=True)):
        standings[index] = replace(standing, composite=round(composite.value, 2))
        detail = details[standing.unit_id]
        details[standing.unit_id] = replace(detail, components=composite.components, weights=composite.weights)
    best = max((s.per_capita or 0.0 for s in standings), default=0.0)
    return Board(
        campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric,
        rules_version=rules.version, standings=_rank(standings, metric), details=details,
        weights_used=used, best_per_capita=best,
    )


def unit_board(
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None = None,
    metric: str = "per_capita",
    rules: ScoringRules | None = None,
    rules_version: int | None = None,
    compare_previous: bool = True,
    engine: Engine | None = None,
) -> Board:
    """The whole board of a comparison group for [start, end]: standings ranked by `metric`
    (points, per_capita, completion or composite), each unit's breakdown, and the rank change
    against the previous period: the calendar month or quarter before, or as many days before
    (None where that period precedes the campaign).

    `rules` (or the stored `rules_version`) recomputes the period under any rule-set version;
    the published rules by default.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    with read_session(engine) as session:
        rules = rules or rules_of_version(session, rules_version)
        board = _compute(
            session, campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, rules=rules
        )
        campaign_start = session.scalar(select(Campaign.start_date).where(Campaign.id == campaign_id))
        previous = DateRange(start, end).previous()
        if not compare_previous or campaign_start is None or previous.end < campaign_start:
            return board
        before = _compute(
            session, campaign_id=campaign_id, start=previous.start, end=previous.end, group_id=group_id,
            metric=metric, rules=rules, ranks_only=True,
        )
    earlier = {standing.unit_id: standing.rank for standing in before.standings}
    standings = [
        replace(s, previous_rank=earlier.get(s.unit_id), rank_change=rank_change(earlier.get(s.unit_id), s.rank))
        for s in board.standings
    ]
    return replace(board, standings=standings, previous=previous)


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


def rules_for(version: int | None = None, engine: Engine | None = None) -> ScoringRules:
    """The rules of a stored version, or those in force for None."""
    with read_session(engine) as session:
        return rules_of_version(session, version)


def rules_version(engine: Engine | None = None) -> int:
    with read_session(engine) as session:
        return published_rules(session).version


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


def _months(start: dt.date, end: dt.date) -> list[str]:
    months, current = [], dt.date(start.year, start.month, 1)
    while current <= end:
        months.append(current.strftime("%Y-%m"))
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _month_end(label: str) -> dt.date:
    """The last day of the month 'YYYY-MM'."""
    year, month = (int(part) for part in label.split("-"))
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


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
    """Monthly points and rank of every unit of a group over [start, end], from one GROUP BY
    month query (plus one per bonus kind). Caps apply per month, the month being the period."""
    with read_session(engine) as session:
        rules = rules or rules_of_version(session, rules_version)
        units = session.scalars(
            select(Unit).where(Unit.active.is_(True), Unit.group_id == group_id).order_by(Unit.sort_order)
        ).all()
        unit_ids = [unit.id for unit in units]
        month = q.month_of(session, ActivityRecord.occurred_on)
        tallies = q.type_tallies(
            session, campaign_id=campaign_id, start=start, end=end, rules=rules,
            keys=[ActivityRecord.unit_id, month], where=[ActivityRecord.unit_id.in_(unit_ids)],
        )
        bonuses = q.bonus_counts(session, campaign_id=campaign_id, start=start, end=end, by="month")
        months = _months(start, end)
        month_ends = {label: min(_month_end(label), end) for label in months}
        heads_on = q.headcounts_on(session, sorted(set(month_ends.values())))
    totals: dict[tuple[int, str], float] = {}
    for (unit_id, label, code), tally in tallies.items():
        line = score_type(code, tally.records, tally.person_capped, rules)
        totals[(unit_id, label)] = totals.get((unit_id, label), 0.0) + line.points
    for kind in BONUS_KINDS:
        for (unit_id, label), count in bonuses[kind].items():
            if unit_id in unit_ids:
                totals[(unit_id, label)] = totals.get((unit_id, label), 0.0) + count * rules.bonuses.get(kind, 0.0)
    names = {unit.id: unit.name_zh for unit in units}
    active_months = {label for (_, label, _), tally in tallies.items() if tally.records}
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
