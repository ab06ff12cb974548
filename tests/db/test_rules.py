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

    publish(admin, version=2, engine=fresh_engine)
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
    publish(admin, version=2, engine=fresh_engine)
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
    table = history_table([published], "zh")
    assert table.frame.iloc[0]["published"] == "2026年5月2日 04:30"  # Asia/Shanghai, the next morning
