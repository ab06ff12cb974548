"""The two start pages of supervision: the office's 督查工作台 and a unit reporter's 工作台.

Each is one call that checks the actor and gathers what the page lists, so the page holds no
query and no rule. Days are the office's days (core.clock); times are stored in UTC.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from core.clock import office_to_utc, to_office
from core.completion import Colour
from core.enums import RecordStatus
from core.permissions import Action
from db.access import Actor, no_actor, permits, require_admin
from db.engine import read_session
from db.models import ActivityRecord, Problem, Suggestion, Unit
from db.problems import overdue_conditions
from db.record_queries import unit_records
from db.supervision import Cell, LaggingUnit, NoticeItem, cells_of, lagging_of, missing, units_of

# Pending reviews by how long they have waited, in days: up to 2, 3 to 7, more than 7.
AGE_BUCKETS = ((0, 2), (3, 7), (8, None))
LISTED = 5  # rows each block of the office's page lists before "all ..."


@dataclass(frozen=True)
class OverdueProblem:
    id: int
    unit_zh: str
    unit_en: str
    description: str
    due_on: dt.date


@dataclass(frozen=True)
class OfficeHome:
    pending_by_age: list[int]  # one count per AGE_BUCKETS entry
    oldest_pending: dt.datetime | None  # UTC, stored
    red_cells: list[Cell]  # overdue tasks, one per unit and task
    lagging: list[LaggingUnit]
    overdue_problems: int
    overdue_problem_rows: list[OverdueProblem]
    unanswered_suggestions: int
    week_start: dt.date
    week_submitted: int
    week_approved: int
    week_suggestions: int

    @property
    def pending(self) -> int:
        return sum(self.pending_by_age)


def _day_start_utc(day: dt.date) -> dt.datetime:
    return office_to_utc(dt.datetime.combine(day, dt.time()))


@permits(Action.SUPERVISE)
def office_home(actor: Actor | None, *, campaign_id: int, today: dt.date, engine: Engine | None = None) -> OfficeHome:
    """What waits for the office today. Open problems past due are those with a due date before
    today and not solved; unanswered suggestions are those still "submitted"."""
    require_admin(actor)
    week_start = today - dt.timedelta(days=today.weekday())
    with read_session(engine) as session:
        pending = ActivityRecord.status == RecordStatus.PENDING
        by_age = []
        for low, high in AGE_BUCKETS:
            # Waited at least `low` days: submitted before the start of (today - low + 1).
            query = select(func.count()).where(pending, ActivityRecord.submitted_at < _day_start_utc(today - dt.timedelta(days=low - 1)))
            if high is not None:
                query = query.where(ActivityRecord.submitted_at >= _day_start_utc(today - dt.timedelta(days=high)))
            by_age.append(session.scalar(query) or 0)
        # A pending record with no submission time (imported that way) counts as the oldest bucket.
        by_age[-1] += session.scalar(select(func.count()).where(pending, ActivityRecord.submitted_at.is_(None))) or 0
        oldest = session.scalar(select(func.min(ActivityRecord.submitted_at)).where(pending))
        cells = cells_of(session, campaign_id, today, units_of(session, None))
        overdue = overdue_conditions(today)
        problem_count = session.scalar(select(func.count()).select_from(Problem).where(*overdue)) or 0
        problems = session.execute(
            select(Problem.id, Unit.name_zh, Unit.name_en, Problem.description, Problem.due_on)
            .join(Unit, Unit.id == Problem.unit_id)
            .where(*overdue)
            .order_by(Problem.due_on, Problem.id)
            .limit(LISTED)
        ).all()
        unanswered = session.scalar(select(func.count()).select_from(Suggestion).where(Suggestion.status == "submitted")) or 0
        since = _day_start_utc(week_start)
        submitted = session.scalar(select(func.count()).where(ActivityRecord.submitted_at >= since)) or 0
        approved = session.scalar(
            select(func.count()).where(ActivityRecord.status == RecordStatus.APPROVED, ActivityRecord.reviewed_at >= since)
        ) or 0
        suggestions = session.scalar(select(func.count()).select_from(Suggestion).where(Suggestion.created_at >= since)) or 0
    return OfficeHome(
        pending_by_age=by_age, oldest_pending=oldest,
        red_cells=[cell for cell in cells if cell.colour == Colour.RED], lagging=lagging_of(cells),
        overdue_problems=problem_count, overdue_problem_rows=[OverdueProblem(*row) for row in problems],
        unanswered_suggestions=unanswered, week_start=week_start, week_submitted=submitted,
        week_approved=approved, week_suggestions=suggestions,
    )


@no_actor
def waiting_days(submitted_at: dt.datetime | None, today: dt.date) -> int | None:
    """Whole office days a submission has waited."""
    local = to_office(submitted_at)
    return None if local is None else (today - local.date()).days


@dataclass(frozen=True)
class Workbench:
    """A unit reporter's own open items: tasks behind the pace with who is missing, records the
    office returned, and drafts not yet submitted."""

    unit_zh: str
    unit_en: str
    tasks: list[NoticeItem]
    returned: list[dict[str, Any]] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)


@permits(Action.UNIT_WORKBENCH)
def workbench(actor: Actor | None, *, campaign_id: int, today: dt.date, engine: Engine | None = None) -> Workbench:
    """The reporter's unit only; anyone else is told this page is for a unit's reporter (core/permissions)."""
    with read_session(engine) as session:
        units = units_of(session, [actor.unit_id])
        if not units:
            raise LookupError(f"no unit {actor.unit_id}")
        behind = [cell for cell in cells_of(session, campaign_id, today, units) if cell.lagging]
        behind.sort(key=lambda cell: (cell.colour != Colour.RED, cell.due_on))
        tasks = [NoticeItem(cell, missing(session, campaign_id, today, actor.unit_id, cell.target)) for cell in behind]
    returned = unit_records(actor, actor.unit_id, status=RecordStatus.RETURNED, engine=engine)
    drafts = unit_records(actor, actor.unit_id, status=RecordStatus.DRAFT, engine=engine)
    return Workbench(units[0].name_zh, units[0].name_en, tasks, returned, drafts)
