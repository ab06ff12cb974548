"""Entry and review through the data layer: scope, validation, double submits, conflicts, audit."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.accounts import create_user
from db.boards import unit_leaderboard
from db.engine import read_session
from db.models import ActivityRecord, AuditLog
from db.records import approve_records, record_detail, return_record, review_queue, save_record, unit_records
from tests.db.world import END, START, build_world

PASSWORD = "a-long-enough-password"


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    def user(name, role, unit=None, cadre=None):
        user_id = create_user(
            username=name, display_name=name, password=PASSWORD, role=role, rounds=4, engine=fresh_engine,
            unit_id=world.units[unit] if unit else None, cadre_id=world.cadres[cadre] if cadre else None,
        )
        return Actor(user_id=user_id, role=role, unit_id=world.units[unit] if unit else None, cadre_id=world.cadres[cadre] if cadre else None)

    actors = {
        "admin": user("admin", "admin"),
        "reporter_a": user("ra", "reporter", "A"),
        "reporter_b": user("rb", "reporter", "B"),
        "cadre_a2": user("ca2", "cadre", "A", "a2"),
        "viewer": user("v", "viewer"),
    }
    return fresh_engine, world, actors


def _report(world, actor, *, unit="A", writer="a1", submit=True, engine=None, **extra):
    arguments = dict(
        unit_id=world.units[unit], type_code="analysis_report", title="党性分析报告",
        occurred_on=dt.date(2026, 4, 1),
        details={"writer": world.cadres[writer], "problems": "问" * 60, "causes": "因" * 60, "measures": "措" * 60},
        submit=submit, engine=engine,
    )
    arguments.update(extra)
    return save_record(actor, **arguments)


def _count(engine, model=ActivityRecord):
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_reporter_cannot_write_for_another_unit_even_directly(setup):
    engine, world, actors = setup
    with pytest.raises(PermissionDenied):
        _report(world, actors["reporter_b"], unit="A", engine=engine)
    with pytest.raises(PermissionDenied):
        _report(world, None, engine=engine)
    with pytest.raises(PermissionDenied):
        _report(world, actors["viewer"], engine=engine)
    assert _count(engine) == 0


def test_a_reporter_cannot_name_a_cadre_of_another_unit(setup):
    engine, world, actors = setup
    with pytest.raises(ValidationFailed) as failure:
        _report(world, actors["reporter_a"], writer="b1", engine=engine)
    assert ("writer", "validation.not_in_unit") in [p[:2] for p in failure.value.problems]
    assert _count(engine) == 0


def test_a_reporter_cannot_read_another_units_records(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], engine=engine)
    with pytest.raises(PermissionDenied):
        unit_records(actors["reporter_b"], world.units["A"], engine=engine)
    with pytest.raises(PermissionDenied):
        record_detail(actors["reporter_b"], saved.record_id, engine=engine)
    with pytest.raises(PermissionDenied):
        review_queue(actors["reporter_a"], engine=engine)
    assert [row["id"] for row in unit_records(actors["reporter_a"], world.units["A"], engine=engine)] == [saved.record_id]


def test_a_cadre_enters_only_their_own_personal_records(setup):
    engine, world, actors = setup
    with pytest.raises(PermissionDenied):
        _report(world, actors["cadre_a2"], writer="a1", engine=engine)
    saved = _report(world, actors["cadre_a2"], writer="a2", engine=engine)
    assert saved.status == "pending"
    with pytest.raises(PermissionDenied):
        save_record(
            actors["cadre_a2"], unit_id=world.units["A"], type_code="publicity", title="报道",
            occurred_on=dt.date(2026, 4, 1), details={"outlet": "《组工动态》"}, submit=True, engine=engine,
        )


def test_bad_input_writes_nothing(setup):
    engine, world, actors = setup
    with pytest.raises(ValidationFailed) as failure:
        _report(world, actors["reporter_a"], title="", occurred_on=END + dt.timedelta(days=1), engine=engine)
    assert {p[:2] for p in failure.value.problems} == {("title", "validation.required"), ("occurred_on", "validation.outside_campaign")}
    assert _count(engine) == 0
    assert _count(engine, AuditLog) == 5  # only the five account creations


def test_a_double_submit_saves_once(setup):
    engine, world, actors = setup
    first = _report(world, actors["reporter_a"], client_token="form-1", engine=engine)
    second = _report(world, actors["reporter_a"], client_token="form-1", engine=engine)
    assert first.created and not second.created
    assert second.record_id == first.record_id
    assert _count(engine) == 1


def test_the_second_of_two_editors_is_refused(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], submit=False, engine=engine)
    opened_version = 1
    _report(world, actors["reporter_a"], record_id=saved.record_id, expected_version=opened_version, title="第一人的修改", submit=False, engine=engine)
    with pytest.raises(ConflictError):
        _report(world, actors["reporter_a"], record_id=saved.record_id, expected_version=opened_version, title="第二人的修改", submit=False, engine=engine)
    with read_session(engine) as session:
        assert session.get(ActivityRecord, saved.record_id).title == "第一人的修改"


def test_review_return_fix_and_approve_changes_the_board(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], engine=engine)

    def points():
        board = unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], metric="points", engine=engine)
        return next(row.points for row in board if row.unit_id == world.units["A"])

    assert points() == 0  # pending does not count
    with pytest.raises(PermissionDenied):
        approve_records(actors["reporter_a"], [saved.record_id], engine=engine)
    with pytest.raises(ValidationFailed):
        return_record(actors["admin"], saved.record_id, "  ", engine=engine)
    return_record(actors["admin"], saved.record_id, "整改措施不够具体", engine=engine)
    returned = unit_records(actors["reporter_a"], world.units["A"], engine=engine)[0]
    assert (returned["status"], returned["return_reason"]) == ("returned", "整改措施不够具体")
    _report(world, actors["reporter_a"], record_id=saved.record_id, expected_version=returned["version"], engine=engine)
    assert approve_records(actors["admin"], [saved.record_id], engine=engine) == 1
    assert points() == 5
    # An approved record is the office's to change now.
    with pytest.raises(PermissionDenied):
        _report(world, actors["reporter_a"], record_id=saved.record_id, engine=engine)
    with read_session(engine) as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity_id == saved.record_id, AuditLog.entity == "activity_record").order_by(AuditLog.id)).all()
    assert actions == ["record.submit", "record.return", "record.submit", "record.approve"]


def test_required_photo_and_real_images_only(setup):
    engine, world, actors = setup
    meeting = dict(
        unit_id=world.units["A"], type_code="analysis_meeting", title="评议会", occurred_on=dt.date(2026, 4, 1),
        details={"branch": world.branches["ab1"], "participants": 12, "summary": "会议" * 20}, submit=True, engine=engine,
    )
    with pytest.raises(ValidationFailed) as failure:
        save_record(actors["reporter_a"], **meeting)
    assert failure.value.problems == [("photos", "validation.photo_required", {})]
    with pytest.raises(ValidationFailed) as failure:
        save_record(actors["reporter_a"], photos=[("fake.jpg", b"not a picture at all")], **meeting)
    assert failure.value.problems[0][:2] == ("photos", "image.not_an_image")
    assert _count(engine) == 0
