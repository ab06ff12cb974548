"""干部名册 in the data layer: who may change whom, what is refused, and the history a move leaves."""
import datetime as dt
import functools

import pytest
from sqlalchemy import select

from db.access import PermissionDenied, ValidationFailed
from db.boards import group_trend, unit_leaderboard
from db.engine import read_session, write_session
from db.models import ActivityRecord, AuditLog, Cadre, CadreMembership, Unit
from db.people import (
    PAGE_SIZE,
    add_cadre,
    backfill_memberships,
    membership_history,
    move_cadre,
    search_people,
    update_cadre,
)
from tests.db.world import add_account, add_records, build_world

FEB, MARCH_FIRST = dt.date(2026, 2, 10), dt.date(2026, 3, 1)


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

    return fresh_engine, world, {"admin": user("admin", "admin"), "reporter_a": user("ra", "reporter", "A"), "viewer": user("v", "viewer")}


def _problems(excinfo):
    return [(field, key) for field, key, _ in excinfo.value.problems]


def test_the_office_adds_a_person_with_a_code_and_the_history_starts(setup):
    engine, world, actors = setup
    ident = add_cadre(actors["admin"], unit_id=world.units["B"], name=" 王新 ", code="GH-001", position="科员", birth_year=1995, engine=engine)
    with read_session(engine) as session:
        cadre = session.get(Cadre, ident)
        rows = session.scalars(select(CadreMembership).where(CadreMembership.cadre_id == ident)).all()
        audit = session.scalars(select(AuditLog).where(AuditLog.entity == "cadre", AuditLog.entity_id == ident)).one()
    assert (cadre.name, cadre.code, cadre.unit_id, cadre.active) == ("王新", "GH-001", world.units["B"], True)
    assert [(row.unit_id, row.active, row.valid_to) for row in rows] == [(world.units["B"], True, None)]
    assert audit.action == "cadre.create" and audit.detail["after"]["name"] == "王新"


def test_an_id_number_is_kept_only_as_its_hash_and_codes_are_unique(setup):
    engine, world, actors = setup
    ident = add_cadre(actors["admin"], unit_id=world.units["A"], name="甲", code="11010519491231002X", engine=engine)
    with read_session(engine) as session:
        code = session.get(Cadre, ident).code
    assert code.startswith("ID-") and "110105" not in code
    with pytest.raises(ValidationFailed) as refused:
        add_cadre(actors["admin"], unit_id=world.units["B"], name="乙", code="11010519491231002x", engine=engine)
    assert _problems(refused) == [("code", "people.code_taken")]


def test_bad_input_is_refused_with_every_problem_and_nothing_saved(setup):
    engine, world, actors = setup
    with pytest.raises(ValidationFailed) as refused:
        add_cadre(actors["admin"], unit_id=world.units["A"], name="  ", birth_year=1800, gender="?", branch_id=world.branches["bb1"], engine=engine)
    assert _problems(refused) == [
        ("name", "validation.required"), ("gender", "validation.bad_choice"), ("birth_year", "validation.out_of_range"),
        ("branch_id", "people.branch_not_in_unit"),
    ]
    with pytest.raises(ValidationFailed) as refused:
        add_cadre(actors["admin"], unit_id=world.units["A"], name="x" * 41, code="y" * 41, engine=engine)
    assert _problems(refused) == [("name", "validation.too_long"), ("code", "validation.too_long")]
    with read_session(engine) as session:
        assert session.scalar(select(Cadre).where(Cadre.unit_id == world.units["A"], Cadre.name == "")) is None


def test_a_reporter_keeps_their_own_units_people_only_and_cannot_move_them(setup):
    engine, world, actors = setup
    reporter = actors["reporter_a"]
    ident = add_cadre(reporter, unit_id=world.units["A"], name="本单位新人", engine=engine)
    assert update_cadre(reporter, ident, position="科员", engine=engine) == {"position": ["", "科员"]}
    for call in (
        lambda: add_cadre(reporter, unit_id=world.units["B"], name="外单位", engine=engine),
        lambda: update_cadre(reporter, world.cadres["b1"], position="x", engine=engine),
        lambda: move_cadre(reporter, ident, unit_id=world.units["B"], engine=engine),
        lambda: search_people(reporter, unit_id=world.units["B"], engine=engine),
        lambda: add_cadre(actors["viewer"], unit_id=world.units["A"], name="x", engine=engine),
        lambda: search_people(None, engine=engine),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert {row.unit_id for row in search_people(reporter, engine=engine).rows} == {world.units["A"]}


def test_marking_someone_inactive_closes_their_membership_from_the_effective_day(setup):
    engine, world, actors = setup
    changes = update_cadre(actors["admin"], world.cadres["a3"], active=False, is_leader=True, effective_on=MARCH_FIRST, engine=engine)
    assert changes == {"is_leader": [False, True], "active": [True, False]}
    history = membership_history(actors["admin"], world.cadres["a3"], engine=engine)
    assert [(row.active, row.valid_from, row.valid_to) for row in history] == [
        (False, MARCH_FIRST, None), (True, dt.date(2000, 1, 1), MARCH_FIRST),
    ]
    with pytest.raises(ValidationFailed) as refused:
        update_cadre(actors["admin"], world.cadres["a3"], active=True, effective_on=dt.date(2026, 2, 1), engine=engine)
    assert _problems(refused) == [("effective_on", "people.effective_before_current")]
    with pytest.raises(ValidationFailed) as refused:
        update_cadre(actors["admin"], world.cadres["a3"], active=True, effective_on=dt.date(2999, 1, 1), engine=engine)
    assert _problems(refused) == [("effective_on", "people.effective_in_future")]


def test_moving_keeps_records_with_the_old_unit_and_headcounts_follow_history(setup):
    """Issue 13 item 12: a2 moves from A to B on 1 March. A's per-capita for February counts them
    (4 people), for March it does not (3); B gains them from March; a2's February record stays A's."""
    engine, world, actors = setup
    add_records(engine, world, unit="A", type_code="publicity", count=8, on=FEB)  # 16 points
    add_records(engine, world, unit="A", type_code="publicity", count=9, on=dt.date(2026, 3, 10))  # 18 points
    add_records(engine, world, unit="A", type_code="reading_note", cadre="a2", on=FEB)  # 2 points, A's for good
    changes = move_cadre(actors["admin"], world.cadres["a2"], unit_id=world.units["B"], branch_id=world.branches["bb1"], effective_on=MARCH_FIRST, engine=engine)
    assert changes == {"unit_id": [world.units["A"], world.units["B"]], "branch_id": [world.branches["ab1"], world.branches["bb1"]]}

    def board(start, end):
        return {row.name_en: row for row in unit_leaderboard(campaign_id=world.campaign_id, start=start, end=end, group_id=world.groups["G1"], engine=engine)}

    february, march = board(dt.date(2026, 2, 1), dt.date(2026, 2, 28)), board(MARCH_FIRST, dt.date(2026, 3, 31))
    assert (february["Unit A"].headcount, february["Unit A"].per_capita) == (4, pytest.approx(18 / 4))
    assert (march["Unit A"].headcount, march["Unit A"].per_capita) == (3, pytest.approx(18 / 3))
    assert (february["Unit B"].headcount, march["Unit B"].headcount) == (2, 3)
    trend = group_trend(campaign_id=world.campaign_id, group_id=world.groups["G1"], start=dt.date(2026, 2, 1), end=dt.date(2026, 3, 31), engine=engine)
    unit_a = {figure.month: figure.per_capita for figure in trend.figures if figure.unit_id == world.units["A"]}
    assert unit_a == {"2026-02": pytest.approx(18 / 4), "2026-03": pytest.approx(18 / 3)}
    with read_session(engine) as session:
        record_units = set(session.scalars(select(ActivityRecord.unit_id).where(ActivityRecord.cadre_id == world.cadres["a2"])).all())
        moved = session.scalars(select(AuditLog).where(AuditLog.action == "cadre.move")).one()
    assert record_units == {world.units["A"]}
    assert moved.detail["effective_on"] == "2026-03-01"
    assert [row.unit_name_en for row in membership_history(actors["admin"], world.cadres["a2"], engine=engine)] == ["Unit B", "Unit A"]


def test_a_move_is_refused_into_an_inactive_unit_or_to_where_they_are(setup):
    engine, world, actors = setup
    with pytest.raises(ValidationFailed) as refused:
        move_cadre(actors["admin"], world.cadres["a2"], unit_id=world.units["A"], branch_id=world.branches["ab1"], engine=engine)
    assert _problems(refused) == [("unit_id", "people.move_same_place")]
    with write_session(engine) as session:
        session.get(Unit, world.units["C"]).active = False
    with pytest.raises(ValidationFailed) as refused:
        move_cadre(actors["admin"], world.cadres["a2"], unit_id=world.units["C"], engine=engine)
    assert _problems(refused) == [("unit_id", "people.unit_inactive")]


def test_search_finds_by_name_or_code_and_pages_through_many(setup):
    engine, world, actors = setup
    with write_session(engine) as session:
        session.add_all(Cadre(unit_id=world.units["D"], name=f"批量{number:03d}") for number in range(120))
    add_cadre(actors["admin"], unit_id=world.units["B"], name="赵某", code="Z-9", engine=engine)
    found = search_people(actors["admin"], query="批量", engine=engine)
    assert (found.total, found.pages, len(found.rows)) == (120, 3, PAGE_SIZE)
    last = search_people(actors["admin"], query="批量", page=99, engine=engine)
    assert (last.page, len(last.rows)) == (2, 20)
    assert [row.name for row in search_people(actors["admin"], query="Z-9", engine=engine).rows] == ["赵某"]
    active_only = search_people(actors["admin"], unit_id=world.units["A"], include_inactive=False, engine=engine)
    assert "A离" not in [row.name for row in active_only.rows] and active_only.total == 4


def test_backfill_gives_bulk_inserted_cadres_one_open_row_from_the_campaign_start(setup):
    engine, world, _ = setup
    with write_session(engine) as session:
        session.execute(Cadre.__table__.insert(), [{"unit_id": world.units["D"], "name": "批量插入", "gender": "", "position": "",
                                                     "is_leader": False, "is_principal": False, "active": True}])
    with write_session(engine) as session:
        assert backfill_memberships(session) == 1
        assert backfill_memberships(session) == 0
        ident = session.scalar(select(Cadre.id).where(Cadre.name == "批量插入"))
        row = session.scalars(select(CadreMembership).where(CadreMembership.cadre_id == ident)).one()
    assert (row.valid_from, row.valid_to, row.active) == (dt.date(2026, 1, 1), None, True)
