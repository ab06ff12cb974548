"""The one definition of completion, pace and colour (core.completion)."""
from __future__ import annotations

import datetime as dt

import pytest

from core.completion import (
    Colour,
    TaskFigure,
    expected_done,
    expected_pace,
    task_colour,
    task_rate,
    unit_completion,
)

START = dt.date(2026, 1, 1)
DUE = dt.date(2026, 1, 11)


def test_a_task_rate_is_capped_at_one_and_undefined_when_nothing_is_owed():
    assert task_rate(3, 4) == 0.75
    assert task_rate(9, 4) == 1.0
    assert task_rate(0, 0) is None


def test_completion_is_the_mean_of_the_task_rates_not_the_pooled_ratio():
    # Forty reports of forty, no lecture of one: pooled 40/41 = 97.6 %, per task (1 + 0) / 2.
    tasks = [TaskFigure(40, 40), TaskFigure(0, 1)]
    assert unit_completion(tasks) == pytest.approx(0.5)


def test_tasks_owing_nothing_or_weighted_zero_are_left_out():
    # No branches: the review meeting is not part of the mean.
    assert unit_completion([TaskFigure(1, 2), TaskFigure(0, 0)]) == pytest.approx(0.5)
    # Weight 0: the office took the task out of the mean.
    assert unit_completion([TaskFigure(1, 2), TaskFigure(0, 1, weight=0)]) == pytest.approx(0.5)
    # Weight 3 counts three times.
    assert unit_completion([TaskFigure(1, 1, weight=3), TaskFigure(0, 1)]) == pytest.approx(0.75)


def test_a_unit_owing_nothing_has_no_completion():
    assert unit_completion([TaskFigure(0, 0), TaskFigure(0, 0)]) is None
    assert unit_completion([]) is None
    assert unit_completion([TaskFigure(1, 1, weight=0)]) is None


def test_the_pace_runs_from_the_campaign_start_to_the_due_date():
    assert expected_pace(START, DUE, START) == 0.0
    assert expected_pace(START, DUE, dt.date(2026, 1, 4)) == pytest.approx(0.3)
    assert expected_pace(START, DUE, DUE) == 1.0  # due today: all of it
    assert expected_pace(START, DUE, dt.date(2026, 3, 1)) == 1.0
    assert expected_pace(START, START, START) == 1.0  # due on the first day


def test_expected_done_rounds_down_in_whole_people():
    assert expected_done(10, 0.3) == 3
    assert expected_done(1, 0.99) == 0
    assert expected_done(1, 1.0) == 1


def test_the_colours():
    mid = dt.date(2026, 1, 6)  # pace 0.5
    pace = expected_pace(START, DUE, mid)
    assert task_colour(4, 4, pace, mid, DUE) == Colour.DONE
    assert task_colour(2, 4, pace, mid, DUE) == Colour.GREEN
    assert task_colour(1, 4, pace, mid, DUE) == Colour.AMBER
    # One lecture owed: not behind before its due date, behind on it, red after it.
    assert task_colour(0, 1, pace, mid, DUE) == Colour.GREEN
    assert task_colour(0, 1, 1.0, DUE, DUE) == Colour.AMBER
    after = DUE + dt.timedelta(days=1)
    assert task_colour(0, 1, 1.0, after, DUE) == Colour.RED
    assert task_colour(1, 1, 1.0, after, DUE) == Colour.DONE
    assert task_colour(0, 0, 1.0, after, DUE) is None
