"""The audit trail's filters, table and Excel export (views/audit.py puts it on a tab)."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from core.clock import office_to_utc
from core.i18n import format_datetime
from db.audit_log import PAGE_SIZE, AuditFilter, audit_choices, audit_entries
from ui import data
from ui.board_frames import Column, Table
from ui.export import XLSX_MIME, file_name, workbook_bytes
from ui.state import current_actor, language, localized, t

EXPORT_LIMIT = 10_000
_COLUMN_KEYS = ("at", "person", "action", "entity", "entity_id", "detail")


def label(prefix: str, code: str | None) -> str:
    """The catalogue's name for an action or entity; the code itself where none is written yet."""
    if not code:
        return ""
    key = f"audit.{prefix}.{code}"
    text = t(key)
    return code if text == key else text


def _frame(entries: list[dict]) -> pd.DataFrame:
    lang = language()
    return pd.DataFrame({
        "at": [format_datetime(row["at"], lang, seconds=True) for row in entries],
        "person": [f"{row['display_name']} ({row['username']})" if row["username"] else t("audit.system") for row in entries],
        "action": [label("actions", row["action"]) for row in entries],
        "entity": [label("entities", row["entity"]) for row in entries],
        "entity_id": [str(row["entity_id"]) if row["entity_id"] is not None else "" for row in entries],
        "detail": [json.dumps(row["detail"], ensure_ascii=False, default=str) if row["detail"] else "" for row in entries],
    })


def _filters() -> AuditFilter | None:
    """The criteria the office chose; None while the dates are reversed."""
    actor = current_actor()
    choices = audit_choices(actor)
    people = {person["id"]: person for person in choices["people"]}
    units = {unit["id"]: unit for unit in data.units()}
    columns = st.columns([3, 3, 3, 2, 2])
    user_id = columns[0].selectbox(
        t("audit.person"), [None, *people], key="audit_person",
        format_func=lambda u: t("audit.everyone") if u is None else f"{people[u]['display_name']} ({people[u]['username']})",
    )
    unit_id = columns[1].selectbox(
        t("audit.unit"), [None, *units], key="audit_unit",
        format_func=lambda u: t("audit.all_units") if u is None else localized(units[u]),
    )
    action = columns[2].selectbox(
        t("audit.action"), [None, *choices["actions"]], key="audit_action",
        format_func=lambda a: t("audit.all_actions") if a is None else label("actions", a),
    )
    date_from = columns[3].date_input(t("audit.date_from"), value=None, format="YYYY-MM-DD", key="audit_from")
    date_to = columns[4].date_input(t("audit.date_to"), value=None, format="YYYY-MM-DD", key="audit_to")
    if date_from and date_to and date_to < date_from:
        st.warning(t("audit.dates_reversed"))
        return None
    # The office picks days in its own zone; the trail is stored in UTC.
    return AuditFilter(
        user_id=user_id,
        unit_id=unit_id,
        action=action,
        since=office_to_utc(dt.datetime.combine(date_from, dt.time.min)) if date_from else None,
        until=office_to_utc(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min)) if date_to else None,
    )


def audit_panel() -> None:
    actor = current_actor()
    criteria = _filters()
    if criteria is None:
        return
    _, total = audit_entries(actor, criteria, limit=1)
    if not total:
        st.info(t("audit.empty"), icon=":material/manage_search:")
        return
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = st.number_input(t("audit.page"), min_value=1, max_value=pages, value=1, step=1, key="audit_page") if pages > 1 else 1
    rows, total = audit_entries(actor, criteria, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(t("audit.shown", total=f"{total:,}", first=f"{first:,}", last=f"{first + len(rows) - 1:,}"))
    columns = [Column(key, t(f"audit.column.{key}"), "text") for key in _COLUMN_KEYS]
    st.dataframe(
        _frame(rows).rename(columns={column.key: column.header for column in columns}),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(rows), 640),
    )

    def export() -> bytes:
        """Built when the button is clicked, not on every rerun of the page."""
        exported, _ = audit_entries(actor, criteria, limit=EXPORT_LIMIT)
        return workbook_bytes([Table(_frame(exported), columns, t("audit.heading"))])

    if total > EXPORT_LIMIT:
        st.caption(t("audit.export_capped", count=f"{EXPORT_LIMIT:,}"))
    st.download_button(
        t("audit.export"), data=export, file_name=file_name(t("audit.heading")), mime=XLSX_MIME, icon=":material/download:",
        on_click="ignore", key="audit_export",
    )
