"""Two people naming the same new book at the same moment both save (PostgreSQL's READ COMMITTED
lets both look it up, find nothing and insert; the second insert used to fail UniqueViolation)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from db.engine import write_session
from db.models import Book
from db.study import book_for


def test_two_sessions_creating_the_same_book_at_once_share_one_row(fresh_engine):
    first_flushed = threading.Event()
    let_first_commit = threading.Event()
    found: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with write_session(fresh_engine) as session:
                found["first"] = book_for(session, "习近平谈治国理政", "").id
                first_flushed.set()
                let_first_commit.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
            first_flushed.set()

    def second() -> None:
        try:
            with write_session(fresh_engine) as session:
                found["second"] = book_for(session, "习近平谈治国理政", "").id
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    one = threading.Thread(target=first)
    one.start()
    first_flushed.wait(timeout=30)
    two = threading.Thread(target=second)
    two.start()
    # The second insert now waits on the first transaction's row (PostgreSQL) or on its write
    # lock (SQLite); either way the first commits while the second is waiting.
    two.join(timeout=0.5)
    let_first_commit.set()
    one.join(timeout=30)
    two.join(timeout=30)

    assert errors == []
    assert found["first"] == found["second"]
    with write_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(Book)) == 1
