"""建议征集 — cadres' suggestions and the office's answers: submit, route, answer, adopt; filter and export."""
import streamlit as st

from core.enums import Role
from core.ledgers import SuggestionStatus
from core.permissions import Action
from db.reference import unit_people
from db.suggestions import (
    LIST_LIMIT,
    anonymous_allowed,
    divisions,
    list_suggestions,
    set_anonymous_allowed,
    status_counts,
)
from ui import data
from ui.ledger_common import export_button, flash, run
from ui.ledger_suggestions import detail_panel, status_text, submit_form, table
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("ledgers.suggestions_title"))
if actor is None or not actor.may(Action.READ_LEDGERS):
    st.info(t("error.sign_in_required") if actor is None else t("ledgers.error.no_access"), icon=":material/lock:")
    st.stop()
st.caption(t("ledgers.suggestions_intro_office" if actor.is_admin else "ledgers.suggestions_intro_unit"))
flash()

allowed = anonymous_allowed()
counts = status_counts(actor)
metrics = st.columns(4)
for column, status in zip(metrics, SuggestionStatus, strict=True):
    column.metric(status_text(status), f"{counts.get(status, 0):,}")

if actor.is_admin:
    with st.expander(t("ledgers.settings"), icon=":material/settings:"):
        wanted = st.toggle(t("ledgers.allow_anonymous"), value=allowed, help=t("ledgers.allow_anonymous_help"))
        if wanted != allowed:
            run(lambda: set_anonymous_allowed(actor, wanted), t("ledgers.setting_saved"))
elif actor.unit_id is not None:
    with st.expander(t("ledgers.new_suggestion"), icon=":material/add_comment:", expanded=actor.enters_own_records_only and not counts):
        cadres = unit_people(actor, actor.unit_id)["cadres"] if actor.role == Role.REPORTER else []
        submit_form(actor, actor.unit_id, cadres, allowed)

units = {unit["id"]: unit for unit in data.units() if unit["group_id"] is not None}
division_list = divisions()
division_names = {division["id"]: localized(division) for division in division_list}
campaign = data.campaign()
filters = st.columns([3, 3, 3, 2, 2, 3])
status = filters[0].selectbox(t("ledgers.column.status"), [None, *SuggestionStatus], format_func=lambda s: t("ledgers.all") if s is None else status_text(s), key="suggestions_status")
unit_id = None
if actor.is_admin:
    unit_id = filters[1].selectbox(t("ledgers.column.unit"), [None, *units], format_func=lambda u: t("ledgers.all_units") if u is None else localized(units[u]), key="suggestions_unit")
elif actor.enters_own_records_only:
    filters[1].toggle(t("ledgers.only_mine"), key="suggestions_mine")
division_id = filters[2].selectbox(t("ledgers.field.division"), [None, *division_names], format_func=lambda d: t("ledgers.all") if d is None else division_names[d], key="suggestions_division")
bounds = {"min_value": campaign.start_date, "max_value": campaign.end_date} if campaign else {}
start = filters[3].date_input(t("ledgers.date_from"), value=None, format="YYYY-MM-DD", key="suggestions_from", **bounds)
end = filters[4].date_input(t("ledgers.date_to"), value=None, format="YYYY-MM-DD", key="suggestions_to", **bounds)
search = filters[5].text_input(t("ledgers.search"), key="suggestions_search", placeholder=t("ledgers.search_placeholder"))

rows = list_suggestions(
    actor, status=status, unit_id=unit_id, division_id=division_id, start=start, end=end,
    mine=actor.enters_own_records_only and st.session_state.get("suggestions_mine", False), search=search,
)
if not rows:
    st.info(t("ledgers.suggestions_empty"), icon=":material/inbox:")
    st.stop()
frame, columns = table(rows)
st.caption(t("ledgers.shown" if len(rows) < LIST_LIMIT else "ledgers.limited", count=f"{len(rows):,}") + " " + t("ledgers.select_hint"))
selection = st.dataframe(
    frame, hide_index=True, width="stretch", height=min(36 * (len(rows) + 1) + 4, 360),
    on_select="rerun", selection_mode="single-row", key=f"suggestions_table_{status}_{unit_id}_{division_id}_{start}_{end}_{search}",
    column_config={
        "id": st.column_config.NumberColumn(t("ledgers.column.id"), format="%d", width="small"),
        **{column.key: st.column_config.TextColumn(column.header, width="large" if column.kind == "wide_text" else "medium") for column in columns[1:]},
    },
)
export_button(frame, columns, title=t("ledgers.suggestions_title"), stem="suggestions", key="suggestions_export")

chosen = selection.selection.rows
if not chosen:
    st.stop()
with st.container(border=True):
    detail_panel(actor, rows[chosen[0]], division_list, allowed)
