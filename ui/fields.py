"""Form widgets for a catalogue entry's fields, and how a saved record's fields read back."""
from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from core.record_rules import LONGTEXT_MAX, TEXT_MAX
from core.safe_text import as_text
from db.catalogue import field_labels
from ui import data
from ui.state import language, t

# Parts of every record, labelled by the entry catalogue rather than the activity catalogue.
ENTRY_FIELDS = frozenset({"title", "occurred_on", "photos", "type", "reason", "status"})


def field_label(key: str) -> str:
    """A field's label by key: built in, or named by the type the office made with it."""
    named = {spec["key"]: spec for activity in data.activity_types() for spec in activity["fields"] if spec.get("label_zh")}
    zh, en = field_labels(named.get(key, {"key": key}))
    return zh if language() == "zh" else en


def _label(spec: dict[str, Any]) -> str:
    """The widget's label: the office may name its own fields, and a label is Markdown, so escaped."""
    zh, en = field_labels(spec)
    label = as_text(zh if language() == "zh" else en)
    return f"{label} *" if spec.get("required", True) else label


def render_field(
    spec: dict[str, Any],
    *,
    people: dict[str, list[dict[str, Any]]],
    key: str,
    value: Any = None,
    fixed_cadre_id: int | None = None,
) -> Any:
    """One input for one field spec; returns what the person entered (None when left empty)."""
    kind = spec["kind"]
    label = _label(spec)
    if kind == "cadre":
        cadres = {row["id"]: row for row in people["cadres"]}
        options = [fixed_cadre_id] if fixed_cadre_id else list(cadres)
        chosen = value if value in options else (fixed_cadre_id or None)
        return st.selectbox(
            label, options, index=options.index(chosen) if chosen in options else None, key=key,
            format_func=lambda ident: _cadre_text(cadres.get(ident)), placeholder=t("entry.choose"),
            disabled=fixed_cadre_id is not None,
        )
    if kind == "branch":
        branches = {row["id"]: row["name"] for row in people["branches"]}
        options = list(branches)
        return st.selectbox(
            label, options, index=options.index(value) if value in options else None, key=key,
            format_func=branches.get, placeholder=t("entry.choose"),
        )
    if kind == "choice":
        options = spec["choices"]
        return st.selectbox(
            label, options, index=options.index(value) if value in options else None, key=key,
            placeholder=t("entry.choose"),
        )
    if kind == "date":
        chosen = dt.date.fromisoformat(value) if isinstance(value, str) and value else value
        return st.date_input(label, value=chosen, key=key, format="YYYY-MM-DD")
    if kind == "int":
        # No min_value: a number below the minimum is answered with a message when saving, not a
        # widget that silently refuses the keystroke.
        return st.number_input(label, value=value, step=1, key=key, placeholder=str(spec.get("min", 0)))
    if kind == "longtext":
        minimum = spec.get("min_len", 0)
        # Reports and notes are written at length; give them room to be read while writing.
        return st.text_area(
            label, value=value or "", max_chars=LONGTEXT_MAX, key=key, height=150 if minimum >= 50 else 100,
            help=t("entry.min_len", min=minimum) if minimum else None,
        )
    return st.text_input(label, value=value or "", max_chars=TEXT_MAX, key=key)


def _cadre_text(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    return f"{row['name']}({row['position']})" if row.get("position") else row["name"]


def problem_lines(problems: list[tuple[str, str, dict]]) -> list[str]:
    """'字段:问题' lines for a ValidationFailed, in the interface language."""
    lines = []
    for field, key, params in problems:
        label = t(f"entry.field.{field}") if field in ENTRY_FIELDS else as_text(field_label(field))
        message = t(key, **{name: as_text(value) if isinstance(value, str) else value for name, value in params.items()})
        lines.append(f"**{label}**:{message}" if language() == "zh" else f"**{label}**: {message}")
    return lines
