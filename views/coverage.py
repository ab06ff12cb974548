"""完成情况一览 — units × mandatory tasks, each cell done/required in its 三色督办 colour against
the expected pace; a cell opens who is still missing. The office sees every unit, a unit's
reporter their own row."""
import streamlit as st

from core.addresses import parse_id
from core.completion import SEVERITY
from core.i18n import format_date
from db.access import PermissionDenied
from ui import data, supervision_data
from ui.export import XLSX_MIME, file_name
from ui.state import current_actor, language, t
from ui.supervision_documents import matrix_workbook
from ui.supervision_frames import SORTS, colour_counts, matrix, styled
from ui.supervision_widgets import as_of_day, group_choice, legend, missing_columns

GRID_KEY = "coverage_grid"
UNIT_KEY = "coverage_unit"
TASK_KEY = "coverage_task"

lang = language()
actor = current_actor()
campaign = data.campaign()
st.title(t("supervision.coverage_heading"))
if campaign is None:
    st.info(t("app.no_campaign"), icon=":material/info:")
    st.stop()

controls = st.columns([2, 2, 3]) if actor.is_admin else st.columns([2, 5])
with controls[0]:
    as_of = as_of_day(campaign, "coverage_as_of")
group_id = None
if actor.is_admin:
    with controls[1]:
        group_id = group_choice("coverage_group")
with controls[-1]:
    sort = st.segmented_control(
        t("supervision.sort"), SORTS, default="order", key="coverage_sort",
        format_func=lambda key: t(f"supervision.sort_by.{key}"),
    ) or "order"

try:
    cells = supervision_data.matrix(actor, campaign.id, as_of, group_id)
except PermissionDenied as denied:
    st.warning(t(denied.key), icon=":material/block:")
    st.stop()
if not cells:
    st.info(t("supervision.no_targets"), icon=":material/info:")
    st.stop()

counts = colour_counts(cells)
kpis = st.columns(4)
for column, colour in zip(kpis, ("red", "amber", "green", "done"), strict=True):
    column.metric(t(f"supervision.count.{colour}"), f"{counts[colour]:,}")
st.caption(t("supervision.pace_caption", date=format_date(as_of, lang)))
legend()

shown = matrix(cells, lang, sort)
event = st.dataframe(
    styled(shown), hide_index=True, width="stretch", key=GRID_KEY, on_select="rerun", selection_mode="single-cell",
    height=min(35 * (len(shown.frame) + 1) + 3, 560),
)
# A click on a task cell chooses that unit and task below; the choice boxes stay usable on
# their own (and a link can name ?unit=…&task=…).
picked = event.selection.cells[0] if event and event.selection.cells else None
if picked and picked != st.session_state.get("coverage_last_pick"):
    st.session_state["coverage_last_pick"] = picked
    cell = shown.cells.get((picked[0], picked[1]))
    if cell is not None:
        st.session_state[UNIT_KEY] = cell.unit.id
        st.session_state[TASK_KEY] = cell.target.id
params = st.query_params
if parse_id(params.get("unit")) is not None and parse_id(params.get("task")) is not None:
    st.session_state[UNIT_KEY], st.session_state[TASK_KEY] = parse_id(params["unit"]), parse_id(params["task"])
    params.pop("unit")
    params.pop("task")

st.download_button(
    t("supervision.export_matrix"),
    data=lambda: matrix_workbook(
        shown, title=t("supervision.coverage_heading"), language=lang,
        notes=[t("supervision.pace_caption", date=format_date(as_of, lang))],
    ),
    file_name=file_name(t("supervision.coverage_heading"), as_of), mime=XLSX_MIME, icon=":material/download:",
    on_click="ignore", key="coverage_export",
)

st.subheader(t("supervision.missing_heading"))
units = {}
for cell in cells:
    units.setdefault(cell.unit.id, cell.unit)
targets = {cell.target.id: cell.target for cell in cells}
by_key = {(cell.unit.id, cell.target.id): cell for cell in cells}
if st.session_state.get(UNIT_KEY) not in units or st.session_state.get(TASK_KEY) not in targets:
    # Start on the worst cell, so the page opens on what needs doing.
    worst = min(cells, key=lambda c: (SEVERITY.get(c.colour, len(SEVERITY)), -c.open))
    st.session_state[UNIT_KEY], st.session_state[TASK_KEY] = worst.unit.id, worst.target.id
pick = st.columns(2)
unit_id = pick[0].selectbox(
    t("supervision.column.unit"), list(units), key=UNIT_KEY,
    format_func=lambda ident: units[ident].name_en if lang == "en" and units[ident].name_en else units[ident].name_zh,
)
target_id = pick[1].selectbox(
    t("supervision.column.task"), list(targets), key=TASK_KEY,
    format_func=lambda ident: targets[ident].name_en if lang == "en" and targets[ident].name_en else targets[ident].name_zh,
)
chosen = by_key[(unit_id, target_id)]
if chosen.colour is None:
    st.info(t("supervision.owes_nothing"), icon=":material/info:")
else:
    st.caption(t(
        "supervision.cell_caption", done=chosen.done, required=chosen.required, expected=chosen.expected,
        due=format_date(chosen.due_on, lang), colour=t(f"supervision.colour.{chosen.colour.value}"),
    ))
    if chosen.open:
        missing_columns(supervision_data.missing(actor, campaign.id, as_of, unit_id, target_id))
    else:
        st.success(t("supervision.all_done"), icon=":material/check_circle:")
