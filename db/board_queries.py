"""The SQL behind the boards: GROUP BY queries whose small results the boards assemble.

Activity counts read the covering index ix_record_board (campaign, status, date, unit, type,
cadre); nothing here loads records one by one. The per-person cap is applied in SQL, so a
million records come back as at most units x types rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from core.ledgers import BONUS_STATUSES
from core.scoring import ScoringRules
from db.models import (
    ActivityRecord,
    ActivityType,
    Branch,
    Cadre,
    Period,
    Problem,
    StudyRecord,
    Suggestion,
    SurveyScore,
    Unit,
)


def month_of(session: Session, column: ColumnElement) -> ColumnElement[str]:
    """'YYYY-MM' of a date or timestamp column, in the dialect of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def approved_in(campaign_id: int, start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """Approved records of a campaign dated within [start, end]: the index's leading columns."""
    return and_(
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.status == "approved",
        ActivityRecord.occurred_on.between(start, end),
    )


@dataclass(frozen=True)
class Tally:
    records: int  # approved records
    person_capped: int  # after the per-person cap


def type_codes(session: Session) -> dict[int, str]:
    return dict(session.execute(select(ActivityType.id, ActivityType.code)).all())


def type_tallies(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    rules: ScoringRules,
    keys: Sequence[ColumnElement],
    where: Sequence[ColumnElement[bool]] = (),
) -> dict[tuple, Tally]:
    """Approved records counted per (*keys, type code), capped per person per type in SQL.

    The cap applies to each (unit, type, cadre) group; records naming no cadre form one group
    per unit. `keys` are the columns to report by (unit, cadre, branch, month ...).
    """
    codes = type_codes(session)
    labelled = [key.label(f"k{index}") for index, key in enumerate(keys)]
    inner = (
        select(*labelled, ActivityRecord.type_id, func.count().label("n"))
        .where(approved_in(campaign_id, start, end), *where)
        .group_by(*keys, ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id)
        .subquery()
    )
    # Types sharing a cap share one CASE branch, keeping the statement short.
    by_cap: dict[int, list[int]] = {}
    for type_id, code in codes.items():
        by_cap.setdefault(rules.cap_for(code), []).append(type_id)
    capped = case(
        *[
            (inner.c.type_id.in_(type_ids), case((inner.c.n > cap, literal(cap)), else_=inner.c.n))
            for cap, type_ids in by_cap.items()
        ],
        else_=inner.c.n,
    )
    key_columns = [inner.c[f"k{index}"] for index in range(len(keys))]
    rows = session.execute(
        select(*key_columns, inner.c.type_id, func.sum(inner.c.n), func.sum(capped)).group_by(
            *key_columns, inner.c.type_id
        )
    ).all()
    return {
        (*row[: len(keys)], codes[row[len(keys)]]): Tally(int(row[-2]), int(row[-1]))
        for row in rows
        if row[len(keys)] in codes
    }


def bonus_counts(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    by: str = "unit",
    where_unit: int | None = None,
) -> dict[str, dict[tuple, int]]:
    """Counts of the bonus events per key: featured study records (approved, by the record's date),
    suggestions adopted in full or in part (by the day they were adopted, core.ledgers) and
    problems solved (by the day they were solved) within [start, end].

    `by` is "unit", "cadre", "branch" or "month" (month: per unit and month). Solved problems
    belong to units only.
    """
    record_key = {
        "unit": [ActivityRecord.unit_id],
        "cadre": [ActivityRecord.cadre_id],
        "branch": [ActivityRecord.branch_id],
        "month": [ActivityRecord.unit_id, month_of(session, ActivityRecord.occurred_on)],
    }[by]
    featured_query = (
        select(*record_key, func.count())
        .join(StudyRecord, StudyRecord.record_id == ActivityRecord.id)
        .where(approved_in(campaign_id, start, end), StudyRecord.featured.is_(True))
    )
    if where_unit is not None:
        featured_query = featured_query.where(ActivityRecord.unit_id == where_unit)
    featured = session.execute(featured_query.group_by(*record_key)).all()

    suggestion_key = {
        "unit": [Suggestion.unit_id],
        "cadre": [Suggestion.cadre_id],
        "branch": [Cadre.branch_id],
        "month": [Suggestion.unit_id, month_of(session, Suggestion.adopted_on)],
    }[by]
    adopted_query = select(*suggestion_key, func.count()).select_from(Suggestion).where(
        Suggestion.status.in_(BONUS_STATUSES), Suggestion.adopted_on.between(start, end)
    )
    if by in {"cadre", "branch"}:
        # An anonymous suggestion credits its unit only: a person's or a branch's bonus would name them.
        adopted_query = adopted_query.where(Suggestion.anonymous.is_(False))
    if by == "branch":
        adopted_query = adopted_query.join(Cadre, Cadre.id == Suggestion.cadre_id)
    if where_unit is not None:
        adopted_query = adopted_query.where(Suggestion.unit_id == where_unit)
    adopted = session.execute(adopted_query.group_by(*suggestion_key)).all()

    solved: list = []
    if by in {"unit", "month"}:
        problem_key = [Problem.unit_id] if by == "unit" else [Problem.unit_id, month_of(session, Problem.solved_on)]
        solved_query = select(*problem_key, func.count()).where(Problem.solved_on.between(start, end))
        if where_unit is not None:
            solved_query = solved_query.where(Problem.unit_id == where_unit)
        solved = session.execute(solved_query.group_by(*problem_key)).all()

    def keyed(rows: Sequence) -> dict[tuple, int]:
        return {tuple(row[:-1]): int(row[-1]) for row in rows if row[0] is not None}

    return {"featured_note": keyed(featured), "adopted_suggestion": keyed(adopted), "solved_problem": keyed(solved)}


def headcounts(session: Session) -> dict[int, int]:
    """Active cadres per unit."""
    rows = session.execute(
        select(Cadre.unit_id, func.count()).where(Cadre.active.is_(True)).group_by(Cadre.unit_id)
    ).all()
    return dict(rows)


def survey_averages(
    session: Session, campaign_id: int, start: dt.date, end: dt.date
) -> dict[int, tuple[float, list[str]]]:
    """Mean of 公信度 and 满意度 per unit over the survey periods overlapping [start, end],
    with the labels of those periods (the figure's denominators)."""
    rows = session.execute(
        select(SurveyScore.unit_id, SurveyScore.credibility, SurveyScore.satisfaction, Period.label)
        .join(Period, Period.id == SurveyScore.period_id)
        .where(SurveyScore.campaign_id == campaign_id, Period.start_date <= end, Period.end_date >= start)
        .order_by(SurveyScore.unit_id, Period.start_date)
    ).all()
    gathered: dict[int, tuple[list[float], list[str]]] = {}
    for unit_id, credibility, satisfaction, label in rows:
        values, labels = gathered.setdefault(unit_id, ([], []))
        values.append((credibility + satisfaction) / 2)
        labels.append(label)
    return {unit_id: (sum(values) / len(values), labels) for unit_id, (values, labels) in gathered.items()}


@dataclass(frozen=True)
class TaskProgress:
    """A unit's progress on one mandatory task: done (capped at required) of required."""

    code: str
    basis: str
    done: int
    required: int


def mandatory_progress(
    session: Session, campaign_id: int, end: dt.date, unit_ids: Sequence[int] | None = None
) -> dict[int, list[TaskProgress]]:
    """Each unit's mandatory tasks, counting approved records from the campaign's start up to `end`.

    Each task's done count is capped at what it requires, so one overachiever cannot make up for
    a colleague who has not written their report.
    """
    mandatory = session.execute(
        select(ActivityType.id, ActivityType.code, ActivityType.mandatory_basis, ActivityType.mandatory_count)
        .where(ActivityType.mandatory_basis.is_not(None), ActivityType.active.is_(True))
        .order_by(ActivityType.sort_order)
    ).all()
    approved = and_(
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.status == "approved",
        ActivityRecord.occurred_on <= end,
    )
    if unit_ids is None:
        unit_ids = session.scalars(select(Unit.id).where(Unit.active.is_(True))).all()
    heads = headcounts(session)
    principals = dict(
        session.execute(
            select(Cadre.unit_id, func.count())
            .where(Cadre.active.is_(True), Cadre.is_principal.is_(True))
            .group_by(Cadre.unit_id)
        ).all()
    )
    branches = dict(
        session.execute(
            select(Branch.unit_id, func.count())
            .where(Branch.active.is_(True), Branch.kind == "branch")
            .group_by(Branch.unit_id)
        ).all()
    )
    # One pass over the approved records of the mandatory types (not one per task): group by
    # (unit, type, cadre, branch) first, then count the distinct active people and branches.
    found = (
        select(
            ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id, ActivityRecord.branch_id,
            func.count().label("n"),
        )
        .where(approved, ActivityRecord.type_id.in_([row.id for row in mandatory]), ActivityRecord.unit_id.in_(unit_ids))
        .group_by(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id, ActivityRecord.branch_id)
        .subquery()
    )
    active_cadre = and_(Cadre.active.is_(True), found.c.cadre_id.is_not(None))
    rows = session.execute(
        select(
            found.c.unit_id,
            found.c.type_id,
            func.count(func.distinct(case((active_cadre, found.c.cadre_id)))),
            func.count(func.distinct(case((and_(active_cadre, Cadre.is_principal.is_(True)), found.c.cadre_id)))),
            func.count(func.distinct(case((and_(Branch.active.is_(True), Branch.kind == "branch"), found.c.branch_id)))),
            func.sum(found.c.n),
        )
        .outerjoin(Cadre, Cadre.id == found.c.cadre_id)
        .outerjoin(Branch, Branch.id == found.c.branch_id)
        .group_by(found.c.unit_id, found.c.type_id)
    ).all()
    done_by = {(unit_id, type_id): rest for unit_id, type_id, *rest in rows}
    result: dict[int, list[TaskProgress]] = {unit_id: [] for unit_id in unit_ids}
    for type_id, code, basis, count in mandatory:
        for unit_id in unit_ids:
            cadres, principals_done, branches_done, records = done_by.get((unit_id, type_id), (0, 0, 0, 0))
            if basis == "per_cadre":
                need, done = heads.get(unit_id, 0), cadres
            elif basis == "per_principal":
                need, done = principals.get(unit_id, 0), principals_done
            elif basis == "per_branch":
                need, done = branches.get(unit_id, 0), branches_done
            else:  # per_unit
                need, done = count, int(records or 0)
            result[unit_id].append(TaskProgress(code, basis, min(done, need), need))
    return result
