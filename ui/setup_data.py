"""Cached facts about how far the database is set up, read on every page run (app.py)."""
from __future__ import annotations

import streamlit as st

from db.account_admin import has_active_admin
from db.data_versions import Area
from ui.data import TTL_SECONDS, versions


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _admin_exists(version: tuple[int, ...]) -> bool:
    return has_active_admin()


def admin_exists() -> bool:
    """Whether any active administrator exists (none on a new database until `manage create-admin`)."""
    return _admin_exists(versions(Area.ACCOUNTS))
