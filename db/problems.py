"""突出问题台账: problems found on grassroots visits (db.ledger_sync makes those) or entered here,
each with its owner unit, due date, status, resolution and one evidence picture.

Who may do what: the office everything; a unit's reporter enters problems of its own unit and
reports progress (in progress, the resolution, the evidence); only the office confirms a problem
solved or closes it as not feasible, since a solved problem earns its unit the bonus (dated by
solved_on). Cadres read their unit's ledger; viewers read none of it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session

from core.clock import office_today
from core.images import ImageRejected, process_upload
from core.ledgers import (
    ANSWER_MIN,
    CLOSED_PROBLEM_STATUSES,
    PROBLEM_SOURCES,
    UNIT_PROBLEM_STATUSES,
    ProblemStatus,
    check_problem,
    check_text,
    clean_text,
    is_overdue,
    solved_on_after,
)
from core.permissions import Action
from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed, no_actor, permits
from db.command import command
from db.engine import read_session
from db.models import Problem, ProblemEvidence, Unit

LIST_LIMIT = 500
_UNCHANGED = object()



@no_actor
def overdue_conditions(today: dt.date) -> tuple:
    """A problem past its due date and neither solved nor closed as not feasible, in SQL: the
    same rule as core.ledgers.is_overdue, for the ledger, its counts and the office's start page."""
    return (Problem.due_on < today, Problem.solved_on.is_(None), Problem.status != ProblemStatus.NOT_FEASIBLE)

def _require_unit_writer(actor: Actor, unit_id: int) -> Actor:
    """The office, or the unit's own reporter (core/permissions: WRITE_LEDGERS)."""
    if not actor.reaches_unit(Action.WRITE_LEDGERS, unit_id):
        raise PermissionDenied("ledgers.error.problem_writer")
    return actor


# --- reads ------------------------------------------------------------------------------------


def _query() -> Select:
    return (
        select(
            Problem.id, Problem.record_id, Problem.unit_id, Problem.source, Problem.description,
            Problem.found_on, Problem.due_on, Problem.solved_on, Problem.status, Problem.resolution,
            Problem.version, Unit.name_zh.label("unit_zh"), Unit.name_en.label("unit_en"),
            ProblemEvidence.id.label("evidence_id"),
        )
        .join(Unit, Unit.id == Problem.unit_id)
        .outerjoin(ProblemEvidence, ProblemEvidence.problem_id == Problem.id)
    )


def _row(row: Any, today: dt.date) -> dict[str, Any]:
    item = dict(row._mapping)
    item["overdue"] = is_overdue(item["due_on"], item["solved_on"], today, item["status"])
    return item


@permits(Action.READ_LEDGERS)
def list_problems(
    actor: Actor | None,
    *,
    status: str | None = None,
    unit_id: int | None = None,
    overdue_only: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    search: str | None = None,
    limit: int = LIST_LIMIT,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """The ledger, overdue first, then by due date: filtered by status, owner unit, overdue
    (past due and not solved, as supervision counts them), the day found in [start, end] and
    words in the description or resolution."""
    today = today or office_today()
    query = _query() if actor.is_admin else _query().where(Problem.unit_id == actor.unit_id)
    if status:
        query = query.where(Problem.status == status)
    if unit_id is not None:
        query = query.where(Problem.unit_id == unit_id)
    if overdue_only:
        query = query.where(*overdue_conditions(today))
    if start is not None:
        query = query.where(Problem.found_on >= start)
    if end is not None:
        query = query.where(Problem.found_on <= end)
    if search and search.strip():
        words = search.strip()
        query = query.where(Problem.description.contains(words, autoescape=True) | Problem.resolution.contains(words, autoescape=True))
    with read_session(engine) as session:
        rows = session.execute(query.order_by(Problem.due_on, Problem.id).limit(limit)).all()
    items = [_row(row, today) for row in rows]
    items.sort(key=lambda item: (not item["overdue"], item["status"] in CLOSED_PROBLEM_STATUSES))
    return items


@permits(Action.READ_LEDGERS)
def status_counts(actor: Actor | None, *, today: dt.date | None = None, engine: Engine | None = None) -> dict[str, int]:
    """Problems per status in the actor's scope, and how many are overdue."""
    today = today or office_today()
    scope = [] if actor.is_admin else [Problem.unit_id == actor.unit_id]
    with read_session(engine) as session:
        counts = dict(session.execute(select(Problem.status, func.count()).where(*scope).group_by(Problem.status)).all())
        counts["overdue"] = session.scalar(
            select(func.count()).select_from(Problem).where(
                *scope, *overdue_conditions(today)
            )
        ) or 0
    return counts


@permits(Action.READ_LEDGERS)
def problem_detail(actor: Actor | None, problem_id: int, *, today: dt.date | None = None, engine: Engine | None = None) -> dict[str, Any]:
    with read_session(engine) as session:
        row = session.execute(_query().where(Problem.id == problem_id)).first()
        thumbnail = session.scalar(select(ProblemEvidence.thumbnail).where(ProblemEvidence.problem_id == problem_id))
    if row is None or not (actor.is_admin or row.unit_id == actor.unit_id):
        raise PermissionDenied("ledgers.error.other_unit")
    item = _row(row, today or office_today())
    item["thumbnail"] = thumbnail
    return item


@permits(Action.READ_LEDGERS)
def evidence(actor: Actor | None, problem_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    """The full evidence picture, for the problem's unit and the office only."""
    with read_session(engine) as session:
        row = session.execute(
            select(ProblemEvidence.filename, ProblemEvidence.mime, ProblemEvidence.data, Problem.unit_id)
            .join(Problem, Problem.id == ProblemEvidence.problem_id)
            .where(ProblemEvidence.problem_id == problem_id)
        ).first()
    if row is None or not (actor.is_admin or row.unit_id == actor.unit_id):
        raise PermissionDenied("ledgers.error.other_unit")
    return {"filename": row.filename, "mime": row.mime, "data": row.data}


# --- commands ---------------------------------------------------------------------------------


def _snapshot(problem: Problem) -> dict[str, Any]:
    return {
        "unit_id": problem.unit_id, "description": problem.description, "status": problem.status,
        "resolution": problem.resolution,
        "due_on": problem.due_on.isoformat() if problem.due_on else None,
        "solved_on": problem.solved_on.isoformat() if problem.solved_on else None,
    }


def _unit_exists(session: Session, unit_id: int) -> bool:
    return session.scalar(select(Unit.id).where(Unit.id == unit_id, Unit.active.is_(True))) is not None


@permits(Action.WRITE_LEDGERS)
def create_problem(
    actor: Actor | None,
    *,
    unit_id: int,
    description: str,
    found_on: dt.date | None,
    due_on: dt.date | None,
    source: str = "supervision",
    engine: Engine | None = None,
) -> int:
    """Enter a problem directly (the office for any unit, a reporter for their own); returns its id."""
    _require_unit_writer(actor, unit_id)
    description = clean_text(description)
    problems = check_problem(description, found_on, due_on)
    if source not in PROBLEM_SOURCES:
        problems.append(("source", "validation.bad_choice", {"choices": "、".join(PROBLEM_SOURCES)}))
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.WRITE_LEDGERS, unit_id=unit_id, engine=engine) as cmd:
        if not _unit_exists(cmd.session, unit_id):
            raise ValidationFailed([("unit", "ledgers.problem.unknown_unit", {})])
        problem = Problem(
            unit_id=unit_id, source=source, description=description, found_on=found_on, due_on=due_on,
            status=ProblemStatus.OPEN, created_by=cmd.actor.user_id,
        )
        cmd.session.add(problem)
        cmd.session.flush()
        cmd.log("problem.create", problem, {"before": {}, "after": _snapshot(problem)})
        return problem.id


@dataclass(frozen=True)
class Photo:
    filename: str
    raw: bytes


@permits(Action.WRITE_LEDGERS)
def update_problem(
    actor: Actor | None,
    problem_id: int,
    *,
    status: str,
    resolution: str,
    due_on: Any = _UNCHANGED,
    unit_id: Any = _UNCHANGED,
    solved_on: dt.date | None = None,
    photo: Photo | None = None,
    remove_photo: bool = False,
    today: dt.date | None = None,
    expected_version: int | None = None,
    upload_max_bytes: int = 8 * 1024 * 1024,
    engine: Engine | None = None,
) -> None:
    """Report or confirm progress on a problem.

    A unit's reporter may move it between open and in progress and write the resolution and
    evidence; the office may also confirm it solved (solved_on: the chosen day, else the day it
    was first confirmed, else today) or close it as not feasible, change its due date and owner.
    Solving or closing needs the resolution written.
    """
    resolution = clean_text(resolution)
    today = today or office_today()
    problems: list[tuple[str, str, dict]] = []
    if status not in set(ProblemStatus):
        problems.append(("status", "validation.bad_choice", {"choices": "、".join(ProblemStatus)}))
    problems += check_text("resolution", resolution, minimum=ANSWER_MIN if status in CLOSED_PROBLEM_STATUSES else 0)
    if solved_on is not None and solved_on > today:
        problems.append(("solved_on", "ledgers.problem.in_future", {}))
    image = None
    if photo is not None:
        try:
            image = process_upload(photo.raw, max_bytes=upload_max_bytes)
        except ImageRejected as rejected:
            problems.append(("photo", rejected.reason, {"name": photo.filename}))
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.WRITE_LEDGERS, engine=engine) as cmd:
        session, actor = cmd.session, cmd.actor
        problem = session.get(Problem, problem_id)
        if problem is None:
            raise ValidationFailed([("problem", "ledgers.problem.not_found", {})])
        _require_unit_writer(actor, problem.unit_id)
        if expected_version is not None and problem.version != expected_version:
            raise ConflictError()
        office_only = (
            status not in UNIT_PROBLEM_STATUSES
            or problem.status not in UNIT_PROBLEM_STATUSES
            or (due_on is not _UNCHANGED and due_on != problem.due_on)
            or (unit_id is not _UNCHANGED and unit_id != problem.unit_id)
        )
        if office_only and not actor.is_admin:
            raise PermissionDenied("ledgers.error.office_confirms")
        before = _snapshot(problem)
        if unit_id is not _UNCHANGED and unit_id != problem.unit_id:
            if not _unit_exists(session, unit_id):
                raise ValidationFailed([("unit", "ledgers.problem.unknown_unit", {})])
            problem.unit_id = unit_id
        if due_on is not _UNCHANGED:
            found = check_problem(problem.description, problem.found_on, due_on)
            if found:
                raise ValidationFailed(found)
            problem.due_on = due_on
        problem.solved_on = solved_on_after(status, problem.solved_on, today, solved_on)
        problem.status = status
        problem.resolution = resolution
        evidence_change = _replace_evidence(session, problem.id, photo, image, remove_photo)
        detail: dict[str, Any] = {"before": before, "after": _snapshot(problem)}
        if evidence_change:
            detail["evidence"] = evidence_change
        cmd.log("problem.update", problem, detail)


def _replace_evidence(session: Session, problem_id: int, photo: Photo | None, image: Any, remove: bool) -> str | None:
    current = session.scalar(select(ProblemEvidence).where(ProblemEvidence.problem_id == problem_id))
    if image is None and not (remove and current is not None):
        return None
    if current is not None:
        session.delete(current)
        session.flush()
    if image is None:
        return "removed"
    session.add(
        ProblemEvidence(
            problem_id=problem_id, filename=photo.filename[:200], mime=image.mime, content_hash=image.sha256,
            size=image.size, width=image.width, height=image.height, data=image.data, thumbnail=image.thumbnail,
        )
    )
    return "replaced" if current is not None else "added"
