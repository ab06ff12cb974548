"""Leaderboard figures against expectations worked out by hand (default points: reading note 2,
analysis report 5, party lecture 8, publicity 2; at most 12 records of a type per person)."""
import datetime as dt

import pytest

from core.scoring import ScoringRules
from db.boards import unit_leaderboard
from db.catalog_defaults import ACTIVITY_TYPES
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
    # A: lecture 0/1, discussion 0/1, meetings 0/2, reports 2/4 -> 2/8.
    assert (board["Unit A"].done, board["Unit A"].required) == (2, 8)
    assert board["Unit A"].completion == pytest.approx(0.25)
    # B: lecture 1/1, discussion 0/1, meeting 0/1, reports 2/2 -> 3/5.
    assert (board["Unit B"].done, board["Unit B"].required) == (3, 5)
    assert board["Unit B"].rank == 1


def test_an_older_rule_set_version_can_be_applied(fresh_engine, world):
    defaults = {spec["code"]: spec["default_points"] for spec in ACTIVITY_TYPES}
    rules = ScoringRules.from_config(2, {"points": {"reading_note": 3}, "caps": {"reading_note": 10}}, defaults)
    board = _board(fresh_engine, world, metric="points", rules=rules)
    assert board["Unit A"].points == 10 * 3 + 2 * 5


def test_the_date_range_limits_what_counts(fresh_engine, world):
    board = _board(fresh_engine, world, metric="points", start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30))
    assert all(row.points == 0 for row in board.values())
    assert all(row.rank == 1 for row in board.values())
