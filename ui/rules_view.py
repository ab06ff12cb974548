"""The rule-set editor's widgets and the frames around them (history, differences, refusals)."""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from core.i18n import format_date, format_datetime, translate
from core.scoring import BONUS_KINDS, COMPONENTS, MAX_CAP, MAX_POINTS, MAX_WEIGHT
from db.rules import NAME_MAX, RuleChange, RuleSetInfo, standing, version_spans
from ui.board_frames import Column, Table
from ui.state import t


@dataclass(frozen=True)
class RuleInputs:
    name: str
    table: pd.DataFrame  # one row per activity type: code, points, cap, unit_cap
    bonuses: dict[str, float]
    weights: dict[str, float]


def rules_frame(config: Mapping[str, Any], types: Sequence[Mapping[str, Any]], language: str) -> pd.DataFrame:
    """The editable table of a config: a row per activity type, with the catalogue's default beside it."""
    return pd.DataFrame(
        [
            {
                "code": row["code"],
                "area": translate(language, f"area.{row['area']}"),
                "item": row.get(f"name_{language}") or row["name_zh"],
                "default": float(row["default_points"]),
                "points": float(config.get("points", {}).get(row["code"], row["default_points"])),
                "cap": config.get("caps", {}).get(row["code"]),
                "unit_cap": config.get("unit_caps", {}).get(row["code"]),
            }
            for row in types
        ],
        columns=["code", "area", "item", "default", "points", "cap", "unit_cap"],
    ).astype({"cap": "Int64", "unit_cap": "Int64"})


def rules_inputs(draft: RuleSetInfo, types: Sequence[Mapping[str, Any]], language: str) -> RuleInputs:
    """The draft's name, points and caps per type, bonuses and composite weights as widgets."""
    version = draft.version
    name = st.text_input(t("rules.name"), value=draft.name, max_chars=NAME_MAX, key=f"rules_name_{version}")
    st.markdown(f"**{t('rules.points_title')}**")
    st.caption(t("rules.points_help"))
    edited = st.data_editor(
        rules_frame(draft.config, types, language),
        key=f"rules_table_{version}",
        hide_index=True,
        width="stretch",
        height=min(35 * (len(types) + 1) + 3, 420),
        disabled=["area", "item", "default"],
        column_order=["area", "item", "default", "points", "cap", "unit_cap"],
        column_config={
            "area": st.column_config.TextColumn(t("board.column.area")),
            "item": st.column_config.TextColumn(t("board.column.item")),
            "default": st.column_config.NumberColumn(t("rules.column.default"), format="%.1f"),
            "points": st.column_config.NumberColumn(t("board.column.each"), min_value=0.0, max_value=MAX_POINTS, step=0.5, format="%.1f", required=True),
            "cap": st.column_config.NumberColumn(t("board.column.person_cap"), min_value=1, max_value=MAX_CAP, step=1, format="%d", required=True),
            "unit_cap": st.column_config.NumberColumn(t("board.column.unit_cap"), min_value=1, max_value=MAX_CAP, step=1, format="%d", help=t("rules.unit_cap_help")),
        },
    )
    bonus_col, weight_col = st.columns(2, gap="large")
    with bonus_col:
        st.markdown(f"**{t('rules.bonuses_title')}**")
        bonuses = {
            kind: st.number_input(
                t(f"board.bonus.{kind}"), min_value=0.0, max_value=MAX_POINTS, step=0.5,
                value=float(draft.config.get("bonuses", {}).get(kind, 0.0)), key=f"rules_bonus_{kind}_{version}",
            )
            for kind in BONUS_KINDS
        }
    with weight_col:
        st.markdown(f"**{t('rules.weights_title')}**")
        weights = {
            name: st.number_input(
                t(f"board.component.{name}"), min_value=0.0, max_value=MAX_WEIGHT, step=5.0,
                value=float(draft.config.get("weights", {}).get(name, 0.0)), key=f"rules_weight_{name}_{version}",
            )
            for name in COMPONENTS
        }
        total = sum(weights.values())
        if total > 0:
            st.caption(t("rules.weights_shares", shares=t("board.list_separator").join(
                f"{t(f'board.component.{name}')} {value / total * 100:.0f}%" for name, value in weights.items())))
    return RuleInputs(name, edited, bonuses, weights)


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def _whole(value: Any) -> int | float | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else number


def config_from_inputs(inputs: RuleInputs) -> dict[str, Any]:
    """The config the widgets describe; empty cells become NaN points or missing caps, which the
    validation then names, so nothing is silently replaced by a default."""
    points, caps, unit_caps = {}, {}, {}
    for row in inputs.table.to_dict("records"):
        value = _number(row["points"])
        points[row["code"]] = value if value is not None else math.nan
        cap = _whole(row["cap"])
        caps[row["code"]] = cap if cap is not None else math.nan
        unit_cap = _whole(row["unit_cap"])
        if unit_cap is not None:
            unit_caps[row["code"]] = unit_cap
    return {
        "points": points,
        "caps": caps,
        "unit_caps": unit_caps,
        "bonuses": {kind: float(value) for kind, value in inputs.bonuses.items()},
        "weights": {name: float(value) for name, value in inputs.weights.items()},
    }


def _where(section: str, item: str, names: Mapping[str, str], language: str) -> str:
    """'读书笔记 · 每条积分', '采纳建议', '综合指数权重' ...: what a field of a config is, in words."""
    labels = {
        "points": translate(language, "board.column.each"),
        "caps": translate(language, "board.column.person_cap"),
        "unit_caps": translate(language, "board.column.unit_cap"),
    }
    if section in labels:
        return f"{names.get(item, item)} · {labels[section]}"
    if section == "bonuses":
        return translate(language, f"board.bonus.{item}")
    if section == "weights" and item:
        return translate(language, f"board.component.{item}")
    return translate(language, f"rules.field.{section}")


def _type_names(types: Sequence[Mapping[str, Any]], language: str) -> dict[str, str]:
    return {row["code"]: row.get(f"name_{language}") or row["name_zh"] for row in types}


def problem_lines(problems: Sequence[tuple[str, str, dict]], types: Sequence[Mapping[str, Any]], language: str) -> list[str]:
    """'读书笔记 · 每条积分:应在 0 到 1000 之间' for each refusal of a draft."""
    names = _type_names(types, language)
    lines = []
    for field, key, params in problems:
        section, _, item = field.partition(".")
        where = _where(section, item, names, language)
        lines.append(translate(language, "rules.problem_line", where=where, problem=translate(language, key, **params)))
    return lines


def _shown(change: RuleChange, value: Any, language: str) -> str:
    if change.section == "effective_from":
        return format_date(value, language) if value is not None else translate(language, "rules.span_from_start")
    if value is None:
        return translate(language, "rules.not_set")
    number = float(value)
    return f"{number:g}"


def diff_table(
    changes: Sequence[RuleChange], types: Sequence[Mapping[str, Any]], language: str, *, before: int, after: int
) -> Table:
    """What publishing changes, item by item: the version in force's value beside the draft's."""
    names = _type_names(types, language)
    rows = [
        {
            "item": _where(change.section, change.item, names, language),
            "before": _shown(change, change.before, language),
            "after": _shown(change, change.after, language),
        }
        for change in changes
    ]
    columns = [
        Column("item", translate(language, "rules.column.item"), "text"),
        Column("before", translate(language, "rules.column.before", version=before), "text"),
        Column("after", translate(language, "rules.column.after", version=after), "text"),
    ]
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, translate(language, "rules.diff_title"))


def span_label(start: dt.date | None, end: dt.date | None, language: str) -> str:
    """'2026年6月1日 至 2026年8月31日', '最初 至 …', '2026年9月1日 起'."""
    since = format_date(start, language) if start else translate(language, "rules.span_from_start")
    if end is None:
        return translate(language, "rules.span_open", start=since)
    return translate(language, "rules.span_closed", start=since, end=format_date(end, language))


def _span_text(info: RuleSetInfo, spans: Mapping[int, Any], language: str) -> str:
    span = spans.get(info.version)
    if span is None:
        return ""
    if span.superseded:
        return translate(language, "rules.span_superseded", date=format_date(span.start, language))
    return span_label(span.start, span.end, language)


def history_table(versions: Sequence[RuleSetInfo], language: str, today: dt.date) -> Table:
    """Every version with where it stands on `today` (the office's) and when it is in force, in
    office dates; the times it was created and published in the office's time zone."""
    spans = version_spans(list(versions))
    rows = [
        {
            "version": f"v{info.version}",
            "name": info.name,
            "status": translate(language, f"rules.status.{standing(info, spans.get(info.version), today)}"),
            "span": _span_text(info, spans, language),
            "created": format_datetime(info.created_at, language),
            "published": format_datetime(info.published_at, language),
        }
        for info in versions
    ]
    columns = [
        Column("version", translate(language, "rules.column.version"), "text"),
        Column("name", translate(language, "rules.name"), "text"),
        Column("status", translate(language, "rules.column.status"), "text"),
        Column("span", translate(language, "rules.column.span"), "text"),
        Column("created", translate(language, "rules.column.created"), "text"),
        Column("published", translate(language, "rules.column.published"), "text"),
    ]
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, translate(language, "rules.history"))
