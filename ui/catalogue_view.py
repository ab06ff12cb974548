"""Widgets of the 活动目录 page: the overview grid, and one type's form with its fields grid."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.catalogue_rules import FIELD_KINDS, LEVELS, NEW_FIELD_KINDS, PHOTO_RULES, TypeSpec, clean_field
from core.enums import TargetBasis
from db.catalog_defaults import AREAS
from ui.ledger_common import export_frame
from ui.state import language, t

OVERVIEW_COLUMNS = ["id", "code", "name_zh", "name_en", "default_points", "photo", "active", "sort_order", "records"]


def _area_name(area: str) -> str:
    zh, en = AREAS.get(area, (area, area))
    return zh if language() == "zh" else en


def overview_editor(rows: list[dict[str, Any]], *, key: str) -> list[dict[str, Any]]:
    """Every type in one grid; returns the rows the person changed, as update_types takes them."""
    photos = {rule: t(f"catalogue.photo_rule.{rule}") for rule in PHOTO_RULES}
    frame = pd.DataFrame([{**{name: row[name] for name in OVERVIEW_COLUMNS}, "photo": photos[row["photo"]]} for row in rows], columns=OVERVIEW_COLUMNS)
    headers = {
        "code": t("catalogue.code"), "name_zh": t("catalogue.name_zh"), "name_en": t("catalogue.name_en"), "default_points": t("catalogue.points"),
        "photo": t("catalogue.photo"), "active": t("catalogue.active"), "sort_order": t("catalogue.order"), "records": t("catalogue.records"),
    }
    edited = st.data_editor(
        frame, key=key, hide_index=True, width="stretch", height=min(600, 38 + 35 * len(rows)),
        disabled=["id", "code", "records"], column_order=OVERVIEW_COLUMNS[1:],
        column_config={
            "code": st.column_config.TextColumn(headers["code"]),
            "name_zh": st.column_config.TextColumn(headers["name_zh"], required=True, max_chars=80),
            "name_en": st.column_config.TextColumn(headers["name_en"], required=True, max_chars=80),
            "default_points": st.column_config.NumberColumn(headers["default_points"], min_value=0, max_value=100, step=0.5, required=True, format="localized"),
            "photo": st.column_config.SelectboxColumn(headers["photo"], options=list(photos.values()), required=True),
            "active": st.column_config.CheckboxColumn(headers["active"]),
            "sort_order": st.column_config.NumberColumn(headers["sort_order"], step=1, required=True),
            "records": st.column_config.NumberColumn(headers["records"], format="localized"),
        },
    )
    # The catalogue as saved (not the unsaved edits), a tick spelled as 是 / 否.
    saved = frame[OVERVIEW_COLUMNS[1:]].assign(active=[t("reports.yes") if active else t("reports.no") for active in frame["active"]])
    export_frame(saved, title=t("catalogue.heading"), stem=t("catalogue.heading"), key=f"{key}_export", headers=headers,
                 kinds={"default_points": "number1", "sort_order": "int", "records": "int"})
    rules = {label: rule for rule, label in photos.items()}
    original = {row["id"]: row for row in rows}
    changed = []
    for row in edited.to_dict("records"):
        values = {
            "id": int(row["id"]), "name_zh": row["name_zh"] or "", "name_en": row["name_en"] or "",
            "default_points": float(row["default_points"]) if not pd.isna(row["default_points"]) else -1.0,
            "photo": rules.get(row["photo"], "none"), "active": bool(row["active"]),
            "sort_order": int(row["sort_order"]) if not pd.isna(row["sort_order"]) else 0,
        }
        before = original[values["id"]]
        if any(values[name] != before[name] for name in values):
            changed.append(values)
    return changed


def _fields_frame(fields: list[dict[str, Any]], kinds: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{
            "key": spec["key"], "kind": kinds.get(spec["kind"], spec["kind"]), "label_zh": spec.get("label_zh", ""),
            "label_en": spec.get("label_en", ""), "required": spec.get("required", True),
            "choices": "、".join(spec.get("choices", [])), "min": spec.get("min", spec.get("min_len")),
        } for spec in fields],
        columns=["key", "kind", "label_zh", "label_en", "required", "choices", "min"],
    )


def fields_editor(fields: list[dict[str, Any]], *, key: str, disabled: bool) -> list[dict[str, Any]]:
    """A type's fields as a grid; returns them cleaned (core.catalogue_rules.clean_field)."""
    offered = FIELD_KINDS if any(spec["kind"] not in NEW_FIELD_KINDS for spec in fields) else NEW_FIELD_KINDS
    kinds = {kind: t(f"catalogue.kind.{kind}") for kind in offered}
    edited = st.data_editor(
        _fields_frame(fields, kinds), key=key, num_rows="dynamic", hide_index=True, width="stretch", disabled=disabled, placeholder="",
        column_config={
            "key": st.column_config.TextColumn(t("catalogue.field_key"), required=True, max_chars=40),
            "kind": st.column_config.SelectboxColumn(t("catalogue.field_kind"), options=list(kinds.values()), required=True),
            "label_zh": st.column_config.TextColumn(t("catalogue.field_label_zh"), max_chars=40),
            "label_en": st.column_config.TextColumn(t("catalogue.field_label_en"), max_chars=40),
            "required": st.column_config.CheckboxColumn(t("catalogue.field_required"), default=True),
            "choices": st.column_config.TextColumn(t("catalogue.field_choices"), width="large"),
            "min": st.column_config.NumberColumn(t("catalogue.field_min"), min_value=0, step=1, format="%d"),
        },
    )
    by_label = {label: kind for kind, label in kinds.items()}
    cleaned = []
    for row in edited.to_dict("records"):
        if not row.get("key") and not row.get("kind"):
            continue
        kind = by_label.get(row.get("kind"), row.get("kind") or "")
        minimum = None if row.get("min") is None or pd.isna(row.get("min")) else row["min"]
        cleaned.append(clean_field({
            "key": row.get("key") or "", "kind": kind, "label_zh": row.get("label_zh"), "label_en": row.get("label_en"),
            "required": bool(row.get("required", True)), "choices": row.get("choices") or "",
            "min": minimum if kind == "int" else None, "min_len": minimum if kind in {"text", "longtext"} else None,
        }))
    return cleaned


def type_form(row: dict[str, Any], *, key: str, new: bool) -> tuple[TypeSpec, bool] | None:
    """One type's settings and fields; (spec, add to the current campaign) when saved, else None."""
    areas = list(AREAS)
    bases = [None, *(basis.value for basis in TargetBasis)]
    first = st.columns(3)
    code = first[0].text_input(t("catalogue.code"), value=row.get("code", ""), max_chars=40, disabled=not new, help=t("catalogue.code_help"), key=f"{key}_code")
    name_zh = first[1].text_input(t("catalogue.name_zh"), value=row.get("name_zh", ""), max_chars=80, key=f"{key}_name_zh")
    name_en = first[2].text_input(t("catalogue.name_en"), value=row.get("name_en", ""), max_chars=80, key=f"{key}_name_en")
    second = st.columns(4)
    # Labels are made now, in this run's language, not when a box formats them later.
    area_names = {area: _area_name(area) for area in areas}
    level_names = {level: t(f"catalogue.level_name.{level}") for level in LEVELS}
    photo_names = {rule: t(f"catalogue.photo_rule.{rule}") for rule in PHOTO_RULES}
    basis_names = {basis: t("catalogue.mandatory_none") if basis is None else t(f"campaign.basis.{basis}") for basis in bases}
    area = second[0].selectbox(t("catalogue.area"), areas, index=areas.index(row["area"]) if row.get("area") in areas else 0, format_func=area_names.get, key=f"{key}_area")
    level = second[1].selectbox(t("catalogue.level"), LEVELS, index=LEVELS.index(row.get("level", "unit")), format_func=level_names.get, key=f"{key}_level")
    points = second[2].number_input(t("catalogue.points"), min_value=0.0, max_value=100.0, value=float(row.get("default_points", 1.0)), step=0.5, key=f"{key}_points")
    photo = second[3].selectbox(t("catalogue.photo"), PHOTO_RULES, index=PHOTO_RULES.index(row.get("photo", "none")), format_func=photo_names.get, key=f"{key}_photo")
    third = st.columns(4)
    expected = third[0].number_input(t("catalogue.expected_length"), min_value=0, max_value=20000, value=row.get("expected_length") or 0, step=50, help=t("catalogue.expected_length_help"), key=f"{key}_expected")
    basis = third[1].selectbox(
        t("catalogue.mandatory"), bases, index=bases.index(row.get("mandatory_basis")), help=t("catalogue.mandatory_help"), key=f"{key}_basis",
        format_func=basis_names.get,
    )
    count = third[2].number_input(t("catalogue.mandatory_count"), min_value=1, max_value=100, value=max(1, row.get("mandatory_count") or 1), step=1, disabled=basis is None, key=f"{key}_count")
    order = third[3].number_input(t("catalogue.order"), value=int(row.get("sort_order", 0)), step=1, key=f"{key}_order")
    active = st.checkbox(t("catalogue.active"), value=row.get("active", True), key=f"{key}_active")
    st.subheader(t("catalogue.fields"))
    st.caption(t("catalogue.fields_help"))
    study = row.get("is_study", False)
    if study:
        st.info(t("catalogue.study_note"), icon=":material/auto_stories:")
    fields = fields_editor(row.get("fields", []), key=f"{key}_fields_{language()}", disabled=study)
    add_to_current = st.checkbox(t("catalogue.add_to_current"), value=True, help=t("catalogue.add_to_current_help"), key=f"{key}_add") if new else False
    if not st.button(t("catalogue.create_type") if new else t("catalogue.save_type"), type="primary", icon=":material/save:", key=f"{key}_save"):
        return None
    spec = TypeSpec(
        code=code.strip(), name_zh=name_zh, name_en=name_en, area=area, level=level, default_points=points,
        fields=row.get("fields", []) if study else fields, photo=photo, expected_length=int(expected) or None,
        mandatory_basis=basis, mandatory_count=int(count) if basis else 0, is_study=study, active=active, sort_order=int(order),
    )
    return spec, add_to_current
