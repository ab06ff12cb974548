"""已删除的记录: the office ticks deleted records and restores them to the status they had."""
from __future__ import annotations

import streamlit as st

from core.i18n import format_datetime
from db.access import ConflictError, PermissionDenied
from db.trash import deleted_records, restore_record
from ui.ledger_common import export_frame
from ui.state import current_actor, language, t

_FLASH = "trash_flash"
_GENERATION = "trash_generation"  # a new table (and so an empty selection) after every restore


def trash_panel() -> None:
    actor = current_actor()
    lang = language()
    st.caption(t("trash.intro"))
    if flash := st.session_state.pop(_FLASH, None):
        st.success(flash, icon=":material/restore_from_trash:")
    rows = deleted_records(actor)
    if not rows:
        st.info(t("trash.empty"), icon=":material/delete_sweep:")
        return
    st.caption(t("trash.select_hint"))
    listed = {
        t("trash.column.id"): [row["id"] for row in rows],
        t("trash.column.unit"): [row[f"unit_{lang}"] for row in rows],
        t("trash.column.type"): [row[f"type_{lang}"] for row in rows],
        t("trash.column.title"): [row["title"] for row in rows],
        t("trash.column.was"): [t(f"status.{row['deleted_from']}") for row in rows],
        t("trash.column.deleted_at"): [format_datetime(row["deleted_at"], lang) for row in rows],
    }
    selection = st.dataframe(
        listed,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=f"trash_table_{st.session_state.get(_GENERATION, 0)}",
    )
    export_frame(listed, title=t("trash.tab"), stem=t("trash.tab"), key="trash_export", kinds={t("trash.column.id"): "int"})
    chosen = [rows[index] for index in selection.selection.rows]
    if st.button(t("trash.restore"), icon=":material/restore_from_trash:", disabled=not chosen, type="primary"):
        restored, problems = 0, []
        for row in chosen:
            try:
                restore_record(actor, row["id"], expected_version=row["version"])
                restored += 1
            except (PermissionDenied, ConflictError) as refused:
                problems.append(f"{row['id']}: {t(refused.key)}")
        st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1
        st.session_state[_FLASH] = t("trash.restored", count=restored) + ("\n\n" + "\n\n".join(problems) if problems else "")
        st.rerun()
