"""Per-browser-session state: language and the signed-in user."""
from __future__ import annotations

import json
import logging

import streamlit as st

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from core.session_tokens import SESSION_HOURS
from db.access import Actor
from db.accounts import SignedIn, current_account, end_session, issue_session_token, resume_session

LANGUAGE_KEY = "language"
AUTH_KEY = "signed_in"
SESSION_COOKIE = "eb_session"
_COOKIE_PENDING = "session_cookie_pending"
_SESSION_TOKEN = "session_token"  # this browser session's token, ended at sign-out
_RESTORE_TRIED = "session_restore_tried"
JUST_SIGNED_IN = "just_signed_in"
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
    """The signed-in account as read from the database at the start of this run (refresh_sign_in)."""
    return st.session_state.get(AUTH_KEY)


def current_actor() -> Actor | None:
    """Who the data layer acts for. Someone who must first replace a handed-out password acts
    for nobody until they have (only the password page is open to them)."""
    user = signed_in()
    if user is None or user.must_change_password:
        return None
    return user.actor


def remember_sign_in(user: SignedIn) -> None:
    """Keep the person signed in for this browser session, and across reloads by a cookie."""
    st.session_state[AUTH_KEY] = user
    st.session_state[_COOKIE_PENDING] = st.session_state[_SESSION_TOKEN] = issue_session_token(user.actor.user_id)
    st.session_state[JUST_SIGNED_IN] = True


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


def refresh_sign_in() -> bool:
    """At the start of every run: who is signed in, read from the database now.

    Only the identity is remembered between runs (the session token, or the account id); role,
    unit, status and a pending password change come from the account as it is at this moment,
    so a person demoted, moved or disabled acts with their new rights on their very next action
    in every open tab, and a signed-out or password-changed token ends here too. A reload starts
    a new Streamlit session, which takes the person back from the session cookie. True on the
    run that took someone back from the cookie.
    """
    if AUTH_KEY in st.session_state:
        token = st.session_state.get(_SESSION_TOKEN)
        remembered: SignedIn = st.session_state[AUTH_KEY]
        fresh = resume_session(token) if token else current_account(remembered.actor.user_id)
        if fresh is None:
            _forget()
        else:
            st.session_state[AUTH_KEY] = fresh
        return False
    if st.session_state.get(_RESTORE_TRIED):
        return False
    st.session_state[_RESTORE_TRIED] = True
    token = st.context.cookies.get(SESSION_COOKIE)
    user = resume_session(token)
    if user is None:
        return False
    st.session_state[AUTH_KEY] = user
    st.session_state[_SESSION_TOKEN] = token
    return True


def just_signed_in() -> bool:
    """True once, on the run right after a sign-in in this browser session (to land the person)."""
    return bool(st.session_state.pop(JUST_SIGNED_IN, False))


def write_session_cookie() -> None:
    """Set (or, after signing out, clear) the session cookie in the browser, once per change."""
    token = st.session_state.pop(_COOKIE_PENDING, None)
    if token is None:
        return
    age = SESSION_HOURS * 3600 if token else 0
    cookie = json.dumps(f"{SESSION_COOKIE}={token}; path=/; max-age={age}; SameSite=Strict")
    # st.html runs the script in the page itself (the first components API, past its announced removal,
    # needed an iframe reaching into its parent). Secure whenever the page came over HTTPS. The
    # cookie cannot be HttpOnly: the app answers no HTTP request of its own (README, Security).
    st.html(
        f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )
