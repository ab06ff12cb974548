"""督查台账 in the browser: a cadre's suggestion answered and adopted by the office, seen by the cadre
and counted for the unit; a problem past its due date shown red in the ledger.
Screenshots land in /tmp/browser-shots.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import time
import uuid

import pytest

if not os.environ.get("CI"):  # in CI a missing Playwright is an error, never a silent skip
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine

from core.clock import office_today
from db.access import Actor
from db.boards import rules_for
from db.problems import create_problem
from tests.browser.helpers import (
    alerts,
    heading,
    metric_value,
    no_exception,
    number,
    open_page,
    query,
    screenshot,
    settle,
    sign_in,
)


def _unit_points(page: Page, base: str) -> float:
    """The signed-in person's own unit's points on the unit page (the board's default period)."""
    open_page(page, base, "/unit")
    expect(heading(page, "单位详情")).to_be_visible()
    return number(metric_value(page, "积分"))


def _tick_first_row(page: Page) -> None:
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    grid.click(position={"x": 18, "y": 52})  # the selection box of the first row, below the header row
    settle(page)


def test_a_cadres_suggestion_is_answered_adopted_seen_and_counted(app_server, new_page) -> None:
    base = app_server.url
    engine = create_engine(app_server.database_url)
    try:
        bonus = rules_for(engine=engine).bonuses["adopted_suggestion"]
    finally:
        engine.dispose()
    cadre = new_page()
    sign_in(cadre, base, "cadre")
    before = _unit_points(cadre, base)

    # The cadre makes a suggestion on the suggestions page.
    open_page(cadre, base, "/suggestions")
    expect(heading(cadre, "建议征集")).to_be_visible()
    cadre.get_by_test_id("stMain").get_by_text("提出建议", exact=True).click()
    marker = uuid.uuid4().hex[:6]
    title = f"建立干部谈话预约制度 {marker}"
    cadre.get_by_label("标题", exact=True).fill(title)
    cadre.get_by_label("建议内容", exact=True).fill("建议建立干部考察谈话预约制度,方便基层干部主动反映情况、提出意见。")
    cadre.get_by_role("button", name="提交建议", exact=True).click()
    settle(cadre)
    expect(alerts(cadre, "success")).to_contain_text("建议已提交")
    [(suggestion_id, status)] = query(app_server.database_url, "SELECT id, status FROM suggestion WHERE title = :title", title=title)
    assert status == "submitted"
    no_exception(cadre)
    screenshot(cadre, "60-suggestion-submitted")

    # The office finds it, and answers: adopted.
    admin = new_page()
    sign_in(admin, base, "admin")
    open_page(admin, base, "/suggestions")
    admin.get_by_label("搜索", exact=True).fill(marker)
    admin.get_by_label("搜索", exact=True).press("Enter")
    settle(admin)
    _tick_first_row(admin)
    main = admin.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=re.compile(rf"建议 · {suggestion_id} · "))).to_be_visible()
    main.get_by_role("radiogroup", name="答复结果").get_by_text("采纳", exact=True).click()
    main.get_by_label("答复", exact=True).fill("建议很有针对性,已采纳,将在全市组织系统推行。")
    admin.get_by_role("button", name="答复", exact=True).click()
    settle(admin)
    expect(alerts(admin, "success")).to_contain_text(f"已答复编号 {suggestion_id} 的建议")
    [(status, adopted_on)] = query(app_server.database_url, "SELECT status, adopted_on FROM suggestion WHERE id = :id", id=suggestion_id)
    assert (status, str(adopted_on)) == ("adopted", office_today().isoformat())
    no_exception(admin)
    screenshot(admin, "61-suggestion-answered")

    # The cadre sees the answer on their own record.
    open_page(cadre, base, "/records")
    expect(heading(cadre, "填报记录")).to_be_visible()
    _tick_first_row(cadre)
    expect(cadre.get_by_test_id("stMain")).to_contain_text("市委组织部的答复")
    expect(cadre.get_by_test_id("stMain")).to_contain_text("已采纳,将在全市组织系统推行")
    no_exception(cadre)
    screenshot(cadre, "62-suggestion-answer-on-record")

    # The unit's points rose by the bonus (the data version is cached for up to two seconds).
    deadline = time.monotonic() + 15
    after = _unit_points(cadre, base)
    while after == before and time.monotonic() < deadline:
        open_page(cadre, base, "/records")
        after = _unit_points(cadre, base)
    assert after == pytest.approx(before + bonus)


def test_a_problem_past_its_due_date_is_red_in_the_ledger_and_counted_on_the_start_page(app_server, new_page) -> None:
    base = app_server.url
    office = new_page()
    sign_in(office, base, "admin")
    open_page(office, base, "/office")
    expect(heading(office, "督查工作台")).to_be_visible()
    overdue_before = int(number(metric_value(office, "逾期未解决问题")))
    engine = create_engine(app_server.database_url)
    [(unit_id,)] = query(app_server.database_url, "SELECT id FROM unit WHERE code = 'district-001'")
    today = office_today()
    description = f"社区党组织活动场所不足 {uuid.uuid4().hex[:6]}"
    try:  # seeded through the data layer as the unit's reporter would enter it, already past due
        create_problem(
            Actor(user_id=None, role="reporter", unit_id=unit_id), unit_id=unit_id, description=description,
            found_on=today - dt.timedelta(days=45), due_on=today - dt.timedelta(days=5), engine=engine,
        )
    finally:
        engine.dispose()

    page = new_page()
    sign_in(page, base, "reporter")
    open_page(page, base, "/problems")
    expect(heading(page, "突出问题台账")).to_be_visible()
    page.get_by_label("搜索", exact=True).fill(description[-6:])
    page.get_by_label("搜索", exact=True).press("Enter")
    settle(page)
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text("逾期 5 天")
    _tick_first_row(page)
    overdue = alerts(page, "error")
    expect(overdue).to_contain_text("已超过整改期限 5 天")
    colour = overdue.first.get_by_test_id("stAlertContainer").evaluate("el => getComputedStyle(el).backgroundColor")
    red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
    assert red > green + 10 and red > blue + 10, colour  # the alert is drawn in red (a pale red ground)
    no_exception(page)
    screenshot(page, "63-problem-overdue")

    # The office's start page counts it among the problems past their due date.
    open_page(office, base, "/office")
    assert int(number(metric_value(office, "逾期未解决问题"))) == overdue_before + 1
    no_exception(office)
