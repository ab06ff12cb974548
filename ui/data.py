"""Reads that many sessions share, cached per data version.

Every write bumps the data version, so a cached board is reused by every viewer until something
changes, and refreshed on the first read after a change. The short ttl bounds memory.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from db import reference
from db.bootstrap import is_demo
from db.engine import data_version

TTL_SECONDS = 300


@st.cache_data(ttl=2, show_spinner=False)
def current_version() -> int:
    """The data version, itself cached for two seconds so a burst of reruns costs one query."""
    return data_version()


def refresh() -> None:
    """After this session's own write: read the new data version now, not up to two seconds later."""
    current_version.clear()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _campaign(version: int) -> reference.CampaignInfo | None:
    return reference.campaign()


def campaign() -> reference.CampaignInfo | None:
    return _campaign(current_version())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _groups(version: int) -> list[dict[str, Any]]:
    return reference.groups()


def groups() -> list[dict[str, Any]]:
    return _groups(current_version())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _units(version: int) -> list[dict[str, Any]]:
    return reference.units()


def units() -> list[dict[str, Any]]:
    return _units(current_version())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _activity_types(version: int) -> list[dict[str, Any]]:
    return reference.activity_types()


def activity_types() -> list[dict[str, Any]]:
    return _activity_types(current_version())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _demo(version: int) -> bool:
    return is_demo()


def demo() -> bool:
    return _demo(current_version())
