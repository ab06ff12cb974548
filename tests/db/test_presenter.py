"""The presenter's data: rank changes, the running count, and snapshots that survive as JSON."""
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from core.clock import office_today
from core.enums import RecordStatus
from core.periods import DateRange
from core.presenter import PresenterSettings
from db.access import Actor, PermissionDenied, ValidationFailed
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, Cadre
from db.people_boards import set_names_hidden
from db.presenter import campaign_counts, climbers, create_snapshot, get_snapshot, group_board, presenter_payload
from db.reference import campaign
from tests.db.world import add_records, build_world


def test_rank_change_against_the_previous_period(fresh_engine):
    world = build_world(fresh_engine)
    # May: A leads B. June: B leads A. So in June B gained one place and A lost one.
    add_records(fresh_engine, world, unit="A", type_code="publicity", count=3, on=dt.date(2026, 5, 10))
    add_records(fresh_engine, world, unit="B", type_code="publicity", count=1, on=dt.date(2026, 5, 10))
    add_records(fresh_engine, world, unit="B", type_code="publicity", count=4, on=dt.date(2026, 6, 10))
    add_records(fresh_engine, world, unit="A", type_code="publicity", count=1, on=dt.date(2026, 6, 10))
    info = campaign(fresh_engine)
    june = DateRange(dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    rows = {row["name_en"]: row for row in group_board(info, world.groups["G1"], june, "points", fresh_engine)}
    assert (rows["Unit B"]["rank"], rows["Unit B"]["previous_rank"], rows["Unit B"]["change"]) == (1, 2, 1)
    assert (rows["Unit A"]["rank"], rows["Unit A"]["previous_rank"], rows["Unit A"]["change"]) == (2, 1, -1)


def test_climbers_are_the_units_that_gained_places_this_week(fresh_engine):
    world = build_world(fresh_engine)
    thursday = dt.date(2026, 6, 11)  # the week of Monday 8 June; the week before began on 1 June
    add_records(fresh_engine, world, unit="A", type_code="publicity", count=3, on=dt.date(2026, 6, 2))
    add_records(fresh_engine, world, unit="B", type_code="publicity", count=1, on=dt.date(2026, 6, 2))
    add_records(fresh_engine, world, unit="B", type_code="publicity", count=4, on=dt.date(2026, 6, 9))
    add_records(fresh_engine, world, unit="A", type_code="publicity", count=1, on=dt.date(2026, 6, 9))
    rows = climbers(campaign(fresh_engine), thursday, fresh_engine)
    assert [(row["name_en"], row["rank"], row["change"], row["points"]) for row in rows] == [("Unit B", 1, 1, 8.0)]


def test_the_running_count(fresh_engine):
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a2", status="pending")
    add_records(fresh_engine, world, unit="B", type_code="grassroots_visit", cadre="b1")
    counts = campaign_counts(campaign(fresh_engine), fresh_engine)
    assert counts["records"] == 3
    assert counts["reports_done"] == 1  # one person, written twice; the pending one does not count
    assert counts["cadres"] == 9  # active cadres only
    assert counts["visits"] == 1


def test_the_running_count_read_from_the_summaries_equals_a_count_of_the_records(demo_engine):
    info = campaign(demo_engine)
    with read_session(demo_engine) as session:
        approved = select(func.count()).select_from(ActivityRecord).join(ActivityType).where(
            ActivityRecord.campaign_id == info.id, ActivityRecord.status == RecordStatus.APPROVED
        )
        expected = {
            "records": session.scalar(approved),
            "visits": session.scalar(approved.where(ActivityType.code == "grassroots_visit")),
            "reading_notes": session.scalar(approved.where(ActivityType.code == "reading_note")),
            "reports_done": session.scalar(
                select(func.count(func.distinct(ActivityRecord.cadre_id))).join(ActivityType).join(Cadre).where(
                    ActivityRecord.campaign_id == info.id, ActivityRecord.status == RecordStatus.APPROVED,
                    ActivityType.code == "analysis_report", Cadre.active.is_(True),
                )
            ),
        }
    counts = campaign_counts(info, demo_engine)
    assert {key: counts[key] for key in expected} == expected
    assert expected["records"] > 1000 and expected["reports_done"] > 10


def test_a_snapshot_freezes_the_payload_for_the_admin_only(demo_engine):
    info = campaign(demo_engine)
    payload = presenter_payload(PresenterSettings(), info, office_today(), demo_engine)
    json.dumps(payload)  # everything a snapshot stores is plain JSON
    with pytest.raises(PermissionDenied):
        create_snapshot(Actor(user_id=2, role="reporter", unit_id=2), name="会", settings={}, payload=payload, engine=demo_engine)
    with pytest.raises(ValidationFailed):
        create_snapshot(Actor(user_id=1, role="admin"), name="  ", settings={}, payload=payload, engine=demo_engine)
    ident = create_snapshot(Actor(user_id=1, role="admin"), name="推进会", settings={"period": "quarter"}, payload=payload, engine=demo_engine)
    frozen = get_snapshot(ident, demo_engine)
    assert frozen["name"] == "推进会" and frozen["payload"] == json.loads(json.dumps(payload))


def test_the_offices_privacy_setting_hides_names_on_every_presenter_screen(demo_engine):
    info = campaign(demo_engine)
    admin = Actor(user_id=1, role="admin")
    settings = PresenterSettings(boards=("highlights",))
    shown = presenter_payload(settings, info, office_today(), demo_engine)["highlights"]
    assert shown and any(item["cadre_name"] for item in shown)
    hidden_by_switch = presenter_payload(settings.with_changes(hide_names=True), info, office_today(), demo_engine)
    assert all(item["cadre_name"] is None for item in hidden_by_switch["highlights"])
    frozen_with_names = create_snapshot(admin, name="隐私测试", settings={}, payload={"highlights": shown}, engine=demo_engine)
    set_names_hidden(admin, True, engine=demo_engine)
    try:
        # The address does not ask to hide names; the office's setting does, and wins.
        hidden_by_office = presenter_payload(settings, info, office_today(), demo_engine)["highlights"]
        assert [item["study_id"] for item in hidden_by_office] == [item["study_id"] for item in shown]
        assert all(item["cadre_name"] is None for item in hidden_by_office)
        # A snapshot frozen while names were shown no longer shows them either.
        frozen = get_snapshot(frozen_with_names, demo_engine)["payload"]["highlights"]
        assert [item["study_id"] for item in frozen] == [item["study_id"] for item in shown]
        assert all(item["cadre_name"] is None for item in frozen)
    finally:
        set_names_hidden(admin, False, engine=demo_engine)


def test_several_groups_each_get_their_boards_in_the_order_chosen(demo_engine):
    info = campaign(demo_engine)
    settings = PresenterSettings(boards=("leaderboard", "completion"), group="department,district,nonexistent")
    payload = presenter_payload(settings, info, office_today(), demo_engine)
    assert [shown["group"]["code"] for shown in payload["group_boards"]] == ["department", "district"]
    assert all(shown["leaderboard"] and shown["completion"] for shown in payload["group_boards"])
    department_units = {row["unit_id"] for row in payload["group_boards"][0]["leaderboard"]}
    district_units = {row["unit_id"] for row in payload["group_boards"][1]["leaderboard"]}
    assert not department_units & district_units
    assert payload["unknown_groups"] == ["nonexistent"]
    # A mistyped code alone is reported, never replaced by another group the audience would trust.
    unknown_only = presenter_payload(settings.with_changes(group="nonexistent"), info, office_today(), demo_engine)
    assert unknown_only["group_boards"] == [] and unknown_only["unknown_groups"] == ["nonexistent"]
    no_group_asked = presenter_payload(settings.with_changes(group=None), info, office_today(), demo_engine)
    assert [shown["group"]["code"] for shown in no_group_asked["group_boards"]] == ["district"]  # the first group


def test_a_snapshot_hides_names_when_the_address_or_its_own_settings_ask(demo_engine):
    info = campaign(demo_engine)
    admin = Actor(user_id=1, role="admin")
    shown = presenter_payload(PresenterSettings(boards=("highlights",)), info, office_today(), demo_engine)["highlights"]
    assert any(item["cadre_name"] for item in shown)
    ident = create_snapshot(admin, name="带姓名", settings={}, payload={"highlights": shown}, engine=demo_engine)
    assert any(item["cadre_name"] for item in get_snapshot(ident, demo_engine)["payload"]["highlights"])
    assert all(item["cadre_name"] is None for item in get_snapshot(ident, demo_engine, hide_names=True)["payload"]["highlights"])
    frozen_hidden = create_snapshot(admin, name="隐藏姓名", settings={"names": "hide"}, payload={"highlights": shown}, engine=demo_engine)
    assert all(item["cadre_name"] is None for item in get_snapshot(frozen_hidden, demo_engine)["payload"]["highlights"])


def test_a_fresh_campaign_has_no_podium_of_ties_at_zero(fresh_engine):
    world = build_world(fresh_engine)
    payload = presenter_payload(PresenterSettings(boards=("leaderboard",), group="G1", metric="points"), campaign(fresh_engine),
                                dt.date(2026, 1, 2), fresh_engine)
    rows = payload["group_boards"][0]["leaderboard"]
    assert {row["unit_id"] for row in rows} == {world.units[name] for name in "ABC"}
    assert all(row["rank"] is None for row in rows)
