"""督查 in the browser: the office signs in to its desk, opens the coverage matrix, opens a red
cell and sees who is missing, then downloads a 督办通知 for that lagging unit and the Word file
names the same people. The missing people are found here by plain SQL, not by the app's code.
Screenshots land in /tmp/browser-shots.
"""
from __future__ import annotations

import io
import os

import pytest

if not os.environ.get("CI"):  # in CI a missing Playwright is an error, never a silent skip
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from docx import Document
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from core.clock import office_today
from tests.browser.helpers import heading, no_exception, open_page, screenshot, settle, sign_in

pytestmark = pytest.mark.browser


def _overdue_lecture(database_url: str) -> tuple[int, str, str, list[str]]:
    """A unit whose principal lecture is past due and not given: its id and name, the task's
    name, and the names of its principals who have not given it."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                """
                SELECT u.id, u.name_zh, a.name_zh, c.name
                FROM campaign_target t
                JOIN activity_type a ON a.id = t.type_id AND a.code = 'party_lecture'
                JOIN unit u ON u.active AND u.group_id IS NOT NULL
                JOIN cadre c ON c.unit_id = u.id AND c.active AND c.is_principal
                WHERE t.due_on < :today
                  AND NOT EXISTS (
                    SELECT 1 FROM activity_record r
                    WHERE r.unit_id = u.id AND r.type_id = t.type_id AND r.cadre_id = c.id
                      AND r.status = 'approved' AND r.occurred_on <= :today)
                ORDER BY u.sort_order, u.id, c.id
                """
            ), {"today": office_today()}).all()
    finally:
        engine.dispose()
    assert rows, "the demo has no overdue lecture: the journey needs one red cell"
    unit_id, unit, task = rows[0][:3]
    return unit_id, unit, task, [row[3] for row in rows if row[0] == unit_id]


def test_the_office_follows_up_a_lagging_unit(app_server, new_page) -> None:
    unit_id, unit, task, principals = _overdue_lecture(app_server.database_url)
    page = new_page()
    sign_in(page, app_server.url, "admin")
    open_page(page, app_server.url, "/office")
    expect(heading(page, "督查工作台")).to_be_visible()
    no_exception(page)
    screenshot(page, "supervision-01-desk")

    # The desk lists the overdue tasks; the office opens the red cell from there.
    main = page.get_by_test_id("stMain")
    overdue = main.get_by_test_id("stHorizontalBlock").filter(has=page.get_by_text(f"{unit} · 讲党课", exact=False))
    overdue.get_by_role("link", name="谁没完成").first.click()
    settle(page)
    expect(heading(page, "完成情况一览")).to_be_visible()
    expect(main.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(page.get_by_role("combobox", name="单位", exact=True)).to_have_value(unit)
    expect(page.get_by_role("combobox", name="必做任务", exact=True)).to_have_value("讲党课")
    expect(main).to_contain_text("逾期未完成")
    for name in principals:
        expect(main).to_contain_text(name)
    no_exception(page)
    screenshot(page, "supervision-02-red-cell")

    open_page(page, app_server.url, "/lagging")
    expect(heading(page, "督办:落后单位")).to_be_visible()
    expect(main).to_contain_text(unit)
    with page.expect_download() as download:
        main.locator(f".st-key-notice_{unit_id}").get_by_role("button", name="下载督办通知").click()
    settle(page)
    assert download.value.suggested_filename.endswith(".docx") and unit in download.value.suggested_filename
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    words = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "督办通知" in words and f"{unit}:" in words
    assert task in words
    for name in principals:
        assert name in words
    no_exception(page)
    screenshot(page, "supervision-03-lagging")
