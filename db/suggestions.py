"""建议征集: the suggestion a 建议征集 record makes, the office's answer, and who may see what.

A suggestion row exists while its record is submitted or approved (db.records.save_record keeps
it in step through db.ledger_sync); a draft has none. The office routes it to a division and
answers it: adopted, partly adopted or not adopted, with the reply and, unless fully adopted, the
reason. Adopted suggestions (in full or in part, core.ledgers.BONUS_STATUSES) earn the bonus,
dated by adopted_on (db.board_queries.bonus_counts).

Anonymity: where the office allows it, a submitter may hide their name. An anonymous
suggestion shows no submitter to anyone but the submitter themself — not to the office, not to
the unit's reporter, not in exports — and credits the unit only (no person or branch bonus).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session, aliased

from core.clock import office_to_utc, office_today, utc_now
from core.ledgers import adopted_on_after, check_decision, clean_text
from core.permissions import Action
from db.access import (
    Actor,
    ConflictError,
    PermissionDenied,
    ValidationFailed,
    permits,
    public_read,
)
from db.command import command
from db.engine import read_session
from db.ledger_sync import ANONYMOUS_KEY, SUGGESTION_TYPE, anonymous_setting
from db.models import ActivityRecord, AppMeta, Cadre, Suggestion, Unit, User
from db.records import SaveResult, save_record

LIST_LIMIT = 500


# --- the office's setting ---------------------------------------------------------------------


@public_read
def anonymous_allowed(engine: Engine | None = None) -> bool:
    with read_session(engine) as session:
        return anonymous_setting(session)


@permits(Action.ADMINISTER)
def set_anonymous_allowed(actor: Actor | None, allow: bool, engine: Engine | None = None) -> None:
    """Whether cadres may submit suggestions anonymously (the office decides; audited)."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        row = cmd.session.get(AppMeta, ANONYMOUS_KEY)
        before = row.value == "1" if row else False
        if row is None:
            cmd.session.add(AppMeta(key=ANONYMOUS_KEY, value="1" if allow else "0"))
        else:
            row.value = "1" if allow else "0"
        cmd.audit("setting.suggestions_anonymous", "app_meta", None, {"before": before, "after": allow})


@permits(Action.ENTER_RECORD)
def submit_suggestion(
    actor: Actor | None,
    *,
    unit_id: int,
    title: str,
    content: str,
    occurred_on: dt.date | None = None,
    cadre_id: int | None = None,
    anonymous: bool = False,
    client_token: str | None = None,
    engine: Engine | None = None,
) -> SaveResult:
    """Submit a suggestion: a 建议征集 record for review, which makes the suggestion row.

    The record goes through the one path every record takes (db.records.save_record): the same
    permission, validation, audit; a cadre always writes as themself.
    """
    writer = actor.cadre_id if actor.enters_own_records_only else cadre_id
    return save_record(
        actor, unit_id=unit_id, type_code=SUGGESTION_TYPE, title=title, occurred_on=occurred_on or office_today(),
        details={"writer": writer, "content": content, "anonymous": anonymous}, submit=True,
        client_token=client_token, engine=engine,
    )


# --- reads ------------------------------------------------------------------------------------


def _query() -> Select:
    division = aliased(Unit)
    return (
        select(
            Suggestion.id, Suggestion.record_id, Suggestion.unit_id, Suggestion.cadre_id, Suggestion.title,
            Suggestion.body, Suggestion.status, Suggestion.answer, Suggestion.decision_reason,
            Suggestion.created_at, Suggestion.answered_at, Suggestion.adopted_on, Suggestion.anonymous,
            Suggestion.division_id, Suggestion.version,
            Unit.name_zh.label("unit_zh"), Unit.name_en.label("unit_en"),
            division.name_zh.label("division_zh"), division.name_en.label("division_en"),
            Cadre.name.label("submitter"), ActivityRecord.status.label("record_status"),
            User.display_name.label("answered_by_name"),
        )
        .join(Unit, Unit.id == Suggestion.unit_id)
        .outerjoin(division, division.id == Suggestion.division_id)
        .outerjoin(Cadre, Cadre.id == Suggestion.cadre_id)
        .outerjoin(ActivityRecord, ActivityRecord.id == Suggestion.record_id)
        .outerjoin(User, User.id == Suggestion.answered_by)
    )


def _shown(actor: Actor, row: Any) -> dict[str, Any]:
    """A row as this actor may see it: an anonymous submitter's name and id stay here."""
    item = dict(row._mapping)
    item["is_mine"] = actor.cadre_id is not None and item["cadre_id"] == actor.cadre_id
    if item["anonymous"] and not item["is_mine"]:
        item["submitter"] = None
        item["cadre_id"] = None
    return item


def _in_scope(actor: Actor, query: Select) -> Select:
    return query if actor.is_admin else query.where(Suggestion.unit_id == actor.unit_id)


@permits(Action.READ_LEDGERS)
def list_suggestions(
    actor: Actor | None,
    *,
    status: str | None = None,
    unit_id: int | None = None,
    division_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    mine: bool = False,
    search: str | None = None,
    limit: int = LIST_LIMIT,
    engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """Suggestions newest first, filtered by status, unit, division and the office days they
    were made in [start, end]; `mine` keeps the actor's own (a cadre's); `search` finds words in
    the title or the text."""
    query = _in_scope(actor, _query())
    if status:
        query = query.where(Suggestion.status == status)
    if unit_id is not None:
        query = query.where(Suggestion.unit_id == unit_id)
    if division_id is not None:
        query = query.where(Suggestion.division_id == division_id)
    if start is not None:
        query = query.where(Suggestion.created_at >= office_to_utc(dt.datetime.combine(start, dt.time())))
    if end is not None:
        query = query.where(Suggestion.created_at < office_to_utc(dt.datetime.combine(end + dt.timedelta(days=1), dt.time())))
    if mine:
        query = query.where(Suggestion.cadre_id == actor.cadre_id) if actor.cadre_id else query.where(False)
    if search and search.strip():
        words = search.strip()
        query = query.where(Suggestion.title.contains(words, autoescape=True) | Suggestion.body.contains(words, autoescape=True))
    with read_session(engine) as session:
        rows = session.execute(query.order_by(Suggestion.created_at.desc(), Suggestion.id.desc()).limit(limit)).all()
    return [_shown(actor, row) for row in rows]


@permits(Action.READ_LEDGERS)
def status_counts(actor: Actor | None, *, engine: Engine | None = None) -> dict[str, int]:
    query = _in_scope(actor, select(Suggestion.status, func.count()).select_from(Suggestion))
    with read_session(engine) as session:
        return dict(session.execute(query.group_by(Suggestion.status)).all())


@permits(Action.READ_LEDGERS)
def suggestion_detail(actor: Actor | None, suggestion_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    with read_session(engine) as session:
        row = session.execute(_query().where(Suggestion.id == suggestion_id)).first()
    if row is None or not (actor.is_admin or row.unit_id == actor.unit_id):
        raise PermissionDenied("ledgers.error.other_unit")
    return _shown(actor, row)


@permits(Action.READ_LEDGERS)
def suggestion_of_record(actor: Actor | None, record_id: int, *, engine: Engine | None = None) -> dict[str, Any] | None:
    """The suggestion a record made, for the record's own page; None when there is none (yet)."""
    with read_session(engine) as session:
        row = session.execute(_query().where(Suggestion.record_id == record_id)).first()
    if row is None or not (actor.is_admin or row.unit_id == actor.unit_id):
        return None
    return _shown(actor, row)


@public_read
def divisions(engine: Engine | None = None) -> list[dict[str, Any]]:
    """The department's own divisions (处室), which suggestions are routed to."""
    with read_session(engine) as session:
        rows = session.execute(
            select(Unit.id, Unit.name_zh, Unit.name_en)
            .where(Unit.kind == "division", Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id)
        ).all()
    return [dict(row._mapping) for row in rows]


# --- the office's commands --------------------------------------------------------------------


def _snapshot(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "status": suggestion.status, "division_id": suggestion.division_id, "answer": suggestion.answer,
        "reason": suggestion.decision_reason,
        "adopted_on": suggestion.adopted_on.isoformat() if suggestion.adopted_on else None,
    }


def _require_division(session: Session, division_id: int) -> None:
    kind = session.scalar(select(Unit.kind).where(Unit.id == division_id, Unit.active.is_(True)))
    if kind != "division":
        raise ValidationFailed([("division", "ledgers.problem.not_division", {})])


def _to_change(session: Session, suggestion_id: int, expected_version: int | None) -> Suggestion:
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise ValidationFailed([("suggestion", "ledgers.problem.not_found", {})])
    if expected_version is not None and suggestion.version != expected_version:
        raise ConflictError()
    return suggestion


@permits(Action.REVIEW)
def route_suggestion(
    actor: Actor | None, suggestion_id: int, division_id: int | None, *,
    expected_version: int | None = None, engine: Engine | None = None,
) -> None:
    """Hand a suggestion to a division (承办处室) to study; None takes it back. Its status stays."""
    with command(actor, Action.REVIEW, engine=engine) as cmd:
        suggestion = _to_change(cmd.session, suggestion_id, expected_version)
        if division_id is not None:
            _require_division(cmd.session, division_id)
        before = _snapshot(suggestion)
        suggestion.division_id = division_id
        cmd.log("suggestion.route", suggestion, {"before": before, "after": _snapshot(suggestion)})


@permits(Action.REVIEW)
def answer_suggestion(
    actor: Actor | None,
    suggestion_id: int,
    *,
    status: str,
    answer: str,
    reason: str = "",
    division_id: int | None = None,
    today: dt.date | None = None,
    expected_version: int | None = None,
    engine: Engine | None = None,
) -> None:
    """Answer (or change the answer to) a suggestion: adopted, partly adopted or not adopted.

    The reply is required; a reason too unless it is adopted in full. The adoption date is set
    when it becomes adopted and kept while it stays so, which dates the bonus exactly once.
    """
    answer, reason = clean_text(answer), clean_text(reason)
    problems = check_decision(status, answer, reason)
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.REVIEW, engine=engine) as cmd:
        suggestion = _to_change(cmd.session, suggestion_id, expected_version)
        if division_id is not None:
            _require_division(cmd.session, division_id)
            suggestion.division_id = division_id
        before = _snapshot(suggestion)
        suggestion.adopted_on = adopted_on_after(status, suggestion.status, suggestion.adopted_on, today or office_today())
        suggestion.status = status
        suggestion.answer = answer
        suggestion.decision_reason = reason
        suggestion.answered_at = utc_now()
        suggestion.answered_by = cmd.actor.user_id
        cmd.log("suggestion.answer", suggestion, {"before": before, "after": _snapshot(suggestion)})


@permits(Action.ENTER_RECORD)
def set_anonymous(
    actor: Actor | None, suggestion_id: int, anonymous: bool, *, engine: Engine | None = None
) -> None:
    """The submitter hides or shows their own name (hiding only while the office allows it).
    Nobody else may: not the unit's reporter, not the office."""
    with command(actor, Action.ENTER_RECORD, engine=engine) as cmd:
        suggestion = cmd.session.get(Suggestion, suggestion_id)
        if suggestion is None:
            raise ValidationFailed([("suggestion", "ledgers.problem.not_found", {})])
        if cmd.actor.cadre_id is None or suggestion.cadre_id != cmd.actor.cadre_id:
            raise PermissionDenied("ledgers.error.own_only")
        if anonymous and not anonymous_setting(cmd.session):
            raise ValidationFailed([("anonymous", "ledgers.problem.anonymous_off", {})])
        before = suggestion.anonymous
        suggestion.anonymous = anonymous
        cmd.log("suggestion.anonymous", suggestion, {"before": before, "after": anonymous})
