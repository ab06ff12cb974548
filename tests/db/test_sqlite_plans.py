"""SQLite's plans for the featured notes hold whatever its statistics say.

Full statistics (ANALYZE without a limit) tell SQLite that the yes/no column `featured` halves
study_record, so it read every approved record and looked up its note to find ~1,500 featured
ones: the featured bonus of every board took 1.7 s at 1,000,000 records, the presenter's
highlights 3 s, the honour roll's featured authors and the briefing's featured notes as long,
where the featured index answers in milliseconds. The statistics below are those
of the 1,000,000-record bench database after a full ANALYZE.
"""
import datetime as dt

import pytest
from sqlalchemy import event, text

from core.periods import DateRange
from db import board_queries
from db.briefings import Scope, _highlights
from db.engine import read_session
from db.gallery import highlights
from db.honours import _featured_authors
from tests.db.world import build_world

YEAR = DateRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
FULL_STATISTICS = [
    ("activity_record", "ix_record_mandatory", "607011 2001 2001 2001 24 1 1 1"),
    ("activity_record", "ix_record_board", "539805 2001 2001 126 2 1 1"),
    ("activity_record", "ix_record_unit_status", "1101772 2001 2001 10"),
    ("study_record", "ix_study_featured", "567981 283991 389"),
    ("study_record", "ix_study_book_record", "567981 22720 1"),
    ("study_record", "sqlite_autoindex_study_record_1", "567981 1"),
]


@pytest.fixture
def fully_analyzed(fresh_engine):
    if fresh_engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner and statistics")
    world = build_world(fresh_engine)
    with fresh_engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # makes sqlite_stat1
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
        for table, index, stat in FULL_STATISTICS:
            connection.execute(text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (:t, :i, :s)"), {"t": table, "i": index, "s": stat})
        connection.exec_driver_sql("ANALYZE sqlite_schema")  # loads them
    return fresh_engine, world


def _plans_of_statements_reading_featured(engine, run) -> list[str]:  # noqa: ANN001
    """The query plans of the statements `run` sends that filter on study_record.featured."""
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001, PLR0913
        if "study_record.featured IS 1" in statement:
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    with engine.connect() as connection:
        return [
            " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
            for statement, parameters in sent
        ]


def test_every_read_of_the_featured_notes_starts_from_the_featured_index(fully_analyzed):
    engine, world = fully_analyzed

    def bonus() -> None:
        with read_session(engine) as session:
            board_queries.featured_notes(session, campaign_id=world.campaign_id, start=YEAR.start, end=YEAR.end, by="unit")

    plans = _plans_of_statements_reading_featured(engine, bonus)
    plans += _plans_of_statements_reading_featured(engine, lambda: highlights(engine=engine))
    plans += _plans_of_statements_reading_featured(
        engine, lambda: _featured_authors(world.campaign_id, YEAR.start, YEAR.end, engine)
    )
    plans += _plans_of_statements_reading_featured(
        engine, lambda: _highlights(Scope(world.campaign_id, "year", YEAR, None), "zh", engine)
    )
    assert len(plans) == 4
    for plan in plans:
        # The first table read is the notes, through the featured index; each record is looked up.
        assert plan.startswith("SEARCH study_record USING INDEX ix_study_featured"), plan
