"""Presenter settings from the address bar, the playlist clock, and the screen's HTML."""
from core.presenter import BOARDS, PresenterSettings, moved_up, parse_settings, settings_query, slide_at, slides
from ui.presenter_view import change_html, highlights_html, leaderboard_html, screen_html


def test_settings_round_trip_through_the_query_string():
    settings = PresenterSettings(boards=("counts", "leaderboard"), interval=5, rotate=30, theme="light", group="district",
                                 period="week", metric="points", top=8, hide_names=True, snapshot=4, reveal=True, play=True, language="en")
    assert parse_settings(settings_query(settings)) == settings


def test_untrusted_query_values_fall_back_or_are_clamped():
    settings = parse_settings({"boards": "counts,<script>,counts,leaderboard", "interval": "0", "rotate": "abc",
                               "theme": "neon", "top": "999", "snapshot": "1;drop", "period": "decade"})
    assert settings.boards == ("counts", "leaderboard")
    assert settings.interval == 3 and settings.rotate == 20 and settings.top == 20
    assert settings.theme == "dark" and settings.snapshot is None and settings.period == "quarter"
    assert parse_settings({}).boards == BOARDS


def test_the_playlist_rotates_on_the_timer():
    playlist = slides(("leaderboard", "counts", "climbers"), 1)
    assert playlist == [("leaderboard", 0), ("counts", 0), ("climbers", 0)]
    assert [playlist[slide_at(playlist, 20, seconds)][0] for seconds in (0, 19.9, 20, 45, 60, 79)] == [
        "leaderboard", "leaderboard", "counts", "climbers", "leaderboard", "leaderboard"]


def test_each_chosen_group_gets_its_own_leaderboard_and_completion_slide():
    assert slides(("leaderboard", "counts", "completion"), 3) == [
        ("leaderboard", 0), ("leaderboard", 1), ("leaderboard", 2), ("counts", 0),
        ("completion", 0), ("completion", 1), ("completion", 2)]
    settings = parse_settings({"group": "district, city_dept,district,<b>,x y"})
    assert settings.group_codes == ("district", "city_dept")
    assert parse_settings(settings_query(settings)).group_codes == ("district", "city_dept")
    assert parse_settings({"group": ""}).group_codes == ()


def test_units_that_moved_up_are_highlighted():
    assert moved_up({1: 3, 2: 1, 3: 2}, {1: 1, 2: 2, 3: 3, 4: 4}) == {1}
    assert moved_up({}, {1: 1}) == set()


def test_rank_changes_use_red_up_and_green_down():
    assert "pr-up" in change_html(2, "zh") and "▲2" in change_html(2, "zh")
    assert "pr-down" in change_html(-1, "zh") and "▼1" in change_html(-1, "zh")
    assert "—" in change_html(0, "zh")


def _row(unit_id, rank, name):
    return {"unit_id": unit_id, "rank": rank, "name_zh": name, "name_en": name, "change": 0, "points": 10.0,
            "per_capita": 1.0, "completion": 0.5}


def test_names_from_users_cannot_inject_markup():
    rows = [_row(1, 1, "<img src=x onerror=alert(1)>"), _row(2, 2, "B"), _row(3, 3, "C"), _row(4, 4, "D")]
    html = leaderboard_html(rows, "points", "zh", flash=set(), revealed=None)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    cards = highlights_html([{"title": "<script>alert(1)</script>", "cadre_name": "<b>x</b>", "unit_zh": "U", "book_title": "<i>",
                              "like_count": 3, "featured": True, "image": None}], "zh")
    assert "<script>" not in cards and "<b>" not in cards and "&lt;script&gt;" in cards


def test_reveal_mode_hides_all_but_the_bottom_places():
    rows = [_row(i, i, f"单位{i}") for i in range(1, 7)]
    html = leaderboard_html(rows, "points", "zh", flash=set(), revealed=2)
    assert html.count("pr-hidden") == 4
    html = leaderboard_html(rows, "points", "zh", flash={5}, revealed=6)
    assert "pr-hidden" not in html and html.count("pr-flash") == 1


def test_a_frozen_screen_says_so():
    payload = {"group": {"name_zh": "区县组", "name_en": "Districts"}, "start": "2026-10-01", "end": "2026-12-31", "metric": "points",
               "leaderboard": [_row(1, 1, "A")]}
    html = screen_html(board="leaderboard", payload=payload, language="zh", theme="dark", updated="10:00:00",
                       frozen="推进会 · 2026-11-27 10:00", flash=set(), revealed=None, position=(0, 1))
    assert "会议快照:推进会" in html and "实时" not in html


def test_each_board_says_what_span_of_time_it_covers():
    payload = {"group": {"name_zh": "区县组", "name_en": "Districts"}, "start": "2026-10-01", "end": "2026-12-31",
               "campaign_start": "2025-11-27", "metric": "points", "week": ["2026-11-23", "2026-11-29"],
               "leaderboard": [_row(1, 1, "A")], "completion": [], "climbers": [],
               "counts": {"records": 1, "reports_done": 1, "cadres": 2, "visits": 0, "problems_solved": 0, "reading_notes": 0}}

    def screen(board: str) -> str:
        return screen_html(board=board, payload=payload, language="zh", theme="dark", updated="10:00:00",
                           frozen=None, flash=set(), revealed=None, position=(0, 1))

    legend = "红色 ▲ 表示名次上升"
    assert "2026年10月1日 至 2026年12月31日 总积分" in screen("leaderboard") and legend in screen("leaderboard")
    assert "2026年11月23日 至 2026年11月29日" in screen("climbers") and legend in screen("climbers")
    # Completion of the mandatory tasks and the running count add up from the campaign's first day.
    assert "2025年11月27日 至 2026年12月31日" in screen("completion") and legend not in screen("completion")
    assert "自2025年11月27日活动开展以来累计" in screen("counts") and legend not in screen("counts")
    assert "2026年10月1日" not in screen("counts")
