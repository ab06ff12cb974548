"""Entry through the data layer (issue 13.4-13.7, 11.9): drafts may be incomplete, a refused photo
refuses the save, a cadre's second report is warned about and flagged, and review decisions are
refused on a record changed since the reviewer saw it."""
import datetime as dt
import functools

import pytest
from sqlalchemy import func, select

from db.access import ConflictError, ValidationFailed
from db.engine import read_session
from db.models import ActivityRecord, Cadre
from db.record_queries import QueueFilter, review_queue
from db.records import RepeatedTask, approve_records, return_record, save_record
from tests.db.world import add_account, build_world

DAY = dt.date(2026, 4, 1)


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)  # with the campaign's default targets

    user = functools.partial(add_account, fresh_engine, world)

    return fresh_engine, world, {"admin": user("admin", "admin"), "reporter": user("ra", "reporter", "A")}


def _report(world, actor, engine, *, writer="a1", submit=True, **extra):
    return save_record(
        actor, unit_id=world.units["A"], type_code="analysis_report", title="党性分析报告", occurred_on=DAY, submit=submit,
        details={"writer": world.cadres[writer], "problems": "问" * 60, "causes": "因" * 60, "measures": "措" * 60}, engine=engine, **extra,
    )


def test_a_draft_is_saved_with_nothing_but_its_type_and_unit_and_checked_when_submitted(setup):
    engine, world, actors = setup
    draft = save_record(actors["reporter"], unit_id=world.units["A"], type_code="analysis_report", title="", occurred_on=DAY, details={}, submit=False, engine=engine)
    assert draft.status == "draft"
    with pytest.raises(ValidationFailed) as failure:
        save_record(actors["reporter"], unit_id=world.units["A"], type_code="analysis_report", title="", occurred_on=DAY, details={}, submit=True, record_id=draft.record_id, engine=engine)
    assert ("writer", "validation.required") in [p[:2] for p in failure.value.problems]


def test_a_refused_photo_refuses_the_save_and_the_saved_count_is_reported(setup):
    engine, world, actors = setup
    with pytest.raises(ValidationFailed) as failure:
        _report(world, actors["reporter"], engine, photos=[("notes.txt", b"not a picture at all")])
    assert failure.value.problems[0][0] == "photos"
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ActivityRecord)) == 0
    assert _report(world, actors["reporter"], engine).photos == 0


def test_a_cadres_second_analysis_report_is_warned_about_and_flagged(setup):
    engine, world, actors = setup
    first = _report(world, actors["reporter"], engine)
    with pytest.raises(RepeatedTask) as repeated:
        _report(world, actors["reporter"], engine, allow_repeat=False)
    assert [row["id"] for row in repeated.value.records] == [first.record_id]
    assert _report(world, actors["reporter"], engine, writer="a2", allow_repeat=False).status == "pending"
    second = save_record(
        actors["reporter"], unit_id=world.units["A"], type_code="analysis_report", title="又一份", occurred_on=DAY + dt.timedelta(days=9), submit=True,
        details={"writer": world.cadres["a1"], "problems": "问" * 60, "causes": "因" * 60, "measures": "措" * 60}, engine=engine,
    )
    flags = {row["id"]: row["flags"] for row in review_queue(actors["admin"], engine=engine)}
    assert "repeat_task" in flags[first.record_id] and "repeat_task" in flags[second.record_id]
    assert all("repeat_task" not in row["flags"] for row in review_queue(actors["admin"], engine=engine) if row["cadre_id"] != world.cadres["a1"])
    flagged = review_queue(actors["admin"], criteria=QueueFilter(flag="repeat_task"), engine=engine)
    assert {row["id"] for row in flagged} == {first.record_id, second.record_id}


def test_a_second_party_lecture_is_more_work_not_a_repeat(setup):
    engine, world, actors = setup
    lecture = {"speaker": world.cadres["a1"], "form": "带头讲", "audience": 40, "place": "礼堂"}
    for day in (DAY, DAY + dt.timedelta(days=30)):
        save_record(actors["reporter"], unit_id=world.units["A"], type_code="party_lecture", title=f"党课{day}", occurred_on=day, details=lecture, submit=True, engine=engine)
    assert all("repeat_task" not in row["flags"] for row in review_queue(actors["admin"], engine=engine))


def test_the_queue_is_searched_by_id_title_and_person(setup):
    engine, world, actors = setup
    first = _report(world, actors["reporter"], engine)
    other = save_record(
        actors["reporter"], unit_id=world.units["A"], type_code="publicity", title="专题报道", occurred_on=DAY, details={"outlet": "《组工动态》"}, submit=True, engine=engine,
    )
    search = lambda words: [row["id"] for row in review_queue(actors["admin"], criteria=QueueFilter(search=words), engine=engine)]  # noqa: E731
    assert search(f"#{other.record_id}") == [other.record_id]
    assert search("专题") == [other.record_id]
    with read_session(engine) as session:
        name = session.get(Cadre, world.cadres["a1"]).name
    assert search(name) == [first.record_id]
    assert search("99999999999999999999") == []
    newest = review_queue(actors["admin"], criteria=QueueFilter(newest_first=True), engine=engine)
    assert [row["id"] for row in newest] == [other.record_id, first.record_id]


def test_a_decision_on_a_changed_record_is_refused(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter"], engine)
    _report(world, actors["reporter"], engine, record_id=saved.record_id)  # resubmitted: version 2
    assert approve_records(actors["admin"], [saved.record_id], expected_versions={saved.record_id: 1}, engine=engine) == 0
    with pytest.raises(ConflictError):
        return_record(actors["admin"], saved.record_id, "请补充整改时限", expected_version=1, engine=engine)
    assert approve_records(actors["admin"], [saved.record_id], expected_versions={saved.record_id: 2}, engine=engine) == 1
