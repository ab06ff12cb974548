"""Leaderboard figures against expectations worked out by hand (default points: reading note 2,
analysis report 5, party lecture 8, publicity 2; at most 12 records of a type per person)."""
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from core.scoring import ScoringRules
from db.boards import group_boards, group_trend, published_rules, standings_with_change, unit_board, unit_leaderboard
from db.catalog_defaults import ACTIVITY_TYPES
from db.engine import read_session, write_session
from db.models import (
    ActivityRecord,
    ActivityType,
    Campaign,
    ComparisonGroup,
    Period,
    Problem,
    StudyRecord,
    Suggestion,
    SurveyScore,
)
from tests.db.world import END, START, add_records, build_world


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    # A: 15 approved notes by one person, capped at 12 -> 24; two reports -> 10; total 34.
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=15, cadre="a1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a2")
    # Not counted: pending, returned, draft, dated outside the range, by a cadre who left (mandatory).
    add_records(fresh_engine, world, unit="A", type_code="reading_note", cadre="a3", status="pending")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a3", status="returned")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a4", status="draft")
    add_records(fresh_engine, world, unit="A", type_code="publicity", on=dt.date(2025, 12, 31))
    # B: the principal's lecture 8 + two reports 10 = 18 over 2 cadres = 9.0 per capita.
    add_records(fresh_engine, world, unit="B", type_code="party_lecture", cadre="b1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b2")
    # C: nine unit-level publicity items = 18 over 2 cadres = 9.0: a tie with B.
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=9)
    # D is in another group.
    add_records(fresh_engine, world, unit="D", type_code="publicity", count=3)
    return world


def _board(engine, world, **kwargs):
    arguments = {"campaign_id": world.campaign_id, "start": START, "end": END, "group_id": world.groups["G1"], "engine": engine}
    return {row.name_en: row for row in unit_leaderboard(**{**arguments, **kwargs})}


def test_totals_per_capita_and_caps(fresh_engine, world):
    board = _board(fresh_engine, world, metric="points")
    assert {name: row.points for name, row in board.items()} == {"Unit A": 34.0, "Unit B": 18.0, "Unit C": 18.0}
    assert board["Unit A"].headcount == 4  # the cadre who left is not counted
    assert board["Unit A"].per_capita == pytest.approx(8.5)
    assert board["Unit A"].records == 17  # approved and in range only
    assert "Unit D" not in board


def test_ties_share_a_rank(fresh_engine, world):
    by_points = _board(fresh_engine, world, metric="points")
    assert [by_points[n].rank for n in ("Unit A", "Unit B", "Unit C")] == [1, 2, 2]
    by_capita = _board(fresh_engine, world, metric="per_capita")
    assert [by_capita[n].rank for n in ("Unit B", "Unit C", "Unit A")] == [1, 1, 3]


def test_completion_of_the_mandatory_tasks(fresh_engine, world):
    board = _board(fresh_engine, world, metric="completion")
    # A: lecture 0/1, discussion 0/1, meetings 0/2, reports 2/4: the mean of the rates
    # (0 + 0 + 0 + 0.5) / 4, not the pooled 2/8.
    assert (board["Unit A"].done, board["Unit A"].required) == (2, 8)
    assert board["Unit A"].completion == pytest.approx(0.125)
    # B: lecture 1/1, discussion 0/1, meeting 0/1, reports 2/2 -> (1 + 0 + 0 + 1) / 4.
    assert (board["Unit B"].done, board["Unit B"].required) == (3, 5)
    assert board["Unit B"].completion == pytest.approx(0.5)
    assert board["Unit B"].rank == 1


def test_an_older_rule_set_version_can_be_applied(fresh_engine, world):
    defaults = {spec["code"]: spec["default_points"] for spec in ACTIVITY_TYPES}
    rules = ScoringRules.from_config(2, {"points": {"reading_note": 3}, "caps": {"reading_note": 10}}, defaults)
    board = _board(fresh_engine, world, metric="points", rules=rules)
    assert board["Unit A"].points == 10 * 3 + 2 * 5


def test_the_date_range_limits_what_counts(fresh_engine, world):
    board = _board(fresh_engine, world, metric="points", start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30))
    assert all(row.points == 0 for row in board.values())
    # Nothing approved in June: nobody is ranked, nobody ties (it was everyone "1 并列").
    assert all(row.rank is None and not row.tied for row in board.values())


# --- bonuses, unit caps, composite index, rank change, trend, breakdown -------------------------


def _note_ids(engine, world, unit, status="approved"):
    with read_session(engine) as session:
        return session.scalars(
            select(ActivityRecord.id)
            .join(ActivityType, ActivityType.id == ActivityRecord.type_id)
            .where(ActivityRecord.unit_id == world.units[unit], ActivityType.code == "reading_note", ActivityRecord.status == status)
            .order_by(ActivityRecord.id)
        ).all()


def _add_bonus_events(engine, world):
    """A: two featured approved notes (+6) and a featured pending one (0); C: an adopted suggestion (+2),
    one still submitted and one adopted before the range; B: a problem solved in range (+1), one open,
    one solved after the range."""
    featured = _note_ids(engine, world, "A")[:2] + _note_ids(engine, world, "A", "pending")
    with write_session(engine) as session:
        for record_id in featured:
            session.add(StudyRecord(record_id=record_id, kind="note", featured=True, featured_at=dt.datetime(2026, 3, 10, 2)))
        for status, created, adopted in (
            ("adopted", dt.datetime(2026, 3, 1, 10), dt.date(2026, 3, 5)),
            ("submitted", dt.datetime(2026, 3, 2), None),
            ("adopted", dt.datetime(2025, 12, 20), dt.date(2025, 12, 30)),
        ):
            session.add(Suggestion(unit_id=world.units["C"], cadre_id=world.cadres["c2"], title="建议", status=status, created_at=created, adopted_on=adopted))
        for solved in (dt.date(2026, 4, 1), None, dt.date(2027, 1, 5)):
            session.add(Problem(
                unit_id=world.units["B"], source="grassroots_visit", description="问题", found_on=dt.date(2026, 3, 1),
                solved_on=solved, status="solved" if solved else "open",
            ))


def test_a_period_without_approved_records_ranks_nobody_even_with_bonus_points(fresh_engine, world):
    _add_bonus_events(fresh_engine, world)  # B solved a problem on 1 April: one bonus point, no record
    for metric in ("points", "per_capita", "composite"):
        board = _board(fresh_engine, world, metric=metric, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 7))
        assert board["Unit B"].bonus_points == 1.0 and sum(row.records for row in board.values()) == 0
        assert all(row.rank is None and not row.tied and row.rank_change is None for row in board.values())


def test_bonuses_count_featured_notes_adopted_suggestions_and_solved_problems(fresh_engine, world):
    _add_bonus_events(fresh_engine, world)
    board = _board(fresh_engine, world, metric="points")
    assert {name: (row.activity_points, row.bonus_points, row.points) for name, row in board.items()} == {
        "Unit A": (34.0, 6.0, 40.0), "Unit B": (18.0, 1.0, 19.0), "Unit C": (18.0, 2.0, 20.0),
    }
    assert [board[name].rank for name in ("Unit A", "Unit C", "Unit B")] == [1, 2, 3]
    no_bonus = ScoringRules.from_config(2, {"bonuses": {"featured_note": 0, "adopted_suggestion": 0, "solved_problem": 0}}, _defaults())
    assert _board(fresh_engine, world, metric="points", rules=no_bonus)["Unit A"].points == 34.0


def _defaults():
    return {spec["code"]: spec["default_points"] for spec in ACTIVITY_TYPES}


def test_an_optional_cap_per_unit_per_type(fresh_engine, world):
    rules = ScoringRules.from_config(2, {"unit_caps": {"publicity": 5, "reading_note": 10}}, _defaults())
    board = _board(fresh_engine, world, metric="points", rules=rules)
    assert board["Unit C"].points == 5 * 2  # nine publicity items, five count
    assert board["Unit A"].points == 10 * 2 + 2 * 5  # 15 notes -> 12 per person -> 10 per unit


def test_composite_index_without_surveys(fresh_engine, world):
    board = _board(fresh_engine, world, metric="composite")
    # No survey overlaps the range: its weight is shared out, per capita 50/80, completion 30/80.
    # A: 0.625 x (8.5 / 9 x 100) + 0.375 x 12.5; B: 0.625 x 100 + 0.375 x 50; C: 0.625 x 100 + 0.
    assert board["Unit A"].composite == pytest.approx(63.72, abs=0.005)
    assert board["Unit B"].composite == pytest.approx(81.25)
    assert board["Unit C"].composite == pytest.approx(62.5)
    assert [board[name].rank for name in ("Unit B", "Unit A", "Unit C")] == [1, 2, 3]


def test_composite_index_with_surveys_of_overlapping_periods(fresh_engine, world):
    with write_session(fresh_engine) as session:
        q2 = Period(campaign_id=world.campaign_id, kind="quarter", label="2026Q2", start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 6, 30))
        q4 = Period(campaign_id=world.campaign_id, kind="quarter", label="2025Q4", start_date=dt.date(2025, 10, 1), end_date=dt.date(2025, 12, 31))
        session.add_all([q2, q4])
        session.flush()
        for unit, period, credibility, satisfaction in (("A", q2, 80, 90), ("B", q2, 70, 80), ("C", q4, 99, 99)):
            session.add(SurveyScore(campaign_id=world.campaign_id, unit_id=world.units[unit], period_id=period.id,
                                    credibility=credibility, satisfaction=satisfaction, respondents=50))
    board = _board(fresh_engine, world, metric="composite")
    assert (board["Unit A"].survey, board["Unit B"].survey, board["Unit C"].survey) == (85.0, 75.0, None)
    # 0.5 x per-capita index + 0.3 x completion + 0.2 x survey (completion: the mean of each
    # task's rate). C's survey is of another period: its index uses only what it has, per capita
    # 50/80 and completion 30/80 (0.625 x 100 + 0).
    assert board["Unit A"].composite == pytest.approx(0.5 * 8.5 / 9 * 100 + 0.3 * 12.5 + 0.2 * 85, abs=0.005)
    assert board["Unit B"].composite == pytest.approx(0.5 * 100 + 0.3 * 50 + 0.2 * 75)
    assert board["Unit C"].composite == pytest.approx(62.5)


def test_rank_change_against_the_previous_calendar_month(fresh_engine, world):
    # April: C leads with 20 publicity items (12 count: 24 points over 2 cadres); A and B have nothing.
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=20, on=dt.date(2026, 4, 15))
    may = {"start": dt.date(2026, 5, 1), "end": dt.date(2026, 5, 31)}
    rows = {row.name_en: row for row in standings_with_change(campaign_id=world.campaign_id, group_id=world.groups["G1"], engine=fresh_engine, **may)}
    # May by per capita: B 9.0 and C 9.0 share first, A 8.5 third. April: C first; A and B had
    # nothing, so no place then and no change now.
    assert {name: (row.rank, row.previous_rank, row.rank_change, row.tied) for name, row in rows.items()} == {
        "Unit A": (3, None, None, False), "Unit B": (1, None, None, True), "Unit C": (1, 1, 0, True),
    }
    january = standings_with_change(campaign_id=world.campaign_id, group_id=world.groups["G1"], start=START, end=dt.date(2026, 1, 31), engine=fresh_engine)
    assert all(row.previous_rank is None and row.rank_change is None for row in january)


def test_monthly_trend_from_one_grouped_query(fresh_engine, world):
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=20, on=dt.date(2026, 4, 15))
    trend = group_trend(campaign_id=world.campaign_id, group_id=world.groups["G1"], start=START, end=dt.date(2026, 5, 31), engine=fresh_engine)
    assert trend.months == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    figures = {(f.month, f.unit_id): f for f in trend.figures}
    april_c = figures[("2026-04", world.units["C"])]
    assert (april_c.points, april_c.per_capita, april_c.rank) == (24.0, 12.0, 1)
    # A and B scored nothing in April: no place. January has no approved record: nobody ranks.
    assert [figures[("2026-04", world.units[name])].rank for name in "AB"] == [None, None]
    assert all(f.rank is None and not f.tied for f in trend.figures if f.month == "2026-01")
    may = {name: figures[("2026-05", world.units[name])] for name in "ABC"}
    assert [may[name].points for name in "ABC"] == [34.0, 18.0, 18.0]
    assert [may[name].rank for name in "ABC"] == [3, 1, 1]
    assert trend.median_per_capita["2026-05"] == 9.0
    assert trend.median_per_capita["2026-01"] == 0.0


def test_a_campaign_that_starts_later_this_month_has_no_trend_yet(fresh_engine, world):
    """The unit page's trend runs from the campaign's start to today; before the start that is an
    empty period, which has no month (it showed the start's month, all zero, unranked)."""
    trend = group_trend(
        campaign_id=world.campaign_id, group_id=world.groups["G1"], start=dt.date(2026, 3, 10), end=dt.date(2026, 3, 5),
        engine=fresh_engine,
    )
    assert (trend.months, trend.figures, trend.median_per_capita) == ([], [], {})


def test_every_units_breakdown_adds_up_to_its_points(fresh_engine, world):
    _add_bonus_events(fresh_engine, world)
    board = unit_board(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=fresh_engine)
    for standing in board.standings:
        detail = board.details[standing.unit_id]
        assert sum(line.points for line in detail.types) + sum(line.points for line in detail.bonuses) == pytest.approx(standing.points)
        assert sum(line.records for line in detail.types) == standing.records
        assert sum(task.required for task in detail.tasks) == standing.required
    a = board.details[world.units["A"]]
    notes = next(line for line in a.types if line.code == "reading_note")
    assert (notes.records, notes.counted, notes.capped_away, notes.points) == (15, 12, 3, 24.0)


def test_the_demo_board_matches_a_plain_python_count_of_its_records(demo_engine):
    """The SQL aggregation against the rule applied by hand to every approved record of the demo."""
    with read_session(demo_engine) as session:
        campaign = session.scalar(select(Campaign))
        group_id = session.scalar(select(ComparisonGroup.id).order_by(ComparisonGroup.sort_order))
        rules = published_rules(session)
        rows = session.execute(
            select(ActivityRecord.unit_id, ActivityType.code, ActivityRecord.cadre_id)
            .join(ActivityType, ActivityType.id == ActivityRecord.type_id)
            .where(ActivityRecord.status == "approved", ActivityRecord.campaign_id == campaign.id)
        ).all()
        # Adopted in full or in part, dated by the day of adoption.
        adopted = session.execute(select(Suggestion.unit_id, Suggestion.adopted_on).where(Suggestion.status.in_(("adopted", "partial")))).all()
        solved = session.execute(select(Problem.unit_id).where(Problem.solved_on.between(campaign.start_date, campaign.end_date))).all()
        featured = session.execute(
            select(ActivityRecord.unit_id).join(StudyRecord, StudyRecord.record_id == ActivityRecord.id)
            .where(StudyRecord.featured.is_(True), ActivityRecord.status == "approved")
        ).all()
    groups = Counter((unit_id, code, cadre_id) for unit_id, code, cadre_id in rows)
    expected: dict[int, float] = {}
    for (unit_id, code, _cadre), count in groups.items():
        expected[unit_id] = expected.get(unit_id, 0.0) + min(count, rules.cap_for(code)) * rules.points[code]
    for unit_id, adopted_on in adopted:
        if campaign.start_date <= adopted_on <= campaign.end_date:
            expected[unit_id] = expected.get(unit_id, 0.0) + rules.bonuses["adopted_suggestion"]
    for (unit_id,) in solved:
        expected[unit_id] = expected.get(unit_id, 0.0) + rules.bonuses["solved_problem"]
    for (unit_id,) in featured:
        expected[unit_id] = expected.get(unit_id, 0.0) + rules.bonuses["featured_note"]
    board = unit_board(campaign_id=campaign.id, start=campaign.start_date, end=campaign.end_date, group_id=group_id, engine=demo_engine)
    assert len(board.standings) >= 3
    for standing in board.standings:
        assert standing.points == pytest.approx(expected.get(standing.unit_id, 0.0), abs=0.01), standing.name_zh
        detail = board.details[standing.unit_id]
        assert sum(line.points for line in detail.types) + sum(line.points for line in detail.bonuses) == pytest.approx(standing.points, abs=0.01)


def test_every_groups_board_at_once_equals_each_groups_own_board(fresh_engine, world):
    """The honour roll ranks every group from one read of all units' figures; each group's board,
    rank changes included, is the one unit_board gives for that group alone."""
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=20, on=dt.date(2026, 4, 15))
    add_records(fresh_engine, world, unit="D", type_code="reading_note", count=2, cadre="d1", on=dt.date(2026, 4, 20))
    for metric in ("per_capita", "points", "completion", "composite"):
        for start, end in [(dt.date(2026, 5, 1), dt.date(2026, 5, 31)), (START, END), (START, dt.date(2026, 1, 31))]:
            boards = group_boards(campaign_id=world.campaign_id, start=start, end=end, metric=metric, engine=fresh_engine)
            assert set(boards) == {world.groups["G1"], world.groups["G2"]}
            for group_id, board in boards.items():
                alone = unit_board(campaign_id=world.campaign_id, start=start, end=end, group_id=group_id, metric=metric, engine=fresh_engine)
                assert board == alone, (metric, start, group_id)


def test_every_groups_board_at_once_on_the_demo(demo_engine):
    with read_session(demo_engine) as session:
        campaign = session.scalar(select(Campaign))
    # A period whose previous one (as many days before) lies within the campaign: every rank has a change.
    start, end = campaign.start_date + dt.timedelta(days=40), campaign.start_date + dt.timedelta(days=79)
    boards = group_boards(campaign_id=campaign.id, start=start, end=end, metric="composite", engine=demo_engine)
    assert len(boards) >= 2
    for group_id, board in boards.items():
        assert board.standings and board.previous is not None
        assert board == unit_board(campaign_id=campaign.id, start=start, end=end, group_id=group_id, metric="composite", engine=demo_engine)


def test_an_unknown_metric_is_refused(fresh_engine, world):
    with pytest.raises(ValueError, match="metric"):
        _board(fresh_engine, world, metric="likes")


def test_the_demo_campaign_has_its_mandatory_targets_with_staggered_due_dates(demo_engine):
    from db.engine import read_session
    from db.models import Campaign
    from db.targets import campaign_targets

    with read_session(demo_engine) as session:
        campaign = session.query(Campaign).one()
        targets = {target.type_code: target for target in campaign_targets(session, campaign.id)}
    assert set(targets) == {"party_lecture", "big_discussion", "analysis_meeting", "analysis_report"}
    assert targets["analysis_report"].due_on == campaign.end_date
    assert targets["big_discussion"].due_on < targets["party_lecture"].due_on < targets["analysis_meeting"].due_on
