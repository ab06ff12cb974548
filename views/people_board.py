"""个人积分榜 — cadres' study points (reading notes, recommendations, analysis reports ...),
with the office's choice to show units only, not names."""
import streamlit as st

from core.i18n import format_points
from db.access import PermissionDenied
from db.exports import full_people_board
from db.people_boards import PEOPLE_SHOWN, set_names_hidden
from ui import board_data, board_frames, data
from ui.board_controls import board_campaign, board_controls, lang_key, range_caption
from ui.board_view import download, show_table
from ui.export import XLSX_MIME, file_name, workbook_bytes
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
campaign = board_campaign()
st.title(t("board.people_heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()

units = data.units()
own_unit = next((unit for unit in units if actor and unit["id"] == actor.unit_id), None)
selection = board_controls(campaign, metric=False, own_unit_group=own_unit["group_id"] if own_unit else None)
group = selection.group
in_group = [unit for unit in units if group and unit["group_id"] == group["id"]]
scope_ids = [None] + [unit["id"] for unit in in_group]
names = {unit["id"]: localized(unit) for unit in in_group}
scope_col, setting_col = st.columns([4, 3], vertical_alignment="bottom")
unit_id = scope_col.selectbox(
    t("board.people_scope"), scope_ids, format_func=lambda ident: names.get(ident) or t("board.people_all_units"),
    key=lang_key("people_unit"),
)
if actor is not None and actor.is_admin:
    hidden_now = board_data.names_hidden()
    wanted = setting_col.toggle(t("board.hide_names"), value=hidden_now, key="people_hide_names", help=t("board.hide_names_help"))
    if wanted != hidden_now:
        try:
            set_names_hidden(actor, wanted)
        except PermissionDenied as refused:
            st.error(t(refused.key))
        else:
            data.refresh()
            st.rerun()

board = board_data.people(actor, campaign.id, selection.span.start, selection.span.end, unit_id, group["id"] if group else None, selection.rules_version)
if board.hidden:
    st.info(t("board.names_hidden_admin" if actor is not None and actor.is_admin else "board.names_hidden_note"), icon=":material/visibility_off:")
if not board.rows:
    st.info(t("board.people_empty"), icon=":material/info:")
    st.stop()

me = next((row for row in board.rows if row.is_self), None)
kpis = st.columns(4 if me else 3)
kpis[0].metric(t("board.people_ranked"), f"{board.ranked:,}")
kpis[1].metric(t("board.people_top_points"), format_points(board.rows[0].points))
kpis[2].metric(t("board.people_scored"), f"{board.scored:,}")
if me:
    kpis[3].metric(t("board.people_me"), board_frames.own_rank_label(me.rank, lang), t("board.own_points", points=format_points(me.points)), delta_color="off", delta_arrow="off")

if not any(row.rank for row in board.rows):
    st.info(t("board.people_none_scored"), icon=":material/hourglass_empty:")
table = board_frames.people_table(board, data.activity_types(), lang)
show_table(table, key="people_table")
if board.ranked > PEOPLE_SHOWN:
    st.caption(t("board.people_limit", shown=PEOPLE_SHOWN, total=board.ranked))
st.caption(t("board.people_explain"))
export_col, full_col = st.columns(2)
with export_col:
    download([table], stem=t("board.people_heading"), key="people_export", notes=[range_caption(selection)])
if board.ranked > len(board.rows):
    full_col.download_button(
        t("reports.export_full_people"),
        data=lambda: workbook_bytes([board_frames.people_table(full_people_board(
            actor, campaign_id=campaign.id, start=selection.span.start, end=selection.span.end, unit_id=unit_id,
            group_id=group["id"] if group else None, rules_version=selection.rules_version,
        ), data.activity_types(), lang)], notes=[range_caption(selection)], language=lang),
        file_name=file_name(t("board.people_heading")), mime=XLSX_MIME, icon=":material/download:",
        key="people_export_full", on_click="ignore",
    )
