"""The sign-in form, on the sign-in page and wherever a page asks a visitor to sign in first."""
import os

import streamlit as st

from core.safe_text import as_text
from db.accounts import SignInFailed, sign_in
from ui import data
from ui.state import remember_sign_in, t


def client_address() -> str:
    """The address sign-in throttling counts failures against.

    Streamlit gives the websocket's peer; behind a reverse proxy that is the proxy, so with
    TRUST_PROXY_HEADERS=true the address the proxy appended to X-Forwarded-For is used instead
    (only then: a client can write that header itself). Local connections have no address.
    """
    if os.environ.get("TRUST_PROXY_HEADERS", "").strip().lower() in {"1", "true", "yes", "on"}:
        forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return st.context.ip_address or "local"


def sign_in_form() -> None:
    """User name and password; on success the same address reruns for the signed-in person."""
    if data.demo():
        st.info(t("signin.demo_hint"), icon=":material/key:")
    form_column, _ = st.columns([2, 3])
    with form_column, st.form("sign_in", enter_to_submit=True):
        username = st.text_input(t("signin.username"), max_chars=60, autocomplete="username")
        password = st.text_input(t("signin.password"), type="password", max_chars=128, autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if not submitted:
        return
    try:
        user = sign_in(username, password, address=client_address())
    except SignInFailed as failure:
        st.error(t(f"signin.{failure.key.split('.')[-1]}", **failure.params))
    else:
        remember_sign_in(user)
        st.toast(t("signin.welcome", name=as_text(user.display_name)))
        st.rerun()
