"""The demo: deterministic, realistic in proportions and states, and within its scale."""
import datetime as dt

import pytest
from sqlalchemy import func, select, text

from core.clock import office_today
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, Attachment, Cadre, StudyRecord, Unit, User
from db.summaries import SUMMARIES
from seed.demo import seed_demo

TODAY = dt.date(2026, 5, 20)


def _fingerprint(engine):
    with read_session(engine) as session:
        records = session.execute(
            select(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id, ActivityRecord.occurred_on, ActivityRecord.status, ActivityRecord.title)
            .order_by(ActivityRecord.id)
        ).all()
        cadres = session.execute(select(Cadre.name, Cadre.unit_id).order_by(Cadre.id)).all()
    return records, cadres


def test_same_seed_same_data(fresh_engine, tmp_path):
    from db.engine import get_engine

    other = get_engine(f"sqlite:///{tmp_path}/other.sqlite")
    first = seed_demo(scale="small", seed=7, today=TODAY, engine=fresh_engine)
    second = seed_demo(scale="small", seed=7, today=TODAY, engine=other)
    assert first == second
    assert _fingerprint(fresh_engine) == _fingerprint(other)
    other.dispose()


def test_the_demo_covers_every_type_state_and_role(demo_engine):
    with read_session(demo_engine) as session:
        types_used = session.scalar(select(func.count(func.distinct(ActivityRecord.type_id))))
        types_total = session.scalar(select(func.count()).select_from(ActivityType))
        statuses = set(session.scalars(select(ActivityRecord.status).distinct()))
        roles = set(session.scalars(select(User.role).distinct()))
        returned_without_reason = session.scalar(
            select(func.count()).where(ActivityRecord.status == "returned", ActivityRecord.return_reason.is_(None))
        )
        first, last = session.execute(select(func.min(ActivityRecord.occurred_on), func.max(ActivityRecord.occurred_on))).one()
        groups = session.scalar(select(func.count(func.distinct(Unit.group_id))))
        pictures = session.scalar(select(func.count()).select_from(Attachment))
        studies = session.scalar(select(func.count()).select_from(StudyRecord))
    assert types_used == types_total
    # Other tests may delete a demo record in the shared database; the demo itself deletes none.
    assert statuses - {"deleted"} == {"draft", "pending", "approved", "returned"}
    assert roles == {"admin", "reporter", "cadre", "viewer"}
    assert returned_without_reason == 0
    assert (office_today() - first).days <= 366 and last <= office_today()
    assert groups == 3
    assert pictures > 0 and studies > 0


def test_a_second_seed_into_a_filled_database_is_refused(demo_engine):
    import pytest

    with pytest.raises(RuntimeError):
        seed_demo(scale="small", engine=demo_engine)


def test_the_seed_leaves_the_planner_its_statistics(demo_engine):
    """Without statistics both planners chose whole-table reads for the boards at 1M records; on
    SQLite the seed's ANALYZE ran in a transaction that was then rolled back, so none were kept."""
    with read_session(demo_engine) as session:
        if demo_engine.dialect.name == "sqlite":
            kept = session.scalar(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'activity_record'"))
        else:
            kept = session.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename = 'activity_record'"))
    assert kept > 0


def test_the_seed_leaves_the_summaries_compact(fresh_engine):
    """The load's triggers rewrite a summary row once per record; on PostgreSQL a plain vacuum
    kept every page of the old versions (5,637 per-unit totals in 36 MB at 1M records, read whole
    by every board), so the seed rewrites the summaries: rewriting them again frees nothing."""
    if fresh_engine.dialect.name == "sqlite":
        pytest.skip("SQLite updates rows in place: there is nothing to compact")
    seed_demo(scale="small", seed=7, today=TODAY, engine=fresh_engine)
    tables = [summary.__tablename__ for summary in SUMMARIES]
    size = text("SELECT sum(pg_relation_size(name::regclass)) FROM unnest(CAST(:names AS text[])) AS name")
    with fresh_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        seeded = connection.scalar(size, {"names": tables})
        connection.exec_driver_sql("VACUUM FULL " + ", ".join(tables))
        compacted = connection.scalar(size, {"names": tables})
    assert seeded == compacted
