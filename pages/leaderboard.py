"""单位排行 — which units lead their comparison group, on totals, per capita and completion."""
import datetime as dt
import statistics

import altair as alt
import pandas as pd
import streamlit as st

from core.i18n import format_date, format_percent
from core.periods import PERIOD_KINDS, period_range
from ui import data
from ui.charts import ranked_bars
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
campaign = data.campaign()
st.title(t("board.heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()
st.caption(localized(campaign.__dict__))

groups = data.groups()
controls = st.columns([9, 4, 4])
with controls[0]:
    period_kind = st.segmented_control(
        t("board.period"), PERIOD_KINDS, default="quarter", key="board_period",
        format_func=lambda kind: t(f"board.period_kind.{kind}"),
    ) or "quarter"
with controls[1]:
    group = st.selectbox(t("board.group"), groups, format_func=localized, key="board_group")
with controls[2]:
    metric = st.selectbox(
        t("board.metric"), ("per_capita", "points", "completion"), key="board_metric",
        format_func=lambda kind: t(f"board.metric_kind.{kind}"),
    )

today = min(dt.date.today(), campaign.end_date)
custom = None
if period_kind == "custom":
    chosen = st.date_input(
        t("board.custom_range"), value=(today - dt.timedelta(days=30), today),
        min_value=campaign.start_date, max_value=campaign.end_date, key="board_custom",
    )
    custom = tuple(chosen) if isinstance(chosen, tuple) and len(chosen) == 2 else (chosen[0], chosen[0]) if chosen else None
span = period_range(period_kind, today, campaign.start_date, campaign.end_date, custom)
st.caption(t("board.range_caption", start=format_date(span.start, lang), end=format_date(span.end, lang), version=data.rules_version()))

standings = data.leaderboard(campaign.id, span.start, span.end, group["id"] if group else None, metric)
if not standings:
    st.info(t("board.no_units"), icon=":material/info:")
    st.stop()

frame = pd.DataFrame(
    {
        "rank": [s.rank for s in standings],
        "unit": [s.name_zh if lang == "zh" else s.name_en for s in standings],
        "headcount": [s.headcount for s in standings],
        "records": [s.records for s in standings],
        "points": [s.points for s in standings],
        "per_capita": [round(s.per_capita, 2) if s.per_capita is not None else None for s in standings],
        "completion": [s.completion * 100 if s.completion is not None else None for s in standings],
        "done": [f"{s.done}/{s.required}" for s in standings],
    }
)

own = next((s for s in standings if actor is not None and s.unit_id == actor.unit_id), None)
kpis = st.columns([2, 2, 4, 3, 3] if own else [2, 2, 4, 3])
kpis[0].metric(t("board.units"), f"{len(frame):,}")
kpis[1].metric(t("board.approved_records"), f"{int(frame['records'].sum()):,}")
kpis[2].metric(t("board.leader"), frame.iloc[0]["unit"] if frame["records"].sum() or metric == "completion" else "—")
completions = [s.completion for s in standings if s.completion is not None]
kpis[3].metric(t("board.median_completion"), format_percent(statistics.median(completions)) if completions else "—")
if own:
    kpis[4].metric(t("board.own_unit"), t("board.own_rank", rank=own.rank), t("board.own_points", points=f"{own.points:,.1f}"), delta_color="off")

if frame["records"].sum() == 0 and metric != "completion":
    st.info(t("board.empty"), icon=":material/hourglass_empty:")

metric_title = t(f"board.metric_kind.{metric}")
chart_col, table_col = st.columns([5, 7], gap="medium")
with chart_col:
    st.subheader(t("board.chart_title", group=localized(group) if group else "", metric=metric_title))
    chart = ranked_bars(
        frame.assign(completion=frame["completion"] / 100), value=metric, value_title=metric_title, label="unit", percent=metric == "completion",
        tooltip=[
            alt.Tooltip("rank:Q", title=t("board.column.rank")),
            alt.Tooltip("unit:N", title=t("board.column.unit")),
            alt.Tooltip("headcount:Q", title=t("board.column.headcount")),
            alt.Tooltip("points:Q", title=t("board.column.points"), format=",.1f"),
            alt.Tooltip("per_capita:Q", title=t("board.column.per_capita"), format=",.2f"),
            alt.Tooltip("completion:Q", title=t("board.column.completion"), format=".1%"),
        ],
    )
    st.altair_chart(chart, width="stretch")
with table_col:
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(frame) + 1) + 3, 620),
        column_config={
            "rank": st.column_config.NumberColumn(t("board.column.rank"), format="%d", width="small"),
            "unit": st.column_config.TextColumn(t("board.column.unit"), width="medium"),
            "headcount": st.column_config.NumberColumn(t("board.column.headcount"), format="localized"),
            "records": st.column_config.NumberColumn(t("board.column.records"), format="localized"),
            "points": st.column_config.NumberColumn(t("board.column.points"), format="localized"),
            "per_capita": st.column_config.NumberColumn(t("board.column.per_capita"), format="%.2f"),
            "completion": st.column_config.ProgressColumn(
                t("board.column.completion"), min_value=0.0, max_value=100.0, format="%.1f%%"
            ),
            "done": st.column_config.TextColumn(t("board.column.done")),
        },
    )
st.caption(t("board.explain"))
