"""审核 — the office approves submitted records or returns them with a reason, one by one or many at once."""
import streamlit as st

from core.clock import office_today
from core.enums import RecordStatus
from core.i18n import format_date, format_datetime
from core.xlsx_export import workbook_bytes
from db.access import PermissionDenied
from db.record_queries import FLAGS, QueueFilter, record_detail, review_queue
from ui import data, review_data
from ui.export import XLSX_MIME, file_name, review_sheet
from ui.review_view import (
    FLASH_KEY,
    OPEN_KEY,
    approve,
    flag_text,
    open_box_key,
    open_record,
    return_selected,
    review_panel,
    shown_rows,
    table_key,
)
from ui.state import current_actor, language, localized, t

LIMIT = 200
EXPORT_MAX = 100_000  # the download holds every record the filters select, not only those listed

lang = language()
actor = current_actor()
st.title(t("review.heading"))
if actor is None or not actor.is_admin:
    st.error(t("error.admin_only"))
    st.stop()
st.caption(t("review.intro"))

counts = review_data.status_counts(actor)
metrics = st.columns(3)
metrics[0].metric(t("review.waiting"), f"{counts.get(RecordStatus.PENDING, 0):,}")
metrics[1].metric(t("review.approved"), f"{counts.get(RecordStatus.APPROVED, 0):,}")
metrics[2].metric(t("review.returned"), f"{counts.get(RecordStatus.RETURNED, 0):,}")

units = {unit["id"]: unit for unit in data.units()}
types = {a["code"]: a for a in data.activity_types()}
campaign = data.campaign()
filters = st.columns([2, 3, 3, 2, 2])
status = filters[0].selectbox(t("review.status"), (RecordStatus.PENDING, RecordStatus.APPROVED, RecordStatus.RETURNED), format_func=lambda s: t(f"status.{s}"), key="review_status")
unit_id = filters[1].selectbox(t("review.unit"), [None, *units], format_func=lambda u: t("review.all_units") if u is None else localized(units[u]), key="review_unit")
type_code = filters[2].selectbox(t("review.type"), [None, *types], format_func=lambda c: t("review.all_types") if c is None else localized(types[c]), key="review_type")
bounds = {"min_value": campaign.start_date, "max_value": campaign.end_date} if campaign else {}
date_from = filters[3].date_input(t("review.date_from"), value=None, format="YYYY-MM-DD", key="review_from", **bounds)
date_to = filters[4].date_input(t("review.date_to"), value=None, format="YYYY-MM-DD", key="review_to", **bounds)
finding = st.columns([5, 3, 2])
search = finding[0].text_input(t("review.search"), placeholder=t("review.search_placeholder"), key="review_search", max_chars=100)
flag = finding[1].selectbox(t("review.flag_filter"), [None, *FLAGS], format_func=lambda f: t("review.all_flags") if f is None else t(f"review.flag.{f}"), key="review_flag")
newest_first = finding[2].selectbox(
    t("review.order"), (False, True), format_func=lambda newest: t("review.newest_first" if newest else "review.oldest_first"), key="review_order"
)

if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")
criteria = QueueFilter(status, unit_id, type_code, date_from, date_to, search=search, flag=flag, newest_first=newest_first)
rows = review_data.queue(actor, criteria, LIMIT)
if not rows:
    st.info(t("review.queue_empty"), icon=":material/task_alt:")
    st.stop()

total = review_data.queue_size(actor, criteria) if flag != "short" else len(rows)
flagged = sum(1 for row in rows if row["flags"])
summary = [t("review.shown", shown=f"{len(rows):,}", total=f"{total:,}")]
if flagged:
    summary.append(t("review.flagged", count=flagged))
# The export sits left: the table's own toolbar appears over its top right corner.
export_col, caption_col = st.columns([1, 5], vertical_alignment="center")
caption_col.caption(" · ".join(summary) + " " + t("review.select_hint"))
export_col.download_button(
    t("reports.export_excel"),
    data=lambda: workbook_bytes([review_sheet(
        review_queue(actor, criteria=criteria, limit=EXPORT_MAX),
        lang, title=f"{t('review.heading')} · {t(f'status.{status}')}",
    )]),
    file_name=file_name(f"{t('review.heading')}-{t(f'status.{status}')}"), mime=XLSX_MIME,
    icon=":material/download:", key="review_export", on_click="ignore",
)
criteria_key = f"{status}_{unit_id}_{type_code}_{date_from}_{date_to}_{search}_{flag}_{newest_first}"
key, seen_rows, dropped = shown_rows(table_key(criteria_key), rows)
if dropped:
    st.info(t("review.selection_cleared"), icon=":material/deselect:")
today = office_today()


def waited(row: dict) -> str:
    if row["submitted_at"] is None:
        return ""
    return t("review.days", days=max(0, (today - row["submitted_at"].date()).days))


selection = st.dataframe(
    {
        "id": [row["id"] for row in rows],
        "waited": [waited(row) for row in rows],
        "unit": [row["unit_" + lang] for row in rows],
        "type": [row["type_" + lang] for row in rows],
        "title": [row["title"] for row in rows],
        "flags": [flag_text(row["flags"]) for row in rows],
        "photos": [row["photo_count"] for row in rows],
        "cadre": [row["cadre_name"] or "" for row in rows],
        "date": [format_date(row["occurred_on"], lang) for row in rows],
        "submitted": [format_datetime(row["submitted_at"], lang) for row in rows],
    },
    hide_index=True,
    width="stretch",
    height=min(36 * (len(rows) + 1) + 4, 380),
    on_select="rerun",
    selection_mode="multi-row",
    key=key,
    column_config={
        "id": st.column_config.NumberColumn(t("entry.column.id"), format="%d", width="small"),
        "submitted": t("review.submitted_at"),
        "waited": st.column_config.TextColumn(t("review.waited"), width="small"),
        "unit": t("review.unit"),
        "type": t("review.type"),
        "title": st.column_config.TextColumn(t("entry.field.title"), width="medium"),
        "cadre": t("review.cadre"),
        "date": t("entry.field.occurred_on"),
        "photos": st.column_config.NumberColumn(t("review.photos"), format="%d", width="small"),
        "flags": st.column_config.TextColumn(t("review.flags"), width="medium"),
    },
)
# Ticks are positions in the table as the reviewer saw it; shown_rows made sure it is that table.
chosen = [seen_rows[index] for index in selection.selection.rows if index < len(seen_rows)]

if status == RecordStatus.PENDING:
    actions = st.columns([2, 2, 5])
    with actions[0]:
        if st.button(t("review.approve_selected", count=len(chosen)), type="primary", icon=":material/done_all:", disabled=not chosen) and chosen:
            approve(actor, chosen)
    if chosen:
        with actions[1]:
            return_selected(actor, chosen)

by_id = {row["id"]: row for row in rows}
ids = list(by_id)
# Ticking a single row opens it, once: the reviewer may still pick another record below.
single = chosen[0].id if len(chosen) == 1 and chosen[0].id in by_id else None
if single is not None and st.session_state.get("review_ticked_single") != single:
    open_record(single)
st.session_state["review_ticked_single"] = single
opened_id = st.session_state.get(OPEN_KEY)
picked = st.selectbox(
    t("review.open"), ids, index=ids.index(opened_id) if opened_id in by_id else None, key=open_box_key(),
    placeholder=t("review.open_placeholder"),
    format_func=lambda ident: f"{ident} · {by_id[ident]['unit_' + lang]} · {by_id[ident]['title']}",
)
st.session_state[OPEN_KEY] = opened = picked
if opened:
    try:
        detail = record_detail(actor, opened)
    except PermissionDenied as denied:
        st.error(t(denied.key))
        st.stop()
    position = ids.index(opened)
    next_id = next(iter(ids[position + 1:]), None)
    with st.container(border=True):
        review_panel(actor, detail, next_id=next_id)
