"""A cached reader is keyed by the data versions of the areas it depends on (ui/data.py). If a
computation reads a table of an area its key leaves out, a write there leaves every cached copy
stale for minutes (the boards once missed the ledgers: an adopted suggestion's bonus did not
show). These tests record the tables each computation actually reads and check them against
its key."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.sql import Select
from sqlalchemy.sql.util import find_tables

from core.presenter import PresenterSettings
from db import boards, people_boards, presenter, record_queries, reference
from db.access import Actor
from db.data_versions import TABLE_AREAS, Area
from ui.data import BOARDS, PEOPLE
from ui.presenter_data import _payload_areas
from ui.review_data import QUEUE

# Read on every board but never cached by area: the data versions themselves.
NOT_DATA = {"app_meta"}


@contextmanager
def tables_read(engine):
    seen: set[str] = set()

    def note(connection, clauseelement, multiparams, params, execution_options):  # noqa: ANN001
        if isinstance(clauseelement, Select):
            for table in find_tables(clauseelement, include_aliases=True, include_joins=False):
                name = getattr(getattr(table, "element", table), "name", None)
                if name:
                    seen.add(name)

    event.listen(engine, "before_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_execute", note)


def areas_read(engine, compute: Callable[[], object]) -> set[Area]:
    with tables_read(engine) as seen:
        compute()
    return {TABLE_AREAS[name] for name in seen - NOT_DATA}


def test_the_boards_key_covers_what_the_boards_read(demo_engine):
    campaign = reference.campaign(demo_engine)
    group_id = reference.groups(demo_engine)[0]["id"]
    span = {"campaign_id": campaign.id, "start": campaign.start_date, "end": campaign.end_date}
    board = areas_read(demo_engine, lambda: boards.unit_board(**span, group_id=group_id, engine=demo_engine))
    trend = areas_read(demo_engine, lambda: boards.group_trend(**span, group_id=group_id, engine=demo_engine))
    assert board | trend <= set(BOARDS), (board | trend) - set(BOARDS)
    office = Actor(user_id=1, role="admin")
    people = areas_read(demo_engine, lambda: people_boards.people_board(office, **span, engine=demo_engine))
    assert people <= set(PEOPLE), people - set(PEOPLE)


def test_the_presenter_key_covers_what_each_board_reads(demo_engine):
    campaign = reference.campaign(demo_engine)
    for board in ("leaderboard", "climbers", "completion", "highlights", "counts", "honours"):
        settings = PresenterSettings(boards=(board,))
        read = areas_read(demo_engine, lambda settings=settings: presenter.presenter_payload(settings, campaign, campaign.end_date, demo_engine))
        assert read <= set(_payload_areas(settings)), (board, read - set(_payload_areas(settings)))


def test_the_review_queue_key_covers_what_the_queue_reads(demo_engine):
    office = Actor(user_id=1, role="admin")
    read = set()
    for flag in (None, *record_queries.FLAGS):
        criteria = record_queries.QueueFilter(flag=flag)
        read |= areas_read(demo_engine, lambda criteria=criteria: record_queries.review_queue(office, criteria=criteria, engine=demo_engine))
        read |= areas_read(demo_engine, lambda criteria=criteria: record_queries.review_queue_size(office, criteria, engine=demo_engine))
    assert read <= set(QUEUE), read - set(QUEUE)
    counts = areas_read(demo_engine, lambda: record_queries.count_by_status(office, engine=demo_engine))
    assert counts == {Area.RECORDS}
