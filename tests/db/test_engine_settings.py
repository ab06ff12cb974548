"""Settings every connection of the app gets from db.engine, whichever database it is."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from db.engine import is_sqlite, read_session, write_session
from db.models import Unit


def test_postgresql_connections_do_not_compile_queries_with_jit(fresh_engine):
    if is_sqlite(fresh_engine):
        pytest.skip("a PostgreSQL setting: runs with TEST_DATABASE_URL")
    fresh_engine.dispose()  # a connection opened now, not one from an earlier test
    with fresh_engine.connect() as connection:
        assert connection.execute(text("SHOW jit")).scalar() == "off"


def test_a_read_sees_one_state_of_the_data_even_if_a_write_commits_in_between(fresh_engine):
    """A board reads in several statements; a write committed between them must not show in the
    later ones (it did on PostgreSQL: a unit's old total less its new excess over a cap)."""
    with read_session(fresh_engine) as reading:
        before = reading.scalar(select(func.count()).select_from(Unit))
        with write_session(fresh_engine) as writing:
            writing.add(Unit(code="late", name_zh="迟到单位", name_en="Late", kind="district"))
        assert reading.scalar(select(func.count()).select_from(Unit)) == before
    with read_session(fresh_engine) as reading:
        assert reading.scalar(select(func.count()).select_from(Unit)) == before + 1


def test_a_read_session_cannot_write(fresh_engine):
    if is_sqlite(fresh_engine):
        pytest.skip("a PostgreSQL setting: runs with TEST_DATABASE_URL")
    with read_session(fresh_engine) as reading, pytest.raises(DBAPIError, match="read-only"):
        reading.execute(text("INSERT INTO app_meta (key, value) VALUES ('x', 'y')"))
