"""Writers queue on PostgreSQL before they lock any row, as SQLite's BEGIN IMMEDIATE queues them.

The summaries' triggers take one advisory lock before they move a summary row (migration 0022,
and 0027 on study_record). A writer that locked a row first and reached that lock later
deadlocked with one that held the lock and waited for the row: an edit of a note's book against
the approval of the same record, a like against the liker's own new note in another tab
(found by review, both reproduced with the slow step below). db.engine.write_session now takes
the lock first.
"""
import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select

import db.gallery_actions as gallery_actions
import db.records as records_module
from db.engine import is_sqlite, read_session
from db.models import ActivityRecord, StudyRecord
from db.records import approve_records, save_record
from tests.db.world import add_account, build_world

ON = dt.date(2026, 5, 1)
PAUSE = 1.0  # a slow request: long enough for the other writer to start and wait


@pytest.fixture
def office(fresh_engine):
    if is_sqlite(fresh_engine):
        pytest.skip("SQLite queues every writer at BEGIN IMMEDIATE: runs with TEST_DATABASE_URL")
    world = build_world(fresh_engine)
    accounts = {
        "office": add_account(fresh_engine, world, "office", "admin"),
        "reporter": add_account(fresh_engine, world, "ra", "reporter", "A"),
        "liker": add_account(fresh_engine, world, "c1", "cadre", "C", "c1"),
    }
    return fresh_engine, world, accounts


def _note(world, writer: str, book: str) -> dict:  # noqa: ANN001
    return {"writer": world.cadres[writer], "book": book, "book_author": "作者", "note": "读" * 90, "takeaway": "悟" * 30}


def _slowed(function):  # noqa: ANN001, ANN202
    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        time.sleep(PAUSE)
        return function(*args, **kwargs)
    return slow


def _race(first, second) -> dict[str, object]:  # noqa: ANN001
    """Runs `first`, then `second` a moment later, at once; what each returned or raised."""
    results: dict[str, object] = {}

    def run(name: str, call, delay: float) -> None:  # noqa: ANN001
        time.sleep(delay)
        try:
            results[name] = call()
        except Exception as error:  # noqa: BLE001 - the assertion reports what a writer met
            results[name] = error

    threads = [threading.Thread(target=run, args=("first", first, 0)), threading.Thread(target=run, args=("second", second, 0.3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_an_edit_of_a_notes_book_and_the_approval_of_its_record_both_go_through(office, monkeypatch):
    engine, world, accounts = office
    record_id = save_record(accounts["reporter"], unit_id=world.units["A"], type_code="reading_note", title="", occurred_on=ON,
                            details=_note(world, "a3", "红岩"), submit=True, engine=engine).record_id
    # The edit pauses between its record's flush and its note's, as a slow request would.
    monkeypatch.setattr(records_module, "sync_study", _slowed(records_module.sync_study))
    results = _race(
        lambda: save_record(accounts["reporter"], unit_id=world.units["A"], type_code="reading_note", title="", occurred_on=ON,
                            details=_note(world, "a3", "乡土中国"), submit=True, record_id=record_id, engine=engine).status,
        lambda: approve_records(accounts["office"], [record_id], engine=engine),
    )
    assert results == {"first": "pending", "second": 1}
    with read_session(engine) as session:
        assert session.scalar(select(ActivityRecord.status).where(ActivityRecord.id == record_id)) == "approved"


def test_a_like_and_the_likers_own_new_note_both_go_through(office, monkeypatch):
    engine, world, accounts = office
    record_id = save_record(accounts["reporter"], unit_id=world.units["A"], type_code="reading_note", title="", occurred_on=ON,
                            details=_note(world, "a3", "红岩"), submit=True, engine=engine).record_id
    approve_records(accounts["office"], [record_id], engine=engine)
    with read_session(engine) as session:
        study_id = session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == record_id))
    # The like pauses after it has locked its own account's row.
    monkeypatch.setattr(gallery_actions, "likes_last_day", _slowed(gallery_actions.likes_last_day))
    results = _race(
        lambda: gallery_actions.like(accounts["liker"], study_id, engine=engine).like_count,
        lambda: save_record(accounts["liker"], unit_id=world.units["C"], type_code="reading_note", title="", occurred_on=ON,
                            details=_note(world, "c1", "红岩"), submit=True, engine=engine).status,
    )
    assert results == {"first": 1, "second": "pending"}
