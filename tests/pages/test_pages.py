"""Every page under Streamlit's AppTest, as each kind of user sees it."""
import pytest
from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from seed.demo import DEMO_PASSWORD
from tests.pages.apptest import APP, button_labelled, open_app, page_texts


def test_the_leaderboard_opens_for_visitors_in_chinese_and_switches_to_english(demo_engine):
    at = open_app()
    assert at.title[0].value == "单位排行"
    labels = [metric.label for metric in at.metric]
    assert labels[:2] == ["参评单位", "通过记录"]
    assert "当前为演示数据" in " ".join(element.proto.body for element in at.get("html"))
    at.radio[0].set_value("en").run()
    assert at.title[0].value == "Unit leaderboard"
    assert [metric.label for metric in at.metric][:2] == ["Units ranked", "Approved records"]


def test_changing_the_period_and_metric_redraws_the_board(demo_engine):
    at = open_app()
    at.segmented_control(key="board_period").set_value("campaign").run()
    whole = int(at.metric[1].value.replace(",", ""))
    at.segmented_control(key="board_period").set_value("week").run()
    week = int(at.metric[1].value.replace(",", ""))
    assert whole > week >= 0
    at.selectbox(key="board_metric_zh").set_value("completion").run()
    assert not at.exception


def test_sign_in_refuses_a_wrong_password_and_accepts_the_right_one(demo_engine):
    at = open_app(page="views/sign_in.py")
    at.text_input[0].input("reporter")
    at.text_input[1].input("wrong password!!")
    button_labelled(at, "登录").click().run()
    assert "用户名或密码不正确" in page_texts(at)
    at.text_input[1].input(DEMO_PASSWORD)
    button_labelled(at, "登录").click().run()
    assert at.session_state["signed_in"].actor.role == "reporter"
    assert any("东湖区 填报员" in caption.value for caption in at.sidebar.caption)


def test_a_reporter_submits_a_record_and_bad_input_is_refused(accounts):
    at = open_app(accounts["reporter"], "views/entry.py")
    assert "东湖区委组织部" in page_texts(at)
    types = at.selectbox(key="entry_type")
    types.select_index(types.options.index("宣传报道 · 宣传报道")).run()
    button_labelled(at, "提交审核").click().run()
    assert "还不能保存" in page_texts(at) and "标题" in page_texts(at)
    assert not at.success
    title = next(box for box in at.text_input if box.label.startswith("标题"))
    title.input("《组工动态》刊发我区活动进展")  # form values travel with the submit click
    outlet = next(box for box in at.selectbox if box.label.startswith("刊发平台"))
    outlet.select("《组工动态》")
    button_labelled(at, "提交审核").click().run()
    assert "已提交审核" in page_texts(at)
    assert not at.exception


def test_the_admin_reviews_and_approves(accounts):
    at = open_app(accounts["admin"], "views/review.py")
    assert at.title[0].value == "审核"
    waiting = int(at.metric[0].value.replace(",", ""))
    assert waiting > 0
    opener = next(box for box in at.selectbox if box.label == "查看记录")
    opener.select_index(0).run()
    button_labelled(at, "通过此条").click().run()
    assert "已通过 1 条记录" in page_texts(at)
    assert int(at.metric[0].value.replace(",", "")) == waiting - 1


def test_returning_needs_a_reason(accounts):
    at = open_app(accounts["admin"], "views/review.py")
    opener = next(box for box in at.selectbox if box.label == "查看记录")
    opener.select_index(0).run()
    button_labelled(at, "退回").click().run()
    assert "退回理由" in page_texts(at) and "至少" in page_texts(at)


def test_review_and_entry_are_not_in_the_menu_of_those_who_may_not_use_them(accounts):
    for user, page in ((accounts["reporter"], "views/review.py"), (None, "views/review.py"), (accounts["viewer"], "views/entry.py"), (None, "views/entry.py")):
        at = open_app(user)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


@pytest.mark.parametrize("user, page, message", [
    ("reporter", "views/review.py", "只有市委组织部管理员"),
    (None, "views/review.py", "只有市委组织部管理员"),
    (None, "views/entry.py", "请先登录"),
    ("viewer", "views/entry.py", "您没有权限"),
])
def test_pages_opened_directly_refuse_those_without_the_role(accounts, user, page, message):
    at = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=60)
    if user:
        at.session_state["signed_in"] = accounts[user]
    at.run()
    assert not at.exception
    assert message in page_texts(at)
    assert not at.metric and not at.dataframe


def test_an_open_session_ends_when_its_token_is_signed_out_elsewhere(accounts, demo_engine):
    from db.accounts import end_session, issue_session_token

    token = issue_session_token(accounts["reporter"].actor.user_id, engine=demo_engine)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["signed_in"] = accounts["reporter"]
    at.session_state["session_token"] = token
    at.run()
    assert "当前用户" in " ".join(caption.value for caption in at.sidebar.caption)
    end_session(token, engine=demo_engine)  # signed out in another tab
    at.session_state["session_token_checked_at"] = 0.0  # the next check is due
    at.run()
    assert "未登录" in " ".join(caption.value for caption in at.sidebar.caption)
    assert not at.exception
