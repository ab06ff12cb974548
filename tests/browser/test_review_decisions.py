"""审核 decisions in the browser act on what the reviewer saw: the ticked rows, at the version shown.

Issue 13.1: after a bulk approval the next records must not move into the ticked rows.
Issue 13.2: a record resubmitted while the reviewer reads it is not approved unseen.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import uuid

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.clock import office_today
from db.accounts import sign_in as sign_in_data
from db.engine import get_engine, read_session
from db.models import ActivityRecord
from db.records import save_record
from tests.browser.helpers import DEMO_PASSWORD, alerts, choose, no_exception, open_page, screenshot, settle, sign_in


def _submit(database_url: str, title: str, *, record_id: int | None = None) -> int:
    engine = get_engine(database_url)
    reporter = sign_in_data("reporter", DEMO_PASSWORD, engine=engine).actor
    saved = save_record(
        reporter, unit_id=reporter.unit_id, type_code="publicity", title=title, record_id=record_id,
        occurred_on=office_today() - dt.timedelta(days=1), details={"outlet": "《组工动态》"}, submit=True, engine=engine,
    )
    return saved.record_id


def _statuses(database_url: str, ids: list[int]) -> list[str]:
    with read_session(get_engine(database_url)) as session:
        found = dict(session.execute(select(ActivityRecord.id, ActivityRecord.status).where(ActivityRecord.id.in_(ids))).all())
    return [found[ident] for ident in ids]


def _tick(page: Page, row: int) -> None:
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    grid.click(position={"x": 18, "y": 52 + 35 * row})
    settle(page)


def test_a_bulk_approval_leaves_nothing_ticked_for_the_next_click(app_server, new_page) -> None:
    batch = f"批量{uuid.uuid4().hex[:5]}"
    ids = [_submit(app_server.database_url, f"{batch} 报道 {n}") for n in range(4)]
    page = new_page()
    sign_in(page, app_server.url, "admin")
    open_page(page, app_server.url, "/review")
    page.get_by_label("查找", exact=True).fill(batch)
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("显示 4 条,共 4 条")
    _tick(page, 0)
    _tick(page, 1)
    approve = page.get_by_role("button", name=re.compile(r"通过所选"))
    expect(approve).to_contain_text("通过所选(2 条)")
    approve.click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("已通过 2 条记录")
    assert _statuses(app_server.database_url, ids) == ["approved", "approved", "pending", "pending"]
    # The two records left moved up into the rows that were ticked: they are not ticked.
    expect(page.get_by_test_id("stMain")).to_contain_text("显示 2 条,共 2 条")
    expect(approve).to_contain_text("通过所选(0 条)")
    expect(approve).to_be_disabled()
    screenshot(page, "60-review-after-bulk")
    assert _statuses(app_server.database_url, ids) == ["approved", "approved", "pending", "pending"]
    no_exception(page)


def test_a_record_changed_while_open_is_shown_again_not_approved(app_server, new_page) -> None:
    title = f"原始标题 {uuid.uuid4().hex[:5]}"
    record_id = _submit(app_server.database_url, title)
    page = new_page()
    sign_in(page, app_server.url, "admin")
    open_page(page, app_server.url, "/review")
    choose(page, "查看记录", re.compile(rf"^{record_id} · "), typed=f"{record_id} ·")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=re.compile(rf"记录详情 · {record_id} · 原始标题"))).to_be_visible()

    # The unit resubmits a different text while the reviewer reads the first one.
    _submit(app_server.database_url, f"改过的标题 {uuid.uuid4().hex[:5]}", record_id=record_id)
    page.get_by_role("button", name="通过此条", exact=True).click()
    settle(page)
    assert _statuses(app_server.database_url, [record_id]) == ["pending"]
    expect(main.get_by_text("在你打开后被修改过")).to_be_visible()
    expect(main.get_by_role("heading", name=re.compile(rf"记录详情 · {record_id} · 改过的标题"))).to_be_visible()
    screenshot(page, "61-review-changed-since-opened")

    # Now the reviewer has seen the new version: approving it works.
    page.get_by_role("button", name="通过此条", exact=True).click()
    settle(page)
    assert _statuses(app_server.database_url, [record_id]) == ["approved"], page.get_by_test_id("stMain").inner_text()
    expect(alerts(page, "success")).to_contain_text("已通过 1 条记录")
    no_exception(page)


def test_a_refused_photo_is_said_and_nothing_is_saved(app_server, new_page, tmp_path) -> None:
    """Issue 13.7: a file that is not a picture is not dropped silently: the save is refused, in Chinese."""
    fake = tmp_path / "现场照片.txt"  # a type the browser-side filter used to drop silently
    fake.write_bytes(b"this is not a picture at all")
    title = f"照片被拒 {uuid.uuid4().hex[:5]}"
    page = new_page()
    sign_in(page, app_server.url, "reporter")
    open_page(page, app_server.url, "/entry?type=theory_study")
    settle(page)
    page.get_by_label("标题 *", exact=True).fill(title)
    page.get_by_label("主题 *", exact=True).fill("学习党章")
    page.get_by_label("参加人数 *", exact=True).fill("12")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(fake))
    expect(page.get_by_test_id("stFileChip")).to_have_count(1)
    page.get_by_role("button", name="提交审核", exact=True).click()
    settle(page)
    expect(alerts(page, "error")).to_contain_text("不是图片文件")
    screenshot(page, "63-entry-photo-refused")
    with read_session(get_engine(app_server.database_url)) as session:
        assert session.scalar(select(ActivityRecord.id).where(ActivityRecord.title == title)) is None
    no_exception(page)
