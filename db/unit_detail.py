"""One unit up close: its mandatory tasks still open, and its records by type and review status.

Who has not yet done a task, and what is still waiting for review or was returned, is the unit's
and the office's business: other viewers get the counts only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from core.enums import RecordStatus, TargetBasis
from core.permissions import Action
from db.access import Actor, PermissionDenied, permits, public_read
from db.board_queries import mandatory_progress
from db.engine import read_session
from db.models import ActivityRecord, ActivityType
from db.supervision import missing
from db.targets import campaign_targets


@dataclass(frozen=True)
class OpenTask:
    code: str
    basis: str
    done: int
    required: int
    missing: list[str] | None  # who or which branch has not done it; None when not shown to this viewer

    @property
    def open(self) -> int:
        return self.required - self.done


@public_read
def open_tasks(
    actor: Actor | None, *, campaign_id: int, unit_id: int, end: dt.date, engine: Engine | None = None
) -> list[OpenTask]:
    """Each of the campaign's targets for the unit with what is done by `end` (approved records
    only), counted by db.board_queries.mandatory_progress like every board."""
    show_names = actor is not None and actor.can_read_unit(unit_id)
    with read_session(engine) as session:
        progress = mandatory_progress(session, campaign_id, end, [unit_id])[unit_id]
        targets = {target.id: target for target in campaign_targets(session, campaign_id)}
        result = []
        for task in progress:
            names = None
            if show_names:
                names = [] if task.basis == TargetBasis.PER_UNIT else [
                    found.name for found in missing(session, campaign_id, end, unit_id, targets[task.target_id])
                ]
            result.append(OpenTask(task.code, task.basis, task.done, task.required, names))
    return result


@permits(Action.READ_UNIT)
def status_counts(
    actor: Actor | None,
    *,
    campaign_id: int,
    unit_id: int,
    start: dt.date,
    end: dt.date,
    engine: Engine | None = None,
) -> dict[str, dict[str, int]]:
    """The unit's records in [start, end] per type code and status (for the unit and the office)."""
    if actor is None or not actor.can_read_unit(unit_id):
        raise PermissionDenied("error.other_unit")
    with read_session(engine) as session:
        rows = session.execute(
            select(ActivityType.code, ActivityRecord.status, func.count())
            .join(ActivityType, ActivityType.id == ActivityRecord.type_id)
            .where(
                ActivityRecord.unit_id == unit_id,
                ActivityRecord.campaign_id == campaign_id,
                ActivityRecord.occurred_on.between(start, end),
                ActivityRecord.status != RecordStatus.DELETED,
            )
            .group_by(ActivityType.code, ActivityRecord.status)
        ).all()
    result: dict[str, dict[str, int]] = {}
    for code, status, count in rows:
        result.setdefault(code, {})[status] = count
    return result
