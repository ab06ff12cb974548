"""建议征集 on screen: the list as a table, one suggestion with its answer, the office's answer
form, the form a cadre or reporter submits with, and the answer shown on the submitter's record."""
from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
import streamlit as st

from core.i18n import format_date, format_datetime
from core.ledgers import DECISIONS, SuggestionStatus
from core.safe_text import as_text
from db.access import Actor, PermissionDenied
from db.suggestions import (
    answer_suggestion,
    route_suggestion,
    set_anonymous,
    submit_suggestion,
    suggestion_of_record,
)
from ui.board_frames import Column
from ui.ledger_common import label, run
from ui.state import language, t

STATUS_COLORS = {"submitted": "orange", "adopted": "green", "partial": "blue", "declined": "gray"}
_TOKEN_KEY = "suggestion_form_token"


def status_text(status: str) -> str:
    return t(f"ledgers.suggestion_status.{status}")


def submitter_text(row: dict[str, Any]) -> str:
    if row["anonymous"] and row["submitter"] is None:
        return t("ledgers.anonymous")
    name = row["submitter"] or ""
    return f"{name}({t('ledgers.anonymous')})" if row["anonymous"] else name


def table(rows: list[dict[str, Any]]) -> tuple[pd.DataFrame, list[Column]]:
    lang = language()
    columns = [
        Column("id", t("ledgers.column.id"), "int"),
        Column("status", t("ledgers.column.status"), "text"),
        Column("title", t("ledgers.field.title"), "wide_text"),
        Column("unit", t("ledgers.column.unit"), "text"),
        Column("submitter", t("ledgers.column.submitter"), "text"),
        Column("division", t("ledgers.field.division"), "text"),
        Column("submitted", t("ledgers.column.submitted"), "text"),
        Column("adopted_on", t("ledgers.column.adopted_on"), "text"),
        Column("answer", t("ledgers.field.answer"), "wide_text"),
    ]
    frame = pd.DataFrame(
        [
            {
                "id": row["id"], "status": status_text(row["status"]), "title": row["title"],
                "unit": row["unit_" + lang], "submitter": submitter_text(row),
                "division": row["division_" + lang] or "", "submitted": format_datetime(row["created_at"], lang),
                "adopted_on": format_date(row["adopted_on"], lang), "answer": row["answer"],
            }
            for row in rows
        ],
        columns=[column.key for column in columns],
    )
    return frame, columns


def show_answer(row: dict[str, Any]) -> None:
    """The office's answer as the submitter reads it; user text stays plain."""
    lang = language()
    st.badge(status_text(row["status"]), color=STATUS_COLORS.get(row["status"], "gray"))
    if row["status"] == SuggestionStatus.SUBMITTED:
        key = "ledgers.waiting_division" if row["division_id"] else "ledgers.waiting"
        st.caption(t(key, division=as_text(row["division_" + lang] or "")))
        return
    facts = [t("ledgers.answered_on", at=format_datetime(row["answered_at"], lang))]
    if row["division_id"]:
        facts.append(t("ledgers.handled_by", division=as_text(row["division_" + lang])))
    st.caption(" · ".join(facts))
    st.markdown(f"**{label('answer')}**")
    st.text(row["answer"])
    if row["decision_reason"]:
        st.markdown(f"**{label('reason')}**")
        st.text(row["decision_reason"])


def detail_panel(actor: Actor, row: dict[str, Any], divisions: list[dict[str, Any]], anonymous_allowed: bool) -> None:
    lang = language()
    st.subheader(f"{t('ledgers.suggestion')} · {row['id']} · {as_text(row['title'])}")
    facts = [row["unit_" + lang], submitter_text(row), format_datetime(row["created_at"], lang)]
    st.caption(" · ".join(as_text(fact) for fact in facts if fact))
    st.text(row["body"])
    show_answer(row)
    if row["is_mine"] and (anonymous_allowed or row["anonymous"]):
        wanted = st.toggle(t("ledgers.anonymous_toggle"), value=row["anonymous"], key=f"anon_{row['id']}", help=t("ledgers.anonymous_help"))
        if wanted != row["anonymous"]:
            run(lambda: set_anonymous(actor, row["id"], wanted), t("ledgers.anonymous_saved"))
    if actor.is_admin:
        answer_form(actor, row, divisions)


def answer_form(actor: Actor, row: dict[str, Any], divisions: list[dict[str, Any]]) -> None:
    """Route to a division, and answer: adopted, partly adopted or not adopted, with the reply."""
    lang = language()
    names = {division["id"]: division["name_" + lang] for division in divisions}
    options = [None, *names]
    with st.form(f"route_{row['id']}", border=False), st.container(horizontal=True, vertical_alignment="bottom"):
        division = st.selectbox(
            label("division"), options, index=options.index(row["division_id"]) if row["division_id"] in options else 0,
            format_func=lambda ident: t("ledgers.no_division") if ident is None else names[ident],
        )
        if st.form_submit_button(t("ledgers.route"), icon=":material/forward_to_inbox:"):
            run(lambda: route_suggestion(actor, row["id"], division, expected_version=row["version"]), t("ledgers.routed"))
    with st.form(f"answer_{row['id']}"):
        current = row["status"] if row["status"] in DECISIONS else None
        decision = st.radio(
            label("decision"), list(DECISIONS), index=list(DECISIONS).index(current) if current else None,
            format_func=status_text, horizontal=True,
        )
        answer = st.text_area(label("answer"), value=row["answer"], max_chars=4000, placeholder=t("ledgers.answer_placeholder"))
        reason = st.text_area(label("reason"), value=row["decision_reason"], max_chars=4000, help=t("ledgers.reason_help"))
        sent = st.form_submit_button(
            t("ledgers.answer_button" if row["status"] == SuggestionStatus.SUBMITTED else "ledgers.change_answer"),
            type="primary", icon=":material/reply:",
        )
    if sent:
        run(
            lambda: answer_suggestion(actor, row["id"], status=decision or "", answer=answer, reason=reason, expected_version=row["version"]),
            t("ledgers.answered", id=row["id"]),
        )


def submit_form(actor: Actor, unit_id: int, cadres: list[dict[str, Any]], anonymous_allowed: bool) -> None:
    """A cadre writes as themself; a unit's reporter names the cadre whose suggestion it is."""
    token = st.session_state.setdefault(_TOKEN_KEY, uuid.uuid4().hex)
    with st.form("suggestion_submit", clear_on_submit=False):
        title = st.text_input(label("title"), max_chars=200)
        content = st.text_area(label("content"), max_chars=4000, help=t("entry.min_len", min=20))
        writer = None
        if not actor.enters_own_records_only:
            people = {cadre["id"]: cadre["name"] for cadre in cadres}
            writer = st.selectbox(label("writer"), list(people), index=None, format_func=people.get, placeholder=t("entry.choose"))
        anonymous = st.checkbox(t("ledgers.anonymous_toggle"), help=t("ledgers.anonymous_help")) if anonymous_allowed else False
        sent = st.form_submit_button(t("ledgers.submit"), type="primary", icon=":material/send:")
    if sent:
        def submit() -> None:
            submit_suggestion(actor, unit_id=unit_id, title=title, content=content, cadre_id=writer, anonymous=anonymous, client_token=token)
            st.session_state.pop(_TOKEN_KEY, None)

        run(submit, t("ledgers.submitted"))


def answer_on_record(actor: Actor, record_id: int) -> None:
    """On a 建议征集 record's own page: what the office answered (or that it has not yet)."""
    try:
        row = suggestion_of_record(actor, record_id)
    except PermissionDenied:
        return
    if row is None:
        return
    with st.container(border=True):
        st.markdown(f"**{t('ledgers.office_answer')}**")
        show_answer(row)
