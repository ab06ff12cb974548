"""Pages of going live under AppTest: sessions that follow the account, the checklist, accounts,
the forced password change, the landing page of each role, the page of a database without an
administrator."""
import uuid

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from core.enums import Role
from db.account_admin import change_account, set_active
from db.accounts import create_user, sign_in
from db.bootstrap import ensure_base_data
from db.engine import get_engine, read_session
from db.models import Unit
from tests.conftest import _new_database_url
from tests.pages.apptest import button_labelled, open_app, page_texts

PASSWORD = "river stones at dusk"


@pytest.fixture
def east_reporter(demo_engine):
    """A reporter of the demo's first district, made for this test (its rights change below)."""
    with read_session(demo_engine) as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.kind == "district").order_by(Unit.sort_order))
    username = f"tb-{uuid.uuid4().hex[:6]}"
    create_user(username=username, display_name="临时填报员", password=PASSWORD, role=Role.REPORTER, unit_id=unit_id, rounds=4, engine=demo_engine)
    return sign_in(username, PASSWORD, engine=demo_engine)


def test_an_open_page_acts_with_the_new_rights_on_the_next_action(east_reporter, accounts, demo_engine):
    admin = accounts["admin"].actor
    at = open_app(east_reporter, "views/entry.py")
    assert "临时填报员" in " ".join(caption.value for caption in at.sidebar.caption)
    assert not at.error and at.selectbox(key="entry_type") is not None
    change_account(admin, east_reporter.actor.user_id, role=Role.VIEWER, unit_id=None, engine=demo_engine)
    at.run()  # the very next action in the same tab
    assert "不对“只读”角色开放" in page_texts(at) or "只读" in page_texts(at)
    assert not [box for box in at.selectbox if box.key == "entry_type"]
    set_active(admin, east_reporter.actor.user_id, False, engine=demo_engine)
    at.run()
    assert "未登录" in " ".join(caption.value for caption in at.sidebar.caption)


def _title(at) -> str:
    return at.title[0].value if at.title else ""


def _just_signed_in(user) -> AppTest:
    """The app on the run right after `user` signed in on the sign-in page."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    at.session_state["signed_in"] = user
    at.session_state["just_signed_in"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def test_each_role_lands_where_its_work_is(accounts):
    from core.i18n import translate

    assert _title(_just_signed_in(accounts["reporter"])) == translate("zh", "supervision.workbench_heading")  # their open items
    assert _title(_just_signed_in(accounts["cadre"])) == translate("zh", "records.title")
    assert _title(_just_signed_in(accounts["admin"])) == translate("zh", "supervision.office_heading")  # the demo has a campaign
    assert _title(_just_signed_in(accounts["viewer"])) == translate("zh", "board.heading")
    # The root address is the same for everyone who has not just signed in.
    assert _title(open_app(accounts["reporter"])) == translate("zh", "board.heading")


def test_a_handed_out_password_opens_only_the_password_page(accounts, demo_engine):
    from db.account_admin import create_account

    admin = accounts["admin"].actor
    with read_session(demo_engine) as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.kind == "district").order_by(Unit.sort_order))
    made = create_account(admin, username=f"new-{uuid.uuid4().hex[:6]}", display_name="新填报员", role=Role.REPORTER,
                          unit_id=unit_id, rounds=4, engine=demo_engine)
    person = sign_in(made.username, made.password, engine=demo_engine)
    at = open_app(person)
    assert _title(at) == "修改密码" and "初始密码" in page_texts(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/entry.py")  # no other page is open to them
    at = open_app(person)
    at.text_input[0].input(made.password)
    at.text_input[1].input(PASSWORD)
    at.text_input[2].input(PASSWORD)
    form_submit = [button for button in at.button if button.label == "修改密码"]
    form_submit[0].click()
    at.run()
    assert not at.exception
    assert not sign_in(made.username, PASSWORD, engine=demo_engine).must_change_password
    assert _title(at) == "我的工作台"  # and lands where a reporter works


def test_the_checklist_and_the_accounts_page_are_for_the_office(accounts):
    at = open_app(accounts["admin"], "views/setup.py")
    texts = page_texts(at)
    for step in ("组织机构", "干部名册", "账号", "活动", "评分规则"):
        assert step in texts
    assert "已完成" in texts
    for page in ("views/setup.py", "views/accounts.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app(accounts["reporter"]).switch_page(page)
        at = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=60)
        at.session_state["signed_in"] = accounts["reporter"]
        at.run()
        assert "只有市委组织部管理员" in page_texts(at) and not at.button


def test_the_office_creates_an_account_and_sees_its_password_once(accounts, demo_engine):
    at = open_app(accounts["admin"], "views/accounts.py")
    name = f"acc-{uuid.uuid4().hex[:6]}"
    form_inputs = [box for box in at.text_input if box.label in {"用户名", "姓名或显示名"}]
    form_inputs[0].input(name)
    form_inputs[1].input("测试账号")
    role_box = [box for box in at.selectbox if box.label == "角色"][-1]
    role_box.set_value(Role.VIEWER)
    button_labelled(at, "开设账号").click()
    at.run()
    assert not at.exception
    assert "只在这里显示一次" in page_texts(at)
    assert any(button.label == "已分发,关闭" for button in at.button)
    button_labelled(at, "已分发,关闭").click()
    at.run()
    assert "只在这里显示一次" not in page_texts(at)


def test_a_database_without_an_administrator_says_how_to_make_one(monkeypatch):
    url = _new_database_url()
    ensure_base_data(get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_AUTOLOAD", "false")
    st.cache_data.clear()
    try:
        at = open_app(None)
        assert _title(at) == "还没有管理员"
        assert any("python -m manage create-admin" in block.value for block in at.code)
        assert "演示数据" not in page_texts(at)
    finally:
        st.cache_data.clear()
