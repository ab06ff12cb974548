"""Addresses that no page has: answered by our own page, in the user's language.

Streamlit answers an unknown path by running the default page under an English "Page not
found" dialog, and the default page's own name (/leaderboard) counts as unknown because the
default page lives at "/". Before st.navigation resolves the address, the requested name is
pointed at the page that should answer it. This reads Streamlit's page manager (there is no
public API for the requested path); tests/browser/test_addresses.py guards it across upgrades.
"""
from __future__ import annotations

from collections.abc import Iterable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

_REQUESTED = "address_not_found"
_START = "address_start_page"


def answer_unknown_addresses(pages: Iterable[st.Page], *, default: st.Page, not_found: st.Page) -> None:
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    if manager is None or manager.intended_page_script_hash or not manager.intended_page_name:
        return
    name = manager.intended_page_name
    if any(page.url_path == name for page in pages):
        return
    target = default if name == default._url_path else not_found
    st.session_state[_REQUESTED] = name
    st.session_state[_START] = default
    manager.set_script_intent(target._script_hash, target.url_path)


def requested_address() -> str:
    return st.session_state.get(_REQUESTED, "")


def start_page() -> st.Page | str:
    return st.session_state.get(_START, "views/leaderboard.py")
