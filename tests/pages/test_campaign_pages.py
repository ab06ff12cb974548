"""活动设置 and 活动目录 under AppTest: admin only, and bad input refused with a clear message
(on the shared demo database these tests change nothing)."""
import datetime as dt
import json

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from db.engine import read_session
from db.models import ActivityType
from tests.pages.apptest import button_labelled, open_app, page_texts


def _by_label(elements, label):
    return next(element for element in elements if element.label == label)


def test_the_campaign_page_shows_the_current_campaign_and_refuses_an_end_before_the_start(accounts):
    at = open_app(accounts["admin"], "views/campaign.py")
    assert at.title[0].value == "活动设置"
    choice = _by_label(at.selectbox, "活动")
    assert "当前" in choice.format_func(choice.value)
    assert [tab.label for tab in at.tabs] == ["基本信息", "统计周期", "活动类型与必做任务", "结束与下一期", "新建活动"]
    start = _by_label(at.date_input, "开始日期")
    _by_label(at.date_input, "结束日期").set_value(start.value - dt.timedelta(days=1))
    button_labelled(at, "保存").click().run()
    assert not at.exception
    assert "结束日期早于开始日期。" in page_texts(at)
    at = open_app(accounts["admin"], "views/campaign.py")
    assert _by_label(at.date_input, "结束日期").value > start.value


def test_a_new_campaign_with_a_taken_code_is_refused_in_english(accounts):
    at = open_app(accounts["admin"], "views/campaign.py")
    at.radio[0].set_value("en").run()
    code = _by_label(at.text_input, "Code").value
    new_tab = at.tabs[4]
    _by_label(new_tab.text_input, "Code").input(code.upper())
    _by_label(new_tab.text_input, "Chinese name").input("第二期")
    _by_label(new_tab.text_input, "English name").input("Second stage")
    next(button for button in new_tab.button if button.label == "Create campaign").click().run()
    assert f"The code {code.upper()} is already used by another campaign." in page_texts(at)


def test_the_pages_themselves_refuse_anyone_but_the_office(accounts):
    """Even opened without the menu (the script run on its own), the pages show nothing to others."""
    for name in ("reporter", "viewer"):
        for page in ("views/campaign.py", "views/catalogue.py"):
            at = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=60)
            at.session_state["signed_in"] = accounts[name]
            at.run()
            assert not at.exception
            assert [error.value for error in at.error] == ["只有市委组织部管理员可以进行此操作。"]
            assert not at.tabs


def test_the_catalogue_lists_every_type_and_refuses_a_person_level_type_without_a_person_field(accounts, demo_engine):
    at = open_app(accounts["admin"], "views/catalogue.py")
    assert at.title[0].value == "活动目录"
    assert [tab.label for tab in at.tabs] == ["全部类型", "编辑类型", "新建类型"]
    new_tab = at.tabs[2]
    _by_label(new_tab.text_input, "代码").input("door_visit")
    _by_label(new_tab.text_input, "中文名称").input("入户走访")
    _by_label(new_tab.text_input, "英文名称").input("Door visit")
    _by_label(new_tab.selectbox, "填报层级").set_value("person")
    next(button for button in new_tab.button if button.label == "新建类型").click().run()
    assert not at.exception
    assert "个人层级的类型需要一个「人员」填报项。" in page_texts(at)
    with read_session(demo_engine) as session:
        assert session.scalar(select(ActivityType).where(ActivityType.code == "door_visit")) is None


def test_the_presenter_address_chooses_the_campaign(demo_engine):
    from db.campaigns import campaign_choices

    (demo,) = campaign_choices(engine=demo_engine)
    chosen = open_app(None, "views/presenter.py", play=1, campaign=demo.id, boards="leaderboard")
    unknown = open_app(None, "views/presenter.py", play=1, campaign=999999, boards="leaderboard")
    # An unknown campaign falls back to the current one rather than a broken screen.
    assert "app.no_campaign" not in page_texts(chosen)
    def screen(at):
        # The deck the player is sent: its slides, without the time it was made.
        deck = json.loads(json.loads(at.get("bidi_component")[0].proto.json))
        return [(slide["id"], json.dumps(slide, ensure_ascii=False)) for slide in deck["slides"]]

    assert screen(chosen) and "pr-row" in screen(chosen)[0][1] and screen(chosen) == screen(unknown)
