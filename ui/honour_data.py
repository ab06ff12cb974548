"""The honour roll's reads for the page: the rankings' suggestions and the active units and
cadres the office may add by hand (both cached per data version), and the citation each
suggestion starts from."""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from core.i18n import translate
from db import honours
from db.access import Actor, require_admin
from db.data_versions import Area
from db.honours import Suggestion
from ui.data import REPORTS, TTL_SECONDS, versions


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _suggestions(version: tuple[int, ...], actor: Actor, campaign_id: int, start: dt.date, end: dt.date) -> list[Suggestion]:
    return honours.suggestions(actor, campaign_id=campaign_id, start=start, end=end)


def suggestions_for(actor: Actor | None, campaign_id: int, start: dt.date, end: dt.date) -> list[Suggestion]:
    """The permission is checked on every call, the boards computed once per data version."""
    actor = require_admin(actor)
    return _suggestions(versions(*REPORTS), actor, campaign_id, start, end)


@st.cache_data(ttl=TTL_SECONDS, max_entries=4, show_spinner=False)
def _candidates(version: tuple[int, ...], actor: Actor) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return honours.candidates(actor)


def candidates_for(actor: Actor | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(active units, active cadres) for names the rankings did not suggest."""
    actor = require_admin(actor)
    return _candidates(versions(Area.ORGANIZATION), actor)


def citation(item: Suggestion, language: str) -> str:
    """A first draft of the citation from the figure that earned the suggestion; the office edits it."""
    group = item.group_en if language == "en" and item.group_en else item.group_zh
    return translate(
        language, f"reports.citation.{item.basis}", group=group, rank=item.rank or "", change=item.change or "",
        points=f"{item.points:,.1f}" if item.points is not None else "", featured=item.featured or 0,
    )
