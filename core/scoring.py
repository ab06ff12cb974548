"""Scoring rules and ranking, free of the database so they can be checked by hand.

A rule set (one version of the office's scoring rules) gives:
- points per activity type (the catalogue's defaults unless overridden);
- a cap per type: at most this many records of a type count per person in one period (records
  without a person count as one "person" per unit), so that a hundred tiny entries cannot beat
  real work; and optionally a cap per unit per type per period on top of that;
- bonuses for what the office values beyond the record itself (a featured study record, an
  adopted suggestion, a solved problem);
- the weights of the composite index (综合指数): a weighted mean of components scaled to 0-100.

Missing keys in a stored config mean the defaults below, so older rule sets keep working.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

DEFAULT_CAP = 12
BONUS_KINDS = ("featured_note", "adopted_suggestion", "solved_problem")
DEFAULT_BONUSES = {"featured_note": 3.0, "adopted_suggestion": 2.0, "solved_problem": 1.0}
COMPONENTS = ("per_capita", "completion", "survey")
DEFAULT_WEIGHTS = {"per_capita": 50.0, "completion": 30.0, "survey": 20.0}
METRICS = ("per_capita", "points", "completion", "composite")
# Limits a draft must respect; generous, but they stop a typo (8000 points) from reaching a board.
MAX_POINTS = 1000.0
MAX_CAP = 1000
MAX_WEIGHT = 1000.0


@dataclass(frozen=True)
class ScoringRules:
    version: int
    points: dict[str, float]
    caps: dict[str, int] = field(default_factory=dict)
    unit_caps: dict[str, int] = field(default_factory=dict)  # only the types that have one
    bonuses: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_BONUSES))
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    @classmethod
    def from_config(cls, version: int, config: Mapping[str, Any], defaults: Mapping[str, float]) -> ScoringRules:
        """The rules of a stored config; `defaults` are the catalogue's points per type code."""
        points = {code: float(config.get("points", {}).get(code, default)) for code, default in defaults.items()}
        caps = {code: int(config.get("caps", {}).get(code, DEFAULT_CAP)) for code in defaults}
        unit_caps = {
            code: int(cap) for code, cap in (config.get("unit_caps") or {}).items() if code in defaults and cap
        }
        bonuses = {kind: float((config.get("bonuses") or {}).get(kind, DEFAULT_BONUSES[kind])) for kind in BONUS_KINDS}
        weights = {name: float((config.get("weights") or {}).get(name, DEFAULT_WEIGHTS[name])) for name in COMPONENTS}
        return cls(version=version, points=points, caps=caps, unit_caps=unit_caps, bonuses=bonuses, weights=weights)

    def to_config(self) -> dict[str, Any]:
        """The JSON that stores these rules (every key written out, so a version never drifts)."""
        return {
            "points": dict(self.points),
            "caps": dict(self.caps),
            "unit_caps": dict(self.unit_caps),
            "bonuses": dict(self.bonuses),
            "weights": dict(self.weights),
        }

    def cap_for(self, code: str) -> int:
        return self.caps.get(code, DEFAULT_CAP)

    def unit_cap_for(self, code: str) -> int | None:
        return self.unit_caps.get(code)


def validate_config(config: Mapping[str, Any], codes: Iterable[str]) -> list[tuple[str, str, dict]]:
    """Problems of a rule-set config as (field, message key, params); empty when it can be saved."""
    problems: list[tuple[str, str, dict]] = []
    known = set(codes)

    def number(section: str, key: str, value: Any, maximum: float, *, integer: bool = False, minimum: float = 0) -> None:
        name = f"{section}.{key}"
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append((name, "rules.problem.not_number", {}))
        elif integer and int(value) != value:
            problems.append((name, "validation.not_integer", {}))
        elif not minimum <= value <= maximum:
            problems.append((name, "validation.out_of_range", {"min": minimum, "max": maximum}))

    for section in ("points", "caps", "unit_caps", "bonuses", "weights"):
        value = config.get(section, {})
        if not isinstance(value, Mapping):
            problems.append((section, "rules.problem.not_number", {}))
    if problems:
        return problems
    for section in ("points", "caps", "unit_caps"):
        for code in config.get(section, {}):
            if code not in known:
                problems.append((f"{section}.{code}", "rules.problem.unknown", {}))
    for code, value in config.get("points", {}).items():
        number("points", code, value, MAX_POINTS)
    for code, value in config.get("caps", {}).items():
        number("caps", code, value, MAX_CAP, integer=True, minimum=1)
    for code, value in config.get("unit_caps", {}).items():
        if value is not None:
            number("unit_caps", code, value, MAX_CAP, integer=True, minimum=1)
    for kind, value in config.get("bonuses", {}).items():
        if kind not in BONUS_KINDS:
            problems.append((f"bonuses.{kind}", "rules.problem.unknown", {}))
        else:
            number("bonuses", kind, value, MAX_POINTS)
    weights = config.get("weights", {})
    for name, value in weights.items():
        if name not in COMPONENTS:
            problems.append((f"weights.{name}", "rules.problem.unknown", {}))
        else:
            number("weights", name, value, MAX_WEIGHT)
    if not problems and weights and sum(float(v) for v in weights.values()) <= 0:
        problems.append(("weights", "rules.problem.weights_zero", {}))
    return problems


class TypeScore(NamedTuple):
    """One activity type's contribution to a score: what was approved, what counted, its points.
    A named tuple, not a frozen dataclass: a board makes one per unit and type (5,600 at 300
    units), and a frozen dataclass takes three times as long to make."""

    code: str
    records: int  # approved records in the period
    person_capped: int  # after the per-person cap
    counted: int  # after the per-unit cap as well
    points_each: float
    points: float

    @property
    def capped_away(self) -> int:
        return self.records - self.counted


def type_scorer(rules: ScoringRules, *, unit_cap: bool = True) -> Callable[[str, int, int], TypeScore]:
    """What scores a type's line under `rules`: score(code, records, person_capped), its points
    from the record count after the per-person cap (done in SQL), and after the cap per unit
    unless `unit_cap` is False (a person has none). The rules are looked up once, not once per
    line: a whole-campaign board at 1,000,000 records scores 5,600 units and types."""
    limits = rules.unit_caps if unit_cap else {}
    points = rules.points

    def score(code: str, records: int, person_capped: int) -> TypeScore:
        limit = limits.get(code)
        counted = person_capped if limit is None else min(person_capped, limit)
        each = points.get(code, 0.0)
        return TypeScore(code, records, person_capped, counted, each, counted * each)

    return score


def types_by_cap(caps: Mapping[int, int]) -> dict[int, list[int]]:
    """Type ids grouped by their cap (type id -> cap): types sharing a cap share one branch of a
    SQL CASE, or one range of an index."""
    grouped: dict[int, list[int]] = {}
    for type_id, cap in caps.items():
        grouped.setdefault(cap, []).append(type_id)
    return grouped


def bonus_points(counts: Mapping[str, int], rules: ScoringRules) -> dict[str, float]:
    return {kind: counts.get(kind, 0) * rules.bonuses.get(kind, 0.0) for kind in BONUS_KINDS}


def per_capita(total: float, headcount: int) -> float | None:
    """Points per active cadre; None where a unit has nobody to divide by."""
    return total / headcount if headcount else None


@dataclass(frozen=True)
class Composite:
    """A unit's composite index with the normalised components it was made of (all 0-100)."""

    value: float
    components: dict[str, float | None]  # None: the unit has no figure for it
    weights: dict[str, float] = field(default_factory=dict)  # the shares this unit's index used


def composite_indices(
    rows: Sequence[Mapping[str, float | None]], weights: Mapping[str, float]
) -> tuple[list[Composite], dict[str, float]]:
    """Composite index of each row of raw figures (per_capita, completion 0-1, survey 0-100).

    Per-capita points are scaled so that the best of the rows is 100; completion becomes a
    percentage; the survey average is already 0-100. The index is the weighted mean of the
    components. A component that no row has (say, no survey overlaps the period) is left out for
    everyone and the other weights share its part. The survey counts only where it exists: a
    row without one is the weighted mean of its other components (their weights share the
    survey's part for that row), since a unit not surveyed has no result, not a result of 0; a
    row missing per capita or completion while others have it gets 0 for it. Returns the
    indices and the weights used where every component is present (summing to 1).
    """
    best = max((row.get("per_capita") or 0.0 for row in rows), default=0.0)
    normalised: list[dict[str, float | None]] = []
    for row in rows:
        share = row.get("per_capita")
        done = row.get("completion")
        normalised.append(
            {
                "per_capita": (100.0 * share / best if best > 0 else 0.0) if share is not None else None,
                "completion": 100.0 * done if done is not None else None,
                "survey": row.get("survey"),
            }
        )
    present = [name for name in COMPONENTS if any(item[name] is not None for item in normalised)]
    used = _shares(weights, present)
    result = []
    for item in normalised:
        own = used if item["survey"] is not None or "survey" not in used else _shares(weights, [n for n in present if n != "survey"])
        result.append(Composite(round(sum(share * (item[name] or 0.0) for name, share in own.items()), 6), item, own))
    return result, used


def _shares(weights: Mapping[str, float], names: Sequence[str]) -> dict[str, float]:
    total = sum(max(0.0, float(weights.get(name, 0.0))) for name in names)
    return {name: max(0.0, float(weights.get(name, 0.0))) / total for name in names} if total > 0 else {}


T = TypeVar("T")


def has_rank(value: float | None) -> bool:
    """Whether a figure earns a place: nothing (None) or nothing yet (zero or less) is not a rank,
    so a board where nobody has scored ranks nobody and a tie at zero is no tie."""
    return value is not None and value > 0


def competition_ranks(items: Sequence[T], key: Callable[[T], float | None]) -> list[int | None]:
    """Ranks in the items' order, best first by key: equal values share a rank (1, 2, 2, 4).

    Items must already be sorted by key descending, those without a rank (see has_rank) last;
    they get None.
    """
    ranks: list[int | None] = []
    previous: object = object()
    for position, item in enumerate(items, start=1):
        value = key(item)
        if not has_rank(value):
            ranks.append(None)
        elif ranks and value == previous:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
        previous = value
    return ranks


def tied_ranks(ranks: Sequence[int | None]) -> list[bool]:
    """Which of these ranks are shared with another item (no rank is shared with nobody)."""
    counts: dict[int, int] = {}
    for rank in ranks:
        if rank is not None:
            counts[rank] = counts.get(rank, 0) + 1
    return [rank is not None and counts[rank] > 1 for rank in ranks]


def rank_change(previous_rank: int | None, rank: int | None) -> int | None:
    """Places gained since the previous period (positive = moved up); None without both ranks."""
    return previous_rank - rank if previous_rank is not None and rank is not None else None


def median(values: Iterable[float | None]) -> float | None:
    present = sorted(value for value in values if value is not None)
    if not present:
        return None
    middle = len(present) // 2
    return present[middle] if len(present) % 2 else (present[middle - 1] + present[middle]) / 2
