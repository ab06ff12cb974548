"""The audit trail: every write appends one row inside the same transaction as the write."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.access import Actor, in_transaction
from db.models import AuditLog


@in_transaction
def audit(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            user_id=actor.user_id if actor else None,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail or {},
        )
    )
