"""Altair charts of the boards; built from small DataFrames, rendered in the browser's fonts."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ui.theme import ACCENT, FONT_STACK, GREY

PODIUM = 3


def ranked_bars(frame: pd.DataFrame, *, value: str, value_title: str, label: str, tooltip: list[alt.Tooltip], percent: bool = False) -> alt.Chart:
    """Horizontal bars, best at the top; the podium in the accent colour, the rest grey."""
    height = max(160, 32 * len(frame))
    axis_format = ".0%" if percent else ",.1f"
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=alt.SortField("rank", order="ascending"), title=None,
                axis=alt.Axis(labelLimit=260, labelFontSize=13, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=axis_format, grid=True)),
        tooltip=tooltip,
    )
    bars = base.mark_bar(cornerRadiusEnd=3, height=18).encode(
        color=alt.condition(alt.datum.rank <= PODIUM, alt.value(ACCENT), alt.value("#B9B1AE"))
    )
    labels = base.mark_text(align="left", dx=4, color=GREY, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=".1%" if percent else ",.2f")
    )
    return (bars + labels).properties(height=height).configure(font=FONT_STACK).configure_view(strokeWidth=0)
