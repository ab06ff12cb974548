"""Two app processes starting together on a new database: one migrates and loads the demo, the
other waits and finds it done (PostgreSQL advisory lock, or a lock file beside SQLite's file)."""
import os
import subprocess
import sys

from sqlalchemy import func, select

from core.config import PROJECT_ROOT
from db.engine import get_engine, read_session
from db.models import Campaign, Unit
from tests.conftest import _new_database_url

PREPARE = "from core.config import load_settings; from seed.first_start import prepare_database; prepare_database(load_settings())"


def test_two_processes_starting_together_load_the_demo_once():
    database_url = _new_database_url()
    env = dict(os.environ, DATABASE_URL=database_url, DEMO_AUTOLOAD="true", DEMO_SCALE="small")
    starts = [
        subprocess.Popen([sys.executable, "-c", PREPARE], cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [process.communicate(timeout=300)[1] for process in starts]
    assert [process.returncode for process in starts] == [0, 0], errors
    with read_session(get_engine(database_url)) as session:
        assert session.scalar(select(func.count()).select_from(Campaign)) == 1
        units = session.scalars(select(Unit.name_zh)).all()
    assert len(units) == len(set(units)) > 0  # one organisation, not two


def test_the_first_start_loads_the_demo_in_the_background_and_reports_progress():
    import dataclasses

    from core.config import load_settings
    from seed.first_start import FirstStart

    database_url = _new_database_url()
    settings = dataclasses.replace(load_settings(), database_url=database_url, demo_autoload=True, demo_scale="small")
    seen = []
    preparation = FirstStart(settings)
    while not preparation.finished.wait(0.05):
        seen.append(preparation.fraction)
    assert preparation.error is None and preparation.fraction == 1.0
    assert seen == sorted(seen)  # the bar only moves forward
    with read_session(get_engine(database_url)) as session:
        assert session.scalar(select(func.count()).select_from(Campaign)) == 1


def test_a_first_start_that_fails_hands_its_error_to_the_page():
    import dataclasses

    from core.config import load_settings
    from seed.first_start import FirstStart

    settings = dataclasses.replace(load_settings(), database_url="sqlite:////proc/no-such-dir/excellence.db")
    preparation = FirstStart(settings)
    assert preparation.finished.wait(60)
    assert preparation.error is not None


SETTLE = """
import dataclasses, gc
from core import heap
from core.config import load_settings
from seed.first_start import FirstStart
preparation = FirstStart(dataclasses.replace(load_settings(), demo_autoload=False))
assert preparation.finished.wait(120) and preparation.error is None, preparation.error
frozen = gc.get_freeze_count()
kept = [[number] for number in range(1000)]
heap.settle()
print(frozen, gc.get_freeze_count())
"""


def test_a_finished_first_start_keeps_what_the_process_started_with_out_of_the_collectors_scans():
    """core.heap: the modules and what the start prepared are frozen once; a later call freezes nothing more."""
    env = dict(os.environ, DATABASE_URL=_new_database_url())
    done = subprocess.run([sys.executable, "-c", SETTLE], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    frozen, after_second_call = map(int, done.stdout.split())
    assert frozen > 10_000  # SQLAlchemy's, the models', the catalogue's objects
    assert after_second_call == frozen
