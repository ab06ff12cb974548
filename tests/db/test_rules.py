"""Rule-set versions: draft, edit, publish, archive; only the office may; any version recomputes any period."""
import dataclasses
import datetime as dt
import re

import pytest
from sqlalchemy import select

from db.access import Actor, PermissionDenied, ValidationFailed
from db.accounts import create_user
from db.boards import rules_version, unit_leaderboard
from db.engine import read_session
from db.models import AuditLog
from db.rules import create_draft, discard_draft, publish, rule_sets, rules_from_config, update_draft
from tests.db.world import END, START, add_records, build_world
from ui.rules_view import history_table


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=15, cadre="a1")
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=9)
    return world


@pytest.fixture
def admin(fresh_engine):
    user_id = create_user(username="office", display_name="办公室", password="a long password", role="admin", rounds=4, engine=fresh_engine)
    return Actor(user_id=user_id, role="admin")


def _points(engine, world, **kwargs):
    rows = unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], metric="points", engine=engine, **kwargs)
    return {row.name_en: row.points for row in rows}


def test_the_office_drafts_edits_and_publishes_a_new_version(fresh_engine, world, admin):
    assert _points(fresh_engine, world) == {"Unit A": 24.0, "Unit B": 0.0, "Unit C": 18.0}
    version = create_draft(admin, engine=fresh_engine)
    assert version == 2
    draft = next(info for info in rule_sets(fresh_engine) if info.version == 2)
    assert draft.status == "draft" and draft.config["points"]["reading_note"] == 2
    config = {**draft.config, "points": {**draft.config["points"], "reading_note": 3}, "unit_caps": {"publicity": 5, "reading_note": None}}
    update_draft(admin, version=2, name="2026年下半年规则", config=config, engine=fresh_engine)
    # The draft changes nothing until it is published...
    assert _points(fresh_engine, world)["Unit A"] == 24.0
    # ...but can be previewed: A 12 notes x 3, C 5 publicity x 2.
    preview = rules_from_config(config, engine=fresh_engine)
    assert _points(fresh_engine, world, rules=preview) == {"Unit A": 36.0, "Unit B": 0.0, "Unit C": 10.0}

    publish(admin, version=2, effective_from=START, engine=fresh_engine)
    statuses = {info.version: info.status for info in rule_sets(fresh_engine)}
    assert statuses == {1: "archived", 2: "published"}
    assert rules_version(fresh_engine) == 2
    assert _points(fresh_engine, world) == {"Unit A": 36.0, "Unit B": 0.0, "Unit C": 10.0}
    with read_session(fresh_engine) as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "rule_set").order_by(AuditLog.id)).all()
    assert actions == ["rules.draft", "rules.update", "rules.publish"]


def test_an_archived_version_recomputes_any_period_with_its_own_numbers(fresh_engine, world, admin):
    create_draft(admin, engine=fresh_engine)
    draft = rule_sets(fresh_engine)[0]
    update_draft(admin, version=2, name="v2", config={**draft.config, "caps": {**draft.config["caps"], "reading_note": 5}}, engine=fresh_engine)
    publish(admin, version=2, effective_from=START, engine=fresh_engine)
    rows = unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], metric="points", engine=fresh_engine)
    assert {row.name_en: row.points for row in rows}["Unit A"] == 10.0
    from db.boards import unit_board

    old = unit_board(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], metric="points", rules_version=1, engine=fresh_engine)
    assert old.rules_version == 1
    assert {row.name_en: row.points for row in old.standings}["Unit A"] == 24.0


def test_only_the_office_may_change_rules(fresh_engine, world):
    reporter_id = create_user(username="rep", display_name="填报员", password="a long password", role="reporter", unit_id=world.units["A"], rounds=4, engine=fresh_engine)
    reporter = Actor(user_id=reporter_id, role="reporter", unit_id=world.units["A"])
    for actor in (None, reporter):
        with pytest.raises(PermissionDenied):
            create_draft(actor, engine=fresh_engine)
        with pytest.raises(PermissionDenied):
            publish(actor, version=1, engine=fresh_engine)
    assert [info.version for info in rule_sets(fresh_engine)] == [1]


def test_bad_drafts_are_refused_and_leave_nothing_behind(fresh_engine, world, admin):
    create_draft(admin, engine=fresh_engine)
    with pytest.raises(ValidationFailed) as refused:
        create_draft(admin, engine=fresh_engine)
    assert refused.value.problems[0][1] == "rules.problem.draft_exists"
    draft = rule_sets(fresh_engine)[0]
    bad = {**draft.config, "points": {**draft.config["points"], "reading_note": -2}}
    with pytest.raises(ValidationFailed) as refused:
        update_draft(admin, version=2, name="坏规则", config=bad, engine=fresh_engine)
    assert ("points.reading_note", "validation.out_of_range") in [(p[0], p[1]) for p in refused.value.problems]
    assert rule_sets(fresh_engine)[0].config == draft.config
    with pytest.raises(ValidationFailed):
        update_draft(admin, version=1, name="改已发布", config=draft.config, engine=fresh_engine)
    with pytest.raises(ValidationFailed):
        publish(admin, version=1, engine=fresh_engine)


def test_a_discarded_draft_stays_in_history_and_its_number_is_not_reused(fresh_engine, world, admin):
    create_draft(admin, engine=fresh_engine)
    discard_draft(admin, version=2, engine=fresh_engine)
    assert create_draft(admin, engine=fresh_engine) == 3
    statuses = {info.version: (info.status, info.published_at) for info in rule_sets(fresh_engine)}
    assert statuses[2] == ("archived", None)
    assert statuses[1][0] == "published"


def test_the_default_rule_set_is_named_in_one_language_and_its_history_in_office_time(fresh_engine):
    [default] = rule_sets(fresh_engine)
    assert not re.search(r"[A-Za-z]", default.name)
    published = dataclasses.replace(default, published_at=dt.datetime(2026, 5, 1, 20, 30))  # 20:30 UTC
    table = history_table([published], "zh", dt.date(2026, 6, 1))
    assert table.frame.iloc[0]["published"] == "2026年5月2日 04:30"  # Asia/Shanghai, the next morning


# --- effective dates: each period keeps the rules in force then ----------------------------------

MAY = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def _publish_v2(engine, admin, *, effective_from, points=3, cap=12):
    """v2: reading notes worth `points` each, at most `cap` per person per period."""
    create_draft(admin, engine=engine)
    config = rule_sets(engine)[0].config
    config = {
        **config, "points": {**config["points"], "reading_note": points}, "caps": {**config["caps"], "reading_note": cap},
    }
    update_draft(admin, version=2, name="v2", config=config, engine=engine)
    publish(admin, version=2, effective_from=effective_from, engine=engine)


def _board_of(engine, world, span, **kwargs):
    from db.boards import unit_board

    return unit_board(
        campaign_id=world.campaign_id, start=span[0], end=span[1], group_id=world.groups["G1"], metric="points",
        engine=engine, **kwargs,
    )


def test_a_month_scored_under_v1_keeps_its_figures_after_v2_is_published_effective_next_month(fresh_engine, world, admin):
    before = {s.name_en: s.points for s in _board_of(fresh_engine, world, MAY).standings}
    assert before == {"Unit A": 24.0, "Unit B": 0.0, "Unit C": 18.0}  # 12 capped notes x 2, 9 x 2
    _publish_v2(fresh_engine, admin, effective_from=JUNE[0])
    may = _board_of(fresh_engine, world, MAY)
    assert {s.name_en: s.points for s in may.standings} == before
    assert (may.rules_version, [span.rules.version for span in may.spans], may.what_if) == (1, [1], False)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=2, cadre="a1", on=dt.date(2026, 6, 10))
    june = _board_of(fresh_engine, world, JUNE)
    assert {s.name_en: s.points for s in june.standings}["Unit A"] == 6.0  # 2 notes x 3 under v2
    assert june.rules_version == 2


def test_a_period_spanning_a_change_is_scored_part_by_part(fresh_engine, world, admin):
    from db.boards import group_trend
    from db.people_boards import people_board

    _publish_v2(fresh_engine, admin, effective_from=JUNE[0], points=3, cap=5)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=15, cadre="a1", on=dt.date(2026, 6, 10))
    board = _board_of(fresh_engine, world, (MAY[0], JUNE[1]))
    # May under v1: 15 notes capped at 12, x 2 = 24; June under v2: 15 capped at 5, x 3 = 15.
    unit_a = next(s for s in board.standings if s.name_en == "Unit A")
    assert unit_a.points == 39.0
    assert [(span.start, span.end, span.rules.version) for span in board.spans] == [(MAY[0], MAY[1], 1), (JUNE[0], JUNE[1], 2)]
    [line] = [line for line in board.details[unit_a.unit_id].types if line.code == "reading_note"]
    assert (line.records, line.counted, line.points) == (30, 17, 39.0)
    trend = group_trend(campaign_id=world.campaign_id, group_id=world.groups["G1"], start=MAY[0], end=JUNE[1], engine=fresh_engine)
    assert [f.points for f in trend.figures if f.unit_id == unit_a.unit_id] == [24.0, 15.0]
    people = people_board(None, campaign_id=world.campaign_id, start=MAY[0], end=JUNE[1], engine=fresh_engine)
    assert next(row.points for row in people.rows if row.cadre_id == world.cadres["a1"]) == 39.0


def test_another_version_is_a_labelled_what_if_over_the_whole_period(fresh_engine, world, admin):
    _publish_v2(fresh_engine, admin, effective_from=JUNE[0], points=3)
    what_if = _board_of(fresh_engine, world, MAY, rules_version=2)
    assert what_if.what_if and what_if.rules_version == 2
    assert {s.name_en: s.points for s in what_if.standings}["Unit A"] == 36.0
    assert not _board_of(fresh_engine, world, MAY).what_if


def test_a_new_version_cannot_take_effect_before_the_latest_one(fresh_engine, world, admin):
    _publish_v2(fresh_engine, admin, effective_from=JUNE[0])
    create_draft(admin, engine=fresh_engine)
    with pytest.raises(ValidationFailed) as refused:
        publish(admin, version=3, effective_from=MAY[1], engine=fresh_engine)
    assert refused.value.problems == [("effective_from", "rules.problem.effective_too_early", {"date": "2026-06-01"})]
    assert rule_sets(fresh_engine)[0].status == "draft"


def test_discarded_drafts_are_not_history_and_never_offered_to_a_board(fresh_engine, world, admin):
    from db.rules import what_if_versions

    viewer_id = create_user(username="viewer", display_name="只读", password="a long password", role="viewer", rounds=4, engine=fresh_engine)
    viewer = Actor(user_id=viewer_id, role="viewer")
    create_draft(admin, engine=fresh_engine)
    discard_draft(admin, version=2, engine=fresh_engine)
    create_draft(admin, engine=fresh_engine)
    versions = rule_sets(fresh_engine)
    assert [info.discarded for info in versions] == [False, True, False]
    assert [info.version for info in what_if_versions(admin, fresh_engine)] == [3, 1]  # the live draft, the office only
    assert [info.version for info in what_if_versions(viewer, fresh_engine)] == [1]
    assert what_if_versions(None, fresh_engine) == []  # a public board offers no what-if at all
    table = history_table(versions, "zh", dt.date(2026, 6, 1)).frame
    assert table["status"].tolist() == ["草稿", "已放弃", "现行"]
    assert table["span"].tolist() == ["", "", "最初 起"]


def test_the_history_shows_each_versions_span_in_office_dates(fresh_engine, world, admin):
    _publish_v2(fresh_engine, admin, effective_from=JUNE[0])
    table = history_table(rule_sets(fresh_engine), "zh", dt.date(2026, 5, 20)).frame
    assert table[["version", "status", "span"]].values.tolist() == [
        ["v2", "待生效", "2026年6月1日 起"],
        ["v1", "现行", "最初 至 2026年5月31日"],
    ]
