"""The whole domain as SQLAlchemy 2.0 typed mappings.

Names are English; the Chinese term stands beside the domain ones. Every table that boards
aggregate over has the index its query needs (see the Index() declarations at the bottom of
each class), because the boards run GROUP BY in SQL rather than loading rows into pandas.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from core.clock import office_today
from core.enums import HonourStatus, RecordStatus, Role, RuleSetStatus


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- the organization -------------------------------------------------------------------------


class ComparisonGroup(Base):
    """比较组: units are ranked only against units of the same group."""

    __tablename__ = "comparison_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    sort_order: Mapped[int] = mapped_column(default=0)
    # A deactivated group leaves every choice of groups; its units (all inactive) keep their history.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Unit(Base):
    """单位: the city department, its divisions (处室), district departments, city-level departments."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("comparison_group.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # city_office / division / district / department
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    group: Mapped[ComparisonGroup | None] = relationship()
    branches: Mapped[list[Branch]] = relationship(back_populates="unit")


class Branch(Base):
    """党支部 or 党小组 below a unit; a 党小组 has its 党支部 as parent."""

    __tablename__ = "branch"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="branch")  # branch / group
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit] = relationship(back_populates="branches")
    __table_args__ = (UniqueConstraint("unit_id", "name"),)


class Cadre(Base):
    """组工干部. A unit's headcount is its active cadres."""

    __tablename__ = "cadre"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"))
    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(1), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[str] = mapped_column(String(60), default="")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)  # 领导干部
    is_principal: Mapped[bool] = mapped_column(Boolean, default=False)  # 主要负责人
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The stable key the roster import matches people by (工号, the office's code, or a hash of
    # the 身份证 number: core.import_rules.person_code), so a renamed or moved person is updated.
    code: Mapped[str | None] = mapped_column(String(64))

    unit: Mapped[Unit] = relationship()
    branch: Mapped[Branch | None] = relationship()
    memberships: Mapped[list[CadreMembership]] = relationship(back_populates="cadre", order_by="CadreMembership.id")
    __table_args__ = (
        Index("ix_cadre_unit_active", "unit_id", "active"),
        Index("ux_cadre_code", "code", unique=True),
    )


# The date history starts from when nobody said otherwise: a person added or back-filled without a
# date has belonged to their unit "since always", so every past period counts them.
MEMBERSHIP_EPOCH = dt.date(2000, 1, 1)


class CadreMembership(Base):
    """任职记录: where a cadre belonged and whether they were active, from valid_from (inclusive)
    to valid_to (exclusive; None = still so). Headcounts of past periods read this, not today's
    roster. Kept by `_keep_membership_history` below, whatever path changes a cadre."""

    __tablename__ = "cadre_membership"
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    cadre: Mapped[Cadre] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship()
    branch: Mapped[Branch | None] = relationship()
    __table_args__ = (
        Index("ix_membership_cadre", "cadre_id", "valid_to"),
        Index("ix_membership_unit", "unit_id", "active", "valid_from", "valid_to"),
    )


# Session.info key: the day a change made in this session takes effect (a move recorded late);
# the office's today when unset.
MEMBERSHIP_EFFECTIVE_KEY = "membership_effective_on"


def _placement(cadre: Cadre, changed: bool) -> dict[str, Any]:
    """Where the cadre now is, whether it was set by id or by relationship (ids of a relationship
    set in this session are filled in only by the flush that follows)."""
    state = inspect(cadre)
    placement: dict[str, Any] = {"active": cadre.active}
    for name in ("unit", "branch"):
        by_object = state.attrs[name].history.has_changes() if changed else getattr(cadre, f"{name}_id") is None
        if by_object and getattr(cadre, name) is not None:
            placement[name] = getattr(cadre, name)
        else:
            placement[f"{name}_id"] = getattr(cadre, f"{name}_id")
    return placement


@event.listens_for(Session, "before_flush")
def _keep_membership_history(session: Session, _context: Any, _instances: Any) -> None:
    """Every new cadre gets an open membership; every change of unit, branch or active flag closes
    the open one and opens the next. Done here, for every path that writes a cadre through the ORM
    (the roster page, the import, anything later), so that history cannot be forgotten."""
    effective = session.info.get(MEMBERSHIP_EFFECTIVE_KEY)
    watched = ("unit_id", "unit", "branch_id", "branch", "active")
    with session.no_autoflush:
        for cadre in [item for item in session.new if isinstance(item, Cadre)]:
            if not cadre.memberships:
                cadre.memberships.append(CadreMembership(valid_from=effective or MEMBERSHIP_EPOCH, **_placement(cadre, False)))
        for cadre in [item for item in session.dirty if isinstance(item, Cadre)]:
            state = inspect(cadre)
            if not any(state.attrs[name].history.has_changes() for name in watched):
                continue
            day = effective or office_today()
            for open_row in cadre.memberships:
                if open_row.valid_to is None:
                    open_row.valid_to = day
            cadre.memberships.append(CadreMembership(valid_from=day, **_placement(cadre, True)))


# --- the campaign -----------------------------------------------------------------------------


class Campaign(Base):
    """A campaign (活动) with its dates; young cadres are those born in or after young_born_from."""

    __tablename__ = "campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    young_born_from: Mapped[int] = mapped_column(Integer, default=1991)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: closed, read-only (db.campaigns)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class CampaignActivityType(Base):
    """Which activity types a campaign uses: its entry forms, imports and boards offer only these."""

    __tablename__ = "campaign_activity_type"
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"), primary_key=True)


class Period(Base):
    """A named reporting period of a campaign (month, quarter) that boards and surveys refer to."""

    __tablename__ = "period"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    kind: Mapped[str] = mapped_column(String(10))  # month / quarter
    label: Mapped[str] = mapped_column(String(20))  # 2026-05, 2026Q2
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("campaign_id", "kind", "label"),)


class CampaignTarget(Base):
    """必做任务: a campaign's mandatory target — who must do which activity how many times, by when.

    The catalogue's mandatory_basis/mandatory_count are only the defaults a new campaign starts
    from; boards, supervision and reports read the campaign's own targets. `weight` lets the
    office weigh a task more in the completion mean (core completion), 1 by default.
    """

    __tablename__ = "campaign_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    basis: Mapped[str] = mapped_column(String(20))  # core.enums.TargetBasis
    count: Mapped[int] = mapped_column(Integer, default=1)  # how many per principal/branch/cadre/unit
    due_on: Mapped[dt.date] = mapped_column(Date)  # 截止日期; overdue after this day
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    sort_order: Mapped[int] = mapped_column(default=0)

    type: Mapped[ActivityType] = relationship()
    __table_args__ = (UniqueConstraint("campaign_id", "type_id"),)


class ActivityType(Base):
    """活动目录: one entry per kind of thing the document asks people to do; editable data."""

    __tablename__ = "activity_type"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    area: Mapped[str] = mapped_column(String(30))  # the document's 总体部署 section
    level: Mapped[str] = mapped_column(String(10))  # unit / branch / person
    default_points: Mapped[float] = mapped_column(Float)
    # What a record of this type must carry: the form's fields and the evidence rules.
    fields: Mapped[list[Any]] = mapped_column(default=list)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Mandatory target: per_principal / per_branch / per_cadre / per_unit, with the count.
    mandatory_basis: Mapped[str | None] = mapped_column(String(20))
    mandatory_count: Mapped[int] = mapped_column(Integer, default=0)
    is_study: Mapped[bool] = mapped_column(Boolean, default=False)  # appears in the 展评 gallery
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


RECORD_STATUSES = tuple(RecordStatus)


class ActivityRecord(Base):
    """One thing done: 待审核 (pending) until the office approves it; only approved records score."""

    __tablename__ = "activity_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("activity_type.id"))
    title: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=RecordStatus.DRAFT)
    return_reason: Mapped[str | None] = mapped_column(Text)
    participants: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # A deleted record keeps its row: status "deleted", the status it had, and when.
    deleted_from: Mapped[str | None] = mapped_column(String(10))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Set by the entry form once per form; a double submit finds the first record instead of
    # writing a second one.
    client_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    # Optimistic locking: a second editor of the same row gets StaleDataError, not a lost update.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    type: Mapped[ActivityType] = relationship()
    unit: Mapped[Unit] = relationship()
    cadre: Mapped[Cadre | None] = relationship()
    branch: Mapped[Branch | None] = relationship()
    # The record's photos; one removed while editing stays in the database, marked deleted
    # (Attachment.deleted_at), and only removed_photos sees it.
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="record", cascade="all, delete-orphan",
        primaryjoin="and_(Attachment.record_id == ActivityRecord.id, Attachment.deleted_at.is_(None))",
    )
    removed_photos: Mapped[list[Attachment]] = relationship(
        primaryjoin="and_(Attachment.record_id == ActivityRecord.id, Attachment.deleted_at.is_not(None))",
        viewonly=True,
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # Covering index of the leaderboard: approved records of a campaign by date, unit, type.
        Index(
            "ix_record_board",
            "campaign_id", "status", "occurred_on", "unit_id", "type_id", "cadre_id",
        ),
        # Covering index of the mandatory-task progress (db.board_queries.mandatory_progress).
        Index(
            "ix_record_mandatory",
            "campaign_id", "status", "type_id", "occurred_on", "unit_id", "cadre_id", "branch_id",
        ),
        Index("ix_record_unit_status", "unit_id", "status", "occurred_on"),
        Index("ix_record_review_queue", "status", "submitted_at"),
        # The office's desk: records approved this week (0026_unit_tally).
        Index("ix_record_reviewed", "status", "reviewed_at"),
        Index("ix_record_cadre", "cadre_id", "type_id"),
        Index("ix_record_branch", "branch_id", "type_id"),
    )


class Attachment(Base):
    """An evidence picture, stored in the database with its thumbnail (no shared file system needed)."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("activity_record.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # removed from its record, kept

    record: Mapped[ActivityRecord] = relationship(back_populates="attachments")
    __table_args__ = (Index("ix_attachment_record", "record_id"),)


# --- study records and 展评 -------------------------------------------------------------------


class Book(Base):
    """A book that notes and recommendations refer to, with a generated cover."""

    __tablename__ = "book"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(120), default="")
    cover: Mapped[bytes | None] = mapped_column(LargeBinary)
    __table_args__ = (UniqueConstraint("title", "author"),)


class StudyRecord(Base):
    """读书笔记 / 荐书 / 学习日笔记: the gallery's part of an activity record."""

    __tablename__ = "study_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("activity_record.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # note / recommendation / study_day / forum
    book_id: Mapped[int | None] = mapped_column(ForeignKey("book.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    takeaway: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(200), default="")
    # Words of title, book, note and takeaway cut into overlapping two-character pieces, so that a
    # two-character Chinese word can be found by a full-text index (see db/gallery search).
    search_text: Mapped[str] = mapped_column(Text, default="")
    featured: Mapped[bool] = mapped_column(Boolean, default=False)  # 精选
    featured_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    like_count: Mapped[int] = mapped_column(Integer, default=0)

    record: Mapped[ActivityRecord] = relationship()
    book: Mapped[Book | None] = relationship()
    __table_args__ = (
        Index("ix_study_featured", "featured", "featured_at"),
        # A book's notes from the index alone (0027_book_tally), without reading the notes' text.
        Index("ix_study_book_record", "book_id", "record_id"),
    )


class StudyLike(Base):
    __tablename__ = "study_like"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study_record.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    __table_args__ = (
        UniqueConstraint("study_id", "user_id"),
        Index("ix_like_user_day", "user_id", "created_at"),
    )


class StudyRating(Base):
    """A reviewer's rubric score (1-5 each) of a study record."""

    __tablename__ = "study_rating"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study_record.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    depth: Mapped[int] = mapped_column(Integer)  # 思想深度
    practice: Mapped[int] = mapped_column(Integer)  # 联系实际
    writing: Mapped[int] = mapped_column(Integer)  # 文字表达
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    __table_args__ = (UniqueConstraint("study_id", "reviewer_id"),)


# --- suggestions, problems, surveys -----------------------------------------------------------


class Suggestion(Base):
    """日常建议征集: a cadre's suggestion, made by a 建议征集 record, and the office's answer.

    status: core.ledgers.SuggestionStatus ("submitted" until answered). adopted_on is the day the
    office adopted it (in full or in part): the adopted-suggestion bonus is dated by it.
    """

    __tablename__ = "suggestion"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_record.id", ondelete="CASCADE"), unique=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="submitted")  # core.ledgers.SuggestionStatus
    answer: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    # 匿名: the submitter is hidden on every page and export; the unit still gets the credit.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    division_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # 承办处室
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_suggestion_adopted", "status", "adopted_on", "unit_id"),)


class Problem(Base):
    """突出问题台账: a problem found on a grassroots visit or entered by the office, and its fate.

    status: core.ledgers.ProblemStatus; solved_on is set exactly while the status is "solved"
    (the solved-problem bonus is dated by it, supervision reads overdue ones from it).
    """

    __tablename__ = "problem"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("activity_record.id", ondelete="SET NULL"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # the owner unit (责任单位)
    source: Mapped[str] = mapped_column(String(20))  # grassroots_visit / supervision / complaint
    description: Mapped[str] = mapped_column(Text)
    found_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    solved_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open", server_default="open")
    resolution: Mapped[str] = mapped_column(Text, default="", server_default="")  # 整改情况
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_problem_unit", "unit_id", "solved_on"),
        Index("ix_problem_due", "status", "due_on"),
    )


class ProblemEvidence(Base):
    """整改佐证: a picture that shows a problem solved, cleaned like every upload (core.images)."""

    __tablename__ = "problem_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class SurveyScore(Base):
    """选人用人公信度 and 组织工作满意度 of a unit for one period (0-100)."""

    __tablename__ = "survey_score"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    credibility: Mapped[float] = mapped_column(Float)  # 公信度
    satisfaction: Mapped[float] = mapped_column(Float)  # 满意度
    respondents: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)


# --- scoring ----------------------------------------------------------------------------------


class RuleSet(Base):
    """A versioned scoring rule set. Each version that was published is in force from its
    effective_from (an office date) until the next one's; drafts, and drafts set aside
    unpublished, have none."""

    __tablename__ = "rule_set"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default=RuleSetStatus.DRAFT)  # draft/published/archived
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)


class PresenterSnapshot(Base):
    """A meeting snapshot: the rankings frozen at a moment, so the screen matches the handout."""

    __tablename__ = "presenter_snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)  # boards, group, period
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the frozen figures


# --- people who sign in, and what they did ----------------------------------------------------

ROLES = tuple(Role)


class User(Base):
    """An account. Reporters are scoped to one unit; cadres are linked to their cadre row."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when the office hands out a password (new account, reset): the person must choose
    # their own at the next sign-in before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class SignInThrottle(Base):
    """Recent failed sign-ins of one account name or one client address (core.security.throttle_delay).

    Keyed by the name as typed, whether or not such an account exists, so that unknown and
    known names are throttled alike and the table says nothing about which accounts exist.
    """

    __tablename__ = "sign_in_throttle"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # "account:<name>" / "address:<ip>"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SignedOutSession(Base):
    """A session token whose owner signed out: refused until it would have expired anyway.

    Tokens are otherwise stateless (core.session_tokens); only the digest is kept, never the token.
    """

    __tablename__ = "signed_out_session"
    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class AppMeta(Base):
    """Key/value facts about this database: the data version that caches key on, demo flag."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)



# --- reports: the honour roll (光荣榜) and the briefings (简报) ---------------------------------


class HonourRoll(Base):
    """光荣榜 of one period: drafted by the office from the rankings' suggestions, then published.

    Published rolls are kept as issued; a period has at most one roll.
    """

    __tablename__ = "honour_roll"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    period_kind: Mapped[str] = mapped_column(String(10))  # core.periods.PERIOD_KINDS
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=HonourStatus.DRAFT)  # core.enums.HonourStatus
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # who withdrew it: the audit log
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    entries: Mapped[list[HonourEntry]] = relationship(
        back_populates="roll", cascade="all, delete-orphan", order_by="HonourEntry.sort_order"
    )
    __table_args__ = (UniqueConstraint("campaign_id", "start_date", "end_date"),)


class HonourEntry(Base):
    """One name on a roll: an advanced unit (先进单位) or an outstanding cadre (优秀组工干部)."""

    __tablename__ = "honour_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    roll_id: Mapped[int] = mapped_column(ForeignKey("honour_roll.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # unit / cadre
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"))
    basis: Mapped[str] = mapped_column(String(20))  # why suggested: group_top / climber / featured_author / office
    citation: Mapped[str] = mapped_column(Text)  # 事迹: the office's words on the roll
    sort_order: Mapped[int] = mapped_column(default=0)

    roll: Mapped[HonourRoll] = relationship(back_populates="entries")
    unit: Mapped[Unit] = relationship()
    cadre: Mapped[Cadre | None] = relationship()


class Briefing(Base):
    """One issue of the 《组工动态》-style briefing, kept exactly as issued (both files' bytes)."""

    __tablename__ = "briefing"
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_number: Mapped[int] = mapped_column(Integer, unique=True)  # 期号
    title: Mapped[str] = mapped_column(String(200))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    period_kind: Mapped[str] = mapped_column(String(10))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("comparison_group.id"))  # None: every unit
    lead: Mapped[str] = mapped_column(Text, default="")
    docx: Mapped[bytes] = mapped_column(LargeBinary)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class RecordImport(Base):
    """One Excel file of records that was imported: its content's fingerprint, so that the same
    file uploaded again is recognised before its records are saved a second time."""

    __tablename__ = "record_import"
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # core.import_rules.content_hash
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    type_code: Mapped[str] = mapped_column(String(40))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class RecordDayTally(Base):
    """Approved records per campaign, day, unit, type, person and branch (db/summaries.py): what
    the boards count, kept current by database triggers on activity_record in the same
    transaction as every write. No person or no branch is 0 here (NULL cannot be a key)."""

    __tablename__ = "record_day_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class RecordPersonTally(Base):
    """The same counts over the whole campaign, one row per unit, type, person and branch: a
    period covering most of the campaign is this minus the days outside it (db/summaries.py)."""

    __tablename__ = "record_person_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    # A type's rows (a branch's mandatory task) without reading the whole campaign (0026_unit_tally).
    __table_args__ = (Index("ix_person_tally_type", "campaign_id", "type_id"), {"sqlite_with_rowid": False})


class RecordUnitMonthTally(Base):
    """Approved records per campaign, month (its first day), unit and type (migration
    0025_month_tally): a period of whole months is summed from these few rows."""

    __tablename__ = "record_unit_month_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


# The per-person summaries' indexes on the count carry the unit and the person on PostgreSQL, so
# a board reads them from the index alone (0026_unit_tally); SQLite's carry the whole key anyway.
CARRIED_BY_COUNT_INDEXES = ["unit_id", "cadre_id"]


class RecordUnitTally(Base):
    """Approved records per campaign, unit and type over the whole campaign (migration
    0026_unit_tally): a whole-campaign board reads one row per unit and type."""

    __tablename__ = "record_unit_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class RecordBookTally(Base):
    """Approved study records and their likes per campaign, book, kind and person (0: naming
    nobody) (migration 0027_book_tally, kept by triggers on activity_record and study_record):
    the books page sums a few rows per book instead of reading every note."""

    __tablename__ = "record_book_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    book_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    cadre_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    likes: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class BonusMonthTally(Base):
    """Suggestions adopted (in full or in part) and problems solved per bonus kind, month and
    unit (migration 0028_bonus_tally, kept by triggers on suggestion and problem): a board sums a
    row per unit and month for the months its period holds whole, and reads the ledgers only for
    the days of the months it cuts."""

    __tablename__ = "bonus_month_tally"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class RecordCadreMonthTally(Base):
    """Approved records per campaign, month, unit, type and person (0: naming nobody), indexed by
    the count so that the people over a monthly cap are found without reading everyone."""

    __tablename__ = "record_cadre_month_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_cadre_month_tally_count", "campaign_id", "month", "type_id", "records", postgresql_include=CARRIED_BY_COUNT_INDEXES), {"sqlite_with_rowid": False})


class RecordCadreQuarterTally(Base):
    """The same per quarter (its first day): the people over a cap on a quarter's board."""

    __tablename__ = "record_cadre_quarter_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_cadre_quarter_tally_count", "campaign_id", "quarter", "type_id", "records", postgresql_include=CARRIED_BY_COUNT_INDEXES), {"sqlite_with_rowid": False})


class RecordCadreTally(Base):
    """The same per person over the whole campaign: the people over a cap on a whole-campaign board."""

    __tablename__ = "record_cadre_tally"
    campaign_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cadre_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_cadre_tally_count", "campaign_id", "type_id", "records", postgresql_include=CARRIED_BY_COUNT_INDEXES), {"sqlite_with_rowid": False})


class StudyTag(Base):
    """Every tag the office has filed a note under, kept in the same write as the tags (migration
    0023_search): the gallery's tag filter lists these instead of reading every note."""

    __tablename__ = "study_tag"
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)
