"""公信度与满意度 — each unit's 选人用人公信度 and 组织工作满意度 per period: entered or imported by the
office; the boards show them as a column and the composite index uses them where they exist."""
import streamlit as st

from core.clock import office_today
from core.permissions import Action
from db.surveys import delete_survey, periods, survey_rows, today_period
from ui import data
from ui.import_view import FLASH_KEY as IMPORT_FLASH
from ui.ledger_common import export_button, flash, run
from ui.ledger_surveys import entry_form, import_section, table, trend_chart
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("ledgers.surveys_title"))
if actor is None or not actor.may(Action.READ_LEDGERS):
    st.info(t("error.sign_in_required") if actor is None else t("ledgers.error.no_access"), icon=":material/lock:")
    st.stop()
st.caption(t("ledgers.surveys_intro"))
flash()
if message := st.session_state.pop(IMPORT_FLASH, None):
    st.success(message, icon=":material/check_circle:")

units = {unit["id"]: localized(unit) for unit in data.units() if unit["group_id"] is not None}
period_rows = periods()
if not period_rows:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()

if actor.is_admin:
    enter_tab, import_tab = st.tabs([t("ledgers.survey_enter"), t("ledgers.survey_import_tab")])
    with enter_tab:
        entry_form(actor, units, period_rows, today_period(period_rows, office_today()))
    with import_tab:
        import_section(actor)
else:
    st.subheader(t("ledgers.survey_trend", unit=units.get(actor.unit_id, "")))
    trend_chart(actor.unit_id)

period_names = {row["id"]: row["label"] for row in period_rows}
filters = st.columns([3, 2, 5])
unit_id = None
if actor.is_admin:
    unit_id = filters[0].selectbox(t("ledgers.field.unit"), [None, *units], format_func=lambda u: t("ledgers.all_units") if u is None else units[u], key="surveys_unit")
period_id = filters[1].selectbox(t("ledgers.field.period"), [None, *period_names], format_func=lambda p: t("ledgers.all") if p is None else period_names[p], key="surveys_period")
rows = survey_rows(actor, unit_id=unit_id, period_id=period_id)
if not rows:
    st.info(t("ledgers.surveys_empty_office" if actor.is_admin else "ledgers.surveys_empty_unit"), icon=":material/inbox:")
    st.stop()
frame, columns = table(rows)
selection = st.dataframe(
    frame, hide_index=True, width="stretch", height=min(36 * (len(rows) + 1) + 4, 380),
    on_select="rerun" if actor.is_admin else "ignore", selection_mode="single-row", key=f"surveys_table_{unit_id}_{period_id}",
    column_config={
        "credibility": st.column_config.NumberColumn(columns[2].header, format="%.1f"),
        "satisfaction": st.column_config.NumberColumn(columns[3].header, format="%.1f"),
        "respondents": st.column_config.NumberColumn(columns[4].header, format="localized"),
        "period": columns[0].header, "unit": columns[1].header,
    },
)
export_button(frame, columns, title=t("ledgers.surveys_title"), stem="surveys", key="surveys_export")
if actor.is_admin and selection.selection.rows:
    chosen = rows[selection.selection.rows[0]]
    if st.button(t("ledgers.survey_delete", unit=chosen["unit_" + lang], period=chosen["period"]), icon=":material/delete:"):
        run(lambda: delete_survey(actor, chosen["id"]), t("ledgers.survey_deleted"))
