"""User text is never markup (issue 14.2): Markdown, HTML and link payloads planted in every
user-text field (unit, group, campaign, rule set, person and account names, record and book
titles) reach no page as a link, an image, an HTML element or a Streamlit directive.

Each Markdown body a page sends (titles, captions, alerts, markdown, widget labels) is reduced
to what Markdown would parse: every backslash-escaped character is removed, since an escaped
character is always literal text. What remains must hold none of the payload's live syntax.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from sqlalchemy import select

from core.clock import office_today
from core.safe_text import as_text
from db.engine import write_session
from db.models import Cadre, Campaign, ComparisonGroup, RuleSet, Unit, User
from db.records import approve_records, delete_record, save_record
from db.reference import unit_people
from tests.pages.apptest import open_app

# Each piece is live syntax when rendered unescaped: an image, a link, an HTML element, a bare
# URL that GitHub Markdown autolinks, an e-mail autolink and a Streamlit colour directive.
PAYLOAD = "![i](http://e.vil/p)[l](http://e.vil)<b id=pwn>b</b> www.e.vil a@e.vil :red[r]"
SHORT = "[l](http://e.vil)<b id=pwn>b</b>"  # for 40- and 60-character fields (cadre, account)
LIVE = [
    re.compile(r"!\["), re.compile(r"\]\("), re.compile(r"<b id=pwn"), re.compile(r"www\.e"),
    re.compile(r"@e\.vil"), re.compile(r":red\["), re.compile(r"http://"),
]


def _skeleton(body: str) -> str:
    return re.sub(r"\\.", "", body)


def live_syntax(body: str) -> list[str]:
    skeleton = _skeleton(body)
    return [pattern.pattern for pattern in LIVE if pattern.search(skeleton)]


def test_the_helper_leaves_nothing_live_and_keeps_every_character():
    escaped = as_text(PAYLOAD)
    assert live_syntax(escaped) == []
    assert re.sub(r"\\(.)", r"\1", escaped) == PAYLOAD
    assert live_syntax(PAYLOAD)  # the check itself sees the raw payload


def _html_elements(at) -> list[str]:
    """st.html bodies are raw HTML (no Markdown, no autolinks): there only a live tag matters."""
    return [element.proto.body for element in at.get("html") if "<b id=pwn" in element.proto.body]


def _bodies(at) -> list[str]:
    bodies = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "error", "info", "success", "warning", "toast"):
        bodies += [str(element.value) for element in at.get(kind)]
    for kind in ("selectbox", "multiselect", "text_input", "text_area", "button", "checkbox", "radio", "number_input", "date_input"):
        bodies += [str(element.label) for element in at.get(kind)]
    return bodies


@pytest.fixture
def planted(accounts):
    """Payloads in every user-text field the reporter's and the office's pages show; undone after."""
    reporter = accounts["reporter"].actor
    admin = accounts["admin"].actor
    fields = [
        (Unit, reporter.unit_id, ("name_zh", "name_en")),
        (User, reporter.user_id, ("display_name",)),
    ]
    originals = []
    with write_session() as session:
        unit = session.get(Unit, reporter.unit_id)
        fields.append((ComparisonGroup, unit.group_id, ("name_zh", "name_en")))
        fields.append((Campaign, session.scalar(select(Campaign.id).where(Campaign.active.is_(True))), ("name_zh", "name_en")))
        fields.append((RuleSet, session.scalar(select(RuleSet.id).order_by(RuleSet.version.desc()).limit(1)), ("name",)))
        cadre_id = unit_people(reporter, reporter.unit_id)["cadres"][0]["id"]
        fields.append((Cadre, cadre_id, ("name",)))
        for model, ident, names in fields:
            row = session.get(model, ident)
            for name in names:
                originals.append((model, ident, name, getattr(row, name)))
                setattr(row, name, SHORT if model in (Cadre, User) else PAYLOAD)
    day = office_today() - dt.timedelta(days=1)
    note = save_record(
        admin, unit_id=reporter.unit_id, type_code="reading_note", title="", occurred_on=day, submit=True,
        details={"writer": cadre_id, "book": PAYLOAD[:60], "book_author": SHORT, "note": PAYLOAD + "。" * 80, "takeaway": PAYLOAD},
    )
    approve_records(admin, [note.record_id])
    record = save_record(
        reporter, unit_id=reporter.unit_id, type_code="publicity", title=PAYLOAD, occurred_on=day, submit=True,
        details={"outlet": "《组工动态》"},
    )
    signed = {
        "admin": accounts["admin"],
        "reporter": dataclasses.replace(accounts["reporter"], display_name=SHORT),
    }
    try:
        yield signed, note.record_id, record.record_id
    finally:
        for ident in (note.record_id, record.record_id):
            delete_record(admin, ident)
        with write_session() as session:
            for model, ident, name, value in originals:
                setattr(session.get(model, ident), name, value)


PAGES = [
    ("admin", "views/leaderboard.py", {}),
    ("admin", "views/unit_detail.py", {}),
    ("admin", "views/people_board.py", {}),
    ("admin", "views/rules.py", {}),
    ("admin", "views/review.py", {}),
    ("admin", "views/gallery.py", {}),
    ("admin", "views/books.py", {}),
    ("reporter", "views/entry.py", {}),
    ("reporter", "views/my_records.py", {}),
    ("reporter", "views/import_data.py", {}),
    ("reporter", "views/bulk_entry.py", {}),
]


@pytest.mark.parametrize("who, page, query", PAGES)
def test_no_page_turns_planted_text_into_markup(planted, who, page, query):
    signed, _note, _record = planted
    at = open_app(signed[who], page, **query)
    found = {body: live_syntax(body) for body in _bodies(at) if live_syntax(body)}
    assert not found, found
    assert not _html_elements(at)


def test_an_opened_record_and_a_book_page_show_the_payload_as_text(planted):
    signed, note_id, record_id = planted
    at = open_app(signed["admin"], "views/review.py")
    next(box for box in at.selectbox if box.label == "查看记录").set_value(record_id).run()
    bodies = _bodies(at)
    assert any(as_text(PAYLOAD) in body for body in bodies), "the opened record shows its title"
    assert not {body: live_syntax(body) for body in bodies if live_syntax(body)}
    at = open_app(signed["admin"], "views/gallery.py", study=_study_of(note_id))
    assert not {body: live_syntax(body) for body in _bodies(at) if live_syntax(body)}
    assert not _html_elements(at)


def _study_of(record_id: int) -> int:
    from db.engine import read_session
    from db.models import StudyRecord

    with read_session() as session:
        return session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == record_id))
