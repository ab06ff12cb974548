"""Cadres' study points and branches inside a unit, by hand; names stay hidden when the office says so."""
import datetime as dt

import pytest

from core.scoring import ScoringRules
from db.access import Actor, PermissionDenied
from db.accounts import create_user
from db.engine import write_session
from db.models import Suggestion
from db.people_boards import branch_board, group_people_boards, names_hidden, people_board, set_names_hidden
from db.unit_detail import open_tasks, status_counts
from tests.db.world import END, START, add_records, build_world


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=15, cadre="a1", branch="ab1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a1", branch="ab1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a2", branch="ab1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_meeting", branch="ab2")
    add_records(fresh_engine, world, unit="A", type_code="reading_note", cadre="a3", status="pending")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a3", status="returned")
    add_records(fresh_engine, world, unit="A", type_code="publicity", count=2)  # names no branch
    add_records(fresh_engine, world, unit="B", type_code="party_lecture", cadre="b1")  # unit-level: not a person's
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b2")
    return world


def _actor(engine, role, unit_id=None, cadre_id=None, name="u"):
    user_id = create_user(username=name, display_name=name, password="a long password", role=role, unit_id=unit_id, cadre_id=cadre_id, rounds=4, engine=engine)
    return Actor(user_id=user_id, role=role, unit_id=unit_id, cadre_id=cadre_id)


def _people(engine, world, actor=None, **kwargs):
    return people_board(actor, campaign_id=world.campaign_id, start=START, end=END, engine=engine, **kwargs)


def test_study_points_per_cadre_with_caps_and_ties(fresh_engine, world):
    board = _people(fresh_engine, world, group_id=world.groups["G1"])
    rows = {row.cadre_id: row for row in board.rows}
    a1 = rows[world.cadres["a1"]]
    # 15 notes capped at 12 (24) + report 5; a3's pending note and returned report do not count.
    assert (a1.points, a1.records, a1.counts, a1.rank) == (29.0, 16, {"reading_note": 12, "analysis_report": 1}, 1)
    assert [rows[world.cadres[c]].points for c in ("a2", "b1", "b2", "a3")] == [5.0, 5.0, 5.0, 0.0]
    assert {rows[world.cadres[c]].rank for c in ("a2", "b1", "b2")} == {2}
    assert all(rows[world.cadres[c]].tied for c in ("a2", "b1", "b2"))
    assert board.ranked == 8  # active cadres of A, B and C
    # a3 has nothing approved: no place, and not tied with the other cadres at zero.
    assert (rows[world.cadres["a3"]].rank, rows[world.cadres["a3"]].tied) == (None, False)
    assert world.cadres["a_gone"] not in rows
    assert "reading_note" in board.types and "party_lecture" not in board.types


def test_hidden_names_reach_only_the_office_and_the_units_own_people(fresh_engine, world):
    admin = _actor(fresh_engine, "admin", name="office")
    reporter_a = _actor(fresh_engine, "reporter", world.units["A"], name="rep-a")
    cadre_b2 = _actor(fresh_engine, "cadre", world.units["B"], world.cadres["b2"], name="cadre-b2")
    assert all(row.name for row in _people(fresh_engine, world).rows)  # the default: names are public
    with pytest.raises(PermissionDenied):
        set_names_hidden(reporter_a, True, engine=fresh_engine)
    set_names_hidden(admin, True, engine=fresh_engine)
    assert names_hidden(fresh_engine)
    anonymous = _people(fresh_engine, world)
    assert anonymous.hidden and all(row.name is None for row in anonymous.rows)
    assert all(row.name for row in _people(fresh_engine, world, admin).rows)
    for_reporter = _people(fresh_engine, world, reporter_a)
    assert all((row.name is not None) == (row.unit_id == world.units["A"]) for row in for_reporter.rows)
    for_cadre = {row.cadre_id: row for row in _people(fresh_engine, world, cadre_b2).rows}
    assert for_cadre[world.cadres["b2"]].is_self and for_cadre[world.cadres["b2"]].name == "B2"
    set_names_hidden(admin, False, engine=fresh_engine)
    assert not names_hidden(fresh_engine)


def test_the_viewers_own_row_is_shown_even_below_the_limit(fresh_engine, world):
    cadre_c2 = _actor(fresh_engine, "cadre", world.units["C"], world.cadres["c2"], name="cadre-c2")
    board = _people(fresh_engine, world, cadre_c2, limit=2)
    assert [row.points for row in board.rows[:2]] == [29.0, 5.0]
    assert board.rows[-1].cadre_id == world.cadres["c2"] and board.rows[-1].is_self


def test_a_limited_board_gives_its_rows_the_breakdown_of_the_whole_board(fresh_engine, world):
    """A board ranks everyone from a total each and reads the per-type counts of the rows it shows
    only: those rows, the viewer's own below the limit included, equal the whole board's."""
    cadre_b2 = _actor(fresh_engine, "cadre", world.units["B"], world.cadres["b2"], name="cadre-b2")
    whole = {row.cadre_id: row for row in _people(fresh_engine, world, cadre_b2).rows}
    limited = _people(fresh_engine, world, cadre_b2, limit=1)
    assert [row.cadre_id for row in limited.rows] == [world.cadres["a1"], world.cadres["b2"]]
    assert all(row == whole[row.cadre_id] for row in limited.rows)
    assert limited.rows[1].counts == {"analysis_report": 1} and limited.rows[1].is_self


def test_every_groups_people_board_at_once_equals_each_groups_own(fresh_engine, world):
    """The honour roll ranks every group's people from one count of everyone's points: each
    group's board equals people_board's for that group, for each viewer, names hidden or not,
    a limit cutting through a tie and the viewer's own row below it included."""
    add_records(fresh_engine, world, unit="D", type_code="reading_note", count=3, cadre="d1")
    admin = _actor(fresh_engine, "admin", name="office")
    cadre_b2 = _actor(fresh_engine, "cadre", world.units["B"], world.cadres["b2"], name="cadre-b2")
    for hide in (False, True):
        set_names_hidden(admin, hide, engine=fresh_engine)
        for actor in (None, admin, cadre_b2):
            for limit in (1, 2, 100):
                boards = group_people_boards(actor, campaign_id=world.campaign_id, start=START, end=END, limit=limit, engine=fresh_engine)
                assert set(boards) == {world.groups["G1"], world.groups["G2"]}
                for group_id, board in boards.items():
                    assert board == _people(fresh_engine, world, actor, group_id=group_id, limit=limit), (hide, actor, limit)


def test_the_same_records_make_the_same_points_for_someone_who_moved_units(fresh_engine):
    """Points of three decimals: a type's capped count is multiplied once, as the unit board does,
    not unit by unit (0.145 × 2 + 0.145 × 11 rounds to 1.89, 0.145 × 13 to 1.88)."""
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=2, cadre="a1")
    add_records(fresh_engine, world, unit="B", type_code="reading_note", count=11, cadre="a1")  # a1 moved to B
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=13, cadre="a2")
    rules = ScoringRules(1, {"reading_note": 0.145}, {"reading_note": 50})
    rows = {row.cadre_id: row for row in _people(fresh_engine, world, rules=rules).rows}
    moved, stayed = rows[world.cadres["a1"]], rows[world.cadres["a2"]]
    assert (moved.points, moved.rank, moved.tied) == (stayed.points, stayed.rank, stayed.tied) == (1.88, 1, True)


def test_branch_board_inside_a_unit(fresh_engine, world):
    board = branch_board(campaign_id=world.campaign_id, unit_id=world.units["A"], start=START, end=END, engine=fresh_engine)
    rows = {row.name: row for row in board.rows}
    first, second = rows["A支部1"], rows["A支部2"]
    # Branch 1: all four cadres; 12 notes (24) + two reports (10) = 34 -> 8.5 each.
    assert (first.headcount, first.points, first.per_capita, first.rank) == (4, 34.0, 8.5, 1)
    # Reports 2 of 4 members; its review meeting not held: 2 / 5.
    assert (first.done, first.required) == (2, 5)
    # Branch 2 held its meeting (6 points) but has no members: no per-capita figure, no rank.
    assert (second.headcount, second.points, second.per_capita, second.done, second.required, second.rank) == (0, 6.0, None, 1, 1, None)
    assert board.unassigned_records == 2


def test_open_tasks_name_who_is_missing_only_for_the_unit_and_the_office(fresh_engine, world):
    reporter_a = _actor(fresh_engine, "reporter", world.units["A"], name="rep-a")
    reporter_b = _actor(fresh_engine, "reporter", world.units["B"], name="rep-b")
    own = {task.code: task for task in open_tasks(reporter_a, campaign_id=world.campaign_id, unit_id=world.units["A"], end=END, engine=fresh_engine)}
    assert (own["analysis_report"].done, own["analysis_report"].required) == (2, 4)
    assert own["analysis_report"].missing == ["A3", "A4"]
    assert own["analysis_meeting"].missing == ["A支部1"] and own["analysis_meeting"].open == 1
    assert own["party_lecture"].missing == ["A1"]
    assert (own["big_discussion"].done, own["big_discussion"].required) == (0, 1)
    other = open_tasks(reporter_b, campaign_id=world.campaign_id, unit_id=world.units["A"], end=END, engine=fresh_engine)
    assert all(task.missing is None for task in other)
    assert [task.open for task in other] == [task.open for task in own.values()]


def test_status_counts_are_for_the_unit_and_the_office(fresh_engine, world):
    reporter_a = _actor(fresh_engine, "reporter", world.units["A"], name="rep-a")
    counts = status_counts(reporter_a, campaign_id=world.campaign_id, unit_id=world.units["A"], start=START, end=END, engine=fresh_engine)
    assert counts["reading_note"] == {"approved": 15, "pending": 1}
    assert counts["analysis_report"] == {"approved": 2, "returned": 1}
    with pytest.raises(PermissionDenied):
        status_counts(None, campaign_id=world.campaign_id, unit_id=world.units["A"], start=START, end=END, engine=fresh_engine)
    outside = status_counts(reporter_a, campaign_id=world.campaign_id, unit_id=world.units["A"], start=dt.date(2026, 6, 1), end=END, engine=fresh_engine)
    assert outside == {}


def test_a_period_where_nobody_scored_ranks_no_cadre_and_no_branch(fresh_engine, world):
    june = {"start": dt.date(2026, 6, 1), "end": dt.date(2026, 6, 30)}
    board = people_board(None, campaign_id=world.campaign_id, engine=fresh_engine, **june)
    assert board.scored == 0 and board.rows
    assert all(row.rank is None and not row.tied for row in board.rows)  # was: everyone "1 并列"
    branches = branch_board(campaign_id=world.campaign_id, unit_id=world.units["A"], engine=fresh_engine, **june)
    assert branches.rows and all(row.rank is None and not row.tied for row in branches.rows)
    # A suggestion adopted in June earns its bonus in June, but a board without records ranks nobody.
    with write_session(fresh_engine) as session:
        session.add(Suggestion(unit_id=world.units["A"], cadre_id=world.cadres["a1"], title="建议", status="adopted",
                               created_at=dt.datetime(2026, 6, 2), adopted_on=dt.date(2026, 6, 3)))
    board = people_board(None, campaign_id=world.campaign_id, engine=fresh_engine, **june)
    assert board.scored == 1 and all(row.rank is None for row in board.rows)
