"""组织机构 — the office keeps its units (a tree), comparison groups, branches and party groups.

Forms for one thing at a time, a grid for many units at once (checked exactly like the unit list
import), and nothing is ever deleted: a unit or branch that closes is deactivated.
"""
import pandas as pd
import streamlit as st

from core.excel import MAX_ROWS
from core.import_rules import Column
from core.safe_text import as_text
from db.access import PermissionDenied, ValidationFailed
from db.imports import ImportRejected
from db.organization import (
    BRANCH_KINDS,
    KINDS,
    branch_grid_rows,
    branches,
    group_grid_rows,
    groups,
    save_branch,
    save_branch_grid,
    save_group,
    save_group_grid,
    save_unit,
    save_unit_grid,
    set_branch_active,
    set_group_active,
    set_unit_active,
    unit_grid_rows,
    unit_tree,
)
from db.roster_imports import UNIT_COLUMNS, UNIT_KINDS
from ui import data
from ui.import_view import column_label, show_problems
from ui.ledger_common import export_frame
from ui.refusals import show_refusal
from ui.state import current_actor, language, localized, t

FLASH = "organization_flash"
FORMS = "organization_forms"  # bumped after each save, so that the new-item forms start empty
lang = language()  # part of every choice's key: a choice shown in one language is a new widget in the other
actor = current_actor()
st.title(t("organization.title"))
if actor is None or not actor.is_admin:
    st.info(t("error.admin_only"))
    st.stop()
st.caption(t("organization.intro"))
st.page_link("views/import_data.py", label=t("organization.import_link"), icon=":material/upload_file:")
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")


def done(message: str) -> None:
    """Say what was saved after the rerun, and give the new-item forms fresh, empty fields."""
    data.refresh()  # every page this person opens next reads the change, not a cached list
    st.session_state[FLASH] = message
    st.session_state[FORMS] = st.session_state.get(FORMS, 0) + 1
    st.rerun()


def refused(error: ValidationFailed | PermissionDenied) -> None:
    show_refusal(error, "organization.field")


def grid_columns(*keys: str) -> list[Column]:
    """The grid's columns named in the interface language, for the problems table."""
    return [Column(key, t(f"organization.field.{key}"), t(f"organization.field.{key}"), "text") for key in keys]


def edited_rows(edited: pd.DataFrame) -> list[dict]:
    """The grid's rows as plain values, blank cells as None."""
    return [{key: (None if pd.isna(value) else value) for key, value in row.items()} for row in edited.astype(object).to_dict("records")]


fresh = st.session_state.get(FORMS, 0)
tree = unit_tree(actor)
group_rows = groups(actor)
group_names = {g["id"]: localized(g) for g in group_rows}
# A deactivated group is offered to no unit; a unit that is in one already keeps it.
active_group_ids = [g["id"] for g in group_rows if g["active"]]
units_by_id = {node.id: node for node in tree}


def unit_label(unit_id: int | None) -> str:
    if unit_id is None:
        return t("organization.no_parent")
    node = units_by_id[unit_id]
    suffix = "" if node.active else t("organization.inactive_suffix")
    return "　" * node.depth + localized({"name_zh": node.name_zh, "name_en": node.name_en}) + f" ({node.code}){suffix}"


units_tab, grid_tab, groups_tab, branches_tab = st.tabs(
    [t("organization.tab_units"), t("organization.tab_grid"), t("organization.tab_groups"), t("organization.tab_branches")],
    key=f"organization_tabs_{lang}",  # keyed: the open tab survives a rerun that adds or drops a message above it
)

with units_tab:
    active_count = sum(node.active for node in tree)
    st.caption(t("organization.units_summary", total=len(tree), active=active_count, inactive=len(tree) - active_count))
    if not tree:
        st.info(t("organization.no_units"), icon=":material/info:")
    else:
        unit_list = pd.DataFrame({
            t("organization.column.unit"): ["　" * n.depth + localized({"name_zh": n.name_zh, "name_en": n.name_en}) for n in tree],
            t("organization.column.code"): [n.code for n in tree],
            t("organization.column.kind"): [t(f"organization.kind.{n.kind}") for n in tree],
            t("organization.column.group"): [group_names.get(n.group_id, t("organization.no_group_short")) for n in tree],
            t("organization.column.order"): [n.sort_order for n in tree],
            t("organization.column.status"): [t("organization.active" if n.active else "organization.inactive") for n in tree],
            t("organization.column.cadres"): [n.cadres for n in tree],
            t("organization.column.records"): [n.records for n in tree],
        })
        st.dataframe(unit_list, hide_index=True, width="stretch", height=min(35 * (len(tree) + 1) + 3, 420))
        counts = ("organization.column.order", "organization.column.cadres", "organization.column.records")
        export_frame(unit_list, title=t("organization.tab_units"), stem=t("organization.tab_units"), key="organization_units_export",
                     kinds={t(column): "int" for column in counts})

    group_options = [None, *active_group_ids]
    new_col, edit_col = st.columns(2)
    with new_col, st.form(f"organization_new_unit_{fresh}", border=True):
        st.subheader(t("organization.new_unit"))
        code = st.text_input(t("organization.field.code"), max_chars=40, key=f"org_new_unit_{fresh}_code")
        name_zh = st.text_input(t("organization.field.name_zh"), max_chars=120, key=f"org_new_unit_{fresh}_name_zh")
        name_en = st.text_input(t("organization.field.name_en"), max_chars=200, key=f"org_new_unit_{fresh}_name_en")
        kind = st.selectbox(t("organization.field.kind"), KINDS, index=KINDS.index("district"), format_func=lambda k: t(f"organization.kind.{k}"), key=f"{lang}_org_new_unit_{fresh}_kind")
        group_id = st.selectbox(t("organization.field.group_id"), group_options, format_func=lambda g: group_names.get(g, t("organization.no_group")), key=f"{lang}_org_new_unit_{fresh}_group_id")
        parent_id = st.selectbox(t("organization.field.parent_id"), [None, *units_by_id], format_func=unit_label, key=f"{lang}_org_new_unit_{fresh}_parent_id")
        if st.form_submit_button(t("organization.create_unit"), type="primary", icon=":material/add:"):
            try:
                save_unit(actor, code=code, name_zh=name_zh, name_en=name_en, kind=kind, group_id=group_id, parent_id=parent_id)
            except (ValidationFailed, PermissionDenied) as error:
                refused(error)
            else:
                done(t("organization.unit_created", name=as_text(name_zh.strip())))
    with edit_col:
        if tree:
            picked = st.selectbox(t("organization.pick_unit"), list(units_by_id), format_func=unit_label, key=f"{lang}_organization_pick_unit")
            node = units_by_id[picked]
            with st.form(f"organization_edit_unit_{picked}", border=True):
                st.subheader(t("organization.edit_unit"))
                code = st.text_input(t("organization.field.code"), value=node.code, max_chars=40, key=f"org_edit_unit_{picked}_{fresh}_code")
                name_zh = st.text_input(t("organization.field.name_zh"), value=node.name_zh, max_chars=120, key=f"org_edit_unit_{picked}_{fresh}_name_zh")
                name_en = st.text_input(t("organization.field.name_en"), value=node.name_en, max_chars=200, key=f"org_edit_unit_{picked}_{fresh}_name_en")
                kind = st.selectbox(t("organization.field.kind"), KINDS, index=KINDS.index(node.kind) if node.kind in KINDS else 0,
                                    format_func=lambda k: t(f"organization.kind.{k}"))
                own_options = group_options if node.group_id in group_options or node.group_id is None else [*group_options, node.group_id]
                group_id = st.selectbox(t("organization.field.group_id"), own_options, index=own_options.index(node.group_id),
                                        format_func=lambda g: group_names.get(g, t("organization.no_group")))
                parents = [None, *[ident for ident in units_by_id if ident != picked]]
                parent_id = st.selectbox(t("organization.field.parent_id"), parents, index=parents.index(node.parent_id) if node.parent_id in parents else 0, format_func=unit_label, key=f"{lang}_org_edit_unit_{picked}_{fresh}_parent_id")
                sort_order = st.number_input(t("organization.field.sort_order"), value=node.sort_order, step=1, key=f"org_edit_unit_{picked}_{fresh}_sort_order")
                if st.form_submit_button(t("organization.save_unit"), type="primary", icon=":material/save:"):
                    try:
                        save_unit(actor, unit_id=picked, code=code, name_zh=name_zh, name_en=name_en, kind=kind, group_id=group_id,
                                  parent_id=parent_id, sort_order=int(sort_order))
                    except (ValidationFailed, PermissionDenied) as error:
                        refused(error)
                    else:
                        done(t("organization.unit_saved", name=as_text(name_zh.strip())))
            st.page_link("views/unit_detail.py", label=t("organization.open_unit_page"), icon=":material/query_stats:", query_params={"unit": str(picked)})
            if node.active:
                st.caption(t("organization.deactivate_explain"))
                if st.button(t("organization.deactivate"), icon=":material/block:", key=f"organization_deactivate_{picked}"):
                    set_unit_active(actor, picked, False)
                    done(t("organization.deactivated", name=as_text(node.name_zh)))
            elif st.button(t("organization.reactivate"), icon=":material/restart_alt:", key=f"organization_reactivate_{picked}"):
                set_unit_active(actor, picked, True)
                done(t("organization.reactivated", name=as_text(node.name_zh)))

with grid_tab:
    st.caption(t("organization.grid_intro", rows=f"{MAX_ROWS:,}"))
    labels = {column.key: column_label(column) for column in UNIT_COLUMNS}
    current = pd.DataFrame(unit_grid_rows(actor), columns=[column.key for column in UNIT_COLUMNS])
    used_groups = {node.group_id for node in tree}
    edited = st.data_editor(
        current,
        num_rows="add",
        hide_index=True,
        placeholder="",
        width="stretch",
        key="organization_grid",
        column_config={
            "code": st.column_config.TextColumn(labels["code"], max_chars=40),
            "name_zh": st.column_config.TextColumn(labels["name_zh"], max_chars=120),
            "name_en": st.column_config.TextColumn(labels["name_en"], max_chars=200),
            "group": st.column_config.SelectboxColumn(labels["group"], options=[g["name_zh"] for g in group_rows if g["active"] or g["id"] in used_groups]),
            "kind": st.column_config.SelectboxColumn(labels["kind"], options=list(UNIT_KINDS.values())),
            "parent": st.column_config.TextColumn(labels["parent"], max_chars=40),
            "active": st.column_config.SelectboxColumn(labels["active"], options=["是", "否"]),
            "sort_order": st.column_config.NumberColumn(labels["sort_order"], step=1, format="%d"),
        },
    )
    if st.button(t("organization.save_grid"), type="primary", icon=":material/save:"):
        try:
            created, updated = save_unit_grid(actor, edited_rows(edited))
        except ImportRejected as rejected:
            show_problems(rejected.problems, UNIT_COLUMNS)
        else:
            st.session_state.pop("organization_grid", None)
            done(t("organization.grid_saved", created=created, updated=updated))

with groups_tab:
    if group_rows:
        group_list = pd.DataFrame({
            t("organization.column.code"): [g["code"] for g in group_rows],
            t("organization.column.group"): [localized(g) for g in group_rows],
            t("organization.column.order"): [g["sort_order"] for g in group_rows],
            t("organization.column.status"): [t("organization.active" if g["active"] else "organization.inactive") for g in group_rows],
            t("organization.column.units"): [g["units"] for g in group_rows],
        })
        st.dataframe(group_list, hide_index=True, width="stretch")
        export_frame(group_list, title=t("organization.tab_groups"), stem=t("organization.tab_groups"), key="organization_groups_export",
                     kinds={t("organization.column.order"): "int", t("organization.column.units"): "int"})
    else:
        st.info(t("organization.no_groups"), icon=":material/info:")
    new_col, edit_col = st.columns(2)
    with new_col, st.form(f"organization_new_group_{fresh}", border=True):
        st.subheader(t("organization.new_group"))
        code = st.text_input(t("organization.field.code"), max_chars=40, help=t("organization.group_code_help"), key=f"org_new_group_{fresh}_code")
        name_zh = st.text_input(t("organization.field.name_zh"), max_chars=120, key=f"org_new_group_{fresh}_name_zh")
        name_en = st.text_input(t("organization.field.name_en"), max_chars=200, key=f"org_new_group_{fresh}_name_en")
        sort_order = st.number_input(t("organization.field.sort_order"), value=len(group_rows) + 1, step=1, key=f"org_new_group_{fresh}_sort_order")
        if st.form_submit_button(t("organization.create_group"), type="primary", icon=":material/add:"):
            try:
                save_group(actor, code=code, name_zh=name_zh, name_en=name_en, sort_order=int(sort_order))
            except (ValidationFailed, PermissionDenied) as error:
                refused(error)
            else:
                done(t("organization.group_created", name=as_text(name_zh.strip())))
    if group_rows:
        with edit_col:
            groups_by_id = {g["id"]: g for g in group_rows}  # its own name: the branches tab below rebinds by_id
            picked = st.selectbox(t("organization.pick_group"), list(groups_by_id), format_func=lambda g: localized(groups_by_id[g]), key=f"{lang}_organization_pick_group")
            group = groups_by_id[picked]
            with st.form(f"organization_edit_group_{picked}", border=True):
                st.subheader(t("organization.edit_group"))
                code = st.text_input(t("organization.field.code"), value=group["code"], max_chars=40, help=t("organization.group_code_help"), key=f"org_edit_group_{picked}_{fresh}_code")
                name_zh = st.text_input(t("organization.field.name_zh"), value=group["name_zh"], max_chars=120, key=f"org_edit_group_{picked}_{fresh}_name_zh")
                name_en = st.text_input(t("organization.field.name_en"), value=group["name_en"], max_chars=200, key=f"org_edit_group_{picked}_{fresh}_name_en")
                sort_order = st.number_input(t("organization.field.sort_order"), value=group["sort_order"], step=1, key=f"org_edit_group_{picked}_{fresh}_sort_order")
                if st.form_submit_button(t("organization.save_group"), type="primary", icon=":material/save:"):
                    try:
                        save_group(actor, group_id=picked, code=code, name_zh=name_zh, name_en=name_en, sort_order=int(sort_order))
                    except (ValidationFailed, PermissionDenied) as error:
                        refused(error)
                    else:
                        done(t("organization.group_saved", name=as_text(name_zh.strip())))
            st.caption(t("organization.deactivate_group_explain"))
            if st.button(t("organization.deactivate_group" if group["active"] else "organization.reactivate_group"),
                         icon=":material/block:" if group["active"] else ":material/restart_alt:", key=f"organization_group_active_{picked}"):
                try:
                    set_group_active(actor, picked, not group["active"])
                except (ValidationFailed, PermissionDenied) as error:
                    refused(error)
                else:
                    done(t("organization.group_deactivated" if group["active"] else "organization.group_reactivated", name=as_text(group["name_zh"])))
    st.subheader(t("organization.group_grid_title"))
    st.caption(t("organization.group_grid_intro"))
    group_grid = st.data_editor(
        pd.DataFrame(group_grid_rows(actor), columns=["id", "code", "name_zh", "name_en", "sort_order", "active"]),
        num_rows="add", hide_index=True, placeholder="", width="stretch", key="organization_group_grid",
        column_order=["code", "name_zh", "name_en", "sort_order", "active"],
        column_config={
            "code": st.column_config.TextColumn(t("organization.field.code"), max_chars=40),
            "name_zh": st.column_config.TextColumn(t("organization.field.name_zh"), max_chars=120),
            "name_en": st.column_config.TextColumn(t("organization.field.name_en"), max_chars=200),
            "sort_order": st.column_config.NumberColumn(t("organization.field.sort_order"), step=1, format="%d"),
            "active": st.column_config.CheckboxColumn(t("organization.field.active"), default=True),
        },
    )
    if st.button(t("organization.save_group_grid"), type="primary", icon=":material/save:"):
        try:
            created, updated = save_group_grid(actor, edited_rows(group_grid))
        except ImportRejected as rejected:
            show_problems(rejected.problems, grid_columns("code", "name_zh", "name_en", "sort_order", "active"))
        except PermissionDenied as error:
            refused(error)
        else:
            st.session_state.pop("organization_group_grid", None)
            done(t("organization.group_grid_saved", created=created, updated=updated))

with branches_tab:
    if not tree:
        st.info(t("organization.no_units"), icon=":material/info:")
        st.stop()
    unit_id = st.selectbox(t("organization.branch_unit"), list(units_by_id), format_func=unit_label, key=f"{lang}_organization_branch_unit")
    rows = branches(actor, unit_id)
    if rows:
        branch_list = pd.DataFrame({
            t("organization.column.branch"): [("　" if row["parent_id"] else "") + row["name"] for row in rows],
            t("organization.column.kind"): [t(f"organization.branch_kind.{row['kind']}") for row in rows],
            t("organization.column.status"): [t("organization.active" if row["active"] else "organization.inactive") for row in rows],
            t("organization.column.cadres"): [row["cadres"] for row in rows],
        })
        st.dataframe(branch_list, hide_index=True, width="stretch")
        branch_unit = units_by_id[unit_id]
        branch_title = f"{localized({'name_zh': branch_unit.name_zh, 'name_en': branch_unit.name_en})} {t('organization.tab_branches')}"
        export_frame(branch_list, title=branch_title, stem=branch_title, key="organization_branches_export",
                     kinds={t("organization.column.cadres"): "int"})
    else:
        st.info(t("organization.no_branches"), icon=":material/info:")
    parent_branches = {row["id"]: row["name"] for row in rows if row["kind"] == "branch" and row["active"]}
    new_col, edit_col = st.columns(2)
    with new_col, st.form(f"organization_new_branch_{unit_id}_{fresh}", border=True):
        st.subheader(t("organization.new_branch"))
        name = st.text_input(t("organization.field.name"), max_chars=120, key=f"org_new_branch_{fresh}_name")
        kind = st.radio(t("organization.field.kind"), BRANCH_KINDS, format_func=lambda k: t(f"organization.branch_kind.{k}"), horizontal=True, key=f"{lang}_org_new_branch_{fresh}_kind")
        parent_id = st.selectbox(t("organization.field.parent_branch"), [None, *parent_branches],
                                 format_func=lambda b: parent_branches.get(b, t("organization.parent_branch_none")))
        if st.form_submit_button(t("organization.create_branch"), type="primary", icon=":material/add:"):
            try:
                save_branch(actor, unit_id=unit_id, name=name, kind=kind, parent_id=parent_id)
            except (ValidationFailed, PermissionDenied) as error:
                refused(error)
            else:
                done(t("organization.branch_created", name=as_text(name.strip())))
    if rows:
        with edit_col:
            by_id = {row["id"]: row for row in rows}
            picked = st.selectbox(t("organization.pick_branch"), list(by_id), format_func=lambda b: by_id[b]["name"], key=f"{lang}_organization_pick_branch_{unit_id}")
            branch = by_id[picked]
            with st.form(f"organization_edit_branch_{picked}", border=True):
                st.subheader(t("organization.edit_branch"))
                name = st.text_input(t("organization.field.name"), value=branch["name"], max_chars=120, key=f"org_edit_branch_{picked}_{fresh}_name")
                kind = st.radio(t("organization.field.kind"), BRANCH_KINDS, index=BRANCH_KINDS.index(branch["kind"]) if branch["kind"] in BRANCH_KINDS else 0,
                                format_func=lambda k: t(f"organization.branch_kind.{k}"), horizontal=True)
                options = [None, *[ident for ident in parent_branches if ident != picked]]
                parent_id = st.selectbox(t("organization.field.parent_branch"), options, index=options.index(branch["parent_id"]) if branch["parent_id"] in options else 0,
                                         format_func=lambda b: parent_branches.get(b, t("organization.parent_branch_none")))
                if st.form_submit_button(t("organization.save_branch"), type="primary", icon=":material/save:"):
                    try:
                        save_branch(actor, unit_id=unit_id, branch_id=picked, name=name, kind=kind, parent_id=parent_id)
                    except (ValidationFailed, PermissionDenied) as error:
                        refused(error)
                    else:
                        done(t("organization.branch_saved", name=as_text(name.strip())))
            if branch["active"]:
                if st.button(t("organization.deactivate_branch"), icon=":material/block:", key=f"organization_branch_off_{picked}"):
                    set_branch_active(actor, picked, False)
                    done(t("organization.branch_deactivated", name=as_text(branch["name"])))
            elif st.button(t("organization.reactivate_branch"), icon=":material/restart_alt:", key=f"organization_branch_on_{picked}"):
                set_branch_active(actor, picked, True)
                done(t("organization.branch_reactivated", name=as_text(branch["name"])))
    st.subheader(t("organization.branch_grid_title"))
    st.caption(t("organization.branch_grid_intro"))
    kind_labels = {kind: t(f"organization.branch_kind.{kind}") for kind in BRANCH_KINDS}
    branch_frame = pd.DataFrame(branch_grid_rows(actor, unit_id), columns=["id", "name", "kind", "parent", "active"])
    branch_frame["kind"] = branch_frame["kind"].map(kind_labels)
    branch_grid = st.data_editor(
        branch_frame,
        num_rows="add", hide_index=True, placeholder="", width="stretch", key=f"organization_branch_grid_{unit_id}_{lang}",
        column_order=["name", "kind", "parent", "active"],
        column_config={
            "name": st.column_config.TextColumn(t("organization.field.name"), max_chars=120),
            "kind": st.column_config.SelectboxColumn(t("organization.field.kind"), options=list(kind_labels.values()), default=kind_labels["branch"]),
            "parent": st.column_config.TextColumn(t("organization.field.parent"), max_chars=120),
            "active": st.column_config.CheckboxColumn(t("organization.field.active"), default=True),
        },
    )
    if st.button(t("organization.save_branch_grid"), type="primary", icon=":material/save:"):
        kinds_by_label = {label: kind for kind, label in kind_labels.items()}
        rows = [{**row, "kind": kinds_by_label.get(row["kind"], row["kind"])} for row in edited_rows(branch_grid)]
        try:
            created, updated = save_branch_grid(actor, unit_id, rows)
        except ImportRejected as rejected:
            # A row's parent is checked as the form's parent_id field.
            show_problems(rejected.problems, [*grid_columns("name", "kind", "active"),
                                              Column("parent_id", t("organization.field.parent"), t("organization.field.parent"), "text")])
        except PermissionDenied as error:
            refused(error)
        else:
            st.session_state.pop(f"organization_branch_grid_{unit_id}_{lang}", None)
            done(t("organization.branch_grid_saved", created=created, updated=updated))
