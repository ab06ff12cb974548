"""What a starting app process does to its database: migrate it, and load the demo if it is empty.

Several processes may start at once on a new database (a deployment behind a load balancer):
the first-start lock lets one of them migrate and load the demo while the others wait, then
find the work done. With DEMO_AUTOLOAD=false nothing of the demo is ever loaded; and even with
it on, the demo goes only into a database that holds nothing of an office's own (no campaign,
unit or account), so an office that forgot the setting never finds invented data in its system.

FirstStart runs the same preparation in a background thread and says how far it got, so the
first visit sees a progress bar instead of a page that seems to hang.
"""
from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select

from core import heap
from core.config import Settings
from db.bootstrap import ensure_base_data
from db.engine import first_start_lock, get_engine, read_session
from db.models import Campaign, Unit, User
from seed.demo import Progress, seed_demo

# Shares of the bar: the schema first, the records most of the way, the gallery's likes last.
_SCHEMA_SHARE, _RECORDS_SHARE = 0.05, 0.85


def is_empty(engine: Engine) -> bool:
    """Nothing of an office's own yet: no campaign, no unit, no account."""
    with read_session(engine) as session:
        return not any(session.scalar(select(func.count()).select_from(model)) for model in (Campaign, Unit, User))


def prepare_database(settings: Settings, engine: Engine | None = None, progress: Progress | None = None) -> None:
    engine = engine or get_engine(settings.database_url)
    with first_start_lock(engine):
        ensure_base_data(engine)
        if settings.demo_autoload and is_empty(engine):
            seed_demo(scale=settings.demo_scale, seed=settings.demo_seed, engine=engine, progress=progress)


class FirstStart:
    """prepare_database in a background thread; `fraction` (0..1) says how far it got."""

    def __init__(self, settings: Settings) -> None:
        self.fraction = 0.0
        self.error: BaseException | None = None
        self.finished = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(settings,), name="first-start", daemon=True)
        self._thread.start()

    def _run(self, settings: Settings) -> None:
        try:
            prepare_database(settings, progress=self._progress)
            heap.settle()
        except BaseException as error:  # handed to the page that waits, which shows it
            self.error = error
        finally:
            self.fraction = 1.0
            self.finished.set()

    def _progress(self, label: str, done: int, total: int) -> None:
        if label == "records" and total:
            self.fraction = _SCHEMA_SHARE + _RECORDS_SHARE * min(1.0, done / total)
        else:
            self.fraction = max(self.fraction, _SCHEMA_SHARE)
