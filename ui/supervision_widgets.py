"""Streamlit pieces the supervision pages share: the as-of day, the group choice, the legend and
the missing people of one cell split by why."""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

import streamlit as st

from core.clock import office_today
from core.completion import Colour
from db.reference import CampaignInfo
from db.supervision import Missing, MissingState
from ui import data
from ui.state import localized, t
from ui.supervision_frames import FILLS

LEGEND_ORDER = (Colour.GREEN, Colour.AMBER, Colour.RED, Colour.DONE)


def as_of_day(campaign: CampaignInfo, key: str) -> dt.date:
    """The day the figures are judged on: today by default, any day of the campaign."""
    today = min(max(office_today(), campaign.start_date), campaign.end_date)
    return st.date_input(
        t("supervision.as_of"), value=today, min_value=campaign.start_date, max_value=campaign.end_date, key=key,
        help=t("supervision.as_of_help"),
    )


def group_choice(key: str) -> int | None:
    """A comparison group, or every unit (None)."""
    groups = data.groups()
    options: list[int | None] = [None, *[group["id"] for group in groups]]
    names = {group["id"]: localized(group) for group in groups}
    return st.selectbox(
        t("supervision.group"), options, key=key,
        format_func=lambda ident: t("supervision.all_units") if ident is None else names[ident],
    )


def legend() -> None:
    """The 三色督办 swatches with what each colour means (the texts are the catalogue's, escaped)."""
    swatches = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:1.1rem">'
        f'<span style="display:inline-block;width:0.95rem;height:0.95rem;border-radius:3px;'
        f'background:{FILLS[colour]};border:1px solid #9E9E9E;margin-right:0.35rem"></span>'
        f"{html.escape(t(f'supervision.legend.{colour.value}'))}</span>"
        for colour in LEGEND_ORDER
    )
    st.html(f'<div class="eb-muted" style="margin:0.2rem 0 1.6rem;line-height:1.9">{swatches}</div>')


def missing_columns(missing: Sequence[Missing]) -> None:
    """Three columns: not written, waiting for review, returned, each with its names."""
    columns = st.columns(3)
    for column, state in zip(columns, MissingState, strict=True):
        names = [item.name for item in missing if item.state == state]
        with column:
            st.markdown(f"**{t(f'supervision.state.{state.value}')}** · {len(names)}")
            if names:
                st.text(t("board.list_separator").join(names))
            else:
                st.caption(t("supervision.nobody"))
