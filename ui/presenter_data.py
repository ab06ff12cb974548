"""Cached presenter payloads: one computation per data version and settings, for every viewer."""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from core.presenter import PresenterSettings
from db import presenter
from ui.campaign_choice import info
from ui.data import TTL_SECONDS, current_version


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _live_payload(version: int, settings: PresenterSettings, today: dt.date) -> dict[str, Any]:
    current = info(settings.campaign)
    return presenter.presenter_payload(settings, current, today) if current else {}


def live_payload(settings: PresenterSettings) -> dict[str, Any]:
    """The boards' data now; settings that do not change the data share one cache entry."""
    data_settings = settings.with_changes(play=False, reveal=False, snapshot=None, interval=0, rotate=5, theme="light")
    current = info(settings.campaign)
    today = min(max(dt.date.today(), current.start_date), current.end_date) if current else dt.date.today()
    return _live_payload(current_version(), data_settings, today)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=16)
def _snapshot(version: int, snapshot_id: int) -> dict[str, Any] | None:
    return presenter.get_snapshot(snapshot_id)


def snapshot(snapshot_id: int) -> dict[str, Any] | None:
    """A snapshot's figures never change, but whether names may be shown does (office setting)."""
    return _snapshot(current_version(), snapshot_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _snapshots(version: int) -> list[dict[str, Any]]:
    return presenter.list_snapshots()


def snapshots() -> list[dict[str, Any]]:
    return _snapshots(current_version())
