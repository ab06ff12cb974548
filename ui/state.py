"""Per-browser-session state: language and the signed-in user."""
from __future__ import annotations

import streamlit as st

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, translate
from db.access import Actor
from db.accounts import SignedIn

LANGUAGE_KEY = "language"
AUTH_KEY = "signed_in"


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
    st.session_state[AUTH_KEY] = user


def sign_out() -> None:
    st.session_state.pop(AUTH_KEY, None)
