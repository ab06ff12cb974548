"""The first visit to a new server: a progress bar while the database is migrated and the demo
loads in the background (seed.first_start.FirstStart), then the page carries on."""
from __future__ import annotations

import streamlit as st

from core.config import load_settings
from seed.first_start import FirstStart
from ui.state import t

POLL_SECONDS = 0.25


@st.cache_resource(show_spinner=False)
def _first_start() -> FirstStart:
    """Once per server process: every session waits on the same preparation."""
    return FirstStart(load_settings())


def wait_for_database() -> None:
    """Return once the database is ready; meanwhile show how far the preparation got."""
    preparation = _first_start()
    if not preparation.finished.is_set():
        label = t("app.loading_demo") if load_settings().demo_autoload else t("setup.preparing")
        bar = st.empty()
        while not preparation.finished.wait(POLL_SECONDS):
            bar.progress(preparation.fraction, text=label)
        bar.empty()
    if preparation.error is not None:
        _first_start.clear()  # the next visit tries again, as a fresh start would
        raise preparation.error
