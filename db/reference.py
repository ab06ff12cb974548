"""Reference data the screens choose from: campaign, groups, units, the catalogue, a unit's people."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.permissions import Action
from db.access import Actor, PermissionDenied, in_transaction, permits, public_read
from db.engine import read_session
from db.models import ActivityType, Branch, Cadre, Campaign, ComparisonGroup, Unit
from db.records import active_campaign


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name_zh: str
    name_en: str
    start_date: dt.date
    end_date: dt.date


@public_read
def campaign(engine: Engine | None = None) -> CampaignInfo | None:
    with read_session(engine) as session:
        found: Campaign | None = active_campaign(session)
        if found is None:
            return None
        return CampaignInfo(found.id, found.name_zh, found.name_en, found.start_date, found.end_date)


@in_transaction
def active_groups(session: Session) -> list[ComparisonGroup]:
    """The groups units are ranked in, in the office's order: every choice of groups reads these,
    so a deactivated group leaves the boards, the presenter and the filters at once."""
    return list(session.scalars(
        select(ComparisonGroup).where(ComparisonGroup.active.is_(True)).order_by(ComparisonGroup.sort_order, ComparisonGroup.id)
    ))


@public_read
def groups(engine: Engine | None = None) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        rows = active_groups(session)
        return [{"id": g.id, "code": g.code, "name_zh": g.name_zh, "name_en": g.name_en} for g in rows]


@public_read
def units(engine: Engine | None = None) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        rows = session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order)).all()
        return [
            {"id": u.id, "code": u.code, "name_zh": u.name_zh, "name_en": u.name_en, "group_id": u.group_id}
            for u in rows
        ]


@public_read
def activity_types(engine: Engine | None = None) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        rows = session.scalars(
            select(ActivityType).where(ActivityType.active.is_(True)).order_by(ActivityType.sort_order)
        ).all()
        return [
            {
                "id": a.id, "code": a.code, "name_zh": a.name_zh, "name_en": a.name_en, "area": a.area,
                "level": a.level, "default_points": a.default_points, "fields": a.fields,
                "evidence": a.evidence, "mandatory_basis": a.mandatory_basis, "is_study": a.is_study,
            }
            for a in rows
        ]


@permits(Action.READ_UNIT)
def unit_people(actor: Actor | None, unit_id: int, engine: Engine | None = None) -> dict[str, list[dict[str, Any]]]:
    """A unit's active cadres and branches, for its own entry forms only."""
    if actor is None or not actor.can_read_unit(unit_id):
        raise PermissionDenied("error.other_unit")
    with read_session(engine) as session:
        cadres = session.execute(
            select(Cadre.id, Cadre.name, Cadre.position, Cadre.is_principal)
            .where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
            .order_by(Cadre.is_principal.desc(), Cadre.name)
        ).all()
        branches = session.execute(
            select(Branch.id, Branch.name, Branch.kind)
            .where(Branch.unit_id == unit_id, Branch.active.is_(True))
            .order_by(Branch.id)
        ).all()
    return {
        "cadres": [dict(row._mapping) for row in cadres],
        "branches": [dict(row._mapping) for row in branches],
    }
