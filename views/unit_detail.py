"""单位详情 — one unit against its group: rank and score over the campaign, records by type,
the mandatory tasks still open, its branches; every figure beside the group's median."""

import streamlit as st

from core.addresses import parse_id
from core.clock import office_today
from core.i18n import format_date, format_points
from core.safe_text import as_text
from core.scoring import median
from db.organization import retired_unit
from db.publicity import unit_publicity
from ui import board_data, board_frames, data
from ui.board_controls import board_campaign, board_controls, lang_key, range_caption
from ui.board_view import download, show_table
from ui.charts import trend_lines
from ui.ledger_common import export_frame
from ui.ledger_surveys import trend_chart as survey_trend
from ui.retired_unit import show_retired_unit
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
campaign = board_campaign()
st.title(t("board.unit_heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()

# A deactivated unit ranks nowhere, but its address still shows what it did (组织机构 links it).
requested_unit = parse_id(st.query_params.get("unit"))
if requested_unit is not None and (retired := retired_unit(requested_unit)) is not None:
    show_retired_unit(retired, campaign.id)
    st.stop()

units = [unit for unit in data.units() if unit["group_id"] is not None]
if not units:
    st.info(t("board.no_units"), icon=":material/info:")
    st.stop()
by_id = {unit["id"]: unit for unit in units}
unit_key = lang_key("unit_detail_unit")
# The address names the unit (/unit?unit=12 is bookmarkable); a new address wins over the last pick.
requested = st.query_params.get("unit")
if requested is not None and requested != st.session_state.get("unit_detail_address"):
    if parse_id(requested) in by_id:
        st.session_state[unit_key] = parse_id(requested)
    else:
        st.warning(t("addresses.bad_id"), icon=":material/link_off:")
if st.session_state.get(unit_key) not in by_id:
    remembered = st.session_state.get("unit_detail_pick")
    st.session_state[unit_key] = remembered if remembered in by_id else actor.unit_id if actor and actor.unit_id in by_id else units[0]["id"]
unit_id = st.selectbox(t("board.pick_unit"), list(by_id), format_func=lambda ident: localized(by_id[ident]), key=unit_key)
st.session_state["unit_detail_pick"] = unit_id
st.session_state["unit_detail_address"] = st.query_params["unit"] = str(unit_id)
unit = by_id[unit_id]
group = next((g for g in data.groups() if g["id"] == unit["group_id"]), None)
st.caption(t("board.unit_group", group=as_text(localized(group)) if group else ""))

selection = board_controls(campaign, group=False)
span = selection.span
board = board_data.board(campaign.id, span.start, span.end, unit["group_id"], selection.metric, selection.rules_version)
standing = next(s for s in board.standings if s.unit_id == unit_id)


def versus(value: float | None, others: list[float | None], digits: int, scale: float = 1.0) -> dict:
    """The metric's delta against the group's median: red above, green below (Chinese convention)."""
    middle = median(others)
    if value is None or middle is None:
        return {}
    diff = round((value - middle) * scale, digits)
    colour, arrow = ("red", "up") if diff > 0 else ("green", "down") if diff < 0 else ("gray", "off")
    return {"delta": t("board.vs_median", diff=f"{diff:+,.{digits}f}"), "delta_color": colour, "delta_arrow": arrow}


kpis = st.columns(5)
change = standing.rank_change
kpis[0].metric(
    t("board.rank_in_group", metric=t(f"board.metric_kind.{selection.metric}")),
    board_frames.rank_label(standing.rank, standing.tied, lang) + f" / {len(board.standings)}",
    board_frames.change_label(change, board.previous is not None, lang, ranked=standing.rank is not None) or None,
    delta_color="red" if change and change > 0 else "green" if change and change < 0 else "gray",
    delta_arrow="off",
)
kpis[1].metric(t("board.column.points"), format_points(standing.points), **versus(standing.points, [s.points for s in board.standings], 1))
kpis[2].metric(t("board.column.per_capita"), "—" if standing.per_capita is None else f"{standing.per_capita:,.2f}",
               **versus(standing.per_capita, [s.per_capita for s in board.standings], 2))
kpis[3].metric(t("board.column.completion"), "—" if standing.completion is None else f"{standing.completion * 100:.1f}%",
               **versus(standing.completion, [s.completion for s in board.standings], 1, 100.0))
kpis[4].metric(t("board.column.composite"), f"{standing.composite or 0:.1f}",
               **versus(standing.composite, [s.composite for s in board.standings], 1))
st.caption(t("board.kpi_legend"))

types = data.activity_types()
unit_name = localized(unit)
trend_tab, records_tab, tasks_tab, branch_tab, publicity_tab = st.tabs(
    [t("board.tab_trend"), t("board.tab_records"), t("board.tab_tasks"), t("board.tab_branches"), t("reports.publicity_tab")]
)
with trend_tab:
    trend_end = min(office_today(), campaign.end_date)
    trend = board_data.trend(campaign.id, unit["group_id"], campaign.start_date, trend_end, selection.rules_version)
    frame = board_frames.trend_frame(trend, unit_id, lang)
    st.caption(t("board.trend_caption"))
    st.altair_chart(
        trend_lines(frame, month_title=t("board.column.month"), value_title=t("board.column.per_capita"),
                    unit_label=unit_name, median_label=t("board.column.group_median"), rank_title=t("board.column.rank")),
        width="stretch",
    )
    trend_table = board_frames.trend_table(trend, unit_id, lang)
    with st.expander(t("board.trend_numbers")):
        show_table(trend_table, key="unit_trend_table")
    download([trend_table], stem=f"{unit_name}-{t('board.tab_trend')}", key="unit_trend_export", notes=[unit_name])
    st.subheader(t("ledgers.survey_trend", unit=as_text(unit_name)))
    survey_trend(unit_id)
with records_tab:
    breakdown = board_frames.breakdown_table(board, unit_id, types, lang)
    show_table(breakdown, key="unit_breakdown", max_height=900)
    for line in board_frames.denominators(board, unit_id, types, lang):
        st.markdown(f"- {line}")
    tables = [breakdown]
    if actor is not None and actor.can_read_unit(unit_id):
        statuses = board_frames.status_table(board_data.status_counts(actor, campaign.id, unit_id, span.start, span.end), types, lang)
        st.subheader(t("board.status_title"))
        show_table(statuses, key="unit_statuses")
        tables.append(statuses)
    download(tables, stem=f"{unit_name}-{t('board.tab_records')}", key="unit_records_export", notes=[unit_name, range_caption(selection)])
with tasks_tab:
    tasks = board_data.open_tasks(actor, campaign.id, unit_id, span.end)
    open_count = sum(task.open for task in tasks)
    if open_count:
        st.warning(t("board.tasks_open", count=open_count), icon=":material/assignment_late:")
    else:
        st.success(t("board.tasks_all_done"), icon=":material/task_alt:")
    tasks_table = board_frames.tasks_table(tasks, types, lang, median_completion=board_frames.task_medians(board))
    show_table(tasks_table, key="unit_tasks")
    if tasks and all(task.missing is None for task in tasks):
        st.caption(t("board.tasks_names_private"))
    download([tasks_table], stem=f"{unit_name}-{t('board.tab_tasks')}", key="unit_tasks_export", notes=[unit_name, range_caption(selection)])
with branch_tab:
    branches = board_data.branches(campaign.id, unit_id, span.start, span.end, selection.rules_version)
    if not branches.rows:
        st.info(t("board.no_branches"), icon=":material/info:")
    else:
        branch_table = board_frames.branch_table(branches, lang, unit_name=unit_name)
        show_table(branch_table, key="unit_branches")
        st.caption(t("board.branch_caption", unassigned=branches.unassigned_records))
        download([branch_table], stem=f"{unit_name}-{t('board.tab_branches')}", key="unit_branch_export", notes=[unit_name, range_caption(selection)])
with publicity_tab:
    reports = unit_publicity(actor, campaign_id=campaign.id, unit_id=unit_id, start=span.start, end=span.end)
    if not reports:
        st.info(t("reports.publicity_none"), icon=":material/campaign:")
    else:
        # Links stay text: an address a unit typed in is shown, never made clickable on a public page.
        publicity = {"date": [format_date(row["date"], lang) for row in reports], "outlet": [row["outlet"] for row in reports],
                     "title": [row["title"] for row in reports], "link": [row["link"] for row in reports]}
        headers = {column: t(f"reports.briefing.col.{column}") for column in publicity}
        st.dataframe(
            publicity, hide_index=True, width="stretch",
            column_config={"date": headers["date"], "outlet": headers["outlet"],
                           "title": st.column_config.TextColumn(headers["title"], width="large"),
                           "link": st.column_config.TextColumn(headers["link"], width="medium")},
        )
        st.caption(t("reports.publicity_count", count=len(reports)))
        export_frame(publicity, title=f"{unit_name} {t('reports.publicity_tab')}", stem=f"{unit_name}-{t('reports.publicity_tab')}",
                     key="unit_publicity_export", headers=headers, notes=[range_caption(selection)])
