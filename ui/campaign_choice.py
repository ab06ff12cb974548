"""Which campaign a board, the gallery or the presenter shows: the current one unless someone
picks another (closed ones are labelled 已结束). Reads are cached per data version."""
from __future__ import annotations

from typing import Any

import streamlit as st

from db.campaigns import CampaignChoice, campaign_choices, current_type_codes
from db.data_versions import Area
from db.reference import CampaignInfo
from ui.data import TTL_SECONDS, activity_types, versions
from ui.state import language, localized, t

_MEMORY_KEY = "board_campaign_id"


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _choices(version: tuple[int, ...]) -> list[CampaignChoice]:
    return campaign_choices()


def choices() -> list[CampaignChoice]:
    """Every campaign, the current one first, then the others newest first."""
    return _choices(versions(Area.CAMPAIGN))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _type_codes(version: tuple[int, ...]) -> set[str]:
    return current_type_codes()


def offered_types() -> list[dict[str, Any]]:
    """The active types the current campaign uses: what entry, bulk entry and imports offer."""
    codes = _type_codes(versions(Area.CAMPAIGN, Area.CATALOGUE))
    return [activity for activity in activity_types() if activity["code"] in codes]


def label(choice: CampaignChoice) -> str:
    name = localized(choice.__dict__)
    return t("campaign.closed_label", name=name) if choice.closed else name


def info(campaign_id: int | None = None) -> CampaignInfo | None:
    """The campaign with this id; else the current one; else (all closed) the newest."""
    found = choices()
    chosen = next((c for c in found if c.id == campaign_id), found[0] if found else None)
    if chosen is None:
        return None
    return CampaignInfo(chosen.id, chosen.name_zh, chosen.name_en, chosen.start_date, chosen.end_date)


def campaign_selector(*, in_sidebar: bool = True) -> CampaignInfo | None:
    """The boards' campaign: a select box (in the sidebar) once there is more than one campaign,
    remembered for the browser session so every board shows the same campaign."""
    found = choices()
    if len(found) < 2:
        return info()
    ids = [c.id for c in found]
    remembered = st.session_state.get(_MEMORY_KEY)
    place = st.sidebar if in_sidebar else st
    labels = {c.id: label(c) for c in found}
    chosen = place.selectbox(
        t("campaign.choose"), ids, index=ids.index(remembered) if remembered in ids else 0,
        format_func=labels.get, key=f"board_campaign_{language()}",
    )
    st.session_state[_MEMORY_KEY] = chosen
    return info(chosen)
