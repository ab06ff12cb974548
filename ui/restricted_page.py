"""What an address shows to someone who may not use its page.

Every page keeps its address for everyone. A visitor who opens /entry before signing in gets this
page (in their language) with the sign-in form, and after signing in the same address opens the
real page; without it Streamlit showed its own English "Page not found" dialog.
"""
from __future__ import annotations

import streamlit as st

from core.safe_text import as_text
from ui.sign_in_form import sign_in_form
from ui.state import current_actor, signed_in, t


def restricted_page(title: str, icon: str, url_path: str) -> st.Page:
    """A page at `url_path`, left out of the menu, that explains why the real one is not shown."""

    def explain() -> None:
        st.title(title)
        actor, user = current_actor(), signed_in()
        if user is not None and user.must_change_password:
            # Signed in with a handed-out password: nothing opens until they have chosen their own.
            st.warning(t("accounts.must_change", name=user.display_name), icon=":material/lock_reset:")
            st.page_link("views/change_password.py", label=t("accounts.nav_password"), icon=":material/password:")
        elif actor is None:
            st.info(t("access.sign_in_first", page=title), icon=":material/lock:")
            sign_in_form()
        else:
            st.warning(t("access.not_for_role", page=title, role=t(f"role.{actor.role}")), icon=":material/block:")

    return st.Page(explain, title=title, icon=icon, url_path=url_path, visibility="hidden")


def signed_in_page(title: str, icon: str, url_path: str) -> st.Page:
    """The sign-in address for someone already signed in (a bookmark, the back button)."""

    def already() -> None:
        st.title(title)
        user = signed_in()
        st.success(t("access.already_signed_in", name=as_text(user.display_name) if user else ""), icon=":material/check_circle:")
        st.page_link("views/leaderboard.py", label=t("nav.leaderboard"), icon=":material/leaderboard:")

    return st.Page(already, title=title, icon=icon, url_path=url_path, visibility="hidden")
