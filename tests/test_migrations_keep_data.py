"""Upgrading keeps data: a database built at the oldest migration, with a row in every table,
comes out of the upgrade to head with every row and every old column's value as it was."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from db.engine import alembic_config, get_engine
from tests.conftest import _new_database_url, migrate

# Columns a migration removes on purpose, with the migration that says why.
DROPPED_ON_PURPOSE = {
    ("app_user", "failed_logins"): "0010",  # sign-in throttling by name and address replaced the lock
    ("app_user", "locked_until"): "0010",
}


def _oldest_revision(config) -> str:  # noqa: ANN001 - alembic Config
    return ScriptDirectory.from_config(config).get_base()


def _value_for(column: sa.Column, table: str, ids: dict[str, int]) -> Any:
    """A plausible value of the column's type; a foreign key points at the row made for its table."""
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        return None if target == table and column.nullable else ids[target]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return 7
    if isinstance(kind, sa.Float):
        return 2.5
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 3, 4, 5, 6, 7)
    if isinstance(kind, sa.Date):
        return dt.date(2026, 3, 4)
    if isinstance(kind, sa.JSON):
        return {"kept": [1, "二"]}
    if isinstance(kind, sa.LargeBinary):
        return b"\x00\x01kept"
    if isinstance(kind, sa.String) and kind.length:
        return f"{table[:3]}-{column.name}"[: kind.length]
    return f"{table} {column.name} 保留"


def _fill_every_table(engine: sa.Engine) -> dict[str, dict[str, Any]]:
    metadata = sa.MetaData()
    metadata.reflect(engine)
    written: dict[str, dict[str, Any]] = {}
    ids: dict[str, int] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version" or table.name.startswith("study_search"):
                continue
            row = {}
            for column in table.columns:
                if column.primary_key and isinstance(column.type, sa.Integer):
                    row[column.name] = ids[table.name] = 1
                else:
                    row[column.name] = _value_for(column, table.name, ids)
            connection.execute(table.insert(), row)
            written[table.name] = row
    return written


def test_upgrading_from_the_oldest_migration_keeps_every_row_and_value():
    engine = get_engine(_new_database_url())
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, _oldest_revision(config))
    written = _fill_every_table(engine)
    assert len(written) >= 15

    with engine.begin() as connection:
        migrate(connection, "head")

    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for name, row in written.items():
            table = metadata.tables[name]
            kept = {column: value for column, value in row.items() if (name, column) not in DROPPED_ON_PURPOSE}
            found = connection.execute(sa.select(*(table.c[column] for column in kept))).mappings().all()
            assert [dict(found_row) for found_row in found] == [kept], name
    engine.dispose()
