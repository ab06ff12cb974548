"""A tiny campaign whose scores can be worked out by hand (see test_boards.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from db.access import Actor
from db.accounts import create_user
from db.engine import write_session
from db.models import ActivityRecord, ActivityType, Branch, Cadre, Campaign, ComparisonGroup, Unit
from db.targets import default_targets

PASSWORD = "a-long-enough-password"
START = dt.date(2026, 1, 1)
END = dt.date(2026, 12, 31)


@dataclass
class World:
    campaign_id: int = 0
    groups: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    cadres: dict[str, int] = field(default_factory=dict)
    branches: dict[str, int] = field(default_factory=dict)


def build_world(engine: Engine) -> World:
    """Group G1: units A (4 cadres, 2 branches), B (2 cadres), C (2 cadres); group G2: unit D."""
    world = World()
    with write_session(engine) as session:
        campaign = Campaign(code="t", name_zh="测试活动", name_en="Test", start_date=START, end_date=END)
        session.add(campaign)
        for code in ("G1", "G2"):
            group = ComparisonGroup(code=code, name_zh=code, name_en=code)
            session.add(group)
            session.flush()
            world.groups[code] = group.id
        plan = {"A": ("G1", 4, 2), "B": ("G1", 2, 1), "C": ("G1", 2, 1), "D": ("G2", 1, 1)}
        for name, (group_code, people, branch_count) in plan.items():
            unit = Unit(code=name, name_zh=f"单位{name}", name_en=f"Unit {name}", group_id=world.groups[group_code], kind="district")
            session.add(unit)
            session.flush()
            world.units[name] = unit.id
            for number in range(1, branch_count + 1):
                branch = Branch(unit_id=unit.id, name=f"{name}支部{number}")
                session.add(branch)
                session.flush()
                world.branches[f"{name.lower()}b{number}"] = branch.id
            for number in range(1, people + 1):
                cadre = Cadre(
                    unit_id=unit.id, branch_id=world.branches[f"{name.lower()}b1"], name=f"{name}{number}",
                    is_principal=number == 1, is_leader=number == 1,
                )
                session.add(cadre)
                session.flush()
                world.cadres[f"{name.lower()}{number}"] = cadre.id
        # A cadre who left: not in A's headcount, and their report does not count.
        gone = Cadre(unit_id=world.units["A"], name="A离", active=False)
        session.add(gone)
        session.flush()
        world.cadres["a_gone"] = gone.id
        world.campaign_id = campaign.id
        # The catalogue's mandatory types become the campaign's targets, all due at its end.
        default_targets(session, campaign)
    return world


def add_records(
    engine: Engine,
    world: World,
    *,
    unit: str,
    type_code: str,
    count: int = 1,
    cadre: str | None = None,
    branch: str | None = None,
    status: str = "approved",
    on: dt.date = dt.date(2026, 5, 1),
) -> None:
    with write_session(engine) as session:
        type_id = session.scalar(select(ActivityType.id).where(ActivityType.code == type_code))
        for _ in range(count):
            session.add(
                ActivityRecord(
                    campaign_id=world.campaign_id, unit_id=world.units[unit], type_id=type_id, title="t",
                    occurred_on=on, status=status, details={},
                    cadre_id=world.cadres[cadre] if cadre else None,
                    branch_id=world.branches[branch] if branch else None,
                )
            )


def add_account(engine: Engine, world: World, name: str, role: str, unit: str | None = None, cadre: str | None = None) -> Actor:
    """An account `name` with `role`, of the world's unit and cadre of those short names (PASSWORD;
    cheap hashing), as the Actor it acts as."""
    unit_id = world.units[unit] if unit else None
    cadre_id = world.cadres[cadre] if cadre else None
    user_id = create_user(username=name, display_name=name, password=PASSWORD, role=role, rounds=4,
                          unit_id=unit_id, cadre_id=cadre_id, engine=engine)
    return Actor(user_id=user_id, role=role, unit_id=unit_id, cadre_id=cadre_id)
