"""The period picker of the honour roll and the briefing: a kind (week, month, quarter, campaign,
custom) and a day inside it, so that last month's roll or briefing can still be made."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from core.clock import office_today
from core.i18n import format_date
from core.periods import PERIOD_KINDS, DateRange, period_range
from db.reference import CampaignInfo
from ui.state import language, t


def period_picker(campaign: CampaignInfo, *, key: str) -> tuple[str, DateRange]:
    """Draw the picker; return the kind and the calendar range, clipped to the campaign."""
    today = min(max(office_today(), campaign.start_date), campaign.end_date)
    kind_col, day_col = st.columns([3, 2], vertical_alignment="bottom")
    kind = kind_col.segmented_control(
        t("reports.period"), PERIOD_KINDS, default="month", key=f"{key}_kind",
        format_func=lambda name: t(f"reports.period_kind.{name}"),
    ) or "month"
    custom = None
    if kind == "custom":
        chosen = day_col.date_input(
            t("reports.custom_range"), value=(max(campaign.start_date, today - dt.timedelta(days=30)), today),
            min_value=campaign.start_date, max_value=campaign.end_date, key=f"{key}_custom", format="YYYY-MM-DD",
        )
        days = list(chosen) if isinstance(chosen, tuple | list) else [chosen]
        custom = (days[0], days[-1]) if days else (today, today)
        anchor = today
    elif kind == "campaign":
        anchor = today
    else:
        anchor = day_col.date_input(
            t("reports.anchor_day"), value=today, min_value=campaign.start_date, max_value=campaign.end_date,
            key=f"{key}_anchor", format="YYYY-MM-DD", help=t("reports.anchor_help"),
        )
    span = period_range(kind, anchor, campaign.start_date, campaign.end_date, custom)
    lang = language()
    st.caption(t("reports.period_caption", start=format_date(span.start, lang), end=format_date(span.end, lang)))
    return kind, span
