"""Campaign commands through the data layer: create, edit, periods, types and targets, close,
start the next stage; admin-only, audited, and a closed campaign refuses every write."""
import datetime as dt
import functools

import pytest
from sqlalchemy import func, select

from core.campaign_rules import CampaignSpec, TargetSpec
from db.access import Actor, PermissionDenied, ValidationFailed
from db.accounts import create_user
from db.boards import unit_leaderboard
from db.campaigns import (
    active_campaign,
    campaign_choices,
    campaign_detail,
    campaign_type_ids,
    close_campaign,
    create_campaign,
    current_type_codes,
    regenerate_periods,
    reopen_campaign,
    set_periods,
    set_types_and_targets,
    start_next_campaign,
    update_campaign,
)
from db.engine import read_session, write_session
from db.gallery import GalleryFilter, gallery_page, study_detail
from db.gallery_actions import like, rate, set_featured
from db.imports import import_records
from db.models import ActivityRecord, ActivityType, AuditLog, Campaign, CampaignTarget, Period, StudyRecord, SurveyScore
from db.records import approve_records, delete_record, return_record, save_record
from db.targets import campaign_targets
from tests.db.world import END, PASSWORD, START, add_account, add_records, build_world

D = dt.date
FILLER = "读书使人明理,学习使人进步,要在实践中发现问题研究问题解决问题,把书本知识转化为工作本领。"


def _spec(**changes):
    values = dict(code="cxzy-2027", name_zh="第二期活动", name_en="Second stage", start_date=D(2027, 1, 1), end_date=D(2027, 12, 31), young_born_from=1992)
    values.update(changes)
    return CampaignSpec(**values)


def _keys(refused):
    return [key for _field, key, _params in refused.value.problems]


def _type_ids(engine, *codes):
    with read_session(engine) as session:
        rows = dict(session.execute(select(ActivityType.code, ActivityType.id)).all())
    return [rows[code] for code in codes]


def _audits(engine, action):
    with read_session(engine) as session:
        return session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

    actors = {"admin": user("admin", "admin"), "reporter_a": user("ra", "reporter", "A"), "viewer": user("v", "viewer")}
    return fresh_engine, world, actors


def _report(world, actor, engine, *, submit=True, **extra):
    arguments = dict(
        unit_id=world.units["A"], type_code="analysis_report", title="党性分析报告", occurred_on=D(2026, 4, 1),
        details={"writer": world.cadres["a1"], "problems": "问" * 60, "causes": "因" * 60, "measures": "措" * 60},
        submit=submit, engine=engine,
    )
    arguments.update(extra)
    return save_record(actor, **arguments)


# --- creating a campaign on a database that has units but no campaign ----------------------------


@pytest.fixture
def empty(fresh_engine):
    """Units and an admin, but no campaign: the office going live."""
    admin_id = create_user(username="admin", display_name="管理员", password=PASSWORD, role="admin", rounds=4, engine=fresh_engine)
    return fresh_engine, Actor(user_id=admin_id, role="admin")


def test_the_admin_creates_the_first_campaign_with_periods_types_and_two_targets(empty):
    engine, admin = empty
    lecture, report, note = _type_ids(engine, "party_lecture", "analysis_report", "reading_note")
    targets = [
        TargetSpec(lecture, "per_principal", 1, D(2027, 6, 30), 2.0),
        TargetSpec(report, "per_cadre", 1, D(2027, 12, 31), 1.0),
    ]
    with read_session(engine) as session:
        assert active_campaign(session) is None
    campaign_id = create_campaign(admin, _spec(), type_ids=[lecture, report, note], targets=targets, engine=engine)
    with read_session(engine) as session:
        assert active_campaign(session).id == campaign_id
        assert campaign_type_ids(session, campaign_id) == {lecture, report, note}
        got = campaign_targets(session, campaign_id)
        assert [(t.type_code, t.basis, t.count, t.due_on, t.weight) for t in got] == [
            ("party_lecture", "per_principal", 1, D(2027, 6, 30), 2.0),
            ("analysis_report", "per_cadre", 1, D(2027, 12, 31), 1.0),
        ]
        assert session.scalar(select(func.count()).where(Period.campaign_id == campaign_id, Period.kind == "month")) == 12
        assert session.scalar(select(func.count()).where(Period.campaign_id == campaign_id, Period.kind == "quarter")) == 4
    assert current_type_codes(engine=engine) == {"party_lecture", "analysis_report", "reading_note"}
    created = _audits(engine, "campaign.create")
    assert len(created) == 1 and created[0].detail["after"]["code"] == "cxzy-2027"
    assert len(created[0].detail["after"]["targets"]) == 2


def test_without_chosen_targets_a_new_campaign_takes_the_catalogue_defaults_of_its_types(empty):
    engine, admin = empty
    lecture, note = _type_ids(engine, "party_lecture", "reading_note")
    campaign_id = create_campaign(admin, _spec(), type_ids=[lecture, note], engine=engine)
    with read_session(engine) as session:
        got = campaign_targets(session, campaign_id)
    assert [(t.type_code, t.basis, t.due_on) for t in got] == [("party_lecture", "per_principal", D(2027, 12, 31))]


def test_only_the_admin_may_create_or_change_a_campaign(setup):
    engine, world, actors = setup
    for actor in (None, actors["reporter_a"], actors["viewer"]):
        with pytest.raises(PermissionDenied):
            create_campaign(actor, _spec(), engine=engine)
        with pytest.raises(PermissionDenied):
            close_campaign(actor, world.campaign_id, engine=engine)
        with pytest.raises(PermissionDenied):
            campaign_detail(actor, world.campaign_id, engine=engine)
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Campaign)) == 1


def test_bad_campaigns_are_refused_and_leave_nothing_behind(setup):
    engine, _world, actors = setup
    admin = actors["admin"]
    with pytest.raises(ValidationFailed) as refused:
        create_campaign(admin, _spec(end_date=D(2026, 12, 31)), engine=engine)
    assert _keys(refused) == ["campaign.error.ends_before_start"]
    with pytest.raises(ValidationFailed) as refused:
        create_campaign(admin, _spec(code="T"), engine=engine)  # the world's campaign is "t"
    assert _keys(refused) == ["campaign.error.code_taken"]
    (lecture,) = _type_ids(engine, "party_lecture")
    with pytest.raises(ValidationFailed) as refused:
        create_campaign(admin, _spec(), type_ids=[lecture], targets=[TargetSpec(lecture, "per_principal", 1, D(2028, 1, 31), 1.0)], engine=engine)
    assert _keys(refused) == ["campaign.error.due_outside"]
    with pytest.raises(ValidationFailed) as refused:
        create_campaign(admin, _spec(), type_ids=[], engine=engine)
    assert _keys(refused) == ["campaign.error.no_types"]
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Campaign)) == 1
        assert session.scalar(select(func.count()).select_from(Period)) == 0
    assert _audits(engine, "campaign.create") == []


# --- editing ----------------------------------------------------------------------------------


def test_editing_is_audited_with_before_and_after(setup):
    engine, world, actors = setup
    update_campaign(actors["admin"], world.campaign_id, _spec(code="t", start_date=START, end_date=END, name_zh="新名称"), engine=engine)
    (row,) = _audits(engine, "campaign.update")
    assert row.detail["before"]["name_zh"] == "测试活动" and row.detail["after"]["name_zh"] == "新名称"
    assert row.user_id == actors["admin"].user_id


def test_new_dates_must_still_hold_the_periods_and_targets(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    regenerate_periods(admin, world.campaign_id, engine=engine)
    with pytest.raises(ValidationFailed) as refused:
        update_campaign(admin, world.campaign_id, _spec(code="t", start_date=START, end_date=D(2026, 6, 30)), engine=engine)
    assert "campaign.error.period_outside" in _keys(refused)
    with read_session(engine) as session:
        assert session.get(Campaign, world.campaign_id).end_date == END


def test_periods_are_edited_and_overlaps_refused(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    regenerate_periods(admin, world.campaign_id, engine=engine)
    periods = campaign_detail(admin, world.campaign_id, engine=engine)["periods"]
    assert len(periods) == 16
    january = next(p for p in periods if p["label"] == "2026-01")
    renamed = [{**p, "label": "一月"} if p is january else p for p in periods]
    set_periods(admin, world.campaign_id, renamed, engine=engine)
    labels = {p["label"] for p in campaign_detail(admin, world.campaign_id, engine=engine)["periods"]}
    assert "一月" in labels and "2026-01" not in labels
    overlapping = [*renamed, {"kind": "month", "label": "额外", "start_date": D(2026, 1, 20), "end_date": D(2026, 2, 10)}]
    with pytest.raises(ValidationFailed) as refused:
        set_periods(admin, world.campaign_id, overlapping, engine=engine)
    assert set(_keys(refused)) == {"campaign.error.period_overlap"}


def test_a_period_with_survey_results_cannot_be_removed(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    regenerate_periods(admin, world.campaign_id, engine=engine)
    periods = campaign_detail(admin, world.campaign_id, engine=engine)["periods"]
    with write_session(engine) as session:
        session.add(SurveyScore(campaign_id=world.campaign_id, unit_id=world.units["A"], period_id=periods[0]["id"],
                                credibility=90, satisfaction=90, respondents=10))
    with pytest.raises(ValidationFailed) as refused:
        set_periods(admin, world.campaign_id, periods[1:], engine=engine)
    assert _keys(refused) == ["campaign.error.period_in_use"]


def test_the_campaigns_types_limit_what_can_be_recorded(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    lecture, note = _type_ids(engine, "party_lecture", "reading_note")
    set_types_and_targets(admin, world.campaign_id, type_ids=[lecture, note],
                          targets=[TargetSpec(lecture, "per_principal", 1, D(2026, 6, 30), 1.0)], engine=engine)
    with pytest.raises(ValidationFailed) as refused:
        _report(world, actors["reporter_a"], engine)
    assert _keys(refused) == ["validation.unknown_type"]
    with pytest.raises(ValidationFailed) as refused:
        set_types_and_targets(admin, world.campaign_id, type_ids=[note],
                              targets=[TargetSpec(lecture, "per_principal", 1, D(2026, 6, 30), 1.0)], engine=engine)
    assert _keys(refused) == ["campaign.error.target_type"]
    (row,) = _audits(engine, "campaign.targets")
    assert len(row.detail["after"]["type_ids"]) == 2 and row.detail["after"]["targets"][0]["due_on"] == "2026-06-30"


# --- closing ----------------------------------------------------------------------------------


@pytest.fixture
def closed(setup):
    """The world's campaign with a pending report, an approved one and an approved reading note, then closed."""
    engine, world, actors = setup
    admin = actors["admin"]
    pending = _report(world, actors["reporter_a"], engine).record_id
    approved = _report(world, actors["reporter_a"], engine, details={
        "writer": world.cadres["a2"], "problems": "问" * 60, "causes": "因" * 60, "measures": "措" * 60}).record_id
    note = save_record(
        admin, unit_id=world.units["A"], type_code="reading_note", title="读书笔记", occurred_on=D(2026, 5, 1),
        details={"writer": world.cadres["a1"], "book": "乡土中国", "book_author": "费孝通", "note": FILLER * 3,
                 "takeaway": "要把书中的方法用到干部工作中去,切实提高服务基层的本领。"},
        submit=True, engine=engine,
    ).record_id
    approve_records(admin, [approved, note], engine=engine)
    with read_session(engine) as session:
        study = session.scalar(select(StudyRecord.id).where(StudyRecord.record_id == note))
    close_campaign(admin, world.campaign_id, engine=engine)
    return engine, world, actors, {"pending": pending, "approved": approved, "study": study}


def test_a_closed_campaign_refuses_a_new_record_an_approval_and_a_like(closed):
    engine, world, actors, ids = closed
    admin = actors["admin"]
    with pytest.raises(PermissionDenied) as refused:
        _report(world, actors["reporter_a"], engine)
    assert refused.value.key == "campaign.error.no_open_campaign"
    with pytest.raises(PermissionDenied) as refused:
        approve_records(admin, [ids["pending"]], engine=engine)
    assert refused.value.key == "campaign.error.closed"
    with pytest.raises(PermissionDenied) as refused:
        like(actors["reporter_a"], ids["study"], engine=engine)
    assert refused.value.key == "campaign.error.closed"
    with read_session(engine) as session:
        assert session.get(ActivityRecord, ids["pending"]).status == "pending"
        assert session.get(StudyRecord, ids["study"]).like_count == 0


def test_a_closed_campaign_refuses_edits_returns_deletes_ratings_features_and_imports(closed):
    engine, world, actors, ids = closed
    admin = actors["admin"]
    refusals = [
        lambda: _report(world, admin, engine, record_id=ids["approved"]),
        lambda: return_record(admin, ids["approved"], "请补充材料", engine=engine),
        lambda: delete_record(admin, ids["pending"], engine=engine),
        lambda: rate(admin, ids["study"], depth=5, practice=5, writing=5, engine=engine),
        lambda: set_featured(admin, ids["study"], True, engine=engine),
        lambda: import_records(actors["reporter_a"], unit_id=world.units["A"], type_code="publicity",
                               rows=[(2, {"title": "报道", "occurred_on": "2026-05-01", "outlet": "其他"})], submit=False, engine=engine),
        lambda: set_types_and_targets(admin, world.campaign_id, type_ids=_type_ids(engine, "publicity"), targets=[], engine=engine),
        lambda: update_campaign(admin, world.campaign_id, _spec(code="t", start_date=START, end_date=END), engine=engine),
        lambda: close_campaign(admin, world.campaign_id, engine=engine),
    ]
    for refusal in refusals:
        with pytest.raises(PermissionDenied):
            refusal()
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ActivityRecord)) == 3
        assert session.get(ActivityRecord, ids["approved"]).status == "approved"


def test_a_closed_campaign_stays_browsable_and_can_be_reopened(closed):
    engine, world, actors, ids = closed
    # The gallery shows it when chosen, and by default while no campaign is open; its notes open.
    assert [card["study_id"] for card in gallery_page(None, GalleryFilter(campaign_id=world.campaign_id), engine=engine).cards] == [ids["study"]]
    assert [card["study_id"] for card in gallery_page(None, GalleryFilter(), engine=engine).cards] == [ids["study"]]
    assert study_detail(None, ids["study"], engine=engine) is not None
    (choice,) = campaign_choices(engine=engine)
    assert choice.closed and not choice.current
    board = unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=engine)
    assert next(row for row in board if row.name_en == "Unit A").points > 0
    reopen_campaign(actors["admin"], world.campaign_id, engine=engine)
    assert approve_records(actors["admin"], [ids["pending"]], engine=engine) == 1
    assert [row.action for row in _audits(engine, "campaign.close")] == ["campaign.close"]


# --- the next stage -----------------------------------------------------------------------------


def test_the_next_campaign_copies_types_and_targets_and_leaves_the_first_unchanged(monkeypatch, setup):
    engine, world, actors = setup
    admin = actors["admin"]
    lecture, report, note = _type_ids(engine, "party_lecture", "analysis_report", "reading_note")
    set_types_and_targets(admin, world.campaign_id, type_ids=[lecture, report, note], targets=[
        TargetSpec(lecture, "per_principal", 1, D(2026, 6, 30), 2.0), TargetSpec(report, "per_cadre", 1, END, 1.0),
    ], engine=engine)
    add_records(engine, world, unit="A", type_code="analysis_report", cadre="a1")
    add_records(engine, world, unit="B", type_code="party_lecture", cadre="b1")

    def first_board():
        rows = unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], metric="completion", engine=engine)
        return [(row.name_en, row.rank, row.points, row.completion) for row in rows]

    before = first_board()
    close_campaign(admin, world.campaign_id, engine=engine)
    new_id = start_next_campaign(admin, world.campaign_id, _spec(), engine=engine)
    with read_session(engine) as session:
        assert active_campaign(session).id == new_id
        assert campaign_type_ids(session, new_id) == {lecture, report, note}
        assert [(t.type_code, t.due_on, t.weight) for t in campaign_targets(session, new_id)] == [
            ("party_lecture", D(2027, 6, 30), 2.0), ("analysis_report", D(2027, 12, 31), 1.0),
        ]
        assert session.scalar(select(func.count()).where(CampaignTarget.campaign_id == world.campaign_id)) == 2
    monkeypatch.setattr("db.records.office_today", lambda: D(2027, 2, 2))  # a day inside the next stage
    saved = _report(world, actors["reporter_a"], engine, occurred_on=D(2027, 2, 1))
    approve_records(admin, [saved.record_id], engine=engine)
    with read_session(engine) as session:
        assert session.get(ActivityRecord, saved.record_id).campaign_id == new_id
    assert first_board() == before
    assert [choice.id for choice in campaign_choices(engine=engine)] == [new_id, world.campaign_id]
    # The gallery of the new stage starts empty; the first stage's stays where it was.
    assert gallery_page(None, GalleryFilter(), engine=engine).total == 0
    (row,) = _audits(engine, "campaign.start_next")
    assert row.detail == {"from_campaign_id": world.campaign_id}


def test_a_campaign_prepared_for_next_year_does_not_take_over_this_years_entry(setup):
    engine, world, actors = setup
    start_next_campaign(actors["admin"], world.campaign_id, _spec(), engine=engine)
    with read_session(engine) as session:
        assert active_campaign(session, today=D(2026, 11, 30)).id == world.campaign_id
        assert active_campaign(session, today=D(2027, 1, 2)).id != world.campaign_id
