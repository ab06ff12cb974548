"""开始使用 / 系统设置: how far the office has set the system up, step by step, with counts.

Each step is done or still to do, read from the data itself (nothing to tick by hand), in the
order an office goes live: organization, people, accounts, campaign, rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from core.enums import Role
from core.permissions import Action
from db.access import Actor, permits
from db.engine import read_session
from db.models import Cadre, Campaign, CampaignTarget, ComparisonGroup, RuleSet, Unit, User

STEPS = ("organization", "people", "accounts", "campaign", "rules")


@dataclass(frozen=True)
class SetupStep:
    key: str  # one of STEPS
    done: bool
    counts: dict[str, int] = field(default_factory=dict)


def _count(session, query) -> int:  # noqa: ANN001 - a Session and a select
    return int(session.scalar(query) or 0)


@permits(Action.ADMINISTER)
def setup_steps(actor: Actor | None, *, engine: Engine | None = None) -> list[SetupStep]:
    """The five steps in order, each with what is there so far."""
    with read_session(engine) as session:
        units = _count(session, select(func.count()).select_from(Unit).where(Unit.active))
        groups = _count(session, select(func.count()).select_from(ComparisonGroup))
        cadres = _count(session, select(func.count()).select_from(Cadre).where(Cadre.active))
        staffed = _count(session, select(func.count(func.distinct(Cadre.unit_id))).where(Cadre.active))
        served = _count(
            session,
            select(func.count(func.distinct(User.unit_id)))
            .join(Unit, Unit.id == User.unit_id)
            .where(User.role == Role.REPORTER, User.active, Unit.active),
        )
        accounts = _count(session, select(func.count()).select_from(User).where(User.active, User.role != Role.ADMIN))
        campaign_id = session.scalar(select(Campaign.id).where(Campaign.active).order_by(Campaign.start_date.desc()).limit(1))
        targets = _count(session, select(func.count()).select_from(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)) if campaign_id else 0
        # The rule set every new database starts with has no author; the step is done once the
        # office has published rules of its own.
        published = _count(
            session, select(func.count()).select_from(RuleSet).where(RuleSet.created_by.is_not(None), RuleSet.published_at.is_not(None))
        )
    return [
        SetupStep("organization", units > 0, {"units": units, "groups": groups}),
        SetupStep("people", cadres > 0, {"cadres": cadres, "units": staffed}),
        SetupStep("accounts", units > 0 and served >= units, {"units": units, "served": served, "accounts": accounts}),
        SetupStep("campaign", campaign_id is not None, {"campaigns": int(campaign_id is not None), "targets": targets}),
        SetupStep("rules", published > 0, {"published": published}),
    ]
