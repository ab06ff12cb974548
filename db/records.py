"""Commands and queries on activity records: entry, submission and review.

Every write checks the actor's role and unit scope, validates, writes and audits in one
transaction; a failure anywhere leaves nothing behind.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.images import ImageRejected, process_upload
from core.record_rules import RecordContext, principal_field, validate_record
from db.access import (
    Actor,
    ConflictError,
    PermissionDenied,
    ValidationFailed,
    require_admin,
    require_unit_entry,
)
from db.audit import audit
from db.engine import read_session, write_session
from db.models import (
    ActivityRecord,
    ActivityType,
    Attachment,
    Branch,
    Cadre,
    Campaign,
    Unit,
)
from db.study import sync_study_record

RETURN_REASON_MIN = 4


@dataclass(frozen=True)
class SaveResult:
    record_id: int
    status: str
    created: bool  # False when a double submit found the record the first submit wrote


def active_campaign(session: Session) -> Campaign | None:
    return session.scalar(
        select(Campaign).where(Campaign.active.is_(True)).order_by(Campaign.start_date.desc()).limit(1)
    )


def _context(session: Session, campaign: Campaign, unit_id: int) -> RecordContext:
    cadre_ids = session.scalars(
        select(Cadre.id).where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
    ).all()
    branch_ids = session.scalars(
        select(Branch.id).where(Branch.unit_id == unit_id, Branch.active.is_(True))
    ).all()
    return RecordContext(
        campaign_start=campaign.start_date,
        campaign_end=campaign.end_date,
        cadre_ids=frozenset(cadre_ids),
        branch_ids=frozenset(branch_ids),
    )


def save_record(
    actor: Actor | None,
    *,
    unit_id: int,
    type_code: str,
    title: str,
    occurred_on: dt.date | None,
    details: dict[str, Any],
    submit: bool,
    photos: list[tuple[str, bytes]] = (),
    client_token: str | None = None,
    record_id: int | None = None,
    expected_version: int | None = None,
    engine: Engine | None = None,
    upload_max_bytes: int = 8 * 1024 * 1024,
) -> SaveResult:
    """Create (or, with record_id, change) a record as a draft or submitted for review."""
    actor = require_unit_entry(actor, unit_id)
    processed = []
    for filename, raw in photos:
        try:
            processed.append((filename, process_upload(raw, max_bytes=upload_max_bytes)))
        except ImageRejected as rejected:
            raise ValidationFailed([("photos", rejected.reason, {"name": filename})]) from None

    try:
        with write_session(engine) as session:
            if client_token:
                existing = session.scalar(
                    select(ActivityRecord).where(ActivityRecord.client_token == client_token)
                )
                if existing is not None:
                    return SaveResult(existing.id, existing.status, created=False)
            campaign = active_campaign(session)
            activity = session.scalar(
                select(ActivityType).where(ActivityType.code == type_code, ActivityType.active.is_(True))
            )
            if campaign is None or activity is None:
                raise ValidationFailed([("type", "validation.unknown_type", {})])
            cleaned, problems = validate_record(
                activity.fields,
                title=title,
                occurred_on=occurred_on,
                details=details,
                context=_context(session, campaign, unit_id),
            )
            cadre_key = principal_field(activity.fields, "cadre")
            branch_key = principal_field(activity.fields, "branch")
            if actor.role == "cadre" and (
                activity.level != "person" or details.get(cadre_key) not in {None, actor.cadre_id}
            ):
                raise PermissionDenied("error.own_records_only")
            if submit and activity.evidence.get("photo") == "required" and not photos:
                existing_photos = 0
                if record_id is not None:
                    existing_photos = session.scalar(
                        select(func.count()).where(Attachment.record_id == record_id)
                    )
                if not existing_photos:
                    problems.append(("photos", "validation.photo_required", {}))
            if problems:
                raise ValidationFailed(problems)

            record = _record_to_write(session, actor, record_id, expected_version, unit_id)
            previous_status = record.status
            record.campaign_id = campaign.id
            record.unit_id = unit_id
            record.type_id = activity.id
            record.title = title.strip()
            record.occurred_on = occurred_on
            record.details = cleaned
            record.cadre_id = cleaned.get(cadre_key) if cadre_key else None
            if actor.role == "cadre":
                record.cadre_id = actor.cadre_id
            record.branch_id = cleaned.get(branch_key) if branch_key else None
            if record.cadre_id and not record.branch_id:
                record.branch_id = session.scalar(select(Cadre.branch_id).where(Cadre.id == record.cadre_id))
            record.participants = cleaned.get("participants") or cleaned.get("audience")
            record.status = "pending" if submit else "draft"
            record.return_reason = None if submit else record.return_reason
            record.submitted_at = _utcnow() if submit else None
            if record_id is None:
                record.client_token = client_token
                record.created_by = actor.user_id
                session.add(record)
            for filename, image in processed:
                record.attachments.append(
                    Attachment(
                        filename=filename[:200],
                        mime=image.mime,
                        content_hash=image.sha256,
                        size=image.size,
                        width=image.width,
                        height=image.height,
                        data=image.data,
                        thumbnail=image.thumbnail,
                    )
                )
            session.flush()
            sync_study_record(session, record, type_code, cleaned)
            audit(
                session,
                actor,
                "record.submit" if submit else "record.save_draft",
                "activity_record",
                record.id,
                {"type": type_code, "unit_id": unit_id, "previous_status": previous_status},
            )
            return SaveResult(record.id, record.status, created=record_id is None)
    except StaleDataError:
        raise ConflictError() from None
    except IntegrityError:
        # Two submits of the same form raced past the token check: the other one won.
        if client_token:
            with read_session(engine) as session:
                existing = session.scalar(
                    select(ActivityRecord).where(ActivityRecord.client_token == client_token)
                )
            if existing is not None:
                return SaveResult(existing.id, existing.status, created=False)
        raise


def _record_to_write(
    session: Session, actor: Actor, record_id: int | None, expected_version: int | None, unit_id: int
) -> ActivityRecord:
    if record_id is None:
        return ActivityRecord()
    record = session.get(ActivityRecord, record_id)
    if record is None or not actor.can_enter_for_unit(record.unit_id):
        raise PermissionDenied("error.other_unit")
    if record.unit_id != unit_id and not actor.is_admin:
        raise PermissionDenied("error.other_unit")
    if actor.role == "cadre" and record.cadre_id != actor.cadre_id:
        raise PermissionDenied("error.own_records_only")
    if record.status == "approved" and not actor.is_admin:
        raise PermissionDenied("error.approved_locked")
    if expected_version is not None and record.version != expected_version:
        raise ConflictError()
    return record


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def approve_records(actor: Actor | None, record_ids: list[int], *, engine: Engine | None = None) -> int:
    """Approve pending records; returns how many changed. Records no longer pending are skipped."""
    actor = require_admin(actor)
    with write_session(engine) as session:
        records = session.scalars(
            select(ActivityRecord).where(
                ActivityRecord.id.in_(record_ids), ActivityRecord.status == "pending"
            )
        ).all()
        for record in records:
            record.status = "approved"
            record.return_reason = None
            record.reviewed_by = actor.user_id
            record.reviewed_at = _utcnow()
            audit(session, actor, "record.approve", "activity_record", record.id, {})
        return len(records)


def return_record(
    actor: Actor | None,
    record_id: int,
    reason: str,
    *,
    expected_version: int | None = None,
    engine: Engine | None = None,
) -> None:
    """Send a record back to its unit with the reviewer's reason (退回)."""
    actor = require_admin(actor)
    reason = (reason or "").strip()
    if len(reason) < RETURN_REASON_MIN:
        raise ValidationFailed([("reason", "validation.too_short", {"min": RETURN_REASON_MIN, "actual": len(reason)})])
    try:
        with write_session(engine) as session:
            record = session.get(ActivityRecord, record_id)
            if record is None or record.status not in {"pending", "approved"}:
                raise ValidationFailed([("status", "validation.not_reviewable", {})])
            if expected_version is not None and record.version != expected_version:
                raise ConflictError()
            record.status = "returned"
            record.return_reason = reason[:2000]
            record.reviewed_by = actor.user_id
            record.reviewed_at = _utcnow()
            audit(session, actor, "record.return", "activity_record", record.id, {"reason": reason[:2000]})
    except StaleDataError:
        raise ConflictError() from None


def _record_rows(session: Session, query) -> list[dict[str, Any]]:  # noqa: ANN001 - a Select
    rows = session.execute(
        query.join(ActivityType, ActivityType.id == ActivityRecord.type_id)
        .join(Unit, Unit.id == ActivityRecord.unit_id)
        .outerjoin(Cadre, Cadre.id == ActivityRecord.cadre_id)
        .add_columns(
            ActivityType.code.label("type_code"),
            ActivityType.name_zh.label("type_zh"),
            ActivityType.name_en.label("type_en"),
            Unit.name_zh.label("unit_zh"),
            Unit.name_en.label("unit_en"),
            Cadre.name.label("cadre_name"),
        )
    ).all()
    return [
        {
            "id": row.ActivityRecord.id,
            "version": row.ActivityRecord.version,
            "title": row.ActivityRecord.title,
            "occurred_on": row.ActivityRecord.occurred_on,
            "status": row.ActivityRecord.status,
            "return_reason": row.ActivityRecord.return_reason,
            "submitted_at": row.ActivityRecord.submitted_at,
            "unit_id": row.ActivityRecord.unit_id,
            "details": row.ActivityRecord.details,
            "type_code": row.type_code,
            "type_zh": row.type_zh,
            "type_en": row.type_en,
            "unit_zh": row.unit_zh,
            "unit_en": row.unit_en,
            "cadre_name": row.cadre_name,
        }
        for row in rows
    ]


def unit_records(
    actor: Actor | None, unit_id: int, *, limit: int = 50, engine: Engine | None = None
) -> list[dict[str, Any]]:
    """A unit's own records, newest first, in every status: only the unit and the office see them."""
    if actor is None or not actor.can_read_unit(unit_id):
        raise PermissionDenied("error.other_unit")
    with read_session(engine) as session:
        query = select(ActivityRecord).where(ActivityRecord.unit_id == unit_id)
        if actor.role == "cadre":
            query = query.where(ActivityRecord.cadre_id == actor.cadre_id)
        query = (
            query.order_by(ActivityRecord.updated_at.desc(), ActivityRecord.id.desc())
            .limit(limit)
        )
        return _record_rows(session, query)


def review_queue(
    actor: Actor | None,
    *,
    status: str = "pending",
    unit_id: int | None = None,
    type_code: str | None = None,
    limit: int = 200,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """Records waiting for the office, oldest submission first so nothing waits forever."""
    require_admin(actor)
    with read_session(engine) as session:
        query = select(ActivityRecord).where(ActivityRecord.status == status)
        if unit_id is not None:
            query = query.where(ActivityRecord.unit_id == unit_id)
        if type_code:
            query = query.where(ActivityRecord.type_id.in_(select(ActivityType.id).where(ActivityType.code == type_code)))
        query = query.order_by(ActivityRecord.submitted_at.asc().nulls_last(), ActivityRecord.id).limit(limit)
        return _record_rows(session, query)


def count_by_status(actor: Actor | None, *, engine: Engine | None = None) -> dict[str, int]:
    require_admin(actor)
    with read_session(engine) as session:
        rows = session.execute(
            select(ActivityRecord.status, func.count()).group_by(ActivityRecord.status)
        ).all()
    return {status: count for status, count in rows}


def record_detail(actor: Actor | None, record_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    """One record with its fields and photo thumbnails, for its unit and the office only."""
    with read_session(engine) as session:
        rows = _record_rows(session, select(ActivityRecord).where(ActivityRecord.id == record_id))
        if not rows or actor is None or not actor.can_read_unit(rows[0]["unit_id"]):
            raise PermissionDenied("error.other_unit")
        photos = session.execute(
            select(Attachment.id, Attachment.filename, Attachment.thumbnail, Attachment.content_hash)
            .where(Attachment.record_id == record_id)
            .order_by(Attachment.id)
        ).all()
    detail = rows[0]
    detail["photos"] = [dict(photo._mapping) for photo in photos]
    return detail
