"""What was deleted, and bringing it back (回收站): only the office restores.

Deleting a record keeps its row (db/records.delete_record sets status "deleted" and remembers
the status it had), with its photos, gallery entry and likes; restoring puts that status back,
and the photos removed from the record while it was edited (db/records._remove_photos).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from core.enums import RecordStatus
from core.permissions import Action
from db.access import Actor, ConflictError, PermissionDenied, permits
from db.command import command
from db.engine import read_session
from db.ledger_sync import sync_ledgers
from db.models import ActivityRecord, ActivityType, Unit


@permits(Action.RESTORE)
def deleted_records(actor: Actor | None, *, limit: int = 500, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Deleted records, most recently deleted first."""
    with read_session(engine) as session:
        rows = session.execute(
            select(
                ActivityRecord.id, ActivityRecord.title, ActivityRecord.deleted_from, ActivityRecord.deleted_at,
                ActivityRecord.occurred_on, ActivityRecord.version, Unit.name_zh.label("unit_zh"),
                Unit.name_en.label("unit_en"), ActivityType.name_zh.label("type_zh"), ActivityType.name_en.label("type_en"),
            )
            .join(Unit, Unit.id == ActivityRecord.unit_id)
            .join(ActivityType, ActivityType.id == ActivityRecord.type_id)
            .where(ActivityRecord.status == RecordStatus.DELETED)
            .order_by(ActivityRecord.deleted_at.desc(), ActivityRecord.id.desc())
            .limit(limit)
        ).mappings().all()
    return [dict(row) for row in rows]


@permits(Action.RESTORE)
def restore_record(actor: Actor | None, record_id: int, *, expected_version: int | None = None, engine: Engine | None = None) -> str:
    """Put a deleted record back with the status it had, and the photos removed from it; returns that status."""
    with command(actor, Action.RESTORE, engine=engine) as cmd:
        record = cmd.target(ActivityRecord, record_id, gone_key="trash.not_deleted")
        if record.status != RecordStatus.DELETED:
            raise PermissionDenied("trash.not_deleted")
        if expected_version is not None and record.version != expected_version:
            raise ConflictError()
        record.status = RecordStatus(record.deleted_from or RecordStatus.DRAFT)
        record.deleted_from = record.deleted_at = None
        for photo in record.removed_photos:
            photo.deleted_at = None
        cmd.session.flush()
        sync_ledgers(cmd.session, cmd.actor, record, record.type.code, record.details or {}, {})
        cmd.log("record.restore", record, {"status": record.status})
        return record.status
