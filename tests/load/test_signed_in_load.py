"""Fifty signed-in viewers and five writers on one server: the cache survives real use.

Half the viewers keep the leaderboard open and rerun it (each run checks their session token),
half watch the presenter refreshing; five writers approve records and like notes through the data
layer meanwhile. Signing in, checking a token and liking write nothing the boards read, so the
boards are recomputed after approvals only. Measured, not timed: the figures (queries per
refresh, refresh latency, CPU and memory of the server) are printed; the assertions are that
nothing failed, every viewer stayed signed in and kept refreshing, and the writes happened.
"""
from __future__ import annotations

import asyncio
import itertools
import threading
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select

from core.clock import office_today
from core.enums import RecordStatus, Role
from db.access import Actor
from db.accounts import create_user, current_account, issue_session_token
from db.engine import data_versions, get_engine, read_session
from db.gallery_actions import like
from db.models import ActivityRecord, StudyRecord, Unit, User
from db.records import approve_records, delete_record, save_record
from tests.app_server import START_TIMEOUT_S
from tests.load.servers import AppProcess, app_process, load_database_url, percentile
from tests.load.streamlit_viewer import StreamlitViewer
from tests.load.test_presenter_load import INTERVAL_S as PRESENTER_INTERVAL_S
from tests.load.test_presenter_load import QUERY as PRESENTER_QUERY
from tests.load.test_presenter_load import run_in_own_loop
from ui.data import BOARDS
from ui.state import SESSION_COOKIE

pytestmark = pytest.mark.load
VIEWERS = 50
WRITERS = 5
LEADERBOARD_RERUN_S = 10
WATCH_S = 30
WRITE_EVERY_S = 8  # each writer, alternately an approval and a like
ACCOUNTS = ("viewer", "cadre", "reporter", "admin")  # the demo's accounts the viewers are signed in as


@dataclass(frozen=True)
class WritePlan:
    admin: Actor
    likers: list[Actor]
    records: list[int]  # pending, for the writers to approve
    notes: list[int]  # approved study records, for the writers to like


@dataclass(frozen=True)
class Writes:
    approvals: int
    likes: int
    errors: list[str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> AppProcess:
    database_url = load_database_url()
    settings = {"DEMO_SCALE": "small", "DEMO_AUTOLOAD": "true", "PUBLIC_READ": "false"}
    with app_process(database_url, tmp_path_factory.mktemp("signed-in-load"), "app", **settings) as process:
        run_in_own_loop(open_once(process))  # the first page view loads the demo
        yield process


async def open_once(process: AppProcess) -> None:
    stop = asyncio.Event()
    viewer = StreamlitViewer(process.url, "sign-in", "")
    task = asyncio.create_task(viewer.watch(stop, START_TIMEOUT_S))
    async with asyncio.timeout(START_TIMEOUT_S):
        while not viewer.finished_runs and not task.done():
            await asyncio.sleep(0.2)
    stop.set()
    await task


def user_id(engine: Engine, username: str) -> int:
    with read_session(engine) as session:
        return session.scalar(select(User.id).where(User.username == username))


def signed_in_crowd(process: AppProcess, engine: Engine) -> list[tuple[StreamlitViewer, str]]:
    """Each viewer with a session cookie of its own, and the name the sidebar must show."""
    crowd = []
    accounts = itertools.cycle(ACCOUNTS)
    for number in range(VIEWERS):
        account = current_account(user_id(engine, next(accounts)), engine=engine)
        cookie = f"{SESSION_COOKIE}={issue_session_token(account.actor.user_id, engine=engine)}"
        if number % 2:
            viewer = StreamlitViewer(process.url, "presenter", PRESENTER_QUERY, cookie=cookie)
        else:
            viewer = StreamlitViewer(process.url, "leaderboard", "", cookie=cookie, rerun_every=LEADERBOARD_RERUN_S)
        crowd.append((viewer, account.display_name))
    return crowd


def pending_records(engine: Engine, count: int) -> list[int]:
    """Reports the reporter submits for the writers to approve during the watch."""
    reporter = current_account(user_id(engine, "reporter"), engine=engine).actor
    return [
        save_record(
            reporter, unit_id=reporter.unit_id, type_code="publicity", title=f"压力测试报道 {number}",
            occurred_on=office_today(), details={"outlet": "《组工动态》"}, submit=True, engine=engine,
        ).record_id
        for number in range(count)
    ]


def notes_to_like(engine: Engine, count: int) -> list[int]:
    with read_session(engine) as session:
        return list(session.scalars(
            select(StudyRecord.id).join(ActivityRecord, ActivityRecord.id == StudyRecord.record_id)
            .where(ActivityRecord.status == RecordStatus.APPROVED).order_by(StudyRecord.id).limit(count)
        ))


def plan_writes(engine: Engine) -> WritePlan:
    """What the writers need, made before the watch so that only their own writes fall inside it."""
    rounds = WATCH_S // WRITE_EVERY_S + 1
    with read_session(engine) as session:
        unit_id = session.scalar(select(Unit.id).order_by(Unit.id))
    run = uuid.uuid4().hex[:6]  # a database kept between runs (LOAD_DATABASE_URL) has the last run's writers
    likers = [  # colleagues who like notes: reporters (a read-only viewer may not like)
        current_account(create_user(username=f"load-writer-{run}-{number}", display_name=f"写入者{number}", password="load writer password",
                                    role=Role.REPORTER, unit_id=unit_id, rounds=4, engine=engine), engine=engine).actor
        for number in range(WRITERS)
    ]
    admin = current_account(user_id(engine, "admin"), engine=engine).actor
    return WritePlan(admin, likers, pending_records(engine, WRITERS * rounds), notes_to_like(engine, WRITERS * rounds))


def write_during(engine: Engine, plan: WritePlan, stop: threading.Event) -> Writes:
    """Five writers, each approving a record and liking a note in turn, until `stop`."""
    records = iter(plan.records)
    counts = {"approvals": 0, "likes": 0}
    errors: list[str] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        stop.wait(number * WRITE_EVERY_S / WRITERS)  # staggered: a write every WRITE_EVERY_S / WRITERS seconds
        for turn in itertools.count():
            if stop.is_set():
                return
            try:
                if turn % 2 == number % 2:
                    with lock:
                        record_id = next(records)
                    approve_records(plan.admin, [record_id], engine=engine)
                    kind = "approvals"
                else:
                    like(plan.likers[number], plan.notes[(turn * WRITERS + number) % len(plan.notes)], engine=engine)
                    kind = "likes"
                with lock:
                    counts[kind] += 1
            except Exception as error:  # noqa: BLE001 - every failure is reported, none hidden
                errors.append(f"writer {number}: {error!r}")
            stop.wait(WRITE_EVERY_S)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Writes(counts["approvals"], counts["likes"], errors)


async def watch(process: AppProcess, crowd: list[tuple[StreamlitViewer, str]], engine: Engine, plan: WritePlan) -> dict:
    stop = asyncio.Event()
    viewers = [viewer for viewer, _name in crowd]

    async def arrive(viewer: StreamlitViewer, number: int) -> None:
        # People open their pages one after another, not all in the same instant: spread over one
        # refresh interval, the reruns do not come in bursts of fifty.
        await asyncio.sleep(number / len(viewers) * (viewer.rerun_every or PRESENTER_INTERVAL_S))
        await viewer.watch(stop, START_TIMEOUT_S)

    tasks = [asyncio.create_task(arrive(viewer, number)) for number, viewer in enumerate(viewers)]
    try:
        async with asyncio.timeout(START_TIMEOUT_S):
            while not all(viewer.finished_runs for viewer in viewers):
                if failed := [task for task in tasks if task.done()]:
                    failed[0].result()
                    raise AssertionError("a viewer stopped watching before the others were shown the page")
                await asyncio.sleep(0.2)
        runs_before = [viewer.finished_runs for viewer in viewers]
        latencies_before = [len(viewer.latencies) for viewer in viewers]
        queries, cpu, versions = process.query_count(), process.cpu_seconds(), data_versions(engine)
        writing_stops = threading.Event()
        writes = asyncio.create_task(asyncio.to_thread(write_during, engine, plan, writing_stops))
        await asyncio.sleep(WATCH_S)
        writing_stops.set()
        figures = {
            "queries": process.query_count() - queries,
            "cpu": process.cpu_seconds() - cpu,
            "refreshes": [viewer.finished_runs - before for viewer, before in zip(viewers, runs_before, strict=True)],
            "latencies": [viewer.latencies[before:] for viewer, before in zip(viewers, latencies_before, strict=True)],
            "signed_in": [any(name in caption for caption in viewer.captions) for viewer, name in crowd],
            "errors": [problem for viewer in viewers for problem in viewer.exceptions],
        }
        figures["writes"] = await writes
        figures["bumps"] = {area.value: n - versions[area] for area, n in data_versions(engine).items() if n != versions[area]}
        return figures
    finally:
        stop.set()
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(outcome, BaseException):
                raise outcome


def forget_writes(engine: Engine, plan: WritePlan) -> None:
    """The test's records deleted by the office, so that a kept database (LOAD_DATABASE_URL)
    scores as before: run after run, they would fill the unit's weekly cap of publicity."""
    for record_id in plan.records:
        delete_record(plan.admin, record_id, engine=engine)


def test_fifty_signed_in_viewers_and_five_writers(server: AppProcess, capsys: pytest.CaptureFixture) -> None:
    engine = get_engine(server.database_url)
    crowd = signed_in_crowd(server, engine)
    plan = plan_writes(engine)
    try:
        figures = run_in_own_loop(watch(server, crowd, engine, plan))
    finally:
        forget_writes(engine, plan)
    writes: Writes = figures["writes"]
    refreshes = figures["refreshes"]
    leaderboard, presenter = refreshes[0::2], refreshes[1::2]
    latencies = {
        "all": [s for one in figures["latencies"] for s in one],
        "leaderboard": [s for one in figures["latencies"][0::2] for s in one],
        "presenter": [s for one in figures["latencies"][1::2] for s in one],
    }
    errors = figures["errors"] + writes.errors
    with capsys.disabled():  # the figures belong in every run's log, CI's included
        print(
            f"\n{VIEWERS} signed-in viewers ({len(leaderboard)} leaderboard rerun every {LEADERBOARD_RERUN_S} s, "
            f"{len(presenter)} presenter every {PRESENTER_INTERVAL_S} s), {WRITERS} writers, {WATCH_S} s watched:"
            f"\n  writes: {writes.approvals} approvals, {writes.likes} likes; data versions moved: {figures['bumps']} "
            f"(the leaderboard reads {', '.join(BOARDS)})"
            f"\n  refreshes: {sum(refreshes)} (leaderboard {min(leaderboard)}-{max(leaderboard)} each, presenter {min(presenter)}-{max(presenter)})"
            f"\n  SQL queries: {figures['queries']} = {figures['queries'] / max(sum(refreshes), 1):.2f} per refresh"
            + "".join(
                f"\n  refresh latency, {kind}: p50 {percentile(values, 0.5) * 1000:.0f} ms, "
                f"p95 {percentile(values, 0.95) * 1000:.0f} ms, max {max(values, default=0) * 1000:.0f} ms"
                for kind, values in latencies.items()
            )
            + f"\n  errors: {len(errors)}; server CPU {figures['cpu']:.1f} s, peak RSS {server.peak_rss_mb():.0f} MB"
        )
    assert errors == []
    assert all(figures["signed_in"]), figures["signed_in"]
    assert writes.approvals and writes.likes
    # Every viewer kept refreshing (the first round of the watch may fall just outside it).
    assert min(leaderboard) >= WATCH_S // LEADERBOARD_RERUN_S - 1, leaderboard
    assert min(presenter) >= WATCH_S // PRESENTER_INTERVAL_S - 1, presenter
