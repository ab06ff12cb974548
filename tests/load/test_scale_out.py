"""Two app processes behind nginx, as the README's deployment section runs them (deploy/nginx.conf).

A hundred projectors connect through nginx, each a browser of its own (its own route cookie), and
are spread over both processes; a record is approved while they watch. Every projector, on
whichever process, shows the approval within two refreshes of its own: the first may fall inside
the two seconds the data versions are cached for, the second reads them anew. Each process finds
out from the database, not from the other process.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT
from db.accounts import sign_in
from db.engine import get_engine
from db.records import delete_record
from seed.demo import DEMO_PASSWORD
from tests.app_server import START_TIMEOUT_S, free_port, wait_until_healthy
from tests.load.servers import AppProcess, app_process, load_database_url
from tests.load.streamlit_viewer import StreamlitViewer
from tests.load.test_presenter_load import (
    INTERVAL_S,
    PUBLICITY_POINTS,
    QUERY,
    approve_a_new_record,
    open_once,
    run_in_own_loop,
    top_unit_shown,
    unit_points,
)

pytestmark = pytest.mark.load
VIEWERS = 100
SEEN_WITHIN_REFRESHES = 2
NGINX_CONF = PROJECT_ROOT / "deploy" / "nginx.conf"
# The ports deploy/nginx.conf names, replaced by free ones in the test.
LISTEN, FIRST_APP, SECOND_APP = "listen 80;", "127.0.0.1:8501", "127.0.0.1:8502"


def render_nginx_conf(folder: Path, listen_port: int, first: AppProcess, second: AppProcess) -> Path:
    """deploy/nginx.conf with the test's ports, inside a main configuration that keeps nginx's pid,
    logs and temporary files in `folder` (no root-owned path, no privileged port)."""
    site = NGINX_CONF.read_text()
    for deployed in (LISTEN, FIRST_APP, SECOND_APP):
        assert site.count(deployed) == 1, f"deploy/nginx.conf no longer names {deployed!r} once"
    site = site.replace(LISTEN, f"listen 127.0.0.1:{listen_port};")
    site = site.replace(FIRST_APP, f"127.0.0.1:{first.port}").replace(SECOND_APP, f"127.0.0.1:{second.port}")
    (folder / "excellence-board.conf").write_text(site)
    temporary = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temporary}\n    include {folder / 'excellence-board.conf'};\n}}\n"
    )
    return main


@contextmanager
def nginx(folder: Path, first: AppProcess, second: AppProcess) -> Iterator[str]:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (.ci/run installs Debian's nginx package)")
        pytest.skip("nginx is not installed: apt-get install -y nginx")
    port = free_port()
    config = render_nginx_conf(folder, port, first, second)
    log = folder / "error.log"
    with open(folder / "nginx.out", "w") as output:
        process = subprocess.Popen([binary, "-p", str(folder), "-e", str(log), "-c", str(config)], stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(process, url, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AppProcess, AppProcess]]:
    folder = tmp_path_factory.mktemp("scale-out")
    database_url = load_database_url()
    settings = {"DEMO_SCALE": "small", "DEMO_AUTOLOAD": "true", "PUBLIC_READ": "true"}
    with ExitStack() as stack:
        first = stack.enter_context(app_process(database_url, folder, "first", **settings))
        second = stack.enter_context(app_process(database_url, folder, "second", **settings))
        for process in (first, second):  # the first page view prepares each process (one loads the demo)
            run_in_own_loop(open_once(process))
        url = stack.enter_context(nginx(folder, first, second))
        yield url, first, second


async def watch_an_approval(url: str, database_url: str) -> dict:
    stop = asyncio.Event()
    crowd = [StreamlitViewer(url, "presenter", QUERY, cookie=f"eb_route={uuid.uuid4().hex}") for _ in range(VIEWERS)]
    tasks = [asyncio.create_task(viewer.watch(stop, START_TIMEOUT_S)) for viewer in crowd]
    record_id = None
    try:
        async with asyncio.timeout(START_TIMEOUT_S):
            while not all(viewer.first_screen.is_set() for viewer in crowd):
                if failed := [task for task in tasks if task.done()]:
                    failed[0].result()
                    raise AssertionError("a viewer stopped watching before the others were shown the page")
                await asyncio.sleep(0.2)
        # The unit at the top gains the points, so it stays on the screen whatever the data (a
        # kept database, LOAD_DATABASE_URL, need not show the demo reporter's unit).
        unit_id = top_unit_shown(crowd[0].last_screen)
        before = unit_points(crowd[0].last_screen, unit_id)
        record_id = await asyncio.to_thread(approve_a_new_record, database_url, unit_id)
        screens_at_write = [viewer.fragment_screens for viewer in crowd]
        seen_after: list[int | None] = [None] * VIEWERS
        # Watch until every viewer has refreshed one more time than it is allowed to need.
        while any(viewer.fragment_screens - at <= SEEN_WITHIN_REFRESHES for viewer, at in zip(crowd, screens_at_write, strict=True)):
            for index, viewer in enumerate(crowd):
                if seen_after[index] is None and unit_points(viewer.last_screen, unit_id) == before + PUBLICITY_POINTS:
                    seen_after[index] = viewer.fragment_screens - screens_at_write[index]
            await asyncio.sleep(0.1)
            if failed := [task for task in tasks if task.done()]:
                failed[0].result()
        return {
            "before": before,
            "seen_after": seen_after,
            "served_by": Counter(viewer.served_by for viewer in crowd),
            "errors": [problem for viewer in crowd for problem in viewer.exceptions],
        }
    finally:
        stop.set()
        if record_id is not None:
            forget_record(database_url, record_id)
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(outcome, BaseException):
                raise outcome


def forget_record(database_url: str, record_id: int) -> None:
    """The approved record deleted by the office again, so that a kept database (LOAD_DATABASE_URL)
    scores as before: run after run, the unit's weekly cap of publicity would fill up."""
    engine = get_engine(database_url)
    delete_record(sign_in("admin", DEMO_PASSWORD, engine=engine).actor, record_id, engine=engine)


def test_both_processes_behind_nginx_show_a_write(proxied, capsys: pytest.CaptureFixture) -> None:
    url, first, second = proxied
    queries = {process.port: process.query_count() for process in (first, second)}
    watched = run_in_own_loop(watch_an_approval(url, first.database_url))
    served_by = watched["served_by"]
    seen_after = watched["seen_after"]
    with capsys.disabled():
        print(
            f"\n{VIEWERS} projectors through nginx, refresh every {INTERVAL_S} s, one approval:"
            f"\n  viewers per process: {dict(served_by)}"
            f"\n  refreshes until the approval showed: {dict(sorted(Counter(seen_after).items(), key=str))}"
            f"\n  SQL queries per process: {[process.query_count() - queries[process.port] for process in (first, second)]}"
            f"\n  errors: {len(watched['errors'])}"
        )
    assert watched["errors"] == []
    assert watched["before"] is not None
    assert set(served_by) == {f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"}, served_by
    assert all(after is not None and after <= SEEN_WITHIN_REFRESHES for after in seen_after), seen_after
