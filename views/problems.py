"""突出问题台账 — problems found on grassroots visits or entered here: owner, due date, progress,
resolution and evidence; overdue ones in red; filters and Excel export."""
import streamlit as st

from core.clock import office_today
from core.ledgers import ProblemStatus
from core.permissions import Action
from db.problems import LIST_LIMIT, list_problems, problem_detail, status_counts
from ui import data
from ui.ledger_common import export_button, flash
from ui.ledger_problems import create_form, detail_panel, show_table, status_text, table
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("ledgers.problems_title"))
if actor is None or not actor.may(Action.READ_LEDGERS):
    st.info(t("error.sign_in_required") if actor is None else t("ledgers.error.no_access"), icon=":material/lock:")
    st.stop()
st.caption(t("ledgers.problems_intro"))
flash()
now = office_today()

counts = status_counts(actor, today=now)
metrics = st.columns(5)
for column, status in zip(metrics, ProblemStatus, strict=False):
    column.metric(status_text(status), f"{counts.get(status, 0):,}")
metrics[4].metric(t("ledgers.overdue"), f"{counts.get('overdue', 0):,}", delta=t("ledgers.overdue_note") if counts.get("overdue") else None, delta_color="red", delta_arrow="off")

units = {unit["id"]: localized(unit) for unit in data.units()}
if actor.may(Action.WRITE_LEDGERS):
    with st.expander(t("ledgers.new_problem"), icon=":material/add_circle:"):
        create_form(actor, units, now)

filters = st.columns([3, 3, 2, 2, 2, 3])
status = filters[0].selectbox(t("ledgers.column.status"), [None, *ProblemStatus], format_func=lambda s: t("ledgers.all") if s is None else status_text(s), key="problems_status")
unit_id = None
if actor.is_admin:
    ranked = [ident for ident in units if ident in {u["id"] for u in data.units() if u["group_id"] is not None}]
    unit_id = filters[1].selectbox(t("ledgers.column.owner_unit"), [None, *ranked], format_func=lambda u: t("ledgers.all_units") if u is None else units[u], key="problems_unit")
overdue_only = filters[2].toggle(t("ledgers.overdue_only"), key="problems_overdue")
start = filters[3].date_input(t("ledgers.found_from"), value=None, format="YYYY-MM-DD", key="problems_from")
end = filters[4].date_input(t("ledgers.found_to"), value=None, format="YYYY-MM-DD", key="problems_to")
search = filters[5].text_input(t("ledgers.search"), key="problems_search", placeholder=t("ledgers.search_placeholder"))

rows = list_problems(actor, status=status, unit_id=unit_id, overdue_only=overdue_only, start=start, end=end, today=now, search=search)
if not rows:
    st.info(t("ledgers.problems_empty"), icon=":material/inbox:")
    st.stop()
frame, columns = table(rows, now)
st.caption(t("ledgers.shown" if len(rows) < LIST_LIMIT else "ledgers.limited", count=f"{len(rows):,}") + " " + t("ledgers.overdue_legend") + " " + t("ledgers.select_hint"))
selection = show_table(frame, columns, key=f"problems_table_{status}_{unit_id}_{overdue_only}_{start}_{end}_{search}")
export_button(frame, columns, title=t("ledgers.problems_title"), stem="problems", key="problems_export")

chosen = selection.selection.rows
if not chosen:
    st.stop()
with st.container(border=True):
    detail_panel(actor, problem_detail(actor, rows[chosen[0]]["id"], today=now), units, now)
