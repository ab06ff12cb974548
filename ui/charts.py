"""Altair charts of the boards; built from small DataFrames, rendered in the browser's fonts.

Every chart sets the Chinese font stack, so labels read in Chinese on the users' machines.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ui.theme import ACCENT, ACCENT_SOFT, FONT_STACK, GREY

PODIUM = 3
MUTED_BAR = "#B9B1AE"


def _finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT_STACK)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=12, titleFontSize=12, titleColor=GREY)
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
    )


def ranked_bars(frame: pd.DataFrame, *, value: str, value_title: str, label: str, tooltip: list[alt.Tooltip], percent: bool = False) -> alt.Chart:
    """Horizontal bars in board order (best at the top, those without a rank last); the podium in
    the accent colour, the rest grey."""
    height = max(160, 32 * len(frame))
    axis_format = ".0%" if percent else ",.1f"
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{label}:N", sort=alt.SortField("position", order="ascending"), title=None,
                axis=alt.Axis(labelLimit=260, labelFontSize=13, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=axis_format, grid=True)),
        tooltip=tooltip,
    )
    bars = base.mark_bar(cornerRadiusEnd=3, height=18).encode(
        color=alt.condition(f"isValid(datum.rank) && datum.rank <= {PODIUM}", alt.value(ACCENT), alt.value(MUTED_BAR))
    )
    labels = base.mark_text(align="left", dx=4, color=GREY, fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=".1%" if percent else ",.2f")
    )
    return _finish((bars + labels).properties(height=height))


def trend_lines(frame: pd.DataFrame, *, month_title: str, value_title: str, unit_label: str, median_label: str, rank_title: str) -> alt.VConcatChart:
    """The unit's monthly points per capita against the group's median, and its rank (1 at the top)."""
    long = pd.concat(
        [
            frame.assign(series=unit_label, value=frame["per_capita"]),
            frame.assign(series=median_label, value=frame["median"]),
        ]
    )[["month", "series", "value"]]
    colour = alt.Color(
        "series:N", title=None,
        scale=alt.Scale(domain=[unit_label, median_label], range=[ACCENT, MUTED_BAR]),
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X("month:O", title=month_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=value_title),
            color=colour,
            strokeDash=alt.condition(alt.datum.series == median_label, alt.value([5, 4]), alt.value([1, 0])),
            tooltip=[alt.Tooltip("month:O", title=month_title), alt.Tooltip("series:N", title=" "),
                     alt.Tooltip("value:Q", title=value_title, format=",.2f")],
        )
        .properties(height=220)
    )
    worst = frame["rank"].max() if len(frame) else None
    top = max(3, int(worst)) if pd.notna(worst) else 3  # months without a rank are gaps in the line
    ranks = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(color=ACCENT, size=40), color=ACCENT, strokeWidth=2)
        .encode(
            x=alt.X("month:O", title=month_title, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("rank:Q", title=rank_title, scale=alt.Scale(domain=[top, 1], nice=False),
                    axis=alt.Axis(values=list(range(1, top + 1)) if top <= 12 else alt.Undefined, format="d", tickMinStep=1, labelOverlap=False)),
            tooltip=[alt.Tooltip("month:O", title=month_title), alt.Tooltip("rank:Q", title=rank_title)],
        )
        .properties(height=160)
    )
    return _finish(alt.vconcat(lines, ranks).resolve_scale(color="independent"))


def area_heatmap(frame: pd.DataFrame, *, value_title: str, relative_title: str, unit_title: str, area_title: str, points_title: str) -> alt.Chart:
    """Units (in rank order) x areas; each cell shows points per capita in the area and is shaded
    by its share of the area's best unit, so every area reads on its own scale."""
    base = alt.Chart(frame).encode(
        x=alt.X("area:N", sort=alt.SortField("area_order"), title=None, axis=alt.Axis(labelAngle=0, orient="top", labelLimit=120)),
        y=alt.Y("unit:N", sort=alt.SortField("position"), title=None, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("relative:Q", title=relative_title, scale=alt.Scale(domain=[0, 1], range=["#FFFFFF", ACCENT_SOFT, ACCENT]),
                        legend=alt.Legend(format=".0%")),
        tooltip=[
            alt.Tooltip("unit:N", title=unit_title),
            alt.Tooltip("area:N", title=area_title),
            alt.Tooltip("per_capita:Q", title=value_title, format=",.2f"),
            alt.Tooltip("points:Q", title=points_title, format=",.1f"),
        ],
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("per_capita:Q", format=",.1f"),
        color=alt.condition(alt.datum.relative > 0.75, alt.value("#FFFFFF"), alt.value("#1D1D1D")),
    )
    return _finish((cells + labels).properties(height=alt.Step(30)))
