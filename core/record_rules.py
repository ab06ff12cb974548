"""Validation of an activity record against its catalogue entry: pure, testable without a database.

Problems come back as (field, message key, params) so that each language says them its own way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TITLE_MAX = 200
TEXT_MAX = 200
LONGTEXT_MAX = 20_000
INT_MAX = 1_000_000
# A record with less than half the prose its type expects is flagged for the reviewer.
SHORT_RATIO = 0.5
# Plausible ceilings for counts the catalogue leaves open (a field's own "max" wins): a meeting
# of the organization system is not attended by a hundred thousand people.
FIELD_MAX = {
    "audience": 5_000,
    "participants": 5_000,
    "hours": 500,
    "months": 36,
    "problems_found": 1_000,
    "problems_solved": 1_000,
}
# Pairs (smaller, larger): the first may not exceed the second.
NOT_MORE_THAN = (("problems_solved", "problems_found"),)

Problem = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class RecordContext:
    """What a record is checked against: its campaign's dates and the unit's own people."""

    campaign_start: dt.date
    campaign_end: dt.date
    cadre_ids: frozenset[int]
    branch_ids: frozenset[int]
    today: dt.date | None = None  # the office's today (core.clock.office_today); None: no future check


def is_web_address(text: str) -> bool:
    """An http or https address with a host and nothing a browser or a document could misread:
    no javascript:, data: or file: addresses, no spaces, quotes or angle brackets."""
    if any(ch.isspace() or ch in '"<>`\\' or ord(ch) < 32 for ch in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def validate_record(
    fields: list[dict[str, Any]],
    *,
    title: str,
    occurred_on: dt.date | None,
    details: dict[str, Any],
    context: RecordContext,
    draft: bool = False,
) -> tuple[dict[str, Any], list[Problem]]:
    """Return the cleaned details and every problem found (an empty list means it may be saved).

    A draft may be incomplete: what is missing or still short is checked when it is submitted;
    what is there must already be valid (a person of the unit, a number in range, a real date).
    """
    problems: list[Problem] = []
    if _is_blank(title):
        if not draft:
            problems.append(("title", "validation.required", {}))
    elif len(title.strip()) > TITLE_MAX:
        problems.append(("title", "validation.too_long", {"max": TITLE_MAX}))
    if occurred_on is None:
        problems.append(("occurred_on", "validation.required", {}))
    elif not (context.campaign_start <= occurred_on <= context.campaign_end):
        problems.append(
            (
                "occurred_on",
                "validation.outside_campaign",
                {"start": context.campaign_start.isoformat(), "end": context.campaign_end.isoformat()},
            )
        )
    elif context.today is not None and occurred_on > context.today:
        problems.append(("occurred_on", "entry.future_date", {"today": context.today.isoformat()}))
    cleaned: dict[str, Any] = {}
    for spec in fields:
        key = spec["key"]
        value = details.get(key)
        if _is_blank(value):
            if spec.get("required", True) and not draft:
                problems.append((key, "validation.required", {}))
            continue
        value, problem = _clean_value(spec, value, context)
        if problem and draft and problem[0] == "validation.too_short":
            cleaned[key] = str(details[key]).strip()
        elif problem:
            problems.append((key, problem[0], problem[1]))
        else:
            cleaned[key] = value
    for smaller, larger in NOT_MORE_THAN:
        if isinstance(cleaned.get(smaller), int) and isinstance(cleaned.get(larger), int) and cleaned[smaller] > cleaned[larger]:
            problems.append((smaller, f"entry.more_than.{larger}", {"max": cleaned[larger]}))
    return cleaned, problems


def _clean_value(
    spec: dict[str, Any], value: Any, context: RecordContext
) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
    kind = spec["kind"]
    if kind in {"text", "longtext", "book"}:
        text = str(value).strip()
        limit = LONGTEXT_MAX if kind == "longtext" else TEXT_MAX
        if len(text) > limit:
            return None, ("validation.too_long", {"max": limit})
        if len(text) < spec.get("min_len", 0):
            return None, ("validation.too_short", {"min": spec["min_len"], "actual": len(text)})
        if spec.get("format") == "url" and not is_web_address(text):
            return None, ("reports.error.bad_url", {})
        return text, None
    if kind == "int":
        try:
            number = int(value)
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
        except (TypeError, ValueError):
            return None, ("validation.not_integer", {})
        ceiling = spec.get("max", FIELD_MAX.get(spec["key"], INT_MAX))
        if number < spec.get("min", 0) or number > ceiling:
            return None, ("validation.out_of_range", {"min": spec.get("min", 0), "max": ceiling})
        return number, None
    if kind == "date":
        # Stored as ISO text: record details are JSON.
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat(), None
        except ValueError:
            return None, ("imports.bad_date", {"value": str(value)})
    if kind == "choice":
        if value not in spec["choices"]:
            return None, ("validation.bad_choice", {"choices": "、".join(spec["choices"])})
        return value, None
    if kind in {"cadre", "branch"}:
        allowed = context.cadre_ids if kind == "cadre" else context.branch_ids
        try:
            ident = int(value)
        except (TypeError, ValueError):
            return None, ("validation.not_in_unit", {})
        if ident not in allowed:
            return None, ("validation.not_in_unit", {})
        return ident, None
    raise ValueError(f"unknown field kind {kind!r}")


def principal_field(fields: list[dict[str, Any]], kind: str) -> str | None:
    """The first field of a kind: its value becomes the record's cadre_id or branch_id."""
    return next((spec["key"] for spec in fields if spec["kind"] == kind), None)


def text_length(fields: list[dict[str, Any]], details: dict[str, Any]) -> int:
    """Characters of prose in a record, for the reviewer's 'far shorter than expected' flag."""
    return sum(len(str(details.get(spec["key"], ""))) for spec in fields if spec["kind"] == "longtext")


def is_far_short(fields: list[dict[str, Any]], evidence: dict[str, Any], details: dict[str, Any]) -> bool:
    """True when a type that states an expected length (e.g. a 党性分析报告) got far less prose."""
    expected = evidence.get("expected_length")
    return bool(expected) and text_length(fields, details) < expected * SHORT_RATIO


def fill_title(title: str | None, fields: list[dict[str, Any]], details: dict[str, Any], type_name: str) -> str:
    """The title as typed; for a book record left untitled, 《书名》读书笔记 says it all."""
    if not _is_blank(title):
        return str(title).strip()
    book_key = principal_field(fields, "book")
    book = str(details.get(book_key) or "").strip().strip("《》") if book_key else ""
    return f"《{book}》{type_name}" if book else ""


def needs_title(fields: list[dict[str, Any]]) -> bool:
    """Book records take their title from the book, so only other types must be given one."""
    return principal_field(fields, "book") is None
