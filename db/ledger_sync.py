"""The ledgers' rows that activity records make, kept in step on every save (db.records.save_record):
a 建议征集 record makes a suggestion, a 下基层调研 record one problem per line of its problem list.

This module imports nothing from db.records, which calls it; the ledgers' commands live in
db/suggestions.py and db/problems.py.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.enums import RecordStatus
from core.ledgers import DEFAULT_DUE_DAYS, ProblemStatus, SuggestionStatus, problem_lines
from db.access import Actor, ValidationFailed, in_transaction
from db.models import ActivityRecord, AppMeta, Problem, Suggestion

ANONYMOUS_KEY = "suggestions_allow_anonymous"
SUGGESTION_TYPE = "suggestion"
VISIT_TYPE = "grassroots_visit"
VISIT_SOURCE = "grassroots_visit"
# Records whose ledger rows exist: a draft is not yet anyone's business.
LIVE_RECORDS = (RecordStatus.PENDING, RecordStatus.APPROVED)


@in_transaction
def anonymous_setting(session: Session) -> bool:
    """Whether the office allows anonymous suggestions (off unless it says so)."""
    return session.scalar(select(AppMeta.value).where(AppMeta.key == ANONYMOUS_KEY)) == "1"


@in_transaction
def sync_ledgers(
    session: Session, actor: Actor, record: ActivityRecord, type_code: str, cleaned: dict[str, Any], raw: dict[str, Any]
) -> None:
    """Keep the suggestion or the visit's problems of `record` in step with it (others: nothing).

    `raw` is what the form sent: a suggestion's anonymity is not a field of the record itself;
    without the key (the generic record form) the suggestion keeps what it had.
    """
    if type_code == SUGGESTION_TYPE:
        anonymous = bool(raw["anonymous"]) if "anonymous" in raw else None
        _sync_suggestion(session, record, cleaned, anonymous=anonymous)
    elif type_code == VISIT_TYPE:
        _sync_visit_problems(session, actor, record, cleaned)


def _sync_suggestion(session: Session, record: ActivityRecord, cleaned: dict[str, Any], *, anonymous: bool | None) -> None:
    """A draft has no suggestion: one not answered yet goes when its record goes back to draft."""
    if anonymous and not anonymous_setting(session):
        raise ValidationFailed([("anonymous", "ledgers.problem.anonymous_off", {})])
    suggestion = session.scalar(select(Suggestion).where(Suggestion.record_id == record.id))
    if record.status not in LIVE_RECORDS:
        if suggestion is not None and suggestion.status == SuggestionStatus.SUBMITTED:
            session.delete(suggestion)
        return
    if suggestion is None:
        suggestion = Suggestion(record_id=record.id, status=SuggestionStatus.SUBMITTED, anonymous=bool(anonymous))
        session.add(suggestion)
    elif anonymous is not None:
        suggestion.anonymous = anonymous
    suggestion.unit_id = record.unit_id
    suggestion.cadre_id = record.cadre_id
    suggestion.title = record.title
    suggestion.body = cleaned.get("content", "")


def _untouched(problem: Problem) -> bool:
    """Nobody has worked on it yet: an edit of the visit report may still take it back."""
    return problem.status == ProblemStatus.OPEN and not problem.resolution


def _sync_visit_problems(session: Session, actor: Actor, record: ActivityRecord, cleaned: dict[str, Any]) -> None:
    """One open problem per line of the visit's problem list, owned by the record's unit and due
    DEFAULT_DUE_DAYS after the visit. Lines taken out of the report take their problems with
    them while nobody has worked on those; problems in progress or closed stay."""
    lines = problem_lines(cleaned.get("problem_list")) if record.status in LIVE_RECORDS else []
    existing = session.scalars(select(Problem).where(Problem.record_id == record.id)).all()
    known = {problem.description for problem in existing}
    for problem in existing:
        if problem.description not in lines and _untouched(problem):
            session.delete(problem)
    for line in lines:
        if line not in known:
            session.add(
                Problem(
                    record_id=record.id, unit_id=record.unit_id, source=VISIT_SOURCE, description=line,
                    found_on=record.occurred_on, due_on=record.occurred_on + dt.timedelta(days=DEFAULT_DUE_DAYS),
                    status=ProblemStatus.OPEN, created_by=actor.user_id,
                )
            )
