"""What makes an activity type and its form fields valid, so the office can add types without code.

A field is a dict: key, kind, required, and by kind choices (choice), min (int), min_len (text,
longtext); label_zh/label_en name a field the built-in labels do not know. Forms
(ui/fields.py), record validation (core/record_rules.py) and import templates
(core/import_rules.py) read the same dicts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.enums import TargetBasis

Problem = tuple[str, str, dict]
# What the editor offers for a new field: 文本, 长文本, 日期, 数字, 人员, 选项.
NEW_FIELD_KINDS = ("text", "longtext", "date", "int", "cadre", "choice")
# Also valid on the document's own types: a branch picker and a book title.
FIELD_KINDS = (*NEW_FIELD_KINDS, "branch", "book")
LEVELS = ("unit", "branch", "person")
PHOTO_RULES = ("none", "optional", "required")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Keys every record already has: a field of the same name would collide with them.
RESERVED_KEYS = frozenset({"title", "occurred_on", "photos", "type", "status", "unit", "unit_id"})
POINTS_MAX = 100.0
CHOICES_MAX = 30
MIN_LEN_MAX = 2000
FIELDS_MAX = 12
LABEL_MAX = 40


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name_zh: str
    name_en: str
    area: str
    level: str  # unit / branch / person
    default_points: float
    fields: list[dict[str, Any]] = field(default_factory=list)
    photo: str = "none"  # none / optional / required
    expected_length: int | None = None  # prose a record is expected to hold (flags far shorter ones)
    mandatory_basis: str | None = None  # the default target a new campaign starts from
    mandatory_count: int = 0
    is_study: bool = False
    active: bool = True
    sort_order: int = 0

    def evidence(self) -> dict[str, Any]:
        rules: dict[str, Any] = {} if self.photo == "none" else {"photo": self.photo}
        if self.expected_length:
            rules["expected_length"] = self.expected_length
        return rules


def clean_field(raw: dict[str, Any]) -> dict[str, Any]:
    """A field as stored: trimmed text, only the keys its kind uses."""
    kind = str(raw.get("kind") or "").strip()
    spec: dict[str, Any] = {"key": str(raw.get("key") or "").strip(), "kind": kind, "required": bool(raw.get("required", True))}
    for label in ("label_zh", "label_en"):
        text = str(raw.get(label) or "").strip()
        if text:
            spec[label] = text
    if kind == "choice":
        choices = raw.get("choices") or []
        if isinstance(choices, str):
            choices = re.split(r"[\n,,、;;]", choices)
        spec["choices"] = [str(choice).strip() for choice in choices if str(choice).strip()]
    if kind == "int" and raw.get("min") not in (None, ""):
        spec["min"] = _as_int(raw["min"])
    if kind in {"text", "longtext"} and raw.get("min_len") not in (None, "", 0):
        spec["min_len"] = _as_int(raw["min_len"])
    return spec


def _as_int(value: Any) -> Any:
    """A grid hands numbers over as floats (3.0); a whole one becomes an int, anything else stays
    as it is for validation to refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def validate_fields(fields: list[dict[str, Any]], level: str, known_labels: set[str]) -> list[Problem]:
    """Keys unique and well formed, kinds known, a choice list that offers something, labels for
    new keys, and the person or branch field that a person- or branch-level record needs."""
    problems: list[Problem] = []
    if len(fields) > FIELDS_MAX:
        problems.append(("fields", "catalogue.error.too_many_fields", {"max": FIELDS_MAX}))
    seen: set[str] = set()
    for spec in fields:
        key = spec.get("key", "")
        name = key or "?"
        if not KEY_PATTERN.match(key) or key in RESERVED_KEYS:
            problems.append(("fields", "catalogue.error.field_key", {"key": name}))
        elif key in seen:
            problems.append(("fields", "catalogue.error.duplicate_key", {"key": key}))
        seen.add(key)
        kind = spec.get("kind")
        if kind not in FIELD_KINDS:
            problems.append(("fields", "catalogue.error.unknown_kind", {"key": name, "kind": str(kind or "")}))
        if key not in known_labels and not (spec.get("label_zh") and spec.get("label_en")):
            problems.append(("fields", "catalogue.error.field_label", {"key": name}))
        if any(len(spec.get(label, "")) > LABEL_MAX for label in ("label_zh", "label_en")):
            problems.append(("fields", "catalogue.error.label_too_long", {"key": name, "max": LABEL_MAX}))
        if kind == "choice":
            choices = spec.get("choices") or []
            if not choices:
                problems.append(("fields", "catalogue.error.empty_choices", {"key": name}))
            elif len(set(choices)) != len(choices) or len(choices) > CHOICES_MAX:
                problems.append(("fields", "catalogue.error.bad_choices", {"key": name, "max": CHOICES_MAX}))
        if "min" in spec and not _whole(spec["min"], 0, 1_000_000):
            problems.append(("fields", "catalogue.error.bad_minimum", {"key": name}))
        if "min_len" in spec and not _whole(spec["min_len"], 0, MIN_LEN_MAX):
            problems.append(("fields", "catalogue.error.bad_minimum", {"key": name}))
    kinds = {spec.get("kind") for spec in fields}
    if level == "person" and "cadre" not in kinds:
        problems.append(("fields", "catalogue.error.person_field", {}))
    if level == "branch" and "branch" not in kinds:
        problems.append(("fields", "catalogue.error.branch_field", {}))
    return problems


def validate_type(spec: TypeSpec, *, taken_codes: set[str], areas: set[str], known_labels: set[str]) -> list[Problem]:
    """The whole type: code, names, area, level, points, evidence, default target and fields."""
    problems: list[Problem] = []
    if not CODE_PATTERN.match(spec.code or ""):
        problems.append(("code", "catalogue.error.code_format", {}))
    elif spec.code in taken_codes:
        problems.append(("code", "catalogue.error.code_taken", {"code": spec.code}))
    for name_field, name in (("name_zh", spec.name_zh), ("name_en", spec.name_en)):
        if not (name or "").strip() or len(name.strip()) > 80:
            problems.append((name_field, "catalogue.error.name", {"max": 80}))
    if spec.area not in areas:
        problems.append(("area", "catalogue.error.area", {}))
    if spec.level not in LEVELS:
        problems.append(("level", "catalogue.error.level", {}))
    if not isinstance(spec.default_points, int | float) or not 0 <= spec.default_points <= POINTS_MAX:
        problems.append(("default_points", "catalogue.error.points", {"max": POINTS_MAX}))
    if spec.photo not in PHOTO_RULES:
        problems.append(("photo", "catalogue.error.photo", {}))
    if spec.expected_length is not None and not _whole(spec.expected_length, 0, 20_000):
        problems.append(("expected_length", "catalogue.error.expected_length", {}))
    if spec.mandatory_basis is not None:
        if spec.mandatory_basis not in {basis.value for basis in TargetBasis}:
            problems.append(("mandatory_basis", "catalogue.error.basis", {}))
        if not _whole(spec.mandatory_count, 1, 100):
            problems.append(("mandatory_count", "catalogue.error.count", {}))
    problems += validate_fields(spec.fields, spec.level, known_labels)
    return problems
