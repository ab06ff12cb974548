"""The controls every board shares: period, comparison group, metric and, for someone signed in,
a what-if rule-set version.

A board is scored by the rules in force during its period (part by part where they changed),
and says which. Picking a version recomputes the board under it as a what-if, labelled as not
the ranking; a visitor who is not signed in is never offered one.

Choices are remembered for the browser session (outside the widgets, which Streamlit forgets
when a page is left), so opening a unit from the leaderboard keeps the period and group.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.clock import office_today
from core.enums import RuleSetStatus
from core.i18n import format_date
from core.periods import PERIOD_KINDS, DateRange, period_range
from core.scoring import METRICS
from db.access import Actor
from db.reference import CampaignInfo
from ui import board_data, data
from ui.campaign_choice import campaign_selector
from ui.state import current_actor, language, localized, t

DEFAULT_PERIOD = "quarter"
DEFAULT_METRIC = "per_capita"
_MEMORY = "board_memory"


@dataclass(frozen=True)
class Selection:
    span: DateRange
    period: str
    group: dict[str, Any] | None
    metric: str
    rules_version: int | None  # None: the rules in force during the period; a version: a what-if
    rules_label: str


def lang_key(name: str) -> str:
    """A widget key per interface language: Streamlit keeps a keyed select box's option labels
    from its first run, so a box with translated labels needs a new identity in each language."""
    return f"{name}_{language()}"


def _remembered(name: str, default: Any) -> Any:
    return st.session_state.setdefault(_MEMORY, {}).get(name, default)


def _remember(**values: Any) -> None:
    st.session_state.setdefault(_MEMORY, {}).update(values)


def own_group_index(groups: list[dict[str, Any]], unit_group: int | None) -> int:
    remembered = _remembered("group", None)
    ids = [group["id"] for group in groups]
    if remembered in ids:
        return ids.index(remembered)
    return ids.index(unit_group) if unit_group in ids else 0


def board_campaign() -> CampaignInfo | None:
    """The campaign the boards show: the current one, or the one picked in the sidebar's selector
    (shown once there are several; closed ones labelled 已结束)."""
    return campaign_selector()


IN_FORCE = 0  # the option "the rules in force during the period", whichever versions those are


def version_options(actor: Actor | None) -> tuple[list[int], dict[int, str]]:
    """The rules in force first, then the versions this viewer may try as a what-if, newest first
    (none for a visitor; never a draft set aside)."""
    labels = {IN_FORCE: t("board.rules_in_force")}
    for info in board_data.what_if_versions(actor):
        key = "board.rules_what_if_draft" if info.status == RuleSetStatus.DRAFT else "board.rules_what_if"
        named = info.name.strip() != f"v{info.version}"  # a version called just "v3" is not named twice
        labels[info.version] = t(key if named else f"{key}_unnamed", version=info.version, name=info.name)
    return list(labels), labels


def rules_used(span: DateRange) -> str:
    """Which versions score a period in force: one, or each part where the rules changed during it
    (the caps then apply within each part)."""
    lang = language()
    parts = board_data.rule_spans(span.start, span.end)
    if len(parts) == 1:
        return t("board.rules_used_one", version=parts[0].rules.version)
    return t("board.rules_used_split", parts=t("board.list_separator").join(
        t("board.rules_part", version=part.rules.version, start=format_date(part.start, lang), end=format_date(part.end, lang))
        for part in parts
    ))


def board_controls(
    campaign: CampaignInfo,
    *,
    metric: bool = True,
    group: bool = True,
    own_unit_group: int | None = None,
    metrics: tuple[str, ...] = METRICS,
    versions: bool = True,
) -> Selection:
    """Draw the controls (a row of choices, then the period in words beside the rules version)
    and return what they select."""
    groups = data.groups()
    widths = [7] + ([3] if group else []) + ([3] if metric else [])
    columns = iter(st.columns(widths))
    with next(columns):
        period = st.segmented_control(
            t("board.period"), PERIOD_KINDS, default=_remembered("period", DEFAULT_PERIOD), key="board_period",
            format_func=lambda kind: t(f"board.period_kind.{kind}"),
        ) or DEFAULT_PERIOD
    chosen_group = None
    if group:
        with next(columns):
            chosen_group = st.selectbox(
                t("board.group"), groups, index=own_group_index(groups, own_unit_group) if groups else None,
                format_func=localized, key=lang_key("board_group"),
            )
    chosen_metric = DEFAULT_METRIC
    if metric:
        with next(columns):
            remembered_metric = _remembered("metric", DEFAULT_METRIC)
            chosen_metric = st.selectbox(
                t("board.metric"), metrics, index=metrics.index(remembered_metric) if remembered_metric in metrics else 0,
                key=lang_key("board_metric"), format_func=lambda kind: t(f"board.metric_kind.{kind}"),
            )
    # Inside the campaign shown: a closed one ends before today, a next stage may not have begun.
    today = min(max(office_today(), campaign.start_date), campaign.end_date)
    custom = None
    if period == "custom":
        start, end = _remembered("custom", (max(campaign.start_date, today - dt.timedelta(days=30)), today))
        chosen = st.date_input(
            t("board.custom_range"), value=(start, end), min_value=campaign.start_date, max_value=campaign.end_date,
            key="board_custom", format="YYYY-MM-DD",
        )
        if isinstance(chosen, tuple | list) and len(chosen) == 2:
            custom = (chosen[0], chosen[1])
        elif isinstance(chosen, tuple | list) and chosen:
            custom = (chosen[0], chosen[0])
        else:
            custom = (start, end)
        _remember(custom=custom)
    span = period_range(period, today, campaign.start_date, campaign.end_date, custom)
    options, labels = version_options(current_actor()) if versions else ([IN_FORCE], {})
    rules_version = IN_FORCE
    caption_col, version_col = st.columns([9, 4], vertical_alignment="center")
    if len(options) > 1:
        remembered_version = _remembered("rules_version", IN_FORCE)
        rules_version = version_col.selectbox(
            t("board.rules_version"), options, index=options.index(remembered_version) if remembered_version in options else 0,
            format_func=labels.get, key=lang_key("board_rules"), help=t("board.rules_what_if_help"), label_visibility="collapsed",
        )
    label = t("board.what_if_label", version=rules_version) if rules_version else rules_used(span)
    caption_col.caption(_caption(span, label))
    if rules_version:
        st.warning(t("board.what_if_notice", version=rules_version), icon=":material/science:")
    _remember(period=period, **({"metric": chosen_metric} if metric else {}),
              **({"rules_version": rules_version} if len(options) > 1 else {}),
              **({"group": chosen_group["id"]} if chosen_group else {}))
    return Selection(span, period, chosen_group, chosen_metric, rules_version or None, label)


def _caption(span: DateRange, rules_label: str) -> str:
    lang = language()
    return t("board.range_caption", start=format_date(span.start, lang), end=format_date(span.end, lang), version=rules_label)


def range_caption(selection: Selection) -> str:
    """The period and rules of a board in words (shown under the controls, and in exports)."""
    return _caption(selection.span, selection.rules_label)
