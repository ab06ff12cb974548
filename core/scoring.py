"""Scoring rules and ranking, free of the database so they can be checked by hand.

A rule set gives points per activity type (the catalogue's defaults unless overridden) and a
cap: at most this many records of a type count per person (or, for unit-level records, per
unit) in one period, so that a hundred tiny entries cannot beat real work.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

DEFAULT_CAP = 12


@dataclass(frozen=True)
class ScoringRules:
    version: int
    points: dict[str, float]
    caps: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_config(cls, version: int, config: dict[str, Any], defaults: dict[str, float]) -> ScoringRules:
        points = {code: float(config.get("points", {}).get(code, default)) for code, default in defaults.items()}
        caps = {code: int(config.get("caps", {}).get(code, DEFAULT_CAP)) for code in defaults}
        return cls(version=version, points=points, caps=caps)

    def cap_for(self, code: str) -> int:
        return self.caps.get(code, DEFAULT_CAP)


def per_capita(total: float, headcount: int) -> float | None:
    """Points per active cadre; None where a unit has nobody to divide by."""
    return total / headcount if headcount else None


def completion_rate(done: int, required: int) -> float | None:
    return done / required if required else None


T = TypeVar("T")


def competition_ranks(items: Sequence[T], key: Callable[[T], float | None]) -> list[int]:
    """Ranks in the items' order, best first by key: equal values share a rank (1, 2, 2, 4).

    Items must already be sorted by key descending; None sorts last and ranks last together.
    """
    ranks: list[int] = []
    previous: object = object()
    for position, item in enumerate(items, start=1):
        value = key(item)
        if ranks and value == previous:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
        previous = value
    return ranks
