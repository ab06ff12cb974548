"""账号管理 in the data layer: admin only, audited, handed-out passwords, the last administrator kept."""
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from core.enums import Role
from core.handout import handout_workbook
from db.access import Actor, PermissionDenied, ValidationFailed
from db.account_admin import (
    accounts,
    change_account,
    create_account,
    create_cadre_accounts,
    create_unit_reporters,
    reset_password,
    set_active,
)
from db.accounts import change_own_password, create_user, issue_session_token, resume_session, sign_in
from db.engine import read_session, write_session
from db.models import AuditLog, Cadre, ComparisonGroup, Unit, User

FAST = {"rounds": 4}


@pytest.fixture
def office(fresh_engine):
    """Two units with two cadres each, and one administrator."""
    with write_session(fresh_engine) as session:
        group = ComparisonGroup(code="district", name_zh="区县组", name_en="Districts")
        session.add(group)
        session.flush()
        for order, (code, name) in enumerate((("dh", "东湖区委组织部"), ("xs", "西山区委组织部"))):
            unit = Unit(code=code, name_zh=name, name_en=code, kind="district", group_id=group.id, sort_order=order)
            session.add(unit)
            session.flush()
            session.add_all([Cadre(unit_id=unit.id, name=f"{name[:2]}干部{n}") for n in (1, 2)])
    admin_id = create_user(username="office", display_name="办公室", password="correct horse battery", role=Role.ADMIN, rounds=4, engine=fresh_engine)
    with read_session(fresh_engine) as session:
        unit_ids = list(session.scalars(select(Unit.id).order_by(Unit.sort_order)))
    return fresh_engine, Actor(user_id=admin_id, role=Role.ADMIN), unit_ids


def _problem(failure: pytest.ExceptionInfo) -> str:
    return failure.value.problems[0][1]


def test_an_account_made_by_the_office_must_change_its_handed_out_password(office):
    engine, admin, (east, _west) = office
    made = create_account(admin, username="dh-tb", display_name="东湖填报员", role=Role.REPORTER, unit_id=east, engine=engine, **FAST)
    signed = sign_in("dh-tb", made.password, engine=engine)
    assert signed.must_change_password and signed.actor.unit_id == east
    with pytest.raises(ValidationFailed) as failure:
        change_own_password(signed.actor, current=made.password, new="dh-tb is my name!", repeated="dh-tb is my name!", engine=engine)
    assert _problem(failure) == "accounts.password.personal"
    with pytest.raises(ValidationFailed) as failure:
        change_own_password(signed.actor, current=made.password, new="river stones at dusk", repeated="river stones at dawn", engine=engine)
    assert _problem(failure) == "accounts.problem.mismatch"
    change_own_password(signed.actor, current=made.password, new="river stones at dusk", repeated="river stones at dusk", engine=engine)
    assert not sign_in("dh-tb", "river stones at dusk", engine=engine).must_change_password
    with read_session(engine) as session:
        actions = set(session.scalars(select(AuditLog.action)))
    assert {"account.create", "account.password_changed"} <= actions


def test_user_names_are_unique_whatever_the_case_and_well_formed(office):
    engine, admin, (east, _west) = office
    create_account(admin, username="Reporter.One", display_name="一", role=Role.REPORTER, unit_id=east, engine=engine, **FAST)
    with pytest.raises(ValidationFailed) as failure:
        create_account(admin, username="reporter.one", display_name="二", role=Role.REPORTER, unit_id=east, engine=engine, **FAST)
    assert failure.value.problems == [("username", "accounts.problem.username_taken", {"username": "reporter.one"})]
    with pytest.raises(ValidationFailed) as failure:
        create_account(admin, username="has space", display_name="三", role=Role.VIEWER, engine=engine, **FAST)
    assert _problem(failure) == "accounts.problem.username_form"
    with pytest.raises(ValidationFailed) as failure:
        create_account(admin, username="nounit", display_name="四", role=Role.REPORTER, unit_id=None, engine=engine, **FAST)
    assert _problem(failure) == "accounts.problem.unit_required"


def test_only_the_office_administers_accounts(office):
    engine, _admin, (east, _west) = office
    reporter = Actor(user_id=999, role=Role.REPORTER, unit_id=east)
    for command in (
        lambda: accounts(reporter, engine=engine),
        lambda: create_account(reporter, username="x1", display_name="x", role=Role.ADMIN, engine=engine, **FAST),
        lambda: create_unit_reporters(reporter, engine=engine, **FAST),
        lambda: set_active(reporter, 1, False, engine=engine),
        lambda: reset_password(reporter, 1, engine=engine, **FAST),
        lambda: change_account(reporter, 1, role=Role.ADMIN, unit_id=None, engine=engine),
    ):
        with pytest.raises(PermissionDenied):
            command()


def test_bulk_accounts_are_made_once_one_reporter_per_unit_and_one_per_cadre(office):
    engine, admin, unit_ids = office
    reporters = create_unit_reporters(admin, engine=engine, **FAST)
    assert [a.username for a in reporters] == ["reporter-dh", "reporter-xs"]
    assert create_unit_reporters(admin, engine=engine, **FAST) == []  # a second click makes nothing twice
    cadres = create_cadre_accounts(admin, unit_ids[:1], engine=engine, **FAST)
    assert len(cadres) == 2 and all(a.role == Role.CADRE for a in cadres)
    assert len(create_cadre_accounts(admin, engine=engine, **FAST)) == 2  # only the other unit's cadres
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(User).where(User.cadre_id.is_not(None))) == 4
    assert sign_in(reporters[0].username, reporters[0].password, engine=engine).must_change_password


def test_the_last_active_administrator_can_be_neither_disabled_nor_demoted(office):
    engine, admin, (east, _west) = office
    with pytest.raises(ValidationFailed) as failure:
        set_active(admin, admin.user_id, False, engine=engine)
    assert _problem(failure) == "accounts.problem.last_admin"
    with pytest.raises(ValidationFailed) as failure:
        change_account(admin, admin.user_id, role=Role.REPORTER, unit_id=east, engine=engine)
    assert _problem(failure) == "accounts.problem.last_admin"
    second = create_account(admin, username="office2", display_name="办公室二", role=Role.ADMIN, engine=engine, **FAST)
    second_id = next(row.id for row in accounts(admin, engine=engine) if row.username == second.username)
    set_active(admin, second_id, False, engine=engine)  # a disabled administrator does not count
    with pytest.raises(ValidationFailed):
        set_active(admin, admin.user_id, False, engine=engine)
    set_active(admin, second_id, True, engine=engine)
    change_account(admin, admin.user_id, role=Role.REPORTER, unit_id=east, engine=engine)
    assert {row.username: row.role for row in accounts(Actor(second_id, Role.ADMIN), engine=engine)}["office"] == Role.REPORTER


def test_a_reset_password_ends_the_accounts_sessions_and_must_be_changed(office):
    engine, admin, (east, _west) = office
    made = create_account(admin, username="xs-tb", display_name="西山填报员", role=Role.REPORTER, unit_id=east, engine=engine, **FAST)
    signed = sign_in("xs-tb", made.password, engine=engine)
    change_own_password(signed.actor, current=made.password, new="river stones at dusk", repeated="river stones at dusk", engine=engine)
    token = issue_session_token(signed.actor.user_id, engine=engine)
    assert resume_session(token, engine=engine) is not None
    again = reset_password(admin, signed.actor.user_id, engine=engine, **FAST)
    assert again.password != made.password
    assert resume_session(token, engine=engine) is None
    assert sign_in("xs-tb", again.password, engine=engine).must_change_password
    with read_session(engine) as session:  # the audit trail records the change, never a password's hash
        trail = [row.detail for row in session.scalars(select(AuditLog).where(AuditLog.entity == "app_user"))]
        reset = session.scalars(select(AuditLog).where(AuditLog.action == "account.password_reset")).one()
    assert trail and not any("password_hash" in str(detail) for detail in trail)
    assert reset.detail["after"] == {"must_change_password": True}


def test_the_handout_sheet_keeps_formulas_as_text():
    payloads = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
    raw = handout_workbook("账号", ["用户名", "姓名"], [["u", payload] for payload in payloads])
    sheet = openpyxl.load_workbook(io.BytesIO(raw)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=3)]
    assert [cell.value for cell in cells] == payloads
    assert all(cell.data_type == "s" for cell in cells)
