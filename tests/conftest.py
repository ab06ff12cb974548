"""Test databases: SQLite by default, PostgreSQL when TEST_DATABASE_URL points at one.

The demo (small scale) is seeded once per run into the shared database, which DATABASE_URL then
names, so that pages under AppTest read it too. Tests that need exact figures get a fresh, empty
database of the same kind from `fresh_engine`.
"""
from __future__ import annotations

import itertools
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

_TMP = Path(tempfile.mkdtemp(prefix="excellence-tests-"))
_counter = itertools.count()


def migrate(connection: Connection, revision: str) -> None:
    """Upgrade the database of `connection` to `revision` inside its transaction (Alembic's
    relative ids work: "0022_summaries-1" is the revision before that one)."""
    from alembic import command

    from db.engine import alembic_config

    config = alembic_config(connection.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _new_database_url() -> str:
    """A new, empty database of the kind under test."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{_TMP}/db-{next(_counter)}.sqlite"
    url = make_url(base)
    name = f"eb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _created_databases.append(name)
    return url.set(database=name).render_as_string(hide_password=False)


_created_databases: list[str] = []

# Everything that calls get_engine() without a URL (pages, commands) uses the shared test database.
SHARED_URL = _new_database_url()
os.environ["DATABASE_URL"] = SHARED_URL
os.environ["DEMO_SCALE"] = "small"
os.environ.setdefault("DEMO_SEED", "2010")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from db.engine import _engine_for

    _engine_for(SHARED_URL).dispose()
    base = os.environ.get("TEST_DATABASE_URL")
    if not base or not _created_databases:
        return
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in _created_databases:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def demo_engine() -> Engine:
    """The shared database with the small demo loaded (once per run)."""
    from db.engine import get_engine
    from seed.demo import seed_demo

    engine = get_engine(SHARED_URL)
    seed_demo(scale="small", seed=2010, engine=engine)
    return engine


@pytest.fixture
def fresh_engine() -> Iterator[Engine]:
    """An empty database with the schema, catalogue and default rules, for exact expectations."""
    from db.bootstrap import ensure_base_data
    from db.engine import get_engine

    engine = get_engine(_new_database_url())
    ensure_base_data(engine)
    yield engine
    engine.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests against a running server (browser journeys, the load test) last: they then run after
    every in-process AppTest, which keeps the two kinds of test from sharing a process state."""
    items.sort(key=lambda item: any(item.get_closest_marker(name) for name in ("browser", "load")))


@pytest.fixture(autouse=True)
def _working_directory_is_the_project() -> None:
    """Streamlit resolves st.page_link paths through os.getcwd(); in one clean-clone CI run on
    PostgreSQL that call failed (FileNotFoundError) for the AppTests, so every test starts from
    the project root whatever ran before it."""
    os.chdir(Path(__file__).resolve().parent.parent)
