"""Pages under Streamlit's AppTest: the first run with every cache emptied (cold), then a rerun."""
from __future__ import annotations

import os
import time

import streamlit as st
from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from core.security import DEMO_PASSWORD
from db.accounts import sign_in
from db.gallery import book_board

APP = str(PROJECT_ROOT / "app.py")
# A query parameter's value filled in from the database: the book with the most recommendations.
TOP_BOOK = "top book"
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
    ("book_notes", "views/books.py", None, {"book": TOP_BOOK}),
    ("honour_roll", "views/honour_roll.py", "admin", {}),
    ("suggestions", "views/suggestions.py", "admin", {}),
    ("problems", "views/problems.py", "admin", {}),
)


def page_times(database_url: str) -> dict[str, dict[str, float]]:
    """{page: {"cold_s", "rerun_s"}}; a page that raises is reported, not timed."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PUBLIC_READ", "true")
    signed = {name: sign_in(name, DEMO_PASSWORD) for name in ("admin", "reporter")}
    filled = {TOP_BOOK: book_board(None, limit=1)[0]["book_id"]}
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
