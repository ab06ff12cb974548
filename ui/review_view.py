"""The reviewer's side of one record: quality flags explained, the record itself, approve or return.

A decision carries what the reviewer saw: the rows they saw ticked and each record's version when
it was shown. The data layer refuses a decision on a record changed since (db.records), and the
page shows that record again, saying so.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.enums import RecordStatus
from core.safe_text import as_text
from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.records import approve_records, return_record, return_records
from ui import data
from ui.fields import problem_lines
from ui.record_view import show_fields, show_photos, status_badge
from ui.state import language, t

FLASH_KEY = "review_flash"
OPEN_KEY = "review_open"  # the id of the record opened below the queue
_OPEN_BOX_GENERATION = "review_open_box_generation"
_SEEN_VERSIONS = "review_seen_versions"  # record id -> the version the reviewer was last shown
_TABLE_GENERATION = "review_table_generation"
_TABLE_ROWS = "review_table_rows"  # (table key, [(id, version)]) as last shown


@dataclass(frozen=True)
class Shown:
    """One queue row as the reviewer saw it."""

    id: int
    version: int


def table_key(criteria_key: str) -> str:
    """The queue table's widget key; a new generation starts with nothing ticked."""
    return f"review_table_{criteria_key}_{st.session_state.get(_TABLE_GENERATION, 0)}"


def clear_selection() -> None:
    st.session_state[_TABLE_GENERATION] = st.session_state.get(_TABLE_GENERATION, 0) + 1


def shown_rows(key: str, rows: Sequence[dict[str, Any]]) -> tuple[str, list[Shown], bool]:
    """The table key to use, the rows the reviewer saw last time, and whether the ticks were dropped.

    Ticks are row positions. When the queue under them changed (a bulk action, another reviewer),
    the same positions would tick records nobody chose: the selection starts again empty instead.
    """
    fresh = [Shown(row["id"], row["version"]) for row in rows]
    last_key, last_rows = st.session_state.get(_TABLE_ROWS, (None, []))
    dropped = False
    if last_key == key and [row.id for row in last_rows] != [row.id for row in fresh]:
        clear_selection()
        dropped = True
        key = key.rsplit("_", 1)[0] + f"_{st.session_state[_TABLE_GENERATION]}"
    seen = last_rows if last_key == key else fresh
    st.session_state[_TABLE_ROWS] = (key, fresh)
    return key, seen, dropped


def open_box_key() -> str:
    """The record picker's key. The page keeps the opened id itself (OPEN_KEY): a picker whose
    options change (a record resubmitted moves in the queue) would otherwise forget its choice."""
    return f"review_open_box_{st.session_state.get(_OPEN_BOX_GENERATION, 0)}"


def open_record(record_id: int | None) -> None:
    """Open a record below the queue (None: close it); a fresh picker shows the choice."""
    st.session_state[OPEN_KEY] = record_id
    st.session_state[_OPEN_BOX_GENERATION] = st.session_state.get(_OPEN_BOX_GENERATION, 0) + 1


def flag_text(flags: list[str]) -> str:
    return " · ".join(t(f"review.flag.{flag}") for flag in flags)


def _linked(rows: list[dict[str, Any]]) -> str:
    lang = language()
    return "; ".join(
        f"#{row['id']} {as_text(row['title'])}({as_text(row['name_' + lang])},{t('status.' + row['status'])})" for row in rows[:5]
    )


def explain_flags(detail: dict[str, Any]) -> None:
    """Each flag in words, with the other records it points at."""
    sources = detail.get("flag_sources", {})
    for flag in detail["flags"]:
        message = t(f"review.flag_detail.{flag}")
        if sources.get(flag):
            message += " " + t("review.flag_records", records=_linked(sources[flag]))
        st.warning(message, icon=":material/flag:")


def _finish(message: str, *, open_next: int | None = None) -> None:
    data.refresh()  # the queue is cached per data version: show it without the decided records now
    st.session_state[FLASH_KEY] = message
    clear_selection()
    open_record(open_next)
    st.rerun()


def approve(actor: Actor, seen: Sequence[Shown]) -> None:
    """Approve exactly the records the reviewer saw ticked, at the versions they saw."""
    try:
        changed = approve_records(actor, [row.id for row in seen], expected_versions={row.id: row.version for row in seen})
    except ConflictError as conflict:
        st.error(t(conflict.key))
        return
    message = t("review.approved_done", count=changed)
    if changed < len(seen):
        message += " " + t("review.skipped", count=len(seen) - changed)
    _finish(message)


def return_selected(actor: Actor, seen: Sequence[Shown]) -> None:
    """A popover to return several records with one reason."""
    with st.popover(t("review.return_selected", count=len(seen)), icon=":material/undo:"), st.form("return_many", border=False):
        reason = st.text_area(t("review.return_reason"), placeholder=t("review.return_placeholder"), max_chars=2000)
        sent = st.form_submit_button(t("review.return_button"), icon=":material/undo:")
    if not sent:
        return
    try:
        changed = return_records(actor, [row.id for row in seen], reason, expected_versions={row.id: row.version for row in seen})
    except ValidationFailed as failure:
        st.error("\n".join(problem_lines(failure.problems)))
        return
    except ConflictError as conflict:
        st.error(t(conflict.key))
        return
    message = t("review.returned_many", count=changed)
    if changed < len(seen):
        message += " " + t("review.skipped", count=len(seen) - changed)
    _finish(message)


def _seen_version(detail: dict[str, Any]) -> tuple[int, bool]:
    """The version the reviewer was shown before this run, and whether the record changed since."""
    seen = st.session_state.get(_SEEN_VERSIONS, {}).get(detail["id"], detail["version"])
    st.session_state[_SEEN_VERSIONS] = {detail["id"]: detail["version"]}
    return seen, seen != detail["version"]


def review_panel(actor: Actor, detail: dict[str, Any], next_id: int | None = None) -> None:
    """The opened record: flags first (they are why a reviewer looks twice), then content, then the decision."""
    seen_version, changed = _seen_version(detail)
    header = st.columns([6, 2])
    header[0].subheader(f"{t('review.detail')} · {detail['id']} · {as_text(detail['title'])}")
    with header[1]:
        status_badge(detail["status"])
    if changed:
        st.warning(t("review.changed_since_opened"), icon=":material/update:")
    explain_flags(detail)
    if detail["status"] == RecordStatus.RETURNED and detail["return_reason"]:
        st.info(t("records.returned_because", reason=as_text(detail["return_reason"])), icon=":material/undo:")
    body = st.columns([3, 2])
    with body[0]:
        show_fields(detail)
    with body[1]:
        show_photos(actor, detail, per_row=2)
    if detail["status"] not in {RecordStatus.PENDING, RecordStatus.APPROVED}:
        return
    pending = detail["status"] == RecordStatus.PENDING
    with st.form(f"decide_{detail['id']}"):
        reason = st.text_area(t("review.return_reason"), placeholder=t("review.return_placeholder"), max_chars=2000)
        with st.container(horizontal=True):
            do_return = st.form_submit_button(t("review.return_button"), icon=":material/undo:")
            do_approve = pending and st.form_submit_button(t("review.approve_one"), type="primary", icon=":material/done:")
            do_next = pending and next_id is not None and st.form_submit_button(
                t("review.approve_next"), type="primary", icon=":material/skip_next:"
            )
    if do_return:
        try:
            return_record(actor, detail["id"], reason, expected_version=seen_version)
        except ValidationFailed as failure:
            st.error("\n".join(problem_lines(failure.problems)))
        except ConflictError:
            st.error(t("review.not_decided_changed"), icon=":material/update:")
        except PermissionDenied as refused:
            st.error(t(refused.key))
        else:
            _finish(t("review.returned_done", id=detail["id"]))
    if do_approve or do_next:
        if approve_records(actor, [detail["id"]], expected_versions={detail["id"]: seen_version}) == 1:
            _finish(t("review.approved_done", count=1), open_next=next_id if do_next else None)
        # Refused by the data layer: the record above is already the version as it is now.
        st.error(t("review.not_decided_changed"), icon=":material/update:")
