"""干部名册 — the office (every unit) or a unit's reporter (their own unit) keeps the cadres:
add, edit, mark leader / principal / inactive, move to another unit (the office), search by name,
page through thousands. Every change of unit, branch or status is kept as membership history."""
import pandas as pd
import streamlit as st

from core.clock import office_today
from core.i18n import format_date
from core.permissions import Action
from core.safe_text import as_text
from db.access import PermissionDenied, ValidationFailed
from db.people import (
    GENDERS,
    add_cadre,
    membership_history,
    move_cadre,
    search_people,
    units_and_branches,
    update_cadre,
)
from ui import data
from ui.board_frames import Column, Table
from ui.export import XLSX_MIME, file_name, workbook_bytes
from ui.ledger_common import export_frame
from ui.refusals import show_refusal
from ui.state import current_actor, language, localized, t

FLASH = "people_flash"
FORMS = "people_forms"  # bumped after each save, so that the add form starts empty
PAGE = "people_page"
lang = language()
actor = current_actor()
st.title(t("people.title"))
if actor is None or not actor.may(Action.MANAGE_PEOPLE):
    st.info(t("people.not_allowed"))
    st.stop()
st.caption(t("people.intro_admin" if actor.is_admin else "people.intro_reporter"))
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")

units, branches = units_and_branches(actor)
if not units:
    st.info(t("people.no_units"), icon=":material/info:")
    st.page_link("views/organization.py", label=t("organization.nav"), icon=":material/account_tree:")
    st.stop()
unit_names = {unit["id"]: localized(unit) for unit in units}


def done(message: str) -> None:
    data.refresh()  # every page this person opens next reads the change, not a cached list
    st.session_state[FLASH] = message
    st.session_state[FORMS] = st.session_state.get(FORMS, 0) + 1
    st.rerun()


def refused(error: ValidationFailed | PermissionDenied) -> None:
    show_refusal(error, "people.field")


def branch_picker(label: str, unit_id: int, current: int | None, key: str) -> int | None:
    options = {branch["id"]: branch["name"] for branch in branches.get(unit_id, [])}
    choices = [None, *options]
    return st.selectbox(label, choices, index=choices.index(current) if current in choices else 0,
                        format_func=lambda b: options.get(b, t("people.no_branch")), key=f"{lang}_{key}")


def yes_no(value: bool) -> str:
    return t("people.yes") if value else ""


# --- find ---------------------------------------------------------------------------------------
filters = st.columns([2, 2, 1])
if actor.is_admin:
    unit_filter = filters[0].selectbox(t("people.filter_unit"), [None, *unit_names], format_func=lambda u: unit_names.get(u, t("people.all_units")), key=f"{lang}_people_unit")
else:
    unit_filter = actor.unit_id
    filters[0].text_input(t("people.filter_unit"), value=unit_names.get(actor.unit_id, ""), disabled=True)
query = filters[1].text_input(t("people.search"), placeholder=t("people.search_placeholder"), key="people_query")
include_inactive = filters[2].toggle(t("people.include_inactive"), value=True, key="people_inactive")
criteria = (unit_filter, query, include_inactive)
if st.session_state.get("people_criteria") != criteria:
    st.session_state["people_criteria"], st.session_state[PAGE] = criteria, 0
found = search_people(actor, unit_id=unit_filter, query=query, include_inactive=include_inactive, page=st.session_state.get(PAGE, 0))

ROSTER_COLUMNS = ("name", "code", "unit", "branch", "position", "birth_year", "leader", "principal", "status")


def roster_frame(rows: list) -> pd.DataFrame:  # noqa: ANN001 - db.people rows
    """The roster as shown, keyed by column (the Excel download uses the same frame)."""
    return pd.DataFrame({
        "name": [row.name for row in rows],
        "code": [row.code or "" for row in rows],
        "unit": [localized({"name_zh": row.unit_name_zh, "name_en": row.unit_name_en}) for row in rows],
        "branch": [row.branch_name or "" for row in rows],
        "position": [row.position for row in rows],
        "birth_year": [str(row.birth_year) if row.birth_year else "" for row in rows],
        "leader": [yes_no(row.is_leader) for row in rows],
        "principal": [yes_no(row.is_principal) for row in rows],
        "status": [t("people.active" if row.active else "people.inactive") for row in rows],
    }, columns=list(ROSTER_COLUMNS))


if not found.rows:
    st.info(t("people.none_found" if query.strip() else "people.empty"), icon=":material/info:")
else:
    columns = [Column(key, t(f"people.column.{key}"), "text") for key in ROSTER_COLUMNS]
    st.dataframe(
        roster_frame(found.rows).rename(columns={column.key: column.header for column in columns}),
        hide_index=True, width="stretch", height=min(35 * (len(found.rows) + 1) + 3, 420),
    )

    def everyone_found() -> list[Table]:
        """Every person the search finds, not only this page (built when the button is clicked)."""
        every = search_people(actor, unit_id=unit_filter, query=query, include_inactive=include_inactive, page_size=max(found.total, 1))
        return [Table(roster_frame(every.rows), columns, t("people.title"))]

    st.download_button(
        t("board.export"), data=lambda: workbook_bytes(everyone_found(), language=lang), file_name=file_name(t("people.title")),
        mime=XLSX_MIME, icon=":material/download:", key="people_export", on_click="ignore",
    )
pager = st.columns([1, 3, 1])
if pager[0].button(t("people.previous"), icon=":material/chevron_left:", disabled=found.page == 0):
    st.session_state[PAGE] = found.page - 1
    st.rerun()
pager[1].caption(t("people.page_of", page=found.page + 1, pages=found.pages, total=f"{found.total:,}"))
if pager[2].button(t("people.next"), icon=":material/chevron_right:", disabled=found.page + 1 >= found.pages):
    st.session_state[PAGE] = found.page + 1
    st.rerun()

# Keyed: the open tab survives a rerun that adds or drops a message above it.
add_tab, edit_tab = st.tabs([t("people.tab_add"), t("people.tab_edit")], key=f"people_tabs_{lang}")

# --- add ----------------------------------------------------------------------------------------
with add_tab:
    fresh = st.session_state.get(FORMS, 0)
    if actor.is_admin:
        add_unit = st.selectbox(t("people.add_to_unit"), list(unit_names), format_func=unit_names.get, key=f"{lang}_people_add_unit_{fresh}")
    else:
        add_unit = actor.unit_id
    with st.form(f"people_add_{fresh}", border=True):
        left, right = st.columns(2)
        name = left.text_input(t("people.field.name"), max_chars=40)
        code = right.text_input(t("people.field.code"), max_chars=40, help=t("people.code_help"))
        with left:
            branch_id = branch_picker(t("people.field.branch_id"), add_unit, None, f"people_add_branch_{fresh}")
        position = right.text_input(t("people.field.position"), max_chars=60)
        gender = left.selectbox(t("people.field.gender"), GENDERS, format_func=lambda g: g or t("people.unknown"))
        birth_year = right.number_input(t("people.field.birth_year"), min_value=1940, max_value=office_today().year - 16, value=None, step=1)
        is_leader = left.checkbox(t("people.field.is_leader"))
        is_principal = right.checkbox(t("people.field.is_principal"))
        since = st.date_input(t("people.field.since"), value=None, max_value=office_today(), help=t("people.since_help"))
        if st.form_submit_button(t("people.add"), type="primary", icon=":material/person_add:"):
            try:
                add_cadre(actor, unit_id=add_unit, name=name, code=code, branch_id=branch_id, position=position, gender=gender,
                          birth_year=int(birth_year) if birth_year else None, is_leader=is_leader, is_principal=is_principal, since=since)
            except (ValidationFailed, PermissionDenied) as error:
                refused(error)
            else:
                done(t("people.added", name=as_text(name.strip()), unit=as_text(unit_names[add_unit])))

# --- edit, move, history ------------------------------------------------------------------------
with edit_tab:
    if not found.rows:
        st.info(t("people.pick_first"), icon=":material/info:")
        st.stop()
    by_id = {row.id: row for row in found.rows}
    picked = st.selectbox(
        t("people.pick_person"), list(by_id), key=f"{lang}_people_pick",
        format_func=lambda ident: f"{by_id[ident].name}({by_id[ident].position or localized({'name_zh': by_id[ident].unit_name_zh, 'name_en': by_id[ident].unit_name_en})})",
    )
    person = by_id[picked]
    with st.form(f"people_edit_{picked}_{fresh}", border=True):
        st.subheader(t("people.edit_heading"))
        left, right = st.columns(2)
        name = left.text_input(t("people.field.name"), value=person.name, max_chars=40)
        code = right.text_input(t("people.field.code"), value=person.code or "", max_chars=40, help=t("people.code_help"))
        with left:
            branch_id = branch_picker(t("people.field.branch_id"), person.unit_id, person.branch_id, f"people_edit_branch_{picked}_{fresh}")
        position = right.text_input(t("people.field.position"), value=person.position, max_chars=60)
        gender = left.selectbox(t("people.field.gender"), GENDERS, index=GENDERS.index(person.gender) if person.gender in GENDERS else 0,
                                format_func=lambda g: g or t("people.unknown"))
        birth_year = right.number_input(t("people.field.birth_year"), min_value=1940, max_value=office_today().year - 16,
                                        value=person.birth_year, step=1)
        is_leader = left.checkbox(t("people.field.is_leader"), value=person.is_leader)
        is_principal = right.checkbox(t("people.field.is_principal"), value=person.is_principal)
        active = left.checkbox(t("people.field.active"), value=person.active, help=t("people.active_help"))
        effective_on = right.date_input(t("people.field.effective_on"), value=office_today(), max_value=office_today(), help=t("people.effective_help"))
        if st.form_submit_button(t("people.save"), type="primary", icon=":material/save:"):
            try:
                changes = update_cadre(
                    actor, picked, effective_on=effective_on, name=name, code=code, branch_id=branch_id, position=position,
                    gender=gender, birth_year=int(birth_year) if birth_year else None, is_leader=is_leader,
                    is_principal=is_principal, active=active,
                )
            except (ValidationFailed, PermissionDenied) as error:
                refused(error)
            else:
                done(t("people.saved" if changes else "people.unchanged", name=as_text(name.strip())))

    if actor.is_admin:
        with st.container(border=True):
            st.subheader(t("people.move_heading"))
            st.caption(t("people.move_explain"))
            targets = list(unit_names)
            move_unit = st.selectbox(t("people.field.move_unit"), targets, index=targets.index(person.unit_id) if person.unit_id in targets else 0,
                                     format_func=unit_names.get, key=f"{lang}_people_move_unit_{picked}")
            move_branch = branch_picker(t("people.field.branch_id"), move_unit, None, f"people_move_branch_{picked}_{move_unit}")
            move_on = st.date_input(t("people.field.effective_on"), value=office_today(), max_value=office_today(), key=f"people_move_on_{picked}")
            if st.button(t("people.move"), icon=":material/move_up:", key=f"people_move_{picked}"):
                try:
                    move_cadre(actor, picked, unit_id=move_unit, branch_id=move_branch, effective_on=move_on)
                except (ValidationFailed, PermissionDenied) as error:
                    refused(error)
                else:
                    done(t("people.moved", name=as_text(person.name), unit=as_text(unit_names[move_unit])))

    st.subheader(t("people.history_heading"))
    history = membership_history(actor, picked)
    history_frame = pd.DataFrame({
        t("people.column.unit"): [localized({"name_zh": row.unit_name_zh, "name_en": row.unit_name_en}) for row in history],
        t("people.column.branch"): [row.branch_name or "" for row in history],
        t("people.column.status"): [t("people.active" if row.active else "people.inactive") for row in history],
        t("people.column.valid_from"): [format_date(row.valid_from, lang) for row in history],
        t("people.column.valid_to"): [format_date(row.valid_to, lang) if row.valid_to else t("people.until_now") for row in history],
    })
    st.dataframe(history_frame, hide_index=True, width="stretch")
    st.caption(t("people.history_caption"))
    history_title = f"{person.name} {t('people.history_heading')}"
    export_frame(history_frame, title=history_title, stem=history_title, key=f"people_history_export_{picked}")
