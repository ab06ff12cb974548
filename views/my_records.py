"""填报记录 — everything a unit entered, with its review status: fix returned records, resubmit, delete."""
import streamlit as st

from core.enums import RecordStatus
from core.i18n import format_date
from core.safe_text import as_text
from core.xlsx_export import workbook_bytes
from db.access import PermissionDenied
from db.record_queries import record_detail, unit_records, unit_status_counts
from ui import data
from ui.export import XLSX_MIME, file_name, records_sheet
from ui.record_panel import EDITING_KEY, FLASH_KEY, OPEN_KEY, TABLE_NONCE_KEY, record_panel
from ui.state import current_actor, language, localized, t

STATUSES = (RecordStatus.DRAFT, RecordStatus.PENDING, RecordStatus.APPROVED, RecordStatus.RETURNED)
LIMIT = 300
EXPORT_MAX = 100_000  # the download holds every record the filters select, not only those listed

lang = language()
actor = current_actor()
st.title(t("records.title"))
if actor is None or not actor.records_activities:
    st.info(t("error.sign_in_required") if actor is None else t("error.permission"))
    st.stop()

units = {unit["id"]: unit for unit in data.units()}
if actor.is_admin:
    unit_id = st.selectbox(t("entry.unit"), [u for u in units if units[u]["group_id"]], format_func=lambda u: localized(units[u]), key="records_unit")
else:
    unit_id = actor.unit_id
    st.caption(t("records.intro_own" if actor.enters_own_records_only else "records.intro_unit", unit=as_text(localized(units[unit_id]))))

counts = unit_status_counts(actor, unit_id)
if counts.get(RecordStatus.RETURNED):
    st.warning(t("records.returned_hint", count=counts[RecordStatus.RETURNED]), icon=":material/undo:")
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")

filters = st.columns([3, 2])
status = filters[0].segmented_control(
    t("entry.column.status"), STATUSES, key="records_status",
    format_func=lambda s: t("records.status_count", status=t(f"status.{s}"), count=f"{counts.get(s, 0):,}"),
)
types = {a["code"]: a for a in data.activity_types()}
type_code = filters[1].selectbox(
    t("entry.column.type"), [None, *types], key="records_type",
    format_func=lambda c: t("review.all_types") if c is None else localized(types[c]),
)
rows = unit_records(actor, unit_id, status=status, type_code=type_code, limit=LIMIT)
if not rows:
    st.info(t("records.empty_filtered" if status or type_code else "records.empty"), icon=":material/inbox:")
    st.page_link("views/entry.py", label=t("records.go_entry"), icon=":material/edit_note:")
    st.stop()
if len(rows) == LIMIT:
    st.caption(t("records.limited", count=LIMIT))
st.download_button(
    t("reports.export_excel"),
    data=lambda: workbook_bytes([records_sheet(
        unit_records(actor, unit_id, status=status, type_code=type_code, limit=EXPORT_MAX), lang,
        title=f"{t('records.title')} · {localized(units[unit_id])}",
    )]),
    file_name=file_name(f"{t('records.title')}-{localized(units[unit_id])}"), mime=XLSX_MIME,
    icon=":material/download:", key="records_export", on_click="ignore",
)
table_key = f"records_table_{unit_id}_{status}_{type_code}_{st.session_state.get(TABLE_NONCE_KEY, 0)}"
previous = st.session_state.get(table_key) or {}
opened_before = st.session_state.get(OPEN_KEY) or previous.get("selection", {}).get("rows")

selection = st.dataframe(
    {
        "id": [row["id"] for row in rows],
        "status": [t("status." + row["status"]) for row in rows],
        "type": [row["type_" + lang] for row in rows],
        "title": [row["title"] for row in rows],
        "cadre": [row["cadre_name"] or "" for row in rows],
        "date": [format_date(row["occurred_on"], lang) for row in rows],
        "reason": [row["return_reason"] or "" for row in rows],
    },
    hide_index=True,
    width="stretch",
    # Shorter while a record is open, so that the record shows on the first screen.
    height=min(36 * (len(rows) + 1) + 4, 220 if opened_before else 360),
    on_select="rerun",
    selection_mode="single-row",
    key=table_key,
    column_config={
        "id": st.column_config.NumberColumn(t("entry.column.id"), format="%d", width="small"),
        "status": st.column_config.TextColumn(t("entry.column.status"), width="small"),
        "type": t("entry.column.type"),
        "title": st.column_config.TextColumn(t("entry.field.title"), width="medium"),
        "cadre": t("review.cadre"),
        "date": t("entry.field.occurred_on"),
        "reason": st.column_config.TextColumn(t("entry.column.reason"), width="medium"),
    },
)
chosen = selection.selection.rows
if chosen:
    st.session_state.pop(OPEN_KEY, None)
opened = rows[chosen[0]]["id"] if chosen else st.session_state.get(OPEN_KEY)
if opened is None:
    st.caption(t("records.select_hint"))
    st.session_state.pop(EDITING_KEY, None)
    st.stop()

try:
    detail = record_detail(actor, opened)
except PermissionDenied as denied:
    st.error(t(denied.key))
    st.stop()
with st.container(border=True):
    record_panel(actor, detail)
