"""Fifty projectors on one server: every viewer keeps refreshing, and the database work is shared.

Measured, not timed. The server counts its SQL queries (DB_STATEMENT_LOG) while viewers watch the
presenter refresh every 5 seconds and the office approves a record halfway through. The same run
measures one viewer first, as the baseline: fifty viewers must cost about what one costs, not
fifty times as much, and every one of them must keep refreshing and show the approval.
"""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import office_today
from db.accounts import sign_in
from db.catalog_defaults import ACTIVITY_TYPES
from db.engine import get_engine, read_session
from db.models import Unit
from db.records import approve_records, save_record
from seed.demo import DEMO_PASSWORD
from tests.app_server import START_TIMEOUT_S, streamlit_server
from tests.conftest import _new_database_url
from tests.load.streamlit_viewer import StreamlitViewer

VIEWERS = 50
INTERVAL_S = 5
ROUNDS = 4
# Half an interval more than the rounds, so that the last round's screens arrive inside the watch.
WATCH_S = ROUNDS * INTERVAL_S + INTERVAL_S / 2
UNIT = "东湖区委组织部"  # the demo reporter's unit
PUBLICITY_POINTS = next(spec["default_points"] for spec in ACTIVITY_TYPES if spec["code"] == "publicity")
pytestmark = pytest.mark.load
QUERY = f"play=1&boards=leaderboard&interval={INTERVAL_S}&rotate=600&period=week&metric=points&group=district&top=10"


@dataclass(frozen=True)
class CountedServer:
    url: str
    database_url: str
    queries: Path  # the server appends one byte per SQL query


@dataclass(frozen=True)
class Watch:
    viewers: int
    queries: int
    quiet_queries: int  # in the first half, before anything changed
    refreshes: list[int]  # per viewer, within the watch
    points_before: float
    points_after: list[float | None]  # per viewer, what the screen showed at the end
    exceptions: list[str]


@pytest.fixture(scope="module")
def counted_server(tmp_path_factory: pytest.TempPathFactory) -> CountedServer:
    folder = tmp_path_factory.mktemp("presenter-load")
    queries = folder / "queries"
    queries.touch()
    database_url = _new_database_url()
    settings = {"DEMO_SCALE": "small", "DEMO_AUTOLOAD": "true", "DB_STATEMENT_LOG": str(queries)}
    with streamlit_server(database_url, folder / "streamlit.log", **settings) as url:
        server = CountedServer(url, database_url, queries)
        run_in_own_loop(open_once(server))  # the first page view loads the demo
        yield server


def run_in_own_loop(coroutine):  # noqa: ANN001, ANN201 - any coroutine and its result
    """asyncio.run in a thread of its own: Playwright's sync API may hold this thread's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def open_once(server: CountedServer) -> None:
    stop = asyncio.Event()
    viewer = StreamlitViewer(server.url, "presenter", QUERY)
    task = asyncio.create_task(viewer.watch(stop))
    await asyncio.wait_for(viewer.first_screen.wait(), START_TIMEOUT_S)
    stop.set()
    await task


def unit_points(screen: str, unit_id: int) -> float | None:
    """The points a unit's row shows on the projected leaderboard."""
    row = re.search(rf'data-unit="{unit_id}"(.*?)(?=data-unit=|$)', screen, re.S)
    number = re.search(r"\d[\d,]*\.\d", row.group(1)) if row else None
    return float(number.group(0).replace(",", "")) if number else None


def top_unit_shown(screen: str) -> int | None:
    """The unit at the top of the projected leaderboard."""
    found = re.search(r'data-unit="(\d+)"', screen)
    return int(found.group(1)) if found else None


def approve_a_new_record(database_url: str, unit_id: int | None = None) -> int:
    """The reporter submits a publicity report dated today (or the office does, for `unit_id`);
    the office approves it. Its id."""
    engine = get_engine(database_url)
    reporter = sign_in("reporter", DEMO_PASSWORD, engine=engine).actor
    admin = sign_in("admin", DEMO_PASSWORD, engine=engine).actor
    saved = save_record(
        reporter if unit_id is None else admin, unit_id=unit_id or reporter.unit_id, type_code="publicity",
        title="大屏压力测试:《组工动态》报道",
        occurred_on=office_today(), details={"outlet": "《组工动态》"}, submit=True, engine=engine,
    )
    assert approve_records(admin, [saved.record_id], engine=engine) == 1
    return saved.record_id


def reporter_unit_id(database_url: str) -> int:
    with read_session(get_engine(database_url)) as session:
        return session.scalar(select(Unit.id).where(Unit.name_zh == UNIT))


async def watch(server: CountedServer, viewers: int, unit_id: int) -> Watch:
    """`viewers` projectors watch for WATCH_S seconds; a record is approved halfway through."""
    stop = asyncio.Event()
    crowd = [StreamlitViewer(server.url, "presenter", QUERY) for _ in range(viewers)]
    tasks = [asyncio.create_task(viewer.watch(stop, START_TIMEOUT_S)) for viewer in crowd]
    try:
        # Every first screen shown, or a viewer's connection failed (its error is raised below).
        shown = asyncio.create_task(asyncio.wait_for(
            asyncio.gather(*(viewer.first_screen.wait() for viewer in crowd)), START_TIMEOUT_S
        ))
        await asyncio.wait({shown, *tasks}, return_when=asyncio.FIRST_COMPLETED)
        if not shown.done():
            shown.cancel()
            return await failed_viewer(tasks)
        shown.result()
        points_before = unit_points(crowd[0].last_screen, unit_id)
        queries_before = server.queries.stat().st_size
        screens_before = [viewer.fragment_screens for viewer in crowd]
        loop = asyncio.get_running_loop()
        end = loop.time() + WATCH_S
        await asyncio.sleep(WATCH_S / 2)
        quiet_queries = server.queries.stat().st_size - queries_before
        # The approval's own time (two bcrypt sign-ins) is not added to the watch.
        await asyncio.to_thread(approve_a_new_record, server.database_url)
        await asyncio.sleep(max(0.0, end - loop.time()))
        return Watch(
            viewers=viewers,
            queries=server.queries.stat().st_size - queries_before,
            quiet_queries=quiet_queries,
            refreshes=[viewer.fragment_screens - before for viewer, before in zip(crowd, screens_before, strict=True)],
            points_before=points_before,
            points_after=[unit_points(viewer.last_screen, unit_id) for viewer in crowd],
            exceptions=[problem for viewer in crowd for problem in viewer.exceptions],
        )
    finally:
        stop.set()
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(outcome, BaseException):
                raise outcome


async def failed_viewer(tasks: list[asyncio.Task]) -> Watch:
    for task in tasks:
        if task.done():
            task.result()  # raises the viewer's connection error
    raise AssertionError("a viewer stopped watching before the others were shown the page")


def test_fifty_viewers_share_the_database_work_of_one(counted_server: CountedServer, capsys: pytest.CaptureFixture) -> None:
    unit_id = reporter_unit_id(counted_server.database_url)
    baseline = run_in_own_loop(watch(counted_server, 1, unit_id))
    crowd = run_in_own_loop(watch(counted_server, VIEWERS, unit_id))

    with capsys.disabled():  # the figures belong in every run's log, CI's included
        print(
            f"\npresenter, refresh every {INTERVAL_S} s, {WATCH_S:g} s watched, one approval each:"
            f"\n  1 viewer (baseline): {sum(baseline.refreshes)} refreshes, {baseline.queries} SQL queries"
            f"\n  {VIEWERS} viewers: {sum(crowd.refreshes)} refreshes ({min(crowd.refreshes)}-{max(crowd.refreshes)} each), "
            f"{crowd.queries} SQL queries = {crowd.queries / baseline.queries:.2f}x the baseline for {VIEWERS}x the viewers"
            f"\n  queries per refresh round while nothing changes: {baseline.quiet_queries / (WATCH_S / 2 / INTERVAL_S):.1f} for 1 viewer, "
            f"{crowd.quiet_queries / (WATCH_S / 2 / INTERVAL_S):.1f} for {VIEWERS}; per viewer refresh over the whole watch: "
            f"{baseline.queries / max(sum(baseline.refreshes), 1):.2f} -> {crowd.queries / max(sum(crowd.refreshes), 1):.3f}"
        )
    for measured in (baseline, crowd):
        assert measured.exceptions == []
        assert measured.points_before is not None, f"{UNIT} is not on the projected board"
        # Every viewer kept refreshing (the first round of a watch may fall just outside it) ...
        assert min(measured.refreshes) >= ROUNDS - 1, measured.refreshes
        # ... and every one shows the approval, without reloading the page.
        assert set(measured.points_after) == {measured.points_before + PUBLICITY_POINTS}, measured.points_after
    # One viewer's refreshes cost a query each; fifty share theirs. Were the work done per viewer,
    # the crowd would cost about fifty times the baseline.
    assert crowd.queries <= 3 * baseline.queries, (baseline.queries, crowd.queries)
