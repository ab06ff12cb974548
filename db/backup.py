"""Backups of the whole database while the app runs, and restoring one.

SQLite: the online backup API copies a consistent snapshot page by page while other connections
keep reading and writing (a plain file copy during a write can be torn). PostgreSQL: pg_dump's
custom format, restored with pg_restore --clean; both client programs come with PostgreSQL
(Debian: postgresql-client) and must match the server's major version or be newer.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db.access import no_actor
from db.data_versions import Area, advance_past
from db.engine import data_versions, is_sqlite, write_session


class BackupFailed(Exception):
    """The backup or restore did not complete; the message says why, in plain words."""


@no_actor
def backup(engine: Engine, path: Path) -> Path:
    """Write a consistent copy of the database to `path` (refuses to overwrite a file)."""
    path = Path(path)
    if path.exists():
        raise BackupFailed(f"{path} exists already; choose a new file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(engine):
        with sqlite3.connect(_sqlite_file(engine)) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return path
    _run_pg(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", _libpq_url(engine)])
    return path


@no_actor
def restore(engine: Engine, path: Path) -> None:
    """Replace the database's contents with the backup at `path`.

    Every other connection should be closed first (stop the app): a restore under a running app
    leaves its open sessions looking at rows that changed beneath them."""
    path = Path(path)
    if not path.is_file():
        raise BackupFailed(f"{path} is not a backup file")
    replaced = _versions_or_none(engine)
    engine.dispose()
    if is_sqlite(engine):
        with sqlite3.connect(path) as source, sqlite3.connect(_sqlite_file(engine)) as target:
            source.backup(target)
    else:
        _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 f"--dbname={_libpq_url(engine)}", str(path)])
    engine.dispose()
    with write_session(engine) as session:
        advance_past(session, replaced)


def _versions_or_none(engine: Engine) -> dict[Area, int]:
    """The data versions of the database about to be replaced (none if it has no schema yet)."""
    try:
        return data_versions(engine)
    except DBAPIError:
        return {}


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory SQLite database cannot be backed up")
    return database


def _libpq_url(engine: Engine) -> str:
    """The SQLAlchemy URL as libpq understands it (no "+psycopg" driver part)."""
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run_pg(arguments: list[str]) -> None:
    if shutil.which(arguments[0]) is None:
        raise BackupFailed(f"{arguments[0]} is not installed (Debian: apt-get install postgresql-client)")
    finished = subprocess.run(arguments, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupFailed(f"{arguments[0]} failed: {finished.stderr.strip()[-500:]}")
