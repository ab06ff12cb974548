"""Entry, records and review screens under AppTest, as the demo's reporter, cadre and office see them."""
import datetime as dt
import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import select

from core.clock import office_today
from db.engine import read_session
from db.models import ActivityRecord
from db.record_queries import record_detail
from db.records import return_record, save_record
from db.reference import unit_people
from tests.pages.apptest import button_labelled, open_app, page_texts
from ui.data import refresh
from ui.record_panel import OPEN_KEY


def _widget(elements, label: str):
    return next(element for element in elements if element.label == label)


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (180, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _first_cadre(accounts) -> int:
    actor = accounts["reporter"].actor
    return unit_people(actor, actor.unit_id)["cadres"][0]["id"]


def _report(accounts, *, submit: bool = True, title: str | None = None, photos=()) -> int:
    """A 党性分析报告 of the reporter's unit written straight through the data layer."""
    actor = accounts["reporter"].actor
    writer = _first_cadre(accounts)
    result = save_record(
        actor, unit_id=actor.unit_id, type_code="analysis_report", title=title or f"党性分析报告 {uuid.uuid4().hex[:6]}",
        occurred_on=office_today(), submit=submit, photos=list(photos),
        details={"writer": writer, "problems": "查摆问题" * 40, "causes": "剖析原因" * 40, "measures": "整改措施" * 40},
    )
    refresh()  # as a view does after its write: the pages' cached reads see it now, not in two seconds
    return result.record_id


def test_the_address_chooses_the_form_and_a_reading_note_asks_for_the_book(accounts):
    at = open_app(accounts["reporter"], "views/entry.py", type="reading_note")
    assert at.selectbox(key="entry_type").value == "reading_note"
    assert [box.label for box in at.text_input] == ["书名 *", "作者", "标题(可不填)"]
    assert [area.label for area in at.text_area] == ["笔记正文 *", "心得体会 *"]
    assert "个人记录" in page_texts(at)


def test_a_reading_note_is_saved_with_its_title_made_from_the_book(accounts):
    at = open_app(accounts["reporter"], "views/entry.py", type="reading_note")
    book = f"测试之书{uuid.uuid4().hex[:4]}"
    _widget(at.text_input, "书名 *").input(book)
    _widget(at.selectbox, "撰写人 *").select(_first_cadre(accounts))
    _widget(at.text_area, "笔记正文 *").input("这本书讲述了组织工作的基本方法,对照自身工作深有体会。" * 4)
    _widget(at.text_area, "心得体会 *").input("要把学习成果转化为做好组织工作的实际行动。")
    button_labelled(at, "提交审核").click().run()
    assert "已提交审核" in page_texts(at), page_texts(at)
    with read_session() as session:
        title = session.scalar(select(ActivityRecord.title).order_by(ActivityRecord.id.desc()).limit(1))
    assert title == f"《{book}》读书笔记"


def test_a_report_too_short_is_refused_field_by_field(accounts):
    at = open_app(accounts["reporter"], "views/entry.py", type="analysis_report")
    _widget(at.text_input, "标题 *").input("我的党性分析报告")
    _widget(at.selectbox, "撰写人 *").select(_first_cadre(accounts))
    _widget(at.text_area, "查摆问题 *").input("问题不多")
    _widget(at.text_area, "剖析原因 *").input("剖析原因" * 20)
    _widget(at.text_area, "整改措施 *").input("整改措施" * 20)
    button_labelled(at, "提交审核").click().run()
    text = page_texts(at)
    assert "还不能保存" in text and "查摆问题" in text and "至少 50 个字(现有 4 个字)" in text
    assert not at.success


def test_a_cadre_enters_only_for_themself(accounts):
    at = open_app(accounts["cadre"], "views/entry.py", type="analysis_report")
    writer = _widget(at.selectbox, "撰写人 *")
    assert writer.disabled and writer.value == accounts["cadre"].actor.cadre_id
    assert all(option.split(" · ")[0] in {"党性教育", "学习型机关", "下基层", "带头创先争优"} for option in at.selectbox(key="entry_type").options)


def test_a_returned_record_shows_its_reason_and_is_fixed_and_resubmitted(accounts):
    record_id = _report(accounts)
    return_record(accounts["admin"].actor, record_id, "整改措施请写得具体一些")
    at = open_app(accounts["reporter"], "views/my_records.py")
    assert "被退回" in page_texts(at)
    at.session_state["records_open"] = record_id
    at.run()
    assert "退回理由:整改措施请写得具体一些" in page_texts(at)
    button_labelled(at, "修改并重新提交").click().run()
    title = next(box for box in at.text_input if box.label == "标题 *")
    assert title.value.startswith("党性分析报告")
    title.input("党性分析报告(修改稿)")
    _widget(at.text_area, "整改措施 *").input("一是每月开展一次谈心谈话;二是每季度检视一次问题清单。" * 3)
    button_labelled(at, "重新提交审核").click().run()
    assert not at.exception
    assert f"已重新提交审核(编号 {record_id})" in page_texts(at)
    detail = record_detail(accounts["reporter"].actor, record_id)
    assert (detail["status"], detail["title"], detail["return_reason"]) == ("pending", "党性分析报告(修改稿)", None)


def test_a_second_editor_is_told_of_the_conflict_instead_of_overwriting(accounts):
    record_id = _report(accounts, submit=False, title="冲突测试报告")
    at = open_app(accounts["reporter"], "views/my_records.py")
    at.session_state["records_open"] = record_id
    at.run()
    button_labelled(at, "修改").click().run()
    # Meanwhile a colleague saves the same record.
    detail = record_detail(accounts["reporter"].actor, record_id)
    actor = accounts["reporter"].actor
    save_record(actor, unit_id=actor.unit_id, type_code="analysis_report", title="同事先保存的标题", occurred_on=detail["occurred_on"],
                details=detail["details"], submit=False, record_id=record_id, expected_version=detail["version"])
    next(box for box in at.text_input if box.label == "标题 *").input("我后保存的标题")
    button_labelled(at, "保存草稿").click().run()
    assert not at.exception
    assert "刚刚被其他人修改过" in page_texts(at)
    assert record_detail(actor, record_id)["title"] == "同事先保存的标题"
    button_labelled(at, "重新打开这条记录").click().run()
    assert "同事先保存的标题" in page_texts(at)


def test_a_draft_is_deleted_and_an_approved_record_offers_no_change(accounts):
    record_id = _report(accounts, submit=False)
    at = open_app(accounts["reporter"], "views/my_records.py")
    at.session_state["records_open"] = record_id
    at.run()
    button_labelled(at, "确认删除").click().run()
    assert f"已删除编号 {record_id} 的记录" in page_texts(at)
    with read_session() as session:
        assert session.get(ActivityRecord, record_id).status == "deleted"  # kept for a restore (db/trash.py)
        approved = session.scalar(select(ActivityRecord.id).where(
            ActivityRecord.unit_id == accounts["reporter"].actor.unit_id, ActivityRecord.status == "approved").limit(1))
    at.session_state["records_open"] = approved
    at.run()
    assert "请联系市委组织部" in page_texts(at)
    assert not [button for button in at.button if button.label in {"修改", "确认删除"}]


def test_the_reviewer_sees_why_a_record_deserves_a_second_look(accounts):
    picture = _picture()
    first = _report(accounts, photos=[("现场.png", picture)])
    second = _report(accounts, photos=[("另一张.png", picture)])
    at = open_app(accounts["admin"], "views/review.py")
    assert "条有提示" in page_texts(at)
    opener = _widget(at.selectbox, "查看记录")
    opener.select(next(option for option in opener.options if option.startswith(f"{second} · "))).run()
    text = page_texts(at)
    assert "照片重复" in text and f"#{first} " in text
    assert "疑似重复" in text  # same person, type and day as the first


def test_an_approved_record_leaves_the_cached_queue_at_once(accounts):
    record_id = _report(accounts)
    at = open_app(accounts["admin"], "views/review.py")
    opener = _widget(at.selectbox, "查看记录")
    opener.select(next(option for option in opener.options if option.startswith(f"{record_id} · "))).run()
    button_labelled(at, "通过此条").click().run()
    assert "已通过 1 条记录" in page_texts(at)
    assert not any(option.startswith(f"{record_id} · ") for option in _widget(at.selectbox, "查看记录").options)


def test_the_review_queue_filters_by_date(accounts):
    at = open_app(accounts["admin"], "views/review.py")
    at.date_input(key="review_from").set_value(office_today() + dt.timedelta(days=1)).run()
    assert "没有符合条件的记录" in page_texts(at)


def test_bulk_entry_and_import_are_for_reporters_and_the_office(accounts):
    at = open_app(accounts["reporter"], "views/bulk_entry.py")
    assert at.title[0].value == "成批填报" and [button.label for button in at.main.button] == ["检查", "保存为草稿", "提交审核"]
    at = open_app(accounts["reporter"], "views/import_data.py")
    assert [tab.label for tab in at.tabs] == ["活动记录", "干部名册"]
    at = open_app(accounts["admin"], "views/import_data.py")
    assert [tab.label for tab in at.tabs] == ["活动记录", "干部名册", "单位名单"]
    for user, page in ((accounts["cadre"], "views/bulk_entry.py"), (accounts["cadre"], "views/import_data.py"), (accounts["viewer"], "views/my_records.py")):
        at = open_app(user)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_draft_is_saved_with_nothing_filled_in(accounts):
    at = open_app(accounts["reporter"], "views/entry.py", type="analysis_report")
    button_labelled(at, "保存草稿").click().run()
    assert "草稿已保存" in page_texts(at), page_texts(at)


def test_the_writer_sees_the_length_the_reviewer_expects(accounts):
    at = open_app(accounts["reporter"], "views/entry.py", type="analysis_report")
    assert "建议约 600 字" in page_texts(at) and "少于 300 字" in page_texts(at)


def test_a_number_below_its_minimum_gets_a_message(accounts):
    at = open_app(accounts["reporter"], "views/entry.py", type="party_lecture")
    _widget(at.number_input, "听众人数 *").set_value(0)
    button_labelled(at, "提交审核").click().run()
    assert "应在 1 到 5000 之间" in page_texts(at), page_texts(at)


def test_a_draft_opened_again_is_submitted_not_resubmitted(accounts):
    draft = _report(accounts, submit=False)
    at = open_app(accounts["reporter"], "views/my_records.py")
    at.session_state[OPEN_KEY] = draft
    at.run()
    button_labelled(at, "修改").click().run()
    labels = [button.label for button in at.button]
    assert "提交审核" in labels and "重新提交" not in labels, labels
