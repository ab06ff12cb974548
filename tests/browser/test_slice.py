"""The vertical slice as people do it in the browser: look at the board, report an activity, review it,
see it counted. Screenshots of the key states land in /tmp/browser-shots.
"""
from __future__ import annotations

import os
import re
import time
import uuid

import pytest

if not os.environ.get("CI"):  # in CI a missing Playwright is an error, never a silent skip
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import Page, expect

from core.clock import office_today
from db.catalog_defaults import ACTIVITY_TYPES
from tests.browser.helpers import (
    alerts,
    choose,
    date_value,
    heading,
    metric_delta,
    metric_value,
    no_exception,
    number,
    open_page,
    query,
    screenshot,
    settle,
    sidebar,
    sign_in,
    table_rows,
)

PUBLICITY_POINTS = float(next(a["default_points"] for a in ACTIVITY_TYPES if a["code"] == "publicity"))
PUBLICITY_OPTION = "宣传报道 · 宣传报道"
OUTLET = "《组工动态》"


def _record_count(database_url: str) -> int:
    """Activity records in the app's database, all statuses (to prove a refused form wrote nothing)."""
    [(count,)] = query(database_url, "SELECT count(*) FROM activity_record")
    return count


def _no_metric(page: Page, label: str) -> None:
    expect(page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)).to_have_count(0)


def _board_figures(page: Page) -> tuple[int, float, str]:
    """通过记录, the own unit's points (from the 本单位 metric's delta 积分 N) and its rank text."""
    records = int(number(metric_value(page, "通过记录")))
    delta = metric_delta(page, "本单位")
    assert re.fullmatch(r"积分\s*[\d,]+(\.\d+)?", delta), f"本单位 delta reads {delta!r}"
    rank = metric_value(page, "本单位")
    assert re.fullmatch(r"第\s*\d+\s*名", rank), f"本单位 reads {rank!r}"
    return records, number(delta), rank


def test_visitor_sees_the_board_and_switches_language(app_url: str, new_page) -> None:
    page = new_page()
    open_page(page, app_url, "/")

    expect(heading(page, "单位排行")).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_text("当前为演示数据")).to_be_visible()
    expect(sidebar(page)).to_contain_text("未登录")
    metric_value(page, "通过记录")  # the board's figures are there...
    _no_metric(page, "本单位")  # ...but a visitor has no unit of their own
    no_exception(page)

    sidebar(page).get_by_text("English", exact=True).click()
    settle(page)
    expect(heading(page, "Unit leaderboard")).to_be_visible()
    expect(heading(page, "单位排行")).to_have_count(0)
    expect(page.get_by_test_id("stMain").get_by_text("Demo data")).to_be_visible()
    no_exception(page)
    screenshot(page, "00-visitor-english")

    sidebar(page).get_by_text("中文", exact=True).click()
    settle(page)
    expect(heading(page, "单位排行")).to_be_visible()
    expect(heading(page, "Unit leaderboard")).to_have_count(0)
    no_exception(page)


def test_reported_activity_counts_on_the_board_once_approved(app_server, new_page) -> None:
    base = app_server.url

    # b. The reporter of 东湖区委组织部 reads the board, then reports a publicity item.
    reporter = new_page()
    sign_in(reporter, base, "reporter")
    nav = reporter.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("活动填报")
    expect(nav).not_to_contain_text("审核")  # reviewing is the office's job

    open_page(reporter, base, "/leaderboard")
    expect(heading(reporter, "单位排行")).to_be_visible()
    expect(reporter.get_by_role("combobox", name="比较组", exact=True)).to_have_value("区县组")
    records_before, points_before, _ = _board_figures(reporter)
    no_exception(reporter)
    screenshot(reporter, "01-leaderboard-reporter")

    open_page(reporter, base, "/entry")
    expect(heading(reporter, "活动填报")).to_be_visible()
    expect(reporter.get_by_test_id("stMain")).to_contain_text("东湖区委组织部")
    choose(reporter, "活动类型", PUBLICITY_OPTION)
    title = f"浏览器测试报道 {uuid.uuid4().hex[:8]}"
    title_box = reporter.get_by_label("标题 *", exact=True)
    title_box.fill(title)
    assert date_value(reporter, "活动日期 *") == office_today()  # kept as offered (the demo campaign runs on)
    choose(reporter, "刊发平台 *", OUTLET)
    screenshot(reporter, "02-entry-filled")

    reporter.get_by_role("button", name="提交审核", exact=True).click()
    settle(reporter)
    success = alerts(reporter, "success")
    expect(success).to_contain_text("已提交审核")
    found = re.search(r"已提交审核[((]编号\s*(\d+)[))]", success.inner_text())
    assert found, f"success message reads {success.inner_text()!r}"
    record_id = int(found.group(1))
    recent = reporter.get_by_test_id("stDataFrame")
    expect(recent).to_be_visible()
    newest = table_rows(recent)[0]
    assert newest[0] == str(record_id) and newest[2] == title and newest[4] == "待审核", newest
    no_exception(reporter)
    screenshot(reporter, "03-entry-submitted")

    # c. The same form, title left empty: refused, nothing written.
    count_before = _record_count(app_server.database_url)
    expect(title_box).to_have_value("")  # a fresh form replaced the submitted one
    choose(reporter, "刊发平台 *", OUTLET)
    reporter.get_by_role("button", name="提交审核", exact=True).click()
    settle(reporter)
    refusal = alerts(reporter, "error")
    expect(refusal).to_contain_text("还不能保存")
    expect(refusal).to_contain_text("标题")
    expect(alerts(reporter, "success")).to_have_count(0)
    assert _record_count(app_server.database_url) == count_before
    assert table_rows(recent)[0][0] == str(record_id)
    no_exception(reporter)
    screenshot(reporter, "04-entry-title-missing")

    # d. The office approves it, in a second browser.
    admin = new_page()
    sign_in(admin, base, "admin")
    open_page(admin, base, "/review")
    expect(heading(admin, "审核")).to_be_visible()
    pending_before = int(number(metric_value(admin, "待审核")))
    choose(admin, "查看记录", re.compile(rf"^{record_id} · "), typed=f"{record_id} ·")
    main = admin.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=re.compile(rf"记录详情 · {record_id} · "))).to_contain_text(title)
    expect(main).to_contain_text(OUTLET)
    no_exception(admin)
    screenshot(admin, "05-review-record-open")

    admin.get_by_role("button", name="通过此条", exact=True).click()
    settle(admin)
    expect(alerts(admin, "success")).to_contain_text("已通过 1 条记录")
    assert int(number(metric_value(admin, "待审核"))) == pending_before - 1
    no_exception(admin)
    screenshot(admin, "06-review-approved")

    # e. Back at the reporter's: the board counts it (the data version is cached for up to 2 s).
    deadline = time.monotonic() + 15
    while True:
        open_page(reporter, base, "/leaderboard")
        records_after, points_after, _ = _board_figures(reporter)
        if records_after != records_before or time.monotonic() > deadline:
            break
        open_page(reporter, base, "/entry")
        reporter.wait_for_timeout(500)
    assert records_after == records_before + 1
    assert points_after == pytest.approx(points_before + PUBLICITY_POINTS)
    no_exception(reporter)
    screenshot(reporter, "07-leaderboard-after-approval")


@pytest.mark.parametrize(
    ("path", "page_heading"),
    [("/review", "审核"), ("/entry", "活动填报")],
    ids=["review", "entry"],
)
def test_signed_out_person_cannot_open_restricted_pages(app_url: str, new_page, path: str, page_heading: str) -> None:
    page = new_page()
    page.goto(app_url + path)
    settle(page)
    # The address explains itself and offers sign-in; nothing of the page itself is shown.
    expect(page.get_by_test_id("stMain")).to_contain_text(f"「{page_heading}」需要登录后使用")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    _no_metric(page, "待审核")
    expect(page.get_by_label("标题 *", exact=True)).to_have_count(0)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).not_to_contain_text("审核")
    expect(nav).not_to_contain_text("活动填报")
    no_exception(page)
    screenshot(page, f"08-signed-out-{path.strip('/')}")


def test_sign_in_survives_a_reload_and_signing_out_ends_it(app_url: str, new_page) -> None:
    page = new_page()
    sign_in(page, app_url, "reporter")
    page.reload()
    settle(page)
    expect(sidebar(page)).to_contain_text("当前用户")
    page.goto(app_url + "/entry")  # a bookmark of a signed-in page opens it
    settle(page)
    expect(heading(page, "活动填报")).to_be_visible()
    copied = [cookie for cookie in page.context.cookies() if cookie["name"] == "eb_session"]
    assert copied, "signing in sets the session cookie"
    assert copied[0]["sameSite"] == "Strict" and copied[0]["path"] == "/"

    sidebar(page).get_by_role("button", name="退出登录").click()
    settle(page)
    expect(sidebar(page)).to_contain_text("未登录")
    page.reload()
    settle(page)
    expect(sidebar(page)).to_contain_text("未登录")
    expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("活动填报")
    no_exception(page)

    # A copy of the cookie taken before signing out no longer signs anyone in.
    elsewhere = new_page()
    elsewhere.context.add_cookies(copied)
    elsewhere.goto(app_url + "/entry")
    settle(elsewhere)
    expect(sidebar(elsewhere)).to_contain_text("未登录")
    expect(elsewhere.get_by_test_id("stMain")).to_contain_text("需要登录后使用")


def test_first_visitor_after_a_start(fresh_app_url: str, new_page) -> None:
    """The first session after a start once ran the page file without app.py (Streamlit's legacy
    pages/ folder), showing 'Page not found' and losing the first language switch."""
    page = new_page()
    page.goto(fresh_app_url + "/sign-in")
    settle(page)
    # A new database without an administrator says so at every address.
    expect(heading(page, "还没有管理员")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0, timeout=3_000)
    page.goto(fresh_app_url)
    settle(page)
    expect(heading(page, "还没有管理员")).to_be_visible()
    sidebar(page).get_by_text("English", exact=True).click()
    settle(page)
    expect(heading(page, "No administrator yet")).to_be_visible(timeout=3_000)
