"""Going live, the accounts part, as people do it: a new database shows how to make the first
administrator; the command makes one; the office signs in to the checklist, creates one reporter
per unit in bulk and downloads the initial passwords; a reporter signs in with a handed-out
password, must change it and lands on their workbench; disabled by the office, the reporter's open
tab is signed out at its next action."""
from __future__ import annotations

import os
import subprocess
import sys

from openpyxl import load_workbook
from playwright.sync_api import expect

from core.config import PROJECT_ROOT
from db.bootstrap import is_demo
from db.engine import get_engine, write_session
from db.models import ComparisonGroup, Unit
from tests.browser.conftest import AppServer
from tests.browser.helpers import choose, heading, no_exception, open_page, screenshot, settle, sidebar, sign_in

ADMIN_PASSWORD = "river stones at dusk"
REPORTER_PASSWORD = "seven lanterns on the bridge"


def create_admin(database_url: str, username: str, password: str) -> subprocess.CompletedProcess:
    """`python -m manage create-admin`, as the person who installs the app runs it on the server."""
    return subprocess.run(
        [sys.executable, "-m", "manage", "create-admin", username, "--display-name", "市委组织部办公室", "--password-stdin"],
        input=password + "\n", cwd=PROJECT_ROOT, env=dict(os.environ, DATABASE_URL=database_url),
        capture_output=True, text=True, timeout=120, check=True,
    )


def test_the_office_hands_out_accounts_and_a_reporter_takes_one_over(empty_server: AppServer, new_page, tmp_path) -> None:
    office = new_page()
    office.goto(empty_server.url)
    settle(office)
    expect(heading(office, "还没有管理员")).to_be_visible()
    expect(office.get_by_test_id("stMain")).to_contain_text("python -m manage create-admin USERNAME")
    screenshot(office, "going-live-01-no-admin")

    create_admin(empty_server.database_url, "office", ADMIN_PASSWORD)
    # The unit list is the organization step's (its own pages and journey); two units stand in here.
    with write_session(get_engine(empty_server.database_url)) as session:
        group = ComparisonGroup(code="district", name_zh="区县组", name_en="Districts")
        session.add(group)
        session.flush()
        session.add_all([
            Unit(code="dh", name_zh="东湖区委组织部", name_en="Donghu", kind="district", group_id=group.id, sort_order=1),
            Unit(code="xs", name_zh="西山区委组织部", name_en="Xishan", kind="district", group_id=group.id, sort_order=2),
        ])

    sign_in(office, empty_server.url, "office", ADMIN_PASSWORD)
    expect(heading(office, "开始使用")).to_be_visible()  # no campaign yet: the office lands on the checklist
    expect(office.get_by_test_id("stMain")).to_contain_text("已完成 1 / 5 步")
    expect(office.get_by_test_id("stMain")).to_contain_text("2 个单位中 0 个已有填报员")
    screenshot(office, "going-live-02-checklist")
    office.get_by_test_id("stMain").get_by_role("link", name="账号管理").click()
    settle(office)
    expect(heading(office, "账号管理")).to_be_visible()
    office.get_by_role("tab", name="批量开设").click()
    office.get_by_role("button", name="为 2 个单位开设填报员账号").click()
    settle(office)
    expect(office.get_by_test_id("stMain")).to_contain_text("只在这里显示一次")
    with office.expect_download() as download:
        office.get_by_role("button", name="下载初始密码(Excel)").click()
    sheet_file = tmp_path / "passwords.xlsx"
    download.value.save_as(sheet_file)
    rows = list(load_workbook(sheet_file).active.iter_rows(min_row=3, values_only=True))
    handed_out = {row[0]: row[1] for row in rows}
    assert set(handed_out) == {"reporter-dh", "reporter-xs"}
    screenshot(office, "going-live-03-handout")
    office.get_by_role("button", name="已分发,关闭").click()
    settle(office)
    expect(office.get_by_test_id("stMain")).not_to_contain_text("只在这里显示一次")
    no_exception(office)

    reporter = new_page()
    sign_in(reporter, empty_server.url, "reporter-dh", handed_out["reporter-dh"])
    expect(heading(reporter, "修改密码")).to_be_visible()
    expect(reporter.get_by_test_id("stMain")).to_contain_text("初始密码")
    screenshot(reporter, "going-live-04-must-change")
    reporter.get_by_label("当前密码", exact=True).fill(handed_out["reporter-dh"])
    reporter.get_by_label("新密码", exact=True).fill("password12345")
    reporter.get_by_label("再次输入新密码", exact=True).fill("password12345")
    reporter.get_by_role("button", name="修改密码").click()
    settle(reporter)
    expect(reporter.get_by_test_id("stMain")).to_contain_text("常见密码")
    reporter.get_by_label("当前密码", exact=True).fill(handed_out["reporter-dh"])
    reporter.get_by_label("新密码", exact=True).fill(REPORTER_PASSWORD)
    reporter.get_by_label("再次输入新密码", exact=True).fill(REPORTER_PASSWORD)
    reporter.get_by_role("button", name="修改密码").click()
    settle(reporter)
    expect(heading(reporter, "我的工作台")).to_be_visible()  # a reporter lands on their open items
    no_exception(reporter)

    # The office disables the account while the reporter's tab is open: the next click there is
    # made by nobody.
    office.get_by_role("tab", name="全部账号").click()
    choose(office, "选择一个账号进行修改、停用或重置密码", "reporter-dh · 东湖区委组织部填报员")
    office.get_by_role("button", name="停用账号").click()
    settle(office)
    expect(office.get_by_test_id("stMain")).to_contain_text("已停用账号 reporter-dh")
    open_page(reporter, empty_server.url, "/leaderboard")
    expect(sidebar(reporter)).to_contain_text("未登录")
    assert not is_demo(get_engine(empty_server.database_url))
