"""Reads that many sessions share, cached per data version of the areas they read.

A write bumps the versions of the areas it changed (db/data_versions), so a cached board is
reused by every viewer until something it is computed from changes, and refreshed on the first
read after that: a like or a sign-in leaves it alone. A cached reader passes `versions(...)` of
its areas as its first argument; the named sets below say which areas each kind of read depends
on. The short ttl bounds memory.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from db import reference
from db.bootstrap import is_demo
from db.data_versions import Area
from db.engine import data_versions

TTL_SECONDS = 300

# What each kind of cached read is computed from.
# The boards add the bonuses of adopted suggestions and solved problems: the ledgers are theirs too.
BOARDS = (Area.RECORDS, Area.SURVEYS, Area.LEDGERS, Area.RULES, Area.ORGANIZATION, Area.CAMPAIGN, Area.CATALOGUE)
PEOPLE = (*BOARDS, Area.SETTINGS)  # the office's setting hides people's names
GALLERY = (Area.RECORDS, Area.LIKES, Area.ORGANIZATION, Area.CAMPAIGN, Area.CATALOGUE, Area.SETTINGS)
SUPERVISION = (Area.RECORDS, Area.LEDGERS, Area.ORGANIZATION, Area.CAMPAIGN, Area.CATALOGUE)
REPORTS = (*PEOPLE, Area.REPORTS)


@st.cache_data(ttl=2, show_spinner=False)
def current_version() -> tuple[int, ...]:
    """Every area's data version (in the order of Area), itself cached for two seconds so that a
    burst of reruns costs one query."""
    return tuple(data_versions().values())


def versions(*areas: Area) -> tuple[int, ...]:
    """The versions of `areas`: a cache key that changes only when one of them is written."""
    every = dict(zip(Area, current_version(), strict=True))
    return tuple(every[area] for area in areas)


def refresh() -> None:
    """After this session's own write: read the new data versions now, not up to two seconds later."""
    current_version.clear()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _campaign(version: tuple[int, ...]) -> reference.CampaignInfo | None:
    return reference.campaign()


def campaign() -> reference.CampaignInfo | None:
    return _campaign(versions(Area.CAMPAIGN))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _groups(version: tuple[int, ...]) -> list[dict[str, Any]]:
    return reference.groups()


def groups() -> list[dict[str, Any]]:
    return _groups(versions(Area.ORGANIZATION))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _units(version: tuple[int, ...]) -> list[dict[str, Any]]:
    return reference.units()


def units() -> list[dict[str, Any]]:
    return _units(versions(Area.ORGANIZATION))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _activity_types(version: tuple[int, ...]) -> list[dict[str, Any]]:
    return reference.activity_types()


def activity_types() -> list[dict[str, Any]]:
    return _activity_types(versions(Area.CATALOGUE))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _demo(version: tuple[int, ...]) -> bool:
    return is_demo()


def demo() -> bool:
    return _demo(versions(Area.SETTINGS))
