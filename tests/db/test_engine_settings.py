"""Settings every connection of the app gets from db.engine, whichever database it is."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from db.engine import is_sqlite, read_session, write_session
from db.models import RecordCadreTally, Unit


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


def test_an_index_hint_reaches_sqlite_and_is_left_out_elsewhere(fresh_engine):
    """db.summaries reads the people over a cap through the index on the count; without the hint
    SQLite read every person's row in key order to save a sort (15 ms instead of 3 at 1M)."""
    people = RecordCadreTally.__table__
    over = (
        select(people.c.unit_id, func.count()).where(people.c.campaign_id == 1, people.c.type_id.in_([1]), people.c.records > 2)
        .group_by(people.c.unit_id)
        .with_hint(people, "INDEXED BY ix_cadre_tally_count", dialect_name="sqlite")
    )
    sql = str(over.compile(dialect=fresh_engine.dialect, compile_kwargs={"literal_binds": True}))
    assert ("INDEXED BY ix_cadre_tally_count" in sql) == is_sqlite(fresh_engine)
    with read_session(fresh_engine) as session:
        assert session.execute(over).all() == []
        if is_sqlite(fresh_engine):
            plan = " ".join(str(row) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "ix_cadre_tally_count" in plan
