"""Supervision (督查): which unit has done which mandatory task, against the pace, and who is missing.

`coverage` and `lagging_units` take a session and judge nothing about the caller: the briefing
and the pages call them. The `*_for` functions are what pages call: they check the actor first
(the office sees every unit; a unit's reporter their own unit), and only they reveal names.
Counts come from db.board_queries.mandatory_progress, rates, pace and colours from
core.completion: nothing here re-derives either.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from core.completion import (
    SEVERITY,
    Colour,
    TaskFigure,
    expected_done,
    expected_pace,
    task_colour,
    task_rate,
    unit_completion,
)
from core.enums import RecordStatus, TargetBasis
from core.permissions import Action
from db.access import Actor, PermissionDenied, in_transaction, no_actor, permits, require
from db.board_queries import mandatory_progress
from db.engine import read_session
from db.models import ActivityRecord, Branch, Cadre, Campaign, Unit
from db.targets import Target, campaign_targets


@dataclass(frozen=True)
class UnitRef:
    id: int
    name_zh: str
    name_en: str
    group_id: int | None


@dataclass(frozen=True)
class Cell:
    """One unit × one target of the coverage matrix (完成情况一览)."""

    unit: UnitRef
    target: Target
    done: int
    required: int  # 0: the unit owes nothing for it (no branches, no principal)
    rate: float | None
    pace: float  # 序时进度 on the day asked, 0-1
    colour: Colour | None  # None when nothing is required
    due_on: dt.date

    @property
    def expected(self) -> int:
        """应完成数: how many should be done by now at the pace."""
        return expected_done(self.required, self.pace)

    @property
    def open(self) -> int:
        return self.required - self.done

    @property
    def lagging(self) -> bool:
        return self.colour in {Colour.RED, Colour.AMBER}


@dataclass(frozen=True)
class LaggingUnit:
    """A unit behind the pace or overdue on at least one task, with the tasks it lags on."""

    unit: UnitRef
    completion: float | None
    cells: list[Cell]  # red first, then amber, in the office's order of targets

    @property
    def red(self) -> int:
        return sum(1 for cell in self.cells if cell.colour == Colour.RED)

    @property
    def amber(self) -> int:
        return sum(1 for cell in self.cells if cell.colour == Colour.AMBER)


class MissingState(StrEnum):
    """Why someone still owes a task: nothing written (or only a draft), waiting, or sent back."""

    NOT_WRITTEN = "not_written"  # 未填报
    PENDING = "pending"  # 待审核
    RETURNED = "returned"  # 已退回


@dataclass(frozen=True)
class Missing:
    """A person, branch or the unit itself that has not yet done a task."""

    name: str
    kind: str  # cadre / branch / unit
    state: MissingState
    ident: int  # cadre, branch or unit id


@in_transaction
def units_of(session: Session, unit_ids: Sequence[int] | None, group_id: int | None = None) -> list[UnitRef]:
    """Active units in the office's order: `unit_ids`, or every ranked unit (of one group)."""
    query = select(Unit.id, Unit.name_zh, Unit.name_en, Unit.group_id).where(Unit.active.is_(True))
    if unit_ids is not None:
        query = query.where(Unit.id.in_(list(unit_ids)))
    else:
        query = query.where(Unit.group_id.is_not(None))
    if group_id is not None:
        query = query.where(Unit.group_id == group_id)
    return [UnitRef(*row) for row in session.execute(query.order_by(Unit.sort_order, Unit.id)).all()]


def _campaign_start(session: Session, campaign_id: int) -> dt.date:
    start = session.scalar(select(Campaign.start_date).where(Campaign.id == campaign_id))
    if start is None:
        raise LookupError(f"no campaign {campaign_id}")
    return start


@in_transaction
def cells_of(session: Session, campaign_id: int, as_of: dt.date, units: list[UnitRef]) -> list[Cell]:
    """The matrix cells of `units` × the campaign's targets on `as_of`."""
    start = _campaign_start(session, campaign_id)
    targets = {target.id: target for target in campaign_targets(session, campaign_id)}
    progress = mandatory_progress(session, campaign_id, as_of, [unit.id for unit in units])
    cells = []
    for unit in units:
        for task in progress.get(unit.id, []):
            target = targets[task.target_id]
            pace = expected_pace(start, target.due_on, as_of)
            cells.append(
                Cell(
                    unit=unit, target=target, done=task.done, required=task.required,
                    rate=task_rate(task.done, task.required), pace=pace,
                    colour=task_colour(task.done, task.required, pace, as_of, target.due_on), due_on=target.due_on,
                )
            )
    return cells


@in_transaction
def coverage(session: Session, campaign_id: int, as_of: dt.date, unit_ids: Sequence[int] | None = None) -> list[Cell]:
    """Every unit (the ranked ones, or `unit_ids`) × every target of the campaign on `as_of`,
    units in the office's order and targets in the campaign's order. Counts only, no names."""
    return cells_of(session, campaign_id, as_of, units_of(session, unit_ids))


@no_actor
def lagging_of(cells: list[Cell]) -> list[LaggingUnit]:
    """The units among `cells` with a red or amber task, most red first, then most amber, then
    lowest completion."""
    by_unit: dict[int, list[Cell]] = {}
    for cell in cells:
        by_unit.setdefault(cell.unit.id, []).append(cell)
    result = []
    for unit_cells in by_unit.values():
        behind = [cell for cell in unit_cells if cell.lagging]
        if not behind:
            continue
        behind.sort(key=lambda cell: SEVERITY[cell.colour])
        completion = unit_completion_of(unit_cells)
        result.append(LaggingUnit(unit_cells[0].unit, completion, behind))
    result.sort(key=lambda lag: (-lag.red, -lag.amber, lag.completion if lag.completion is not None else 2.0, lag.unit.name_zh))
    return result


@no_actor
def unit_completion_of(cells: Sequence[Cell]) -> float | None:
    """A unit's completion from its cells, by core.completion's one definition."""
    return unit_completion(TaskFigure(cell.done, cell.required, cell.target.weight) for cell in cells)


@in_transaction
def lagging_units(session: Session, campaign_id: int, as_of: dt.date, group_id: int | None = None) -> list[LaggingUnit]:
    """Units behind the pace or overdue on `as_of` (of one comparison group, or all), most red
    tasks first, then most amber, then lowest completion."""
    return lagging_of(cells_of(session, campaign_id, as_of, units_of(session, None, group_id)))


def _state(statuses: set[str]) -> MissingState:
    if RecordStatus.PENDING in statuses:
        return MissingState.PENDING
    if RecordStatus.RETURNED in statuses:
        return MissingState.RETURNED
    return MissingState.NOT_WRITTEN


@in_transaction
def missing(session: Session, campaign_id: int, as_of: dt.date, unit_id: int, target: Target) -> list[Missing]:
    """Who (or which branch) of the unit has not yet done `target` by `as_of`, with why: nothing
    written, waiting for review, or returned. Counted exactly as mandatory_progress counts."""
    count = max(target.count, 1)
    of_type = and_(
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.unit_id == unit_id,
        ActivityRecord.type_id == target.type_id,
        ActivityRecord.occurred_on <= as_of,
    )
    if target.basis in {TargetBasis.PER_CADRE, TargetBasis.PER_PRINCIPAL}:
        owed = select(Cadre.id, Cadre.name).where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
        if target.basis == TargetBasis.PER_PRINCIPAL:
            owed = owed.where(Cadre.is_principal.is_(True))
        key, kind = ActivityRecord.cadre_id, "cadre"
        owers = session.execute(owed.order_by(Cadre.id)).all()
    elif target.basis == TargetBasis.PER_BRANCH:
        owed = select(Branch.id, Branch.name).where(
            Branch.unit_id == unit_id, Branch.active.is_(True), Branch.kind == "branch"
        )
        key, kind = ActivityRecord.branch_id, "branch"
        owers = session.execute(owed.order_by(Branch.id)).all()
    else:
        key, kind = ActivityRecord.unit_id, "unit"
        owers = session.execute(select(Unit.id, Unit.name_zh).where(Unit.id == unit_id)).all()
    rows = session.execute(select(key, ActivityRecord.status, func.count()).where(of_type).group_by(key, ActivityRecord.status)).all()
    approved: dict[int, int] = {}
    statuses: dict[int, set[str]] = {}
    for ident, status, n in rows:
        statuses.setdefault(ident, set()).add(status)
        if status == RecordStatus.APPROVED:
            approved[ident] = int(n)
    return [
        Missing(name, kind, _state(statuses.get(ident, set())), ident)
        for ident, name in owers
        if approved.get(ident, 0) < count
    ]


# --- what pages call: the actor is checked here -----------------------------------------------


def _may_supervise(actor: Actor | None, unit_id: int | None = None) -> Actor:
    """The office supervises every unit; a reporter reads their own unit's figures and names (core/permissions)."""
    actor = require(actor, Action.SUPERVISE)
    if unit_id is not None and not actor.reaches_unit(Action.SUPERVISE, unit_id):
        raise PermissionDenied("error.other_unit")
    return actor


@permits(Action.SUPERVISE)
def matrix_for(
    actor: Actor | None, *, campaign_id: int, as_of: dt.date, group_id: int | None = None, engine: Engine | None = None
) -> list[Cell]:
    """The coverage matrix the actor may see: every unit (or a group's) for the office, the
    reporter's own unit for a reporter."""
    actor = _may_supervise(actor)
    with read_session(engine) as session:
        if actor.is_admin:
            return cells_of(session, campaign_id, as_of, units_of(session, None, group_id))
        return cells_of(session, campaign_id, as_of, units_of(session, [actor.unit_id]))


@permits(Action.SUPERVISE)
def missing_for(
    actor: Actor | None, *, campaign_id: int, as_of: dt.date, unit_id: int, target_id: int, engine: Engine | None = None
) -> list[Missing]:
    """The names behind one cell, for the office or the unit's own reporter."""
    _may_supervise(actor, unit_id)
    with read_session(engine) as session:
        target = next((t for t in campaign_targets(session, campaign_id) if t.id == target_id), None)
        if target is None:
            raise LookupError(f"no target {target_id}")
        return missing(session, campaign_id, as_of, unit_id, target)


@permits(Action.SUPERVISE)
def lagging_for(
    actor: Actor | None, *, campaign_id: int, as_of: dt.date, group_id: int | None = None, engine: Engine | None = None
) -> list[LaggingUnit]:
    """The lagging units, for the office only."""
    if actor is None or not actor.is_admin:
        raise PermissionDenied("error.admin_only")
    with read_session(engine) as session:
        return lagging_units(session, campaign_id, as_of, group_id)


@dataclass(frozen=True)
class NoticeItem:
    cell: Cell
    missing: list[Missing]


@dataclass(frozen=True)
class Notice:
    """督办通知: what one unit must still do, by when, and who is missing."""

    unit: UnitRef
    campaign_zh: str
    campaign_en: str
    as_of: dt.date
    items: list[NoticeItem]


@permits(Action.SUPERVISE)
def notice_for(
    actor: Actor | None, *, campaign_id: int, as_of: dt.date, unit_id: int, engine: Engine | None = None
) -> Notice:
    """The office's 督办通知 to one unit: its red and amber tasks with the missing names."""
    if actor is None or not actor.is_admin:
        raise PermissionDenied("error.admin_only")
    with read_session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise LookupError(f"no campaign {campaign_id}")
        units = units_of(session, [unit_id])
        if not units:
            raise LookupError(f"no unit {unit_id}")
        cells = sorted(
            (cell for cell in cells_of(session, campaign_id, as_of, units) if cell.lagging),
            key=lambda cell: SEVERITY[cell.colour],
        )
        items = [NoticeItem(cell, missing(session, campaign_id, as_of, unit_id, cell.target)) for cell in cells]
    return Notice(units[0], campaign.name_zh, campaign.name_en, as_of, items)
