"""What people do in the gallery: like (signed in), rate, feature and tag (the office only).

Each command runs through db.command.command: who may do it (core/permissions: a read-only
viewer may not like), validation, the write and its audit in one transaction. A like
writes the StudyLike row and moves StudyRecord.like_count in the same transaction, so the
count always equals the rows; a cap on likes per person in any 24 hours stops farming.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from core.permissions import Action
from core.search import with_tags
from db.access import Actor, PermissionDenied, ValidationFailed, in_transaction, no_actor, permits
from db.campaigns import ensure_open
from db.command import Command, command
from db.gallery import RUBRIC, remember_tags, shown_study
from db.models import ActivityRecord, StudyLike, StudyRating, StudyRecord, User

LIKES_PER_DAY = 30  # per person, in any 24 hours
COMMENT_MAX = 500
TAGS_MAX = 5
TAG_MAX_LEN = 12


@dataclass(frozen=True)
class LikeState:
    liked: bool
    like_count: int


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _shown_or_refuse(cmd: Command, study_id: int) -> StudyRecord:
    """The shown study record, if its campaign is still open (a closed one is read-only)."""
    study = shown_study(cmd.session, study_id)
    if study is None:
        raise PermissionDenied("gallery.error.not_shown")
    ensure_open(cmd.session, cmd.session.get(ActivityRecord, study.record_id).campaign_id)
    return cmd.watch(study)


@in_transaction
def likes_last_day(session: Session, user_id: int, now: dt.datetime) -> int:
    """Likes the person gave in the 24 hours before `now` (index ix_like_user_day)."""
    return session.scalar(
        select(func.count()).where(StudyLike.user_id == user_id, StudyLike.created_at > now - dt.timedelta(days=1))
    )


@permits(Action.LIKE)
def like(actor: Actor | None, study_id: int, *, engine: Engine | None = None, now: dt.datetime | None = None) -> LikeState:
    """Like a shown record once; liking again changes nothing. Own records and the cap are refused."""
    now = now or _utcnow()
    with command(actor, Action.LIKE, engine=engine) as cmd:
        session, actor = cmd.session, cmd.actor
        # One person's likes queue behind each other, so two quick clicks cannot both pass the cap
        # (SQLite's BEGIN IMMEDIATE already serialises; this is for PostgreSQL).
        session.execute(select(User.id).where(User.id == actor.user_id).with_for_update())
        study = _shown_or_refuse(cmd, study_id)
        record = session.get(ActivityRecord, study.record_id)
        if record.created_by == actor.user_id or (actor.cadre_id is not None and record.cadre_id == actor.cadre_id):
            raise PermissionDenied("gallery.error.own_record")
        already = session.scalar(select(StudyLike.id).where(StudyLike.study_id == study_id, StudyLike.user_id == actor.user_id))
        if already is not None:
            return LikeState(True, study.like_count)
        if likes_last_day(session, actor.user_id, now) >= LIKES_PER_DAY:
            raise PermissionDenied("gallery.error.like_cap")
        session.add(StudyLike(study_id=study_id, user_id=actor.user_id, created_at=now))
        session.execute(update(StudyRecord).where(StudyRecord.id == study_id).values(like_count=StudyRecord.like_count + 1))
        session.refresh(study)
        cmd.log("study.like", study)
        return LikeState(True, study.like_count)


@permits(Action.LIKE)
def unlike(actor: Actor | None, study_id: int, *, engine: Engine | None = None) -> LikeState:
    """Take one's like back; without a like this changes nothing."""
    with command(actor, Action.LIKE, engine=engine) as cmd:
        session, actor = cmd.session, cmd.actor
        study = _shown_or_refuse(cmd, study_id)
        removed = session.execute(
            delete(StudyLike).where(StudyLike.study_id == study_id, StudyLike.user_id == actor.user_id)
        ).rowcount
        if removed:
            session.execute(update(StudyRecord).where(StudyRecord.id == study_id).values(like_count=StudyRecord.like_count - removed))
            session.refresh(study)
            cmd.log("study.unlike", study)
        return LikeState(False, study.like_count)


@permits(Action.CURATE)
def rate(
    actor: Actor | None,
    study_id: int,
    *,
    depth: int | None,
    practice: int | None,
    writing: int | None,
    comment: str = "",
    engine: Engine | None = None,
) -> None:
    """A reviewer's rubric score, 1-5 on each item; rating again replaces one's earlier rating."""
    scores = {"depth": depth, "practice": practice, "writing": writing}
    problems = [
        (item, "validation.out_of_range", {"min": 1, "max": 5})
        for item in RUBRIC
        if not isinstance(scores[item], int) or isinstance(scores[item], bool) or not 1 <= scores[item] <= 5
    ]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        problems.append(("comment", "validation.too_long", {"max": COMMENT_MAX}))
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.CURATE, engine=engine) as cmd:
        _shown_or_refuse(cmd, study_id)
        reviewer = cmd.actor.user_id
        rating = cmd.session.scalar(select(StudyRating).where(StudyRating.study_id == study_id, StudyRating.reviewer_id == reviewer))
        if rating is None:
            rating = StudyRating(study_id=study_id, reviewer_id=reviewer)
            cmd.session.add(rating)
        else:
            cmd.watch(rating)
        rating.depth, rating.practice, rating.writing = depth, practice, writing
        rating.comment = comment
        rating.created_at = _utcnow()
        cmd.log("study.rate", rating, {"study_id": study_id, **scores, "comment": comment})


@permits(Action.CURATE)
def set_featured(actor: Actor | None, study_id: int, featured: bool, *, engine: Engine | None = None) -> None:
    """Mark a record 精选 (it then earns the featured bonus and joins the presenter's highlights), or unmark it."""
    with command(actor, Action.CURATE, engine=engine) as cmd:
        study = _shown_or_refuse(cmd, study_id)
        if study.featured == featured:
            return
        study.featured = featured
        study.featured_at = _utcnow() if featured else None
        cmd.log("study.feature" if featured else "study.unfeature", study)


@no_actor
def clean_tags(tags: list[str]) -> tuple[list[str], list[tuple[str, str, dict]]]:
    """Tags trimmed and de-duplicated in order, with any problems (too many, too long, not only letters and digits).

    Letters and digits only, because a tag is stored comma-separated and indexed as one token.
    """
    cleaned = list(dict.fromkeys(tag.strip() for tag in tags if tag and tag.strip()))
    problems: list[tuple[str, str, dict]] = []
    if len(cleaned) > TAGS_MAX:
        problems.append(("tags", "gallery.error.too_many_tags", {"max": TAGS_MAX}))
    if any(len(tag) > TAG_MAX_LEN for tag in cleaned):
        problems.append(("tags", "validation.too_long", {"max": TAG_MAX_LEN}))
    if not all(tag.isalnum() for tag in cleaned):
        problems.append(("tags", "gallery.error.tag_characters", {}))
    return cleaned, problems


@permits(Action.CURATE)
def set_tags(actor: Actor | None, study_id: int, tags: list[str], *, engine: Engine | None = None) -> list[str]:
    """The office files a record under themes (理想信念, 作风建设 ...) that the gallery filters by."""
    cleaned, problems = clean_tags(tags)
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.CURATE, engine=engine) as cmd:
        study = _shown_or_refuse(cmd, study_id)
        study.tags = ",".join(cleaned)
        study.search_text = with_tags(study.search_text, cleaned)
        remember_tags(cmd.session, cleaned)
        cmd.log("study.tags", study, {"tags": cleaned})
    return cleaned
