"""What a database needs before anyone uses it: the newest schema, the catalogue, a rule set."""
from __future__ import annotations

from sqlalchemy import Engine, func, select

from core.enums import RuleSetStatus
from core.scoring import DEFAULT_CAP
from db.access import no_actor
from db.boards import FAR_PAST
from db.catalog_defaults import ACTIVITY_TYPES
from db.engine import get_engine, read_session, upgrade_database, write_session
from db.models import ActivityType, AppMeta, Campaign, RuleSet

DEMO_KEY = "demo_data"
# One language, as the office names its own versions (migration 0017 renames the old bilingual default).
DEFAULT_RULES_NAME = "默认规则"


@no_actor
def ensure_base_data(engine: Engine | None = None) -> None:
    """Migrate, then load the catalogue and the first rule set where they are missing."""
    engine = engine or get_engine()
    upgrade_database(engine)
    with write_session(engine) as session:
        if not session.scalar(select(func.count()).select_from(ActivityType)):
            for order, spec in enumerate(ACTIVITY_TYPES):
                session.add(ActivityType(sort_order=order, **spec))
        if not session.scalar(select(func.count()).select_from(RuleSet)):
            session.add(
                RuleSet(
                    version=1,
                    name=DEFAULT_RULES_NAME,
                    status=RuleSetStatus.PUBLISHED,
                    config={
                        "points": {spec["code"]: spec["default_points"] for spec in ACTIVITY_TYPES},
                        "caps": {spec["code"]: DEFAULT_CAP for spec in ACTIVITY_TYPES},
                    },
                    published_at=func.now(),
                    # The first version is in force from the start (db.boards.rules_in_force).
                    effective_from=session.scalar(select(func.min(Campaign.start_date))) or FAR_PAST,
                )
            )


@no_actor
def has_campaign(engine: Engine | None = None) -> bool:
    with read_session(engine) as session:
        return bool(session.scalar(select(func.count()).select_from(Campaign)))


@no_actor
def is_demo(engine: Engine | None = None) -> bool:
    with read_session(engine) as session:
        return session.get(AppMeta, DEMO_KEY) is not None
