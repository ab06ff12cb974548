"""Supervision's reads, cached per data version like the boards (ui/data.py): fifty people
opening the matrix after the same change cost one query. The actor is part of each key, so
what one person may see is never served to another."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from db import supervision, supervision_home
from db.access import Actor
from ui.data import SUPERVISION, TTL_SECONDS, versions


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _matrix(version: tuple[int, ...], actor: Actor, campaign_id: int, as_of: dt.date, group_id: int | None) -> list[supervision.Cell]:
    return supervision.matrix_for(actor, campaign_id=campaign_id, as_of=as_of, group_id=group_id)


def matrix(actor: Actor, campaign_id: int, as_of: dt.date, group_id: int | None) -> list[supervision.Cell]:
    return _matrix(versions(*SUPERVISION), actor, campaign_id, as_of, group_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=256)
def _missing(version: tuple[int, ...], actor: Actor, campaign_id: int, as_of: dt.date, unit_id: int, target_id: int) -> list[supervision.Missing]:
    return supervision.missing_for(actor, campaign_id=campaign_id, as_of=as_of, unit_id=unit_id, target_id=target_id)


def missing(actor: Actor, campaign_id: int, as_of: dt.date, unit_id: int, target_id: int) -> list[supervision.Missing]:
    return _missing(versions(*SUPERVISION), actor, campaign_id, as_of, unit_id, target_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _lagging(version: tuple[int, ...], actor: Actor, campaign_id: int, as_of: dt.date, group_id: int | None) -> list[supervision.LaggingUnit]:
    return supervision.lagging_for(actor, campaign_id=campaign_id, as_of=as_of, group_id=group_id)


def lagging(actor: Actor, campaign_id: int, as_of: dt.date, group_id: int | None) -> list[supervision.LaggingUnit]:
    return _lagging(versions(*SUPERVISION), actor, campaign_id, as_of, group_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=16)
def _office_home(version: tuple[int, ...], actor: Actor, campaign_id: int, today: dt.date) -> supervision_home.OfficeHome:
    return supervision_home.office_home(actor, campaign_id=campaign_id, today=today)


def office_home(actor: Actor, campaign_id: int, today: dt.date) -> supervision_home.OfficeHome:
    return _office_home(versions(*SUPERVISION), actor, campaign_id, today)
