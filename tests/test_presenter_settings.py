"""Presenter settings from the address bar, the playlist clock, and the screen's HTML."""
from core.presenter import (
    BOARDS,
    PresenterSettings,
    parse_settings,
    setting_warnings,
    settings_query,
    slides,
)
from ui.presenter_view import SLIDE_BUILDERS, build_slide, change_html, deck, highlights_slide, leaderboard_slide


def test_settings_round_trip_through_the_query_string():
    settings = PresenterSettings(boards=("counts", "leaderboard"), interval=5, rotate=30, theme="light", group="district",
                                 period="week", metric="points", top=8, hide_names=True, snapshot=4, reveal=True, play=True, language="en", fade=True)
    assert parse_settings(settings_query(settings)) == settings


def test_untrusted_query_values_fall_back_or_are_clamped():
    settings = parse_settings({"boards": "counts,<script>,counts,leaderboard", "interval": "0", "rotate": "abc",
                               "theme": "neon", "top": "999", "snapshot": "1;drop", "period": "decade"})
    assert settings.boards == ("counts", "leaderboard")
    assert settings.interval == 3 and settings.rotate == 20 and settings.top == 30
    assert settings.theme == "dark" and settings.snapshot is None and settings.period == "quarter"
    assert parse_settings({}).boards == BOARDS


def test_each_chosen_group_gets_its_own_leaderboard_and_completion_slide():
    assert slides(("leaderboard", "counts", "completion"), 3) == [
        ("leaderboard", 0), ("leaderboard", 1), ("leaderboard", 2), ("counts", 0),
        ("completion", 0), ("completion", 1), ("completion", 2)]
    settings = parse_settings({"group": "district, city_dept,district,<b>,x y"})
    assert settings.group_codes == ("district", "city_dept")
    assert parse_settings(settings_query(settings)).group_codes == ("district", "city_dept")
    assert parse_settings({"group": ""}).group_codes == ()


def test_rank_changes_use_red_up_and_green_down():
    assert "pr-up" in change_html(2, "zh") and "▲2" in change_html(2, "zh")
    assert "pr-down" in change_html(-1, "zh") and "▼1" in change_html(-1, "zh")
    assert "—" in change_html(0, "zh")


def _row(unit_id, rank, name):
    return {"unit_id": unit_id, "rank": rank, "name_zh": name, "name_en": name, "change": 0, "points": 10.0,
            "per_capita": 1.0, "completion": 0.5}


def _payload(rows, **more):
    return {"group_boards": [{"group": {"code": "d", "name_zh": "区县组", "name_en": "Districts"}, "leaderboard": rows, "completion": rows}],
            "start": "2026-10-01", "end": "2026-12-31", "campaign_start": "2025-11-27", "metric": "points",
            "computed_at": "2026-11-30T11:05:00", "week": ["2026-11-23", "2026-11-29"], "climbers": [],
            "counts": {"records": 1, "reports_done": 1, "cadres": 2, "visits": 0, "problems_solved": 0, "reading_notes": 0}, **more}


def test_names_from_users_cannot_inject_markup():
    rows = [_row(1, 1, "<img src=x onerror=alert(1)>"), _row(2, 2, "B"), _row(3, 3, "C"), _row(4, 4, "D")]
    slide = leaderboard_slide(_payload(rows)["group_boards"][0], _payload(rows), "zh", "t", "s")
    html = "".join(slide["podium"] + slide["rows"])
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    cards = highlights_slide({"highlights": [{"title": "<script>alert(1)</script>", "cadre_name": "<b>x</b>", "unit_zh": "U",
                                              "book_title": "<i>", "like_count": 3, "featured": True, "image": None}]}, "zh", "t", "s")["body"]
    assert "<script>" not in cards and "<b>" not in cards and "&lt;script&gt;" in cards


def test_every_board_has_a_slide_builder():
    assert set(SLIDE_BUILDERS) == set(BOARDS)
    for board in BOARDS:
        assert build_slide(board, _payload([_row(1, 1, "A")], highlights=[]), "en")["board"] == board


def test_the_podium_holds_the_first_three_and_rank_numbers_stay_in_every_row():
    rows = [_row(i, i, f"单位{i}") for i in range(1, 7)]
    slide = leaderboard_slide(_payload(rows)["group_boards"][0], _payload(rows), "zh", "t", "s")
    assert len(slide["podium"]) == 3 and len(slide["rows"]) == 3
    # Reveal covers names and figures (pr-secret), never the rank.
    assert all('class="pr-rank">' in row and 'pr-rank pr-secret' not in row for row in slide["rows"])


def test_ties_at_zero_are_not_ranks():
    unranked = [dict(_row(i, 1, f"单位{i}"), points=0.0, rank=None, change=None) for i in range(1, 21)]
    slide = leaderboard_slide({"leaderboard": unranked}, _payload(unranked), "zh", "t", "s")
    assert slide["podium"] == [] and "暂不排名" in slide["note"]


def test_an_unknown_group_code_is_said_not_replaced():
    payload = _payload([], group_boards=[], unknown_groups=["distrct"])
    slide = build_slide("leaderboard", payload, "zh")
    assert slide["kind"] == "message" and "distrct" in slide["body"] and "不存在" in slide["body"]
    assert setting_warnings(PresenterSettings(group="distrct"), ("distrct",))[0][0] == "presenter.warn_unknown_group"


def test_the_setup_warns_about_settings_that_cannot_work():
    assert setting_warnings(PresenterSettings()) == []
    keys = [key for key, _ in setting_warnings(PresenterSettings(top=30, rotate=10, reveal=True))]
    assert keys == ["presenter.warn_reveal_one_board", "presenter.warn_pages_too_short"]


def test_the_deck_tells_the_time_of_its_data_in_the_office_zone():
    played = deck(_payload([_row(1, 1, "A")]), PresenterSettings(boards=("leaderboard", "counts")))
    # 11:05 UTC is 19:05 in Asia/Shanghai (the tests' office zone).
    assert played["labels"]["reconnecting"] == "正在重新连接… 数据截至 19:05"
    assert [slide["id"] for slide in played["slides"]] == ["leaderboard:d", "counts"]


def test_a_frozen_screen_says_so_with_the_office_time():
    import datetime as dt
    frozen = {"name": "推进会", "created_at": dt.datetime(2026, 11, 27, 2, 0)}
    played = deck(_payload([_row(1, 1, "A")]), PresenterSettings(boards=("leaderboard",)), frozen)
    assert "会议快照:推进会" in played["status"] and "2026年11月27日 10:00" in played["status"]


def test_each_board_says_what_span_of_time_it_covers():
    payload = _payload([_row(1, 1, "A")])

    def slide(board: str) -> dict:
        return build_slide(board, payload, "zh")

    assert "2026年10月1日 至 2026年12月31日 · 总积分" in slide("leaderboard")["subtitle"]
    assert "红色 ▲ 表示名次上升" in slide("leaderboard")["legend"]
    assert "2026年11月23日 至 2026年11月29日" in slide("climbers")["subtitle"]
    # Completion of the mandatory tasks and the running count add up from the campaign's first day.
    assert "2025年11月27日 至 2026年12月31日" in slide("completion")["subtitle"] and not slide("completion")["legend"]
    assert "自2025年11月27日活动开展以来累计" in slide("counts")["subtitle"]


def test_an_empty_group_says_it_has_no_units_not_that_records_are_missing():
    payload = _payload([])
    for board in ("leaderboard", "completion"):
        slide = build_slide(board, payload, "zh")
        assert slide["kind"] == "message" and "这个比较组还没有单位" in slide["body"]


def test_the_honour_roll_slide_shows_the_roll_escaped_and_says_when_there_is_none():
    from ui.presenter_view import honours_slide

    roll = {"title": "<b>五月光荣榜</b>", "start": "2026-05-01", "end": "2026-05-31", "entries": [
        {"kind": "cadre", "name": "<img src=x>", "unit_zh": "单位A", "unit_en": "Unit A", "citation": "读书<script>"},
        {"kind": "unit", "name": None, "unit_zh": "单位B", "unit_en": "Unit B", "citation": "第一名"},
    ]}
    slide = honours_slide({"honours": roll}, "zh", "光荣榜", "s")
    assert "<img src=x>" not in slide["body"] and "&lt;script&gt;" in slide["body"] and "&lt;b&gt;" in slide["subtitle"]
    assert slide["body"].index("单位B") < slide["body"].index("单位A")  # advanced units first
    assert "还没有发布的光荣榜" in honours_slide({"honours": None}, "zh", "光荣榜", "s")["body"]
    full = build_slide("honours", _payload([_row(1, 1, "A")], honours=roll), "en")
    assert full["title"] == "Honour roll" and "Unit B" in full["body"]
