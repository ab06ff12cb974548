"""账号管理 — the office's accounts: one by one or in bulk, role and unit, disable, reset a password."""
import secrets

import pandas as pd
import streamlit as st

from core.enums import Role
from core.i18n import format_datetime
from db.access import PermissionDenied, ValidationFailed
from db.account_admin import (
    accounts,
    change_account,
    create_account,
    create_cadre_accounts,
    create_unit_reporters,
    reset_password,
    set_active,
)
from ui import data
from ui.accounts_view import hand_out, handout_panel, show_problems
from ui.ledger_common import export_frame
from ui.state import current_actor, language, localized, t

FORM_TOKEN = "accounts_form_token"
FLASH = "accounts_flash"

lang = language()
actor = current_actor()
st.title(t("accounts.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("accounts.intro"))
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")
handout_panel()

units = {unit["id"]: unit for unit in data.units()}
roles = list(Role)


def unit_label(unit_id: int | None) -> str:
    return t("accounts.no_unit") if unit_id is None else localized(units[unit_id]) if unit_id in units else "—"


def run(command, success: str | None = None) -> bool:  # noqa: ANN001 - a zero-argument command
    """Run a command; show its refusal in the user's language. True when it went through."""
    try:
        command()
    except ValidationFailed as failure:
        show_problems(failure.problems)
        return False
    except PermissionDenied as denied:
        st.error(t(denied.key))
        return False
    data.refresh()
    if success:
        st.session_state[FLASH] = success
    return True


def hand_out_bulk(made: list) -> None:
    if not made:
        st.session_state[FLASH] = t("accounts.bulk_none")
    hand_out(made)


listing, single, bulk = st.tabs([t("accounts.tab_list"), t("accounts.tab_new"), t("accounts.tab_bulk")])

with listing:
    rows = accounts(actor)
    search = st.text_input(t("accounts.search"), placeholder=t("accounts.search_hint"), key="accounts_search").strip().lower()
    shown = [row for row in rows if not search or search in row.username.lower() or search in row.display_name.lower()]
    account_list = pd.DataFrame(
        {
            t("accounts.username"): [row.username for row in shown],
            t("accounts.display_name"): [row.display_name for row in shown],
            t("accounts.role"): [t(f"role.{row.role}") for row in shown],
            t("accounts.unit"): [unit_label(row.unit_id) for row in shown],
            t("accounts.state"): [
                t("accounts.state_disabled") if not row.active
                else t("accounts.state_must_change") if row.must_change_password else t("accounts.state_active")
                for row in shown
            ],
            t("accounts.created"): [format_datetime(row.created_at, lang) for row in shown],
        }
    )
    st.dataframe(account_list, hide_index=True, width="stretch", height=min(38 + 35 * max(len(shown), 1), 360))
    export_frame(account_list, title=t("accounts.tab_list"), stem=t("accounts.tab_list"), key="accounts_export")
    by_id = {row.id: row for row in shown}
    chosen_id = st.selectbox(
        t("accounts.choose"), list(by_id), index=None, placeholder=t("accounts.choose_hint"),
        format_func=lambda user_id: f"{by_id[user_id].username} · {by_id[user_id].display_name}", key="accounts_chosen",
    )
    if chosen_id is not None:
        chosen = by_id[chosen_id]
        with st.form(f"account_change_{chosen.id}"):
            left, right = st.columns(2)
            role = left.selectbox(t("accounts.role"), roles, index=roles.index(chosen.role), format_func=lambda r: t(f"role.{r}"))
            unit_options = [None, *units]
            unit_id = right.selectbox(
                t("accounts.unit"), unit_options, format_func=unit_label,
                index=unit_options.index(chosen.unit_id) if chosen.unit_id in unit_options else 0,
            )
            if st.form_submit_button(t("accounts.save_change"), icon=":material/save:") and run(
                lambda: change_account(actor, chosen.id, role=role, unit_id=unit_id),
                t("accounts.changed", username=chosen.username),
            ):
                st.rerun()
        buttons = st.columns(3)
        if chosen.active:
            if buttons[0].button(t("accounts.disable"), icon=":material/block:") and run(
                lambda: set_active(actor, chosen.id, False), t("accounts.disabled", username=chosen.username)
            ):
                st.rerun()
        elif buttons[0].button(t("accounts.enable"), icon=":material/check_circle:") and run(
            lambda: set_active(actor, chosen.id, True), t("accounts.enabled", username=chosen.username)
        ):
            st.rerun()
        if buttons[1].button(t("accounts.reset"), icon=":material/lock_reset:") and run(
            lambda: hand_out([reset_password(actor, chosen.id)])
        ):
            st.rerun()

with single:
    # Each form gets a fresh key after a save: a second click on the same (now replaced) form
    # finds no button to press, so a double click never creates twice.
    token = st.session_state.setdefault(FORM_TOKEN, secrets.token_hex(4))
    with st.form(f"account_new_{token}"):
        left, right = st.columns(2)
        username = left.text_input(t("accounts.username"), max_chars=60, help=t("accounts.username_help"))
        display_name = right.text_input(t("accounts.display_name"), max_chars=60)
        role = left.selectbox(t("accounts.role"), roles, index=roles.index(Role.REPORTER), format_func=lambda r: t(f"role.{r}"))
        unit_id = right.selectbox(t("accounts.unit"), [None, *units], format_func=unit_label)
        submitted = st.form_submit_button(t("accounts.create"), type="primary", icon=":material/person_add:")
    if submitted and run(lambda: hand_out([create_account(actor, username=username, display_name=display_name, role=role, unit_id=unit_id)])):
        st.session_state[FORM_TOKEN] = secrets.token_hex(4)
        st.rerun()

with bulk:
    served = {row.unit_id for row in rows if row.role == Role.REPORTER and row.active}
    missing = [unit_id for unit_id in units if unit_id not in served]
    st.subheader(t("accounts.bulk_reporters"))
    st.caption(t("accounts.bulk_reporters_intro", missing=len(missing), units=len(units)))
    if missing and st.button(t("accounts.bulk_reporters_button", count=len(missing)), type="primary", icon=":material/group_add:"):
        with st.spinner(t("accounts.bulk_working")):
            done = run(lambda: hand_out_bulk(create_unit_reporters(actor, missing)))
        if done:
            st.rerun()
    st.subheader(t("accounts.bulk_cadres"))
    st.caption(t("accounts.bulk_cadres_intro"))
    chosen_units = st.multiselect(t("accounts.bulk_cadres_units"), list(units), format_func=unit_label, key="accounts_cadre_units")
    if chosen_units and st.button(t("accounts.bulk_cadres_button"), icon=":material/badge:"):
        with st.spinner(t("accounts.bulk_working")):
            done = run(lambda: hand_out_bulk(create_cadre_accounts(actor, chosen_units)))
        if done:
            st.rerun()
