"""Pages under Streamlit's AppTest: the first run with every cache emptied (cold), then a rerun."""
from __future__ import annotations

import os
import time

import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from core.enums import RecordStatus
from core.security import DEMO_PASSWORD
from db.accounts import sign_in
from db.engine import read_session
from db.models import ActivityRecord, StudyRecord

APP = str(PROJECT_ROOT / "app.py")
# A query parameter's value filled in from the database: the book of the newest approved note
# (found without the books page's own query, which would warm what the "books" figure times).
NEWEST_NOTES_BOOK = "book of the newest note"
# (figure name, page file, who looks: a demo account or None for a visitor, query parameters)
PAGES = (
    ("leaderboard", "views/leaderboard.py", None, {}),
    ("unit_detail", "views/unit_detail.py", None, {}),
    ("gallery", "views/gallery.py", None, {}),
    ("people_board", "views/people_board.py", None, {}),
    ("review", "views/review.py", "admin", {}),
    ("presenter", "views/presenter.py", None, {}),
    ("coverage", "views/coverage.py", "admin", {}),
    ("lagging", "views/lagging.py", "admin", {}),
    ("office_home", "views/office_home.py", "admin", {}),
    ("workbench", "views/workbench.py", "reporter", {}),
    ("books", "views/books.py", None, {}),
    ("book_notes", "views/books.py", None, {"book": NEWEST_NOTES_BOOK}),
    ("honour_roll", "views/honour_roll.py", "admin", {}),
    ("suggestions", "views/suggestions.py", "admin", {}),
    ("problems", "views/problems.py", "admin", {}),
)


def page_times(database_url: str) -> dict[str, dict[str, float]]:
    """{page: {"cold_s", "rerun_s"}}; a page that raises is reported, not timed."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PUBLIC_READ", "true")
    signed = {name: sign_in(name, DEMO_PASSWORD) for name in ("admin", "reporter")}
    filled = {NEWEST_NOTES_BOOK: _book_of_the_newest_note()}
    figures: dict[str, dict[str, float]] = {}
    for name, path, who, query in PAGES:
        at = AppTest.from_file(APP, default_timeout=300)
        if who is not None:
            at.session_state["signed_in"] = signed[who]
        at.run()  # the default page registers the pages st.navigation may switch to
        at.switch_page(path)
        for key, value in query.items():
            at.query_params[key] = str(filled.get(value, value))
        st.cache_data.clear()
        began = time.perf_counter()
        at.run()
        cold = time.perf_counter() - began
        began = time.perf_counter()
        at.run()
        rerun = time.perf_counter() - began
        if at.exception:
            raise RuntimeError(f"{path} raised: {at.exception[0].value}")
        figures[name] = {"cold_s": round(cold, 3), "rerun_s": round(rerun, 3)}
    return figures


def _book_of_the_newest_note() -> int:
    with read_session() as session:
        book_id = session.scalar(
            select(StudyRecord.book_id).join(ActivityRecord, ActivityRecord.id == StudyRecord.record_id)
            .where(ActivityRecord.status == RecordStatus.APPROVED, StudyRecord.book_id.is_not(None))
            .order_by(StudyRecord.id.desc()).limit(1)
        )
    if book_id is None:
        raise RuntimeError("no approved note names a book: the bench times a demo database")
    return book_id
