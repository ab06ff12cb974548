"""The boards as a new user tries them: switch period, group and metric and watch the table and the
chart follow; open a unit and check that its breakdown adds up; export what is shown to Excel.
Screenshots land in /tmp/browser-shots."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    choose,
    heading,
    no_exception,
    number,
    open_page,
    screenshot,
    settle,
    sign_in,
    table_rows,
)

ROW_HEIGHT = 35  # st.dataframe's rows, the header row included
BOARD_HEADERS = ["名次", "单位", "人数", "积分", "人均积分", "完成率", "公信度与满意度", "综合指数", "变化"]


def _main(page: Page):
    return page.get_by_test_id("stMain")


def _board_table(page: Page):
    """The leaderboard grid: the first dataframe of the page."""
    return _main(page).get_by_test_id("stDataFrame").first


def _rows(page: Page) -> list[list[str]]:
    """Board rows without the selection checkbox cell: [名次, 单位, 人数, 积分, 人均积分, 完成率, 公信度与满意度, 综合指数, 变化]."""
    return [row[-len(BOARD_HEADERS):] for row in table_rows(_board_table(page))]


def _period(page: Page, label: str) -> None:
    _main(page).get_by_role("radio", name=label, exact=True).click()
    settle(page)


def test_switching_period_group_and_metric_updates_the_board_and_its_chart(app_url: str, new_page) -> None:
    page = new_page()
    open_page(page, app_url, "/")
    expect(heading(page, "单位排行")).to_be_visible()
    chart = _main(page).get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible()
    quarter = _rows(page)
    assert quarter and all(len(row) == len(BOARD_HEADERS) for row in quarter)

    _period(page, "活动全程")
    whole = _rows(page)
    assert [row[1] for row in whole] != [] and sum(number(row[3]) for row in whole) > sum(number(row[3]) for row in quarter)
    assert all(row[8] == "" for row in whole)  # no previous period before the campaign: no ▲▼
    expect(_main(page)).to_contain_text("区县组 · 人均积分")
    screenshot(page, "boards-01-whole-campaign")

    choose(page, "排名依据", "综合指数")
    expect(_main(page)).to_contain_text("区县组 · 综合指数")
    by_composite = _rows(page)
    composite = [number(row[7]) for row in by_composite]
    assert composite == sorted(composite, reverse=True)
    expect(_main(page)).to_contain_text("人均积分指数")  # the formula explains the index

    choose(page, "比较组", "市直部门组")
    expect(_main(page)).to_contain_text("市直部门组 · 综合指数")
    other = _rows(page)
    assert {row[1] for row in other}.isdisjoint({row[1] for row in by_composite})
    expect(chart).to_be_visible()
    no_exception(page)
    screenshot(page, "boards-02-departments-composite")


def test_a_units_breakdown_adds_up_and_the_export_matches_the_screen(app_url: str, new_page) -> None:
    page = new_page()
    open_page(page, app_url, "/")
    _period(page, "活动全程")
    rows = _rows(page)
    second = rows[1]

    # Opening a unit: tick its row (the grid is drawn on a canvas: click where the row is);
    # the breakdown tab follows.
    box = _board_table(page).bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + ROW_HEIGHT * 2 + ROW_HEIGHT / 2)
    settle(page)
    _main(page).get_by_role("tab", name="积分构成").click()
    settle(page)
    expect(page.get_by_role("combobox", name="单位", exact=True)).to_have_value(second[1])
    breakdown = _main(page).get_by_test_id("stDataFrame").nth(1)
    lines = table_rows(breakdown)
    total = lines[-1]
    assert total[0] == "合计"
    assert sum(number(line[-1]) for line in lines[:-1]) == pytest.approx(number(total[-1]), abs=0.05)
    assert number(total[-1]) == pytest.approx(number(second[3]), abs=0.05)
    expect(_main(page)).to_contain_text("在册组工干部")
    no_exception(page)
    screenshot(page, "boards-03-breakdown")

    with page.expect_download() as download:
        _main(page).get_by_role("button", name="导出 Excel").first.click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.worksheets[0]
    header_row = next(index for index, row in enumerate(sheet.iter_rows(values_only=True), start=1) if row[0] == "名次")
    # The export keeps the rank a number and says "并列" in a column of its own, after the rank.
    assert [cell.value for cell in sheet[header_row]] == [BOARD_HEADERS[0], "并列", *BOARD_HEADERS[1:]]
    exported = [[row[0], *row[2:]] for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)]
    assert [row[1] for row in exported] == [row[1] for row in rows]
    for shown, saved in zip(rows, exported, strict=True):
        assert saved[3] == pytest.approx(number(shown[3]), abs=0.05)
        assert saved[4] == pytest.approx(number(shown[4]), abs=0.005)


def test_a_reporter_opens_their_unit_and_sees_its_trend_and_tasks(app_server, new_page) -> None:
    page = new_page()
    sign_in(page, app_server.url, "reporter")
    open_page(page, app_server.url, "/unit")
    expect(heading(page, "单位详情")).to_be_visible()
    expect(page.get_by_role("combobox", name="单位", exact=True)).to_have_value("东湖区委组织部")
    expect(_main(page).get_by_test_id("stVegaLiteChart").first).to_be_visible()
    expect(_main(page)).to_contain_text("比组中位数")
    _main(page).get_by_role("tab", name="必做任务").click()
    settle(page)
    tasks = _main(page).get_by_role("tabpanel", name="必做任务").get_by_test_id("stDataFrame")
    expect(tasks).to_be_visible()
    rows = table_rows(tasks)
    # [task, done, required, open, rate, group median, not yet done]: the unit's own reporter sees
    # who is missing wherever a task is open.
    assert rows and all(len(row) == 7 for row in rows), " ; ".join(" | ".join(row) for row in rows)
    assert all((number(row[3]) > 0) == bool(row[6]) for row in rows), " ; ".join(" | ".join(row) for row in rows)
    no_exception(page)
    screenshot(page, "boards-04-unit-detail")
