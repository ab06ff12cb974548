"""Settings every connection of the app gets from db.engine, whichever database it is."""
import pytest
from sqlalchemy import text

from db.engine import is_sqlite


def test_postgresql_connections_do_not_compile_queries_with_jit(fresh_engine):
    if is_sqlite(fresh_engine):
        pytest.skip("a PostgreSQL setting: runs with TEST_DATABASE_URL")
    fresh_engine.dispose()  # a connection opened now, not one from an earlier test
    with fresh_engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar() == "off"
