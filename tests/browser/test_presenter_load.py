"""Fifty projectors on one server: every viewer keeps refreshing, and the database work is shared.

Measured, not timed: the server counts its SQL statements (DB_STATEMENT_LOG) while 50 browser
contexts watch the presenter refresh every 5 seconds. Cached by data version, a refresh round of
all viewers should cost about as much as one viewer's, not fifty times as much.
"""
import os
import subprocess
import sys
import time

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PROJECT_ROOT, _free_port, _wait_until_healthy
from tests.conftest import _new_database_url

pytestmark = pytest.mark.load

VIEWERS = 50
INTERVAL = 5
WATCH_SECONDS = 30
SCREEN = f"presenter?play=1&boards=leaderboard,counts&interval={INTERVAL}&rotate=600&period=quarter"
# Counts how often each page's screen was redrawn with a new "updated at" time.
COUNT_REFRESHES = """() => {
  window.__refreshes = 0;
  let last = '';
  setInterval(() => {
    const status = document.querySelector('.pr-sub');
    if (status && status.innerText !== last) { last = status.innerText; window.__refreshes += 1; }
  }, 250);
}"""


@pytest.fixture(scope="module")
def counted_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    statements = folder / "statements"
    log = folder / "streamlit.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=_new_database_url(), DEMO_SCALE="small", DEMO_AUTOLOAD="true",
               DB_STATEMENT_LOG=str(statements))
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(process, url, log)
        yield url, statements
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def light_chromium(chromium):
    """A Chromium of its own whose pages share a few renderer processes, so that fifty viewers fit
    on a two-core machine beside the server under test."""
    browser = chromium.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--renderer-process-limit=4", "--disable-extensions"]
    )
    yield browser
    browser.close()


def test_fifty_viewers_share_one_query_per_refresh(counted_server, light_chromium):
    url, statements = counted_server
    contexts = []
    try:
        for _ in range(VIEWERS):
            contexts.append(light_chromium.new_context(viewport={"width": 1280, "height": 720}))
        warm = contexts[0].new_page()
        warm.goto(f"{url}/{SCREEN}", timeout=180_000)  # loads the demo and warms the cache
        warm.wait_for_selector("[data-board]", timeout=180_000)
        pages = [warm]
        for context in contexts[1:]:
            page = context.new_page()
            page.goto(f"{url}/{SCREEN}", wait_until="commit", timeout=180_000)
            pages.append(page)
        for page in pages:
            page.wait_for_selector("[data-board]", timeout=300_000)
            page.evaluate(COUNT_REFRESHES)

        queries_before = statements.stat().st_size
        time.sleep(WATCH_SECONDS)
        queries = statements.stat().st_size - queries_before
        refreshes = [page.evaluate("window.__refreshes") for page in pages]
        errors = sum(page.get_by_test_id("stException").count() for page in pages)
    finally:
        for context in contexts:
            context.close()

    rounds = WATCH_SECONDS / INTERVAL
    total = sum(refreshes)
    print(f"\n{VIEWERS} viewers, {WATCH_SECONDS}s: {total} screen refreshes ({min(refreshes)}-{max(refreshes)} per viewer), "
          f"{queries} SQL statements = {queries / rounds:.1f} per refresh round, {queries / max(total, 1):.3f} per viewer refresh")
    assert errors == 0
    # Every viewer kept refreshing (a loaded machine may lose a round or two, not the screen).
    assert min(refreshes) >= rounds - 2, refreshes
    # Shared work: far below one query per viewer per refresh (uncached would be several each).
    assert queries <= 4 * rounds, f"{queries} statements for {total} refreshes"
