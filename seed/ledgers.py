"""The demo's suggestions answered and problems worked on, as an office would have left them.

Each record draws from a random stream of its own (seeded by the demo seed and the record id),
so adding these answers leaves every other demo figure as it was.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from core.ledgers import DEFAULT_DUE_DAYS, ProblemStatus, SuggestionStatus

ANSWERS = (
    "已交承办处室研究,建议内容纳入下一阶段工作安排。", "感谢建议,相关做法将在全市组织系统推广。",
    "已研究,结合现行制度统筹考虑。", "建议有针对性,已在部分区县先行试点。",
)
PARTIAL_REASONS = ("部分内容与现行规定不一致,先就可行部分试行。", "受经费和编制所限,先在试点单位实施。")
DECLINED_REASONS = ("现行制度已有相应安排,暂不另行调整。", "条件尚不成熟,留待下一年度研究。")
RESOLUTIONS = (
    "已协调街道腾出活动用房,问题已解决。", "已建立台账逐一核实,底数已清。", "已制定专项培训计划并完成首期培训。",
    "已会同相关部门理顺转接流程。",
)
PROGRESS_NOTES = ("已制定整改方案,正在推进。", "已召开专题会研究,正协调落实。")


def _side_rng(seed: int, record_id: int) -> random.Random:
    return random.Random(seed * 1_000_003 + record_id)


def suggestion_row(
    *, seed: int, record_id: int, unit_id: int, cadre_id: int, title: str, body: str, submitted: dt.datetime,
    decided: str, divisions: list[int], today: dt.date,
) -> dict[str, Any]:
    """A suggestion of an approved or pending record; `decided` is submitted, adopted or declined
    (the demo's main stream), adopted ones split into adopted in full and in part here."""
    side = _side_rng(seed, record_id)
    row: dict[str, Any] = {
        "record_id": record_id, "unit_id": unit_id, "cadre_id": cadre_id, "title": title, "body": body,
        "created_at": submitted, "status": SuggestionStatus.SUBMITTED, "answer": "", "decision_reason": "",
        "anonymous": False, "division_id": side.choice(divisions) if divisions and side.random() < 0.5 else None,
        "answered_at": None, "adopted_on": None, "version": 1,
    }
    if decided == SuggestionStatus.SUBMITTED:
        return row
    status = decided
    if decided == SuggestionStatus.ADOPTED and side.random() < 0.3:
        status = SuggestionStatus.PARTIAL
    answered = min(submitted.date() + dt.timedelta(days=side.randint(2, 20)), today)
    row.update(
        status=status, answer=side.choice(ANSWERS),
        decision_reason=side.choice(PARTIAL_REASONS if status == SuggestionStatus.PARTIAL else DECLINED_REASONS)
        if status != SuggestionStatus.ADOPTED else "",
        answered_at=dt.datetime.combine(answered, dt.time(2, 0)),
        adopted_on=answered if status != SuggestionStatus.DECLINED else None,
        division_id=row["division_id"] or (side.choice(divisions) if divisions else None),
    )
    return row


def problem_row(
    *, seed: int, record_id: int, number: int, unit_id: int, description: str, found_on: dt.date,
    solved_on: dt.date | None,
) -> dict[str, Any]:
    """A problem a visit found: solved ones with their resolution, some others in progress."""
    side = _side_rng(seed, record_id * 100 + number)
    if solved_on is not None:
        status, resolution = ProblemStatus.SOLVED, side.choice(RESOLUTIONS)
    elif side.random() < 0.4:
        status, resolution = ProblemStatus.IN_PROGRESS, side.choice(PROGRESS_NOTES)
    else:
        status, resolution = ProblemStatus.OPEN, ""
    return {
        "record_id": record_id, "unit_id": unit_id, "source": "grassroots_visit", "description": description,
        "found_on": found_on, "due_on": found_on + dt.timedelta(days=DEFAULT_DUE_DAYS), "solved_on": solved_on,
        "status": status, "resolution": resolution, "version": 1,
    }
