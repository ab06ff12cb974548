"""突出问题台账 on screen: the ledger with overdue rows in red, one problem with its evidence, the
progress form (a unit reports, the office confirms) and the form to enter a problem."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from core.i18n import format_date
from core.ledgers import DEFAULT_DUE_DAYS, PROBLEM_SOURCES, UNIT_PROBLEM_STATUSES, ProblemStatus
from core.permissions import Action
from core.safe_text import as_text
from db.access import Actor, PermissionDenied
from db.problems import Photo, create_problem, evidence, update_problem
from ui.board_frames import Column
from ui.ledger_common import label, run
from ui.state import language, t
from ui.theme import RISE

STATUS_COLORS = {"open": "orange", "in_progress": "blue", "solved": "green", "not_feasible": "gray"}


def status_text(status: str) -> str:
    return t(f"ledgers.problem_status.{status}")


def overdue_text(row: dict[str, Any], today: dt.date) -> str:
    return t("ledgers.overdue_days", days=(today - row["due_on"]).days) if row["overdue"] else ""


def table(rows: list[dict[str, Any]], today: dt.date) -> tuple[pd.DataFrame, list[Column]]:
    lang = language()
    columns = [
        Column("id", t("ledgers.column.id"), "int"),
        Column("overdue", t("ledgers.column.overdue"), "text"),
        Column("status", t("ledgers.column.status"), "text"),
        Column("unit", t("ledgers.column.owner_unit"), "text"),
        Column("description", t("ledgers.field.description"), "wide_text"),
        Column("found_on", t("ledgers.field.found_on"), "text"),
        Column("due_on", t("ledgers.field.due_on"), "text"),
        Column("solved_on", t("ledgers.field.solved_on"), "text"),
        Column("resolution", t("ledgers.field.resolution"), "wide_text"),
        Column("evidence", t("ledgers.column.evidence"), "text"),
    ]
    frame = pd.DataFrame(
        [
            {
                "id": row["id"], "overdue": overdue_text(row, today), "status": status_text(row["status"]),
                "unit": row["unit_" + lang], "description": row["description"],
                "found_on": format_date(row["found_on"], lang), "due_on": format_date(row["due_on"], lang),
                "solved_on": format_date(row["solved_on"], lang), "resolution": row["resolution"],
                "evidence": t("ledgers.has_evidence") if row["evidence_id"] else "",
            }
            for row in rows
        ],
        columns=[column.key for column in columns],
    )
    return frame, columns


def show_table(frame: pd.DataFrame, columns: list[Column], *, key: str) -> Any:
    """The ledger with overdue rows in red, one row selectable."""
    def red(row: pd.Series) -> list[str]:
        return [f"color: {RISE}; font-weight: 600" if row["overdue"] else ""] * len(row)

    return st.dataframe(
        frame.style.apply(red, axis=1) if len(frame) else frame,
        hide_index=True, width="stretch", height=min(36 * (len(frame) + 1) + 4, 380),
        on_select="rerun", selection_mode="single-row", key=key,
        column_config={
            "id": st.column_config.NumberColumn(t("ledgers.column.id"), format="%d", width="small"),
            **{c.key: st.column_config.TextColumn(c.header, width="large" if c.kind == "wide_text" else "medium") for c in columns[1:]},
        },
    )


def detail_panel(actor: Actor, row: dict[str, Any], units: dict[int, str], today: dt.date) -> None:
    lang = language()
    header = st.columns([6, 2])
    header[0].subheader(f"{t('ledgers.problem_label')} · {row['id']}")
    with header[1]:
        st.badge(status_text(row["status"]), color=STATUS_COLORS.get(row["status"], "gray"))
    facts = [
        row["unit_" + lang], t(f"ledgers.source.{row['source']}"),
        t("ledgers.found_due", found=format_date(row["found_on"], lang), due=format_date(row["due_on"], lang)),
    ]
    st.caption(" · ".join(as_text(fact) for fact in facts))
    st.text(row["description"])
    if row["overdue"]:
        st.error(t("ledgers.overdue_alert", days=(today - row["due_on"]).days), icon=":material/alarm:")
    if row["solved_on"]:
        st.success(t("ledgers.solved_alert", on=format_date(row["solved_on"], lang)), icon=":material/task_alt:")
    if row["resolution"]:
        st.markdown(f"**{label('resolution')}**")
        st.text(row["resolution"])
    if row.get("thumbnail"):
        st.image(row["thumbnail"], width=240)
        if st.button(t("records.full_photo"), key=f"problem_photo_{row['id']}", icon=":material/zoom_in:", type="tertiary"):
            _full_photo(actor, row["id"])
    if actor.reaches_unit(Action.WRITE_LEDGERS, row["unit_id"]):
        progress_form(actor, row, units, today)


def _full_photo(actor: Actor, problem_id: int) -> None:
    def body() -> None:
        try:
            picture = evidence(actor, problem_id)
        except PermissionDenied as denied:
            st.error(t(denied.key))
            return
        st.image(picture["data"], caption=picture["filename"], width="stretch")

    st.dialog(t("records.full_photo"), width="large")(body)()


def progress_form(actor: Actor, row: dict[str, Any], units: dict[int, str], today: dt.date) -> None:
    """A unit reports progress; the office also confirms solved or closes, and moves dates and owners."""
    statuses = list(ProblemStatus) if actor.is_admin else list(UNIT_PROBLEM_STATUSES)
    if row["status"] not in statuses:
        st.caption(t("ledgers.office_closed"))
        return
    with st.form(f"problem_{row['id']}"):
        status = st.radio(label("status"), statuses, index=statuses.index(row["status"]), format_func=status_text, horizontal=True)
        resolution = st.text_area(label("resolution"), value=row["resolution"], max_chars=4000, help=t("ledgers.resolution_help"))
        extra: dict[str, Any] = {}
        if actor.is_admin:
            cells = st.columns(3)
            extra["due_on"] = cells[0].date_input(label("due_on"), value=row["due_on"], format="YYYY-MM-DD")
            extra["solved_on"] = cells[1].date_input(label("solved_on"), value=row["solved_on"], max_value=today, format="YYYY-MM-DD", help=t("ledgers.solved_on_help"))
            owners = list(units)
            extra["unit_id"] = cells[2].selectbox(label("unit"), owners, index=owners.index(row["unit_id"]) if row["unit_id"] in owners else 0, format_func=units.get)
        upload = st.file_uploader(label("photo"), type=["jpg", "jpeg", "png", "webp", "gif", "bmp"], help=t("ledgers.photo_help"))
        remove = st.checkbox(t("ledgers.remove_photo")) if row["evidence_id"] else False
        sent = st.form_submit_button(t("ledgers.save_progress"), type="primary", icon=":material/save:")
    if sent:
        photo = Photo(upload.name, upload.getvalue()) if upload is not None else None
        run(
            lambda: update_problem(
                actor, row["id"], status=status, resolution=resolution, photo=photo, remove_photo=remove,
                expected_version=row["version"], **extra,
            ),
            t("ledgers.problem_saved", id=row["id"]),
        )


def create_form(actor: Actor, units: dict[int, str], today: dt.date) -> None:
    """Enter a problem found by supervision, a complaint, or on a visit not recorded as a visit."""
    with st.form("problem_new"):
        cells = st.columns([3, 2, 2, 2])
        if actor.is_admin:
            owners = list(units)
            unit_id = cells[0].selectbox(label("unit"), owners, index=None, format_func=units.get, placeholder=t("entry.choose"))
        else:
            unit_id = actor.unit_id
            cells[0].text_input(label("unit"), value=units.get(unit_id, ""), disabled=True)
        source = cells[1].selectbox(label("source"), PROBLEM_SOURCES, index=1, format_func=lambda s: t(f"ledgers.source.{s}"))
        found_on = cells[2].date_input(label("found_on"), value=today, max_value=today, format="YYYY-MM-DD")
        due_on = cells[3].date_input(label("due_on"), value=today + dt.timedelta(days=DEFAULT_DUE_DAYS), format="YYYY-MM-DD")
        description = st.text_area(label("description"), max_chars=4000)
        sent = st.form_submit_button(t("ledgers.add_problem"), type="primary", icon=":material/add:")
    if sent:
        if unit_id is None:
            st.error(t("ledgers.fix_problems") + f"\n\n- **{label('unit')}**:" + t("validation.required"))
            return
        run(
            lambda: create_problem(actor, unit_id=unit_id, description=description, found_on=found_on, due_on=due_on, source=source),
            t("ledgers.problem_added"),
        )
