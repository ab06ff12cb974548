"""Addresses that need a role: a visitor gets a Chinese explanation and the sign-in form, not
Streamlit's English "Page not found", and after signing in the same address opens the page."""
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.browser.helpers import DEMO_PASSWORD, heading, no_exception, settle, sign_in


def test_a_visitor_opening_the_entry_address_signs_in_there_and_gets_the_form(app_server, new_page):
    page = new_page()
    page.goto(f"{app_server.url}/entry")
    settle(page)
    main = page.get_by_test_id("stMain")
    expect(heading(page, "活动填报")).to_be_visible()
    expect(main).to_contain_text("「活动填报」需要登录后使用")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    # The page is not offered in the menu to someone who cannot use it.
    expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("活动填报")

    page.get_by_label("用户名", exact=True).fill("reporter")
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    settle(page)
    assert urlparse(page.url).path == "/entry"
    expect(main.get_by_text("活动类型", exact=True)).to_be_visible()
    expect(main).to_contain_text("东湖区委组织部")
    no_exception(page)


def test_a_signed_in_viewer_is_told_the_review_page_is_not_for_their_role(app_server, new_page):
    page = new_page()
    sign_in(page, app_server.url, "viewer")
    page.goto(f"{app_server.url}/review")
    settle(page)
    expect(heading(page, "审核")).to_be_visible()
    expect(page.get_by_test_id("stMain")).to_contain_text("「审核」不对“只读”角色开放")
    expect(page.get_by_role("button", name="通过此条")).to_have_count(0)
    no_exception(page)
    # A bookmark of the sign-in address, opened while signed in.
    page.goto(f"{app_server.url}/sign-in")
    settle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("您已登录")
    expect(page.get_by_text("Page not found")).to_have_count(0)
