"""Migration 0019 dates the versions that were in force, so upgrading keeps every ranking as it was:
the first from the campaign's start, later ones from the office's date of their publication."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from db.engine import get_engine
from tests.conftest import _new_database_url, migrate
from tests.test_migrations_keep_data import _value_for


def _insert(connection, table: sa.Table, **values) -> None:
    """A row with a plausible value in every column, no foreign keys, and `values`."""
    row = {
        column.name: None if column.foreign_keys else _value_for(column, table.name, {})
        for column in table.columns if not column.primary_key
    }
    connection.execute(table.insert(), {**row, **values})


def test_the_upgrade_dates_each_version_that_was_in_force_and_no_other():
    engine = get_engine(_new_database_url())
    with engine.begin() as connection:
        migrate(connection, "0019_rules_effective-1")  # the revision just before this one
    metadata = sa.MetaData()
    metadata.reflect(engine)
    campaign, rule_set = metadata.tables["campaign"], metadata.tables["rule_set"]
    with engine.begin() as connection:
        for code, start in (("later", dt.date(2026, 3, 1)), ("first", dt.date(2026, 1, 15))):
            _insert(connection, campaign, code=code, start_date=start)
        for version, status, published_at in (
            (1, "archived", dt.datetime(2026, 2, 1, 3, 0)),
            (2, "archived", None),  # a draft set aside unpublished
            (3, "archived", dt.datetime(2026, 5, 31, 20, 0)),  # 04:00 on 1 June in Shanghai
            (4, "published", dt.datetime(2026, 5, 31, 22, 0)),  # the same office day
            (5, "draft", None),
        ):
            _insert(connection, rule_set, version=version, status=status, published_at=published_at, name=f"v{version}")
    with engine.begin() as connection:
        migrate(connection, "head")
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT version, effective_from FROM rule_set ORDER BY version")).all()
    dates = {version: (dt.date.fromisoformat(str(day)[:10]) if day is not None else None) for version, day in found}
    assert dates == {1: dt.date(2026, 1, 15), 2: None, 3: dt.date(2026, 6, 1), 4: dt.date(2026, 6, 1), 5: None}
    engine.dispose()
