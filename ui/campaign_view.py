"""Widgets of the 活动设置 and 活动目录 pages: running a command with its outcome, the periods and
targets grids and their conversion to what the data layer takes."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core.campaign_rules import TargetSpec
from core.enums import TargetBasis
from db.access import ConflictError, PermissionDenied, ValidationFailed
from ui import data
from ui.ledger_common import export_frame
from ui.state import localized, t

FLASH_KEY = "campaign_flash"
BASES = tuple(basis.value for basis in TargetBasis)


def problem_text(problems: list[tuple[str, str, dict]]) -> str:
    """Every problem as a line in the interface language; values are shown as typed, never as markup."""
    lines = dict.fromkeys(t(key, **params) for _field, key, params in problems)
    return "\n".join(f"- {line}" for line in lines)


def run(command: Callable[[], Any], success: str | Callable[[Any], str]) -> None:
    """Run a write; on success flash the message and rerun, on refusal say why (nothing is lost:
    the inputs keep what was typed)."""
    try:
        result = command()
    except ValidationFailed as refused:
        st.error(problem_text(refused.problems), icon=":material/error:")
    except (PermissionDenied, ConflictError) as refused:
        st.error(t(refused.key), icon=":material/block:")
    else:
        data.refresh()
        st.session_state[FLASH_KEY] = success(result) if callable(success) else success
        st.rerun()


def show_flash() -> None:
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.success(flash, icon=":material/check_circle:")


# --- periods ------------------------------------------------------------------------------------


def periods_editor(periods: list[dict[str, Any]], *, key: str, disabled: bool) -> list[dict[str, Any]]:
    """The campaign's periods as an editable grid; returns the rows as the data layer takes them."""
    kinds = {"month": t("campaign.period_kind_month"), "quarter": t("campaign.period_kind_quarter")}
    frame = pd.DataFrame(
        [{"id": p["id"], "kind": kinds[p["kind"]], "label": p["label"], "start_date": p["start_date"], "end_date": p["end_date"]} for p in periods],
        columns=["id", "kind", "label", "start_date", "end_date"],
    )
    headers = {"kind": t("campaign.period_kind"), "label": t("campaign.period_label"), "start_date": t("campaign.period_start"), "end_date": t("campaign.period_end")}
    edited = st.data_editor(
        frame, key=key, num_rows="dynamic", disabled=disabled, hide_index=True, width="stretch", height=360,
        column_order=["kind", "label", "start_date", "end_date"],
        column_config={
            "kind": st.column_config.SelectboxColumn(headers["kind"], options=list(kinds.values()), required=True),
            "label": st.column_config.TextColumn(headers["label"], required=True, max_chars=20),
            "start_date": st.column_config.DateColumn(headers["start_date"], required=True, format="YYYY-MM-DD"),
            "end_date": st.column_config.DateColumn(headers["end_date"], required=True, format="YYYY-MM-DD"),
        },
    )
    export_frame(frame[list(headers)], title=t("campaign.tab_periods"), stem=t("campaign.tab_periods"), key=f"{key}_export",
                 headers=headers, kinds={"start_date": "date", "end_date": "date"})
    by_label = {label: kind for kind, label in kinds.items()}
    rows = []
    for row in edited.to_dict("records"):
        if not row.get("start_date") or not row.get("end_date"):
            continue
        ident = row.get("id")
        rows.append({
            "id": int(ident) if ident is not None and not pd.isna(ident) else None,
            "kind": by_label.get(row.get("kind"), "month"), "label": str(row.get("label") or ""),
            "start_date": _day(row["start_date"]), "end_date": _day(row["end_date"]),
        })
    return rows


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime | pd.Timestamp) else value


# --- types and targets --------------------------------------------------------------------------


def type_labels(types: list[dict[str, Any]]) -> dict[int, str]:
    """Each type's name in the interface language, told apart by its code where two share a name."""
    names = [localized(activity) for activity in types]
    return {
        activity["id"]: f"{name} ({activity['code']})" if names.count(name) > 1 else name
        for activity, name in zip(types, names, strict=True)
    }


def targets_editor(
    targets: list[dict[str, Any]], types: dict[int, str], *, key: str, disabled: bool, default_due: dt.date
) -> list[TargetSpec]:
    """The mandatory targets as an editable grid; returns them as the data layer takes them."""
    bases = {basis: t(f"campaign.basis.{basis}") for basis in BASES}
    frame = pd.DataFrame(
        [{"type": types.get(target["type_id"], str(target["type_id"])), "basis": bases.get(target["basis"], target["basis"]),
          "count": target["count"], "due_on": target["due_on"], "weight": target["weight"]} for target in targets],
        columns=["type", "basis", "count", "due_on", "weight"],
    )
    headers = {
        "type": t("campaign.target_type"), "basis": t("campaign.target_basis"), "count": t("campaign.target_count"),
        "due_on": t("campaign.target_due"), "weight": t("campaign.target_weight"),
    }
    edited = st.data_editor(
        frame, key=key, num_rows="dynamic", disabled=disabled, hide_index=True, width="stretch",
        column_config={
            "type": st.column_config.SelectboxColumn(headers["type"], options=list(types.values()), required=True, width="medium"),
            "basis": st.column_config.SelectboxColumn(headers["basis"], options=list(bases.values()), required=True, width="medium"),
            "count": st.column_config.NumberColumn(headers["count"], min_value=1, max_value=100, step=1, default=1, required=True),
            "due_on": st.column_config.DateColumn(headers["due_on"], format="YYYY-MM-DD", default=default_due, required=True),
            "weight": st.column_config.NumberColumn(headers["weight"], min_value=0.1, max_value=10.0, step=0.5, default=1.0, required=True, format="localized"),
        },
    )
    export_frame(frame, title=t("campaign.targets_title"), stem=t("campaign.targets_title"), key=f"{key}_export",
                 headers=headers, kinds={"count": "int", "due_on": "date", "weight": "number1"})
    type_ids = {label: ident for ident, label in types.items()}
    basis_values = {label: basis for basis, label in bases.items()}
    specs = []
    for row in edited.to_dict("records"):
        if not row.get("type"):
            continue
        due = row.get("due_on")
        specs.append(TargetSpec(
            type_id=type_ids.get(row["type"], -1), basis=basis_values.get(row.get("basis"), ""),
            count=int(row["count"]) if row.get("count") is not None and not pd.isna(row["count"]) else 0,
            due_on=_day(due) if due is not None and not pd.isna(due) else None,
            weight=float(row["weight"]) if row.get("weight") is not None and not pd.isna(row["weight"]) else 0.0,
        ))
    return specs
