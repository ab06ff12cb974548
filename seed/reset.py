"""Drop everything the app created, so that a database can be seeded again from nothing."""
from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from db.models import Base

# What `python -m seed --reset` destroys, for its help text and its confirmation question.
DESTROYS = (
    "every table of the app in that database and all its rows: units, comparison groups, branches, "
    "cadres, campaigns, periods and mandatory targets, every activity record with its photos and "
    "attachments, books, likes and ratings, suggestions, problems, survey scores, scoring rule sets, "
    "presenter snapshots, ALL accounts (administrators too), the audit trail, signed-out sessions, "
    "sign-in throttling, the session signing secret (everyone is signed out) and the schema version "
    "(alembic_version). Tables of other applications in the same database are not touched."
)


def app_tables(engine: Engine) -> list[str]:
    """The app's tables present in the database (what a reset would drop)."""
    present = set(inspect(engine).get_table_names())
    return [name for name in [*Base.metadata.tables, "alembic_version"] if name in present]


def reset_database(engine: Engine) -> None:
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
