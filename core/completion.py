"""Completion of mandatory tasks (必做任务完成率), the expected pace (序时进度) and the 三色督办 colour.

The one definition every screen, board, briefing and export uses:
- a task's rate is min(done, required) / required: overachievers never make up for the missing;
- a unit's completion is the weighted mean of its tasks' rates (weights from the campaign's
  targets, 1 by default). A task the unit owes nothing for (no branches, no principal) is left
  out, and a unit owing nothing at all has no completion (None, shown as —). The pooled
  Σdone ÷ Σrequired is NOT used: forty personal reports would hide a missing principal's lecture;
- the expected pace of a task on a day is the share of time elapsed from the campaign's start to
  the task's due date (1 on and after the due date);
- the colour: done; red when past due and not done; amber when behind the pace; green otherwise.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Colour(StrEnum):
    """三色督办 plus done: the county systems' green / amber (黄) / red, and 已完成."""

    DONE = "done"  # 已完成
    GREEN = "green"  # 绿: on pace
    AMBER = "amber"  # 黄: behind pace, not yet due
    RED = "red"  # 红: past due and not done


# Worst first: the order supervision lists and sorts by.
SEVERITY = {Colour.RED: 0, Colour.AMBER: 1, Colour.GREEN: 2, Colour.DONE: 3}


@dataclass(frozen=True)
class TaskFigure:
    """What one unit did of one task: the input of `unit_completion`."""

    done: int
    required: int
    weight: float = 1.0


def task_rate(done: int, required: int) -> float | None:
    """done / required, capped at 1; None when nothing is required."""
    if required <= 0:
        return None
    return min(max(done, 0), required) / required


def unit_completion(tasks: Iterable[TaskFigure]) -> float | None:
    """The weighted mean of the tasks' rates over the tasks the unit owes something for (and
    weighted above 0); None when there are none."""
    total_weight = 0.0
    weighted = 0.0
    for task in tasks:
        rate = task_rate(task.done, task.required)
        if rate is None or task.weight <= 0:
            continue
        total_weight += task.weight
        weighted += task.weight * rate
    if total_weight == 0:
        return None
    return weighted / total_weight


def expected_pace(campaign_start: dt.date, due_on: dt.date, day: dt.date) -> float:
    """序时进度: the share of [campaign start, due date] elapsed by `day`, between 0 and 1; 1 on and
    after the due date (also for a due date on or before the start)."""
    if day >= due_on:
        return 1.0
    if day <= campaign_start:
        return 0.0
    return (day - campaign_start).days / (due_on - campaign_start).days


def expected_done(required: int, pace: float) -> int:
    """应完成数: how many of `required` should be done at this pace, in whole people or branches.

    Rounded down, so a task owed once (one lecture, one discussion) is not behind before its due
    date; the small epsilon keeps 0.3 × 10 from becoming 2.
    """
    return math.floor(required * pace + 1e-9)


def task_colour(done: int, required: int, pace: float, day: dt.date, due_on: dt.date) -> Colour | None:
    """The task's colour on `day`; None when nothing is required."""
    if required <= 0:
        return None
    if done >= required:
        return Colour.DONE
    if day > due_on:
        return Colour.RED
    if done < expected_done(required, pace):
        return Colour.AMBER
    return Colour.GREEN
