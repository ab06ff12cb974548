"""宣传报道 — the publicity items units report (《组工动态》, the organization web site, the mobile
party-building paper, newspapers ...): approved records of the catalogue's "publicity" type.

They are public like the boards: the unit page lists a unit's items, the briefing the period's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from core.enums import RecordStatus
from db.access import Actor, in_transaction, public_read
from db.engine import read_session
from db.gallery import require_reader
from db.models import ActivityRecord, ActivityType, Unit

PUBLICITY_TYPE = "publicity"


@in_transaction
def items(
    session: Session, *, campaign_id: int, start: dt.date, end: dt.date, unit_ids: Sequence[int] | None = None,
    group_id: int | None = None,
) -> list[dict[str, Any]]:
    """Approved publicity items of [start, end], newest first: date, unit, outlet, title, link."""
    query = (
        select(ActivityRecord.id, ActivityRecord.occurred_on, ActivityRecord.title, ActivityRecord.details, ActivityRecord.unit_id,
               Unit.name_zh, Unit.name_en)
        .join(ActivityType, ActivityType.id == ActivityRecord.type_id)
        .join(Unit, Unit.id == ActivityRecord.unit_id)
        .where(ActivityType.code == PUBLICITY_TYPE, ActivityRecord.campaign_id == campaign_id, ActivityRecord.status == RecordStatus.APPROVED,
               and_(ActivityRecord.occurred_on >= start, ActivityRecord.occurred_on <= end))
    )
    if unit_ids is not None:
        query = query.where(ActivityRecord.unit_id.in_(list(unit_ids)))
    query = query.where(Unit.group_id == group_id if group_id is not None else Unit.group_id.is_not(None))
    rows = session.execute(query.order_by(ActivityRecord.occurred_on.desc(), ActivityRecord.id.desc())).all()
    return [
        {"id": row.id, "date": row.occurred_on, "title": row.title, "unit_id": row.unit_id, "unit_zh": row.name_zh, "unit_en": row.name_en,
         "outlet": str((row.details or {}).get("outlet") or ""), "link": str((row.details or {}).get("link") or "")}
        for row in rows
    ]


@public_read
def unit_publicity(
    actor: Actor | None, *, campaign_id: int, unit_id: int, start: dt.date, end: dt.date, engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """One unit's approved publicity items of the period, for its page (public when the boards are)."""
    require_reader(actor)
    with read_session(engine) as session:
        return items(session, campaign_id=campaign_id, start=start, end=end, unit_ids=[unit_id])
