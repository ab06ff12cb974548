"""What a starting app process does to its database: migrate it, and load the demo if it is empty.

Several processes may start at once on a new database (a deployment behind a load balancer):
the first-start lock lets one of them migrate and load the demo while the others wait, then
find the work done. With DEMO_AUTOLOAD=false nothing of the demo is ever loaded; and even with
it on, the demo goes only into a database that holds nothing of an office's own (no campaign,
unit or account), so an office that forgot the setting never finds invented data in its system.
"""
from __future__ import annotations

from sqlalchemy import Engine, func, select

from core.config import Settings
from db.bootstrap import ensure_base_data
from db.engine import first_start_lock, get_engine, read_session
from db.models import Campaign, Unit, User
from seed.demo import seed_demo


def is_empty(engine: Engine) -> bool:
    """Nothing of an office's own yet: no campaign, no unit, no account."""
    with read_session(engine) as session:
        return not any(session.scalar(select(func.count()).select_from(model)) for model in (Campaign, Unit, User))


def prepare_database(settings: Settings, engine: Engine | None = None) -> None:
    engine = engine or get_engine(settings.database_url)
    with first_start_lock(engine):
        ensure_base_data(engine)
        if settings.demo_autoload and is_empty(engine):
            seed_demo(scale=settings.demo_scale, seed=settings.demo_seed, engine=engine)
