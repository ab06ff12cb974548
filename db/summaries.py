"""Summaries of the approved records, which the boards count instead of the records themselves.

record_day_tally holds the approved records per (campaign, day, unit, type, person, branch) and
record_person_tally the same over the whole campaign (no person / no branch is 0). Triggers on
activity_record (migration 0022_summaries, one set per dialect) keep both equal to a recount in
the same transaction as every write, so no code path can leave them stale; `rebuild` recounts
them from the records (`python -m manage rebuild-summaries`, which recounts every summary below).

A period's count per person is read from whichever side is smaller: the days inside the period,
or the whole campaign (minus the days outside it, if any). A whole-campaign board therefore reads one row
per person and type, and a week reads a week of days, both exact, so the per-person caps stay
exact for any period.

Boards of units read less still (migration 0025_month_tally): min(n, cap) = n - max(n - cap, 0),
so a unit's capped count over a month, a quarter or the whole campaign (and month by month, for
the trends) is its total from record_unit_month_tally minus the excess of the few people over
the cap in that period, whom an index on the count of the per-person summary of the period
(record_cadre_month_tally, _quarter_tally, record_cadre_tally) finds without reading everyone.
The whole campaign's totals per unit and type are kept whole as well (record_unit_tally,
migration 0026_unit_tally), so a whole-campaign board sums one row per unit and type.

The books page reads record_book_tally (migration 0027_book_tally): the approved study records
and their likes per (campaign, book, kind, person), kept by triggers on the records and on the
study records, and recounted from both.

The boards' bonuses for adopted suggestions and solved problems read bonus_month_tally (migration
0028_bonus_tally): those events per (kind, month, unit), kept by triggers on the two ledgers and
recounted from them; only the days of a month that a period cuts are read from the ledgers.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Engine,
    Select,
    String,
    Subquery,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import replacement_traverse

from core.enums import RecordStatus
from core.ledgers import BONUS_STATUSES
from core.periods import add_months
from core.scoring import types_by_cap
from db.access import in_transaction, no_actor
from db.engine import write_session
from db.models import (
    ActivityRecord,
    BonusMonthTally,
    Problem,
    RecordBookTally,
    RecordCadreMonthTally,
    RecordCadreQuarterTally,
    RecordCadreTally,
    RecordDayTally,
    RecordPersonTally,
    RecordUnitMonthTally,
    RecordUnitTally,
    StudyRecord,
    Suggestion,
)

DAY = RecordDayTally.__table__
PERSON = RecordPersonTally.__table__
UNIT_MONTH = RecordUnitMonthTally.__table__
UNIT = RecordUnitTally.__table__
CADRE_MONTH = RecordCadreMonthTally.__table__
CADRE_QUARTER = RecordCadreQuarterTally.__table__
CADRE = RecordCadreTally.__table__
SUMMARIES = (
    RecordDayTally, RecordPersonTally, RecordUnitMonthTally, RecordUnitTally, RecordCadreMonthTally, RecordCadreQuarterTally,
    RecordCadreTally, RecordBookTally, BonusMonthTally,
)
# The index on the count of each per-person summary: the people over a cap, one range per type.
COUNT_INDEXES = {
    CADRE_MONTH.name: "ix_cadre_month_tally_count",
    CADRE_QUARTER.name: "ix_cadre_quarter_tally_count",
    CADRE.name: "ix_cadre_tally_count",
}
# Records naming no person or branch are kept under 0; the records' NULL is given back on reading.
NO_ID = 0
_OPTIONAL = {"cadre_id", "branch_id"}


class BonusLedger(NamedTuple):
    """A ledger whose rows are bonus events for their unit: its model, the column dating each
    event, and when a row counts (core.ledgers sets the day exactly then)."""

    model: type
    day: ColumnElement
    counts: ColumnElement[bool]


# What bonus_month_tally counts per kind: its recount and the boards' reads of the ledgers (the
# days of the months a period cuts) use these; the triggers of 0028_bonus_tally say the same in SQL.
BONUS_LEDGERS = {
    "adopted_suggestion": BonusLedger(
        Suggestion, Suggestion.adopted_on, and_(Suggestion.status.in_(BONUS_STATUSES), Suggestion.adopted_on.is_not(None))
    ),
    "solved_problem": BonusLedger(Problem, Problem.solved_on, Problem.solved_on.is_not(None)),
}

# The complement (whole campaign minus the days outside) is read once the period holds more
# than this share of the campaign's days: it reads every person row, the days read every day row.
COMPLEMENT_SHARE = 2 / 3


class month_start(FunctionElement):  # noqa: N801 - named as the SQL function it stands for
    """The first day of a date's month, in the database's dialect (as the triggers of
    0025_month_tally compute it)."""

    type = Date()
    inherit_cache = True


class quarter_start(FunctionElement):  # noqa: N801 - named as the SQL function it stands for
    """The first day of a date's quarter, in the database's dialect (0025_month_tally)."""

    type = Date()
    inherit_cache = True


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001 - SQLAlchemy's compiler hook
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_postgresql(element, compiler, **kw) -> str:  # noqa: ANN001 - SQLAlchemy's compiler hook
    return f"CAST(date_trunc('month', CAST({compiler.process(element.clauses, **kw)} AS TIMESTAMP)) AS DATE)"


@compiles(quarter_start, "sqlite")
def _quarter_start_sqlite(element, compiler, **kw) -> str:  # noqa: ANN001 - SQLAlchemy's compiler hook
    day = compiler.process(element.clauses, **kw)
    return f"date({day}, 'start of month', printf('-%d months', (CAST(strftime('%m', {day}) AS INTEGER) - 1) % 3))"


@compiles(quarter_start, "postgresql")
def _quarter_start_postgresql(element, compiler, **kw) -> str:  # noqa: ANN001 - SQLAlchemy's compiler hook
    return f"CAST(date_trunc('quarter', CAST({compiler.process(element.clauses, **kw)} AS TIMESTAMP)) AS DATE)"


def _recounted(name: str) -> ColumnElement:
    """A summary key column, computed from activity_record."""
    if name in {"month", "quarter"}:
        start_of = month_start if name == "month" else quarter_start
        return start_of(ActivityRecord.__table__.c.occurred_on)
    column = ActivityRecord.__table__.c[name]
    return func.coalesce(column, NO_ID) if name in _OPTIONAL else column


@no_actor
def recount(table: type) -> Select:
    """The rows the summary `table` must hold, in its columns' order, counted from the approved
    records (and the study records), or for bonus_month_tally from the suggestion and problem ledgers."""
    if table is RecordBookTally:
        return _book_recount()
    if table is BonusMonthTally:
        return _bonus_recount()
    key = [column.name for column in table.__table__.primary_key.columns]
    selected = [_recounted(name) for name in key]
    return (
        select(*selected, func.count().label("records"))
        .where(ActivityRecord.status == RecordStatus.APPROVED)
        .group_by(*selected)
    )


def _book_recount() -> Select:
    key = [ActivityRecord.campaign_id, StudyRecord.book_id, StudyRecord.kind, _recounted("cadre_id")]
    return (
        select(*key, func.count().label("records"), func.sum(StudyRecord.like_count).label("likes"))
        .join(ActivityRecord, ActivityRecord.id == StudyRecord.record_id)
        .where(ActivityRecord.status == RecordStatus.APPROVED, StudyRecord.book_id.is_not(None))
        .group_by(*key)
    )


def _bonus_recount() -> Select:
    """The bonus events per (kind, month, unit), counted from the ledgers as 0028_bonus_tally does."""

    def events(kind: str, ledger: BonusLedger) -> Select:
        month = month_start(ledger.day)
        return (
            select(literal(kind, String).label("kind"), month.label("month"), ledger.model.unit_id, func.count().label("events"))
            .where(ledger.counts)
            .group_by(month, ledger.model.unit_id)
        )

    return union_all(*(events(kind, ledger) for kind, ledger in BONUS_LEDGERS.items()))


@no_actor
def rebuild(engine: Engine | None = None) -> dict[str, int]:
    """Recount every summary (SUMMARIES) from the records and ledgers in one transaction; the rows
    each now holds."""
    written: dict[str, int] = {}
    with write_session(engine) as session:
        if session.get_bind().dialect.name == "postgresql":
            # Writers wait until the recount commits; readers go on. (SQLite's write lock,
            # taken by write_session, already does this.)
            session.execute(text("LOCK TABLE activity_record, study_record, suggestion, problem IN SHARE MODE"))
        for table in SUMMARIES:
            session.execute(delete(table))
            columns = [column.name for column in table.__table__.columns]
            session.execute(insert(table.__table__).from_select(columns, recount(table)))
            written[table.__tablename__] = session.scalar(select(func.count()).select_from(table))
    return written


def _on(table, expression: ColumnElement) -> ColumnElement:  # noqa: ANN001 - a summary Table
    """`expression` over activity_record's columns, rewritten over the summary `table`'s.
    Raises KeyError for a column the table does not have (occurred_on in the whole-campaign one)."""

    def replace(element):  # noqa: ANN001, ANN202 - SQLAlchemy visitor
        if getattr(element, "table", None) is not ActivityRecord.__table__:
            return None
        column = table.c[element.name]
        return func.nullif(column, NO_ID) if element.name in _OPTIONAL else column

    clause = expression.__clause_element__() if hasattr(expression, "__clause_element__") else expression
    return replacement_traverse(clause, {}, replace)


def _span(session: Session, campaign_id: int) -> tuple[dt.date, dt.date] | None:
    """The first and last day with an approved record (two index seeks, one statement)."""
    in_campaign = DAY.c.campaign_id == campaign_id
    first, last = session.execute(
        select(
            select(func.min(DAY.c.occurred_on)).where(in_campaign).scalar_subquery(),
            select(func.max(DAY.c.occurred_on)).where(in_campaign).scalar_subquery(),
        )
    ).one()
    return (first, last) if first is not None else None


def _strategy(span: tuple[dt.date, dt.date] | None, start: dt.date | None, end: dt.date) -> str:
    """"days" (the days inside the period), "whole" (the whole campaign: no day falls outside the
    period) or "complement" (the whole campaign minus the days outside)."""
    if span is None:
        return "days"
    first, last = span
    if (start is None or start <= first) and last <= end:
        return "whole"
    inside = (min(end, last) - max(start or first, first)).days + 1
    return "complement" if inside > COMPLEMENT_SHARE * ((last - first).days + 1) else "days"


@in_transaction
def person_counts(
    session: Session,
    *,
    campaign_id: int,
    start: dt.date | None,
    end: dt.date,
    keys: Sequence[ColumnElement] = (),
    where: Sequence[ColumnElement[bool]] = (),
    by: Sequence[str] = ("unit_id", "type_id", "cadre_id"),
) -> Subquery:
    """Approved records of a campaign dated within [start, end] (no start: from the first),
    counted per (*keys, *by): columns k0, k1 ... for `keys`, the `by` columns as stored (0 for no
    person or branch) and n. `keys` and `where` are written over activity_record's columns, as
    for the records themselves."""
    # A key that is one of the `by` columns is read from it, not grouped twice: grouping by the
    # summaries' key columns alone lets the database read a whole campaign in index order.
    shared = {index: _record_column(key) for index, key in enumerate(keys) if _record_column(key) in by}
    own = {index: key for index, key in enumerate(keys) if index not in shared}
    strategy = _strategy(_span(session, campaign_id), start, end)
    whole, whole_table = _whole_campaign(campaign_id, own, where, by) if strategy != "days" else (None, None)
    if whole is None:  # a key by day (a month) needs the days
        strategy = "days"
    if strategy == "whole":
        counted = whole.subquery()
    elif strategy == "days":
        inside = [DAY.c.occurred_on <= end] + ([DAY.c.occurred_on >= start] if start is not None else [])
        counted = _part(DAY, campaign_id, own, where, by, DAY.c.records).where(*inside).subquery()
    else:
        outside = [DAY.c.occurred_on > end] + ([DAY.c.occurred_on < start] if start is not None else [])
        days_outside = _part(DAY, campaign_id, own, where, by, -DAY.c.records).where(or_(*outside))
        counted = union_all(whole, days_outside).subquery()
    grouped = [counted.c[name] for name in by] + [counted.c[f"k{index}"] for index in own]
    labelled = [
        (func.nullif(counted.c[shared[index]], NO_ID) if shared[index] in _OPTIONAL else counted.c[shared[index]]).label(f"k{index}")
        if index in shared else counted.c[f"k{index}"]
        for index in range(len(keys))
    ]
    if strategy == "whole" and not own and _key_of(whole_table) == set(by):
        # One row per key already, none at 0 (the triggers delete those): nothing to regroup.
        return select(*labelled, *(counted.c[name] for name in by), counted.c.n).subquery()
    return (
        select(*labelled, *(counted.c[name] for name in by), func.sum(counted.c.n).label("n"))
        .group_by(*grouped)
        .having(func.sum(counted.c.n) > 0)
        .subquery()
    )


def _key_of(table: Table) -> set[str]:
    """The key columns of a summary, less the campaign: within one campaign, one row per such key."""
    return {column.name for column in table.primary_key.columns} - {"campaign_id"}


def _whole_campaign(
    campaign_id: int, keys: dict[int, ColumnElement], where, by  # noqa: ANN001
) -> tuple[Select, Table] | tuple[None, None]:
    """The whole campaign's counts from the smaller summary that has every column asked for:
    per person (record_cadre_tally), or per person and branch (record_person_tally), and that
    summary; None if neither has them."""
    for table in (CADRE, PERSON):
        try:
            return _part(table, campaign_id, keys, where, by, table.c.records), table
        except KeyError:
            continue
    return None, None


def _record_column(key: ColumnElement) -> str | None:
    """The name of the activity_record column `key` is, if it is one."""
    clause = key.__clause_element__() if hasattr(key, "__clause_element__") else key
    return clause.name if getattr(clause, "table", None) is ActivityRecord.__table__ else None


def _part(table, campaign_id: int, keys: dict[int, ColumnElement], where, by, n: ColumnElement) -> Select:  # noqa: ANN001
    return select(
        *(_on(table, key).label(f"k{index}") for index, key in keys.items()),
        *(table.c[name] for name in by),
        n.label("n"),
    ).where(table.c.campaign_id == campaign_id, *(_on(table, condition) for condition in where))


def _quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of `day`'s quarter."""
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, add_months(first, 3) - dt.timedelta(days=1)


@in_transaction
def month_split(session: Session, campaign_id: int, start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """The months of [start, end] as (the first days of those whose every approved record lies
    inside the period, the parts of the others that lie inside it). Months outside the span from
    the first to the last approved day are in neither."""
    return _month_split(_span(session, campaign_id), start, end)


def _month_split(
    span: tuple[dt.date, dt.date] | None, start: dt.date, end: dt.date
) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    if span is None:
        return [], []
    first, last = span
    whole, parts = [], []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        following = add_months(month, 1)
        data_from, data_to = max(month, first), min(following - dt.timedelta(days=1), last)
        if data_from <= data_to:
            if start <= data_from and data_to <= end:
                whole.append(month)
            else:
                parts.append((max(start, month), min(end, following - dt.timedelta(days=1))))
        month = following
    return whole, parts


@in_transaction
def period_unit_counts(
    session: Session, *, campaign_id: int, start: dt.date, end: dt.date, caps: Mapping[int, int],
    unit_ids: Sequence[int] | None,
) -> dict[tuple[int, int], tuple[int, int]] | None:
    """(records, after the per-person cap caps[type_id]) per (unit_id, type_id) for a period whose
    approved records are exactly those of one month, one quarter or the whole campaign (whatever
    days without records it spans besides); nothing if there are no approved records; None for
    any other period."""
    span = _span(session, campaign_id)
    if span is None:
        return {}
    months, parts = _month_split(span, start, end)
    if parts:
        return None
    if not months:
        return {}
    first, last = span
    quarter_first, quarter_last = _quarter_of(months[0])
    totals = _month_totals(months)
    if _strategy(span, start, end) == "whole":
        totals, people, where = _Totals(UNIT, []), CADRE, []
    elif len(months) == 1:
        people, where = CADRE_MONTH, [CADRE_MONTH.c.month == months[0]]
    elif start <= max(quarter_first, first) and min(quarter_last, last) <= end and months[-1] <= quarter_last:
        people, where = CADRE_QUARTER, [CADRE_QUARTER.c.quarter == quarter_first]
    else:
        return None
    return _capped(session, campaign_id, totals, ("unit_id", "type_id"), people, where, caps, unit_ids)


@in_transaction
def unit_type_totals(
    session: Session, *, campaign_id: int, start: dt.date | None, end: dt.date, type_ids: Sequence[int],
    unit_ids: Sequence[int] | None,
) -> dict[tuple[int, int], int]:
    """Approved records per (unit_id, type_id) dated within [start, end] (no start: from the
    first), uncapped: the whole campaign from record_unit_tally, else the whole months from
    record_unit_month_tally and the days of the months the period cuts from record_day_tally."""
    span = _span(session, campaign_id)
    if span is None or not type_ids:
        return {}
    if _strategy(span, start, end) == "whole":
        whole = select(UNIT.c.unit_id, UNIT.c.type_id, UNIT.c.records).where(
            UNIT.c.campaign_id == campaign_id, UNIT.c.type_id.in_(type_ids),
            *([UNIT.c.unit_id.in_(unit_ids)] if unit_ids is not None else []),
        )
        return {(unit_id, type_id): records for unit_id, type_id, records in session.execute(whole)}
    months, parts = _month_split(span, start or span[0], end)
    reads = []
    if months:
        reads.append(select(UNIT_MONTH.c.unit_id, UNIT_MONTH.c.type_id, UNIT_MONTH.c.records).where(
            UNIT_MONTH.c.campaign_id == campaign_id, UNIT_MONTH.c.month.in_(months), UNIT_MONTH.c.type_id.in_(type_ids),
            *([UNIT_MONTH.c.unit_id.in_(unit_ids)] if unit_ids is not None else []),
        ))
    for part_start, part_end in parts:
        reads.append(select(DAY.c.unit_id, DAY.c.type_id, DAY.c.records).where(
            DAY.c.campaign_id == campaign_id, DAY.c.occurred_on.between(part_start, part_end), DAY.c.type_id.in_(type_ids),
            *([DAY.c.unit_id.in_(unit_ids)] if unit_ids is not None else []),
        ))
    if not reads:
        return {}
    counted = union_all(*reads).subquery()
    rows = session.execute(
        select(counted.c.unit_id, counted.c.type_id, func.sum(counted.c.records)).group_by(counted.c.unit_id, counted.c.type_id)
    )
    return {(unit_id, type_id): int(total) for unit_id, type_id, total in rows}


@in_transaction
def monthly_unit_counts(
    session: Session, *, campaign_id: int, months: Sequence[dt.date], caps: Mapping[int, int], unit_ids: Sequence[int] | None,
) -> dict[tuple[int, dt.date, int], tuple[int, int]]:
    """(records, after the per-person monthly cap caps[type_id]) per (unit_id, month, type_id)
    over whole `months` (first days, as month_split gives them)."""
    if not months:
        return {}
    key = ("unit_id", "month", "type_id")
    return _capped(session, campaign_id, _month_totals(months), key, CADRE_MONTH, [CADRE_MONTH.c.month.in_(months)], caps, unit_ids)


@in_transaction
def monthly_unit_points(
    session: Session, *, campaign_id: int, months: Sequence[dt.date], caps: Mapping[int, int],
    points: Mapping[int, float], unit_ids: Sequence[int] | None,
) -> dict[tuple[int, dt.date], tuple[int, float]]:
    """(records, points after the per-person monthly cap) per (unit_id, month) over whole
    `months`, each record worth points[type_id]: summed in SQL, a row per unit and month, for
    rules without a cap per unit (that cap applies type by type)."""
    if not months:
        return {}
    key = ("unit_id", "month")
    return _capped(
        session, campaign_id, _month_totals(months), key, CADRE_MONTH, [CADRE_MONTH.c.month.in_(months)], caps, unit_ids, points
    )


@dataclass(frozen=True)
class _Totals:
    """Where a capped count reads its totals: a per-unit summary and the rows of it to sum."""

    table: Table
    where: list[ColumnElement[bool]]


def _month_totals(months: Sequence[dt.date]) -> _Totals:
    return _Totals(UNIT_MONTH, [UNIT_MONTH.c.month.in_(months)])


def _capped(
    session: Session, campaign_id: int, totals_from: _Totals, key: Sequence[str], people: Table,
    people_where: Sequence[ColumnElement[bool]], caps: Mapping[int, int], unit_ids: Sequence[int] | None,
    worth: Mapping[int, float] | None = None,
) -> dict[tuple, tuple[int, Any]]:
    """Per `key` (column names, unit first): (records, the records — or with `worth` their
    points, worth[type_id] each — after the per-person cap). The total comes from the per-unit
    summary `totals_from`, less what the rows of the per-person summary `people` (matching
    `people_where`) hold beyond their type's cap, summed per key and type through its index on
    the count."""
    units = totals_from.table
    columns = [units.c[name] for name in key]
    value = units.c.records
    if worth is not None:
        value = value * case(*[(units.c.type_id == type_id, each) for type_id, each in worth.items()], else_=0.0)
    if _key_of(units) == set(key):  # one row per key already: read as stored, not regrouped
        totals = select(*columns, units.c.records, value)
    else:
        totals = select(*columns, func.sum(units.c.records), func.sum(value)).group_by(*columns)
    totals = totals.where(units.c.campaign_id == campaign_id, *totals_from.where)
    by_type = "type_id" in key  # the excess is summed per key and type
    grouped = [people.c[name] for name in key] + ([] if by_type else [people.c.type_id])
    over = select(*grouped, func.sum(people.c.records), func.count()).where(
        people.c.campaign_id == campaign_id, *people_where
    ).group_by(*grouped)
    # Without the hint SQLite groups in key order, reading every person instead of the few over the cap.
    over = over.with_hint(people, f"INDEXED BY {COUNT_INDEXES[people.name]}", dialect_name="sqlite")
    if unit_ids is not None:
        totals = totals.where(units.c.unit_id.in_(unit_ids))
        over = over.where(people.c.unit_id.in_(unit_ids))
    width = len(key)
    kind = int if worth is None else float
    counted = {tuple(row[:width]): [int(row[width]), kind(row[width + 1] or 0)] for row in session.execute(totals).all()}
    for cap, type_ids in types_by_cap(caps).items():
        for row in session.execute(over.where(people.c.type_id.in_(type_ids), people.c.records > cap)).all():
            type_id = row[key.index("type_id")] if by_type else row[width]
            records, persons = row[-2:]
            excess = int(records) - cap * int(persons)
            # a person's unit, month and type always have a total
            counted[tuple(row[:width])][1] -= excess * (1 if worth is None else worth.get(type_id, 0.0))
    return {found: (records, value) for found, (records, value) in counted.items()}
