"""建议征集, 问题台账 and 公信度与满意度 under AppTest, as the demo's office, reporter, cadre and viewer see them."""
import datetime as dt
import uuid

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core.clock import office_today
from core.config import PROJECT_ROOT
from db.engine import read_session
from db.models import Suggestion
from db.problems import create_problem
from db.suggestions import answer_suggestion, list_suggestions, submit_suggestion
from tests.pages.apptest import button_labelled, open_app, page_texts


def _widget(elements, label: str):
    return next(element for element in elements if element.label == label)


def test_a_cadre_submits_a_suggestion_from_the_page(accounts):
    at = open_app(accounts["cadre"], "views/suggestions.py")
    title = f"建议 {uuid.uuid4().hex[:6]}"
    _widget(at.text_input, "标题").input(title)
    _widget(at.text_area, "建议内容").input("建议定期公开选人用人工作情况,接受干部群众监督。")
    button_labelled(at, "提交建议").click().run()
    assert not at.exception
    assert "建议已提交" in page_texts(at)
    mine = [row for row in list_suggestions(accounts["cadre"].actor) if row["title"] == title]
    assert [(row["status"], row["is_mine"]) for row in mine] == [("submitted", True)]


def test_a_short_suggestion_is_refused_in_words_and_nothing_is_lost(accounts):
    at = open_app(accounts["cadre"], "views/suggestions.py")
    _widget(at.text_input, "标题").input("太短的建议")
    _widget(at.text_area, "建议内容").input("太短")
    button_labelled(at, "提交建议").click().run()
    assert "没有保存" in page_texts(at) and "建议内容" in page_texts(at)
    assert _widget(at.text_area, "建议内容").value == "太短"


def test_the_office_sees_every_unit_counts_and_the_setting(accounts):
    at = open_app(accounts["admin"], "views/suggestions.py")
    assert [metric.label for metric in at.metric] == ["待答复", "采纳", "部分采纳", "未采纳"]
    assert _widget(at.toggle, "允许匿名提出建议").value is False
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["id", "status", "title", "unit", "submitter", "division", "submitted", "adopted_on", "answer"]
    assert len(frame["unit"].unique()) > 1  # the office sees every unit's suggestions
    assert set(frame["status"]) <= {"待答复", "采纳", "部分采纳", "未采纳"}


def test_a_viewer_and_a_visitor_are_told_why_not(accounts):
    """The menu shows them neither page; run alone, each page still refuses (the data layer would too)."""
    for user, why in ((accounts["viewer"], "这个页面只对市委组织部"), (None, "请先登录")):
        for page in ("suggestions", "problems", "surveys"):
            at = AppTest.from_file(str(PROJECT_ROOT / "views" / f"{page}.py"), default_timeout=60)
            if user is not None:
                at.session_state["signed_in"] = user
            at.run()
            assert not at.exception
            assert why in page_texts(at)
            assert not at.dataframe


def test_the_problems_ledger_lists_overdue_first_and_shows_them_red(accounts):
    actor = accounts["reporter"].actor
    today = office_today()
    description = f"逾期测试问题 {uuid.uuid4().hex[:6]}"
    create_problem(actor, unit_id=actor.unit_id, description=description, found_on=today - dt.timedelta(days=40), due_on=today - dt.timedelta(days=3))
    at = open_app(accounts["reporter"], "views/problems.py")
    _widget(at.toggle, "只看逾期").set_value(True).run()
    frame = at.dataframe[0].value
    overdue = frame.data if hasattr(frame, "data") else frame
    assert description in list(overdue["description"])
    assert all(text.startswith("逾期") for text in overdue["overdue"])
    assert _widget(at.metric, "已逾期").value != "0"


def test_the_reporter_enters_a_problem_for_their_unit(accounts):
    at = open_app(accounts["reporter"], "views/problems.py")
    description = f"登记测试问题 {uuid.uuid4().hex[:6]}"
    _widget(at.text_area, "问题描述").input(description)
    button_labelled(at, "登记").click().run()
    assert "问题已登记" in page_texts(at)


def test_the_office_enters_a_survey_result_and_a_bad_one_is_refused(accounts):
    at = open_app(accounts["admin"], "views/surveys.py")
    button_labelled(at, "保存").click().run()
    assert "没有保存" in page_texts(at)
    _widget(at.selectbox, "单位").select(accounts["reporter"].actor.unit_id)
    _widget(at.number_input, "选人用人公信度").set_value(91.5)
    _widget(at.number_input, "组织工作满意度").set_value(93.0)
    _widget(at.number_input, "参评人数").set_value(120)
    button_labelled(at, "保存").click().run()
    assert not at.exception
    assert "已保存" in page_texts(at)


def test_a_cadre_sees_their_units_survey_trend_but_no_entry_form(accounts):
    at = open_app(accounts["cadre"], "views/surveys.py")
    assert "公信度与满意度" in page_texts(at)
    assert not [button for button in at.button if button.label == "保存"]
    assert at.dataframe


def test_the_answer_shows_on_the_cadres_own_record(accounts):
    actor = accounts["cadre"].actor
    result = submit_suggestion(actor, unit_id=actor.unit_id, title=f"记录上的答复 {uuid.uuid4().hex[:6]}", content="建议简化基层党建台账,减轻基层负担,把时间用在为群众办实事上。")
    with read_session() as session:
        suggestion_id = session.scalar(select(Suggestion.id).where(Suggestion.record_id == result.record_id))
    answer_suggestion(accounts["admin"].actor, suggestion_id, status="adopted", answer="已采纳,将在全市推广。")
    at = open_app(accounts["cadre"], "views/my_records.py")
    at.session_state["records_open"] = result.record_id
    at.run()
    assert "市委组织部的答复" in page_texts(at)
    assert "已采纳,将在全市推广。" in page_texts(at)
