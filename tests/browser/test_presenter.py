"""The meeting-room screen: it follows approvals live, without a reload, and looks right at both sizes."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from core.clock import office_today
from db.accounts import sign_in as sign_in_data
from db.catalog_defaults import ACTIVITY_TYPES
from db.engine import get_engine, read_session
from db.models import Unit
from db.records import save_record
from tests.browser.helpers import DEMO_PASSWORD, choose, no_exception, open_page, settle, sign_in

PUBLICITY_POINTS = next(spec["default_points"] for spec in ACTIVITY_TYPES if spec["code"] == "publicity")
UNIT = "东湖区委组织部"
SCREEN = "presenter?play=1&boards=leaderboard&interval=3&period=week&metric=points&group=district&top=10&theme=dark"


def _unit_points(page) -> float:
    row = page.locator("[data-unit]").filter(has_text=UNIT)
    expect(row).to_have_count(1)
    numbers = re.findall(r"\d[\d,]*\.\d", row.inner_text())
    return float(numbers[0].replace(",", ""))


def _pending_record(database_url: str) -> int:
    """A record the reporter submitted this week, waiting for the office."""
    engine = get_engine(database_url)
    reporter = sign_in_data("reporter", DEMO_PASSWORD, engine=engine).actor
    with read_session(engine) as session:
        assert session.scalar(select(Unit.name_zh).where(Unit.id == reporter.unit_id)) == UNIT
    saved = save_record(
        reporter, unit_id=reporter.unit_id, type_code="publicity", title="大屏测试:《组工动态》报道",
        occurred_on=office_today(), details={"outlet": "《组工动态》"}, submit=True, engine=engine,
    )
    return saved.record_id


def test_the_screen_shows_an_approval_within_its_refresh_interval(app_server, new_page):
    screen = new_page()
    screen.goto(f"{app_server.url}/{SCREEN}")
    settle(screen)
    expect(screen.locator("[data-board=leaderboard]")).to_be_visible()
    expect(screen.get_by_test_id("stSidebar")).to_be_hidden()
    before = _unit_points(screen)
    screen.evaluate("window.__sameDocument = true")

    record_id = _pending_record(app_server.database_url)
    admin = new_page()
    sign_in(admin, app_server.url, "admin")
    open_page(admin, app_server.url, "review")
    choose(admin, "查看记录", re.compile(rf"^{record_id} ·"), typed=f"{record_id} ·")
    admin.get_by_role("button", name="通过此条").click()
    settle(admin)
    expect(admin.get_by_test_id("stMain")).to_contain_text("已通过 1 条记录")

    # Within the refresh interval (3 s) plus the data-version cache (2 s), with margin for a busy machine.
    expect(screen.locator("[data-unit]").filter(has_text=UNIT)).to_contain_text(
        f"{before + PUBLICITY_POINTS:,.1f}", timeout=15_000
    )
    assert screen.evaluate("window.__sameDocument === true"), "the screen reloaded instead of refreshing in place"
    no_exception(screen)


def test_the_screen_in_both_themes_fetches_nothing_from_outside(app_server, new_page):
    page = new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith((app_server.url, f"blob:{app_server.url}", "data:")) else None)
    for theme in ("dark", "light"):
        page.goto(f"{app_server.url}/presenter?play=1&boards=leaderboard,counts&theme={theme}&rotate=600&embed=true")
        expect(page.locator("[data-board=leaderboard]")).to_be_visible()
        colour = page.locator(".pr-screen").evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == ("rgb(18, 18, 20)" if theme == "dark" else "rgb(255, 255, 255)")
        expect(page.get_by_test_id("stHeader")).to_be_hidden()
        page.screenshot(path=f"/tmp/browser-shots/presenter-{theme}-1280x720.png")
        no_exception(page)
    # The page icon, fonts and scripts all come from this server (an intranet reaches nothing else).
    assert outside == []


def test_the_highlights_board_shows_the_gallery_and_hides_names_on_request(app_server, new_page):
    from db.gallery import highlights

    featured = highlights(6, get_engine(app_server.database_url))
    assert featured, "the demo features some reading notes"
    first = featured[0]
    page = new_page()
    page.goto(f"{app_server.url}/presenter?play=1&boards=highlights&rotate=600")
    settle(page)
    board = page.locator("[data-board=highlights]")
    expect(board.locator(".pr-card")).to_have_count(len(featured))
    expect(board.locator(".pr-card").first).to_contain_text(first["title"])
    expect(board).to_contain_text(first["cadre_name"])
    expect(page.locator(".pr-sub")).to_contain_text("精选笔记与近 30 天获赞最多的笔记")
    page.goto(f"{app_server.url}/presenter?play=1&boards=highlights&rotate=600&names=hide&lang=en")
    settle(page)
    board = page.locator("[data-board=highlights]")
    expect(board.locator(".pr-card").first).to_contain_text(first["title"])
    expect(board).not_to_contain_text(first["cadre_name"])
    expect(page.locator(".pr-sub")).to_contain_text("Featured notes and the most liked of the last 30 days")
    no_exception(page)


def test_the_playlist_shows_each_chosen_groups_leaderboard_in_turn(app_server, new_page):
    page = new_page()
    page.goto(f"{app_server.url}/presenter?play=1&boards=leaderboard&group=district,department&rotate=15&interval=3")
    settle(page)
    title = page.locator(".pr-title")
    dots = page.locator(".pr-pager")
    expect(title).to_contain_text("区县组", timeout=10_000)
    expect(dots).to_have_text("● ○")  # two slides, the first on screen
    expect(title).to_contain_text("市直部门组", timeout=40_000)  # the next group after 15 seconds
    expect(dots).to_have_text("○ ●")
    no_exception(page)


def test_a_meeting_snapshot_stays_as_frozen_while_records_are_approved(app_server, new_page):
    from db.records import approve_records

    admin = new_page()
    sign_in(admin, app_server.url, "admin")
    open_page(admin, app_server.url, "presenter")
    admin.get_by_label("快照名称").fill("十一月推进会")
    admin.get_by_role("button", name="冻结当前排名").click()
    settle(admin)
    saved = admin.get_by_test_id("stMain").get_by_text(re.compile(r"快照已保存.编号 \d+"))
    expect(saved).to_be_visible()
    ident = re.search(r"编号 (\d+)", saved.inner_text()).group(1)

    screen = new_page()
    # A frozen screen redraws when it turns to the next board: two boards, five seconds each.
    screen.goto(f"{app_server.url}/presenter?play=1&snapshot={ident}&boards=leaderboard,counts&rotate=5")
    settle(screen)
    expect(screen.locator(".pr-frozen")).to_contain_text("会议快照:十一月推进会")
    row = screen.locator("[data-board=leaderboard] [data-unit]").filter(has_text=UNIT)
    frozen_row = row.inner_text()

    engine = get_engine(app_server.database_url)
    office = sign_in_data("admin", DEMO_PASSWORD, engine=engine).actor
    assert approve_records(office, [_pending_record(app_server.database_url)], engine=engine) == 1
    live = new_page()
    live.goto(f"{app_server.url}/presenter?play=1&boards=leaderboard&interval=3&rotate=600")
    settle(live)
    # The live screen has the approval; the frozen one, drawn again after it, does not.
    expect(live.locator("[data-unit]").filter(has_text=UNIT)).not_to_have_text(frozen_row)
    expect(screen.locator("[data-board=counts]")).to_be_visible(timeout=20_000)
    expect(screen.locator("[data-board=leaderboard]")).to_be_visible(timeout=20_000)
    assert row.inner_text() == frozen_row
    expect(screen.locator(".pr-frozen")).to_be_visible()
    no_exception(screen)


def test_a_snapshot_frozen_with_names_hidden_shows_no_name_and_the_office_time(app_server, new_page):
    from core.i18n import format_datetime
    from db.gallery import highlights
    from db.presenter import get_snapshot

    named = {row["cadre_name"] for row in highlights(6, get_engine(app_server.database_url)) if row["cadre_name"]}
    assert named, "the demo's featured notes name their writers"
    admin = new_page()
    sign_in(admin, app_server.url, "admin")
    open_page(admin, app_server.url, "presenter")
    admin.get_by_text("只显示单位,不显示个人姓名").click()
    admin.get_by_role("button", name="应用设置").click()
    settle(admin)
    admin.get_by_label("快照名称").fill("隐私快照")
    admin.get_by_role("button", name="冻结当前排名").click()
    settle(admin)
    # Freeze and open in one step: the new snapshot's address is offered at once.
    opener = admin.get_by_role("link", name="打开这个快照")
    expect(opener).to_be_visible()
    address = opener.get_attribute("href")
    ident = int(re.search(r"snapshot=(\d+)", address).group(1))
    assert "names=hide" in address

    screen = new_page()
    screen.goto(address.replace("boards=", "boards=highlights,", 1) if "highlights" not in address else address)
    # The address is the projector's wrapper page; the screen plays in its frame.
    player = screen.frame_locator("iframe")
    expect(player.locator(".pr-frozen")).to_contain_text("会议快照:隐私快照")
    created = get_snapshot(ident, get_engine(app_server.database_url))["created_at"]
    # Stored in UTC, shown in the office's zone (Asia/Shanghai in the tests, eight hours ahead).
    expect(player.locator(".pr-frozen")).to_contain_text(format_datetime(created, "zh"))
    for _ in range(6):
        if player.locator("[data-board=highlights]").count():
            break
        screen.keyboard.press("PageDown")
    board = player.locator("[data-board=highlights]")
    expect(board.locator(".pr-card").first).to_be_visible()
    for name in named:
        expect(board).not_to_contain_text(name)
    no_exception(player)
