"""Eight writers at once — entry, review, likes, an import — on SQLite and PostgreSQL.

Each writer does a fixed number of operations (bounded time). Afterwards every accepted write
is present exactly once, every refusal was one of the documented exceptions with a message key,
and no "database is locked" (or any other unexpected error) reached a writer.
"""
from __future__ import annotations

import datetime as dt
import random
import threading
import uuid
from collections import Counter

from sqlalchemy import func, select

from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.accounts import create_user
from db.engine import read_session
from db.gallery_actions import like
from db.imports import ImportRejected, import_records
from db.models import ActivityRecord, StudyLike, StudyRecord
from db.records import approve_records, save_record
from tests.db.world import build_world

OPERATIONS = 12  # per writer
ON = dt.date(2026, 5, 1)
DOCUMENTED = (PermissionDenied, ValidationFailed, ConflictError, ImportRejected)


def _user(engine, world, name: str, role: str, unit: str | None = None, cadre: str | None = None) -> Actor:
    unit_id = world.units[unit] if unit else None
    cadre_id = world.cadres[cadre] if cadre else None
    user_id = create_user(
        username=name, display_name=name, password="a-long-enough-password", role=role, rounds=4,
        engine=engine, unit_id=unit_id, cadre_id=cadre_id,
    )
    return Actor(user_id=user_id, role=role, unit_id=unit_id, cadre_id=cadre_id)


def _entry(actor: Actor, world, engine, token: str, step: int):  # noqa: ANN001, ANN202
    """A forum for a reporter; a reading note for a cadre (their own, about a book others may be
    naming at the same moment)."""
    if actor.role == "cadre":
        return save_record(
            actor, unit_id=actor.unit_id, type_code="reading_note", title="", occurred_on=ON,
            details={"writer": actor.cadre_id, "book": f"《共读{step % 3}》", "book_author": "作者", "note": "读" * 90, "takeaway": "悟" * 30},
            submit=True, client_token=token, engine=engine,
        )
    return save_record(
        actor, unit_id=actor.unit_id, type_code="cadre_forum", title=f"组工论坛 {token}", occurred_on=ON,
        details={"topic": "干部工作", "speaker": world.cadres["a1" if actor.unit_id == world.units["A"] else "b1"], "participants": 12},
        submit=True, client_token=token, engine=engine,
    )


def test_eight_writers_at_once_lose_nothing_and_see_no_lock_errors(fresh_engine):
    engine = fresh_engine
    world = build_world(engine)
    admin = _user(engine, world, "office", "admin")
    reporter_a = _user(engine, world, "ra", "reporter", "A")
    reporter_b = _user(engine, world, "rb", "reporter", "B")
    cadre_a2 = _user(engine, world, "ca2", "cadre", "A", "a2")
    likers = [_user(engine, world, f"liker{n}", "cadre", "C", f"c{n}") for n in (1, 2)]
    notes = [
        save_record(
            reporter_a, unit_id=world.units["A"], type_code="reading_note", title="", occurred_on=ON,
            details={"writer": world.cadres["a3"], "book": f"《书{n}》", "book_author": "作者", "note": "读" * 90, "takeaway": "悟" * 30},
            submit=True, engine=engine,
        ).record_id
        for n in range(4)
    ]
    approve_records(admin, notes, engine=engine)
    with read_session(engine) as session:
        study_ids = session.scalars(select(StudyRecord.id)).all()

    accepted: dict[str, list] = {"entries": [], "imports": [], "likes": [], "approved": []}
    refused: list[tuple[str, str]] = []  # (writer, message key)
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(name: str, work) -> None:  # noqa: ANN001 - a callable doing one operation
        for step in range(OPERATIONS):
            try:
                work(step)
            except DOCUMENTED as refusal:
                with lock:
                    refused.append((name, getattr(refusal, "key", type(refusal).__name__)))
            except BaseException as error:  # noqa: BLE001 - every other error fails the test
                with lock:
                    unexpected.append(error)

    def entry(actor: Actor):  # noqa: ANN202
        def work(step: int) -> None:
            token = uuid.uuid4().hex
            saved = _entry(actor, world, engine, token, step)
            with lock:
                accepted["entries"].append((saved.record_id, token))
        return work

    def approver(_step: int) -> None:
        with read_session(engine) as session:
            pending = session.scalars(select(ActivityRecord.id).where(ActivityRecord.status == "pending").limit(5)).all()
        if pending:
            approve_records(admin, pending, engine=engine)
            with lock:
                accepted["approved"].extend(pending)

    def liker(actor: Actor):  # noqa: ANN202
        chooser = random.Random(actor.user_id)

        def work(_step: int) -> None:
            study_id = chooser.choice(study_ids)
            like(actor, study_id, engine=engine)
            with lock:
                accepted["likes"].append((actor.user_id, study_id))
        return work

    def importer(step: int) -> None:
        rows = [(n, {"title": f"导入论坛 {step}-{n}", "occurred_on": ON + dt.timedelta(days=n), "topic": "人才工作", "speaker": "B1", "participants": 20}) for n in range(1, 4)]
        ids = import_records(reporter_b, unit_id=world.units["B"], type_code="cadre_forum", rows=rows, submit=True, source="grid", engine=engine)
        with lock:
            accepted["imports"].extend(ids)

    writers = {
        "entry-a": entry(reporter_a), "entry-b": entry(reporter_b), "entry-cadre": entry(cadre_a2),
        "approve-1": approver, "approve-2": approver, "like-1": liker(likers[0]), "like-2": liker(likers[1]),
        "import": importer,
    }
    threads = [threading.Thread(target=run, args=item) for item in writers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert not any(thread.is_alive() for thread in threads)
    assert unexpected == [], [repr(error) for error in unexpected[:5]]
    assert all(isinstance(key, str) and key for _, key in refused)
    # Two approvers reaching for the same pending record: one approves, the other is told it changed.
    assert {(name, key) for name, key in refused} <= {("approve-1", "error.conflict"), ("approve-2", "error.conflict")}
    with read_session(engine) as session:
        tokens = dict(session.execute(select(ActivityRecord.id, ActivityRecord.client_token).where(ActivityRecord.client_token.is_not(None))).all())
        statuses = dict(session.execute(select(ActivityRecord.id, ActivityRecord.status)).all())
        likes = Counter(session.execute(select(StudyLike.user_id, StudyLike.study_id)).all())
        like_counts = dict(session.execute(select(StudyRecord.id, StudyRecord.like_count)).all())
        total = session.scalar(select(func.count()).select_from(ActivityRecord))
    # Every accepted entry is there once, under its own token; every imported row too.
    assert len(accepted["entries"]) == 3 * OPERATIONS
    assert {record_id: tokens[record_id] for record_id, _ in accepted["entries"]} == dict(accepted["entries"])
    assert len(set(accepted["imports"])) == len(accepted["imports"]) == 3 * OPERATIONS
    assert total == len(notes) + len(accepted["entries"]) + len(accepted["imports"])
    assert all(statuses[record_id] == "approved" for record_id in accepted["approved"])
    # A like is stored once however often it was given, and the counters agree with the rows.
    assert set(likes) == set(accepted["likes"]) and set(likes.values()) <= {1}
    assert all(like_counts[study] == sum(1 for _, liked in likes if liked == study) for study in like_counts)
