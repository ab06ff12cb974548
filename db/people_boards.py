"""Boards below the unit: cadres' study points (个人积分榜) and the branches inside a unit (支部排行).

People's names are personal data. The office may hide them ("units only"); then only the office
and the people of the same unit see names, and anonymous visitors never do. That decision is
made here, in the data layer: a hidden name never leaves this module.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, Engine, Row, and_, func, select
from sqlalchemy.orm import Session

from core.completion import TaskFigure, unit_completion
from core.enums import RecordStatus, TargetBasis
from core.permissions import Action
from core.scoring import ScoringRules, competition_ranks, per_capita, tied_ranks
from db import board_queries as q
from db.access import Actor, in_transaction, permits, public_read
from db.boards import RulesSpan, rule_spans, scored_bonuses, scored_types
from db.command import command
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, AppMeta, Branch, Cadre, Unit
from db.targets import campaign_targets

HIDE_NAMES_KEY = "hide_person_names"
PEOPLE_SHOWN = 100
# Study points come from the document's (一) 党性教育 and (二) 学习型机关: a cadre's own analysis
# report, reading notes, recommendations, training and suggestions, not grassroots visits.
STUDY_AREAS = ("party_spirit", "learning")


@public_read
def names_hidden(engine: Engine | None = None) -> bool:
    """Whether the office prefers boards without people's names."""
    with read_session(engine) as session:
        return names_hidden_in(session)


@in_transaction
def names_hidden_in(session: Session) -> bool:
    return session.scalar(select(AppMeta.value).where(AppMeta.key == HIDE_NAMES_KEY)) == "1"


@permits(Action.ADMINISTER)
def set_names_hidden(actor: Actor | None, hide: bool, engine: Engine | None = None) -> None:
    """The office's privacy preference for people boards (admin only, audited)."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        row = cmd.session.get(AppMeta, HIDE_NAMES_KEY)
        before = row is not None and row.value == "1"
        if row is None:
            cmd.session.add(AppMeta(key=HIDE_NAMES_KEY, value="1" if hide else "0"))
        else:
            row.value = "1" if hide else "0"
        cmd.audit("setting.hide_person_names", "app_meta", None, {"before": before, "after": hide})


@public_read
def may_see_names(actor: Actor | None, unit_id: int, hidden: bool) -> bool:
    """Names are public unless hidden; hidden, only the office and the unit's own people see them."""
    if not hidden:
        return True
    return actor is not None and (actor.is_admin or actor.unit_id == unit_id)


@dataclass(frozen=True)
class PersonStanding:
    cadre_id: int
    name: str | None  # None: hidden from this viewer
    unit_id: int
    unit_zh: str
    unit_en: str
    records: int  # approved records of person-level types in the period
    counts: dict[str, int]  # records that counted, per type code (after the per-person cap)
    featured: int  # 精选 study records
    adopted: int  # adopted suggestions
    points: float
    rank: int | None  # None: no place (no points in the period; see core.scoring.has_rank)
    tied: bool
    is_self: bool


@dataclass(frozen=True)
class PeopleBoard:
    rows: list[PersonStanding]  # the best `limit`, and the viewer's own row wherever it ranks
    ranked: int  # active cadres in scope
    scored: int  # of whom have any points in the period
    hidden: bool  # the office hides names
    types: list[str]  # the person-level type codes that score, in catalogue order


@public_read
def people_board(
    actor: Actor | None,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    unit_id: int | None = None,
    group_id: int | None = None,
    rules: ScoringRules | None = None,
    rules_version: int | None = None,
    limit: int = PEOPLE_SHOWN,
    engine: Engine | None = None,
) -> PeopleBoard:
    """Cadres ranked by study points: approved records of the person-level types of the study
    areas (analysis reports, reading notes, recommendations, skills practice, suggestions ...)
    capped per person per type, plus the bonuses for featured study records and adopted
    suggestions. Unit caps do not apply to a person."""
    with read_session(engine) as session:
        scored = _scored_people(
            session, campaign_id=campaign_id, start=start, end=end, unit_id=unit_id, group_id=group_id, rules=rules,
            rules_version=rules_version,
        )
        return _ranked(session, actor, scored, scored.people, limit)


@public_read
def group_people_boards(
    actor: Actor | None, *, campaign_id: int, start: dt.date, end: dt.date, limit: int = PEOPLE_SHOWN,
    engine: Engine | None = None,
) -> dict[int, PeopleBoard]:
    """What people_board gives for each comparison group (by group id, those with active
    cadres), from one count of everyone's points instead of one per group: a person's points do
    not depend on the group, only their rank does (the honour roll ranks every group)."""
    with read_session(engine) as session:
        scored = _scored_people(session, campaign_id=campaign_id, start=start, end=end)
        groups: dict[int, list[Row]] = {}
        for person in scored.people:
            if person.group_id is not None:
                groups.setdefault(person.group_id, []).append(person)
        return {group_id: _ranked(session, actor, scored, people, limit) for group_id, people in groups.items()}


class _Scored(NamedTuple):
    """Everyone's study points in a period, before they are ranked within a scope."""

    campaign_id: int
    spans: list[RulesSpan]
    hidden: bool
    person_types: list[Row]
    people: list[Row]  # active cadres of the scope: id, name, unit_id, unit names, group_id
    where: list[ColumnElement[bool]]  # the records that score, over activity_record
    points: dict[int, tuple[int, float]]  # cadre id: (approved records, activity points)
    bonuses: dict[str, dict[tuple, tuple[int, float]]]


def _scored_people(
    session: Session, *, campaign_id: int, start: dt.date, end: dt.date, unit_id: int | None = None,
    group_id: int | None = None, rules: ScoringRules | None = None, rules_version: int | None = None,
) -> _Scored:
    spans = rule_spans(session, start, end, rules=rules, rules_version=rules_version)
    hidden = names_hidden_in(session)
    person_types = session.execute(
        select(ActivityType.id, ActivityType.code)
        .where(ActivityType.level == "person", ActivityType.area.in_(STUDY_AREAS))
        .order_by(ActivityType.sort_order)
    ).all()
    scope = [Cadre.active.is_(True), Unit.active.is_(True)]
    if unit_id is not None:
        scope.append(Cadre.unit_id == unit_id)
    if group_id is not None:
        scope.append(Unit.group_id == group_id)
    people = session.execute(
        select(Cadre.id, Cadre.name, Cadre.unit_id, Unit.name_zh, Unit.name_en, Unit.group_id)
        .join(Unit, Unit.id == Cadre.unit_id)
        .where(*scope)
    ).all()
    where = [ActivityRecord.cadre_id.is_not(None), ActivityRecord.type_id.in_([row.id for row in person_types])]
    if unit_id is not None:
        where.append(ActivityRecord.unit_id == unit_id)
    points: dict[int, tuple[int, float]] = {}
    for span in spans:  # each part of the period at its own rules, as scored_types does
        for cadre_id, (records, span_points) in q.cadre_points(
            session, campaign_id=campaign_id, start=span.start, end=span.end, rules=span.rules, where=where
        ).items():
            before_records, before_points = points.get(cadre_id, (0, 0.0))
            points[cadre_id] = (before_records + records, before_points + span_points)
    bonuses = scored_bonuses(session, campaign_id=campaign_id, spans=spans, by="cadre", where_unit=unit_id)
    return _Scored(campaign_id, spans, hidden, person_types, people, where, points, bonuses)


def _ranked(session: Session, actor: Actor | None, scored: _Scored, people: list[Row], limit: int) -> PeopleBoard:
    """`people` (of scored.people) ranked by their points: the best `limit` and the viewer's own row."""
    rows = []
    for cadre_id, name, person_unit, unit_zh, unit_en, _group in people:
        records, points = scored.points.get(cadre_id, (0, 0.0))
        featured, featured_points = scored.bonuses["featured_note"].get((cadre_id,), (0, 0.0))
        adopted, adopted_points = scored.bonuses["adopted_suggestion"].get((cadre_id,), (0, 0.0))
        total = points + featured_points + adopted_points
        rows.append((cadre_id, name, person_unit, unit_zh, unit_en, records, featured, adopted, round(total, 2)))
    # Equal points share a rank; the order inside a tie is the unit's, then the cadre's id,
    # never the name, so that sorting does not reveal hidden names.
    # Without approved study records in the period nobody is ranked, bonuses or not (as on the
    # unit board); otherwise those without points have no place (core.scoring.has_rank).
    rows.sort(key=lambda row: (-row[8], row[3], row[0]))
    own = actor.cadre_id if actor else None
    shown = [row for position, row in enumerate(rows) if position < limit or row[0] == own]
    counts = _counts_by_type(
        session, scored.campaign_id, scored.spans, scored.where, [row[0] for row in shown], everyone=len(shown) == len(rows)
    )
    empty = not any(row[5] for row in rows)
    ranks = competition_ranks(rows, lambda row: None if empty else row[8])
    tied = tied_ranks(ranks)
    shown_ids = {row[0] for row in shown}
    standings = []
    for row, rank, shared in zip(rows, ranks, tied, strict=True):
        cadre_id, name, person_unit, unit_zh, unit_en, records, featured, adopted, total = row
        if cadre_id not in shown_ids:
            continue
        is_self = own is not None and cadre_id == own
        visible = is_self or may_see_names(actor, person_unit, scored.hidden)
        standings.append(
            PersonStanding(
                cadre_id=cadre_id, name=name if visible else None, unit_id=person_unit, unit_zh=unit_zh,
                unit_en=unit_en, records=records, counts=counts.get(cadre_id, {}), featured=featured, adopted=adopted,
                points=total, rank=rank, tied=shared, is_self=is_self,
            )
        )
    scored_count = sum(1 for row in rows if row[8] > 0)
    return PeopleBoard(standings, len(rows), scored_count, scored.hidden, [row.code for row in scored.person_types])


def _counts_by_type(
    session: Session, campaign_id: int, spans: list[RulesSpan], where: list[ColumnElement[bool]], cadre_ids: list[int],
    *, everyone: bool,
) -> dict[int, dict[str, int]]:
    """The records that counted per type code (after the per-person cap), for the people shown:
    their breakdown, not needed to rank the rest."""
    if not cadre_ids:
        return {}
    chosen = where if everyone else [*where, ActivityRecord.cadre_id.in_(cadre_ids)]
    scores = scored_types(spans, lambda span: q.type_tallies(
        session, campaign_id=campaign_id, start=span.start, end=span.end, rules=span.rules,
        keys=[ActivityRecord.cadre_id], where=chosen,
    ), unit_cap=False)
    counts: dict[int, dict[str, int]] = {}
    for (cadre_id, code), line in scores.items():
        counts.setdefault(cadre_id, {})[code] = line.counted
    return counts


@dataclass(frozen=True)
class BranchStanding:
    branch_id: int
    name: str
    headcount: int
    records: int
    points: float
    per_capita: float | None
    done: int  # per-cadre and per-branch mandatory tasks done (capped) ...
    required: int  # ... of required; completion is core.completion's mean of the task rates
    completion: float | None
    rank: int | None  # None: no place (no points per member, or no approved records at all)
    tied: bool


@dataclass(frozen=True)
class BranchBoard:
    rows: list[BranchStanding]
    unassigned_records: int  # approved records in the period that name no branch of the unit


@public_read
def branch_board(
    *,
    campaign_id: int,
    unit_id: int,
    start: dt.date,
    end: dt.date,
    rules: ScoringRules | None = None,
    rules_version: int | None = None,
    engine: Engine | None = None,
) -> BranchBoard:
    """The party branches (党支部) of one unit ranked by points per member; a 党小组's records and
    members count for its branch. Per-person caps apply; the unit's caps do not."""
    with read_session(engine) as session:
        spans = rule_spans(session, start, end, rules=rules, rules_version=rules_version)
        branches = session.execute(
            select(Branch.id, Branch.parent_id, Branch.name, Branch.kind)
            .where(Branch.unit_id == unit_id, Branch.active.is_(True))
            .order_by(Branch.id)
        ).all()
        top = {row.id: (row.parent_id if row.kind == "group" and row.parent_id else row.id) for row in branches}
        scores = scored_types(spans, lambda span: q.type_tallies(
            session, campaign_id=campaign_id, start=span.start, end=span.end, rules=span.rules,
            keys=[ActivityRecord.branch_id], where=[ActivityRecord.unit_id == unit_id],
        ), unit_cap=False)
        bonuses = scored_bonuses(session, campaign_id=campaign_id, spans=spans, by="branch", where_unit=unit_id)
        members = session.execute(
            select(Cadre.branch_id, func.count())
            .where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
            .group_by(Cadre.branch_id)
        ).all()
        tasks = _branch_tasks(session, campaign_id, unit_id, end)
    points: dict[int, float] = {}
    records: dict[int, int] = {}
    unassigned = 0
    for (branch_id, _code), line in scores.items():
        if branch_id not in top:
            unassigned += line.records
            continue
        key = top[branch_id]
        points[key] = points.get(key, 0.0) + line.points
        records[key] = records.get(key, 0) + line.records
    for kind in ("featured_note", "adopted_suggestion"):
        for (branch_id,), (_count, earned) in bonuses[kind].items():
            if branch_id in top:
                points[top[branch_id]] = points.get(top[branch_id], 0.0) + earned
    heads: dict[int, int] = {}
    for branch_id, count in members:
        if branch_id in top:
            heads[top[branch_id]] = heads.get(top[branch_id], 0) + count
    rows = []
    for row in branches:
        if top[row.id] != row.id:
            continue
        figures = tasks.get(row.id, [])
        done, required = sum(f.done for f in figures), sum(f.required for f in figures)
        total = round(points.get(row.id, 0.0), 2)
        rows.append(
            BranchStanding(
                branch_id=row.id, name=row.name, headcount=heads.get(row.id, 0), records=records.get(row.id, 0),
                points=total, per_capita=per_capita(total, heads.get(row.id, 0)), done=done, required=required,
                completion=unit_completion(figures), rank=None, tied=False,
            )
        )
    empty = not any(row.records for row in rows)

    def value(standing: BranchStanding) -> float | None:
        return None if empty or standing.per_capita is None else round(standing.per_capita, 6)

    rows.sort(key=lambda s: (-(value(s) if value(s) is not None else -1.0), s.branch_id))
    ranks = competition_ranks(rows, value)
    tied = tied_ranks(ranks)
    ranked = [
        BranchStanding(**{**row.__dict__, "rank": rank, "tied": shared})
        for row, rank, shared in zip(rows, ranks, tied, strict=True)
    ]
    return BranchBoard(ranked, unassigned)


def _branch_tasks(session: Session, campaign_id: int, unit_id: int, end: dt.date) -> dict[int, list[TaskFigure]]:
    """Per branch, one figure per campaign target that falls to branches: the per-cadre targets
    (each member) and the per-branch ones (the branch itself). A 党小组's members and meetings
    count for its 党支部."""
    approved = and_(
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.status == RecordStatus.APPROVED,
        ActivityRecord.occurred_on <= end,
        ActivityRecord.unit_id == unit_id,
    )
    targets = [
        target for target in campaign_targets(session, campaign_id)
        if target.basis in {TargetBasis.PER_CADRE, TargetBasis.PER_BRANCH}
    ]
    branch_rows = session.execute(
        select(Branch.id, Branch.parent_id, Branch.kind).where(Branch.unit_id == unit_id, Branch.active.is_(True))
    ).all()
    top = {row.id: (row.parent_id if row.kind == "group" and row.parent_id else row.id) for row in branch_rows}
    members = session.execute(
        select(Cadre.id, Cadre.branch_id).where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
    ).all()
    result: dict[int, list[TaskFigure]] = {branch: [] for branch in set(top.values())}
    for target in targets:
        count = max(target.count, 1)
        key = ActivityRecord.cadre_id if target.basis == TargetBasis.PER_CADRE else ActivityRecord.branch_id
        held = dict(
            session.execute(
                select(key, func.count()).where(approved, ActivityRecord.type_id == target.type_id).group_by(key)
            ).all()
        )
        tally = {branch: [0, 0] for branch in result}
        if target.basis == TargetBasis.PER_CADRE:
            for cadre_id, branch_id in members:
                if branch_id in top:
                    tally[top[branch_id]][0] += min(held.get(cadre_id, 0), count)
                    tally[top[branch_id]][1] += count
        else:
            for branch in tally:
                tally[branch] = [min(held.get(branch, 0), count), count]
        for branch, (done, required) in tally.items():
            result[branch].append(TaskFigure(done, required, target.weight))
    return result
