"""Interface text: one catalogue per language, Chinese first, English second.

Each language is a folder of TOML files under locales/ (one file per feature, so that features
can be added without touching each other's text); keys are "file.key", except in common.toml,
whose keys (nav.*, status.*, error.* ...) are shared by every screen and carry no prefix. A test
proves that the languages hold the same keys.
"""
from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path

from core.clock import to_office
from core.config import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "locales"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


def _flatten(prefix: str, table: dict, into: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, into)
        else:
            into[full] = str(value)


@functools.lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / language).glob("*.toml")):
        with Path(path).open("rb") as handle:
            _flatten("" if path.stem == "common" else path.stem, tomllib.load(handle), messages)
    return messages


def translate(language: str, key: str, **params: object) -> str:
    """The message in `language`; a missing key shows itself rather than failing the page."""
    text = catalogue(language if language in LANGUAGES else DEFAULT_LANGUAGE).get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def format_date(value: dt.date | None, language: str) -> str:
    """2026年5月1日 in Chinese, ISO 8601 in English."""
    if value is None:
        return ""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def format_datetime(value: dt.datetime | None, language: str, *, seconds: bool = False) -> str:
    """A stored UTC time in the office's zone: 2026年5月1日 14:05 in Chinese, 2026-05-01 14:05 in English."""
    local = to_office(value)
    if local is None:
        return ""
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{format_date(local.date(), language)} {clock}"


def format_number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}"


def format_points(value: float | int | None) -> str:
    """Points as people write them: 1,251 for a whole number, 2.5 or 7.25 otherwise (never 8.0)."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_percent(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.{decimals}f}%"
