"""A unit's own record opened: read it, fix and resubmit it, or delete it, as its status allows.

The version the person opened is kept while they edit, so that if someone else saves the
record meanwhile, this save is refused with a clear message instead of overwriting theirs.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from core.config import load_settings
from core.enums import RecordStatus
from core.safe_text import as_text
from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed
from db.ledger_sync import SUGGESTION_TYPE
from db.records import UNIT_DELETABLE, UNIT_EDITABLE, delete_record, save_record
from db.reference import unit_people
from ui import data
from ui.fields import problem_lines
from ui.ledger_suggestions import answer_on_record
from ui.record_form import FormButton, record_form
from ui.record_view import show_fields, show_photos, status_badge
from ui.state import t

EDITING_KEY = "records_editing"
FLASH_KEY = "records_flash"
# After a save the list is redrawn (the record moves to the top), so the record stays open by
# id rather than by its old row number.
OPEN_KEY = "records_open"
TABLE_NONCE_KEY = "records_nonce"


def _done(message: str, record_id: int | None) -> None:
    st.session_state.pop(EDITING_KEY, None)
    st.session_state[FLASH_KEY] = message
    st.session_state[OPEN_KEY] = record_id
    st.session_state[TABLE_NONCE_KEY] = st.session_state.get(TABLE_NONCE_KEY, 0) + 1
    st.rerun()


def record_panel(actor: Actor, detail: dict[str, Any]) -> None:
    """The opened record with the actions its status allows this person."""
    editing = st.session_state.get(EDITING_KEY)
    header = st.columns([6, 2])
    header[0].subheader(as_text(detail["title"]))
    with header[1]:
        status_badge(detail["status"])
    if detail["status"] == RecordStatus.RETURNED and detail["return_reason"]:
        st.warning(t("records.returned_because", reason=as_text(detail["return_reason"])), icon=":material/undo:")
    if editing and editing["id"] == detail["id"]:
        _edit(actor, detail, editing["version"])
        return
    show_fields(detail)
    show_photos(actor, detail)
    if detail["type_code"] == SUGGESTION_TYPE:
        answer_on_record(actor, detail["id"])
    can_edit = detail["status"] in UNIT_EDITABLE or actor.is_admin
    can_delete = detail["status"] in UNIT_DELETABLE or actor.is_admin
    actions = st.columns([2, 2, 6])
    if can_edit and actions[0].button(
        t("records.fix_and_resubmit" if detail["status"] == RecordStatus.RETURNED else "records.edit"),
        icon=":material/edit:", type="primary", key=f"edit_{detail['id']}",
    ):
        st.session_state[EDITING_KEY] = {"id": detail["id"], "version": detail["version"]}
        st.rerun()
    if can_delete:
        with actions[1].popover(t("records.delete"), icon=":material/delete:"):
            st.markdown(t("records.delete_confirm", title=as_text(detail["title"])))
            if st.button(t("records.delete_now"), type="primary", key=f"delete_{detail['id']}"):
                _delete(actor, detail)
    if not can_edit and not can_delete:
        st.caption(t("records.locked_note"))


def _delete(actor: Actor, detail: dict[str, Any]) -> None:
    try:
        delete_record(actor, detail["id"], expected_version=detail["version"])
    except (PermissionDenied, ConflictError) as refused:
        st.error(t(refused.key))
    else:
        _done(t("records.deleted", id=detail["id"]), None)


def _edit(actor: Actor, detail: dict[str, Any], opened_version: int) -> None:
    if st.session_state[EDITING_KEY].get("conflict"):
        # Shown until the person reopens the record, so the message survives the rerun.
        st.error(t("error.conflict"), icon=":material/sync_problem:")
        if st.button(t("records.reopen"), icon=":material/refresh:", type="primary"):
            st.session_state.pop(EDITING_KEY, None)
            st.rerun()
    campaign = data.campaign()
    types = {a["code"]: a for a in data.activity_types()}
    activity = types[detail["type_code"]]
    if detail["status"] == RecordStatus.APPROVED:
        st.info(t("records.approved_edit_note"), icon=":material/shield:")
        buttons = [FormButton("submit", t("records.save_changes"), ":material/save:", primary=True)]
    else:
        buttons = [
            FormButton("draft", t("entry.save_draft"), ":material/draft:"),
            # A draft was never submitted: its first submit is 提交审核, not 重新提交.
            FormButton("submit", t("entry.submit" if detail["status"] == RecordStatus.DRAFT else "records.resubmit"), ":material/send:", primary=True),
        ]
    entered = record_form(
        activity, people=unit_people(actor, detail["unit_id"]), form_key=f"edit_{detail['id']}_{opened_version}",
        campaign_start=campaign.start_date, campaign_end=campaign.end_date, buttons=buttons,
        initial={"title": detail["title"], "occurred_on": detail["occurred_on"], "details": detail["details"]},
        fixed_cadre_id=actor.cadre_id if actor.enters_own_records_only else None, existing_photos=detail["photos"],
    )
    if st.button(t("records.cancel_edit"), icon=":material/close:", type="tertiary"):
        st.session_state.pop(EDITING_KEY, None)
        st.rerun()
    if not entered.action:
        return
    try:
        result = save_record(
            actor, unit_id=detail["unit_id"], type_code=detail["type_code"], title=entered.title,
            occurred_on=entered.occurred_on, details=entered.details, submit=entered.action == "submit",
            photos=entered.photos, remove_photos=entered.remove_photos, record_id=detail["id"],
            expected_version=opened_version, upload_max_bytes=load_settings().upload_max_mb * 1024 * 1024,
        )
    except ValidationFailed as failure:
        st.error(t("entry.fix_problems") + "\n\n" + "\n".join(f"- {line}" for line in problem_lines(failure.problems)))
    except ConflictError:
        st.session_state[EDITING_KEY] = {**st.session_state[EDITING_KEY], "conflict": True}
        st.rerun()
    except PermissionDenied as denied:
        st.error(t(denied.key))
    else:
        _done(t(f"records.saved_{result.status}", id=result.record_id), result.record_id)
