"""Reading the audit trail (操作日志): who did what, when, to which record — for the office only."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import aliased

from core.permissions import Action
from db.access import Actor, permits
from db.engine import read_session
from db.models import ActivityRecord, AuditLog, User

PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditFilter:
    """Every field optional. `since`/`until` are UTC instants, `until` exclusive."""

    user_id: int | None = None
    unit_id: int | None = None  # the actor's unit, or the unit of the record acted on
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _conditions(criteria: AuditFilter, record: Any, actor_user: Any) -> list[Any]:  # noqa: ANN401 - SQL aliases
    conditions = []
    if criteria.user_id is not None:
        conditions.append(AuditLog.user_id == criteria.user_id)
    if criteria.action:
        conditions.append(AuditLog.action == criteria.action)
    if criteria.since is not None:
        conditions.append(AuditLog.at >= criteria.since)
    if criteria.until is not None:
        conditions.append(AuditLog.at < criteria.until)
    if criteria.unit_id is not None:
        conditions.append(or_(actor_user.unit_id == criteria.unit_id, record.unit_id == criteria.unit_id))
    return conditions


@permits(Action.READ_AUDIT)
def audit_entries(
    actor: Actor | None,
    criteria: AuditFilter = AuditFilter(),
    *,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    engine: Engine | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The newest entries first that match `criteria`, and how many match in all."""
    record = aliased(ActivityRecord)
    actor_user = aliased(User)
    joined = (
        select(AuditLog)
        .outerjoin(actor_user, actor_user.id == AuditLog.user_id)
        .outerjoin(record, and_(AuditLog.entity == "activity_record", record.id == AuditLog.entity_id))
        .where(*_conditions(criteria, record, actor_user))
    )
    with read_session(engine) as session:
        total = session.scalar(select(func.count()).select_from(joined.subquery()))
        rows = session.execute(
            joined.with_only_columns(
                AuditLog.id, AuditLog.at, AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.detail,
                actor_user.username, actor_user.display_name, actor_user.role, record.unit_id.label("record_unit_id"),
                actor_user.unit_id.label("user_unit_id"),
            )
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit)
            .offset(offset)
        ).mappings().all()
    return [dict(row) for row in rows], int(total or 0)


@permits(Action.READ_AUDIT)
def audit_choices(actor: Actor | None, *, engine: Engine | None = None) -> dict[str, Any]:
    """The people and actions that occur in the trail, for the filters."""
    with read_session(engine) as session:
        people = session.execute(
            select(User.id, User.username, User.display_name)
            .where(User.id.in_(select(AuditLog.user_id).distinct()))
            .order_by(User.username)
        ).mappings().all()
        actions = session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
    return {"people": [dict(person) for person in people], "actions": list(actions)}
