"""Streamlit pieces the board pages share: a Table on screen, its Excel download, the legend."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from ui.board_frames import Column, Table
from ui.export import XLSX_MIME, file_name, workbook_bytes
from ui.state import language, t
from ui.theme import FALL, RISE

ROW_HEIGHT = 35
MAX_TABLE_HEIGHT = 620


def _config(column: Column) -> Any:
    if column.kind == "int":
        return st.column_config.NumberColumn(column.header, format="localized")
    if column.kind == "points":
        return st.column_config.NumberColumn(column.header, format="localized")
    if column.kind == "number1":
        return st.column_config.NumberColumn(column.header, format="%,.1f")
    if column.kind == "number2":
        return st.column_config.NumberColumn(column.header, format="%,.2f")
    if column.kind == "percent":
        return st.column_config.ProgressColumn(column.header, min_value=0.0, max_value=100.0, format="%.1f%%")
    if column.kind == "percent_text":
        return st.column_config.NumberColumn(column.header, format="%.1f%%")
    if column.kind == "wide_text":
        return st.column_config.TextColumn(column.header, width="large")
    if column.kind in {"rank", "change"}:
        return st.column_config.TextColumn(column.header, width="small")
    # A fixed width keeps long English names from pushing the last columns out of sight.
    return st.column_config.TextColumn(column.header, width="medium")


def _colour(value: object) -> str:
    text = str(value or "")
    if text.startswith("▲"):
        return f"color: {RISE}; font-weight: 700"
    if text.startswith("▼"):
        return f"color: {FALL}; font-weight: 700"
    return ""


def show_table(table: Table, *, key: str | None = None, selectable: bool = False, max_height: int = MAX_TABLE_HEIGHT) -> Any:
    """The table with its headers and formats; rank changes in red (up) and green (down).
    With `selectable`, a click on a row selects it (the return value says which)."""
    frame: pd.DataFrame | Any = table.frame
    changes = [column.key for column in table.columns if column.kind == "change"]
    if changes and len(table.frame):
        frame = table.frame.style.map(_colour, subset=changes)
    height = min(ROW_HEIGHT * (len(table.frame) + 1) + 3, max_height)
    options: dict[str, Any] = {"on_select": "rerun", "selection_mode": "single-row"} if selectable else {}
    return st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=height,
        column_config={column.key: _config(column) for column in table.columns},
        column_order=[column.key for column in table.columns],
        placeholder="—",
        key=key,
        **options,
    )


def download(tables: Sequence[Table], *, stem: str, notes: Sequence[str] = (), key: str) -> None:
    """The Excel download of exactly these tables; the workbook is built only when clicked."""
    st.download_button(
        t("board.export"),
        data=lambda: workbook_bytes(tables, notes=notes, language=language()),
        file_name=file_name(stem),
        mime=XLSX_MIME,
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def change_legend() -> None:
    st.caption(t("board.change_legend"))
