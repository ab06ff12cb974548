"""The summaries of approved records (db/summaries.py) always equal a recount from the records,
whatever writes them, and the boards read from them give the figures a count over the raw records
gives. The raw-record queries the boards used before the summaries are kept here as the oracle.
"""
from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import ColumnElement, and_, case, delete, func, insert, literal, or_, select, update

from core.clock import office_to_utc, office_today
from core.enums import RecordStatus, TargetBasis
from core.periods import period_range
from core.scoring import ScoringRules, type_scorer
from db import board_queries as q
from db.board_queries import Tally, TaskProgress, headcounts, month_of, type_codes
from db.boards import group_trend, published_rules, unit_board
from db.engine import read_session, write_session
from db.models import (
    ActivityRecord,
    ActivityType,
    BonusMonthTally,
    Book,
    Branch,
    Cadre,
    Campaign,
    ComparisonGroup,
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
    Unit,
)
from db.people_boards import branch_board, people_board
from db.summaries import SUMMARIES, rebuild, recount, unit_type_totals
from db.targets import campaign_targets
from manage.__main__ import main as manage
from tests.db.world import build_world

STATUSES = list(RecordStatus)  # deleted last
WRITES = (
    "import", "approve", "return", "edit", "delete", "restore", "bulk_approve", "bulk_edit", "purge",
    # the study records (notes, recommendations) the books page's summary counts with their likes
    "study", "like", "bulk_like", "rebook", "unstudy",
    "move",  # a record moved to the other campaign
)
STUDY_KINDS = ("note", "recommendation", "study_day")
# The writes of the ledgers whose adopted suggestions and solved problems are the boards' bonuses.
LEDGER_WRITES = (
    "suggest", "decide", "redate", "reassign", "withdraw", "bulk_decide", "undate",
    "report", "solve", "reopen", "bulk_solve", "drop",
    "purge_record",  # a record with its suggestion (removed with it) and its problem (kept, unlinked)
)


# --- the oracle: the boards' queries over the raw records, as they were before the summaries ---


def raw_type_tallies(session, *, campaign_id, start, end, rules, keys, where=()) -> dict[tuple, Tally]:  # noqa: ANN001
    codes = type_codes(session)
    labelled = [key.label(f"k{index}") for index, key in enumerate(keys)]
    inner = (
        select(*labelled, ActivityRecord.type_id, func.count().label("n"))
        .where(ActivityRecord.campaign_id == campaign_id, ActivityRecord.status == RecordStatus.APPROVED,
               ActivityRecord.occurred_on.between(start, end), *where)
        .group_by(*keys, ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id)
        .subquery()
    )
    capped = case(
        *[(inner.c.type_id == type_id, case((inner.c.n > rules.cap_for(code), literal(rules.cap_for(code))), else_=inner.c.n))
          for type_id, code in codes.items()],
        else_=inner.c.n,
    )
    key_columns = [inner.c[f"k{index}"] for index in range(len(keys))]
    rows = session.execute(
        select(*key_columns, inner.c.type_id, func.sum(inner.c.n), func.sum(capped)).group_by(*key_columns, inner.c.type_id)
    ).all()
    return {(*row[: len(keys)], codes[row[len(keys)]]): Tally(int(row[-2]), int(row[-1])) for row in rows}


def raw_unit_tallies(session, *, campaign_id, start, end, rules, unit_ids, monthly) -> dict[tuple, Tally]:  # noqa: ANN001
    keys = [ActivityRecord.unit_id, *([month_of(session, ActivityRecord.occurred_on)] if monthly else [])]
    where = [ActivityRecord.unit_id.in_(unit_ids)] if unit_ids is not None else []
    return raw_type_tallies(session, campaign_id=campaign_id, start=start, end=end, rules=rules, keys=keys, where=where)


def raw_unit_month_points(session, *, campaign_id, start, end, rules, unit_ids) -> dict[tuple, tuple[int, float]]:  # noqa: ANN001
    result: dict[tuple, tuple[int, float]] = {}
    tallies = raw_unit_tallies(session, campaign_id=campaign_id, start=start, end=end, rules=rules, unit_ids=unit_ids, monthly=True)
    for (unit_id, label, code), tally in tallies.items():
        line = type_scorer(rules)(code, tally.records, tally.person_capped)
        records, points = result.get((unit_id, label), (0, 0.0))
        result[(unit_id, label)] = (records + line.records, points + line.points)
    return result


def raw_mandatory_progress(session, campaign_id, end, unit_ids=None, _heads=None) -> dict[int, list[TaskProgress]]:  # noqa: ANN001
    """mandatory_progress counted from the records; the caller's headcounts are counted again here."""
    targets = campaign_targets(session, campaign_id)
    if unit_ids is None:
        unit_ids = session.scalars(select(Unit.id).where(Unit.active.is_(True))).all()
    result = {unit_id: [] for unit_id in unit_ids}
    if not targets or not unit_ids:
        return result
    heads = headcounts(session, end)
    principals = dict(session.execute(
        select(Cadre.unit_id, func.count()).where(Cadre.active.is_(True), Cadre.is_principal.is_(True)).group_by(Cadre.unit_id)
    ).all())
    branches = dict(session.execute(
        select(Branch.unit_id, func.count()).where(Branch.active.is_(True), Branch.kind == "branch").group_by(Branch.unit_id)
    ).all())
    approved = and_(
        ActivityRecord.campaign_id == campaign_id, ActivityRecord.status == RecordStatus.APPROVED,
        ActivityRecord.type_id.in_([t.type_id for t in targets]), ActivityRecord.occurred_on <= end,
        ActivityRecord.unit_id.in_(unit_ids),
    )
    caps = {t.type_id: max(t.count, 1) for t in targets}
    principal_types = [t.type_id for t in targets if t.basis == TargetBasis.PER_PRINCIPAL]

    def capped_sum(n: ColumnElement, type_column: ColumnElement) -> ColumnElement:
        return func.sum(case(*[(type_column == type_id, case((n > cap, literal(cap)), else_=n)) for type_id, cap in caps.items()], else_=n))

    per_person = (
        select(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id, func.count().label("n"))
        .where(approved, ActivityRecord.cadre_id.is_not(None))
        .group_by(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id).subquery()
    )
    people_done = session.execute(
        select(per_person.c.unit_id, per_person.c.type_id, capped_sum(per_person.c.n, per_person.c.type_id))
        .join(Cadre, and_(Cadre.id == per_person.c.cadre_id, Cadre.active.is_(True), Cadre.unit_id == per_person.c.unit_id,
                          or_(Cadre.is_principal.is_(True), per_person.c.type_id.not_in(principal_types))))
        .group_by(per_person.c.unit_id, per_person.c.type_id)
    ).all()
    per_branch = (
        select(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.branch_id, func.count().label("n"))
        .where(approved, ActivityRecord.branch_id.is_not(None))
        .group_by(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.branch_id).subquery()
    )
    branches_done = session.execute(
        select(per_branch.c.unit_id, per_branch.c.type_id, capped_sum(per_branch.c.n, per_branch.c.type_id))
        .join(Branch, and_(Branch.id == per_branch.c.branch_id, Branch.unit_id == per_branch.c.unit_id,
                           Branch.active.is_(True), Branch.kind == "branch"))
        .group_by(per_branch.c.unit_id, per_branch.c.type_id)
    ).all()
    units_done = session.execute(
        select(ActivityRecord.unit_id, ActivityRecord.type_id, func.count()).where(approved)
        .group_by(ActivityRecord.unit_id, ActivityRecord.type_id)
    ).all()
    by_person = {(u, t): int(n or 0) for u, t, n in people_done}
    by_branch = {(u, t): int(n or 0) for u, t, n in branches_done}
    by_unit = {(u, t): int(n or 0) for u, t, n in units_done}
    for target in targets:
        count = max(target.count, 1)
        for unit_id in unit_ids:
            key = (unit_id, target.type_id)
            need, done = {
                TargetBasis.PER_CADRE: (heads.get(unit_id, 0) * count, by_person.get(key, 0)),
                TargetBasis.PER_PRINCIPAL: (principals.get(unit_id, 0) * count, by_person.get(key, 0)),
                TargetBasis.PER_BRANCH: (branches.get(unit_id, 0) * count, by_branch.get(key, 0)),
            }.get(target.basis, (count, min(by_unit.get(key, 0), count)))
            result[unit_id].append(TaskProgress(
                code=target.type_code, basis=target.basis, done=min(done, need), required=need, weight=target.weight,
                due_on=target.due_on, target_id=target.id, type_id=target.type_id,
            ))
    return result


# --- the summaries equal a recount, whatever writes the records ---


def _summaries_and_recounts(engine) -> list[tuple[list, list]]:  # noqa: ANN001
    with read_session(engine) as session:
        return [
            (sorted(tuple(row) for row in session.execute(select(table.__table__)).all()),
             sorted(tuple(row) for row in session.execute(recount(table)).all()))
            for table in SUMMARIES
        ]


def _assert_summaries_equal_a_recount(engine) -> None:  # noqa: ANN001
    for kept, counted in _summaries_and_recounts(engine):
        assert kept == counted


@pytest.fixture(scope="module")
def small_world(tmp_path_factory):
    """A campaign of four units with a few records, shared by the examples of the random writes."""
    from db.bootstrap import ensure_base_data
    from db.engine import get_engine
    from tests.conftest import _new_database_url

    engine = get_engine(_new_database_url())
    ensure_base_data(engine)
    world = build_world(engine)
    with write_session(engine) as session:
        session.execute(insert(Book), [{"title": title, "author": "作者"} for title in ("红岩", "乡土中国", "平凡的世界")])
        session.add(Campaign(code="t2", name_zh="另一活动", name_en="Another", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)))
    with read_session(engine) as session:
        types = session.scalars(select(ActivityType.id).order_by(ActivityType.id).limit(4)).all()
    yield engine, world, types
    engine.dispose()


def _random_record(rng: random.Random, world, types: list[int]) -> dict:  # noqa: ANN001
    unit = rng.choice(sorted(world.units))
    status = rng.choice(STATUSES)
    return {
        "campaign_id": world.campaign_id, "unit_id": world.units[unit], "type_id": rng.choice(types), "title": "t",
        "occurred_on": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 365, 17)), "status": status,
        "deleted_from": rng.choice(STATUSES[:-1]) if status == RecordStatus.DELETED else None,
        "cadre_id": rng.choice([None, *(world.cadres[c] for c in world.cadres if c.startswith(unit.lower()))]),
        "branch_id": rng.choice([None, *(world.branches[b] for b in world.branches if b.startswith(unit.lower()))]),
        "details": {}, "version": 1,
    }


def _write(engine, world, types: list[int], kind: str, seed: int) -> None:  # noqa: ANN001
    """One write of `kind` on records picked by `seed`: through the ORM (one record at a time, as
    the forms and the review do) or as a bulk statement (as imports and bulk actions do)."""
    rng = random.Random(seed)
    with write_session(engine) as session:
        records = session.scalars(select(ActivityRecord).order_by(ActivityRecord.id)).all()
        if kind == "import" or not records:
            session.execute(insert(ActivityRecord), [_random_record(rng, world, types) for _ in range(rng.randint(1, 6))])
            return
        record = rng.choice(records)
        if kind == "approve" and record.status != RecordStatus.DELETED:
            record.status = RecordStatus.APPROVED
        elif kind == "return" and record.status in {RecordStatus.APPROVED, RecordStatus.PENDING}:
            record.status = RecordStatus.RETURNED
        elif kind == "edit":
            other = _random_record(rng, world, types)
            for column in rng.sample(["occurred_on", "type_id", "cadre_id", "branch_id", "unit_id"], rng.randint(1, 3)):
                setattr(record, column, other[column])
        elif kind == "delete" and record.status != RecordStatus.DELETED:
            record.deleted_from, record.status = record.status, RecordStatus.DELETED
        elif kind == "restore" and record.status == RecordStatus.DELETED:
            record.status, record.deleted_from = record.deleted_from, None
        elif kind == "bulk_approve":
            session.execute(
                update(ActivityRecord)
                .where(ActivityRecord.unit_id == record.unit_id, ActivityRecord.status.in_([RecordStatus.PENDING, RecordStatus.DRAFT]))
                .values(status=RecordStatus.APPROVED)
            )
        elif kind == "bulk_edit":
            session.execute(
                update(ActivityRecord).where(ActivityRecord.type_id == record.type_id)
                .values(occurred_on=record.occurred_on, cadre_id=None)
            )
        elif kind == "purge":
            session.execute(delete(ActivityRecord).where(ActivityRecord.id == record.id))
        elif kind == "move":
            record.campaign_id = session.scalar(select(Campaign.id).where(Campaign.id != record.campaign_id).limit(1))
        else:
            _write_study(session, rng, kind, records)


def _write_study(session, rng: random.Random, kind: str, records: list[ActivityRecord]) -> None:  # noqa: ANN001
    """One write of `kind` on the study records: a note or recommendation written for a record
    (with a book or none), liked, moved to another book, kind or record, or removed."""
    books = [None, *session.scalars(select(Book.id)).all()]
    studies = session.scalars(select(StudyRecord).order_by(StudyRecord.id)).all()
    bare = sorted({record.id for record in records} - {study.record_id for study in studies})
    if kind == "study" or not studies:
        if bare:
            session.execute(insert(StudyRecord), [{
                "record_id": record_id, "kind": rng.choice(STUDY_KINDS), "book_id": rng.choice(books),
                "like_count": rng.randint(0, 3),
            } for record_id in rng.sample(bare, min(len(bare), rng.randint(1, 3)))])
        return
    study = rng.choice(studies)
    if kind == "like":
        study.like_count = max(study.like_count + rng.choice((1, -1)), 0)
    elif kind == "bulk_like":
        session.execute(update(StudyRecord).where(StudyRecord.book_id == study.book_id).values(like_count=StudyRecord.like_count + 1))
    elif kind == "rebook":
        moves = {"book_id": lambda: rng.choice(books), "kind": lambda: rng.choice(STUDY_KINDS),
                 "like_count": lambda: rng.randint(0, 3), "record_id": lambda: rng.choice(bare or [study.record_id])}
        for column in rng.sample(sorted(moves), rng.randint(1, 3)):
            setattr(study, column, moves[column]())
    elif kind == "unstudy":
        session.delete(study)


@settings(
    max_examples=40, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(WRITES), st.integers(0, 2**32)), min_size=1, max_size=8))
def test_summaries_equal_a_recount_after_every_write(small_world, steps):
    engine, world, types = small_world
    for kind, seed in steps:
        _write(engine, world, types, kind, seed)
        _assert_summaries_equal_a_recount(engine)


def _write_ledger(engine, world, kind: str, seed: int) -> None:  # noqa: ANN001
    """One write of `kind` on the suggestions or problems picked by `seed`: submitted, decided
    (adopted, in part, declined, or back to waiting), re-dated, moved to another unit, withdrawn,
    left adopted without a day; reported, solved, reopened or dropped; one at a time or as a bulk
    statement; or a record they were made from purged."""
    from core.ledgers import ProblemStatus, SuggestionStatus

    rng = random.Random(seed)
    units = sorted(world.units.values())

    def day() -> dt.date:
        return dt.date(2025, 12, 20) + dt.timedelta(days=rng.randrange(0, 120, 7))

    with write_session(engine) as session:
        suggestions = session.scalars(select(Suggestion).order_by(Suggestion.id)).all()
        problems = session.scalars(select(Problem).order_by(Problem.id)).all()
        if kind == "purge_record":
            record = ActivityRecord(
                campaign_id=world.campaign_id, unit_id=rng.choice(units), title="t", occurred_on=day(), details={},
                type_id=session.scalar(select(ActivityType.id).order_by(ActivityType.id)), status=RecordStatus.APPROVED,
            )
            session.add(record)
            session.flush()
            session.add(Suggestion(record_id=record.id, unit_id=record.unit_id, title="建议", status="adopted", adopted_on=day()))
            session.add(Problem(record_id=record.id, unit_id=record.unit_id, source="督查", description="问题",
                                found_on=dt.date(2025, 12, 1), status=ProblemStatus.SOLVED, solved_on=day()))
            session.flush()
            session.execute(delete(ActivityRecord).where(ActivityRecord.id == record.id))
        elif kind == "suggest" or (kind in LEDGER_WRITES[:7] and not suggestions):
            status = rng.choice(list(SuggestionStatus))
            session.add(Suggestion(unit_id=rng.choice(units), title="建议", status=status,
                                   adopted_on=day() if status in {"adopted", "partial"} else None))
        elif kind == "report" or (kind in LEDGER_WRITES[7:] and not problems):
            solved = rng.random() < 0.5
            session.add(Problem(unit_id=rng.choice(units), source="督查", description="问题", found_on=dt.date(2025, 12, 1),
                                status=ProblemStatus.SOLVED if solved else ProblemStatus.OPEN, solved_on=day() if solved else None))
        elif kind in LEDGER_WRITES[:7]:
            suggestion = rng.choice(suggestions)
            if kind == "undate":  # adopted, but no day of adoption: no bonus (there is no day to count it on)
                suggestion.status, suggestion.adopted_on = SuggestionStatus.ADOPTED, None
            elif kind == "decide":
                suggestion.status = rng.choice(list(SuggestionStatus))
                suggestion.adopted_on = day() if suggestion.status in {"adopted", "partial"} else None
            elif kind == "redate":
                suggestion.adopted_on = day()
            elif kind == "reassign":
                suggestion.unit_id = rng.choice(units)
            elif kind == "withdraw":
                session.delete(suggestion)
            else:
                session.execute(update(Suggestion).where(Suggestion.unit_id == suggestion.unit_id)
                                .values(status=SuggestionStatus.ADOPTED, adopted_on=day()))
        else:
            problem = rng.choice(problems)
            if kind == "solve":
                problem.status, problem.solved_on = ProblemStatus.SOLVED, day()
            elif kind == "reopen":
                problem.status, problem.solved_on = ProblemStatus.IN_PROGRESS, None
            elif kind == "drop":
                session.delete(problem)
            else:
                session.execute(update(Problem).where(Problem.unit_id == problem.unit_id)
                                .values(unit_id=rng.choice(units), solved_on=Problem.found_on))


@settings(
    max_examples=30, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(LEDGER_WRITES), st.integers(0, 2**32)), min_size=1, max_size=8))
def test_the_bonus_summary_equals_a_recount_after_every_write_of_a_ledger(small_world, steps):
    engine, world, _types = small_world
    for kind, seed in steps:
        _write_ledger(engine, world, kind, seed)
        _assert_summaries_equal_a_recount(engine)


def test_the_installed_triggers_count_the_statuses_that_earn_the_bonus(fresh_engine):
    """Migration 0028 writes the statuses into its triggers; changing core.ledgers.BONUS_STATUSES
    needs a migration that replaces them (and a recount), or whole months would count one policy
    and the days of cut months, read from the ledger, the other."""
    from sqlalchemy import text

    from core.ledgers import BONUS_STATUSES, SuggestionStatus

    with read_session(fresh_engine) as session:
        if fresh_engine.dialect.name == "sqlite":
            installed = session.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'suggestion_bonus_insert'"))
        else:
            installed = session.scalar(text("SELECT pg_get_functiondef('suggestion_bonus_change'::regproc)"))
    counted = {status for status in SuggestionStatus if f"'{status.value}'" in installed}
    assert counted == set(BONUS_STATUSES)


def _assert_the_book_summary_equals_a_recount(engine) -> None:  # noqa: ANN001
    with read_session(engine) as session:
        kept = sorted(tuple(row) for row in session.execute(select(RecordBookTally.__table__)).all())
        assert kept == sorted(tuple(row) for row in session.execute(recount(RecordBookTally)).all())


def test_the_book_summary_follows_every_write_of_a_noted_record(small_world):
    """Each write in turn on records that have notes (the random sequences above reach an
    approved record with a note, then change it, only now and then)."""
    engine, world, types = small_world
    cycle = ("import", "bulk_approve", "study", "like", "edit", "return", "approve", "rebook", "bulk_like", "move",
             "delete", "restore", "unstudy", "study", "approve", "move", "purge")
    for seed in range(12):
        for kind in cycle:
            _write(engine, world, types, kind, seed)
            _assert_the_book_summary_equals_a_recount(engine)
    with read_session(engine) as session:
        assert session.scalar(select(func.sum(RecordBookTally.records))) > 0


def test_the_rebuild_command_recounts_summaries_written_around_the_triggers(small_world):
    engine, world, types = small_world
    for seed in range(3):
        _write(engine, world, types, "import", seed)
        _write(engine, world, types, "approve", seed)
        _write(engine, world, types, "study", seed)
        _write_ledger(engine, world, "suggest" if seed % 2 else "report", seed)
        _write_ledger(engine, world, "bulk_decide" if seed % 2 else "bulk_solve", seed)
    with write_session(engine) as session:
        session.execute(delete(RecordPersonTally))
        session.execute(delete(RecordCadreTally))
        session.execute(delete(RecordCadreMonthTally))
        session.execute(delete(RecordCadreQuarterTally))
        session.execute(update(RecordDayTally).values(records=RecordDayTally.records + 5))
        session.execute(update(RecordUnitMonthTally).values(records=RecordUnitMonthTally.records + 1))
        session.execute(update(RecordUnitTally).values(records=RecordUnitTally.records - 1))
        session.execute(update(RecordBookTally).values(likes=RecordBookTally.likes + 2))
        session.execute(update(BonusMonthTally).values(events=BonusMonthTally.events + 3))
    assert all(kept != counted for kept, counted in _summaries_and_recounts(engine))
    assert manage(["rebuild-summaries", "--database-url", engine.url.render_as_string(hide_password=False)]) == 0
    _assert_summaries_equal_a_recount(engine)
    assert rebuild(engine)["record_day_tally"] == len(_summaries_and_recounts(engine)[0][1])


# --- the boards from the summaries equal the boards over the raw records ---


def _demo_periods(engine) -> tuple[Campaign, list[tuple[str, dt.date, dt.date]]]:  # noqa: ANN001
    with read_session(engine) as session:
        campaign = session.scalars(select(Campaign).order_by(Campaign.id)).first()
    today = office_today()
    custom = (campaign.start_date + dt.timedelta(days=10), today - dt.timedelta(days=20))
    periods = []
    for kind in ("week", "month", "quarter", "campaign", "custom"):
        span = period_range(kind, today, campaign.start_date, campaign.end_date, custom)
        periods.append((kind, span.start, span.end))
    # A custom period over most of the campaign (read as the whole minus the days outside) that
    # begins and ends on busy days, where an edge counted twice or not at all would show.
    with read_session(engine) as session:
        per_day = session.execute(
            select(ActivityRecord.occurred_on, func.count()).where(ActivityRecord.status == RecordStatus.APPROVED)
            .group_by(ActivityRecord.occurred_on).order_by(ActivityRecord.occurred_on)
        ).all()
    # Last month exactly: a board of one month reads the per-unit monthly summaries.
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    periods.append(("last month", last_month_end.replace(day=1), last_month_end))
    # Last quarter exactly, and one that begins a day late (it cuts a month: counted per person).
    last_quarter = period_range("quarter", period_range("quarter", today, campaign.start_date, campaign.end_date).start
                                - dt.timedelta(days=1), campaign.start_date, campaign.end_date)
    periods.append(("last quarter", last_quarter.start, last_quarter.end))
    periods.append(("custom", last_quarter.start + dt.timedelta(days=1), last_quarter.end))
    # A whole quarter inside the campaign, and two whole months on either side of its start.
    quarter = period_range("quarter", campaign.start_date + dt.timedelta(days=120), campaign.start_date, campaign.end_date)
    periods.append(("quarter", quarter.start, quarter.end))
    month_before = period_range("month", quarter.start - dt.timedelta(days=1), campaign.start_date, campaign.end_date)
    periods.append(("two quarters", month_before.start, quarter.start + dt.timedelta(days=27)))
    middle_week = period_range("week", quarter.start + dt.timedelta(days=45), campaign.start_date, campaign.end_date)
    periods.append(("middle week", middle_week.start, middle_week.end))
    sixth = len(per_day) // 6
    busy_early = max(per_day[1:sixth], key=lambda row: row[1])[0]
    busy_late = max(per_day[-sixth:-1], key=lambda row: row[1])[0]
    periods.append(("custom", busy_early, busy_late))
    return campaign, periods


def test_boards_from_the_summaries_equal_the_raw_record_figures(demo_engine, monkeypatch):
    campaign, periods = _demo_periods(demo_engine)
    with read_session(demo_engine) as session:
        groups = [None, *session.scalars(select(ComparisonGroup.id).order_by(ComparisonGroup.id))]
        rules = published_rules(session)
        a_unit = session.scalar(select(Unit.id).where(Unit.group_id.is_not(None)).order_by(Unit.id))
    tight = ScoringRules(rules.version, rules.points, {code: 2 for code in rules.points}, rules.unit_caps, rules.bonuses, rules.weights)
    unit_capped = ScoringRules(rules.version, rules.points, tight.caps, {code: 3 for code in rules.points}, rules.bonuses, rules.weights)

    def boards() -> list:
        figures = []
        for _kind, start, end in periods:
            for group_id in groups:
                for scoring in (rules, tight):
                    board = unit_board(campaign_id=campaign.id, start=start, end=end, group_id=group_id, metric="composite",
                                       rules=scoring, engine=demo_engine)
                    figures.append((board.standings, board.details))
                if group_id is not None:
                    for scoring in (tight, unit_capped):  # summed per unit and month in SQL; scored type by type
                        figures.append(group_trend(campaign_id=campaign.id, group_id=group_id, start=start, end=end,
                                                   rules=scoring, engine=demo_engine))
            figures.append(people_board(None, campaign_id=campaign.id, start=start, end=end, rules=tight, engine=demo_engine))
            figures.append(branch_board(campaign_id=campaign.id, unit_id=a_unit, start=start, end=end, rules=tight, engine=demo_engine))
        return figures

    from_summaries = boards()
    monkeypatch.setattr(q, "type_tallies", raw_type_tallies)
    monkeypatch.setattr(q, "unit_tallies", raw_unit_tallies)
    monkeypatch.setattr(q, "unit_month_points", raw_unit_month_points)
    monkeypatch.setattr(q, "mandatory_progress", raw_mandatory_progress)
    from_records = boards()
    assert len(from_summaries) == len(from_records) > 40
    for summarised, counted in zip(from_summaries, from_records, strict=True):
        assert summarised == counted
    assert any(standing.records for figure in from_summaries if isinstance(figure, tuple) for standing in figure[0])


def test_bonus_counts_from_the_summary_equal_a_count_of_the_ledgers(demo_engine):
    """Adopted suggestions and solved problems per unit and per unit and month, from the whole
    months of bonus_month_tally and the ledgers' days of the months a period cuts, equal a count
    of every ledger row, for every demo period, the whole campaign, and one unit alone."""
    from core.ledgers import BONUS_STATUSES

    campaign, periods = _demo_periods(demo_engine)
    periods.append(("campaign", campaign.start_date, campaign.end_date))
    with read_session(demo_engine) as session:
        events = {
            "adopted_suggestion": session.execute(
                select(Suggestion.unit_id, Suggestion.adopted_on).where(Suggestion.status.in_(BONUS_STATUSES))
            ).all(),
            "solved_problem": session.execute(select(Problem.unit_id, Problem.solved_on)).all(),
        }
    a_unit = max(events["solved_problem"], key=lambda row: row[1] or dt.date.min)[0]
    checked = 0
    for _kind, start, end in periods:
        for where_unit in (None, a_unit):
            with read_session(demo_engine) as session:
                by_unit = q.bonus_counts(session, campaign_id=campaign.id, start=start, end=end, where_unit=where_unit)
                by_month = q.bonus_counts(session, campaign_id=campaign.id, start=start, end=end, by="month", where_unit=where_unit)
            for kind, rows in events.items():
                units: dict[tuple, int] = {}
                months: dict[tuple, int] = {}
                for unit_id, day in rows:
                    if day is not None and start <= day <= end and where_unit in (None, unit_id):
                        units[(unit_id,)] = units.get((unit_id,), 0) + 1
                        months[(unit_id, day.strftime("%Y-%m"))] = months.get((unit_id, day.strftime("%Y-%m")), 0) + 1
                assert by_unit[kind] == units, (kind, start, end, where_unit)
                assert by_month[kind] == months, (kind, start, end, where_unit)
                checked += sum(units.values())
    assert checked > 100


def test_tallies_and_mandatory_progress_equal_the_raw_records_for_every_key(demo_engine):
    campaign, periods = _demo_periods(demo_engine)
    with read_session(demo_engine) as session:
        rules = published_rules(session)
        unit_id = session.scalar(select(Unit.id).where(Unit.group_id.is_not(None)).order_by(Unit.id))
        group_units = session.scalars(select(Unit.id).where(Unit.group_id == select(Unit.group_id).where(Unit.id == unit_id).scalar_subquery())).all()
        # Caps of 1 and 2 put many people over a cap: the per-unit summaries subtract their excess.
        tight = ScoringRules(rules.version, rules.points, {code: 1 + index % 2 for index, code in enumerate(rules.points)},
                             rules.unit_caps, rules.bonuses, rules.weights)
        for _kind, start, end in periods:
            for keys, where in (
                ([ActivityRecord.unit_id], []),
                ([ActivityRecord.cadre_id], [ActivityRecord.cadre_id.is_not(None)]),
                ([ActivityRecord.branch_id], [ActivityRecord.unit_id == unit_id]),
                ([ActivityRecord.unit_id, month_of(session, ActivityRecord.occurred_on)], []),
            ):
                arguments = {"campaign_id": campaign.id, "start": start, "end": end, "rules": rules, "keys": keys, "where": where}
                assert q.type_tallies(session, **arguments) == raw_type_tallies(session, **arguments)
            for scoring in (rules, tight):
                for unit_ids in (None, group_units):
                    for monthly in (False, True):
                        arguments = {"campaign_id": campaign.id, "start": start, "end": end, "rules": scoring,
                                     "unit_ids": unit_ids, "monthly": monthly}
                        found = q.unit_tallies(session, **arguments)
                        assert found == raw_unit_tallies(session, **arguments)
                        # A named tuple equals a plain tuple: the type is checked on its own.
                        assert all(type(tally) is Tally for tally in found.values())
            assert q.mandatory_progress(session, campaign.id, end) == raw_mandatory_progress(session, campaign.id, end)
            type_ids = list(type_codes(session))
            for since, unit_ids in ((start, None), (None, group_units)):
                raw_totals = session.execute(
                    select(ActivityRecord.unit_id, ActivityRecord.type_id, func.count()).where(
                        ActivityRecord.campaign_id == campaign.id, ActivityRecord.status == RecordStatus.APPROVED,
                        ActivityRecord.occurred_on <= end, *([ActivityRecord.occurred_on >= since] if since else []),
                        *([ActivityRecord.unit_id.in_(unit_ids)] if unit_ids else []),
                    ).group_by(ActivityRecord.unit_id, ActivityRecord.type_id)
                ).all()
                totals = unit_type_totals(session, campaign_id=campaign.id, start=since, end=end, type_ids=type_ids, unit_ids=unit_ids)
                assert totals == {(unit, kind): count for unit, kind, count in raw_totals}


def test_a_month_a_quarter_and_the_campaign_are_counted_without_reading_every_person(demo_engine, monkeypatch):
    """The per-unit summaries answer these periods (their figures are checked above); a week, or
    two months of different quarters, still counts per person."""
    campaign, periods = _demo_periods(demo_engine)
    counted_per_person = []
    per_person = q.type_tallies

    def spy(session, **arguments):  # noqa: ANN001, ANN003, ANN202
        counted_per_person.append((arguments["start"], arguments["end"]))
        return per_person(session, **arguments)

    monkeypatch.setattr(q, "type_tallies", spy)
    by_kind = {kind: (start, end) for kind, start, end in periods}
    with read_session(demo_engine) as session:
        rules = published_rules(session)
        for kind, per_unit in (("campaign", True), ("last month", True), ("last quarter", True), ("quarter", True),
                               ("middle week", False), ("two quarters", False)):
            start, end = by_kind[kind]
            counted_per_person.clear()
            q.unit_tallies(session, campaign_id=campaign.id, start=start, end=end, rules=rules, unit_ids=None, monthly=False)
            assert (counted_per_person == []) is per_unit, kind
        start, end = by_kind["quarter"]
        counted_per_person.clear()
        q.unit_tallies(session, campaign_id=campaign.id, start=start, end=end, rules=rules, unit_ids=None, monthly=True)
        assert counted_per_person == []


# --- the featured-note bonus is dated by the featuring ---


def test_a_note_featured_in_may_counts_in_may_even_if_written_in_april(fresh_engine):
    world = build_world(fresh_engine)
    with write_session(fresh_engine) as session:
        note_type = session.scalar(select(ActivityType.id).where(ActivityType.code == "reading_note"))
        record = ActivityRecord(
            campaign_id=world.campaign_id, unit_id=world.units["A"], cadre_id=world.cadres["a2"], type_id=note_type,
            title="读书笔记", occurred_on=dt.date(2026, 4, 20), status=RecordStatus.APPROVED, details={},
        )
        session.add(record)
        session.flush()
        # Featured at 00:30 on 1 May in the office's zone (30 April in UTC east of Greenwich).
        session.add(StudyRecord(record_id=record.id, kind="note", featured=True,
                                featured_at=office_to_utc(dt.datetime(2026, 5, 1, 0, 30))))

    def bonus(start: dt.date, end: dt.date) -> float:
        board = unit_board(campaign_id=world.campaign_id, start=start, end=end, group_id=world.groups["G1"], engine=fresh_engine,
                           compare_previous=False)
        return {s.unit_id: s.bonus_points for s in board.standings}[world.units["A"]]

    assert bonus(dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == 3.0
    assert bonus(dt.date(2026, 4, 1), dt.date(2026, 4, 30)) == 0.0
    with read_session(fresh_engine) as session:
        by_month = q.bonus_counts(session, campaign_id=world.campaign_id, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), by="month")
    assert by_month["featured_note"] == {(world.units["A"], "2026-05"): 1}


def test_adopted_suggestions_and_solved_problems_count_in_the_month_of_their_day(fresh_engine):
    """The trend counts each month's bonuses from its own range of days (one part per month);
    a period that starts or ends within a month, or crosses a year, keeps only its own days."""
    from core.ledgers import SuggestionStatus
    from db.models import Problem, Suggestion

    world = build_world(fresh_engine)
    unit_a, unit_d = world.units["A"], world.units["D"]
    days = [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 1, 14), dt.date(2026, 1, 15), dt.date(2026, 1, 31),
            dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2026, 3, 9), dt.date(2026, 3, 10)]
    adopted = [(unit_a if index % 3 else unit_d, day) for index, day in enumerate(days)]
    solved = [(unit_d if index % 2 else unit_a, day) for index, day in enumerate(days)]
    with write_session(fresh_engine) as session:
        session.add_all(Suggestion(unit_id=unit, title="建议", status=SuggestionStatus.ADOPTED, adopted_on=day) for unit, day in adopted)
        session.add(Suggestion(unit_id=unit_a, title="未采纳", status=SuggestionStatus.DECLINED, adopted_on=dt.date(2026, 1, 20)))
        session.add_all(
            Problem(unit_id=unit, source="督查", description="问题", found_on=dt.date(2025, 12, 1), solved_on=day) for unit, day in solved
        )
        session.add(Problem(unit_id=unit_a, source="督查", description="未解决", found_on=dt.date(2026, 1, 2)))

    def expected(events: list[tuple[int, dt.date]], start: dt.date, end: dt.date) -> dict[tuple, int]:
        counts: dict[tuple, int] = {}
        for unit, day in events:
            if start <= day <= end:
                counts[(unit, day.strftime("%Y-%m"))] = counts.get((unit, day.strftime("%Y-%m")), 0) + 1
        return counts

    for start, end in [(dt.date(2025, 12, 1), dt.date(2026, 3, 31)), (dt.date(2026, 1, 15), dt.date(2026, 3, 9)),
                       (dt.date(2025, 12, 31), dt.date(2026, 1, 1)), (dt.date(2026, 1, 16), dt.date(2026, 1, 30))]:
        with read_session(fresh_engine) as session:
            by_month = q.bonus_counts(session, campaign_id=world.campaign_id, start=start, end=end, by="month")
            by_unit = q.bonus_counts(session, campaign_id=world.campaign_id, start=start, end=end, by="unit")
        assert by_month["adopted_suggestion"] == expected(adopted, start, end), (start, end)
        assert by_month["solved_problem"] == expected(solved, start, end), (start, end)
        for kind, events in (("adopted_suggestion", adopted), ("solved_problem", solved)):
            totals: dict[tuple, int] = {}
            for (unit, _month), count in expected(events, start, end).items():
                totals[(unit,)] = totals.get((unit,), 0) + count
            assert by_unit[kind] == totals, (kind, start, end)


def test_the_migration_fills_the_summaries_and_dates_featured_notes_from_the_records():
    from db.engine import get_engine
    from tests.conftest import _new_database_url, migrate
    from tests.test_migrations_keep_data import _fill_every_table

    engine = get_engine(_new_database_url())
    with engine.begin() as connection:
        migrate(connection, "0022_summaries-1")  # the revision just before the summaries
    written = _fill_every_table(engine)
    with engine.begin() as connection:
        connection.execute(update(ActivityRecord).values(status=RecordStatus.APPROVED))
        connection.execute(update(StudyRecord).values(featured=True, featured_at=None))
        connection.execute(update(Suggestion).values(status="adopted", adopted_on=dt.date(2026, 3, 4)))
        connection.execute(update(Problem).values(solved_on=dt.date(2026, 3, 5)))
        migrate(connection, "head")
    _assert_summaries_equal_a_recount(engine)
    rows = {table.__tablename__: len(kept) for table, (kept, _) in zip(SUMMARIES, _summaries_and_recounts(engine), strict=True)}
    assert rows == {table.__tablename__: 1 for table in SUMMARIES} | {"bonus_month_tally": 2}  # a suggestion, a problem
    with read_session(engine) as session:
        featured_at = session.scalar(select(StudyRecord.featured_at))
    assert featured_at == dt.datetime.combine(written["activity_record"]["occurred_on"], dt.time(12))
    engine.dispose()


def test_two_reviewers_approving_the_same_people_in_opposite_orders_both_succeed(fresh_engine):
    """Each approval moves a summary row; two transactions that reach the same rows in opposite
    orders deadlocked on PostgreSQL (one reviewer's batch failed). Writers now queue instead."""
    import contextlib
    import threading

    from db.bootstrap import ensure_base_data

    ensure_base_data(fresh_engine)
    world = build_world(fresh_engine)
    with read_session(fresh_engine) as session:
        type_id = session.scalar(select(ActivityType.id).order_by(ActivityType.id))
    day = dt.date(2026, 5, 6)
    pending = {
        "campaign_id": world.campaign_id, "type_id": type_id, "title": "t", "occurred_on": day,
        "status": RecordStatus.PENDING, "details": {}, "version": 1,
    }
    a_unit, b_unit = world.units["A"], world.units["B"]
    with write_session(fresh_engine) as session:
        ids = session.scalars(insert(ActivityRecord).returning(ActivityRecord.id), [
            {**pending, "unit_id": unit} for unit in (a_unit, b_unit, b_unit, a_unit)
        ]).all()
    a1, b1, b2, a2 = ids  # a1, a2 share one summary row, b1, b2 another
    halfway = threading.Barrier(2, timeout=3)
    failures: list[BaseException] = []

    def approve(first: int, second: int) -> None:
        try:
            with write_session(fresh_engine) as session:
                session.execute(update(ActivityRecord).where(ActivityRecord.id == first).values(status=RecordStatus.APPROVED))
                # Both hold their first row when they reach for the second (unless the other one
                # queued for the lock: then there is nothing to wait for).
                with contextlib.suppress(threading.BrokenBarrierError):
                    halfway.wait()
                session.execute(update(ActivityRecord).where(ActivityRecord.id == second).values(status=RecordStatus.APPROVED))
        except BaseException as failure:  # noqa: BLE001 - the test reports whatever a writer met
            failures.append(failure)

    writers = [threading.Thread(target=approve, args=pair) for pair in ((a1, b1), (b2, a2))]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert failures == []
    _assert_summaries_equal_a_recount(fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.sum(RecordPersonTally.records))) == 4
