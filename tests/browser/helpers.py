"""What a person does in the browser, as small steps the journeys share.

Streamlit keeps the signed-in user in the browser session (the websocket), so a full page load
(`page.goto`, F5) starts a new, anonymous session. `open_page` therefore moves inside the running
app the way a person does: by the sidebar link when there is one, otherwise the way the browser's
back/forward buttons do (history entry + popstate), which Streamlit answers in the same session.
Only the first visit loads the page.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import create_engine, text

SETTLE_TIMEOUT_MS = 60_000
# Assertions retry this long: a page run takes seconds on a busy two-core machine.
expect.set_options(timeout=20_000)
SHOTS = Path("/tmp/browser-shots")
DEMO_PASSWORD = "excellence-demo"

_IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def settle(page: Page, timeout: int = SETTLE_TIMEOUT_MS) -> None:
    """Wait until the script has finished running, twice: a page may rerun once after its first run."""
    for _ in range(2):
        page.wait_for_selector(_IDLE, timeout=timeout)
        page.wait_for_timeout(400)


def open_page(page: Page, base: str, path: str) -> None:
    """Show base+path: by the sidebar link, else by history navigation in the same session, else load it."""
    target = base.rstrip("/") + "/" + path.lstrip("/")
    if not page.url.startswith(base.rstrip("/")):
        page.goto(target, timeout=SETTLE_TIMEOUT_MS)
        page.get_by_test_id("stSidebar").wait_for(timeout=SETTLE_TIMEOUT_MS)
        settle(page)
        return
    link = page.get_by_test_id("stSidebarNav").locator(f'a[href="{target}"]')
    if link.count() == 1:
        link.click()
    else:
        page.evaluate(
            "path => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }",
            "/" + path.lstrip("/"),
        )
    page.wait_for_timeout(200)
    settle(page)


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def sign_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in on the sign-in page and check that the sidebar names the user."""
    page.goto(base.rstrip("/") + "/sign-in", timeout=SETTLE_TIMEOUT_MS)
    settle(page)
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    settle(page)
    expect(sidebar(page)).to_contain_text("当前用户", timeout=SETTLE_TIMEOUT_MS)
    no_exception(page)


def heading(page: Page, text: str) -> Locator:
    return page.get_by_test_id("stMain").get_by_role("heading", name=text, exact=True)


def metric(page: Page, label: str) -> Locator:
    """The st.metric whose label reads `label` (exactly one expected)."""
    label_locator = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    found = page.get_by_test_id("stMetric").filter(has=label_locator)
    expect(found).to_have_count(1, timeout=SETTLE_TIMEOUT_MS)
    return found


def metric_value(page: Page, label: str) -> str:
    return metric(page, label).get_by_test_id("stMetricValue").inner_text().strip()


def metric_delta(page: Page, label: str) -> str:
    return metric(page, label).get_by_test_id("stMetricDelta").inner_text().strip()


def number(text: str) -> float:
    """The first number in a piece of text, thousands separators allowed: '积分 1,234.5' -> 1234.5."""
    found = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
    assert found, f"no number in {text!r}"
    return float(found.group().replace(",", ""))


def choose(page: Page, label: str, option: str | re.Pattern[str], *, typed: str | None = None, within: Locator | None = None) -> None:
    """Pick `option` in the st.selectbox labelled `label`: open it, type to narrow the list, click the option.

    `option` is the option's exact text or a pattern; `typed` is what to type into the box
    (the option's text by default; long lists are virtualised, so narrowing matters); `within`
    is the part of the page to look in when it holds several boxes of that label.
    """
    box = (within or page).get_by_role("combobox", name=label, exact=True)
    expect(box).to_have_count(1, timeout=SETTLE_TIMEOUT_MS)
    box.click()
    text = typed if typed is not None else option if isinstance(option, str) else None
    if text:
        # The open list hides the rest of the page, `within` included, from role lookups: type
        # into the box that has the focus.
        page.locator("input[role=combobox]:focus").fill(text)
    if isinstance(option, str):
        choice = page.get_by_role("option", name=option, exact=True)
    else:
        choice = page.get_by_role("option").filter(has_text=option)
    choice.first.click(timeout=SETTLE_TIMEOUT_MS)
    settle(page)
    # Left open, the list would keep hiding the page and every later lookup would wait out its timeout.
    expect(page.get_by_role("listbox")).to_have_count(0)
    value = box.input_value()
    assert (value == option) if isinstance(option, str) else option.search(value), (
        f"{label!r} shows {value!r} after choosing {option!r}"
    )


def date_value(page: Page, label: str) -> dt.date:
    """The date an st.date_input labelled `label` shows (its year, month and day spin buttons)."""
    field = page.get_by_role("group", name=label, exact=True)
    expect(field).to_have_count(1, timeout=SETTLE_TIMEOUT_MS)
    parts = {
        part: int(field.get_by_role("spinbutton", name=f"{part}, {label}", exact=True).get_attribute("aria-valuenow"))
        for part in ("year", "month", "day")
    }
    return dt.date(parts["year"], parts["month"], parts["day"])


def alerts(page: Page, kind: str | None = None) -> Locator:
    """st.success / st.error / st.info boxes in the main area (kind: 'success', 'error', ...)."""
    found = page.get_by_test_id("stMain").get_by_test_id("stAlert")
    if kind:
        found = found.filter(has=page.get_by_test_id(f"stAlertContent{kind.capitalize()}"))
    return found


def table_rows(frame: Locator) -> list[list[str]]:
    """The rendered rows of an st.dataframe, read from the grid's accessible table.

    The grid draws only what is on screen, so the frame is scrolled into view first; the rows are
    the ones drawn (the first screenful), which is enough for "the newest record is listed first".
    Scrolled by a script, not scroll_into_view_if_needed: that waits on the one element it found
    first, and a rerun that redraws the grid leaves it waiting on a detached copy that never shows.
    """
    expect(frame).to_be_visible(timeout=SETTLE_TIMEOUT_MS)
    frame.evaluate("el => el.scrollIntoView({block: 'nearest'})")
    expect(frame.locator("table[role=grid] tbody tr").first).to_be_attached(timeout=SETTLE_TIMEOUT_MS)
    return frame.evaluate(
        """el => [...el.querySelectorAll('table[role=grid] tbody tr')]
                 .map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()))"""
    )


def query(database_url: str, sql: str, **params) -> list[tuple]:
    """Rows of one SQL statement on the app's database, read the way a person with a database
    client would check what the app wrote (its own engine, closed again)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())
    finally:
        engine.dispose()


def no_exception(page: Page) -> None:
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, "the page shows an exception:\n" + "\n".join(exceptions.all_inner_texts())


def screenshot(page: Page, name: str) -> Path:
    """The whole app, not only the first screen: the viewport grows to the content for the picture."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    size = page.viewport_size or {"width": 1280, "height": 720}
    height = page.evaluate(
        """() => Math.max(...['stMain', 'stAppViewContainer', 'stSidebarContent']
                 .map(id => document.querySelector(`[data-testid=${id}]`))
                 .filter(Boolean).map(el => el.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(size["height"], int(height)), 4000)})
    page.wait_for_timeout(400)
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path
