"""The page of a deactivated unit: it ranks nowhere any more, but what it did stays readable."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.safe_text import as_text
from db.organization import unit_history
from ui import data
from ui.ledger_common import export_frame
from ui.state import localized, t


def show_retired_unit(unit: dict[str, Any], campaign_id: int) -> None:
    """Its name, that it is deactivated, and its approved records by month and activity type."""
    name = localized(unit)
    st.subheader(as_text(name))
    st.warning(t("organization.history.notice", name=as_text(name)), icon=":material/history:")
    rows = unit_history(campaign_id, unit["id"])
    if not rows:
        st.info(t("organization.history.empty"), icon=":material/info:")
        return
    types = {row["code"]: localized(row) for row in data.activity_types()}
    history = pd.DataFrame({
        t("organization.history.month"): [month for month, _, _ in rows],
        t("organization.history.type"): [types.get(code, code) for _, code, _ in rows],
        t("organization.history.records"): [count for _, _, count in rows],
    })
    st.dataframe(history, hide_index=True, width="stretch", height=min(35 * (len(rows) + 1) + 3, 560))
    export_frame(history, title=name, stem=name, key="retired_unit_export", kinds={t("organization.history.records"): "int"})
