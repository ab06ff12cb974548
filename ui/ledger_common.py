"""Pieces the three ledger pages share: running a command with its refusal in plain words, the
flash after a rerun, labels of the ledgers' fields, and the Excel download of a list."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from core.i18n import catalogue
from core.safe_text import as_text
from db.access import ConflictError, PermissionDenied, ValidationFailed
from ui.board_frames import Column, Table
from ui.board_view import download
from ui.fields import field_label
from ui.state import language, t

FLASH_KEY = "ledgers_flash"


def label(field: str) -> str:
    """A field's name: the ledgers' own, else the activity catalogue's (title, content ...)."""
    key = f"ledgers.field.{field}"
    return t(key) if key in catalogue(language()) else field_label(field)


def problem_text(problems: list[tuple[str, str, dict]]) -> str:
    separator = ":" if language() == "zh" else ": "
    lines = []
    for field, key, params in problems:
        shown = {name: as_text(value) if isinstance(value, str) else value for name, value in params.items()}
        lines.append(f"- **{label(field)}**{separator}{t(key, **shown)}")
    return "\n".join(lines)


def run(command: Callable[[], Any], done: str) -> bool:
    """Run a command; on success keep `done` for the next run and rerun, else say why in words.
    Nothing the person typed is lost: forms keep their values when a command is refused."""
    try:
        command()
    except ValidationFailed as failure:
        st.error(t("ledgers.fix_problems") + "\n\n" + problem_text(failure.problems), icon=":material/error:")
        return False
    except (PermissionDenied, ConflictError) as refused:
        st.error(t(refused.key), icon=":material/block:")
        return False
    st.session_state[FLASH_KEY] = done
    st.rerun()
    return True


def flash() -> None:
    if message := st.session_state.pop(FLASH_KEY, None):
        st.success(message, icon=":material/check_circle:")


def export_button(frame: pd.DataFrame, columns: list[Column], *, title: str, stem: str, key: str, notes: list[str] = ()) -> None:
    """The list as shown, to Excel (cells are text, never formulas: ui.export)."""
    download([Table(frame, columns, title)], stem=stem, notes=notes, key=key)


def export_frame(
    frame: pd.DataFrame | Mapping[str, list], *, title: str, stem: str, key: str,
    headers: Mapping[str, str] | None = None, kinds: Mapping[str, str] | None = None, notes: list[str] = (),
) -> None:
    """A table drawn with st.dataframe, to Excel with the same columns in the same order.
    `headers` names a column whose key is not already its header; `kinds` marks the figures
    (int, number1 ...: ui.board_frames.KINDS), so that they stay numbers in Excel."""
    shown = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(dict(frame))
    headers, kinds = headers or {}, kinds or {}
    columns = [Column(str(name), headers.get(name, str(name)), kinds.get(name, "text")) for name in shown.columns]
    export_button(shown, columns, title=title, stem=stem, key=key, notes=list(notes))
