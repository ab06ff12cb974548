"""The SQL behind the boards: GROUP BY queries whose small results the boards assemble.

Activity counts read the summaries of approved records (db/summaries.py), never the records;
the featured-note bonus reads the featured index. The per-person cap is applied in SQL, so a
million records come back as at most units x types rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from core.clock import office_to_utc, office_today, office_zone
from core.completion import TaskFigure
from core.completion import unit_completion as completion_of
from core.enums import RecordStatus, TargetBasis
from core.periods import add_months, month_parts
from core.scoring import ScoringRules, type_scorer, types_by_cap
from db.access import in_transaction, no_actor
from db.engine import LeftFirstJoin
from db.models import (
    ActivityRecord,
    ActivityType,
    BonusMonthTally,
    Branch,
    Cadre,
    CadreMembership,
    Period,
    Problem,
    StudyRecord,
    Suggestion,
    SurveyScore,
    Unit,
)
from db.summaries import (
    BONUS_LEDGERS,
    month_split,
    monthly_unit_counts,
    monthly_unit_points,
    period_unit_counts,
    person_counts,
    unit_type_totals,
)
from db.targets import campaign_targets


@no_actor
def month_of(session: Session, column: ColumnElement) -> ColumnElement[str]:
    """'YYYY-MM' of a date or timestamp column, in the dialect of the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


class Tally(NamedTuple):
    """One key's counts, made once per unit and type of a board (see core.scoring.TypeScore)."""

    records: int  # approved records
    person_capped: int  # after the per-person cap


@in_transaction
def type_codes(session: Session) -> dict[int, str]:
    return dict(session.execute(select(ActivityType.id, ActivityType.code)).all())


@in_transaction
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
    rows = session.execute(_tally_query(session, campaign_id, start, end, rules, codes, keys, where)).all()
    return {
        (*row[: len(keys)], codes[row[len(keys)]]): Tally(int(row[-2]), int(row[-1]))
        for row in rows
        if row[len(keys)] in codes
    }


def _tally_query(
    session: Session, campaign_id: int, start: dt.date, end: dt.date, rules: ScoringRules, codes: dict[int, str],
    keys: Sequence[ColumnElement], where: Sequence[ColumnElement[bool]],
) -> Select:
    """Per (*keys, type_id): columns k0, k1 ..., type_id, records and counted (after the
    per-person cap), the query behind type_tallies."""
    inner = person_counts(
        session, campaign_id=campaign_id, start=start, end=end, keys=keys, where=where,
        by=("unit_id", "type_id", "cadre_id"),
    )
    key_columns = [inner.c[f"k{index}"] for index in range(len(keys))]
    return select(
        *key_columns, inner.c.type_id, func.sum(inner.c.n).label("records"),
        _capped_sum(inner.c.n, _caps(codes, rules), inner.c.type_id).label("counted"),
    ).group_by(*key_columns, inner.c.type_id)


def _caps(codes: dict[int, str], rules: ScoringRules) -> dict[int, int]:
    """The per-person cap of every type, by type id."""
    return {type_id: rules.cap_for(code) for type_id, code in codes.items()}


def _cut_months(
    session: Session, *, campaign_id: int, parts: list[tuple[dt.date, dt.date]], rules: ScoringRules,
    unit_ids: Sequence[int] | None,
) -> dict[tuple, Tally]:
    """Per (unit_id, 'YYYY-MM', type code), counted per person: the parts of months that a period
    cuts (db.summaries.month_split), which the monthly summaries cannot answer."""
    keys = [ActivityRecord.unit_id, month_of(session, ActivityRecord.occurred_on)]
    where = [ActivityRecord.unit_id.in_(unit_ids)] if unit_ids is not None else []
    tallies: dict[tuple, Tally] = {}
    for part_start, part_end in parts:
        tallies.update(type_tallies(
            session, campaign_id=campaign_id, start=part_start, end=part_end, rules=rules, keys=keys, where=where
        ))
    return tallies


@in_transaction
def unit_tallies(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    rules: ScoringRules,
    unit_ids: Sequence[int] | None,
    monthly: bool,
) -> dict[tuple, Tally]:
    """What type_tallies gives per (unit_id, type code), or with `monthly` per (unit_id,
    'YYYY-MM', type code) capped per month, for the units `unit_ids` (None: every unit). Read
    from the per-unit summaries where they cover the period exactly (a month, a quarter, the
    whole campaign; whole months by month), from the per-person counts for the rest (a week, a
    custom period, the months a period cuts)."""
    codes = type_codes(session)
    caps = _caps(codes, rules)
    if not monthly:
        counted = period_unit_counts(session, campaign_id=campaign_id, start=start, end=end, caps=caps, unit_ids=unit_ids)
        if counted is None:
            where = [ActivityRecord.unit_id.in_(unit_ids)] if unit_ids is not None else []
            return type_tallies(
                session, campaign_id=campaign_id, start=start, end=end, rules=rules, keys=[ActivityRecord.unit_id], where=where
            )
        return {(unit_id, codes[type_id]): Tally(*pair) for (unit_id, type_id), pair in counted.items() if type_id in codes}
    months, parts = month_split(session, campaign_id, start, end)
    counted = monthly_unit_counts(session, campaign_id=campaign_id, months=months, caps=caps, unit_ids=unit_ids)
    labels = {month: month.strftime("%Y-%m") for month in months}
    tallies = {
        (unit_id, labels[month], codes[type_id]): Tally(*pair)
        for (unit_id, month, type_id), pair in counted.items() if type_id in codes
    }
    return tallies | _cut_months(session, campaign_id=campaign_id, parts=parts, rules=rules, unit_ids=unit_ids)


@in_transaction
def unit_month_points(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    rules: ScoringRules,
    unit_ids: Sequence[int],
) -> dict[tuple[int, str], tuple[int, float]]:
    """(approved records, activity points) per (unit_id, 'YYYY-MM') over [start, end] under
    `rules`, capped per person per month: what unit_tallies(monthly=True) scored type by type
    gives, summed per unit and month. Without a cap per unit, the whole months are summed in SQL
    (a row per unit and month); a cap per unit applies type by type, so then each type is scored."""
    result: dict[tuple[int, str], tuple[int, float]] = {}

    score = type_scorer(rules)

    def add(tallies: dict[tuple, Tally]) -> None:
        for (unit_id, label, code), tally in tallies.items():
            line = score(code, tally.records, tally.person_capped)
            records, points = result.get((unit_id, label), (0, 0.0))
            result[(unit_id, label)] = (records + line.records, points + line.points)

    if rules.unit_caps:
        add(unit_tallies(session, campaign_id=campaign_id, start=start, end=end, rules=rules, unit_ids=unit_ids, monthly=True))
        return result
    codes = type_codes(session)
    months, parts = month_split(session, campaign_id, start, end)
    summed = monthly_unit_points(
        session, campaign_id=campaign_id, months=months, unit_ids=unit_ids, caps=_caps(codes, rules),
        points={type_id: rules.points.get(code, 0.0) for type_id, code in codes.items()},
    )
    result.update({(unit_id, month.strftime("%Y-%m")): pair for (unit_id, month), pair in summed.items()})
    add(_cut_months(session, campaign_id=campaign_id, parts=parts, rules=rules, unit_ids=unit_ids))
    return result


@in_transaction
def bonus_counts(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    by: str = "unit",
    where_unit: int | None = None,
) -> dict[str, dict[tuple, int]]:
    """Counts of the bonus events per key: featured study records (approved, by the day they
    were featured, in the office's zone), suggestions adopted in full or in part (by the day they
    were adopted, core.ledgers) and problems solved (by the day they were solved) within [start, end].

    `by` is "unit", "cadre", "branch" or "month" (month: per unit and month). Solved problems
    belong to units only.
    """
    featured = featured_notes(session, campaign_id=campaign_id, start=start, end=end, by=by, where_unit=where_unit)

    suggestion_key = {
        "unit": [Suggestion.unit_id],
        "cadre": [Suggestion.cadre_id],
        "branch": [Cadre.branch_id],
        "month": [Suggestion.unit_id],
    }[by]
    adopted_ledger, solved_ledger = BONUS_LEDGERS["adopted_suggestion"], BONUS_LEDGERS["solved_problem"]
    adopted_query = select(*suggestion_key).select_from(Suggestion).where(adopted_ledger.counts)
    if by in {"cadre", "branch"}:
        # An anonymous suggestion credits its unit only: a person's or a branch's bonus would name them.
        adopted_query = adopted_query.where(Suggestion.anonymous.is_(False))
    if by == "branch":
        adopted_query = adopted_query.join(Cadre, Cadre.id == Suggestion.cadre_id)
    if where_unit is not None:
        adopted_query = adopted_query.where(Suggestion.unit_id == where_unit)
    # Per unit, the whole months are read from bonus_month_tally; per person or branch, the ledger.
    per_unit = by in {"unit", "month"}
    adopted = _counted(
        session, adopted_query, suggestion_key, adopted_ledger.day, start, end, monthly=by == "month",
        tallied="adopted_suggestion" if per_unit else None, where_unit=where_unit,
    )

    solved: dict[tuple, int] = {}
    if per_unit:
        solved_query = select(Problem.unit_id).where(solved_ledger.counts)
        if where_unit is not None:
            solved_query = solved_query.where(Problem.unit_id == where_unit)
        solved = _counted(
            session, solved_query, [Problem.unit_id], solved_ledger.day, start, end, monthly=by == "month",
            tallied="solved_problem", where_unit=where_unit,
        )
    return {"featured_note": featured, "adopted_suggestion": adopted, "solved_problem": solved}


def _counted(
    session: Session, query: Select, key: list[ColumnElement], day: ColumnElement, start: dt.date, end: dt.date, *,
    monthly: bool, tallied: str | None, where_unit: int | None,
) -> dict[tuple, int]:
    """Counts of the rows of `query` (selecting `key`) whose `day` lies within [start, end], per
    key, or with `monthly` per (*key, 'YYYY-MM').

    `tallied` (key being the unit): the bonus kind whose months bonus_month_tally holds, so the
    months wholly inside the period are read from it (a row per unit and month, of the unit
    `where_unit` if given) and only the days of the months the period cuts from `query`, which
    must then select what the tally counts (db.summaries.BONUS_LEDGERS), of `where_unit` if
    given, and nothing narrower. Months of the ledger are counted one at a time, each a range of
    the index on the day: grouping by the month computed from every row's day took two to four
    times as long (60,000 solved problems: 56 ms against 15 on SQLite, 41 against 17 on PostgreSQL)."""
    parts = month_parts(start, end)
    whole = [first for _label, first, last in parts if tallied and _whole_month(first, last)]
    cut = [(label, first, last) for label, first, last in parts if first not in whole]
    if monthly:
        reads = [
            query.add_columns(literal(label).label("month"), func.count()).where(day.between(first, last)).group_by(*key)
            for label, first, last in cut
        ]
    else:  # the months a period cuts are its first and last (those between are whole), or the period itself
        ranges = [(first, last) for _label, first, last in cut] if whole else [(start, end)]
        within = [day.between(first, last) for first, last in ranges]
        reads = [query.add_columns(func.count()).where(or_(*within)).group_by(*key)] if within else []
    if whole:
        reads.append(_tallied_events(session, tallied, whole, where_unit, monthly=monthly))
    if not reads:
        return {}
    counts: dict[tuple, int] = {}
    for *found, count in session.execute(union_all(*reads)).all():
        if found[0] is not None:
            counts[tuple(found)] = counts.get(tuple(found), 0) + int(count)
    return counts


def _whole_month(first: dt.date, last: dt.date) -> bool:
    """[first, last] is a calendar month, every day of it."""
    return first.day == 1 and last == add_months(first, 1) - dt.timedelta(days=1)


def _tallied_events(session: Session, kind: str, months: list[dt.date], where_unit: int | None, *, monthly: bool) -> Select:
    """Rows (unit_id, count), or with `monthly` (unit_id, 'YYYY-MM', count), of the bonus events
    of `kind` in the whole `months` (first days), summed in SQL from bonus_month_tally."""
    tally = BonusMonthTally.__table__
    key = [tally.c.unit_id, month_of(session, tally.c.month)] if monthly else [tally.c.unit_id]
    query = select(*key, func.sum(tally.c.events)).where(tally.c.kind == kind, tally.c.month.in_(months))
    if where_unit is not None:
        query = query.where(tally.c.unit_id == where_unit)
    return query.group_by(*key)


@no_actor
def featured_records() -> LeftFirstJoin:
    """Study records joined to their records, the notes read first: with full statistics SQLite
    took the yes/no column `featured` for half the table and read every approved record to find
    the few featured notes (1.7 s for ~1,500 at 1,000,000 records, instead of 10 ms)."""
    return LeftFirstJoin(StudyRecord.__table__, ActivityRecord.__table__, ActivityRecord.id == StudyRecord.record_id)


@no_actor
def featured_within(query: Select, start: dt.date, end: dt.date) -> Select:
    """`query` (from featured_records()) kept to the notes featured on an office day within
    [start, end], found through the featured index: the bonus is dated by the featuring, not by
    the record (a note written in April and featured in May counts in May)."""
    return through_the_featured_index(query.where(
        StudyRecord.featured.is_(True),
        StudyRecord.featured_at >= office_to_utc(dt.datetime.combine(start, dt.time())),
        StudyRecord.featured_at < office_to_utc(dt.datetime.combine(end + dt.timedelta(days=1), dt.time())),
    ))


@no_actor
def through_the_featured_index(query: Select) -> Select:
    """`query` made to read study_record through ix_study_featured on SQLite (see featured_records)."""
    return query.with_hint(StudyRecord, "INDEXED BY ix_study_featured", dialect_name="sqlite")


@in_transaction
def featured_notes(
    session: Session, *, campaign_id: int, start: dt.date, end: dt.date, by: str, where_unit: int | None = None
) -> dict[tuple, int]:
    """Featured notes of approved records per key, dated by when they were featured: read from
    the featured index (ix_study_featured), a few rows. Per unit, person or branch they are
    counted in SQL; per month here, where the month of a UTC time is the office's month."""
    key = {"unit": ActivityRecord.unit_id, "cadre": ActivityRecord.cadre_id, "branch": ActivityRecord.branch_id,
           "month": ActivityRecord.unit_id}[by]
    query = (
        select(key, StudyRecord.featured_at if by == "month" else func.count())
        .select_from(featured_records())
        .where(ActivityRecord.campaign_id == campaign_id, ActivityRecord.status == RecordStatus.APPROVED)
    )
    query = featured_within(query, start, end)
    if where_unit is not None:
        query = query.where(ActivityRecord.unit_id == where_unit)
    if by != "month":
        return {(found,): count for found, count in session.execute(query.group_by(key)) if found is not None}
    zone = office_zone()
    counts: dict[tuple, int] = {}
    for unit_id, featured_at in session.execute(query):
        month = (unit_id, featured_at.replace(tzinfo=dt.UTC).astimezone(zone).strftime("%Y-%m"))
        counts[month] = counts.get(month, 0) + 1
    return counts


@in_transaction
def headcounts(session: Session, on: dt.date | None = None) -> dict[int, int]:
    """Active cadres per unit on the day `on` (a period's last day), from the membership history:
    a past period counts the people who were there then, not today's roster. None: today."""
    return headcounts_on(session, [on or office_today()])[on or office_today()]


@in_transaction
def headcounts_on(session: Session, days: Sequence[dt.date]) -> dict[dt.date, dict[int, int]]:
    """Headcounts per unit on each of `days` (a trend's month ends) from one query: memberships
    grouped by unit and span, so a unit whose people never moved is a single row."""
    spans = session.execute(
        select(CadreMembership.unit_id, CadreMembership.valid_from, CadreMembership.valid_to, func.count())
        .where(CadreMembership.active.is_(True), CadreMembership.valid_from <= max(days, default=dt.date.min))
        .group_by(CadreMembership.unit_id, CadreMembership.valid_from, CadreMembership.valid_to)
    ).all()
    result: dict[dt.date, dict[int, int]] = {day: {} for day in days}
    for unit_id, valid_from, valid_to, count in spans:
        for day, heads in result.items():
            if valid_from <= day and (valid_to is None or day < valid_to):
                heads[unit_id] = heads.get(unit_id, 0) + count
    return result


@in_transaction
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
    """A unit's progress on one of the campaign's mandatory targets: done (capped at required) of
    required, with the target's weight and due date (core.completion turns these into rates)."""

    code: str
    basis: str
    done: int
    required: int
    weight: float = 1.0
    due_on: dt.date | None = None
    target_id: int | None = None
    type_id: int | None = None

    @property
    def figure(self) -> TaskFigure:
        return TaskFigure(self.done, self.required, self.weight)


@no_actor
def unit_completion(tasks: Sequence[TaskProgress]) -> float | None:
    """The unit's completion from its tasks, by the one definition in core.completion."""
    return completion_of(task.figure for task in tasks)


def _done(
    session: Session, counted: Subquery, caps: dict[int, int], counting: type, counts: ColumnElement[bool]
) -> dict[tuple[int, int], int]:
    """{(unit_id, type_id): done}: the counts of `counted` (person_counts) of the people or
    branches that count (the `counting` rows joined on `counts`), each capped at its type's target."""
    query = (
        select(counted.c.unit_id, counted.c.type_id, _capped_sum(counted.c.n, caps, counted.c.type_id))
        .join(counting, counts)
        .group_by(counted.c.unit_id, counted.c.type_id)
    )
    return {(unit_id, type_id): int(n or 0) for unit_id, type_id, n in session.execute(query)}


def _capped(n: ColumnElement, caps: dict[int, int], type_column: ColumnElement) -> ColumnElement:
    """min(n, the cap of the row's type) in SQL: a person, branch or unit counts at most that many
    times (a scoring cap, or a mandatory target's count)."""
    return case(
        *[(type_column.in_(type_ids), case((n > cap, literal(cap)), else_=n)) for cap, type_ids in types_by_cap(caps).items()],
        else_=n,
    )


def _capped_sum(n: ColumnElement, caps: dict[int, int], type_column: ColumnElement) -> ColumnElement:
    return func.sum(_capped(n, caps, type_column))


@in_transaction
def cadre_points(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    rules: ScoringRules,
    where: Sequence[ColumnElement[bool]] = (),
) -> dict[int, tuple[int, float]]:
    """(approved records, points) per cadre over [start, end] under `rules`: what type_tallies by
    cadre scored type by type without unit caps (a person has none) gives, summed in SQL, so a
    people board ranks ten thousand people from a row each. As there, a type's capped count is
    multiplied by its points once, not row by row: with points of three decimals a product per
    unit would round a person who moved units differently from one who did not."""
    codes = type_codes(session)
    per_type = _tally_query(session, campaign_id, start, end, rules, codes, [ActivityRecord.cadre_id], where).subquery()
    worth = case(*[(per_type.c.type_id == type_id, rules.points.get(code, 0.0)) for type_id, code in codes.items()], else_=0.0)
    rows = session.execute(
        select(per_type.c.k0, func.sum(per_type.c.records), func.sum(per_type.c.counted * worth))
        .where(per_type.c.type_id.in_(list(codes)))
        .group_by(per_type.c.k0)
    )
    return {cadre_id: (int(records), float(points or 0.0)) for cadre_id, records, points in rows}


@in_transaction
def mandatory_progress(
    session: Session, campaign_id: int, end: dt.date, unit_ids: Sequence[int] | None = None,
    heads: dict[int, int] | None = None,
) -> dict[int, list[TaskProgress]]:
    """Each unit's progress on the campaign's targets (db.targets.campaign_targets), counting
    approved records from the campaign's start up to `end`.

    A target of `count` per principal, cadre or branch requires count × (active principals,
    cadres or branches); each one counts at most `count` times, so one overachiever cannot make
    up for a colleague who has not written their report. GROUP BY queries read the summaries:
    per person and per branch (db.summaries.person_counts), per unit (unit_type_totals).
    `heads`: headcounts(session, end), where the caller has them already.
    """
    targets = campaign_targets(session, campaign_id)
    # Every unit's counts are read without naming them: a list of 300 ids only slows the queries.
    in_units = [ActivityRecord.unit_id.in_(unit_ids)] if unit_ids is not None else []
    if unit_ids is None:
        unit_ids = session.scalars(select(Unit.id).where(Unit.active.is_(True))).all()
    result: dict[int, list[TaskProgress]] = {unit_id: [] for unit_id in unit_ids}
    if not targets or not unit_ids:
        return result
    heads = headcounts(session, end) if heads is None else heads
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
    caps = {target.type_id: max(target.count, 1) for target in targets}

    def types_of(*bases: str) -> list[int]:
        return sorted({target.type_id for target in targets if target.basis in bases})

    def counted(by: tuple[str, ...], type_ids: list[int]):  # noqa: ANN202 - a subquery
        return person_counts(
            session, campaign_id=campaign_id, start=None, end=end, by=by,
            where=[ActivityRecord.type_id.in_(type_ids), *in_units],
        )

    # Each count reads only the types of its own basis: a branch's tasks are few, everyone's many.
    by_person: dict[tuple[int, int], int] = {}
    for basis, who in ((TargetBasis.PER_CADRE, []), (TargetBasis.PER_PRINCIPAL, [Cadre.is_principal.is_(True)])):
        person_types = types_of(basis)
        if not person_types:
            continue
        per_person = counted(("unit_id", "type_id", "cadre_id"), person_types)
        # An active cadre counts for the unit they are in now; a principals' task counts
        # principals only, a condition on the cadre alone, so the few principals are picked first.
        counts_person = and_(Cadre.id == per_person.c.cadre_id, Cadre.active.is_(True), Cadre.unit_id == per_person.c.unit_id, *who)
        by_person |= _done(session, per_person, caps, Cadre, counts_person)
    by_branch: dict[tuple[int, int], int] = {}
    branch_types = types_of(TargetBasis.PER_BRANCH)
    if branch_types:
        per_branch = counted(("unit_id", "type_id", "branch_id"), branch_types)
        counts_branch = and_(
            Branch.id == per_branch.c.branch_id, Branch.unit_id == per_branch.c.unit_id,
            Branch.active.is_(True), Branch.kind == "branch",
        )
        by_branch = _done(session, per_branch, caps, Branch, counts_branch)
    by_unit = unit_type_totals(
        session, campaign_id=campaign_id, start=None, end=end, type_ids=types_of(TargetBasis.PER_UNIT),
        unit_ids=unit_ids if in_units else None,
    )
    for target in targets:
        count = max(target.count, 1)
        for unit_id in unit_ids:
            key = (unit_id, target.type_id)
            if target.basis == TargetBasis.PER_CADRE:
                need, done = heads.get(unit_id, 0) * count, by_person.get(key, 0)
            elif target.basis == TargetBasis.PER_PRINCIPAL:
                need, done = principals.get(unit_id, 0) * count, by_person.get(key, 0)
            elif target.basis == TargetBasis.PER_BRANCH:
                need, done = branches.get(unit_id, 0) * count, by_branch.get(key, 0)
            else:  # per_unit
                need, done = count, min(by_unit.get(key, 0), count)
            result[unit_id].append(
                TaskProgress(
                    code=target.type_code, basis=target.basis, done=min(done, need), required=need,
                    weight=target.weight, due_on=target.due_on, target_id=target.id, type_id=target.type_id,
                )
            )
    return result
