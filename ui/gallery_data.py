"""The gallery's shared reads, cached per data version (see ui/data.py).

Pages of cards carry their thumbnails, so the caches keep a bounded number of entries.
Anything that depends on who is looking (what they liked, the admin's own rating) is read
uncached in the page.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from core.i18n import format_number
from db import gallery
from db.access import Actor
from ui.data import GALLERY, TTL_SECONDS, versions
from ui.state import t


@st.cache_data(ttl=TTL_SECONDS, max_entries=32, show_spinner=False)
def _page(version: tuple[int, ...], query: str, kind: str | None, unit_id: int | None, group_id: int | None,
          month: dt.date | None, tag: str | None, featured_only: bool, book_id: int | None, page: int,
          campaign_id: int | None = None) -> gallery.GalleryPage:
    filters = gallery.GalleryFilter(query, kind, unit_id, group_id, month, tag, featured_only, book_id, campaign_id)
    return gallery.gallery_page(None, filters, page=page)


def total_label(result: gallery.GalleryPage) -> str:
    """How many cards, as the summary shows it: past the count's cap, "10,000+"."""
    if result.capped:
        return t("gallery.total_capped", count=format_number(gallery.COUNT_CAP))
    return format_number(result.total)


def gallery_page(actor: Actor | None, filters: gallery.GalleryFilter, page: int) -> gallery.GalleryPage:
    """A page of cards; the permission check runs on every call, the query once per version."""
    gallery.require_reader(actor)
    return _page(versions(*GALLERY), filters.query.strip(), filters.kind, filters.unit_id, filters.group_id,
                 filters.month, filters.tag, filters.featured_only, filters.book_id, page, filters.campaign_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _tags(version: tuple[int, ...]) -> list[str]:
    return gallery.tags_in_use(None)


def tags_in_use(actor: Actor | None) -> list[str]:
    gallery.require_reader(actor)
    return _tags(versions(*GALLERY))


@st.cache_data(ttl=TTL_SECONDS, max_entries=8, show_spinner=False)
def _books(version: tuple[int, ...], order: str, limit: int) -> list[dict[str, Any]]:
    return gallery.book_board(None, order=order, limit=limit)


def book_board(actor: Actor | None, order: str, limit: int) -> list[dict[str, Any]]:
    gallery.require_reader(actor)
    return _books(versions(*GALLERY), order, limit)
