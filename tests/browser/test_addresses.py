"""Addresses in the browser (issue 13.13, 14.7): the start page answers to its own name, an unknown
address says so in Chinese (not Streamlit's English "Page not found" dialog), and the unit page's
address names the unit it shows."""
from __future__ import annotations

import os
import re

import pytest

if not os.environ.get("CI"):
    pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

from playwright.sync_api import expect

from tests.browser.helpers import choose, heading, no_exception, screenshot, settle


def _no_english_dialog(page) -> None:
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_start_page_answers_to_its_name(app_server, new_page) -> None:
    page = new_page()
    page.goto(f"{app_server.url}/leaderboard")
    settle(page)
    _no_english_dialog(page)
    expect(page.get_by_test_id("stMain").get_by_role("heading").first).to_be_visible()
    expect(page.get_by_test_id("stMain")).not_to_contain_text("找不到这个页面")
    no_exception(page)


def test_an_unknown_address_says_so_in_chinese(app_server, new_page) -> None:
    page = new_page()
    page.goto(f"{app_server.url}/no-such-page")
    settle(page)
    _no_english_dialog(page)
    expect(heading(page, "找不到这个页面")).to_be_visible()
    expect(page.get_by_test_id("stMain")).to_contain_text("/no-such-page")
    screenshot(page, "62-unknown-address")
    page.get_by_role("link", name="回到首页").click()
    settle(page)
    expect(heading(page, "找不到这个页面")).to_have_count(0)
    no_exception(page)


def test_the_unit_page_address_names_the_unit(app_server, new_page) -> None:
    page = new_page()
    page.goto(f"{app_server.url}/unit")
    settle(page)
    expect(page).to_have_url(re.compile(r"/unit\?unit=\d+"))
    first = re.search(r"unit=(\d+)", page.url).group(1)
    current = page.get_by_test_id("stMain").get_by_role("combobox").first.input_value()
    choose(page, "单位", re.compile(rf"^(?!{re.escape(current)}$).+区.+"), typed="区")
    expect(page).not_to_have_url(re.compile(rf"unit={first}(&|$)"))
    chosen = re.search(r"unit=(\d+)", page.url).group(1)
    # The address opens the same unit in a new visit (a bookmark, a link sent to a colleague).
    other = new_page()
    other.goto(f"{app_server.url}/unit?unit={chosen}")
    settle(other)
    expect(other).to_have_url(re.compile(rf"unit={chosen}"))
    assert other.get_by_test_id("stMain").get_by_role("combobox").first.input_value() == page.get_by_test_id("stMain").get_by_role("combobox").first.input_value()
    other.goto(f"{app_server.url}/unit?unit=99999999999999999999")
    settle(other)
    expect(other.get_by_test_id("stMain")).to_contain_text("地址中的编号无效或不存在")
    no_exception(other)
