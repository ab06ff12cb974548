"""The migrations that make summaries fill them from the records before their triggers exist: on
PostgreSQL a record approved in between would never be counted, so writers wait for the migration
to commit (SQLite's migration holds the write lock throughout)."""
import pytest
from alembic import op
from sqlalchemy.exc import OperationalError

from db.engine import get_engine, is_sqlite
from tests.conftest import _new_database_url, migrate

RECORD_WRITE = "UPDATE activity_record SET status = status"
# Each migration that fills summaries, the first summary it fills, and the writes that move it.
FILLS = {
    "0022_summaries": ("INSERT INTO record_day_tally", [RECORD_WRITE]),
    "0025_month_tally": ("INSERT INTO record_unit_month_tally", [RECORD_WRITE]),
    "0026_unit_tally": ("INSERT INTO record_unit_tally", [RECORD_WRITE]),
    "0027_book_tally": ("INSERT INTO record_book_tally", [RECORD_WRITE, "UPDATE study_record SET like_count = like_count"]),
    "0028_bonus_tally": (
        "INSERT INTO bonus_month_tally (kind, month, unit_id, events) SELECT 'adopted_suggestion'",
        ["UPDATE suggestion SET status = status", "UPDATE problem SET solved_on = solved_on"],
    ),
}


@pytest.mark.parametrize("revision", FILLS)
def test_no_record_can_be_written_between_the_fill_and_the_triggers(revision, monkeypatch):
    engine = get_engine(_new_database_url())
    if is_sqlite(engine):
        pytest.skip("SQLite's migration holds the write lock: runs with TEST_DATABASE_URL")
    with engine.begin() as connection:
        migrate(connection, f"{revision}-1")
    writes_after_the_fill = []
    execute = op.execute

    def execute_then_write(statement, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003 - Alembic's op.execute
        execute(statement, *args, **kwargs)
        fill, writes = FILLS[revision]
        if str(statement).startswith(fill):
            for write in writes:
                with engine.connect() as writer:  # another process approving or liking a record just now
                    writer.exec_driver_sql("SET lock_timeout = '300ms'")
                    try:
                        writer.exec_driver_sql(write)
                        writes_after_the_fill.append("written")
                    except OperationalError as error:
                        writes_after_the_fill.append("waited" if "lock timeout" in str(error) else repr(error))

    monkeypatch.setattr(op, "execute", execute_then_write)
    with engine.begin() as connection:
        migrate(connection, revision)
    engine.dispose()
    assert writes_after_the_fill == ["waited"] * len(FILLS[revision][1])
