"""单位排行 — which units lead their comparison group, and how each unit's score is made up."""
import altair as alt
import streamlit as st

from core.i18n import format_percent, format_points
from core.safe_text import as_text
from core.scoring import median
from ui import board_data, board_frames, data
from ui.board_controls import board_campaign, board_controls, lang_key, range_caption
from ui.board_view import change_legend, download, show_table
from ui.charts import area_heatmap, ranked_bars
from ui.export import XLSX_MIME, all_boards_workbook, file_name
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
campaign = board_campaign()
st.title(t("board.heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()
st.caption(as_text(localized(campaign.__dict__)))

units = {unit["id"]: unit for unit in data.units()}
own_unit = units.get(actor.unit_id) if actor and actor.unit_id else None
selection = board_controls(campaign, own_unit_group=own_unit["group_id"] if own_unit else None)

group = selection.group
board = board_data.board(campaign.id, selection.span.start, selection.span.end, group["id"] if group else None, selection.metric, selection.rules_version)
if not board.standings:
    st.info(t("board.no_units"), icon=":material/info:")
    st.stop()

types = data.activity_types()
chart_frame = board_frames.chart_frame(board, lang)
table = board_frames.unit_table(board, lang, group_name=localized(group) if group else "")
records = int(chart_frame["records"].sum())
own = next((s for s in board.standings if actor is not None and s.unit_id == actor.unit_id), None)

kpis = st.columns([2, 2, 5, 3, 3] if own else [2, 2, 5, 3])
kpis[0].metric(t("board.units"), f"{len(board.standings):,}")
kpis[1].metric(t("board.approved_records"), f"{records:,}")
leaders = [row["unit"] for _, row in chart_frame.iterrows() if row["rank"] == 1]
kpis[2].metric(t("board.leader"), t("board.list_separator").join(leaders) or board_frames.NO_RANK)
median_completion = median(s.completion for s in board.standings)
kpis[3].metric(t("board.median_completion"), format_percent(median_completion) if median_completion is not None else "—")
if own:
    kpis[4].metric(
        t("board.own_unit"), board_frames.own_rank_label(own.rank, lang), t("board.own_points", points=format_points(own.points)),
        delta_color="off", delta_arrow="off",
    )

if records == 0:
    st.info(t("board.empty"), icon=":material/hourglass_empty:")

metric = selection.metric
metric_title = t(f"board.metric_kind.{metric}")
picked = show_table(table, key="board_table", selectable=True)
legend_col, export_col = st.columns([3, 1], vertical_alignment="center")
with legend_col:
    change_legend()
with export_col:
    download([table], stem=t("board.heading"), key="board_export", notes=[range_caption(selection), t("board.change_legend")])
    st.download_button(
        t("reports.export_all_groups"),
        data=lambda: all_boards_workbook(
            campaign_id=campaign.id, start=selection.span.start, end=selection.span.end, metric=selection.metric,
            rules_version=selection.rules_version, groups=data.groups(), language=lang,
            notes=[range_caption(selection), t("board.change_legend")],
        ),
        file_name=file_name(t("reports.export_all_groups")), mime=XLSX_MIME, icon=":material/download:",
        key="board_export_all", on_click="ignore",
    )

# Opening a unit: a click on its row, or the picker in the breakdown tab, shows how its score is made up.
ids = [s.unit_id for s in board.standings]
unit_key = lang_key("board_unit")
rows = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
clicked = ids[rows[0]] if rows and rows[0] < len(ids) else None
if clicked is not None and clicked != st.session_state.get("board_clicked"):
    st.session_state[unit_key] = clicked
st.session_state["board_clicked"] = clicked
if st.session_state.get(unit_key) not in ids:
    remembered = st.session_state.get("board_unit_pick")
    st.session_state[unit_key] = remembered if remembered in ids else own.unit_id if own else ids[0]

chart_tab, explain_tab, heatmap_tab, rules_tab = st.tabs(
    [t("board.tab_chart"), t("board.tab_breakdown"), t("board.tab_heatmap"), t("board.tab_rules")]
)
with chart_tab:
    st.markdown(f"**{t('board.chart_title', group=as_text(localized(group)) if group else '', metric=metric_title)}**")
    chart = ranked_bars(
        chart_frame, value=metric, value_title=metric_title, label="unit", percent=metric == "completion",
        tooltip=[
            alt.Tooltip("rank_text:N", title=t("board.column.rank")),
            alt.Tooltip("unit:N", title=t("board.column.unit")),
            alt.Tooltip("headcount:Q", title=t("board.column.headcount")),
            alt.Tooltip("records:Q", title=t("board.column.records"), format=","),
            alt.Tooltip("activity_points:Q", title=t("board.column.activity_points"), format=",.1f"),
            alt.Tooltip("bonus_points:Q", title=t("board.column.bonus_points"), format=",.1f"),
            alt.Tooltip("points:Q", title=t("board.column.points"), format=",.1f"),
            alt.Tooltip("per_capita:Q", title=t("board.column.per_capita"), format=",.2f"),
            alt.Tooltip("done:N", title=t("board.column.done")),
            alt.Tooltip("completion:Q", title=t("board.column.completion"), format=".1%"),
            alt.Tooltip("composite:Q", title=t("board.column.composite"), format=",.1f"),
        ],
    )
    st.altair_chart(chart, width="stretch")
with explain_tab:
    names = {s.unit_id: localized(s.__dict__) for s in board.standings}
    pick_col, link_col = st.columns([4, 2], vertical_alignment="bottom")
    unit_id = pick_col.selectbox(t("board.pick_unit"), ids, format_func=names.get, key=unit_key)
    st.session_state["board_unit_pick"] = unit_id
    link_col.page_link("views/unit_detail.py", label=t("board.open_unit"), icon=":material/open_in_new:", query_params={"unit": str(unit_id)})
    breakdown = board_frames.breakdown_table(board, unit_id, types, lang)
    show_table(breakdown, key="board_breakdown", max_height=900)
    for line in board_frames.denominators(board, unit_id, types, lang):
        st.markdown(f"- {line}")
    download([breakdown], stem=f"{names[unit_id]}-{t('board.tab_breakdown')}", key="board_breakdown_export",
             notes=[names[unit_id], range_caption(selection)])
with heatmap_tab:
    st.caption(t("board.heatmap_caption"))
    heat = board_frames.area_points(board, types, lang)
    st.altair_chart(
        area_heatmap(heat, value_title=t("board.column.per_capita"), relative_title=t("board.heatmap_relative"), unit_title=t("board.column.unit"),
                     area_title=t("board.column.area"), points_title=t("board.column.points")),
        width="stretch",
    )
with rules_tab:
    st.markdown(board_frames.composite_formula(board, lang))
    rules_table, bonuses = board_frames.rules_tables(board_data.rules_of(board.rules_version), types, lang)
    st.caption(t("board.rules_tab_caption", version=board.rules_version, bonuses=bonuses))
    show_table(rules_table, key="board_rules_table", max_height=420)
    download([rules_table], stem=t("board.tab_rules"), key="board_rules_export",
             notes=[t("board.rules_tab_caption", version=board.rules_version, bonuses=bonuses)])
    if actor is not None and actor.is_admin:
        st.page_link("views/rules.py", label=t("board.rules_link"), icon=":material/tune:")
st.caption(t("board.explain"))
