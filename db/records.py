"""Commands on activity records: entry, edit, delete, submission and review.

Every write runs through db.command.command: the actor's role and scope checked
(core/permissions), validated, written and audited with before and after in one transaction; a
failure anywhere leaves nothing behind. Reads live in db/record_queries.py.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import office_today
from core.enums import RecordStatus
from core.images import ImageRejected, ProcessedImage, process_upload
from core.permissions import Action
from core.record_rules import RecordContext, fill_title, principal_field, validate_record
from db.access import Actor, ConflictError, PermissionDenied, ValidationFailed, in_transaction, no_actor, permits
from db.campaigns import active_campaign, campaign_type_ids, ensure_open
from db.command import Command, DuplicateWrite, command
from db.engine import read_session
from db.ledger_sync import sync_ledgers
from db.models import ActivityRecord, ActivityType, Attachment, Branch, Cadre, Campaign
from db.record_queries import repeated_task_records
from db.study import book_for, sync_study_record

RETURN_REASON_MIN = 4
REASON_MAX = 2000
# What a unit may still change or delete itself; the rest belongs to the office.
UNIT_EDITABLE = frozenset({RecordStatus.DRAFT, RecordStatus.PENDING, RecordStatus.RETURNED})
UNIT_DELETABLE = frozenset({RecordStatus.DRAFT, RecordStatus.RETURNED})


class RepeatedTask(Exception):
    """The record would repeat a mandatory task owed once; nothing was saved (see save_record)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__("repeated mandatory task")
        self.records = records


@dataclass(frozen=True)
class SaveResult:
    record_id: int
    status: str
    created: bool  # False when a double submit found the record the first submit wrote
    photos: int = 0  # photos the record holds after the save, for the confirmation


@in_transaction
def record_context(session: Session, campaign: Campaign, unit_id: int) -> RecordContext:
    """The campaign's dates and the unit's active people, which a record is checked against."""
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
        today=office_today(),
    )


@in_transaction
def active_type(session: Session, type_code: str) -> ActivityType | None:
    """The type, if it is active and the current campaign uses it (db.campaigns.active_campaign)."""
    activity = session.scalar(
        select(ActivityType).where(ActivityType.code == type_code, ActivityType.active.is_(True))
    )
    campaign = active_campaign(session)
    if activity is None or campaign is None or activity.id not in campaign_type_ids(session, campaign.id):
        return None
    return activity


@no_actor
def apply_values(
    record: ActivityRecord,
    *,
    actor: Actor,
    activity: ActivityType,
    campaign_id: int,
    unit_id: int,
    title: str,
    occurred_on: dt.date,
    cleaned: dict[str, Any],
    cadre_branches: Mapping[int, int | None],
) -> None:
    """Copy validated values onto a record; its person and branch come from the type's fields."""
    cadre_key = principal_field(activity.fields, "cadre")
    branch_key = principal_field(activity.fields, "branch")
    record.campaign_id = campaign_id
    record.unit_id = unit_id
    record.type_id = activity.id
    record.title = title
    record.occurred_on = occurred_on
    record.details = cleaned
    record.cadre_id = actor.cadre_id if actor.enters_own_records_only else (cleaned.get(cadre_key) if cadre_key else None)
    record.branch_id = cleaned.get(branch_key) if branch_key else None
    if record.cadre_id and not record.branch_id:
        record.branch_id = cadre_branches.get(record.cadre_id)
    record.participants = cleaned.get("participants") or cleaned.get("audience")


@no_actor
def attachment_for(filename: str, image: ProcessedImage) -> Attachment:
    return Attachment(
        filename=filename[:200], mime=image.mime, content_hash=image.sha256, size=image.size,
        width=image.width, height=image.height, data=image.data, thumbnail=image.thumbnail,
    )


@in_transaction
def sync_study(session: Session, record: ActivityRecord, type_code: str, cleaned: dict[str, Any]) -> None:
    """Keep the gallery's study record in step (db.study.sync_study_record).

    The book is made first and the sync runs without autoflush: sync_study_record adds a study
    row before it sets its kind, and a flush in between (a query for the book) would write the
    half-made row and break its NOT NULL constraint.
    """
    book_for(session, cleaned.get("book"), cleaned.get("book_author"))
    with session.no_autoflush:
        sync_study_record(session, record, type_code, cleaned)


def _snapshot(record: ActivityRecord) -> dict[str, Any]:
    return {"title": record.title, "occurred_on": record.occurred_on.isoformat() if record.occurred_on else None, **(record.details or {})}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """What an edit changed, field by field, for the audit trail of approved records."""
    return {key: [before.get(key), after.get(key)] for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)}


@permits(Action.ENTER_RECORD)
def save_record(
    actor: Actor | None,
    *,
    unit_id: int,
    type_code: str,
    title: str,
    occurred_on: dt.date | None,
    details: dict[str, Any],
    submit: bool,
    photos: Sequence[tuple[str, bytes]] = (),
    client_token: str | None = None,
    record_id: int | None = None,
    expected_version: int | None = None,
    remove_photos: Sequence[int] = (),
    engine: Engine | None = None,
    upload_max_bytes: int = 8 * 1024 * 1024,
    allow_repeat: bool = True,
) -> SaveResult:
    """Create (or, with record_id, change) a record as a draft or submitted for review.

    An approved record may be changed by the office only; it stays approved and the audit row
    lists every field that changed. With allow_repeat=False a valid submit that would repeat a
    task owed once (a cadre's second 党性分析报告) raises RepeatedTask instead of saving, so the
    page can warn first.
    """
    processed = []
    for filename, raw in photos:
        try:
            processed.append((filename, process_upload(raw, max_bytes=upload_max_bytes)))
        except ImageRejected as rejected:
            raise ValidationFailed([("photos", rejected.reason, {"name": filename})]) from None

    try:
        with command(actor, Action.ENTER_RECORD, unit_id=unit_id, engine=engine) as cmd:
            session, actor = cmd.session, cmd.actor
            if client_token:
                existing = session.scalar(
                    select(ActivityRecord).where(ActivityRecord.client_token == client_token)
                )
                if existing is not None:
                    return SaveResult(existing.id, existing.status, created=False)
            campaign = active_campaign(session)
            if campaign is None:
                raise PermissionDenied("campaign.error.no_open_campaign")
            activity = active_type(session, type_code)
            if activity is None:
                raise ValidationFailed([("type", "validation.unknown_type", {})])
            cadre_key = principal_field(activity.fields, "cadre")
            if actor.enters_own_records_only and (
                activity.level != "person" or details.get(cadre_key) not in {None, actor.cadre_id}
            ):
                raise PermissionDenied("error.own_records_only")
            record = _record_to_write(cmd, record_id, expected_version, unit_id)
            if record_id is not None:
                # An edit stays in the record's own campaign, which must still be open.
                campaign = ensure_open(session, record.campaign_id)
            title = fill_title(title, activity.fields, details, activity.name_zh)
            cleaned, problems = validate_record(
                activity.fields, title=title, occurred_on=occurred_on, details=details,
                context=record_context(session, campaign, unit_id), draft=not submit,
            )
            kept_photos = 0
            if record_id is not None:
                kept_photos = session.scalar(
                    select(func.count()).where(
                        Attachment.record_id == record_id, Attachment.deleted_at.is_(None), Attachment.id.not_in(list(remove_photos))
                    )
                )
            if submit and activity.evidence.get("photo") == "required" and not processed and not kept_photos:
                problems.append(("photos", "validation.photo_required", {}))
            if problems:
                raise ValidationFailed(problems)

            previous_status = record.status
            before = _snapshot(record) if record_id is not None else {}
            cadre_id = actor.cadre_id if actor.enters_own_records_only else (cleaned.get(cadre_key) if cadre_key else None)
            branches = {cadre_id: session.scalar(select(Cadre.branch_id).where(Cadre.id == cadre_id))} if cadre_id else {}
            if submit and not allow_repeat:
                branch_key = principal_field(activity.fields, "branch")
                repeats = repeated_task_records(
                    session, record_id=record_id, campaign_id=campaign.id, type_id=activity.id, unit_id=unit_id, cadre_id=cadre_id,
                    branch_id=(cleaned.get(branch_key) if branch_key else None) or branches.get(cadre_id),
                )
                if repeats:
                    raise RepeatedTask(repeats)
            apply_values(
                record, actor=actor, activity=activity, campaign_id=campaign.id, unit_id=unit_id,
                title=title, occurred_on=occurred_on, cleaned=cleaned, cadre_branches=branches,
            )
            if previous_status != RecordStatus.APPROVED:
                record.status = RecordStatus.PENDING if submit else RecordStatus.DRAFT
                record.return_reason = None if submit else record.return_reason
                record.submitted_at = _utcnow() if submit else None
            if record_id is None:
                record.client_token = client_token
                record.created_by = actor.user_id
                session.add(record)
            else:
                _remove_photos(record, remove_photos)
            for filename, image in processed:
                record.attachments.append(attachment_for(filename, image))
            session.flush()
            session.expire(record, ["attachments"])
            sync_study(session, record, type_code, cleaned)
            sync_ledgers(session, actor, record, type_code, cleaned, details)
            if previous_status == RecordStatus.APPROVED:
                event = "record.edit_approved"
                detail = {"type": type_code, "unit_id": unit_id, "changes": _changes(before, _snapshot(record))}
            else:
                event = "record.submit" if submit else "record.save_draft"
                detail = {"type": type_code, "unit_id": unit_id, "previous_status": previous_status}
            if remove_photos:
                detail["removed_photos"] = sorted(remove_photos)
            cmd.log(event, record, detail)
            return SaveResult(record.id, record.status, created=record_id is None, photos=len(record.attachments))
    except DuplicateWrite:
        # Two submits of the same form raced past the token check: the other one won.
        if client_token:
            with read_session(engine) as session:
                existing = session.scalar(
                    select(ActivityRecord).where(ActivityRecord.client_token == client_token)
                )
            if existing is not None:
                return SaveResult(existing.id, existing.status, created=False)
        raise


def _remove_photos(record: ActivityRecord, photo_ids: Sequence[int]) -> None:
    """Photos removed while editing leave the record but stay in the database, marked deleted:
    restoring the record (db/trash.py) brings them back."""
    now = _utcnow()
    for attachment in record.attachments:
        if attachment.id in set(photo_ids):
            attachment.deleted_at = now


def _owned_record(cmd: Command, record_id: int) -> ActivityRecord:
    """The record, if it lies in the actor's scope for the command (core/permissions) and is not deleted."""
    record = cmd.target(ActivityRecord, record_id)
    if record.status == RecordStatus.DELETED:
        raise PermissionDenied("records.gone")
    return record


def _record_to_write(cmd: Command, record_id: int | None, expected_version: int | None, unit_id: int) -> ActivityRecord:
    if record_id is None:
        return ActivityRecord()
    record = _owned_record(cmd, record_id)
    if record.unit_id != unit_id and not cmd.actor.is_admin:
        raise PermissionDenied("error.other_unit")
    if record.status not in UNIT_EDITABLE and not cmd.actor.is_admin:
        raise PermissionDenied("error.approved_locked")
    if expected_version is not None and record.version != expected_version:
        raise ConflictError()
    return record


@permits(Action.DELETE_RECORD)
def delete_record(
    actor: Actor | None, record_id: int, *, expected_version: int | None = None, engine: Engine | None = None
) -> None:
    """Delete a record: a unit its own drafts and returned records, the office any record (audited)."""
    with command(actor, Action.DELETE_RECORD, engine=engine) as cmd:
        record = _owned_record(cmd, record_id)
        ensure_open(cmd.session, record.campaign_id)
        if record.status not in UNIT_DELETABLE and not cmd.actor.is_admin:
            raise PermissionDenied("records.delete_locked")
        if expected_version is not None and record.version != expected_version:
            raise ConflictError()
        snapshot = {
            "type_id": record.type_id, "unit_id": record.unit_id, "cadre_id": record.cadre_id,
            "status": record.status, "photos": len(record.attachments), **_snapshot(record),
        }
        # The row stays (db/trash.py restores it): every board, list and count reads only the
        # live statuses, so a deleted record vanishes from them all.
        record.deleted_from, record.status, record.deleted_at = record.status, RecordStatus.DELETED, _utcnow()
        cmd.session.flush()
        # A deleted record's unanswered suggestion and untouched problems go, as for a draft.
        sync_ledgers(cmd.session, cmd.actor, record, record.type.code, record.details or {}, {})
        cmd.log("record.delete", record, snapshot)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _reviewable(
    cmd: Command, record_ids: Sequence[int], statuses: set[str], expected_versions: Mapping[int, int] | None
) -> list[ActivityRecord]:
    """The records still in a reviewable status and, where the reviewer saw a version, unchanged since."""
    records = cmd.session.scalars(
        select(ActivityRecord).where(ActivityRecord.id.in_(list(record_ids)), ActivityRecord.status.in_(statuses))
    ).all()
    for campaign_id in {record.campaign_id for record in records}:
        ensure_open(cmd.session, campaign_id)
    versions = expected_versions or {}
    return [cmd.watch(record) for record in records if versions.get(record.id, record.version) == record.version]


@permits(Action.REVIEW)
def approve_records(
    actor: Actor | None,
    record_ids: Sequence[int],
    *,
    expected_versions: Mapping[int, int] | None = None,
    engine: Engine | None = None,
) -> int:
    """Approve pending records; returns how many changed.

    Records no longer pending, or changed since the reviewer saw them (expected_versions), are
    skipped: the reviewer approves what they read, not what someone wrote a moment later.
    """
    with command(actor, Action.REVIEW, engine=engine) as cmd:
        records = _reviewable(cmd, record_ids, {RecordStatus.PENDING}, expected_versions)
        for record in records:
            record.status = RecordStatus.APPROVED
            record.return_reason = None
            record.reviewed_by = cmd.actor.user_id
            record.reviewed_at = _utcnow()
            cmd.log("record.approve", record)
        return len(records)


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < RETURN_REASON_MIN:
        raise ValidationFailed([("reason", "validation.too_short", {"min": RETURN_REASON_MIN, "actual": len(reason)})])
    return reason[:REASON_MAX]


def _send_back(cmd: Command, record: ActivityRecord, reason: str) -> None:
    record.status = RecordStatus.RETURNED
    record.return_reason = reason
    record.reviewed_by = cmd.actor.user_id
    record.reviewed_at = _utcnow()
    cmd.log("record.return", record, {"reason": reason})


@permits(Action.REVIEW)
def return_record(
    actor: Actor | None,
    record_id: int,
    reason: str,
    *,
    expected_version: int | None = None,
    engine: Engine | None = None,
) -> None:
    """Send a record back to its unit with the reviewer's reason (退回)."""
    reason = _clean_reason(reason)
    with command(actor, Action.REVIEW, engine=engine) as cmd:
        record = cmd.session.get(ActivityRecord, record_id)
        if record is None or record.status not in {RecordStatus.PENDING, RecordStatus.APPROVED}:
            raise ValidationFailed([("status", "validation.not_reviewable", {})])
        ensure_open(cmd.session, record.campaign_id)
        if expected_version is not None and record.version != expected_version:
            raise ConflictError()
        _send_back(cmd, cmd.watch(record), reason)


@permits(Action.REVIEW)
def return_records(
    actor: Actor | None,
    record_ids: Sequence[int],
    reason: str,
    *,
    expected_versions: Mapping[int, int] | None = None,
    engine: Engine | None = None,
) -> int:
    """Return several pending records with one reason; returns how many changed (others skipped)."""
    reason = _clean_reason(reason)
    with command(actor, Action.REVIEW, engine=engine) as cmd:
        records = _reviewable(cmd, record_ids, {RecordStatus.PENDING}, expected_versions)
        for record in records:
            _send_back(cmd, record, reason)
        return len(records)
