"""读书笔记展评 — the gallery of study records: pages of cards, search, detail, books, highlights.

Only approved records of the active campaign are shown. Reading is open to anonymous visitors
when PUBLIC_READ is on; liking, rating and featuring live in db/gallery_actions.py.

Every list runs one indexed query, its count (capped at COUNT_CAP) in the same statement: the
page of cards walks ix_record_board (campaign, status, date) newest first and stops after a page;
a search walks the full-text index newest first (SQLite FTS5 of migration 0003, PostgreSQL's
stored search vector of 0023_search). Pictures are fetched afterwards for the page's rows only,
and only as thumbnails.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    and_,
    false,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.orm import Session

from core.clock import office_today
from core.config import load_settings
from core.enums import RecordStatus
from core.search import fts5_match, search_phrases
from db.access import Actor, PermissionDenied, in_transaction, no_actor, public_read
from db.board_queries import through_the_featured_index
from db.campaigns import browsed_campaign
from db.catalog_defaults import STUDY_KINDS
from db.engine import read_session
from db.models import (
    ActivityRecord,
    ActivityType,
    Attachment,
    Book,
    Cadre,
    Campaign,
    RecordBookTally,
    StudyLike,
    StudyRating,
    StudyRecord,
    StudyTag,
    Unit,
    User,
)
from db.people_boards import may_see_names, names_hidden_in
from db.records import active_campaign
from db.summaries import NO_ID

PAGE_SIZE = 24
# Counting stops here: a page says "10,000+" instead of counting every match of a common word.
COUNT_CAP = 10_000
HIGHLIGHT_DAYS = 30
KINDS = tuple(dict.fromkeys(STUDY_KINDS.values()))  # note, recommendation, study_day, forum
RUBRIC = ("depth", "practice", "writing")  # 思想深度、联系实际、文字表达

# The FTS5 table of migration 0003, described apart from the models' metadata on purpose.
_search_table = Table("study_search", MetaData(), Column("rowid", Integer), Column("search_text", Text))
_SIMPLE = literal_column("'simple'::regconfig")


@dataclass(frozen=True)
class GalleryFilter:
    """What a visitor narrowed the gallery to; every field is optional."""

    query: str = ""
    kind: str | None = None  # note / recommendation / study_day / forum
    unit_id: int | None = None
    group_id: int | None = None
    month: dt.date | None = None  # any day of the month
    tag: str | None = None
    featured_only: bool = False
    book_id: int | None = None
    campaign_id: int | None = None  # None: the current campaign (db.campaigns.browsed_campaign)


@dataclass(frozen=True)
class GalleryPage:
    cards: list[dict[str, Any]]
    total: int  # up to COUNT_CAP + 1; see capped
    page: int
    pages: int

    @property
    def capped(self) -> bool:
        """More than COUNT_CAP cards: show the total as "10,000+"."""
        return self.total > COUNT_CAP


@public_read
def require_reader(actor: Actor | None) -> None:
    """The gallery is public when PUBLIC_READ is on, like the leaderboard; otherwise sign in."""
    if actor is None and not load_settings().public_read:
        raise PermissionDenied("error.sign_in_required")


def _shown(campaign_id: int) -> list:
    return [
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.status == RecordStatus.APPROVED,
    ]


def _kind_types(kinds: tuple[str, ...]) -> Select:
    codes = [code for code, kind in STUDY_KINDS.items() if kind in kinds]
    return select(ActivityType.id).where(ActivityType.code.in_(codes))


@no_actor
def search_vector_matches(dialect: str, table, phrases: list[str]) -> list:  # noqa: ANN001 - a Table or an alias
    """PostgreSQL: rows of `table` whose stored search vector (migration 0023_search) holds every
    phrase. The vector answers "has all these bigrams" from the GIN index or row by row without
    re-running to_tsvector; adjacency of a longer word's bigrams is checked with strpos on the
    stored text, where the bigrams of one word stand in a row."""
    every_token = func.plainto_tsquery(_SIMPLE, " ".join(phrases))
    found = [literal_column(f"{table.name}.search_vector").op("@@")(every_token)]
    found += [func.strpos(table.c.search_text, phrase) > 0 for phrase in phrases if " " in phrase]
    return found


def _record_clauses(filters: GalleryFilter, campaign_id: int, kinds: tuple[str, ...] | None) -> list:
    """The filters on the activity record; `kinds` by the record's type (None: left to the caller)."""
    clauses = _shown(campaign_id) + ([ActivityRecord.type_id.in_(_kind_types(kinds))] if kinds else [])
    if filters.unit_id is not None:
        clauses.append(ActivityRecord.unit_id == filters.unit_id)
    if filters.group_id is not None:
        clauses.append(ActivityRecord.unit_id.in_(select(Unit.id).where(Unit.group_id == filters.group_id)))
    if filters.month is not None:
        first = filters.month.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        clauses.extend([ActivityRecord.occurred_on >= first, ActivityRecord.occurred_on < following])
    return clauses


def _study_clauses(filters: GalleryFilter, table) -> list:  # noqa: ANN001 - a Table or an alias
    clauses = []
    if filters.featured_only:
        clauses.append(table.c.featured == true())
    if filters.book_id is not None:
        clauses.append(table.c.book_id == filters.book_id)
    return clauses


def _searching(filters: GalleryFilter) -> bool:
    return bool(filters.query.strip() or filters.tag)


def _matching_ids(dialect: str, phrases: list[str], campaign_id: int, kinds: tuple[str, ...], filters: GalleryFilter | None = None) -> Select:
    """Ids of shown study records holding every phrase, newest entered first (by id, the order the
    full-text index keeps), so a page of a common word stops after a few dozen index entries.

    SQLite drives the query from the FTS5 table, which returns rowids in descending order without a
    sort; PostgreSQL walks study_record's primary key backwards testing the stored vector, or for
    a rare word takes the GIN index and sorts the few matches.
    """
    filters = filters or GalleryFilter()
    study = StudyRecord.__table__
    # The kind is filtered on the study record (the same as its record's type, db.study): on the
    # record's type through activity_type, PostgreSQL guessed a sixth of the matches and drove
    # the search from the records (2 s at 1M instead of walking the notes newest first).
    clauses = [*_record_clauses(filters, campaign_id, None), study.c.kind.in_(kinds), *_study_clauses(filters, study)]
    if dialect == "postgresql":
        return (
            select(study.c.id).join(ActivityRecord, ActivityRecord.id == study.c.record_id)
            .where(*search_vector_matches(dialect, study, phrases), *clauses)
            .order_by(study.c.id.desc())
        )
    return (
        select(study.c.id).select_from(_search_table)
        .join(study, study.c.id == _search_table.c.rowid)
        .join(ActivityRecord, ActivityRecord.id == study.c.record_id)
        .where(literal_column("study_search").op("MATCH")(fts5_match(phrases)), *clauses)
        .order_by(_search_table.c.rowid.desc())
    )


@no_actor
def conditions(filters: GalleryFilter, campaign_id: int, dialect: str) -> list:
    """WHERE clauses of the gallery browsed without words or tag (shared by the page and its count).

    Filters on the study record itself (featured, book) pick record ids through study_record's own
    indexes in one subquery, computed once (a MATERIALIZED CTE); the outer query walks
    ix_record_board and keeps the ids in that set. Left to themselves, both planners sometimes
    probed the set once per record: seconds instead of milliseconds on the demo data.
    """
    kinds = (filters.kind,) if filters.kind else KINDS
    clauses = _record_clauses(filters, campaign_id, kinds)
    chosen = StudyRecord.__table__.alias("chosen")
    picks = _study_clauses(filters, chosen)
    if picks:
        picked = select(chosen.c.record_id).where(*picks).cte("picked").prefix_with("MATERIALIZED")
        clauses.append(ActivityRecord.id.in_(select(picked.c.record_id)))
    return clauses


def _card_columns() -> Select:
    return (
        select(
            StudyRecord.id.label("study_id"),
            StudyRecord.kind,
            StudyRecord.like_count,
            StudyRecord.featured,
            StudyRecord.tags,
            StudyRecord.book_id,
            ActivityRecord.id.label("record_id"),
            ActivityRecord.title,
            ActivityRecord.occurred_on,
            ActivityRecord.unit_id,
            Cadre.name.label("cadre_name"),
            Unit.name_zh.label("unit_zh"),
            Unit.name_en.label("unit_en"),
            Book.title.label("book_title"),
            Book.author.label("book_author"),
        )
        .select_from(StudyRecord)
        .join(ActivityRecord, ActivityRecord.id == StudyRecord.record_id)
        .join(Unit, Unit.id == ActivityRecord.unit_id)
        .outerjoin(Cadre, Cadre.id == ActivityRecord.cadre_id)
        .outerjoin(Book, Book.id == StudyRecord.book_id)
    )


def _capped_hits(filters: GalleryFilter, campaign_id: int, dialect: str, *, at_least: int = 0) -> Select | None:
    """A search's matches, newest first, cut at COUNT_CAP + 1 (enough to say "10,000+") or at
    `at_least` (a long export); None when the filters hold no search. A search of punctuation
    alone finds nothing."""
    if not _searching(filters):
        return None
    phrases = search_phrases(filters.query, filters.tag)
    kinds = (filters.kind,) if filters.kind else KINDS
    if not phrases:
        return select(StudyRecord.id).where(false())
    return _matching_ids(dialect, phrases, campaign_id, kinds, filters).limit(max(COUNT_CAP + 1, at_least))


@no_actor
def page_query(filters: GalleryFilter, campaign_id: int, dialect: str, *, page: int = 1, size: int | None = None) -> Select:
    """One page of cards with the capped total in every row (column `total`).

    Browsing: newest occurrence first, the record id breaking ties so pages never overlap. A search
    or tag: newest entered first (by id), in the full-text index's own order.
    """
    size = size or PAGE_SIZE
    hits = _capped_hits(filters, campaign_id, dialect, at_least=page * size)
    if hits is None:
        where = conditions(filters, campaign_id, dialect)
        total = select(func.count()).select_from(_browsed_records(where).subquery())
        newest_first = (ActivityRecord.occurred_on.desc(), ActivityRecord.id.desc())
        # The page's records first, then their cards: joined before the cut, every card of a
        # book's 20,000 notes was made to show 24 (0.8 s cold at 1,000,000 on PostgreSQL).
        shown = select(ActivityRecord.id).where(*where).order_by(*newest_first).limit(size).offset((page - 1) * size)
        return (
            _card_columns().add_columns(total.scalar_subquery().label("total"))
            .where(ActivityRecord.id.in_(shown))
            .order_by(*newest_first)
        )
    found = hits.cte("found")
    shown = select(found.c.id).order_by(found.c.id.desc()).limit(size).offset((page - 1) * size)
    counted = select(found.c.id).limit(COUNT_CAP + 1).subquery()
    return (
        _card_columns().add_columns(select(func.count()).select_from(counted).scalar_subquery().label("total"))
        .where(StudyRecord.id.in_(shown))
        .order_by(StudyRecord.id.desc())
    )


@no_actor
def count_query(filters: GalleryFilter, campaign_id: int, dialect: str) -> Select:
    """How many cards the filters find, counted up to COUNT_CAP + 1 (more shows as "10,000+")."""
    hits = _capped_hits(filters, campaign_id, dialect)
    if hits is None:
        hits = _browsed_records(conditions(filters, campaign_id, dialect))
    return select(func.count()).select_from(hits.subquery())


def _browsed_records(where: list) -> Select:
    """The records a browsed gallery shows, up to COUNT_CAP + 1, from the record index alone: every
    record of a study type has its study record (db.study.sync_study_record), so the count needs
    no join, which made PostgreSQL hash both tables whole."""
    return select(ActivityRecord.id).where(*where).limit(COUNT_CAP + 1)


def _pictures(session: Session, rows: list[dict[str, Any]]) -> None:
    """Each row's thumbnail: its first photo, else its book's cover, else None (the UI draws one)."""
    record_ids = [row["record_id"] for row in rows]
    first_photo = (
        select(func.min(Attachment.id)).where(Attachment.record_id.in_(record_ids), Attachment.deleted_at.is_(None)).group_by(Attachment.record_id)
    )
    thumbs = dict(session.execute(select(Attachment.record_id, Attachment.thumbnail).where(Attachment.id.in_(first_photo))).all())
    book_ids = {row["book_id"] for row in rows if row["book_id"] and row["record_id"] not in thumbs}
    covers = dict(session.execute(select(Book.id, Book.cover).where(Book.id.in_(book_ids))).all()) if book_ids else {}
    for row in rows:
        row["has_photo"] = row["record_id"] in thumbs
        row["thumbnail"] = thumbs.get(row["record_id"]) or covers.get(row["book_id"])


def _without_hidden_names(session: Session, actor: Actor | None, rows: list[dict[str, Any]]) -> None:
    """The office's hide-names setting binds the gallery as it binds the boards: hidden, a writer's
    name reaches only the office and the writer's own unit."""
    if not names_hidden_in(session):
        return
    for row in rows:
        if not may_see_names(actor, row["unit_id"], True):
            row["cadre_name"] = None


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@public_read
def gallery_page(
    actor: Actor | None, filters: GalleryFilter = GalleryFilter(), *, page: int = 1, engine: Engine | None = None
) -> GalleryPage:
    """A page of approved study records as cards, with the total for the pager."""
    require_reader(actor)
    with read_session(engine) as session:
        campaign = browsed_campaign(session, filters.campaign_id)
        if campaign is None:
            return GalleryPage([], 0, 1, 1)
        dialect = _dialect(session)
        page = max(1, page)
        rows = [dict(row._mapping) for row in session.execute(page_query(filters, campaign.id, dialect, page=page))]
        if not rows and page > 1:  # past the end (the list shrank, or past the cap): the last page
            total = session.scalar(count_query(filters, campaign.id, dialect)) or 0
            page = max(1, -(-min(total, COUNT_CAP) // PAGE_SIZE))
            rows = [dict(row._mapping) for row in session.execute(page_query(filters, campaign.id, dialect, page=page))]
        total = rows[0].pop("total") if rows else 0
        for row in rows[1:]:
            del row["total"]
        pages = max(1, -(-min(total, COUNT_CAP) // PAGE_SIZE))
        _pictures(session, rows)
        _without_hidden_names(session, actor, rows)
    return GalleryPage(rows, total, page, pages)


@public_read
def liked_by(actor: Actor | None, study_ids: list[int], *, engine: Engine | None = None) -> set[int]:
    """Which of these records the signed-in person has liked (nothing for visitors)."""
    if actor is None or not study_ids:
        return set()
    with read_session(engine) as session:
        return set(
            session.scalars(select(StudyLike.study_id).where(StudyLike.user_id == actor.user_id, StudyLike.study_id.in_(study_ids)))
        )


@in_transaction
def shown_study(session: Session, study_id: int) -> StudyRecord | None:
    """The study record if the gallery shows it (approved, in any campaign: closed ones stay
    browsable), else None."""
    return session.scalar(
        select(StudyRecord)
        .join(ActivityRecord, ActivityRecord.id == StudyRecord.record_id)
        .where(StudyRecord.id == study_id, ActivityRecord.status == RecordStatus.APPROVED)
    )


@public_read
def study_detail(actor: Actor | None, study_id: int, *, engine: Engine | None = None) -> dict[str, Any] | None:
    """The whole record: note, takeaway, pictures at full size, likes, ratings; None if not shown."""
    require_reader(actor)
    with read_session(engine) as session:
        if shown_study(session, study_id) is None:
            return None
        row = dict(session.execute(_card_columns().where(StudyRecord.id == study_id)).one()._mapping)
        _without_hidden_names(session, actor, [row])
        study = session.get(StudyRecord, study_id)
        record = session.get(ActivityRecord, row["record_id"])
        row.update(
            body=study.body, takeaway=study.takeaway, featured_at=study.featured_at,
            type_code=session.scalar(select(ActivityType.code).where(ActivityType.id == record.type_id)),
            details=record.details,
        )
        row["photos"] = [
            dict(photo._mapping)
            for photo in session.execute(
                select(Attachment.id, Attachment.filename, Attachment.data, Attachment.width, Attachment.height)
                .where(Attachment.record_id == record.id, Attachment.deleted_at.is_(None))
                .order_by(Attachment.id)
            )
        ]
        row["cover"] = session.scalar(select(Book.cover).where(Book.id == study.book_id)) if study.book_id else None
        row["ratings"] = [
            dict(rating._mapping)
            for rating in session.execute(
                select(
                    StudyRating.reviewer_id, User.display_name.label("reviewer"), StudyRating.depth,
                    StudyRating.practice, StudyRating.writing, StudyRating.comment, StudyRating.created_at,
                )
                .join(User, User.id == StudyRating.reviewer_id)
                .where(StudyRating.study_id == study_id)
                .order_by(StudyRating.created_at.desc(), StudyRating.id.desc())
            )
        ]
    row["liked"] = bool(liked_by(actor, [study_id], engine=engine))
    row["own_rating"] = next((r for r in row["ratings"] if actor is not None and r["reviewer_id"] == actor.user_id), None)
    return row


@no_actor
def rating_summary(ratings: list[dict[str, Any]]) -> dict[str, float] | None:
    """Mean of each rubric item and overall, or None when nobody has rated yet."""
    if not ratings:
        return None
    means = {item: sum(r[item] for r in ratings) / len(ratings) for item in RUBRIC}
    means["overall"] = sum(means[item] for item in RUBRIC) / len(RUBRIC)
    return means


@in_transaction
def remember_tags(session: Session, tags: set[str] | list[str]) -> None:
    """Add `tags` to the tags ever used (study_tag), in the caller's transaction: call it in every
    write that sets a note's tags."""
    known = set(session.scalars(select(StudyTag.tag).where(StudyTag.tag.in_(list(tags))))) if tags else set()
    session.add_all(StudyTag(tag=tag) for tag in sorted(set(tags) - known))


@public_read
def tags_in_use(actor: Actor | None, *, engine: Engine | None = None) -> list[str]:
    """Every tag on a shown record, for the tag filter.

    Each tag ever used (study_tag, a handful) is checked for one shown note through the full-text
    index, newest first, which stops at the first hit: milliseconds instead of reading every note.
    """
    require_reader(actor)
    with read_session(engine) as session:
        campaign = active_campaign(session)
        if campaign is None:
            return []
        dialect = _dialect(session)
        candidates = session.scalars(select(StudyTag.tag).order_by(StudyTag.tag)).all()
        shown = []
        for tag in candidates:
            phrases = search_phrases(tag=tag)
            if phrases and session.scalar(_matching_ids(dialect, phrases, campaign.id, KINDS).limit(1)) is not None:
                shown.append(tag)
    return shown


@public_read
def book_board(actor: Actor | None, *, order: str = "recommended", limit: int = 12, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Books by how often they were recommended (荐书) or read (distinct readers with a note),
    summed from the per-book summary (db/summaries.py, record_book_tally)."""
    require_reader(actor)
    with read_session(engine) as session:
        campaign = active_campaign(session)
        if campaign is None:
            return []
        tally = RecordBookTally
        measures = {
            "recommendations": func.coalesce(func.sum(tally.records).filter(tally.kind == "recommendation"), 0),
            "notes": func.coalesce(func.sum(tally.records).filter(tally.kind == "note"), 0),
            # One row per book, kind and person: a book's readers are its rows of notes naming someone.
            "readers": func.count().filter(tally.kind == "note", tally.cadre_id != NO_ID),
            "likes": func.sum(tally.likes),
        }
        ranking = ("recommendations", "readers") if order == "recommended" else ("readers", "recommendations")
        ranked = (
            select(tally.book_id, *(measure.label(name) for name, measure in measures.items()))
            .where(tally.campaign_id == campaign.id)
            .group_by(tally.book_id)
            .order_by(*(measures[name].desc() for name in ranking), tally.book_id)
            .limit(limit)
            .subquery()
        )
        rows = session.execute(
            select(ranked, Book.title, Book.author, Book.cover)
            .join(Book, Book.id == ranked.c.book_id)
            .order_by(*(ranked.c[name].desc() for name in ranking), ranked.c.book_id)
        ).all()
    return [{**row._mapping, "likes": int(row.likes or 0)} for row in rows]


@public_read
def book_info(actor: Actor | None, book_id: int, *, engine: Engine | None = None) -> dict[str, Any] | None:
    require_reader(actor)
    with read_session(engine) as session:
        book = session.get(Book, book_id)
        # A book only a draft (or another unit's pending record) names is not public yet.
        campaign = active_campaign(session)
        shown = campaign is not None and session.scalar(
            select(RecordBookTally.book_id)
            .where(RecordBookTally.campaign_id == campaign.id, RecordBookTally.book_id == book_id).limit(1)
        )
        if book is None or not shown:
            return None
        return {"book_id": book.id, "title": book.title, "author": book.author, "cover": book.cover}


@public_read
def highlights(
    limit: int = 6, engine: Engine | None = None, *, hide_names: bool = False, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """For the presenter screen: featured notes (newest 精选 first), then the most liked of the last 30 days.

    Each item: study_id, title, cadre_name (None with hide_names), unit_zh, unit_en, book_title,
    like_count, featured, featured_at, occurred_on, kind and thumbnail (first photo's thumbnail,
    else the book cover, else None). The caller decides who may see the screen.
    """
    today = today or office_today()
    with read_session(engine) as session:
        campaign: Campaign | None = active_campaign(session)
        if campaign is None or limit <= 0:
            return []
        base = _card_columns().add_columns(StudyRecord.featured_at).where(*_shown(campaign.id))
        featured = session.execute(through_the_featured_index(
            base.where(StudyRecord.featured.is_(True))
            .order_by(StudyRecord.featured_at.desc().nulls_last(), StudyRecord.id.desc())
            .limit(limit)
        )).all()
        rows = [dict(row._mapping) for row in featured]
        if len(rows) < limit:
            liked = session.execute(
                base.where(
                    StudyRecord.featured.is_(False),
                    StudyRecord.like_count > 0,
                    and_(ActivityRecord.occurred_on > today - dt.timedelta(days=HIGHLIGHT_DAYS), ActivityRecord.occurred_on <= today),
                )
                .order_by(StudyRecord.like_count.desc(), ActivityRecord.occurred_on.desc(), StudyRecord.id.desc())
                .limit(limit - len(rows))
            ).all()
            rows += [dict(row._mapping) for row in liked]
        _pictures(session, rows)
    keep = ("study_id", "title", "cadre_name", "unit_zh", "unit_en", "book_title", "like_count", "featured",
            "featured_at", "occurred_on", "kind", "thumbnail")
    return [{key: (None if hide_names and key == "cadre_name" else row[key]) for key in keep} for row in rows]
