"""回收站 in the browser: a reporter deletes a draft, the office finds the deletion in the audit log,
restores the record from the deleted records, and the reporter sees it again."""
from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

if not os.environ.get("CI"):  # in CI a missing Playwright is an error, never a silent skip
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import expect
from sqlalchemy import select

from core.clock import office_today
from db.access import Actor
from db.engine import get_engine, read_session
from db.models import Cadre, User
from db.records import save_record
from tests.browser.helpers import alerts, heading, no_exception, open_page, screenshot, settle, sign_in, table_rows

pytestmark = pytest.mark.browser


def _draft_by_reporter(database_url: str, title: str) -> int:
    engine = get_engine(database_url)
    with read_session(engine) as session:
        user = session.scalar(select(User).where(User.username == "reporter"))
        writer = session.scalar(select(Cadre.id).where(Cadre.unit_id == user.unit_id, Cadre.active.is_(True)).limit(1))
    actor = Actor(user_id=user.id, role="reporter", unit_id=user.unit_id)
    saved = save_record(
        actor, unit_id=user.unit_id, type_code="analysis_report", title=title, occurred_on=office_today() - dt.timedelta(days=2),
        details={"writer": writer, "problems": "问" * 60, "causes": "因" * 60, "measures": "措" * 60}, submit=False, engine=engine,
    )
    return saved.record_id


def test_a_deleted_draft_is_found_in_the_audit_log_and_restored(app_server, new_page) -> None:
    base = app_server.url
    title = f"待删除的草稿 {uuid.uuid4().hex[:6]}"
    record_id = _draft_by_reporter(app_server.database_url, title)

    reporter = new_page()
    sign_in(reporter, base, "reporter")
    open_page(reporter, base, "/records")
    main = reporter.get_by_test_id("stMain")
    grid = main.get_by_test_id("stDataFrame").first
    assert any(title in " ".join(row) for row in table_rows(grid))
    grid.click(position={"x": 18, "y": 52})  # tick the newest record, the draft
    settle(reporter)
    reporter.get_by_role("button", name="删除").click()
    reporter.get_by_role("button", name="确认删除").click()
    settle(reporter)
    expect(alerts(reporter, "success")).to_contain_text(f"已删除编号 {record_id}")
    assert not any(title in " ".join(row) for row in table_rows(main.get_by_test_id("stDataFrame").first))

    admin = new_page()
    sign_in(admin, base, "admin")
    open_page(admin, base, "/audit")
    expect(heading(admin, "操作日志")).to_be_visible()
    log = admin.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    deletions = [row for row in table_rows(log) if "删除记录" in row and str(record_id) in row]
    assert deletions, table_rows(log)
    admin.get_by_role("tab", name="已删除的记录").click()
    settle(admin)
    trash = admin.get_by_test_id("stMain").get_by_role("tabpanel", name="已删除的记录").get_by_test_id("stDataFrame")
    assert str(record_id) in table_rows(trash)[0]
    trash.click(position={"x": 18, "y": 52})
    settle(admin)
    admin.get_by_role("button", name="恢复所选记录").click()
    settle(admin)
    expect(alerts(admin, "success")).to_contain_text("已恢复 1 条记录")
    screenshot(admin, "40-trash-restored")
    no_exception(admin)

    open_page(reporter, base, "/records")
    assert any(title in " ".join(row) for row in table_rows(reporter.get_by_test_id("stMain").get_by_test_id("stDataFrame").first))
    no_exception(reporter)
