"""What a starting app process does to its database: migrate it, and load the demo if it is empty.

Several processes may start at once on a new database (a deployment behind a load balancer):
the first-start lock lets one of them migrate and load the demo while the others wait, then
find the work done.
"""
from __future__ import annotations

from sqlalchemy import Engine

from core.config import Settings
from db.bootstrap import ensure_base_data, has_campaign
from db.engine import first_start_lock, get_engine
from seed.demo import seed_demo


def prepare_database(settings: Settings, engine: Engine | None = None) -> None:
    engine = engine or get_engine(settings.database_url)
    with first_start_lock(engine):
        ensure_base_data(engine)
        if settings.demo_autoload and not has_campaign(engine):
            seed_demo(scale=settings.demo_scale, seed=settings.demo_seed, engine=engine)
