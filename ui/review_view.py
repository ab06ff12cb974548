"""The reviewer's side of one record: quality flags explained, the record itself, approve or return."""
from __future__ import annotations

from typing import Any

import streamlit as st

from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.records import approve_records, return_record, return_records
from ui.fields import plain, problem_lines
from ui.record_view import show_fields, show_photos, status_badge
from ui.state import language, t

FLASH_KEY = "review_flash"


def flag_text(flags: list[str]) -> str:
    return " · ".join(t(f"review.flag.{flag}") for flag in flags)


def _linked(rows: list[dict[str, Any]]) -> str:
    lang = language()
    return "; ".join(
        f"#{row['id']} {plain(row['title'])}({plain(row['name_' + lang])},{t('status.' + row['status'])})" for row in rows[:5]
    )


def explain_flags(detail: dict[str, Any]) -> None:
    """Each flag in words, with the other records it points at."""
    sources = detail.get("flag_sources", {})
    for flag in detail["flags"]:
        message = t(f"review.flag_detail.{flag}")
        if sources.get(flag):
            message += " " + t("review.flag_records", records=_linked(sources[flag]))
        st.warning(message, icon=":material/flag:")


def _finish(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    st.rerun()


def approve(actor: Actor, rows: list[dict[str, Any]]) -> None:
    """Approve what the reviewer saw; anything changed or handled meanwhile is left alone and said so."""
    try:
        changed = approve_records(actor, [row["id"] for row in rows], expected_versions={row["id"]: row["version"] for row in rows})
    except ConflictError as conflict:
        st.error(t(conflict.key))
        return
    message = t("review.approved_done", count=changed)
    if changed < len(rows):
        message += " " + t("review.skipped", count=len(rows) - changed)
    _finish(message)


def return_selected(actor: Actor, rows: list[dict[str, Any]]) -> None:
    """A popover to return several records with one reason."""
    with st.popover(t("review.return_selected", count=len(rows)), icon=":material/undo:"), st.form("return_many", border=False):
        reason = st.text_area(t("review.return_reason"), placeholder=t("review.return_placeholder"), max_chars=2000)
        sent = st.form_submit_button(t("review.return_button"), icon=":material/undo:")
    if not sent:
        return
    try:
        changed = return_records(actor, [row["id"] for row in rows], reason, expected_versions={row["id"]: row["version"] for row in rows})
    except ValidationFailed as failure:
        st.error("\n".join(problem_lines(failure.problems)))
        return
    except ConflictError as conflict:
        st.error(t(conflict.key))
        return
    message = t("review.returned_many", count=changed)
    if changed < len(rows):
        message += " " + t("review.skipped", count=len(rows) - changed)
    _finish(message)


def review_panel(actor: Actor, detail: dict[str, Any]) -> None:
    """The opened record: flags first (they are why a reviewer looks twice), then content, then the decision."""
    header = st.columns([6, 2])
    header[0].subheader(f"{t('review.detail')} · {detail['id']} · {plain(detail['title'])}")
    with header[1]:
        status_badge(detail["status"])
    explain_flags(detail)
    if detail["status"] == "returned" and detail["return_reason"]:
        st.info(t("records.returned_because", reason=plain(detail["return_reason"])), icon=":material/undo:")
    body = st.columns([3, 2])
    with body[0]:
        show_fields(detail)
    with body[1]:
        show_photos(actor, detail, per_row=2)
    if detail["status"] not in {"pending", "approved"}:
        return
    with st.form(f"decide_{detail['id']}"):
        reason = st.text_area(t("review.return_reason"), placeholder=t("review.return_placeholder"), max_chars=2000)
        with st.container(horizontal=True):
            do_return = st.form_submit_button(t("review.return_button"), icon=":material/undo:")
            do_approve = detail["status"] == "pending" and st.form_submit_button(
                t("review.approve_one"), type="primary", icon=":material/done:"
            )
    if do_return:
        try:
            return_record(actor, detail["id"], reason, expected_version=detail["version"])
        except ValidationFailed as failure:
            st.error("\n".join(problem_lines(failure.problems)))
        except (ConflictError, PermissionDenied) as refused:
            st.error(t(refused.key))
        else:
            _finish(t("review.returned_done", id=detail["id"]))
    if do_approve:
        approve(actor, [detail])
