"""Sessions follow the account: rights are read from the database on every run, and checking a
session never writes."""
from sqlalchemy import event, func, select

from core.enums import Role
from db.access import Actor
from db.account_admin import change_account, set_active
from db.accounts import create_user, current_account, issue_session_token, resume_session
from db.engine import data_versions, read_session
from db.models import AppMeta

PASSWORD = "river stones at dusk"


def _writes(engine):
    """Counts the statements that would change the database while the block runs."""
    counted: list[str] = []

    def listen(_connection, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            counted.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    return counted, lambda: event.remove(engine, "before_cursor_execute", listen)


def test_checking_a_session_never_writes(fresh_engine):
    user_id = create_user(username="chen", display_name="陈", password=PASSWORD, role=Role.VIEWER, rounds=4, engine=fresh_engine)
    token = issue_session_token(user_id, engine=fresh_engine)
    version = data_versions(fresh_engine)
    counted, stop = _writes(fresh_engine)
    try:
        for _ in range(3):
            assert resume_session(token, engine=fresh_engine).username == "chen"
        assert current_account(user_id, engine=fresh_engine).username == "chen"
    finally:
        stop()
    assert counted == []
    assert data_versions(fresh_engine) == version  # every cached board would otherwise refresh


def test_resuming_on_a_database_without_a_secret_writes_nothing_and_finds_nobody(fresh_engine):
    with read_session(fresh_engine) as session:
        before = session.scalar(select(func.count()).select_from(AppMeta))
    assert resume_session("1.9999999999.abc.def.forged", engine=fresh_engine) is None
    with read_session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(AppMeta)) == before


def test_a_session_sees_a_change_of_role_unit_or_status_at_once(fresh_engine):
    admin_id = create_user(username="boss", display_name="主任", password=PASSWORD, role=Role.ADMIN, rounds=4, engine=fresh_engine)
    admin = Actor(admin_id, Role.ADMIN)
    user_id = create_user(username="liu", display_name="刘", password=PASSWORD, role=Role.VIEWER, rounds=4, engine=fresh_engine)
    token = issue_session_token(user_id, engine=fresh_engine)
    change_account(admin, user_id, role=Role.ADMIN, unit_id=None, engine=fresh_engine)
    assert resume_session(token, engine=fresh_engine).actor.is_admin
    change_account(admin, user_id, role=Role.VIEWER, unit_id=None, engine=fresh_engine)
    assert resume_session(token, engine=fresh_engine).actor.role == Role.VIEWER
    set_active(admin, user_id, False, engine=fresh_engine)
    assert resume_session(token, engine=fresh_engine) is None
    assert current_account(user_id, engine=fresh_engine) is None
