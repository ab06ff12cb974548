"""Cached presenter payloads and decks: one computation per data version and settings, for every viewer.

A screen's payload depends on the areas its boards read: likes only matter to a screen that shows
the highlights, so a like does not make fifty leaderboard screens wait for a recomputation.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import streamlit as st

from core.clock import office_today
from core.presenter import PresenterSettings
from db import presenter
from db.data_versions import Area
from ui.campaign_choice import info
from ui.data import BOARDS, PEOPLE, REPORTS, TTL_SECONDS, versions
from ui.presenter_view import deck, message_deck


def _payload_areas(settings: PresenterSettings) -> tuple[Area, ...]:
    """The areas the chosen boards read: the highlights add the likes (and names may be hidden),
    the honour roll adds the rolls."""
    areas = list(BOARDS)
    if "highlights" in settings.boards:
        areas += [Area.LIKES, *PEOPLE]
    if "honours" in settings.boards:
        areas += REPORTS
    return tuple(dict.fromkeys(areas))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _live_payload(version: tuple[int, ...], settings: PresenterSettings, today: dt.date) -> dict[str, Any]:
    current = info(settings.campaign)
    return presenter.presenter_payload(settings, current, today) if current else {}


def live_payload(settings: PresenterSettings) -> dict[str, Any]:
    """The boards' data now; settings that do not change the data share one cache entry."""
    data_settings = settings.with_changes(
        play=False, reveal=False, snapshot=None, interval=0, rotate=5, theme="light", language="zh", fade=False
    )
    current = info(settings.campaign)
    today = min(max(office_today(), current.start_date), current.end_date) if current else office_today()
    return _live_payload(versions(*_payload_areas(settings)), data_settings, today)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=16)
def _snapshot(version: tuple[int, ...], snapshot_id: int, hide_names: bool) -> dict[str, Any] | None:
    return presenter.get_snapshot(snapshot_id, hide_names=hide_names)


def snapshot(snapshot_id: int, *, hide_names: bool = False) -> dict[str, Any] | None:
    """A snapshot's figures never change, but whether names may be shown does (the address's
    names=hide, the office's setting)."""
    return _snapshot(versions(Area.PRESENTER, Area.SETTINGS, Area.REPORTS), snapshot_id, hide_names)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _snapshots(version: tuple[int, ...]) -> list[dict[str, Any]]:
    return presenter.list_snapshots()


def snapshots() -> list[dict[str, Any]]:
    return _snapshots(versions(Area.PRESENTER))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _screen_deck(version: tuple[int, ...], settings: PresenterSettings, today: dt.date) -> str:
    payload = live_payload(settings)
    return json.dumps(deck(payload, settings) if payload else message_deck(settings, "presenter.no_campaign"), ensure_ascii=False)


def screen_deck(settings: PresenterSettings, frozen: dict[str, Any] | None = None) -> str:
    """The deck the player shows, as JSON: built once per data version and settings, so fifty
    screens refreshing cost one build (a snapshot's deck is built from its frozen payload)."""
    if frozen is not None:
        return json.dumps(deck(frozen["payload"], settings, frozen), ensure_ascii=False)
    return _screen_deck(versions(*_payload_areas(settings)), settings, office_today())
