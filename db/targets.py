"""A campaign's mandatory targets (必做任务): read them, and make a new campaign's defaults.

The catalogue says which types are mandatory by default (activity_type.mandatory_basis/count);
a campaign copies them into campaign_target rows, where the office sets due dates and weights.
Everything that judges completion reads `campaign_targets`, never the catalogue.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.access import in_transaction
from db.models import ActivityType, Campaign, CampaignTarget


@dataclass(frozen=True)
class Target:
    id: int
    type_id: int
    type_code: str
    name_zh: str
    name_en: str
    basis: str  # core.enums.TargetBasis
    count: int
    due_on: dt.date
    weight: float


@in_transaction
def campaign_targets(session: Session, campaign_id: int) -> list[Target]:
    """The campaign's mandatory targets in the office's order."""
    rows = session.execute(
        select(CampaignTarget, ActivityType)
        .join(ActivityType, ActivityType.id == CampaignTarget.type_id)
        .where(CampaignTarget.campaign_id == campaign_id)
        .order_by(CampaignTarget.sort_order, CampaignTarget.id)
    ).all()
    return [
        Target(
            id=target.id, type_id=activity.id, type_code=activity.code, name_zh=activity.name_zh,
            name_en=activity.name_en, basis=target.basis, count=target.count, due_on=target.due_on,
            weight=target.weight,
        )
        for target, activity in rows
    ]


@in_transaction
def default_targets(
    session: Session, campaign: Campaign, due_on: dict[str, dt.date] | None = None, type_ids: set[int] | None = None
) -> list[CampaignTarget]:
    """One target per mandatory type of the catalogue (among `type_ids`, the campaign's types,
    when given), due at the campaign's end unless `due_on` names another day for a type code.
    Added to the session, not committed."""
    due_on = due_on or {}
    types = session.scalars(
        select(ActivityType)
        .where(ActivityType.mandatory_basis.is_not(None), ActivityType.active.is_(True))
        .order_by(ActivityType.sort_order)
    ).all()
    if type_ids is not None:
        types = [activity for activity in types if activity.id in type_ids]
    targets = [
        CampaignTarget(
            campaign_id=campaign.id, type_id=activity.id, basis=activity.mandatory_basis,
            count=activity.mandatory_count or 1, due_on=due_on.get(activity.code, campaign.end_date),
            weight=1.0, sort_order=order,
        )
        for order, activity in enumerate(types)
    ]
    session.add_all(targets)
    return targets
