"""Data versions per area: a write bumps the areas it changed and nothing else, so that a like or
a sign-in leaves the cached boards alone and an approval refreshes them."""
import datetime as dt
import functools

import pytest
from sqlalchemy import insert, select, text, update

from core.enums import Role
from db.accounts import SignInFailed, end_session, issue_session_token, sign_in
from db.bootstrap import ensure_base_data
from db.data_versions import COLUMN_AREAS, TABLE_AREAS, Area, touch
from db.engine import data_versions, read_session, write_session
from db.gallery_actions import like, unlike
from db.models import Base, StudyRecord, Unit
from db.records import approve_records, save_record
from tests.db.world import PASSWORD, add_account, build_world
from ui.data import BOARDS, GALLERY

NOTE = "读书使人明理,学习使人进步,要在实践中发现问题研究问题解决问题,把书本知识转化为工作本领。" * 2


def changed(engine, write) -> set[Area]:
    """The areas whose version `write()` changed."""
    before = data_versions(engine)
    write()
    after = data_versions(engine)
    return {area for area in Area if after[area] != before[area]}


@pytest.fixture
def office(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

    admin, liker = user("admin", Role.ADMIN), user("liker", Role.REPORTER, "B")  # a colleague of another unit
    user("viewer", Role.VIEWER)
    details = {"writer": world.cadres["a1"], "book": "乡土中国", "book_author": "费孝通", "note": NOTE, "takeaway": NOTE}

    def submitted_note() -> int:
        saved = save_record(admin, unit_id=world.units["A"], type_code="reading_note", title="读书笔记",
                            occurred_on=dt.date(2026, 5, 10), details=details, submit=True, engine=fresh_engine)
        return saved.record_id

    return fresh_engine, admin, liker, submitted_note


def test_every_table_and_column_has_an_area():
    assert set(Base.metadata.tables) <= set(TABLE_AREAS), set(Base.metadata.tables) - set(TABLE_AREAS)
    for name in COLUMN_AREAS:
        table, column = name.split(".")
        assert column in Base.metadata.tables[table].c, name


def test_a_like_changes_the_gallery_and_not_the_boards(office):
    engine, admin, liker, submitted_note = office
    record_id = submitted_note()
    approve_records(admin, [record_id], engine=engine)
    with read_session(engine) as session:
        study_id = session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == record_id))
    for action in (like, unlike):
        areas = changed(engine, lambda action=action: action(liker, study_id, engine=engine))
        assert areas == {Area.LIKES, Area.AUDIT}
        assert not areas & set(BOARDS) and areas & set(GALLERY)


def test_an_approval_changes_the_boards(office):
    engine, admin, _liker, submitted_note = office
    record_id = submitted_note()
    assert Area.RECORDS in changed(engine, lambda: approve_records(admin, [record_id], engine=engine))


def test_signing_in_and_out_changes_nothing_the_boards_read(office):
    engine = office[0]
    issue_session_token(1, engine=engine)  # the signing secret is made once, at the first sign-in
    signed = []
    for attempt in (
        lambda: signed.append(sign_in("viewer", PASSWORD, engine=engine)),
        lambda: pytest.raises(SignInFailed, sign_in, "viewer", "wrong password", engine=engine),
        lambda: signed.append(issue_session_token(signed[0].actor.user_id, engine=engine)),
        lambda: end_session(signed[1], engine=engine),
    ):
        assert changed(engine, attempt) <= {Area.ACCOUNTS, Area.AUDIT}
    assert Area.ACCOUNTS in changed(engine, lambda: pytest.raises(SignInFailed, sign_in, "nobody", "x", engine=engine))


def test_bulk_core_statements_are_caught(fresh_engine):
    def core_insert():
        with write_session(fresh_engine) as session:
            session.connection().execute(insert(Unit), [{"code": "X", "name_zh": "单位X", "name_en": "X", "kind": "district"}])

    def orm_bulk_update():
        with write_session(fresh_engine) as session:
            session.execute(update(Unit).values(name_en="Unit X"))

    assert changed(fresh_engine, core_insert) == {Area.ORGANIZATION}
    assert changed(fresh_engine, orm_bulk_update) == {Area.ORGANIZATION}


def test_sql_text_names_its_areas(fresh_engine):
    def renamed():
        with write_session(fresh_engine) as session:
            session.execute(text("UPDATE rule_set SET name = name"))
            touch(session, Area.RULES)

    assert changed(fresh_engine, renamed) == {Area.RULES}


def test_a_write_that_changes_nothing_or_fails_bumps_nothing(fresh_engine):
    def failed():
        with pytest.raises(RuntimeError), write_session(fresh_engine) as session:
            session.add(Unit(code="Y", name_zh="单位Y", name_en="Y", kind="district"))
            session.flush()
            raise RuntimeError("rolled back")

    # A restarting app process prepares its database again: that must not empty every cache.
    assert changed(fresh_engine, lambda: ensure_base_data(fresh_engine)) == set()
    assert changed(fresh_engine, failed) == set()


def test_a_write_through_an_engine_made_elsewhere_moves_the_versions_too(fresh_engine):
    """Scripts and tests make engines of their own; their writes must not leave caches stale."""
    from sqlalchemy import create_engine

    ensure_base_data(fresh_engine)
    own = create_engine(fresh_engine.url.render_as_string(hide_password=False))
    try:
        def write() -> None:
            with write_session(own) as session:
                session.execute(update(Unit).values(name_en="Renamed"))

        build_world(fresh_engine)
        assert Area.ORGANIZATION in changed(fresh_engine, write)
    finally:
        own.dispose()
