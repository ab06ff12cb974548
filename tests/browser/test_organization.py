"""组织机构 and 干部名册 as the office uses them: create a unit under a parent in a group, give it a
party branch, add a person there, move them to another unit; deactivate a unit and watch it leave
the leaderboard while its page still shows its history; reactivate it. Screenshots in /tmp/browser-shots."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import create_engine, select

from tests.browser.helpers import (
    alerts,
    choose,
    heading,
    no_exception,
    open_page,
    screenshot,
    settle,
    sign_in,
    table_rows,
)

RETIRED = "南岭区委组织部"  # a district of the small demo that has records


def _main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def _form(page: Page, title: str) -> Locator:
    return _main(page).get_by_test_id("stForm").filter(has=page.get_by_role("heading", name=title, exact=True))


def _tab(page: Page, name: str) -> None:
    _main(page).get_by_role("tab", name=name, exact=True).click()
    settle(page)


def _leaderboard_units(page: Page, base: str) -> list[str]:
    open_page(page, base, "/")
    expect(heading(page, "单位排行")).to_be_visible()
    # [名次, 单位, 人数, 积分, 人均积分, 完成率, 公信度与满意度, 综合指数, 变化]: the unit is eighth from the end.
    return [row[-8] for row in table_rows(_main(page).get_by_test_id("stDataFrame").first)]


def _parent_code(database_url: str, code: str) -> str | None:
    from db.models import Unit

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            parent_id = connection.scalar(select(Unit.parent_id).where(Unit.code == code))
            return connection.scalar(select(Unit.code).where(Unit.id == parent_id))
    finally:
        engine.dispose()


def _reactivate_by_data_layer(database_url: str) -> None:
    """Leave the shared demo as it was for the journeys after this one, whatever happened here."""
    from db.engine import write_session
    from db.models import Unit

    engine = create_engine(database_url)
    try:
        with write_session(engine) as session:
            unit = session.scalar(select(Unit).where(Unit.name_zh == RETIRED))
            unit.active = True
    finally:
        engine.dispose()


def test_the_office_builds_its_organization_and_a_deactivated_unit_keeps_its_history(app_server, new_page) -> None:
    base = app_server.url
    page = new_page()
    sign_in(page, base, "admin")
    assert RETIRED in _leaderboard_units(page, base)

    # A new unit under the city department, in the districts' group.
    open_page(page, base, "/organization")
    expect(heading(page, "组织机构")).to_be_visible()
    form = _form(page, "新建单位")
    form.get_by_role("textbox", name="代码", exact=True).fill("journey-001")
    form.get_by_role("textbox", name="名称", exact=True).fill("旅程区委组织部")
    choose(page, "比较组", "区县组", typed="区县", within=form)
    choose(page, "上级单位", re.compile(r"xx市委组织部 \(city\)"), typed="xx市委", within=form)
    form.get_by_role("button", name="新建单位").click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("已新建单位“旅程区委组织部”")
    tree = table_rows(_main(page).get_by_test_id("stDataFrame").first)
    row = next(cells for cells in tree if "旅程区委组织部" in cells[0])
    assert row[1:4] == ["journey-001", "区县委组织部", "区县组"]
    assert _parent_code(app_server.database_url, "journey-001") == "city"

    # Its party branch.
    _tab(page, "党支部和党小组")
    choose(page, "单位", re.compile("旅程区委组织部"), typed="旅程", within=_main(page))
    branch_form = _form(page, "新建党支部或党小组")
    branch_form.get_by_role("textbox", name="名称", exact=True).fill("旅程第一党支部")
    branch_form.get_by_role("button", name="新建").click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("已新建“旅程第一党支部”")
    screenshot(page, "organization")

    # A group whose units are still active is not deactivated: the office is told what to do first.
    _tab(page, "比较组")
    _main(page).get_by_role("button", name="停用这个比较组").click()
    settle(page)
    expect(alerts(page, "error")).to_contain_text("个启用的单位。请先把它们调到其他比较组或停用")
    expect(_main(page).get_by_role("button", name="检查并保存比较组")).to_be_visible()

    # A person there, then moved to 东湖区.
    open_page(page, base, "/people-roster")
    expect(heading(page, "干部名册")).to_be_visible()
    choose(page, "添加到单位", "旅程区委组织部", typed="旅程", within=_main(page))
    add = _main(page).get_by_test_id("stForm").first
    add.get_by_role("textbox", name="姓名", exact=True).fill("旅程干部")
    choose(page, "党支部/党小组", "旅程第一党支部", typed="旅程", within=add)
    add.get_by_role("button", name="添加").click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("已把“旅程干部”添加到旅程区委组织部")
    search = _main(page).get_by_role("textbox", name="按姓名或工号查找", exact=True)
    search.fill("旅程干部")
    search.press("Enter")
    settle(page)
    assert [cells[-9] for cells in table_rows(_main(page).get_by_test_id("stDataFrame").first)] == ["旅程干部"]
    _tab(page, "修改、调动和任职记录")
    choose(page, "调入单位", "东湖区委组织部", typed="东湖", within=_main(page))
    _main(page).get_by_role("button", name="调动", exact=True).click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("已把“旅程干部”调到东湖区委组织部")
    _tab(page, "修改、调动和任职记录")
    history = table_rows(_main(page).get_by_test_id("stDataFrame").last)
    assert [cells[-5] for cells in history] == ["东湖区委组织部", "旅程区委组织部"]
    assert history[0][-1] == "至今" and history[1][-1] != "至今"
    screenshot(page, "people-roster")
    no_exception(page)

    try:
        # Deactivate a district with records: it leaves the leaderboard, its page keeps its history.
        open_page(page, base, "/organization")
        choose(page, "选择要修改的单位", re.compile(RETIRED), typed="南岭", within=_main(page))
        _main(page).get_by_role("button", name="停用这个单位").click()
        settle(page)
        expect(alerts(page, "success")).to_contain_text(f"已停用“{RETIRED}”")
        _main(page).get_by_role("link", name="打开这个单位的页面").click()
        settle(page)
        expect(_main(page)).to_contain_text(f"“{RETIRED}”已停用")
        history = table_rows(_main(page).get_by_test_id("stDataFrame").first)
        assert history and all(int(cells[-1]) > 0 for cells in history)
        screenshot(page, "retired-unit")
        assert RETIRED not in _leaderboard_units(page, base)

        open_page(page, base, "/organization")
        choose(page, "选择要修改的单位", re.compile(RETIRED), typed="南岭", within=_main(page))
        _main(page).get_by_role("button", name="恢复这个单位").click()
        settle(page)
        expect(alerts(page, "success")).to_contain_text(f"已恢复“{RETIRED}”")
        assert RETIRED in _leaderboard_units(page, base)
    finally:
        _reactivate_by_data_layer(app_server.database_url)
    no_exception(page)
