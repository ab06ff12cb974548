"""Excel 导入 — records of one activity type, a unit's cadre roster, and (for the office) the unit list.

Each works the same way: download the template, fill it in, upload it, read the preview with every
problem listed by row and column, fix and upload again; import saves every row or none.
"""
import streamlit as st

from core.excel import MAX_FILE_MB, MAX_ROWS
from core.i18n import format_date
from core.safe_text import as_text
from db.imports import check_record_file, import_record_file, record_columns, record_template
from db.roster_imports import (
    ROSTER_COLUMNS,
    UNIT_COLUMNS,
    check_roster_file,
    check_units_file,
    import_roster_file,
    import_units_file,
    roster_template,
    units_template,
)
from ui import campaign_choice, data
from ui.import_view import (
    FLASH_KEY,
    XLSX_MIME,
    checked,
    column_label,
    done,
    duplicate_gate,
    run_import,
    show_problems,
    uploader,
)
from ui.state import current_actor, language, localized, t

lang = language()
actor = current_actor()
st.title(t("imports.title"))
if actor is None or not actor.records_in_bulk:
    st.info(t("error.sign_in_required") if actor is None else t("error.permission"))
    st.stop()
st.caption(t("imports.intro", rows=f"{MAX_ROWS:,}", mb=MAX_FILE_MB))
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")


def units_import() -> None:
    """The office's unit list: template, upload, check, import."""
    st.caption(t("imports.units_intro"))
    st.download_button(
        t("imports.download_units"), data=lambda: units_template(actor), file_name=f"{t('imports.units_file')}.xlsx", mime=XLSX_MIME, icon=":material/download:",
        on_click="ignore", key="units_template",
    )
    upload = uploader(t("imports.upload"), f"imports_units_{st.session_state.get('imports_units_reset', 0)}")
    if upload is not None:
        check = checked(upload, ("units",), lambda raw, _progress: check_units_file(actor, raw=raw))
        if check is not None and check.problems:
            show_problems(check.problems, UNIT_COLUMNS)
        elif check is not None:
            st.success(t("imports.units_plan", rows=check.rows, created=check.created, updated=check.updated), icon=":material/task_alt:")
            if st.button(t("imports.import_units"), type="primary", icon=":material/upload:"):
                result = run_import(t("imports.saving"), lambda _progress: import_units_file(actor, raw=upload.getvalue()), UNIT_COLUMNS)
                if result is not None:
                    done(t("imports.units_done", created=result.created, updated=result.updated), "imports_units_reset")


units = {unit["id"]: unit for unit in data.units()}
if actor.is_admin and not any(unit["group_id"] for unit in units.values()):
    # A new database has no unit yet: the unit list is the first thing to import.
    st.info(t("setup.import_units_first"), icon=":material/account_tree:")
    units_import()
    st.stop()
if actor.is_admin:
    unit_id = st.selectbox(t("entry.unit"), [u for u in units if units[u]["group_id"]], format_func=lambda u: localized(units[u]), key="imports_unit")
else:
    unit_id = actor.unit_id
    st.caption(t("entry.for_unit", unit=as_text(localized(units[unit_id]))))
unit_name = localized(units[unit_id])
names = [t("imports.tab_records"), t("imports.tab_roster")] + ([t("imports.tab_units")] if actor.is_admin else [])
tabs = st.tabs(names)


def preview_table(rows: list[dict], columns: list) -> None:
    def shown(column, value):  # noqa: ANN001, ANN202 - a Column and a cell value
        return format_date(value, lang) if column.kind == "date" and value else value

    st.dataframe(
        {column_label(column): [shown(column, row.get(column.key)) for row in rows] for column in columns},
        hide_index=True, width="stretch", height=min(35 * (len(rows) + 1) + 3, 320), placeholder="",
    )


with tabs[0]:
    types = {a["code"]: a for a in campaign_choice.offered_types()}
    if not types:
        # No campaign yet (going live: people come before the campaign): nothing to record into.
        st.info(t("setup.records_need_campaign"), icon=":material/flag:")
    else:
        code = st.selectbox(t("entry.type"), list(types), key="imports_type", format_func=lambda c: f"{t('area.' + types[c]['area'])} · {localized(types[c])}")
        columns = record_columns(types[code]["fields"])
        photo_required = types[code]["evidence"].get("photo") == "required"
        st.download_button(
            t("imports.download_template"), data=lambda: record_template(actor, unit_id=unit_id, type_code=code),
            file_name=f"{types[code]['name_zh']}-{units[unit_id]['name_zh']}.xlsx", mime=XLSX_MIME, icon=":material/download:",
            on_click="ignore", key="records_template",
        )
        upload = uploader(t("imports.upload"), f"imports_records_{unit_id}_{code}_{st.session_state.get('imports_records_reset', 0)}")
        if upload is not None:
            check = checked(upload, ("records", unit_id, code), lambda raw, progress: check_record_file(
                actor, unit_id=unit_id, type_code=code, raw=raw, submit=False, progress=progress))
            if check is not None and check.problems:
                show_problems(check.problems, columns)
                st.caption(t("imports.fix_and_upload"))
            elif check is not None:
                st.success(t("imports.all_good", rows=f"{check.rows:,}"), icon=":material/task_alt:")
                if check.rows > len(check.preview):
                    st.caption(t("imports.preview_first", count=len(check.preview)))
                preview_table(check.preview, columns)
                confirmed = duplicate_gate(f"records_{unit_id}_{code}", columns, check.warnings)
                with st.container(horizontal=True):
                    as_draft = st.button(t("imports.import_drafts", rows=f"{check.rows:,}"), icon=":material/draft:", disabled=confirmed is None)
                    as_submitted = st.button(
                        t("imports.import_submit", rows=f"{check.rows:,}"), icon=":material/send:", type="primary",
                        disabled=photo_required or confirmed is None,
                    )
                if photo_required:
                    st.caption(t("imports.photo_required_note"))
                if as_draft or as_submitted:
                    ids = run_import(t("imports.saving"), lambda progress: import_record_file(
                        actor, unit_id=unit_id, type_code=code, raw=upload.getvalue(), submit=bool(as_submitted),
                        accept_duplicates=confirmed or [], progress=progress,
                    ), columns)
                    if ids is not None:
                        done(t("imports.records_done" if as_submitted else "imports.drafts_done", count=f"{len(ids):,}"), "imports_records_reset")

with tabs[1]:
    st.caption(t("imports.roster_intro", unit=as_text(unit_name)))
    st.download_button(
        t("imports.download_roster"), data=lambda: roster_template(actor, unit_id=unit_id),
        file_name=f"{t('imports.roster_file')}-{units[unit_id]['name_zh']}.xlsx", mime=XLSX_MIME, icon=":material/download:",
        on_click="ignore", key="roster_template",
    )
    upload = uploader(t("imports.upload"), f"imports_roster_{unit_id}_{st.session_state.get('imports_roster_reset', 0)}")
    if upload is not None:
        check = checked(upload, ("roster", unit_id), lambda raw, _progress: check_roster_file(actor, unit_id=unit_id, raw=raw))
        if check is not None and check.problems:
            show_problems(check.problems, ROSTER_COLUMNS)
        elif check is not None:
            st.success(t("imports.roster_plan", rows=check.rows, created=check.created, updated=check.updated), icon=":material/task_alt:")
            if check.new_branches:
                st.info(t("imports.new_branches", names="、".join(as_text(name) for name in check.new_branches)), icon=":material/account_tree:")
            if st.button(t("imports.import_roster"), type="primary", icon=":material/upload:"):
                result = run_import(t("imports.saving"), lambda _progress: import_roster_file(actor, unit_id=unit_id, raw=upload.getvalue()), ROSTER_COLUMNS)
                if result is not None:
                    done(t("imports.roster_done", created=result.created, updated=result.updated), "imports_roster_reset")

if actor.is_admin:
    with tabs[2]:
        units_import()
