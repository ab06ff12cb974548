"""Per-browser-session state: language and the signed-in user."""
from __future__ import annotations

import json
import logging
import time

import streamlit as st
import streamlit.components.v1 as components

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from core.session_tokens import SESSION_HOURS
from db.access import Actor
from db.accounts import SignedIn, end_session, issue_session_token, resume_session

LANGUAGE_KEY = "language"
AUTH_KEY = "signed_in"
SESSION_COOKIE = "eb_session"
_COOKIE_PENDING = "session_cookie_pending"
_SESSION_TOKEN = "session_token"  # this browser session's token, ended at sign-out
_RESTORE_TRIED = "session_restore_tried"
_CHECKED_AT = "session_token_checked_at"
# How often an open session re-reads its token's state, so that signing out in another tab or
# on another device (or a password change) ends this one too.
RECHECK_SECONDS = 30
_log = logging.getLogger(__name__)


def language() -> str:
    if LANGUAGE_KEY not in st.session_state:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[LANGUAGE_KEY] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    return st.session_state[LANGUAGE_KEY]


def t(key: str, **params: object) -> str:
    return translate(language(), key, **params)


def localized(row: dict, field: str = "name") -> str:
    """The zh or en column of a catalogue row, by the interface language."""
    return row.get(f"{field}_{language()}") or row.get(f"{field}_zh", "")


def signed_in() -> SignedIn | None:
    return st.session_state.get(AUTH_KEY)


def current_actor() -> Actor | None:
    user = signed_in()
    return user.actor if user else None


def remember_sign_in(user: SignedIn) -> None:
    """Keep the person signed in for this browser session, and across reloads by a cookie."""
    st.session_state[AUTH_KEY] = user
    st.session_state[_COOKIE_PENDING] = st.session_state[_SESSION_TOKEN] = issue_session_token(user.actor.user_id)


def _forget() -> str | None:
    """Forget the person in this browser session and clear the cookie; returns the session's token."""
    st.session_state.pop(AUTH_KEY, None)
    st.session_state[_COOKIE_PENDING] = ""
    return st.session_state.pop(_SESSION_TOKEN, None)


def sign_out() -> None:
    """Forget the person here, clear the cookie, and refuse the token should a copy of it turn up."""
    token = _forget() or st.context.cookies.get(SESSION_COOKIE)
    try:
        end_session(token)
    except Exception:  # signed out here all the same; only a copy of the token would still work
        _log.exception("could not record the end of a session")


def restore_sign_in() -> None:
    """A reload starts a new Streamlit session: take the person back from their session cookie.
    A session signed in by a token checks it again every RECHECK_SECONDS."""
    if AUTH_KEY in st.session_state:
        _recheck_token()
        return
    if st.session_state.get(_RESTORE_TRIED):
        return
    st.session_state[_RESTORE_TRIED] = True
    token = st.context.cookies.get(SESSION_COOKIE)
    user = resume_session(token)
    if user is not None:
        st.session_state[AUTH_KEY] = user
        st.session_state[_SESSION_TOKEN] = token


def _recheck_token() -> None:
    token = st.session_state.get(_SESSION_TOKEN)
    if not token or time.monotonic() - st.session_state.get(_CHECKED_AT, 0.0) < RECHECK_SECONDS:
        return
    st.session_state[_CHECKED_AT] = time.monotonic()
    if resume_session(token) is None:
        _forget()


def write_session_cookie() -> None:
    """Set (or, after signing out, clear) the session cookie in the browser, once per change."""
    token = st.session_state.pop(_COOKIE_PENDING, None)
    if token is None:
        return
    age = SESSION_HOURS * 3600 if token else 0
    cookie = json.dumps(f"{SESSION_COOKIE}={token}; path=/; max-age={age}; SameSite=Strict")
    components.html(f"<script>window.parent.document.cookie = {cookie};</script>", height=0)
