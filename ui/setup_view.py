"""What a database without an administrator shows at every address."""
from __future__ import annotations

import streamlit as st

from ui.state import t

COMMAND = "python -m manage create-admin USERNAME"


def no_admin() -> None:
    """还没有管理员: how to make the first administrator (on the server, not in the browser)."""
    st.title(t("setup.no_admin_heading"))
    st.info(t("setup.no_admin_intro"), icon=":material/admin_panel_settings:")
    st.code(COMMAND, language="bash")
    st.caption(t("setup.no_admin_details"))
    st.code(f"{COMMAND} --password-stdin < password.txt", language="bash")
    st.caption(t("setup.no_admin_after"))


def no_admin_pages(url_paths: list[str]) -> list[st.Page]:
    """The explanation at the root address and, hidden from the menu, at every other one."""
    icon = ":material/admin_panel_settings:"
    title = t("setup.no_admin_nav")
    pages = [st.Page(no_admin, title=title, icon=icon, url_path="welcome", default=True)]
    return pages + [st.Page(no_admin, title=title, icon=icon, url_path=path, visibility="hidden") for path in url_paths if path]
