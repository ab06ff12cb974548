"""Entry and review through the data layer: scope, validation, double submits, conflicts, audit."""
import datetime as dt
import functools

import pytest
from sqlalchemy import func, select

from core.enums import RecordStatus
from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.boards import unit_leaderboard
from db.engine import read_session, write_session
from db.models import ActivityRecord, Attachment, AuditLog, Campaign, StudyRecord
from db.record_queries import (
    FLAGS,
    QueueFilter,
    count_by_status,
    photo,
    record_detail,
    review_queue,
    review_queue_size,
    unit_records,
    unit_status_counts,
)
from db.records import approve_records, delete_record, return_record, return_records, save_record
from tests.db.world import END, START, add_account, build_world


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

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


def _live(engine):
    """Records that are not deleted (a deleted record keeps its row: db/trash.py)."""
    with read_session(engine) as session:
        return session.scalar(select(func.count()).where(ActivityRecord.status != "deleted"))


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


def _photo(seed: int = 1) -> bytes:
    """A small real picture; the same seed gives the same pixels (and so the same content hash)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 30), (seed * 37 % 256, 90, 120))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _audit_actions(engine, record_id):
    with read_session(engine) as session:
        return session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "activity_record", AuditLog.entity_id == record_id).order_by(AuditLog.id)
        ).all()


def test_a_unit_deletes_its_drafts_and_returned_records_but_not_what_is_under_review(setup):
    engine, world, actors = setup
    draft = _report(world, actors["reporter_a"], submit=False, engine=engine)
    pending = _report(world, actors["reporter_a"], engine=engine)
    with pytest.raises(PermissionDenied):
        delete_record(actors["reporter_b"], draft.record_id, engine=engine)  # another unit
    with pytest.raises(PermissionDenied) as refused:
        delete_record(actors["reporter_a"], pending.record_id, engine=engine)
    assert refused.value.key == "records.delete_locked"
    delete_record(actors["reporter_a"], draft.record_id, expected_version=1, engine=engine)
    return_record(actors["admin"], pending.record_id, "请补充整改措施", engine=engine)
    delete_record(actors["reporter_a"], pending.record_id, engine=engine)
    assert _live(engine) == 0
    assert _audit_actions(engine, draft.record_id)[-1] == "record.delete"
    assert _audit_actions(engine, pending.record_id) == ["record.submit", "record.return", "record.delete"]


def test_only_the_office_deletes_an_approved_record_and_a_stale_delete_is_refused(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], engine=engine)
    approve_records(actors["admin"], [saved.record_id], engine=engine)
    with pytest.raises(PermissionDenied):
        delete_record(actors["reporter_a"], saved.record_id, engine=engine)
    with pytest.raises(ConflictError):
        delete_record(actors["admin"], saved.record_id, expected_version=1, engine=engine)  # approved since
    delete_record(actors["admin"], saved.record_id, expected_version=2, engine=engine)
    assert _live(engine) == 0


def test_a_cadre_deletes_only_their_own_drafts(setup):
    engine, world, actors = setup
    other = _report(world, actors["reporter_a"], writer="a1", submit=False, engine=engine)
    own = _report(world, actors["cadre_a2"], writer="a2", submit=False, engine=engine)
    with pytest.raises(PermissionDenied):
        delete_record(actors["cadre_a2"], other.record_id, engine=engine)
    delete_record(actors["cadre_a2"], own.record_id, engine=engine)
    assert _live(engine) == 1


def test_deleting_a_reading_note_keeps_its_gallery_entry_and_photos_for_a_restore(setup):
    engine, world, actors = setup
    saved = save_record(
        actors["reporter_a"], unit_id=world.units["A"], type_code="reading_note", title="", occurred_on=dt.date(2026, 4, 1),
        details={"writer": world.cadres["a1"], "book": "《红岩》", "book_author": "罗广斌", "note": "读" * 90, "takeaway": "悟" * 30},
        submit=False, photos=[("note.png", _photo())], engine=engine,
    )
    with read_session(engine) as session:
        record = session.get(ActivityRecord, saved.record_id)
        assert record.title == "《红岩》读书笔记"  # made from the book when left blank
    assert _count(engine, StudyRecord) == 1 and _count(engine, Attachment) == 1
    delete_record(actors["reporter_a"], saved.record_id, engine=engine)
    assert (_live(engine), _count(engine, StudyRecord), _count(engine, Attachment)) == (0, 1, 1)


def test_the_office_edits_an_approved_record_it_stays_approved_and_the_change_is_audited(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], engine=engine)
    approve_records(actors["admin"], [saved.record_id], engine=engine)
    result = _report(world, actors["admin"], record_id=saved.record_id, expected_version=2, title="党性分析报告(修订)", engine=engine)
    assert result.status == "approved"
    with read_session(engine) as session:
        entry = session.scalars(
            select(AuditLog).where(AuditLog.entity_id == saved.record_id, AuditLog.entity == "activity_record").order_by(AuditLog.id.desc())
        ).first()
    assert entry.action == "record.edit_approved"
    assert entry.detail["changes"] == {"title": ["党性分析报告", "党性分析报告(修订)"]}


def test_a_returned_record_is_fixed_with_its_photos_changed_and_resubmitted(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], photos=[("a.png", _photo(1)), ("b.png", _photo(2))], engine=engine)
    return_record(actors["admin"], saved.record_id, "第二张照片与本次活动无关", engine=engine)
    detail = record_detail(actors["reporter_a"], saved.record_id, engine=engine)
    wrong = detail["photos"][1]["id"]
    _report(world, actors["reporter_a"], record_id=saved.record_id, expected_version=detail["version"], remove_photos=[wrong], engine=engine)
    detail = record_detail(actors["reporter_a"], saved.record_id, engine=engine)
    assert [photo["filename"] for photo in detail["photos"]] == ["a.png"]
    assert (detail["status"], detail["return_reason"]) == ("pending", None)


def test_a_required_photo_cannot_be_removed_on_resubmission(setup):
    engine, world, actors = setup
    meeting = dict(
        unit_id=world.units["A"], type_code="analysis_meeting", title="评议会", occurred_on=dt.date(2026, 4, 1),
        details={"branch": world.branches["ab1"], "participants": 12, "summary": "会议" * 20}, submit=True, engine=engine,
    )
    saved = save_record(actors["reporter_a"], photos=[("m.png", _photo())], **meeting)
    photo_id = record_detail(actors["reporter_a"], saved.record_id, engine=engine)["photos"][0]["id"]
    with pytest.raises(ValidationFailed) as failure:
        save_record(actors["reporter_a"], record_id=saved.record_id, remove_photos=[photo_id], **meeting)
    assert failure.value.problems == [("photos", "validation.photo_required", {})]
    assert _count(engine, Attachment) == 1


def test_a_reviewer_approves_only_what_they_saw(setup):
    engine, world, actors = setup
    first = _report(world, actors["reporter_a"], engine=engine)
    second = _report(world, actors["reporter_a"], writer="a2", engine=engine)
    # The unit changes the second record after the reviewer opened the queue (version 1).
    _report(world, actors["reporter_a"], writer="a2", record_id=second.record_id, title="改过的标题", engine=engine)
    changed = approve_records(actors["admin"], [first.record_id, second.record_id], expected_versions={first.record_id: 1, second.record_id: 1}, engine=engine)
    assert changed == 1
    assert [row["id"] for row in review_queue(actors["admin"], engine=engine)] == [second.record_id]


def test_several_records_are_returned_at_once_with_one_reason(setup):
    engine, world, actors = setup
    ids = [_report(world, actors["reporter_a"], writer=writer, engine=engine).record_id for writer in ("a1", "a2", "a3")]
    with pytest.raises(ValidationFailed):
        return_records(actors["admin"], ids, "短", engine=engine)
    with pytest.raises(PermissionDenied):
        return_records(actors["reporter_a"], ids, "请补充材料", engine=engine)
    assert return_records(actors["admin"], ids[:2], "请补充会议照片", engine=engine) == 2
    rows = {row["id"]: row for row in unit_records(actors["reporter_a"], world.units["A"], engine=engine)}
    assert [rows[i]["status"] for i in ids] == ["returned", "returned", "pending"]
    assert rows[ids[0]]["return_reason"] == "请补充会议照片"
    assert unit_status_counts(actors["reporter_a"], world.units["A"], engine=engine) == {"returned": 2, "pending": 1}


def test_the_queue_filters_by_unit_type_and_date(setup):
    engine, world, actors = setup
    _report(world, actors["reporter_a"], occurred_on=dt.date(2026, 3, 1), engine=engine)
    april = _report(world, actors["reporter_a"], writer="a2", occurred_on=dt.date(2026, 4, 10), engine=engine)
    other_unit = _report(world, actors["reporter_b"], unit="B", writer="b1", occurred_on=dt.date(2026, 4, 12), engine=engine)
    admin = actors["admin"]
    in_april = review_queue(admin, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30), engine=engine)
    assert [row["id"] for row in in_april] == [april.record_id, other_unit.record_id]
    assert [row["id"] for row in review_queue(admin, unit_id=world.units["B"], engine=engine)] == [other_unit.record_id]
    assert review_queue(admin, type_code="publicity", engine=engine) == []
    assert review_queue_size(admin, QueueFilter(unit_id=world.units["A"]), engine=engine) == 2


def test_quality_flags_point_at_reused_photos_duplicates_short_reports_and_dates(setup):
    engine, world, actors = setup
    reporter = actors["reporter_a"]

    def report(writer, length=250, **extra):
        details = {"writer": world.cadres[writer], "problems": "问" * length, "causes": "因" * length, "measures": "措" * length}
        return _report(world, reporter, writer=writer, details=details, engine=engine, **extra)

    first = report("a1", photos=[("p.png", _photo(5))])
    # The same picture again, under another name, for another person: a reused photo.
    reused = report("a2", photos=[("copy.png", _photo(5))])
    # Same unit, type, person and date as the first: a likely duplicate.
    twin = report("a1")
    # Long enough for the rules (50 each) but far below the 600 characters a report is expected to have.
    short = report("a3", length=55)
    clean = report("a4")
    flags = {row["id"]: set(row["flags"]) for row in review_queue(actors["admin"], engine=engine)}
    # first and twin are also a1's second analysis report, a task owed once (repeat_task).
    assert flags[first.record_id] == {"shared_photo", "duplicate", "repeat_task"}
    assert flags[reused.record_id] == {"shared_photo"}
    assert flags[twin.record_id] == {"duplicate", "repeat_task"}
    assert flags[short.record_id] == {"short"}
    assert flags[clean.record_id] == set()
    detail = record_detail(actors["admin"], first.record_id, engine=engine)
    assert [row["id"] for row in detail["flag_sources"]["shared_photo"]] == [reused.record_id]
    assert [row["id"] for row in detail["flag_sources"]["duplicate"]] == [twin.record_id]
    # The campaign is shortened afterwards: records now outside it are flagged.
    with write_session(engine) as session:
        session.get(Campaign, world.campaign_id).end_date = dt.date(2026, 3, 31)
    flags = {row["id"]: set(row["flags"]) for row in review_queue(actors["admin"], engine=engine)}
    assert "outside_campaign" in flags[clean.record_id]
    # Filtering by a flag lists exactly the records showing it, and counts them.
    for flag in FLAGS:
        listed = review_queue(actors["admin"], criteria=QueueFilter(flag=flag), engine=engine)
        assert {row["id"] for row in listed} == {record_id for record_id, on in flags.items() if flag in on}, flag
        if flag != "short":
            assert review_queue_size(actors["admin"], QueueFilter(flag=flag), engine=engine) == len(listed)


def test_a_returned_duplicate_is_not_a_duplicate_any_more(setup):
    engine, world, actors = setup
    first = _report(world, actors["reporter_a"], engine=engine)
    second = _report(world, actors["reporter_a"], engine=engine)
    return_record(actors["admin"], first.record_id, "与另一条重复", engine=engine)
    assert review_queue(actors["admin"], engine=engine)[0]["id"] == second.record_id
    assert "duplicate" not in review_queue(actors["admin"], engine=engine)[0]["flags"]


def test_photos_and_details_are_seen_only_by_their_unit_and_the_office(setup):
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], writer="a1", photos=[("p.png", _photo())], engine=engine)
    photo_id = record_detail(actors["admin"], saved.record_id, engine=engine)["photos"][0]["id"]
    full = photo(actors["reporter_a"], photo_id, engine=engine)
    assert (full["mime"], full["data"][:3]) == ("image/jpeg", b"\xff\xd8\xff")  # re-encoded, metadata gone
    for outsider in (actors["reporter_b"], actors["viewer"], None, actors["cadre_a2"]):
        with pytest.raises(PermissionDenied):
            photo(outsider, photo_id, engine=engine)
        with pytest.raises(PermissionDenied):
            record_detail(outsider, saved.record_id, engine=engine)
    # A cadre sees their own records only, even inside their unit.
    assert unit_records(actors["cadre_a2"], world.units["A"], engine=engine) == []
    shown = dict(record_detail(actors["reporter_a"], saved.record_id, engine=engine)["shown"])
    assert shown["writer"] == "A1"  # people by name, not id


def test_the_review_pages_counts_equal_a_count_of_the_records(demo_engine):
    with read_session(demo_engine) as session:
        counted = dict(session.execute(select(ActivityRecord.status, func.count()).group_by(ActivityRecord.status)).all())
    shown = count_by_status(Actor(user_id=1, role="admin"), engine=demo_engine)
    watched = (RecordStatus.PENDING, RecordStatus.APPROVED, RecordStatus.RETURNED)
    assert {status: shown[status] for status in watched} == {status: counted.get(status, 0) for status in watched}
    assert all(shown[status] for status in watched)
