"""The review queue's reads, cached per data version of what they read (see ui/data.py).

Ticking a row or opening a record reruns the page; the queue, its size and the status counts
are read again only after a write to what they show (a decision calls ui.data.refresh()).
The actor is part of the key: the data layer checks the reviewer's permission on every miss.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from db import record_queries
from db.access import Actor
from db.data_versions import Area
from ui.data import TTL_SECONDS, versions

# Records and their photos; unit, person and type names; the campaign's dates and tasks owed
# once (the flags); whether a suggestion is anonymous (the ledgers).
QUEUE = (Area.RECORDS, Area.ORGANIZATION, Area.CAMPAIGN, Area.CATALOGUE, Area.LEDGERS)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _queue(version: tuple[int, ...], actor: Actor, criteria: record_queries.QueueFilter, limit: int) -> list[dict[str, Any]]:
    return record_queries.review_queue(actor, criteria=criteria, limit=limit)


def queue(actor: Actor, criteria: record_queries.QueueFilter, limit: int) -> list[dict[str, Any]]:
    return _queue(versions(*QUEUE), actor, criteria, limit)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _queue_size(version: tuple[int, ...], actor: Actor, criteria: record_queries.QueueFilter) -> int:
    return record_queries.review_queue_size(actor, criteria)


def queue_size(actor: Actor, criteria: record_queries.QueueFilter) -> int:
    return _queue_size(versions(*QUEUE), actor, criteria)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=16)
def _status_counts(version: tuple[int, ...], actor: Actor) -> dict[str, int]:
    return record_queries.count_by_status(actor)


def status_counts(actor: Actor) -> dict[str, int]:
    return _status_counts(versions(Area.RECORDS), actor)
