"""The same demo on SQLite and on PostgreSQL gives the same boards, figure for figure.

Runs where TEST_DATABASE_URL names a PostgreSQL server (the suite's PostgreSQL run, and CI).
"""
import datetime as dt
import os
import tempfile

import pytest
from sqlalchemy import select

from db.boards import group_trend, unit_board
from db.engine import get_engine, read_session
from db.models import Campaign, ComparisonGroup
from db.people_boards import branch_board, people_board
from seed.demo import seed_demo
from tests.conftest import _new_database_url

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
    reason="compares with PostgreSQL: set TEST_DATABASE_URL",
)
TODAY = dt.date(2026, 5, 20)


@pytest.fixture(scope="module")
def engines():
    sqlite = get_engine(f"sqlite:///{tempfile.mkdtemp(prefix='eb-dialects-')}/demo.sqlite")
    postgres = get_engine(_new_database_url())
    for engine in (sqlite, postgres):
        seed_demo(scale="small", seed=2010, today=TODAY, engine=engine)
    yield sqlite, postgres
    sqlite.dispose()
    postgres.dispose()


def _facts(engine):
    with read_session(engine) as session:
        campaign = session.scalar(select(Campaign))
        groups = session.scalars(select(ComparisonGroup.id).order_by(ComparisonGroup.id)).all()
    return campaign, groups


def test_unit_boards_trends_and_people_boards_agree(engines):
    sqlite, postgres = engines
    campaign, groups = _facts(sqlite)
    assert (campaign.id, groups) == (_facts(postgres)[0].id, _facts(postgres)[1])
    spans = [(campaign.start_date, campaign.end_date), (dt.date(2026, 4, 1), dt.date(2026, 4, 30)), (dt.date(2026, 5, 11), dt.date(2026, 5, 17))]
    for group_id in groups:
        for start, end in spans:
            for metric in ("per_capita", "composite"):
                boards = [unit_board(campaign_id=campaign.id, start=start, end=end, group_id=group_id, metric=metric, engine=e) for e in engines]
                assert boards[0].standings == boards[1].standings
                assert boards[0].details == boards[1].details
        trends = [group_trend(campaign_id=campaign.id, group_id=group_id, start=campaign.start_date, end=TODAY, engine=e) for e in engines]
        assert trends[0] == trends[1]
        assert len(trends[0].months) == 13
    people = [people_board(None, campaign_id=campaign.id, start=campaign.start_date, end=campaign.end_date, engine=e) for e in engines]
    assert people[0] == people[1]
    unit_id = boards[0].standings[0].unit_id
    branches = [branch_board(campaign_id=campaign.id, unit_id=unit_id, start=campaign.start_date, end=campaign.end_date, engine=e) for e in engines]
    assert branches[0] == branches[1]
