"""Engine, sessions and schema upgrades; the same code serves SQLite and PostgreSQL.

SQLite needs care to share between many Streamlit sessions: WAL so readers never block the
writer, a busy timeout, and BEGIN IMMEDIATE for every transaction that will write, because a
deferred BEGIN that reads first and writes later fails with "database is locked" under load
instead of waiting its turn.
"""
from __future__ import annotations

import fcntl
import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.config import PROJECT_ROOT, load_settings
from db.models import AppMeta

MIGRATIONS_DIR = PROJECT_ROOT / "db" / "migrations"
DATA_VERSION_KEY = "data_version"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API object
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:  # noqa: ANN001 - SQLAlchemy Connection
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def get_engine(url: str | None = None) -> Engine:
    """One engine (and pool) per database URL for the whole process; DATABASE_URL by default."""
    return _engine_for(url or load_settings().database_url)


@functools.lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if os.environ.get("DB_STATEMENT_LOG"):
        _count_statements(engine, os.environ["DB_STATEMENT_LOG"])
    return engine


def _count_statements(engine: Engine, path: str) -> None:
    """Diagnostics for load tests: one byte per SQL query appended to `path`, so another process
    can count how many queries a crowd of viewers really costs. SQLite's explicit BEGIN (see
    _configure_sqlite) is not a query and is left out, so both databases count alike."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    @event.listens_for(engine, "before_cursor_execute")
    def count(_connection, _cursor, statement: str, *_args) -> None:  # noqa: ANN001, ANN002
        if not statement.startswith("BEGIN"):
            os.write(descriptor, b".")


# Any fixed number: the PostgreSQL advisory lock that app processes starting together share.
_FIRST_START_LOCK = 7_143_202_611
_first_start_threads = threading.Lock()


@contextmanager
def first_start_lock(engine: Engine | None = None) -> Iterator[None]:
    """One process (and one thread) at a time prepares the database: migrates it and, if it is
    empty, loads the demo. Several app processes started together on a new database would
    otherwise run the migrations or load the demo twice.

    PostgreSQL: a session-level advisory lock. SQLite: an exclusive lock on a file beside the
    database file (in-memory databases belong to one process and need none).
    """
    engine = engine or get_engine()
    with _first_start_threads:
        if is_sqlite(engine):
            database = engine.url.database
            if not database or database == ":memory:":
                yield
                return
            with open(f"{database}.start-lock", "w") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)
            return
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _FIRST_START_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _FIRST_START_LOCK})
                connection.commit()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    engine = engine or get_engine()
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction that will write: committed on success, rolled back whole on any error.

    Every write bumps the data version so that cached boards know to refresh.
    """
    engine = engine or get_engine()
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session
        bump_data_version(session)


def bump_data_version(session: Session) -> None:
    row = session.get(AppMeta, DATA_VERSION_KEY, with_for_update=True)
    if row is None:
        session.add(AppMeta(key=DATA_VERSION_KEY, value="1"))
    else:
        row.value = str(int(row.value) + 1)


def data_version(engine: Engine | None = None) -> int:
    """A number that changes whenever any write commits; cache keys include it."""
    with read_session(engine) as session:
        value = session.scalar(select(AppMeta.value).where(AppMeta.key == DATA_VERSION_KEY))
    return int(value or 0)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(engine: Engine | None = None) -> None:
    """Bring an empty or older database up to the newest schema (Alembic head)."""
    engine = engine or get_engine()
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
