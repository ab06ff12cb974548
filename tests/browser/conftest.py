"""Browser journeys: one `streamlit run` per test session on a fresh database, driven by headless Chromium.

Every test in this folder carries the `browser` marker (`-m "not browser"` leaves them out).
Without /usr/bin/chromium the tests skip with a reason, except in CI (CI set), where they fail.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.app_server import START_TIMEOUT_S, streamlit_server, tail
from tests.conftest import _new_database_url

HERE = Path(__file__).resolve().parent
# Debian's Chromium; BROWSER_TESTS_CHROMIUM points elsewhere (e.g. to try the missing-browser path).
CHROMIUM = os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 720}
FAILURE_SHOTS = Path("/tmp/browser-failures")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing browser test shows the end of the app's log (pages hide error details from users)
    and what each of its pages showed when it failed: a timeout alone says what was missing, not why."""
    report = yield
    funcargs = getattr(item, "funcargs", {})
    server = funcargs.get("app_server") or funcargs.get("empty_server")
    if report.failed and isinstance(server, AppServer):
        report.sections.append(("streamlit log (tail)", f"{server.log}\n{tail(server.log, 60)}"))
    if report.failed and report.when == "call":
        for number, page in enumerate(getattr(item, "browser_pages", []), start=1):
            name = f"{item.path.stem}-{item.name}"  # a test's name alone repeats across files
            report.sections.append((f"page {number} when the test failed", _page_state(page, name, number)))
    return report


def _page_state(page, test_name: str, number: int) -> str:
    """Where the page was, a screenshot of it, and its accessibility tree: the tree tells an open
    list (which hides the rest of the page) or another tab from a missing element."""
    shot = FAILURE_SHOTS / f"{test_name}-{number}.png"
    try:
        FAILURE_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True, timeout=10_000)
        open_lists = page.get_by_role("listbox").count()
        tree = page.get_by_test_id("stMain").aria_snapshot(timeout=10_000)
    except Exception as error:  # noqa: BLE001 - a report that cannot be made must not end the whole run
        return f"{page.url}\n(the page could not be read: {error})"
    lists = f"{open_lists} list(s) open: the rest of the page is hidden from role lookups\n" if open_lists else ""
    return f"{page.url}\nscreenshot {shot}\n{lists}{tree[:6000]}"


@dataclass(frozen=True)
class AppServer:
    url: str
    database_url: str
    log: Path


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[AppServer]:
    """The app on a fresh database, with the small demo loaded by a first page view made here.

    That first view is made before any test because the first browser session after a server start
    misbehaves (a spurious "Page not found", a lost language switch): test_slice has a test of its own
    for that, on a server of its own.
    """
    from playwright.sync_api import Error as PlaywrightError

    from tests.browser.helpers import settle

    database_url = _new_database_url()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with streamlit_server(database_url, log, DEMO_SCALE="small", DEMO_AUTOLOAD="true") as url:
        context = chromium.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(url, timeout=START_TIMEOUT_S * 1000)
            heading = page.get_by_test_id("stMain").get_by_role("heading", level=1)
            try:
                heading.first.wait_for(timeout=START_TIMEOUT_S * 1000)
            except PlaywrightError:
                pytest.fail(f"the first page view never showed a heading; log {log}:\n{tail(log)}")
            settle(page)
        finally:
            context.close()
        yield AppServer(url=url, database_url=database_url, log=log)


@pytest.fixture
def empty_server(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[AppServer]:
    """A server of its own, started as production is (DEMO_AUTOLOAD=false) on a database nobody
    has touched; nobody has opened a page of it yet."""
    database_url = _new_database_url()
    log = tmp_path_factory.mktemp("streamlit-empty") / "streamlit.log"
    with streamlit_server(database_url, log, DEMO_AUTOLOAD="false") as url:
        yield AppServer(url=url, database_url=database_url, log=log)


@pytest.fixture
def fresh_app_url(empty_server: AppServer) -> str:
    return empty_server.url


@pytest.fixture(scope="session")
def app_url(app_server: AppServer) -> str:
    return app_server.url


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright. Missing: skip locally, fail in CI."""
    in_ci = bool(os.environ.get("CI"))
    if not os.path.exists(CHROMIUM):
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if in_ci:
            pytest.fail(f"Chromium is required in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        if in_ci:
            pytest.fail(f"Playwright is required in CI (pip install -r requirements-dev.txt): {error}", pytrace=False)
        pytest.skip(f"browser tests need the playwright package: {error}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(chromium, request: pytest.FixtureRequest) -> Iterator[Callable[[], object]]:
    """Opens a page in a new browser context: one context per person, so several can be signed in at once.

    Uncaught JavaScript errors on any of these pages fail the test at teardown.
    """
    contexts = []
    errors: list[str] = []
    request.node.browser_pages = []  # read by pytest_runtest_makereport when the test fails

    def make():
        context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        request.node.browser_pages.append(page)
        return page

    yield make
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("JavaScript errors in the page:\n" + "\n".join(errors), pytrace=False)
