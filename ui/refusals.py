"""A refused command shown in the user's language: each problem on its own line, user text escaped."""
from __future__ import annotations

import streamlit as st

from core.safe_text import as_text
from db.access import PermissionDenied, ValidationFailed
from ui.state import t


def show_refusal(error: PermissionDenied | ValidationFailed, field_labels: str) -> None:
    """`field_labels` is the catalogue prefix of the form's field names (e.g. "people.field")."""
    if isinstance(error, PermissionDenied):
        st.error(t(error.key), icon=":material/block:")
        return
    lines = [
        f"- **{t(f'{field_labels}.{field}')}**: "
        + t(key, **{name: as_text(value) if isinstance(value, str) else value for name, value in params.items()})
        for field, key, params in error.problems
    ]
    st.error(t("organization.not_saved") + "\n\n" + "\n".join(lines), icon=":material/error:")
