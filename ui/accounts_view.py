"""Widgets of 账号管理: the handed-out passwords panel, shown and exportable once."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.clock import office_today
from core.handout import handout_workbook
from db.account_admin import HandedOut
from ui.export import XLSX_MIME
from ui.state import t

HANDOUT_KEY = "accounts_handout"


def hand_out(accounts: list[HandedOut]) -> None:
    """Keep freshly made passwords for the panel (this browser session only, until dismissed)."""
    st.session_state[HANDOUT_KEY] = [*st.session_state.get(HANDOUT_KEY, []), *accounts]


def _rows(accounts: list[HandedOut]) -> list[list[str]]:
    return [[a.username, a.password, t(f"role.{a.role}"), a.unit_name, a.display_name] for a in accounts]


def handout_panel() -> None:
    """The passwords just made, with the Excel file to hand them out. They exist nowhere else:
    once the panel is closed, a forgotten password is reset, not looked up."""
    accounts: list[HandedOut] = st.session_state.get(HANDOUT_KEY, [])
    if not accounts:
        return
    headers = [t("accounts.username"), t("accounts.initial_password"), t("accounts.role"), t("accounts.unit"), t("accounts.display_name")]
    with st.container(border=True):
        st.success(t("accounts.handout_intro", count=len(accounts)), icon=":material/key:")
        st.dataframe(pd.DataFrame(_rows(accounts), columns=headers), hide_index=True, use_container_width=True)
        left, right = st.columns(2)
        left.download_button(
            t("accounts.handout_download"),
            data=handout_workbook(t("accounts.handout_title"), headers, _rows(accounts)),
            file_name=f"initial-passwords-{office_today().isoformat()}.xlsx",
            mime=XLSX_MIME,
            icon=":material/download:",
            on_click="ignore",
        )
        if right.button(t("accounts.handout_done"), icon=":material/done_all:"):
            st.session_state.pop(HANDOUT_KEY, None)
            st.rerun()


def show_problems(problems: list[tuple[str, str, dict]]) -> None:
    for _field, key, params in problems:
        st.error(t(key, **params))
