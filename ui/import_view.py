"""Shared pieces of the bulk-entry and import screens: problems in plain words, progress, upload steps."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core.excel import MAX_FILE_MB, ExcelRejected
from core.i18n import format_datetime
from core.import_rules import CellProblem, Column, warning_key
from db.imports import DuplicatesFound, ImportRejected
from ui import data
from ui.state import language, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLASH_KEY = "imports_flash"


def column_label(column: Column) -> str:
    return column.label_zh if language() == "zh" else column.label_en


def _message(problem: CellProblem) -> str:
    """A problem in words; a time in it is shown in the office's zone and the user's language."""
    params = {key: format_datetime(value, language()) if isinstance(value, dt.datetime) else value for key, value in problem.params.items()}
    return t(problem.key, **params)


def show_problems(problems: list[CellProblem], columns: list[Column], *, nothing_saved: bool = True) -> None:
    """Every problem, one per line, by row and column, in the interface language."""
    st.error(t("imports.problems_found", count=f"{len(problems):,}") + (" " + t("imports.nothing_saved") if nothing_saved else ""), icon=":material/error:")
    _problem_table(problems, columns)


def show_warnings(warnings: list[CellProblem], columns: list[Column]) -> None:
    """Likely duplicates and a file imported before, by row, before anything is saved."""
    st.warning(t("imports.warnings_found", count=f"{len(warnings):,}"), icon=":material/content_copy:")
    _problem_table(warnings, columns)


def duplicate_gate(scope: str, columns: list[Column], warnings: list[CellProblem] | None = None) -> list[CellProblem] | None:
    """The likely duplicates of this file or grid (given, or remembered from the last attempt
    to save) with the box that saves anyway. Returns the warnings the person confirmed (none
    when there are none), or None while they are unconfirmed. The box belongs to these warnings:
    a different set (rows edited since) asks again."""
    warnings = warnings if warnings is not None else st.session_state.get(f"imports_warned_{scope}")
    if not warnings:
        return []
    show_warnings(warnings, columns)
    fingerprint = hashlib.sha256(repr(sorted(map(warning_key, warnings))).encode()).hexdigest()[:16]
    return warnings if st.checkbox(t("imports.save_anyway"), key=f"imports_accept_{scope}_{fingerprint}") else None


def remember_warnings(scope: str, warnings: list[CellProblem]) -> None:
    """Keep the warnings of a refused save for duplicate_gate on the next run."""
    st.session_state[f"imports_warned_{scope}"] = warnings


def _problem_table(problems: list[CellProblem], columns: list[Column]) -> None:
    labels = {column.key: column_label(column) for column in columns}
    st.dataframe(
        {
            "row": [t("imports.row_n", row=problem.row) if problem.row else t("imports.whole_file") for problem in problems],
            "column": [labels.get(problem.column, "") if problem.column else "" for problem in problems],
            "problem": [_message(problem) for problem in problems],
        },
        hide_index=True,
        width="stretch",
        height=min(36 * (len(problems) + 1) + 4, 360),
        column_config={
            "row": st.column_config.TextColumn(t("imports.column_row"), width="small"),
            "column": st.column_config.TextColumn(t("imports.column_column"), width="small"),
            "problem": st.column_config.TextColumn(t("imports.column_problem"), width="large"),
        },
    )


def grid_rows(frame: pd.DataFrame) -> list[tuple[int, dict[str, Any]]]:
    """The bulk grid's rows numbered as the person sees them (1, 2, ...), blank cells as None."""
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=1):
        values: dict[str, Any] = {}
        for key, value in record.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                values[key] = None
            elif isinstance(value, dt.datetime):  # pandas Timestamps included
                values[key] = value.date()
            else:
                values[key] = value.item() if hasattr(value, "item") else value
        rows.append((number, values))
    return rows


def progress_bar(label: str) -> tuple[Any, Callable[[float], None]]:
    """A progress bar and the callback that moves it (large files take seconds)."""
    bar = st.progress(0.0, text=label)

    def update(fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=label)

    return bar, update


def uploader(label: str, key: str) -> Any:
    return st.file_uploader(
        label, type=["xlsx", "xlsm"], key=key, max_upload_size=MAX_FILE_MB,
        help=t("imports.upload_help", mb=MAX_FILE_MB),
    )


def checked(upload: Any, scope: tuple, check: Callable[[bytes, Callable[[float], None]], Any]) -> Any | None:
    """The check of an uploaded file, worked out once per file and scope and kept for the reruns after.

    Returns None when the file was refused as a whole (the reason is shown).
    """
    cache_key = f"imports_checked_{scope}"
    cached = st.session_state.get(cache_key)
    if cached and cached[0] == upload.file_id:
        return cached[1]
    bar, update = progress_bar(t("imports.checking"))
    try:
        result = check(upload.getvalue(), update)
    except ExcelRejected as rejected:
        bar.empty()
        st.error(t(rejected.key, **rejected.params), icon=":material/block:")
        return None
    bar.empty()
    st.session_state[cache_key] = (upload.file_id, result)
    return result


def run_import(label: str, job: Callable[[Callable[[float], None]], Any], columns: list[Column]) -> Any | None:
    """Run an import with a progress bar; on refusal list the problems (nothing was saved)."""
    bar, update = progress_bar(label)
    try:
        result = job(update)
    except ImportRejected as rejected:
        bar.empty()
        show_problems(rejected.problems, columns)
        return None
    except DuplicatesFound as found:
        bar.empty()
        show_warnings(found.warnings, columns)
        st.error(t("imports.duplicates_unconfirmed"), icon=":material/block:")
        return None
    except ExcelRejected as rejected:
        bar.empty()
        st.error(t(rejected.key, **rejected.params), icon=":material/block:")
        return None
    bar.empty()
    return result


def done(message: str, reset_key: str) -> None:
    """Say what was saved and clear the uploader for the next file."""
    data.refresh()  # the rerun shows what was just imported, not the cached lists from before
    st.session_state[FLASH_KEY] = message
    st.session_state[reset_key] = st.session_state.get(reset_key, 0) + 1
    st.rerun()
