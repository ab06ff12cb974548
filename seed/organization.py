"""The demo organization: comparison groups, units, branches and cadres of xx市."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from seed.vocabulary import (
    DEPARTMENTS,
    DISTRICTS,
    DIVISIONS,
    GIVEN_CHARS,
    GROUPS,
    POSITIONS_LEADER,
    POSITIONS_STAFF,
    SURNAMES,
)

CITY_OFFICE_ID = 1


@dataclass(frozen=True)
class Scale:
    districts: int
    departments: int
    divisions: int
    cadres: int  # about this many in all
    records: int  # about this many activity records in all
    photos: int  # generated evidence pictures at the most


SCALES = {
    "small": Scale(districts=3, departments=2, divisions=2, cadres=120, records=1_500, photos=12),
    "demo": Scale(districts=8, departments=6, divisions=6, cadres=1_200, records=25_000, photos=120),
    "medium": Scale(districts=30, departments=20, divisions=12, cadres=3_000, records=100_000, photos=200),  # python -m bench --quick
    "large": Scale(districts=160, departments=90, divisions=50, cadres=10_000, records=1_000_000, photos=400),
}


@dataclass
class Organization:
    """Rows ready for bulk insert, with the facts the record generator needs."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    branches: list[dict[str, Any]] = field(default_factory=list)
    cadres: list[dict[str, Any]] = field(default_factory=list)
    engagement: dict[int, float] = field(default_factory=dict)  # how active each unit is
    cadres_by_unit: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    branches_by_unit: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _numbered(names: tuple[tuple[str, str], ...], count: int) -> list[tuple[str, str]]:
    """The first names as they are; beyond the list, numbered variants (large scale only)."""
    result = []
    for index in range(count):
        zh, en = names[index % len(names)]
        round_ = index // len(names)
        result.append((zh, en) if round_ == 0 else (f"{zh}{round_ + 1}", f"{en} {round_ + 1}"))
    return result


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def build_organization(rng: random.Random, scale: Scale) -> Organization:
    org = Organization()
    for order, (code, zh, en) in enumerate(GROUPS, start=1):
        org.groups.append({"id": order, "code": code, "name_zh": zh, "name_en": en, "sort_order": order})
    org.units.append(
        {
            "id": CITY_OFFICE_ID, "code": "city", "name_zh": "xx市委组织部", "name_en": "xx City Organization Department",
            "parent_id": None, "group_id": None, "kind": "city_office", "active": True, "sort_order": 0,
        }
    )
    # Typical sizes: a district department has a hundred or more cadres, a division a dozen.
    plan = [
        ("district", 1, [(f"{zh}委组织部", f"{en} Organization Department") for zh, en in _numbered(DISTRICTS, scale.districts)], 10.0),
        ("department", 2, [(f"{zh}组织人事处", f"{en} Personnel Division") for zh, en in _numbered(DEPARTMENTS, scale.departments)], 2.6),
        ("division", 3, [(f"市委组织部{zh}", f"City Department {en}") for zh, en in _numbered(DIVISIONS, scale.divisions)], 1.0),
    ]
    weight_total = sum(len(names) * weight for _kind, _group, names, weight in plan)
    per_weight = scale.cadres / weight_total
    unit_id = CITY_OFFICE_ID
    sizes: dict[int, tuple[int, str]] = {}
    for kind, group_id, names, weight in plan:
        for order, (zh, en) in enumerate(names, start=1):
            unit_id += 1
            org.units.append(
                {
                    "id": unit_id, "code": f"{kind}-{order:03d}", "name_zh": zh, "name_en": en,
                    "parent_id": CITY_OFFICE_ID if kind == "division" else None,
                    "group_id": group_id, "kind": kind, "active": True, "sort_order": unit_id,
                }
            )
            sizes[unit_id] = (max(6, round(per_weight * weight * rng.uniform(0.7, 1.3))), kind)
            org.engagement[unit_id] = rng.uniform(0.55, 1.35)
    _add_branches_and_cadres(rng, org, sizes)
    return org


def _add_branches_and_cadres(
    rng: random.Random, org: Organization, sizes: dict[int, tuple[int, str]]
) -> None:
    branch_id = 0
    cadre_id = 0
    for unit_id, (size, kind) in sizes.items():
        principal_title = "部长" if kind == "district" else "处长"
        branch_count = max(1, size // 18)
        unit_branches = []
        for number in range(1, branch_count + 1):
            branch_id += 1
            branch = {"id": branch_id, "unit_id": unit_id, "parent_id": None, "name": f"第{number}党支部", "kind": "branch", "active": True}
            unit_branches.append(branch)
            org.branches.append(branch)
            if size >= 24:  # larger branches split into 党小组
                for group_number in (1, 2):
                    branch_id += 1
                    org.branches.append(
                        {"id": branch_id, "unit_id": unit_id, "parent_id": branch["id"],
                         "name": f"第{number}党支部第{group_number}党小组", "kind": "group", "active": True}
                    )
        org.branches_by_unit[unit_id] = unit_branches
        people = []
        for index in range(size):
            cadre_id += 1
            principal = index == 0
            leader = principal or rng.random() < 0.12
            cadre = {
                "id": cadre_id, "unit_id": unit_id, "branch_id": rng.choice(unit_branches)["id"],
                "name": person_name(rng), "gender": rng.choice("男女"),
                "birth_year": rng.randint(1966, 1986) if leader else rng.randint(1968, 2001),
                "position": principal_title if principal else rng.choice(POSITIONS_LEADER if leader else POSITIONS_STAFF),
                "is_leader": leader, "is_principal": principal,
                # A few people have left: they stay in history but not in headcount.
                "active": principal or rng.random() > 0.02,
            }
            people.append(cadre)
            org.cadres.append(cadre)
        org.cadres_by_unit[unit_id] = people
