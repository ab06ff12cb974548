"""Turning what people type (in a spreadsheet or the bulk grid) into record values: pure rules.

People write names, not ids; choices by their Chinese text; dates in many shapes. Each cell
converts on its own and every problem is kept with its row and column, so that a person can
fix a whole file in one pass instead of meeting one problem per upload.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Excel serial day numbers that are plausible campaign dates (about 1982 to 2119): a bare number
# outside this range is far more likely a typing slip than a date.
SERIAL_MIN, SERIAL_MAX = 30_000, 80_000
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗"})
YES, NO = "是", "否"


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong with an uploaded file or grid: where (row, column key) and what (message key)."""

    row: int | None
    column: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def warning_key(problem: CellProblem) -> tuple:
    """What identifies a warning the person saw: where, what, and its particulars."""
    return (problem.row, problem.column, problem.key, tuple(sorted((name, str(value)) for name, value in problem.params.items())))


def unconfirmed(found: Sequence[CellProblem], confirmed: Sequence[CellProblem]) -> list[CellProblem]:
    """The warnings found now that the person did not see and confirm: a save may go ahead only
    when there are none (rows edited after the confirmation bring new ones)."""
    seen = {warning_key(problem) for problem in confirmed}
    return [problem for problem in found if warning_key(problem) not in seen]


@dataclass(frozen=True)
class Column:
    """A column of a template: its field key, Chinese and English headers and value kind.

    kind: title, date, text, longtext, book, int, choice, cadre, branch, bool, year.
    """

    key: str
    label_zh: str
    label_en: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    min_len: int = 0


@dataclass
class Directory:
    """A unit's people and branches, looked up by what a person would type."""

    cadre_labels: dict[int, str] = field(default_factory=dict)
    cadre_names: dict[int, str] = field(default_factory=dict)
    branch_names: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_label = {label: ident for ident, label in self.cadre_labels.items()}
        self._by_name: dict[str, list[int]] = {}
        for ident, name in self.cadre_names.items():
            self._by_name.setdefault(name, []).append(ident)
        self._branch_by_name = {name: ident for ident, name in self.branch_names.items()}

    def cadre(self, text: str) -> tuple[int | None, tuple[str, dict[str, Any]] | None]:
        if text in self._by_label:
            return self._by_label[text], None
        matches = self._by_name.get(text, [])
        if len(matches) == 1:
            return matches[0], None
        if matches:
            examples = "、".join(self.cadre_labels[ident] for ident in matches[:3])
            return None, ("imports.ambiguous_person", {"name": text, "count": len(matches), "examples": examples})
        return None, ("imports.unknown_person", {"name": text})

    def branch(self, text: str) -> tuple[int | None, tuple[str, dict[str, Any]] | None]:
        if text in self._branch_by_name:
            return self._branch_by_name[text], None
        return None, ("imports.unknown_branch", {"name": text})


def person_labels(cadres: Iterable[dict[str, Any]]) -> dict[int, str]:
    """A label per cadre that tells namesakes apart: the name, else name(position), else name(编号id)."""
    rows = list(cadres)
    names = Counter(row["name"] for row in rows)
    with_position = Counter((row["name"], row.get("position") or "") for row in rows)
    labels = {}
    for row in rows:
        name, position = row["name"], row.get("position") or ""
        if names[name] == 1:
            labels[row["id"]] = name
        elif position and with_position[(name, position)] == 1:
            labels[row["id"]] = f"{name}({position})"
        else:
            labels[row["id"]] = f"{name}(编号{row['id']})"
    return labels


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number or text such as 2026-05-01, 2026/5/1, 2026年5月1日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if SERIAL_MIN <= value <= SERIAL_MAX and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    text = str(value).strip()
    for candidate in (text, text.replace(" ", "")):
        for pattern in _DATE_PATTERNS:
            if match := pattern.match(candidate):
                try:
                    return dt.date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    return None
    return None


def parse_int(value: Any) -> int | None:
    """A whole number from a number cell or text such as '12' or '1,200'; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip().replace(",", "").replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0+", text):
        return int(float(text))
    return None


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def as_text(value: Any) -> str:
    """Cell text as a person sees it: 12 rather than 12.0, a date as 2026-05-01."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def convert_cell(column: Column, value: Any, directory: Directory | None = None) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
    """One cell's value in the form the data layer validates, or the problem with it.

    Blank cells come back as None; whether they may be blank is decided by the record rules.
    """
    if is_blank(value):
        return None, None
    kind = column.kind
    if kind == "date":
        parsed = parse_date(value)
        return (parsed, None) if parsed else (None, ("imports.bad_date", {"value": as_text(value)}))
    if kind in {"int", "year"}:
        parsed = parse_int(value)
        return (parsed, None) if parsed is not None else (None, ("validation.not_integer", {}))
    if kind == "bool":
        parsed = parse_bool(value)
        return (parsed, None) if parsed is not None else (None, ("imports.bad_bool", {"value": as_text(value)}))
    text = as_text(value)
    if kind == "cadre" and directory is not None:
        return directory.cadre(text)
    if kind == "branch" and directory is not None:
        return directory.branch(text)
    if kind == "choice" and column.choices and text not in column.choices:
        return None, ("validation.bad_choice", {"choices": "、".join(column.choices)})
    return text, None


def convert_row(
    columns: list[Column], values: dict[str, Any], row: int, directory: Directory | None = None
) -> tuple[dict[str, Any], list[CellProblem]]:
    """All cells of one row converted; problems carry the row number and column key."""
    converted: dict[str, Any] = {}
    problems: list[CellProblem] = []
    for column in columns:
        value, problem = convert_cell(column, values.get(column.key), directory)
        if problem:
            problems.append(CellProblem(row, column.key, problem[0], problem[1]))
        else:
            converted[column.key] = value
    return converted, problems


def row_is_empty(values: dict[str, Any]) -> bool:
    return all(is_blank(value) for value in values.values())


# --- roster keys and cells written back to Excel -------------------------------------------------

# 18-character resident ID (身份证): kept only as a hash, never as the number itself.
_RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")
PERSON_CODE_MAX = 40
# A cell starting with one of these is a formula (or DDE payload) to a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def person_code(value: Any) -> tuple[str | None, tuple[str, dict[str, Any]] | None]:
    """The stable key of a person (工号 or the office's code, or a 身份证 number turned into its
    hash), or the problem with it. Blank is None: the key is optional.

    A resident ID is hashed so that the database never holds the number; the same number typed
    again gives the same key, so re-importing a roster that carries ID numbers still matches."""
    if is_blank(value):
        return None, None
    text = as_text(value).replace(" ", "")
    if _RESIDENT_ID.match(text):
        return "ID-" + hashlib.sha256(text.upper().encode()).hexdigest()[:32], None
    if len(text) > PERSON_CODE_MAX:
        return None, ("validation.too_long", {"max": PERSON_CODE_MAX})
    return text, None


def starts_like_formula(value: Any) -> bool:
    """A text that a spreadsheet would run as a formula if it were written as an ordinary cell."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def likely_duplicate_key(occurred_on: dt.date | None, cadre_id: int | None, title: str | None) -> tuple:
    """What makes two records of one unit and type likely the same activity: the same date and
    the same person, or, for records that name nobody, the same date and title. The review
    queue's 'duplicate' flag asks the same in SQL (db/record_queries._duplicate)."""
    return (occurred_on, "person", cadre_id) if cadre_id is not None else (occurred_on, "title", (title or "").strip())


def repeated_rows(keys: Iterable[tuple[int, tuple]]) -> list[CellProblem]:
    """A warning for every row whose likely-duplicate key an earlier row already has, naming
    that earlier row (rows of one file or grid, of one unit and type)."""
    first: dict[tuple, int] = {}
    warnings = []
    for row, key in keys:
        if key in first:
            warnings.append(CellProblem(row, None, "imports.duplicate_in_file", {"row": row, "first": first[key]}))
        else:
            first[key] = row
    return warnings


def content_hash(raw: bytes) -> str:
    """The fingerprint of an uploaded file, to recognise the same file imported again."""
    return hashlib.sha256(raw).hexdigest()
