"""Deleting keeps the row; the office sees what was deleted and restores it; ids are never reused."""
from __future__ import annotations

import datetime as dt

import pytest

from db.access import ConflictError, PermissionDenied
from db.boards import unit_leaderboard
from db.record_queries import photo, record_detail, unit_records, unit_status_counts
from db.records import approve_records, delete_record, save_record
from db.trash import deleted_records, restore_record
from tests.db.test_records import _report, setup  # noqa: F401 - the fixture
from tests.db.world import END, START


def _points(engine, world) -> float:
    board = unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], metric="points", engine=engine)
    return next(row.points for row in board if row.unit_id == world.units["A"])


def test_a_deleted_draft_leaves_the_units_lists_and_the_office_restores_it(setup):  # noqa: F811
    engine, world, actors = setup
    draft = _report(world, actors["reporter_a"], submit=False, engine=engine)
    delete_record(actors["reporter_a"], draft.record_id, engine=engine)

    assert unit_records(actors["reporter_a"], world.units["A"], engine=engine) == []
    assert "deleted" not in unit_status_counts(actors["reporter_a"], world.units["A"], engine=engine)
    with pytest.raises(PermissionDenied) as refused:
        record_detail(actors["reporter_a"], draft.record_id, engine=engine)
    assert refused.value.key == "records.gone"
    with pytest.raises(PermissionDenied):  # nor can it be edited any more
        save_record(
            actors["reporter_a"], record_id=draft.record_id, expected_version=2, unit_id=world.units["A"],
            type_code="analysis_report", title="改", occurred_on=dt.date(2026, 4, 1), details={}, submit=False, engine=engine,
        )

    listed = deleted_records(actors["admin"], engine=engine)
    assert [(row["id"], row["deleted_from"]) for row in listed] == [(draft.record_id, "draft")]
    with pytest.raises(PermissionDenied):
        restore_record(actors["reporter_a"], draft.record_id, engine=engine)
    assert restore_record(actors["admin"], draft.record_id, engine=engine) == "draft"
    assert [row["id"] for row in unit_records(actors["reporter_a"], world.units["A"], engine=engine)] == [draft.record_id]
    assert deleted_records(actors["admin"], engine=engine) == []
    with pytest.raises(PermissionDenied) as again:
        restore_record(actors["admin"], draft.record_id, engine=engine)
    assert again.value.key == "trash.not_deleted"


def test_a_deleted_approved_record_leaves_the_board_and_comes_back_with_its_points(setup):  # noqa: F811
    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], engine=engine)
    approve_records(actors["admin"], [saved.record_id], engine=engine)
    counted = _points(engine, world)
    assert counted > 0
    delete_record(actors["admin"], saved.record_id, engine=engine)
    assert _points(engine, world) == 0
    with pytest.raises(ConflictError):
        restore_record(actors["admin"], saved.record_id, expected_version=1, engine=engine)
    assert restore_record(actors["admin"], saved.record_id, engine=engine) == "approved"
    assert _points(engine, world) == counted


def test_a_new_record_never_takes_the_id_of_a_deleted_one(setup):  # noqa: F811
    engine, world, actors = setup
    newest = _report(world, actors["reporter_a"], submit=False, engine=engine)
    delete_record(actors["reporter_a"], newest.record_id, engine=engine)
    after = _report(world, actors["reporter_a"], submit=False, engine=engine)
    assert after.record_id > newest.record_id


def test_a_deleted_suggestion_leaves_the_ledger_and_a_restore_brings_it_back(setup):  # noqa: F811
    from sqlalchemy import func, select

    from db.engine import read_session
    from db.models import Suggestion

    engine, world, actors = setup
    saved = save_record(
        actors["reporter_a"], unit_id=world.units["A"], type_code="suggestion", title="建议", occurred_on=dt.date(2026, 4, 1),
        details={"writer": world.cadres["a1"], "content": "建议把学习日固定在每月第一个周五。" * 3}, submit=True, engine=engine,
    )

    def suggestions() -> int:
        with read_session(engine) as session:
            return session.scalar(select(func.count()).select_from(Suggestion))

    assert suggestions() == 1
    delete_record(actors["admin"], saved.record_id, engine=engine)
    assert suggestions() == 0
    restore_record(actors["admin"], saved.record_id, engine=engine)
    assert suggestions() == 1


def test_a_photo_removed_while_editing_is_kept_and_the_records_restore_brings_it_back(setup):  # noqa: F811
    from sqlalchemy import select

    from db.engine import read_session
    from db.models import Attachment, AuditLog
    from tests.db.test_records import _photo

    engine, world, actors = setup
    reporter = actors["reporter_a"]
    saved = _report(world, reporter, submit=False, photos=[("a.png", _photo(1)), ("b.png", _photo(2))], engine=engine)
    detail = record_detail(reporter, saved.record_id, engine=engine)
    removed = detail["photos"][1]["id"]
    edited = _report(world, reporter, submit=False, record_id=saved.record_id, expected_version=detail["version"],
                     remove_photos=[removed], engine=engine)
    assert edited.photos == 1
    assert [photo["filename"] for photo in record_detail(reporter, saved.record_id, engine=engine)["photos"]] == ["a.png"]
    with pytest.raises(PermissionDenied):  # no longer served
        photo(reporter, removed, engine=engine)
    with read_session(engine) as session:
        kept = session.get(Attachment, removed)
        assert kept is not None and kept.deleted_at is not None and kept.data  # the row and its picture stay
        edit_audit = session.scalars(select(AuditLog).where(AuditLog.entity_id == saved.record_id).order_by(AuditLog.id.desc())).first()
        assert edit_audit.detail["removed_photos"] == [removed]

    delete_record(reporter, saved.record_id, engine=engine)
    restore_record(actors["admin"], saved.record_id, engine=engine)
    restored = record_detail(reporter, saved.record_id, engine=engine)
    assert sorted(photo["filename"] for photo in restored["photos"]) == ["a.png", "b.png"]


def test_a_command_audits_the_values_before_and_after(setup):  # noqa: F811
    from sqlalchemy import select

    from db.engine import read_session
    from db.models import AuditLog

    engine, world, actors = setup
    saved = _report(world, actors["reporter_a"], engine=engine)
    approve_records(actors["admin"], [saved.record_id], engine=engine)
    delete_record(actors["admin"], saved.record_id, engine=engine)
    restore_record(actors["admin"], saved.record_id, engine=engine)
    with read_session(engine) as session:
        rows = {row.action: row.detail for row in session.scalars(select(AuditLog).where(AuditLog.entity_id == saved.record_id))}
    assert rows["record.approve"]["before"]["status"] == "pending"
    assert rows["record.approve"]["after"]["status"] == "approved"
    assert rows["record.delete"]["after"]["status"] == "deleted"
    assert rows["record.restore"]["before"]["status"] == "deleted"
    assert rows["record.restore"]["after"]["status"] == "approved"
