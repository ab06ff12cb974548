"""The presenter in real rooms: a 25-unit group on every screen shape, a clicker, a server outage.

One server on a fresh database of its own holds a campaign with a 25-unit comparison group
(long English names included), built here; each language is checked in one browser page whose
viewport is resized, so the whole matrix costs a few page loads.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.clock import office_today
from db.account_admin import create_or_reset_admin
from db.bootstrap import ensure_base_data
from db.engine import get_engine, write_session
from db.models import ActivityRecord, ActivityType, Branch, Cadre, Campaign, ComparisonGroup, StudyRecord, Unit
from db.targets import default_targets
from tests.app_server import streamlit_server
from tests.browser.helpers import SHOTS
from tests.conftest import _new_database_url

SIZES = ((1024, 768), (1280, 720), (1920, 1080), (2560, 1080), (3840, 1080))
UNITS = 25
PLACES = (
    "Donghu", "Xishan", "Nanling", "Beicheng", "Qingshui", "Jinhe", "Longquan", "Baiyun", "Tianhe", "Huangpu",
    "Changning", "Yuelu", "Kaifu", "Furong", "Wangcheng", "Ningxiang", "Liuyang", "Jiangan", "Hanyang", "Wuchang",
    "Qingshan", "Hongshan", "Dongxihu", "Caidian", "Jiangxia",
)
PLACES_ZH = (
    "东湖", "西山", "南岭", "北城", "清水", "金河", "龙泉", "白云", "天河", "黄浦", "长宁", "岳麓", "开福", "芙蓉",
    "望城", "宁乡", "浏阳", "江岸", "汉阳", "武昌", "青山", "洪山", "东西湖", "蔡甸", "江夏",
)
MIN_TEXT_SHARE = 0.025  # of the viewport height
ALL_BOARDS = "leaderboard,climbers,completion,counts,highlights"


@dataclass(frozen=True)
class WideServer:
    url: str
    port: int
    database_url: str
    log: Path


def build_wide_group(database_url: str) -> None:
    """A campaign running today with one comparison group of 25 districts, each with records this
    week and last week (so ranks move), analysis reports (completion) and featured notes."""
    engine = get_engine(database_url)
    ensure_base_data(engine)
    # A database without an administrator shows how to make one at every address, the screen's too.
    create_or_reset_admin("office", "Projector-Hall-7391", rounds=4, engine=engine)
    today = office_today()
    with write_session(engine) as session:
        types = dict(session.execute(select(ActivityType.code, ActivityType.id)).all())
        campaign = Campaign(code="wide", name_zh="宽屏测试活动", name_en="Wide screen test",
                            start_date=today - dt.timedelta(days=120), end_date=today + dt.timedelta(days=240))
        group = ComparisonGroup(code="wide", name_zh="区县组", name_en="Districts")
        session.add_all([campaign, group])
        session.flush()
        default_targets(session, campaign)
        for index, (place, place_zh) in enumerate(zip(PLACES, PLACES_ZH, strict=True)):
            unit = Unit(code=f"w{index:02}", name_zh=f"{place_zh}区委组织部", name_en=f"{place} District Organization Department",
                        group_id=group.id, kind="district")
            session.add(unit)
            session.flush()
            branch = Branch(unit_id=unit.id, name=f"{place_zh}第一支部")
            session.add(branch)
            session.flush()
            cadres = [Cadre(unit_id=unit.id, branch_id=branch.id, name=f"{place_zh}干部{n}", is_principal=n == 0, is_leader=n == 0)
                      for n in range(4)]
            session.add_all(cadres)
            session.flush()

            def record(type_code: str, on: dt.date, cadre: Cadre | None = None, title: str = "记录",
                       unit_id: int = unit.id, branch_id: int = branch.id) -> ActivityRecord:
                row = ActivityRecord(campaign_id=campaign.id, unit_id=unit_id, type_id=types[type_code], title=title,
                                     occurred_on=on, status="approved", details={},
                                     cadre_id=cadre.id if cadre else None, branch_id=branch_id)
                session.add(row)
                return row

            # Last week the order was the reverse of this week's: most units climb or fall.
            for _ in range(index + 1):
                record("publicity", today - dt.timedelta(days=7))
            for _ in range(UNITS - index):
                record("publicity", today)
            for cadre in cadres[: 1 + index % 4]:
                record("analysis_report", today - dt.timedelta(days=3), cadre)
            if index < 6:
                note = record("reading_note", today - dt.timedelta(days=2), cadres[1], title=f"{place_zh}读书笔记:学习的体会与收获")
                session.flush()
                session.add(StudyRecord(record_id=note.id, kind="note", body="体会" * 40, featured=True,
                                        featured_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), like_count=10 - index))


@pytest.fixture(scope="module")
def wide_server(tmp_path_factory: pytest.TempPathFactory, chromium) -> Iterator[WideServer]:
    database_url = _new_database_url()
    build_wide_group(database_url)
    log = tmp_path_factory.mktemp("streamlit-wide") / "streamlit.log"
    with streamlit_server(database_url, log, DEMO_AUTOLOAD="false") as url:
        yield WideServer(url=url, port=int(url.rsplit(":", 1)[1]), database_url=database_url, log=log)


def _player(page: Page):
    return page.locator(".pr-screen")


def measure(page: Page) -> dict:
    """What a person at the back of the room would notice, measured in the page."""
    return page.evaluate(
        """() => {
          const root = document.querySelector('.pr-screen') || [...document.querySelectorAll('*')]
             .map(e => e.shadowRoot && e.shadowRoot.querySelector('.pr-screen')).find(Boolean);
          const body = root.querySelector('.pr-body');
          const items = [...body.querySelectorAll('[data-unit], .pr-tile, .pr-card, .pr-empty')];
          const size = e => parseFloat(getComputedStyle(e).fontSize);
          const rows = [...body.querySelectorAll('.pr-row:not(.pr-head)')];
          return {
            board: body.dataset.board, kind: body.dataset.kind,
            slide: Number(root.dataset.slide), page: Number(root.dataset.page), pages: Number(root.dataset.pages),
            units: [...body.querySelectorAll('[data-unit]')].map(e => e.dataset.unit),
            lastBottom: Math.max(0, ...items.map(e => e.getBoundingClientRect().bottom)),
            rightmost: Math.max(0, ...items.map(e => e.getBoundingClientRect().right)),
            rowText: rows.length ? Math.min(...rows.map(e => size(e))) : null,
            headText: Math.min(...[...body.querySelectorAll('.pr-head')].map(size), Infinity),
            subText: size(root.querySelector('.pr-sub')), titleText: size(root.querySelector('.pr-title')),
            cut: [...body.querySelectorAll('.pr-name')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent),
            overflow: body.scrollHeight - body.clientHeight,
            podiumCut: [...body.querySelectorAll('.pr-step, .pr-tile')].filter(e => e.scrollHeight > e.clientHeight + 1).length,
          };
        }"""
    )


def test_every_board_fits_every_screen_in_both_languages(wide_server: WideServer, new_page) -> None:
    for language in ("zh", "en"):
        page = new_page()
        page.goto(f"{wide_server.url}/presenter?play=1&boards={ALL_BOARDS}&group=wide&top=25&period=campaign&metric=points"
                  f"&rotate=600&lang={language}&embed=true&embed_options=dark_theme")
        expect(_player(page)).to_be_visible(timeout=60_000)
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(700)  # the player lays out again on its next tick
            seen: dict[str, set[str]] = {}
            start = measure(page)
            steps = 0
            while True:
                shown = measure(page)
                where = f"{language} {width}x{height} {shown['board']} page {shown['page'] + 1}/{shown['pages']}"
                seen.setdefault(shown["board"], set()).update(shown["units"])
                assert shown["lastBottom"] <= height, f"{where}: the last row ends at {shown['lastBottom']:.0f} of {height}"
                assert shown["rightmost"] <= width, f"{where}: a row runs to {shown['rightmost']:.0f} of {width}"
                assert shown["overflow"] <= 1, f"{where}: {shown['overflow']}px of the board are cut off"
                assert shown["podiumCut"] == 0, f"{where}: {shown['podiumCut']} podium steps or tiles cut off"
                if shown["rowText"] is not None:
                    assert shown["rowText"] >= MIN_TEXT_SHARE * height, f"{where}: row text {shown['rowText']:.1f}px"
                    assert shown["headText"] >= MIN_TEXT_SHARE * height, f"{where}: column headings {shown['headText']:.1f}px"
                    assert not shown["cut"], f"{where}: names cut off: {shown['cut']}"
                assert shown["subText"] >= MIN_TEXT_SHARE * height, f"{where}: the period line {shown['subText']:.1f}px"
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"presenter-{language}-{width}x{height}-{shown['board']}-{shown['page'] + 1}.png"))
                page.keyboard.press("PageDown")
                page.wait_for_timeout(150)
                steps += 1
                after = measure(page)
                if (after["slide"], after["page"]) == (start["slide"], start["page"]):
                    break
                assert steps < 30, "the playlist never came back to its first board"
            # Paged or not, every unit of the 25 was on screen.
            assert len(seen["leaderboard"]) == UNITS, f"{language} {width}x{height}: leaderboard showed {len(seen['leaderboard'])}"
            assert len(seen["completion"]) == UNITS, f"{language} {width}x{height}: completion showed {len(seen['completion'])}"
            assert set(seen) == set(ALL_BOARDS.split(","))


def _state(page: Page) -> dict:
    return page.evaluate(
        """() => { const r = document.querySelector('.pr-screen') || [...document.querySelectorAll('*')]
             .map(e => e.shadowRoot && e.shadowRoot.querySelector('.pr-screen')).find(Boolean);
           return {slide: Number(r.dataset.slide), page: Number(r.dataset.page), paused: r.dataset.paused,
                   revealed: r.dataset.revealed === undefined ? null : Number(r.dataset.revealed)}; }"""
    )


def test_a_clicker_drives_the_playlist_and_the_reveal(wide_server: WideServer, new_page) -> None:
    page = new_page()
    page.goto(f"{wide_server.url}/presenter?play=1&boards=leaderboard,counts,climbers&group=wide&top=10&rotate=600&embed=true")
    expect(_player(page)).to_be_visible(timeout=60_000)
    slides = []
    for key in ("PageDown", "ArrowRight", " ", "PageUp", "ArrowLeft"):
        page.keyboard.press(key)
        slides.append(_state(page)["slide"])
    assert slides == [1, 2, 0, 2, 1]

    # B pauses the clock: a 5-second slide stays; "." lets it run on.
    page.goto(f"{wide_server.url}/presenter?play=1&boards=leaderboard,counts&group=wide&top=10&rotate=5&embed=true")
    expect(_player(page)).to_be_visible(timeout=60_000)
    page.keyboard.press("b")
    paused_on = _state(page)
    assert paused_on["paused"] == "true"
    page.wait_for_timeout(6_500)
    assert _state(page)["slide"] == paused_on["slide"]
    page.keyboard.press(".")
    assert _state(page)["paused"] == "false"
    page.wait_for_function(
        """slide => { const r = [...document.querySelectorAll('*')].map(e => e.shadowRoot && e.shadowRoot.querySelector('.pr-screen'))
             .find(Boolean) || document.querySelector('.pr-screen'); return Number(r.dataset.slide) !== slide; }""",
        arg=paused_on["slide"], timeout=10_000,
    )

    # Reveal: the same keys uncover one place at a time from the last, and cover it again.
    page.goto(f"{wide_server.url}/presenter?play=1&boards=leaderboard&group=wide&top=10&reveal=1&period=campaign&metric=points&embed=true")
    expect(_player(page)).to_be_visible(timeout=60_000)
    hidden = page.locator(".pr-hidden")
    expect(hidden).to_have_count(10)
    # Every place number stays on screen while the names are covered.
    expect(page.locator(".pr-hidden .pr-rank").first).to_be_visible()
    expect(page.locator(".pr-step.p1 .pr-place")).to_be_visible()
    expect(page.locator(".pr-step.p1 .pr-unit")).to_be_hidden()
    page.keyboard.press("PageDown")
    expect(hidden).to_have_count(9)
    page.keyboard.press("ArrowLeft")
    expect(hidden).to_have_count(10)
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    # Eight places revealed: the rows and then the podium's third place; second and first still covered.
    expect(page.locator(".pr-step.p3 .pr-unit")).to_be_visible()
    expect(page.locator(".pr-step.p2.pr-hidden")).to_have_count(1)
    expect(page.locator(".pr-step.p1.pr-hidden")).to_have_count(1)
    # A reload (F5 on the meeting-room computer) keeps the position.
    page.reload()
    expect(_player(page)).to_be_visible(timeout=60_000)
    expect(hidden).to_have_count(2)
    page.keyboard.press(" ")
    page.keyboard.press("PageDown")
    expect(hidden).to_have_count(0)
    expect(page.locator(".pr-step.p1 .pr-unit")).to_be_visible()
    # Nothing of Streamlit's is projected: no button to click, no header.
    expect(page.get_by_role("button")).to_have_count(0)


def test_the_screen_rides_out_a_server_outage(wide_server: WideServer, new_page, tmp_path: Path) -> None:
    """Its own server, stopped and started again on the same port while the screen plays."""
    log = tmp_path / "streamlit.log"
    page = new_page()
    port_holder: list[str] = []
    with streamlit_server(wide_server.database_url, log, DEMO_AUTOLOAD="false") as url:
        port_holder.append(url)
        page.goto(f"{url}/presenter?play=1&boards=leaderboard,counts&group=wide&top=10&rotate=5&interval=3&embed=true")
        expect(_player(page)).to_be_visible(timeout=60_000)
        page.evaluate("window.__sameDocument = true")
    # The server is gone. Streamlit's own dialog would appear after about three seconds.
    badge = page.locator(".pr-offline")
    expect(badge).to_be_visible(timeout=15_000)
    expect(badge).to_contain_text("正在重新连接… 数据截至")
    before = _state(page)["slide"]
    page.wait_for_timeout(6_000)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("Connection error")).to_be_hidden()
    expect(page.get_by_text("Are you connected to the internet?")).to_be_hidden()
    # The last board stays and the playlist plays on.
    assert _state(page)["slide"] != before
    expect(page.locator(".pr-body [data-unit], .pr-body .pr-tile").first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "presenter-outage.png"))

    url = port_holder[0]
    with streamlit_server(wide_server.database_url, log, port=int(url.rsplit(":", 1)[1]), DEMO_AUTOLOAD="false"):
        expect(badge).to_be_hidden(timeout=30_000)
        expect(_player(page)).to_be_visible()
        assert page.evaluate("window.__sameDocument === true"), "the screen reloaded instead of resuming"
