"""Rules of the office's three ledgers — suggestions (建议征集), problems (突出问题台账) and
surveys (公信度 / 满意度) — free of the database so they can be checked by hand.

Problems come back as (field, message key, params), like every validation in the app.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

Problem = tuple[str, str, dict[str, Any]]

ANSWER_MIN = 4
TEXT_MAX = 4000
DESCRIPTION_MIN = 4
# A problem found on a visit is due this many days later unless the office sets another date.
DEFAULT_DUE_DAYS = 60
SCORE_MIN, SCORE_MAX = 0.0, 100.0
RESPONDENTS_MAX = 1_000_000


class SuggestionStatus(StrEnum):
    SUBMITTED = "submitted"  # 待答复: not answered yet (supervision counts these as unanswered)
    ADOPTED = "adopted"  # 采纳
    PARTIAL = "partial"  # 部分采纳
    DECLINED = "declined"  # 未采纳


# 采纳(含部分采纳): what the office acted on, even in part, earns the adopted-suggestion bonus,
# as the statistics of 建议征集 usually count adoption. Dated by the day of the decision.
BONUS_STATUSES = (SuggestionStatus.ADOPTED, SuggestionStatus.PARTIAL)
DECISIONS = (SuggestionStatus.ADOPTED, SuggestionStatus.PARTIAL, SuggestionStatus.DECLINED)


class ProblemStatus(StrEnum):
    OPEN = "open"  # 未整改
    IN_PROGRESS = "in_progress"  # 整改中
    SOLVED = "solved"  # 已解决: the only status with solved_on, and the one that earns the bonus
    NOT_FEASIBLE = "not_feasible"  # 不具备解决条件,已关闭


PROBLEM_SOURCES = ("grassroots_visit", "supervision", "complaint")
# What a unit may set itself; solving or closing a problem is the office's confirmation.
UNIT_PROBLEM_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)
CLOSED_PROBLEM_STATUSES = (ProblemStatus.SOLVED, ProblemStatus.NOT_FEASIBLE)


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def check_text(field: str, value: str, *, minimum: int = 0, maximum: int = TEXT_MAX) -> list[Problem]:
    if not value:
        return [(field, "validation.required", {})] if minimum else []
    if len(value) < minimum:
        return [(field, "validation.too_short", {"min": minimum, "actual": len(value)})]
    if len(value) > maximum:
        return [(field, "validation.too_long", {"max": maximum})]
    return []


def check_decision(status: str, answer: str, reason: str) -> list[Problem]:
    """An answer to a suggestion: a decision, the reply, and a reason unless fully adopted."""
    problems: list[Problem] = []
    if status not in DECISIONS:
        problems.append(("status", "ledgers.problem.bad_decision", {}))
    problems += check_text("answer", answer, minimum=ANSWER_MIN)
    needs_reason = status in {SuggestionStatus.PARTIAL, SuggestionStatus.DECLINED}
    problems += check_text("reason", reason, minimum=ANSWER_MIN if needs_reason else 0)
    return problems


def adopted_on_after(status: str, previous_status: str, previous_date: dt.date | None, today: dt.date) -> dt.date | None:
    """The adoption date after a decision: kept while the suggestion stays adopted (in full or in
    part), today when it becomes adopted, none otherwise — so the bonus is counted once."""
    if status not in BONUS_STATUSES:
        return None
    if previous_status in BONUS_STATUSES and previous_date is not None:
        return previous_date
    return today


def solved_on_after(status: str, previous_date: dt.date | None, today: dt.date, chosen: dt.date | None = None) -> dt.date | None:
    """solved_on is set exactly while a problem is solved: the chosen day, else the day it was
    first marked solved, else today."""
    if status != ProblemStatus.SOLVED:
        return None
    return chosen or previous_date or today


def is_overdue(due_on: dt.date | None, solved_on: dt.date | None, today: dt.date, status: str = "") -> bool:
    """Past its due date and not solved (closed as not feasible is not overdue either)."""
    if due_on is None or solved_on is not None or status == ProblemStatus.NOT_FEASIBLE:
        return False
    return due_on < today


def problem_lines(text: str | None) -> list[str]:
    """The problems a visit report lists, one a line; list markers and duplicates dropped."""
    lines: list[str] = []
    for raw in (text or "").splitlines():
        line = raw.strip().lstrip("-*•·、0123456789.)）(（ ").strip()
        if len(line) >= DESCRIPTION_MIN and line not in lines:
            lines.append(line[:TEXT_MAX])
    return lines


def check_problem(description: str, found_on: dt.date | None, due_on: dt.date | None) -> list[Problem]:
    problems = check_text("description", description, minimum=DESCRIPTION_MIN)
    if found_on is None:
        problems.append(("found_on", "validation.required", {}))
    if due_on is None:
        problems.append(("due_on", "validation.required", {}))
    elif found_on is not None and due_on < found_on:
        problems.append(("due_on", "ledgers.problem.due_before_found", {}))
    return problems


def check_survey(credibility: Any, satisfaction: Any, respondents: Any) -> list[Problem]:
    """公信度 and 满意度 are percentages (0-100); at least one respondent."""
    problems: list[Problem] = []
    for field, value in (("credibility", credibility), ("satisfaction", satisfaction)):
        if value is None:
            problems.append((field, "validation.required", {}))
        elif isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            problems.append((field, "ledgers.problem.not_number", {}))
        elif not SCORE_MIN <= float(value) <= SCORE_MAX:
            problems.append((field, "validation.out_of_range", {"min": 0, "max": 100}))
    if respondents is None:
        problems.append(("respondents", "validation.required", {}))
    elif isinstance(respondents, bool) or not isinstance(respondents, int) and not (
        isinstance(respondents, float) and respondents.is_integer()
    ):
        problems.append(("respondents", "validation.not_integer", {}))
    elif not 1 <= int(respondents) <= RESPONDENTS_MAX:
        problems.append(("respondents", "validation.out_of_range", {"min": 1, "max": RESPONDENTS_MAX}))
    return problems
