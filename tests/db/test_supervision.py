"""Supervision's data: coverage cells, lagging units, who is missing and who may see them."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import and_, func, select

from core.clock import office_today
from core.completion import Colour
from core.enums import RecordStatus, Role, TargetBasis
from db.access import Actor, PermissionDenied
from db.board_queries import mandatory_progress
from db.boards import unit_leaderboard
from db.engine import read_session, write_session
from db.models import ActivityRecord, Branch, Cadre, Campaign, CampaignTarget, ComparisonGroup, Unit
from db.supervision import (
    MissingState,
    coverage,
    lagging_for,
    lagging_units,
    matrix_for,
    missing_for,
    notice_for,
)
from db.targets import campaign_targets, default_targets
from tests.db.world import END, START, add_records, build_world

OFFICE = Actor(user_id=1, role=Role.ADMIN)
MAY = dt.date(2026, 5, 31)


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    # A: a1 (principal) lectured; a2 wrote the report, a3's waits for review, a4's was returned.
    add_records(fresh_engine, world, unit="A", type_code="party_lecture", cadre="a1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a2")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a3", status=RecordStatus.PENDING)
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a4", status=RecordStatus.RETURNED)
    add_records(fresh_engine, world, unit="A", type_code="analysis_meeting", branch="ab1")
    # B did everything.
    for code, cadre, branch in (
        ("party_lecture", "b1", None), ("analysis_report", "b1", None), ("analysis_report", "b2", None),
        ("analysis_meeting", None, "bb1"), ("big_discussion", None, None),
    ):
        add_records(fresh_engine, world, unit="B", type_code=code, cadre=cadre, branch=branch)
    return world


def _cells(engine, world, as_of):
    with read_session(engine) as session:
        return {(cell.unit.name_en, cell.target.type_code): cell for cell in coverage(session, world.campaign_id, as_of)}


def test_cells_count_done_of_required_and_colour_them_against_the_pace(fresh_engine, world):
    cells = _cells(fresh_engine, world, MAY)
    report = cells[("Unit A", "analysis_report")]
    assert (report.done, report.required, report.rate) == (1, 4, 0.25)
    # Due at the end of the year, 150 of 364 days gone: 1 of 4 is not behind (floor(4 x 0.41) = 1).
    assert report.pace == pytest.approx((MAY - START).days / (END - START).days)
    assert (report.expected, report.colour) == (1, Colour.GREEN)
    assert cells[("Unit A", "party_lecture")].colour == Colour.DONE
    assert cells[("Unit B", "big_discussion")].colour == Colour.DONE
    assert cells[("Unit A", "analysis_meeting")].colour == Colour.GREEN  # 1 of 2, pace 0.41
    # After the due date what is not done is red.
    late = _cells(fresh_engine, world, END + dt.timedelta(days=1))
    assert late[("Unit A", "analysis_report")].colour == Colour.RED
    assert late[("Unit B", "analysis_report")].colour == Colour.DONE


def test_behind_the_pace_is_amber(fresh_engine, world):
    # On 1 October 3 of 4 reports should be done; A has one.
    cells = _cells(fresh_engine, world, dt.date(2026, 10, 1))
    assert cells[("Unit A", "analysis_report")].expected == 3
    assert cells[("Unit A", "analysis_report")].colour == Colour.AMBER


def test_a_unit_without_branches_owes_no_meeting(fresh_engine, world):
    with write_session(fresh_engine) as session:
        session.query(Branch).filter(Branch.unit_id == world.units["D"]).update({"active": False})
    cell = _cells(fresh_engine, world, MAY)[("Unit D", "analysis_meeting")]
    assert (cell.required, cell.rate, cell.colour) == (0, None, None)


def test_the_missing_are_split_by_why(fresh_engine, world):
    report = _cells(fresh_engine, world, MAY)[("Unit A", "analysis_report")]
    missing = missing_for(OFFICE, campaign_id=world.campaign_id, as_of=MAY, unit_id=world.units["A"],
                          target_id=report.target.id, engine=fresh_engine)
    assert [(m.name, m.state) for m in missing] == [
        ("A1", MissingState.NOT_WRITTEN), ("A3", MissingState.PENDING), ("A4", MissingState.RETURNED),
    ]
    meeting = _cells(fresh_engine, world, MAY)[("Unit A", "analysis_meeting")]
    missing = missing_for(OFFICE, campaign_id=world.campaign_id, as_of=MAY, unit_id=world.units["A"],
                          target_id=meeting.target.id, engine=fresh_engine)
    assert [(m.name, m.kind) for m in missing] == [("A支部2", "branch")]


def test_lagging_units_most_red_first(fresh_engine, world):
    as_of = END + dt.timedelta(days=1)
    with read_session(fresh_engine) as session:
        lagging = lagging_units(session, world.campaign_id, as_of, world.groups["G1"])
    names = [lag.unit.name_en for lag in lagging]
    assert "Unit B" not in names  # B did everything
    # C did nothing: four red tasks; A three (discussion, a meeting, reports).
    assert names == ["Unit C", "Unit A"]
    assert (lagging[0].red, lagging[1].red) == (4, 3)
    assert [cell.target.type_code for cell in lagging[1].cells] == ["big_discussion", "analysis_meeting", "analysis_report"]


def test_a_notice_names_the_unit_the_tasks_and_the_missing(fresh_engine, world):
    notice = notice_for(OFFICE, campaign_id=world.campaign_id, as_of=END + dt.timedelta(days=1),
                        unit_id=world.units["A"], engine=fresh_engine)
    assert notice.unit.name_zh == "单位A"
    by_code = {item.cell.target.type_code: item for item in notice.items}
    assert set(by_code) == {"big_discussion", "analysis_meeting", "analysis_report"}
    assert [m.name for m in by_code["analysis_report"].missing] == ["A1", "A3", "A4"]


def test_who_may_see_what(fresh_engine, world):
    reporter = Actor(user_id=2, role=Role.REPORTER, unit_id=world.units["A"])
    cells = matrix_for(reporter, campaign_id=world.campaign_id, as_of=MAY, engine=fresh_engine)
    assert {cell.unit.name_en for cell in cells} == {"Unit A"}
    target_id = cells[0].target.id
    assert missing_for(reporter, campaign_id=world.campaign_id, as_of=MAY, unit_id=world.units["A"],
                       target_id=target_id, engine=fresh_engine) is not None
    with pytest.raises(PermissionDenied):
        missing_for(reporter, campaign_id=world.campaign_id, as_of=MAY, unit_id=world.units["B"],
                    target_id=target_id, engine=fresh_engine)
    for actor in (None, Actor(user_id=3, role=Role.CADRE, unit_id=world.units["A"], cadre_id=world.cadres["a2"]),
                  Actor(user_id=4, role=Role.VIEWER)):
        with pytest.raises(PermissionDenied):
            matrix_for(actor, campaign_id=world.campaign_id, as_of=MAY, engine=fresh_engine)
    for call in (lagging_for, notice_for):
        with pytest.raises(PermissionDenied):
            call(reporter, campaign_id=world.campaign_id, as_of=MAY, unit_id=world.units["A"], engine=fresh_engine) \
                if call is notice_for else call(reporter, campaign_id=world.campaign_id, as_of=MAY, engine=fresh_engine)


def test_targets_come_from_the_campaign_with_their_weights(fresh_engine, world):
    """The catalogue says nothing once the campaign has targets: drop one, weigh another."""
    with write_session(fresh_engine) as session:
        targets = {t.type_code: t for t in campaign_targets(session, world.campaign_id)}
        session.query(CampaignTarget).filter(CampaignTarget.id == targets["big_discussion"].id).delete()
        session.query(CampaignTarget).filter(CampaignTarget.id == targets["analysis_report"].id).update({"weight": 2.0})
    with read_session(fresh_engine) as session:
        progress = mandatory_progress(session, world.campaign_id, MAY, [world.units["A"]])[world.units["A"]]
    assert [task.code for task in progress] == ["party_lecture", "analysis_meeting", "analysis_report"]
    standings = {s.name_en: s for s in unit_leaderboard(
        campaign_id=world.campaign_id, start=START, end=MAY, group_id=world.groups["G1"], metric="completion",
        engine=fresh_engine)}
    # A: lecture 1, meetings 1/2, reports 1/4 weighted twice: (1 + 0.5 + 2 x 0.25) / 4.
    assert standings["Unit A"].completion == pytest.approx(0.5)


def test_skipping_the_principal_lecture_no_longer_hides_behind_many_reports(fresh_engine):
    """The issue's 市交通委: forty reports swamp one lecture under the pooled ratio."""
    with write_session(fresh_engine) as session:
        campaign = Campaign(code="c", name_zh="活动", name_en="Campaign", start_date=START, end_date=END)
        group = ComparisonGroup(code="g", name_zh="组", name_en="Group")
        session.add_all([campaign, group])
        session.flush()
        default_targets(session, campaign)
        plan = {"Skipper": 40, "Complete": 3, "Mostly": 2}
        units = {}
        for name, people in plan.items():
            unit = Unit(code=name, name_zh=name, name_en=name, group_id=group.id, kind="department")
            session.add(unit)
            session.flush()
            units[name] = unit.id
            branch = Branch(unit_id=unit.id, name=f"{name} branch")
            session.add(branch)
            session.flush()
            cadres = [Cadre(unit_id=unit.id, branch_id=branch.id, name=f"{name}{n}", is_principal=n == 0) for n in range(people)]
            session.add_all(cadres)
            session.flush()
            writers = {"Skipper": cadres, "Complete": cadres, "Mostly": cadres[:1]}[name]
            lecturer = None if name == "Skipper" else cadres[0]
            type_ids = {t.type_code: t.type_id for t in campaign_targets(session, campaign.id)}
            rows = [("analysis_report", c.id, None) for c in writers] + [("analysis_meeting", None, branch.id), ("big_discussion", None, None)]
            if lecturer:
                rows.append(("party_lecture", lecturer.id, None))
            session.add_all(
                ActivityRecord(campaign_id=campaign.id, unit_id=unit.id, type_id=type_ids[code], title="t",
                               occurred_on=dt.date(2026, 3, 1), status=RecordStatus.APPROVED, details={},
                               cadre_id=cadre_id, branch_id=branch_id)
                for code, cadre_id, branch_id in rows
            )
        campaign_id = campaign.id
    standings = {s.name_en: s for s in unit_leaderboard(
        campaign_id=campaign_id, start=START, end=MAY, metric="completion", engine=fresh_engine)}
    pooled = {name: s.done / s.required for name, s in standings.items()}
    # The old pooled figure: Skipper 42/43 = 97.7 %, above Mostly's 4/5 = 80 %.
    assert pooled["Skipper"] == pytest.approx(42 / 43)
    assert pooled["Skipper"] > pooled["Mostly"]
    # Per task: Skipper (1 + 1 + 1 + 0) / 4 = 75 %, below Mostly (0.5 + 1 + 1 + 1) / 4 and Complete.
    assert standings["Skipper"].completion == pytest.approx(0.75)
    assert standings["Mostly"].completion == pytest.approx(0.875)
    assert standings["Complete"].completion == pytest.approx(1.0)
    assert [s.name_en for s in sorted(standings.values(), key=lambda s: s.rank)] == ["Complete", "Mostly", "Skipper"]


def _recount(session, campaign_id: int, as_of: dt.date) -> dict[tuple[int, int], tuple[int, int]]:
    """done/required per (unit, target) straight from the records, one plain query per cell."""
    result = {}
    units = session.scalars(select(Unit).where(Unit.active.is_(True), Unit.group_id.is_not(None))).all()
    targets = session.scalars(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)).all()
    for unit in units:
        for target in targets:
            approved = and_(
                ActivityRecord.campaign_id == campaign_id, ActivityRecord.unit_id == unit.id,
                ActivityRecord.type_id == target.type_id, ActivityRecord.status == "approved",
                ActivityRecord.occurred_on <= as_of,
            )
            if target.basis == TargetBasis.PER_UNIT:
                done = min(session.scalar(select(func.count()).where(approved)), target.count)
                required = target.count
            elif target.basis == TargetBasis.PER_BRANCH:
                owed = session.scalars(select(Branch.id).where(Branch.unit_id == unit.id, Branch.active.is_(True), Branch.kind == "branch")).all()
                held = set(session.scalars(select(ActivityRecord.branch_id).where(approved)))
                done, required = sum(1 for b in owed if b in held), len(owed)
            else:
                query = select(Cadre.id).where(Cadre.unit_id == unit.id, Cadre.active.is_(True))
                if target.basis == TargetBasis.PER_PRINCIPAL:
                    query = query.where(Cadre.is_principal.is_(True))
                owed = session.scalars(query).all()
                held = set(session.scalars(select(ActivityRecord.cadre_id).where(approved)))
                done, required = sum(1 for c in owed if c in held), len(owed)
            result[(unit.id, target.id)] = (done, required)
    return result


def test_the_demo_matrix_shows_every_state_and_matches_a_recount(demo_engine):
    today = office_today()
    with read_session(demo_engine) as session:
        campaign_id = session.scalar(select(Campaign.id).where(Campaign.active.is_(True)))
        cells = coverage(session, campaign_id, today)
        recount = _recount(session, campaign_id, today)
    assert {(cell.unit.id, cell.target.id): (cell.done, cell.required) for cell in cells} == recount
    assert {cell.colour for cell in cells} >= {Colour.GREEN, Colour.AMBER, Colour.RED, Colour.DONE}
