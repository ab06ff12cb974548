"""The board pages under AppTest, as each kind of user sees them: the leaderboard and its
breakdown, a unit's detail, the cadres' board with hidden names, and the rule-set editor."""
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.config import PROJECT_ROOT
from db.access import Actor
from db.people_boards import names_hidden, set_names_hidden
from db.reference import units
from tests.pages.apptest import open_app, page_texts


def _frame(element) -> pd.DataFrame:
    value = element.value
    return value.data if hasattr(value, "data") else value


def _board_frame(at) -> pd.DataFrame:
    """The leaderboard table: the first dataframe with a 变化 (rank change) column."""
    return next(frame for frame in map(_frame, at.dataframe) if "change" in frame.columns)


def test_the_board_shows_every_figure_and_switching_metric_and_group_updates_it(demo_engine):
    at = open_app()
    at.segmented_control(key="board_period").set_value("campaign").run()
    board = _board_frame(at)
    assert list(board.columns) == ["rank", "unit", "headcount", "points", "per_capita", "completion", "survey", "composite", "change"]
    assert board["rank"].iloc[0] == "1"
    assert (board["change"] == "").all()  # the whole campaign has no previous period
    by_capita = board["unit"].tolist()
    at.selectbox(key="board_metric_zh").set_value("composite").run()
    by_composite = _board_frame(at)
    assert by_composite["composite"].is_monotonic_decreasing
    assert sorted(by_composite["unit"]) == sorted(by_capita)
    assert "综合指数" in page_texts(at) and "人均积分指数" in page_texts(at)  # the formula is on screen
    at.selectbox(key="board_group_zh").select_index(1).run()
    assert set(_board_frame(at)["unit"]).isdisjoint(by_capita)


def test_a_units_breakdown_adds_up_to_its_points_on_the_board(demo_engine):
    at = open_app()
    at.segmented_control(key="board_period").set_value("campaign").run()
    board = _board_frame(at)
    ids = {unit["name_zh"]: unit["id"] for unit in units(demo_engine)}
    for unit_name in at.selectbox(key="board_unit_zh").options[:3]:
        at.selectbox(key="board_unit_zh").set_value(ids[unit_name]).run()
        breakdown = next(frame for frame in map(_frame, at.dataframe) if "counted" in frame.columns)
        lines, total = breakdown.iloc[:-1], breakdown.iloc[-1]
        assert lines["points"].sum() == pytest.approx(total["points"], abs=0.05)
        assert total["points"] == pytest.approx(float(board.loc[board["unit"] == unit_name, "points"].iloc[0]), abs=0.05)
    assert "人均积分" in page_texts(at) and "在册组工干部" in page_texts(at)  # the denominators are spelled out


def test_the_rank_change_has_a_legend_for_english_readers(demo_engine):
    at = open_app()
    at.selectbox(key="board_metric_zh").set_value("composite").run()
    # The sidebar's language switch, by its key: after a rerun AppTest no longer lists this page's sidebar.
    at.session_state["language"] = "en"
    at.run()
    assert "red = up" in page_texts(at) and "green = down" in page_texts(at)
    # The choices speak the new language and are kept.
    metric = at.selectbox(key="board_metric_en")
    assert metric.value == "composite" and "Points per capita" in metric.options


def test_a_reporter_sees_their_units_detail_with_the_names_still_missing(accounts):
    at = open_app(accounts["reporter"], "views/unit_detail.py")
    assert at.title[0].value == "单位详情"
    assert at.selectbox(key="unit_detail_unit_zh").value == accounts["reporter"].actor.unit_id
    labels = [metric.label for metric in at.metric]
    assert labels[1:] == ["积分", "人均积分", "完成率", "综合指数"]
    assert any("比组中位数" in (metric.proto.delta or "") for metric in at.metric)
    tasks = next(frame for frame in map(_frame, at.dataframe) if "missing" in frame.columns)
    assert tasks["required"].sum() > 0


def test_a_visitor_sees_counts_of_open_tasks_but_no_names(demo_engine):
    at = open_app(page="views/unit_detail.py")
    tasks = next(frame for frame in map(_frame, at.dataframe) if "open" in frame.columns)
    assert "missing" not in tasks.columns
    assert "只向本单位和市委组织部显示" in page_texts(at)


def test_hidden_names_never_reach_a_visitor(accounts, demo_engine):
    admin = accounts["admin"].actor
    assert not names_hidden(demo_engine)
    try:
        at = open_app(accounts["admin"], "views/people_board.py")
        at.toggle(key="people_hide_names").set_value(True).run()
        assert names_hidden(demo_engine)
        assert "您作为管理员仍能看到全部姓名" in page_texts(at)
        assert not _frame(at.dataframe[0])["name"].str.contains("不公开").any()

        visitor = open_app(page="views/people_board.py")
        names = _frame(visitor.dataframe[0])["name"]
        assert (names == "(姓名不公开)").all()
        assert "个人姓名不公开显示" in page_texts(visitor)

        reporter = open_app(accounts["reporter"], "views/people_board.py")
        own_unit = next(unit for unit in reporter.selectbox(key="people_unit_zh").options if unit is not None)
        shown = _frame(reporter.dataframe[0])
        assert (shown["name"] == "(姓名不公开)").any()  # other units' people
        assert own_unit
    finally:
        set_names_hidden(Actor(user_id=admin.user_id, role="admin"), False, engine=demo_engine)


def test_the_rules_page_is_for_the_office_only(accounts):
    at = AppTest.from_file(str(PROJECT_ROOT / "views/rules.py"), default_timeout=60)
    at.session_state["signed_in"] = accounts["reporter"]
    at.run()
    assert "只有市委组织部管理员" in page_texts(at)
    assert not at.button and not at.dataframe
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_app(accounts["reporter"]).switch_page("views/rules.py")


def test_the_office_drafts_previews_and_publishes_rules(accounts):
    at = open_app(accounts["admin"], "views/rules.py")
    assert at.title[0].value == "积分规则"
    next(button for button in at.button if button.label == "新建草稿").click().run()
    assert "草稿已建好" in page_texts(at)
    draft_version = int(at.metric[1].value.lstrip("v"))
    preview = next(frame for frame in map(_frame, at.dataframe) if "draft_rank" in frame.columns)
    assert (preview["move"] == "–").all()  # a copy of the rules in force moves nobody

    # Bonuses worth 50 points each reorder units by what they earned beyond their records.
    at.number_input(key=f"rules_bonus_adopted_suggestion_{draft_version}").set_value(50.0).run()
    at.selectbox(key="board_metric_zh").set_value("points").run()
    at.segmented_control(key="board_period").set_value("campaign").run()
    preview = next(frame for frame in map(_frame, at.dataframe) if "draft_rank" in frame.columns)
    assert (preview["draft_value"] > preview["current_value"]).any()

    at.number_input(key=f"rules_bonus_adopted_suggestion_{draft_version}").set_value(2.0).run()
    at.button(key="rules_publish_now").click().run()
    assert f"v{draft_version} 已发布" in page_texts(at)
    assert at.metric[0].value == f"v{draft_version}"
    history = next(frame for frame in map(_frame, at.dataframe) if "published" in frame.columns)
    assert history["status"].tolist()[:2] == ["现行", "历史"]


def _rule_choices(at) -> list[str]:
    """The labels of the board's rules-version choice (none when it is not offered)."""
    return next((box.options for box in at.selectbox if box.key == "board_rules_zh"), [])


def test_another_rules_version_is_a_labelled_what_if_and_a_visitor_is_offered_none(accounts):
    visitor = open_app()
    assert _rule_choices(visitor) == []
    assert "试算" not in page_texts(visitor)

    at = open_app(accounts["admin"])
    assert "非正式排名" not in page_texts(at)
    assert "计分规则 v" in page_texts(at) or "分段计分" in page_texts(at)  # the rules in force, named
    assert "试算:规则 v1 · 默认规则" in _rule_choices(at)
    at.selectbox(key="board_rules_zh").set_value(1).run()
    assert "按规则 v1 试算,非正式排名" in page_texts(at)
    assert any("非正式排名" in warning.value for warning in at.warning)


def test_a_discarded_draft_is_offered_in_no_boards_version_choice(accounts, demo_engine):
    from db.rules import create_draft, discard_draft, rule_sets
    from ui.data import refresh

    admin = accounts["admin"].actor
    if not any(info.status == "draft" for info in rule_sets(demo_engine)):
        create_draft(admin, engine=demo_engine)
    draft = next(info.version for info in rule_sets(demo_engine) if info.status == "draft")
    refresh()
    at = open_app(accounts["admin"])
    assert any(re.search(rf"草稿 v{draft}\b", label) for label in _rule_choices(at))  # the office may try its draft
    discard_draft(admin, version=draft, engine=demo_engine)
    refresh()  # as the rules page does after its write
    for user in (accounts["admin"], accounts["viewer"]):
        choices = _rule_choices(open_app(user))
        assert not any(re.search(rf"v{draft}\b", label) for label in choices)
        assert "试算:规则 v1 · 默认规则" in choices


def test_publishing_shows_what_changes_against_the_version_in_force(accounts):
    at = open_app(accounts["admin"], "views/rules.py")
    next(button for button in at.button if button.label == "新建草稿").click().run()
    draft_version = int(at.metric[1].value.lstrip("v"))
    at.number_input(key=f"rules_bonus_adopted_suggestion_{draft_version}").set_value(50.0).run()
    diff = next(frame for frame in map(_frame, at.dataframe) if "after" in frame.columns)
    assert [row for row in diff.values.tolist() if row[0] != "生效日期"] == [["建议被采纳", "2", "50"]]
    assert "个单位中有" in page_texts(at) and "名次发生变化" in page_texts(at)  # the current period's ranking
    next(button for button in at.button if button.key == "rules_discard_now").click().run()
    assert f"草稿 v{draft_version} 已放弃" in page_texts(at)
