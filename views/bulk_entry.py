"""成批填报 — many records of one type in a grid, checked row by row before anything is saved."""
import pandas as pd
import streamlit as st

from core.import_rules import Column
from core.record_rules import LONGTEXT_MAX, TEXT_MAX
from db.access import PermissionDenied, ValidationFailed
from db.imports import DuplicatesFound, ImportRejected, check_records, import_records, record_columns, unit_directory
from ui import campaign_choice, data
from ui.fields import problem_lines
from ui.import_view import column_label, duplicate_gate, grid_rows, remember_warnings, show_problems
from ui.state import current_actor, localized, t

BLANK_ROWS = 5
FLASH_KEY = "bulk_flash"
RESET_KEY = "bulk_reset"

actor = current_actor()
st.title(t("bulk.title"))
campaign = data.campaign()
if actor is None or not actor.records_in_bulk or campaign is None:
    st.info(t("error.sign_in_required") if actor is None else t("error.permission") if campaign else t("app.no_campaign"))
    st.stop()
st.caption(t("bulk.intro"))

units = {unit["id"]: unit for unit in data.units()}
types = {a["code"]: a for a in campaign_choice.offered_types()}
top = st.columns(2)
if actor.is_admin:
    unit_id = top[0].selectbox(t("entry.unit"), [u for u in units if units[u]["group_id"]], format_func=lambda u: localized(units[u]), key="bulk_unit")
else:
    unit_id = actor.unit_id
    top[0].text_input(t("entry.unit"), value=localized(units[unit_id]), disabled=True)
code = top[1].selectbox(t("entry.type"), list(types), key="bulk_type", format_func=lambda c: f"{t('area.' + types[c]['area'])} · {localized(types[c])}")
activity = types[code]
columns = record_columns(activity["fields"])
directory = unit_directory(actor, unit_id)
photo_required = activity["evidence"].get("photo") == "required"
if photo_required:
    st.info(t("bulk.photo_required"), icon=":material/photo_camera:")
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")


def column_config(column: Column):  # noqa: ANN201 - a Streamlit column config
    label = column_label(column) + (" *" if column.required else "")
    if column.kind == "date":
        return st.column_config.DateColumn(label, min_value=campaign.start_date, max_value=campaign.end_date, format="YYYY-MM-DD")
    if column.kind == "int":
        return st.column_config.NumberColumn(label, min_value=column.min_value or 0, step=1, format="%d")
    options = {
        "choice": list(column.choices),
        "cadre": list(directory.cadre_labels.values()),
        "branch": list(directory.branch_names.values()),
    }.get(column.kind)
    if options is not None:
        return st.column_config.SelectboxColumn(label, options=options)
    limit = LONGTEXT_MAX if column.kind == "longtext" else TEXT_MAX
    return st.column_config.TextColumn(label, max_chars=limit, width="large" if column.kind in {"longtext", "title"} else "medium")


def blank_grid() -> pd.DataFrame:
    frame = {}
    for column in columns:
        if column.kind == "date":
            frame[column.key] = pd.Series([None] * BLANK_ROWS, dtype="object")
        elif column.kind == "int":
            frame[column.key] = pd.Series([None] * BLANK_ROWS, dtype="Int64")
        else:
            frame[column.key] = pd.Series([None] * BLANK_ROWS, dtype="object")
    return pd.DataFrame(frame)


grid_key = f"bulk_grid_{unit_id}_{code}_{st.session_state.get(RESET_KEY, 0)}"
edited = st.data_editor(
    blank_grid(),
    key=grid_key,
    num_rows="dynamic",
    hide_index=True,
    placeholder="",
    width="stretch",
    column_config={column.key: column_config(column) for column in columns},
)

# Rows that look like the same activity, found by the last check or save: saved only when ticked,
# and a save finding any other (rows edited since) asks again.
confirmed = duplicate_gate(grid_key, columns)

with st.container(horizontal=True):
    do_check = st.button(t("bulk.check"), icon=":material/rule:")
    do_draft = st.button(t("bulk.save_drafts"), icon=":material/draft:")
    do_submit = st.button(t("entry.submit"), icon=":material/send:", type="primary", disabled=photo_required)
if do_check or do_draft or do_submit:
    rows = grid_rows(edited)
    try:
        if do_check:
            result = check_records(actor, unit_id=unit_id, type_code=code, rows=rows, submit=False)
            if result.problems:
                show_problems(result.problems, columns, nothing_saved=False)
            elif result.warnings:
                remember_warnings(grid_key, result.warnings)
                st.rerun()
            else:
                remember_warnings(grid_key, [])
                st.success(t("bulk.all_good", rows=result.rows), icon=":material/task_alt:")
        else:
            ids = import_records(
                actor, unit_id=unit_id, type_code=code, rows=rows, submit=bool(do_submit), source="grid", accept_duplicates=confirmed or [],
            )
            st.session_state[FLASH_KEY] = t("bulk.saved_pending" if do_submit else "bulk.saved_drafts", count=len(ids))
            st.session_state[RESET_KEY] = st.session_state.get(RESET_KEY, 0) + 1
            st.rerun()
    except ImportRejected as rejected:
        show_problems(rejected.problems, columns)
    except DuplicatesFound as found:
        remember_warnings(grid_key, found.warnings)
        st.rerun()
    except ValidationFailed as failure:
        st.error("\n".join(problem_lines(failure.problems)))
    except PermissionDenied as denied:
        st.error(t(denied.key))
