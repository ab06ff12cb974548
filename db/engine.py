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
from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FromClause, Join

from core.config import PROJECT_ROOT, load_settings
from db.access import no_actor
from db.data_versions import WRITTEN_TABLES_OPTION, Area, bump, read_versions, record_written_table, written_areas

MIGRATIONS_DIR = PROJECT_ROOT / "db" / "migrations"
# PostgreSQL's advisory lock that queues writers: the one the summaries' triggers take before
# they move a summary row (record_tally_serialize, migration 0022_summaries; 0027 on study_record,
# 0028 on suggestion and problem).
WRITERS_LOCK = 20221130


# On every engine, not only those made here: a write through an engine a test or a script made
# itself must move the data versions too (it acts only inside write_session's transactions).
event.listen(Engine, "before_execute", record_written_table)


class LeftFirstJoin(Join):
    """An inner join whose left table SQLite reads first: rendered CROSS JOIN there, which its
    planner never reorders (https://sqlite.org/optoverview.html#manctrl); a plain JOIN elsewhere."""

    inherit_cache = True

    def __init__(self, left: Table, right: FromClause, onclause: ColumnElement[bool]) -> None:
        if not isinstance(left, Table):
            raise TypeError("the left side is a table, so that the first JOIN rendered is this one")
        super().__init__(left, right, onclause)


class _SQLiteHintCompiler(SQLiteCompiler):
    """SQLite's compiler, rendering a statement's table hints (`with_hint(table, "INDEXED BY
    ix", dialect_name="sqlite")`), which SQLAlchemy's leaves out, and LeftFirstJoin: where
    SQLite would rather read a summary in key order to save a sort, or every record to find a
    few notes, a hint makes it read the few rows an index finds."""

    def get_from_hint_text(self, table, text: str) -> str:  # noqa: ANN001 - a FROM clause
        return text

    def visit_join(self, join, **kwargs) -> str:  # noqa: ANN001, ANN003 - SQLAlchemy's compiler hook
        rendered = super().visit_join(join, **kwargs)
        return rendered.replace(" JOIN ", " CROSS JOIN ", 1) if isinstance(join, LeftFirstJoin) else rendered


def _configure_sqlite(engine: Engine) -> None:
    engine.dialect.statement_compiler = _SQLiteHintCompiler

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


@no_actor
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
        _configure_postgresql(engine)
    if os.environ.get("DB_STATEMENT_LOG"):
        _count_statements(engine, os.environ["DB_STATEMENT_LOG"])
    return engine


def _configure_postgresql(engine: Engine) -> None:
    """No JIT compilation: the app's queries read a few thousand summary rows, but a row estimate
    over a large table can still push a plan past jit_above_cost, and compiling it then took half
    a second for a query of a few milliseconds (the review queue at 1,000,000 records). Set when
    each connection opens rather than as a startup option, which some connection poolers refuse."""

    @event.listens_for(engine, "connect")
    def no_jit(connection, _record) -> None:  # noqa: ANN001 - a DBAPI connection
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        connection.commit()


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


@no_actor
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


@no_actor
def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@no_actor
@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction that only reads, and sees the database as it was at its first statement.

    A board reads several statements (a unit's totals, then the people over a cap) and must not
    mix states: on PostgreSQL's default READ COMMITTED a write committed between two of them
    gave "old total minus new excess", a figure no state of the data ever had. SQLite's
    transaction (BEGIN, see _configure_sqlite) already reads one snapshot; PostgreSQL's
    REPEATABLE READ does the same, and READ ONLY lets it never wait or fail on a writer."""
    engine = engine or get_engine()
    if not is_sqlite(engine):
        engine = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with Session(engine, expire_on_commit=False) as session:
        yield session


@no_actor
@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction that will write: committed on success, rolled back whole on any error.

    Writers queue, one at a time, on both databases: SQLite's BEGIN IMMEDIATE; on PostgreSQL the
    lock that the summaries' triggers take (WRITERS_LOCK), taken first, before any row lock. A
    writer that locked a row first and reached for that lock later (an edit, a like) deadlocked
    with one that held it and waited for the row (an approval of the same record).

    Just before it commits, the version of every area it changed goes up by one (db/data_versions),
    so that the caches of those areas, and only those, refresh. A transaction that wrote nothing
    changes no version.
    """
    engine = engine or get_engine()
    written_tables: set[str] = set()
    options: dict[str, object] = {WRITTEN_TABLES_OPTION: written_tables}
    if is_sqlite(engine):
        options["sqlite_begin"] = "IMMEDIATE"
    with Session(engine.execution_options(**options), expire_on_commit=False) as session, session.begin():
        if not is_sqlite(engine):
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK})
        yield session
        session.flush()
        bump(session, written_areas(session, written_tables))


@no_actor
def data_versions(engine: Engine | None = None) -> dict[Area, int]:
    """Every area's data version: each changes whenever a write to its area commits; cache keys
    include the versions of the areas a cached read depends on."""
    with read_session(engine) as session:
        return read_versions(session)


@no_actor
def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@no_actor
def upgrade_database(engine: Engine | None = None) -> None:
    """Bring an empty or older database up to the newest schema (Alembic head)."""
    engine = engine or get_engine()
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
