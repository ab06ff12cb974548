"""Reads of activity records: a unit's own list, the office's review queue, one record in full.

The reviewer's quality flags that depend on other records (a photo another record already
used, a likely duplicate) are EXISTS subqueries in SQL, so the queue costs one query however
large the table grows; the length flag depends on the record alone and is worked out here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from core.enums import RecordStatus, TargetBasis
from core.permissions import Action, Scope
from core.record_rules import is_far_short
from db.access import Actor, PermissionDenied, in_transaction, permits, require
from db.engine import read_session
from db.models import (
    ActivityRecord,
    ActivityType,
    Attachment,
    Branch,
    Cadre,
    Campaign,
    CampaignTarget,
    RecordUnitMonthTally,
    Suggestion,
    Unit,
)

# A likely duplicate is compared with records that count or may count, not drafts or returns.
_LIVE_STATUSES = (RecordStatus.PENDING, RecordStatus.APPROVED)
FLAGS = ("shared_photo", "duplicate", "repeat_task", "outside_campaign", "short")


@dataclass(frozen=True)
class QueueFilter:
    """What the office is looking at in the review queue."""

    status: str = RecordStatus.PENDING
    unit_id: int | None = None
    type_code: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str = ""  # a record id, or words of its title or of the person's name
    flag: str | None = None
    newest_first: bool = False


def _shared_photo():  # noqa: ANN202 - a SQL expression
    mine, other = aliased(Attachment), aliased(Attachment)
    return (
        exists()
        .where(
            mine.record_id == ActivityRecord.id, other.content_hash == mine.content_hash, other.record_id != ActivityRecord.id,
            mine.deleted_at.is_(None), other.deleted_at.is_(None),
        )
        .correlate(ActivityRecord)
    )


def _duplicate():  # noqa: ANN202 - a SQL expression
    """Same unit, type and date, and the same person (or, for unit-level records, the same title)."""
    other = aliased(ActivityRecord)
    return (
        exists()
        .where(
            other.id != ActivityRecord.id,
            other.unit_id == ActivityRecord.unit_id,
            other.type_id == ActivityRecord.type_id,
            other.occurred_on == ActivityRecord.occurred_on,
            other.status.in_(_LIVE_STATUSES),
            or_(
                and_(ActivityRecord.cadre_id.is_not(None), other.cadre_id == ActivityRecord.cadre_id),
                and_(ActivityRecord.cadre_id.is_(None), other.cadre_id.is_(None), other.title == ActivityRecord.title),
            ),
        )
        .correlate(ActivityRecord)
    )


def _repeat_ways(other: Any, *, record_id: Any, campaign_id: Any, type_id: Any, unit_id: Any, cadre_id: Any, branch_id: Any) -> list:
    """Another live record of a mandatory task owed once (必做任务 count 1) by the same person or
    branch: a cadre's second 党性分析报告, a branch's second 评议会. The arguments are
    columns (for the queue's correlated flag) or values (for the warning at entry).

    One (owed, match) pair per basis: whether this record's type is owed once on that basis, and
    which other record repeats it. Kept apart so each match is looked up by its own person or
    branch index (an OR across both read a unit's every record of the type, per queued record)."""
    # A principal's lectures and a unit's discussions are owed "at least once": more is
    # more work. A cadre's report and a branch's review meeting are owed exactly once.
    same_task = [
        other.id != record_id,
        other.campaign_id == campaign_id,
        other.type_id == type_id,
        other.unit_id == unit_id,
        other.status.in_(_LIVE_STATUSES),
    ]

    def owed_once(basis: TargetBasis):  # noqa: ANN202 - a SQL expression
        return exists().where(
            CampaignTarget.campaign_id == campaign_id, CampaignTarget.type_id == type_id,
            CampaignTarget.count == 1, CampaignTarget.basis == basis,
        )

    return [
        (owed_once(TargetBasis.PER_CADRE), and_(*same_task, other.cadre_id.is_not(None), other.cadre_id == cadre_id)),
        (owed_once(TargetBasis.PER_BRANCH), and_(*same_task, other.branch_id.is_not(None), other.branch_id == branch_id)),
    ]


def _repeat_task():  # noqa: ANN202 - a SQL expression
    other = aliased(ActivityRecord)
    ways = _repeat_ways(
        other, record_id=ActivityRecord.id, campaign_id=ActivityRecord.campaign_id, type_id=ActivityRecord.type_id,
        unit_id=ActivityRecord.unit_id, cadre_id=ActivityRecord.cadre_id, branch_id=ActivityRecord.branch_id,
    )
    return or_(*(and_(owed.correlate(ActivityRecord), exists().where(match).correlate(ActivityRecord)) for owed, match in ways))


@in_transaction
def repeated_task_records(
    session: Session, *, record_id: int | None, campaign_id: int, type_id: int, unit_id: int, cadre_id: int | None, branch_id: int | None
) -> list[dict[str, Any]]:
    """The live records a new or changed record would repeat, if its type is a task owed once."""
    other = aliased(ActivityRecord)
    ways = _repeat_ways(
        other, record_id=record_id or 0, campaign_id=campaign_id, type_id=type_id, unit_id=unit_id,
        cadre_id=cadre_id, branch_id=branch_id,
    )
    rows = session.execute(
        select(other.id, other.title, other.status, Unit.name_zh, Unit.name_en)
        .join(Unit, Unit.id == other.unit_id)
        .where(or_(*(and_(owed, match) for owed, match in ways)))
        .order_by(other.id)
    ).all()
    return [dict(row._mapping) for row in rows]


def _photo_count():  # noqa: ANN202 - a SQL expression
    return (
        select(func.count(Attachment.id))
        .where(Attachment.record_id == ActivityRecord.id, Attachment.deleted_at.is_(None))
        .correlate(ActivityRecord)
        .scalar_subquery()
    )


def _rows(session: Session, query: Select) -> list[dict[str, Any]]:
    rows = session.execute(
        query.join(ActivityType, ActivityType.id == ActivityRecord.type_id)
        .join(Unit, Unit.id == ActivityRecord.unit_id)
        .join(Campaign, Campaign.id == ActivityRecord.campaign_id)
        .outerjoin(Cadre, Cadre.id == ActivityRecord.cadre_id)
        .outerjoin(Suggestion, Suggestion.record_id == ActivityRecord.id)
        .add_columns(
            Suggestion.anonymous.label("anonymous"),
            ActivityType.code.label("type_code"),
            ActivityType.name_zh.label("type_zh"),
            ActivityType.name_en.label("type_en"),
            ActivityType.fields.label("type_fields"),
            ActivityType.evidence.label("type_evidence"),
            Unit.name_zh.label("unit_zh"),
            Unit.name_en.label("unit_en"),
            Cadre.name.label("cadre_name"),
            _shared_photo().label("shared_photo"),
            _duplicate().label("duplicate"),
            _repeat_task().label("repeat_task"),
            or_(ActivityRecord.occurred_on < Campaign.start_date, ActivityRecord.occurred_on > Campaign.end_date).label("outside_campaign"),
            _photo_count().label("photo_count"),
        )
    ).all()
    result = []
    for row in rows:
        record = row.ActivityRecord
        result.append({
            "id": record.id,
            "version": record.version,
            "title": record.title,
            "occurred_on": record.occurred_on,
            "status": record.status,
            "return_reason": record.return_reason,
            "submitted_at": record.submitted_at,
            "updated_at": record.updated_at,
            "unit_id": record.unit_id,
            "cadre_id": record.cadre_id,
            "details": record.details,
            "type_code": row.type_code,
            "type_zh": row.type_zh,
            "type_en": row.type_en,
            "unit_zh": row.unit_zh,
            "unit_en": row.unit_en,
            # An anonymous suggestion (db/suggestions.py) names nobody, on every page.
            "anonymous": bool(row.anonymous),
            "cadre_name": None if row.anonymous else row.cadre_name,
            "photo_count": row.photo_count,
            "flags": [
                flag for flag, on in (
                    ("shared_photo", row.shared_photo),
                    ("duplicate", row.duplicate),
                    ("repeat_task", row.repeat_task),
                    ("outside_campaign", row.outside_campaign),
                    ("short", is_far_short(row.type_fields, row.type_evidence, record.details)),
                ) if on
            ],
        })
    return result


def _unit_query(actor: Actor, unit_id: int, status: str | None, type_code: str | None) -> Select:
    query = select(ActivityRecord).where(ActivityRecord.unit_id == unit_id)
    if actor.scope(Action.READ_RECORDS) is Scope.OWN:
        query = query.where(ActivityRecord.cadre_id == actor.cadre_id)
    query = query.where(ActivityRecord.status == status) if status else query.where(ActivityRecord.status != RecordStatus.DELETED)
    if type_code:
        query = query.where(ActivityRecord.type_id.in_(select(ActivityType.id).where(ActivityType.code == type_code)))
    return query


@permits(Action.READ_UNIT)
def unit_records(
    actor: Actor | None,
    unit_id: int,
    *,
    status: str | None = None,
    type_code: str | None = None,
    limit: int = 50,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """A unit's own records, newest change first: only the unit (a cadre: their own) and the office see them."""
    actor = require(actor, Action.READ_UNIT, unit_id=unit_id)
    with read_session(engine) as session:
        query = _unit_query(actor, unit_id, status, type_code)
        return _rows(session, query.order_by(ActivityRecord.updated_at.desc(), ActivityRecord.id.desc()).limit(limit))


@permits(Action.READ_UNIT)
def unit_status_counts(actor: Actor | None, unit_id: int, *, engine: Engine | None = None) -> dict[str, int]:
    """How many of a unit's records are in each status (a cadre: their own)."""
    actor = require(actor, Action.READ_UNIT, unit_id=unit_id)
    with read_session(engine) as session:
        inner = _unit_query(actor, unit_id, None, None).subquery()
        rows = session.execute(select(inner.c.status, func.count()).group_by(inner.c.status)).all()
    return {status: count for status, count in rows}


# The quality flags a reviewer can filter by in SQL; "short" depends on the prose and is worked out per row.
_SQL_FLAGS = {
    "shared_photo": _shared_photo,
    "duplicate": _duplicate,
    "repeat_task": _repeat_task,
}


def _search_clause(search: str):  # noqa: ANN202 - a SQL expression
    """An id (with or without '#') finds that record; other words find titles and people."""
    words = search.strip().lstrip("#").strip()
    if words.isdigit() and len(words) <= 18:
        return ActivityRecord.id == int(words)
    pattern = f"%{words.replace('%', '').replace('_', '')}%"
    people = select(Cadre.id).where(Cadre.name.like(pattern))
    return or_(ActivityRecord.title.like(pattern), ActivityRecord.cadre_id.in_(people))


def _queue_query(criteria: QueueFilter) -> Select:
    query = select(ActivityRecord).where(ActivityRecord.status == criteria.status)
    if criteria.search.strip().lstrip("#").strip():
        query = query.where(_search_clause(criteria.search))
    if criteria.flag in _SQL_FLAGS:
        query = query.where(_SQL_FLAGS[criteria.flag]())
    elif criteria.flag == "outside_campaign":
        # Its own alias: the queue's rows join campaign too, and a bare Campaign here would be
        # correlated to that join, leaving the subquery with nothing to select from.
        campaign = aliased(Campaign)
        query = query.where(
            exists().where(
                campaign.id == ActivityRecord.campaign_id,
                or_(ActivityRecord.occurred_on < campaign.start_date, ActivityRecord.occurred_on > campaign.end_date),
            )
        )
    if criteria.unit_id is not None:
        query = query.where(ActivityRecord.unit_id == criteria.unit_id)
    if criteria.type_code:
        query = query.where(ActivityRecord.type_id.in_(select(ActivityType.id).where(ActivityType.code == criteria.type_code)))
    if criteria.date_from:
        query = query.where(ActivityRecord.occurred_on >= criteria.date_from)
    if criteria.date_to:
        query = query.where(ActivityRecord.occurred_on <= criteria.date_to)
    return query


@permits(Action.REVIEW)
def review_queue(
    actor: Actor | None,
    *,
    status: str = RecordStatus.PENDING,
    unit_id: int | None = None,
    type_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    criteria: QueueFilter | None = None,
    limit: int = 200,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """Records for the office, oldest submission first so nothing waits forever, with quality flags."""
    criteria = criteria or QueueFilter(status, unit_id, type_code, date_from, date_to)
    waited = ActivityRecord.submitted_at.desc().nulls_last() if criteria.newest_first else ActivityRecord.submitted_at.asc().nulls_last()
    order = (waited, ActivityRecord.id.desc() if criteria.newest_first else ActivityRecord.id)
    with read_session(engine) as session:
        rows = _rows(session, _queue_query(criteria).order_by(*order).limit(limit))
    if criteria.flag == "short":
        rows = [row for row in rows if "short" in row["flags"]]
    return rows


@permits(Action.REVIEW)
def review_queue_size(actor: Actor | None, criteria: QueueFilter, *, engine: Engine | None = None) -> int:
    """How many records match the queue's filters (the queue itself shows the first few hundred)."""
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(_queue_query(criteria).subquery()))


@permits(Action.REVIEW)
def count_by_status(actor: Actor | None, *, engine: Engine | None = None) -> dict[str, int]:
    """The records waiting, approved and returned: the first and last counted through the review
    queue's index (a few thousand), the approved from the boards' summaries, as counting a
    million approved records took a quarter of a second on every cold review page."""
    with read_session(engine) as session:
        rows = session.execute(
            select(ActivityRecord.status, func.count())
            .where(ActivityRecord.status.in_([RecordStatus.PENDING, RecordStatus.RETURNED]))
            .group_by(ActivityRecord.status)
        ).all()
        approved = session.scalar(select(func.coalesce(func.sum(RecordUnitMonthTally.records), 0)))
    return {RecordStatus.PENDING: 0, RecordStatus.RETURNED: 0, **dict(rows), RecordStatus.APPROVED: int(approved)}


def _display_details(session: Session, fields: list[dict[str, Any]], details: dict[str, Any]) -> list[tuple[str, str]]:
    """(field key, text) in the catalogue's order, with people and branches by name."""
    cadre_ids = [details[spec["key"]] for spec in fields if spec["kind"] == "cadre" and details.get(spec["key"])]
    branch_ids = [details[spec["key"]] for spec in fields if spec["kind"] == "branch" and details.get(spec["key"])]
    cadres = dict(session.execute(select(Cadre.id, Cadre.name).where(Cadre.id.in_(cadre_ids))).all()) if cadre_ids else {}
    branches = dict(session.execute(select(Branch.id, Branch.name).where(Branch.id.in_(branch_ids))).all()) if branch_ids else {}
    shown = []
    for spec in fields:
        value = details.get(spec["key"])
        if value is None or value == "":
            continue
        if spec["kind"] == "cadre":
            value = cadres.get(value, value)
        elif spec["kind"] == "branch":
            value = branches.get(value, value)
        shown.append((spec["key"], f"{value:,}" if isinstance(value, int) else str(value)))
    return shown


def _flag_sources(session: Session, record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Which other records a flag points at, so the reviewer can open them side by side."""
    mine, other = aliased(Attachment), aliased(Attachment)
    shared = session.execute(
        select(ActivityRecord.id, ActivityRecord.title, ActivityRecord.status, Unit.name_zh, Unit.name_en)
        .join(Unit, Unit.id == ActivityRecord.unit_id)
        .where(ActivityRecord.id.in_(
            select(other.record_id).join(mine, mine.content_hash == other.content_hash)
            .where(mine.record_id == record["id"], other.record_id != record["id"], mine.deleted_at.is_(None), other.deleted_at.is_(None))
        ))
        .order_by(ActivityRecord.id)
    ).all()
    twin = aliased(ActivityRecord)
    base = session.get(ActivityRecord, record["id"])
    same = [
        twin.id != base.id, twin.unit_id == base.unit_id, twin.type_id == base.type_id,
        twin.occurred_on == base.occurred_on, twin.status.in_(_LIVE_STATUSES),
    ]
    same.append(twin.cadre_id == base.cadre_id if base.cadre_id else and_(twin.cadre_id.is_(None), twin.title == base.title))
    duplicates = session.execute(
        select(twin.id, twin.title, twin.status, Unit.name_zh, Unit.name_en)
        .join(Unit, Unit.id == twin.unit_id).where(*same).order_by(twin.id)
    ).all()
    return {
        "shared_photo": [dict(row._mapping) for row in shared],
        "duplicate": [dict(row._mapping) for row in duplicates],
        "repeat_task": repeated_task_records(
            session, record_id=base.id, campaign_id=base.campaign_id, type_id=base.type_id, unit_id=base.unit_id,
            cadre_id=base.cadre_id, branch_id=base.branch_id,
        ),
    }


@permits(Action.READ_RECORDS)
def record_detail(actor: Actor | None, record_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    """One record with its fields, photo thumbnails and flag sources, for its unit and the office only."""
    with read_session(engine) as session:
        rows = _rows(session, select(ActivityRecord).where(ActivityRecord.id == record_id))
        if not rows or actor is None or not actor.can_read_unit(rows[0]["unit_id"]):
            raise PermissionDenied("error.other_unit")
        if not actor.reaches_record(Action.READ_RECORDS, rows[0]["unit_id"], rows[0]["cadre_id"]):
            raise PermissionDenied("error.own_records_only")
        if rows[0]["status"] == RecordStatus.DELETED and not actor.is_admin:
            raise PermissionDenied("records.gone")
        detail = rows[0]
        activity = session.scalar(select(ActivityType).where(ActivityType.code == detail["type_code"]))
        photos = session.execute(
            select(Attachment.id, Attachment.filename, Attachment.thumbnail, Attachment.content_hash, Attachment.width, Attachment.height)
            .where(Attachment.record_id == record_id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.id)
        ).all()
        detail["fields"] = activity.fields
        detail["evidence"] = activity.evidence
        detail["shown"] = [
            (key, text) for key, text in _display_details(session, activity.fields, detail["details"])
            if not (detail["anonymous"] and key in {spec["key"] for spec in activity.fields if spec["kind"] == "cadre"})
        ]
        detail["photos"] = [dict(photo._mapping) for photo in photos]
        detail["flag_sources"] = _flag_sources(session, detail) if actor.is_admin else {}
    return detail


@permits(Action.READ_RECORDS)
def photo(actor: Actor | None, attachment_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    """A full-size evidence picture, for the record's unit and the office only."""
    with read_session(engine) as session:
        row = session.execute(
            select(Attachment.filename, Attachment.mime, Attachment.data, ActivityRecord.unit_id, ActivityRecord.cadre_id, ActivityRecord.status)
            .join(ActivityRecord, ActivityRecord.id == Attachment.record_id)
            .where(Attachment.id == attachment_id, Attachment.deleted_at.is_(None))
        ).first()
    if row is None or actor is None or not actor.can_read_unit(row.unit_id):
        raise PermissionDenied("error.other_unit")
    if row.status == RecordStatus.DELETED and not actor.is_admin:
        raise PermissionDenied("records.gone")
    if not actor.reaches_record(Action.READ_RECORDS, row.unit_id, row.cadre_id):
        raise PermissionDenied("error.own_records_only")
    return {"filename": row.filename, "mime": row.mime, "data": row.data}
