"""One unit up close: its mandatory tasks still open, and its records by type and review status.

Who has not yet done a task, and what is still waiting for review or was returned, is the unit's
and the office's business: other viewers get the counts only.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, and_, func, select

from core.enums import RecordStatus
from db.access import Actor, PermissionDenied
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, Branch, Cadre


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


def open_tasks(
    actor: Actor | None, *, campaign_id: int, unit_id: int, end: dt.date, engine: Engine | None = None
) -> list[OpenTask]:
    """Each mandatory task of the unit with what is done by `end` (approved records only)."""
    show_names = actor is not None and actor.can_read_unit(unit_id)
    approved = and_(
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.status == "approved",
        ActivityRecord.occurred_on <= end,
        ActivityRecord.unit_id == unit_id,
    )
    result = []
    with read_session(engine) as session:
        tasks = session.execute(
            select(ActivityType.id, ActivityType.code, ActivityType.mandatory_basis, ActivityType.mandatory_count)
            .where(ActivityType.mandatory_basis.is_not(None), ActivityType.active.is_(True))
            .order_by(ActivityType.sort_order)
        ).all()
        cadres = session.execute(
            select(Cadre.id, Cadre.name, Cadre.is_principal)
            .where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
            .order_by(Cadre.id)
        ).all()
        branches = session.execute(
            select(Branch.id, Branch.name)
            .where(Branch.unit_id == unit_id, Branch.active.is_(True), Branch.kind == "branch")
            .order_by(Branch.id)
        ).all()
        for type_id, code, basis, count in tasks:
            of_type = and_(approved, ActivityRecord.type_id == type_id)
            if basis in {"per_cadre", "per_principal"}:
                done_ids = set(session.scalars(select(ActivityRecord.cadre_id).where(of_type).distinct()))
                expected = [row for row in cadres if basis == "per_cadre" or row.is_principal]
                missing = [row.name for row in expected if row.id not in done_ids]
                required = len(expected)
            elif basis == "per_branch":
                done_ids = set(session.scalars(select(ActivityRecord.branch_id).where(of_type).distinct()))
                missing = [row.name for row in branches if row.id not in done_ids]
                required = len(branches)
            else:  # per_unit
                held = session.scalar(select(func.count()).where(of_type)) or 0
                required = count
                missing = [] if held >= count else [""]
            done = required - len(missing) if basis != "per_unit" else min(held, count)
            names = [name for name in missing if name] if show_names else None
            result.append(OpenTask(code, basis, done, required, names))
    return result


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
