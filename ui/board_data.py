"""Cached reads of the boards, keyed by the data versions of what they read (see ui/data.py).

Fifty viewers of the same board cost one computation until a write bumps the version. Reads
that depend on who is looking (names, open tasks) include the actor in the key.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import streamlit as st

from core.scoring import ScoringRules
from db import boards, people_boards, rules, unit_detail
from db.access import Actor
from db.data_versions import Area
from ui.data import BOARDS, PEOPLE, SUPERVISION, TTL_SECONDS, versions


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=256)
def _board(version: tuple[int, ...], campaign_id: int, start: dt.date, end: dt.date, group_id: int | None, metric: str, rules_version: int | None) -> boards.Board:
    return boards.unit_board(
        campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, rules_version=rules_version
    )


def board(campaign_id: int, start: dt.date, end: dt.date, group_id: int | None, metric: str, rules_version: int | None = None) -> boards.Board:
    return _board(versions(*BOARDS), campaign_id, start, end, group_id, metric, rules_version)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _preview(version: tuple[int, ...], campaign_id: int, start: dt.date, end: dt.date, group_id: int | None, metric: str, config_json: str, draft_version: int, effective_from: dt.date | None) -> boards.Board:
    draft_rules = rules.rules_from_config(json.loads(config_json), draft_version)
    return boards.unit_board(
        campaign_id=campaign_id, start=start, end=end, group_id=group_id, metric=metric, compare_previous=False,
        **({"pending": (effective_from, draft_rules)} if effective_from else {"rules": draft_rules}),
    )


def preview(
    campaign_id: int, start: dt.date, end: dt.date, group_id: int | None, metric: str, config: dict[str, Any],
    draft_version: int, effective_from: dt.date | None = None,
) -> boards.Board:
    """The board a draft config would produce (saved or still being edited): over the whole
    period, or, with `effective_from`, as it would be once published effective from that day."""
    return _preview(
        versions(*BOARDS), campaign_id, start, end, group_id, metric, json.dumps(config, sort_keys=True), draft_version,
        effective_from,
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _trend(version: tuple[int, ...], campaign_id: int, group_id: int, start: dt.date, end: dt.date, rules_version: int | None) -> boards.Trend:
    return boards.group_trend(campaign_id=campaign_id, group_id=group_id, start=start, end=end, rules_version=rules_version)


def trend(campaign_id: int, group_id: int, start: dt.date, end: dt.date, rules_version: int | None = None) -> boards.Trend:
    return _trend(versions(*BOARDS), campaign_id, group_id, start, end, rules_version)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=128)
def _people(version: tuple[int, ...], actor: Actor | None, campaign_id: int, start: dt.date, end: dt.date, unit_id: int | None, group_id: int | None, rules_version: int | None) -> people_boards.PeopleBoard:
    return people_boards.people_board(
        actor, campaign_id=campaign_id, start=start, end=end, unit_id=unit_id, group_id=group_id, rules_version=rules_version
    )


def people(actor: Actor | None, campaign_id: int, start: dt.date, end: dt.date, unit_id: int | None, group_id: int | None, rules_version: int | None = None) -> people_boards.PeopleBoard:
    return _people(versions(*PEOPLE), actor, campaign_id, start, end, unit_id, group_id, rules_version)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _branches(version: tuple[int, ...], campaign_id: int, unit_id: int, start: dt.date, end: dt.date, rules_version: int | None) -> people_boards.BranchBoard:
    return people_boards.branch_board(campaign_id=campaign_id, unit_id=unit_id, start=start, end=end, rules_version=rules_version)


def branches(campaign_id: int, unit_id: int, start: dt.date, end: dt.date, rules_version: int | None = None) -> people_boards.BranchBoard:
    return _branches(versions(*BOARDS), campaign_id, unit_id, start, end, rules_version)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _open_tasks(version: tuple[int, ...], actor: Actor | None, campaign_id: int, unit_id: int, end: dt.date) -> list[unit_detail.OpenTask]:
    return unit_detail.open_tasks(actor, campaign_id=campaign_id, unit_id=unit_id, end=end)


def open_tasks(actor: Actor | None, campaign_id: int, unit_id: int, end: dt.date) -> list[unit_detail.OpenTask]:
    return _open_tasks(versions(*SUPERVISION), actor, campaign_id, unit_id, end)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _status_counts(version: tuple[int, ...], actor: Actor, campaign_id: int, unit_id: int, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    return unit_detail.status_counts(actor, campaign_id=campaign_id, unit_id=unit_id, start=start, end=end)


def status_counts(actor: Actor, campaign_id: int, unit_id: int, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    return _status_counts(versions(*SUPERVISION), actor, campaign_id, unit_id, start, end)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _rule_sets(version: tuple[int, ...]) -> list[rules.RuleSetInfo]:
    return rules.rule_sets()


def rule_sets() -> list[rules.RuleSetInfo]:
    return _rule_sets(versions(Area.RULES))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _what_if_versions(version: tuple[int, ...], actor: Actor | None) -> list[rules.RuleSetInfo]:
    return rules.what_if_versions(actor)


def what_if_versions(actor: Actor | None) -> list[rules.RuleSetInfo]:
    """The versions this viewer may preview a board under (db.rules.what_if_versions)."""
    return _what_if_versions(versions(Area.RULES), actor)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=64)
def _rule_spans(version: tuple[int, ...], start: dt.date, end: dt.date) -> list[boards.RulesSpan]:
    return boards.spans_for(start, end)


def rule_spans(start: dt.date, end: dt.date) -> list[boards.RulesSpan]:
    """The versions in force during [start, end], part by part."""
    return _rule_spans(versions(Area.RULES), start, end)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False, max_entries=16)
def _rules_of(version: tuple[int, ...], rules_version: int | None) -> ScoringRules:
    return boards.rules_for(rules_version)


def rules_of(rules_version: int | None) -> ScoringRules:
    """The rules of a version (0 or None: the rules in force)."""
    return _rules_of(versions(Area.RULES, Area.CATALOGUE), rules_version or None)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _names_hidden(version: tuple[int, ...]) -> bool:
    return people_boards.names_hidden()


def names_hidden() -> bool:
    return _names_hidden(versions(Area.SETTINGS))
