"""The office sets up its campaign in the browser: on a database with units but no campaign, the
admin creates a campaign with two mandatory targets, closes it, starts the next stage, and the
boards then offer both campaigns (the closed one labelled 已结束)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.app_server import streamlit_server
from tests.browser.helpers import alerts, metric_value, no_exception, open_page, screenshot, settle, sidebar, sign_in
from tests.conftest import _new_database_url

PASSWORD = "river stones at dusk"


def _units_without_campaign(database_url: str) -> None:
    """What an office has after loading its unit list and roster: units, branches, people, an admin."""
    from db.accounts import create_user
    from db.bootstrap import ensure_base_data
    from db.engine import get_engine, write_session
    from db.models import Branch, Cadre, ComparisonGroup, Unit

    engine = get_engine(database_url)
    ensure_base_data(engine)
    with write_session(engine) as session:
        group = ComparisonGroup(code="districts", name_zh="区县组", name_en="Districts")
        session.add(group)
        session.flush()
        for number, name in enumerate(("东城区委组织部", "西城区委组织部"), start=1):
            unit = Unit(code=f"U{number}", name_zh=name, name_en=f"District {number}", group_id=group.id, kind="district")
            session.add(unit)
            session.flush()
            branch = Branch(unit_id=unit.id, name=f"{name}机关支部")
            session.add(branch)
            session.flush()
            for person in range(3):
                session.add(Cadre(unit_id=unit.id, branch_id=branch.id, name=f"干部{number}{person}", is_principal=person == 0))
    create_user(username="office", display_name="组织部办公室", password=PASSWORD, role="admin", rounds=4, engine=engine)
    engine.dispose()


@pytest.fixture
def office_url(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[str]:
    database_url = _new_database_url()
    _units_without_campaign(database_url)
    log = tmp_path_factory.mktemp("streamlit-campaign") / "streamlit.log"
    with streamlit_server(database_url, log, DEMO_AUTOLOAD="false") as url:
        yield url


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    page.wait_for_timeout(300)


def test_the_office_creates_closes_and_follows_up_a_campaign(office_url, new_page):
    page = new_page()
    sign_in(page, office_url, "office", PASSWORD)
    open_page(page, office_url, "campaign")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("还没有活动")

    # The first campaign, starting this month, with two of the catalogue's mandatory targets.
    main.get_by_label("中文名称", exact=True).fill("第一期创先争优活动")
    main.get_by_label("英文名称", exact=True).fill("First stage")
    main.get_by_label("活动代码", exact=True).fill("stage-1")
    targets = main.get_by_test_id("stMultiSelect")
    targets.get_by_role("button", name="Clear all").click()
    for name in ("讲党课", "党性分析报告"):
        box = targets.get_by_role("combobox")
        box.click()
        box.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")
    expect(targets).to_contain_text("讲党课")
    main.get_by_role("button", name="新建活动", exact=True).click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("活动已建好")
    no_exception(page)
    assert metric_value(page, "必做任务") == "2"
    screenshot(page, "campaign-created")
    _tab(page, "统计周期")
    screenshot(page, "campaign-periods")
    _tab(page, "活动类型与必做任务")
    expect(main.get_by_role("tabpanel", name="活动类型与必做任务")).to_contain_text("必做任务")
    screenshot(page, "campaign-targets")

    # Bad input is refused and explained.
    _tab(page, "基本信息")
    start_year = int(main.get_by_role("spinbutton", name="year, 开始日期").first.get_attribute("aria-valuenow"))
    main.get_by_role("spinbutton", name="year, 结束日期").first.click()
    page.keyboard.type(str(start_year - 1))
    main.get_by_role("button", name="保存", exact=True).first.click()
    settle(page)
    expect(alerts(page, "error")).to_contain_text("结束日期早于开始日期")

    # Close it: it becomes read-only.
    _tab(page, "结束与下一期")
    main.get_by_role("button", name="结束活动…").click()
    page.get_by_role("button", name="确认结束", exact=True).click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("活动已结束")
    expect(main).to_contain_text("只读")

    # The next stage starts the day after, with the same types and targets.
    _tab(page, "结束与下一期")
    panel = main.get_by_role("tabpanel", name="结束与下一期")
    panel.get_by_label("中文名称", exact=True).fill("第二期创先争优活动")
    panel.get_by_label("英文名称", exact=True).fill("Second stage")
    panel.get_by_label("活动代码", exact=True).fill("stage-2")
    panel.get_by_role("button", name="开始下一期", exact=True).click()
    settle(page)
    expect(alerts(page, "success")).to_contain_text("第二期创先争优活动")
    no_exception(page)
    screenshot(page, "campaign-next")

    # The boards offer both; the current one by default, the closed one labelled 已结束.
    open_page(page, office_url, "")
    selector = sidebar(page).get_by_role("combobox", name="活动", exact=True)
    expect(selector).to_have_value("第二期创先争优活动")
    selector.click()
    selector.fill("创先争优")
    options = page.get_by_role("option")
    expect(options).to_have_text(["第二期创先争优活动", "第一期创先争优活动(已结束)"])
    options.nth(1).click()
    settle(page)
    expect(selector).to_have_value("第一期创先争优活动(已结束)")
    expect(page.get_by_test_id("stMain")).to_contain_text("第一期创先争优活动")
    expect(page.get_by_test_id("stMain")).to_contain_text("东城区委组织部")
    no_exception(page)
    screenshot(page, "campaign-board-closed")

    # The catalogue the campaigns draw their types from.
    open_page(page, office_url, "catalogue")
    expect(main).to_contain_text("党性分析报告")
    no_exception(page)
    screenshot(page, "catalogue")
