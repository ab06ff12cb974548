"""The gallery side of a study record, kept in step with its activity record on every save."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.search import index_text, with_tags
from db.access import in_transaction, no_actor
from db.catalog_defaults import STUDY_KINDS, study_body
from db.models import ActivityRecord, Book, StudyRecord


@in_transaction
def book_for(session: Session, title: str | None, author: str | None) -> Book | None:
    """The book of that title and author, created on first mention."""
    if not title:
        return None
    author = author or ""
    named = select(Book).where(Book.title == title, Book.author == author)
    book = session.scalar(named)
    if book is not None:
        return book
    try:
        with session.begin_nested():
            book = Book(title=title, author=author)
            session.add(book)
    except IntegrityError:
        # Someone else's transaction created the same book between the look-up and this insert
        # (PostgreSQL, READ COMMITTED); the savepoint keeps the rest of this transaction, and the
        # row they committed is the one to use.
        book = session.scalar(named)
    return book


@in_transaction
def sync_study_record(session: Session, record: ActivityRecord, type_code: str, details: dict[str, Any]) -> None:
    """Create or update the study record of a study-type activity record (nothing for other types)."""
    if type_code not in STUDY_KINDS:
        return
    # The book first: looking it up may flush, and a study row added before would be flushed half made.
    book = book_for(session, details.get("book"), details.get("book_author"))
    study = session.scalar(select(StudyRecord).where(StudyRecord.record_id == record.id))
    if study is None:
        study = StudyRecord(record_id=record.id, kind=STUDY_KINDS[type_code])
        session.add(study)
    study.kind = STUDY_KINDS[type_code]
    study.book_id = book.id if book else None
    study.body = study_body(details)
    study.takeaway = details.get("takeaway", "")
    # Tags are the office's (set in the gallery); an edit of the record keeps them.
    study.search_text = with_tags(
        index_text(record.title, book.title if book else "", study.body, study.takeaway),
        [tag for tag in (study.tags or "").split(",") if tag],
    )


# Objects of migrations 0003 and 0023_search that the ORM models do not describe: the SQLite FTS5
# table (and the shadow tables FTS5 keeps beside it), PostgreSQL's stored search vector and its
# GIN index (and 0003's expression index, on databases not yet upgraded).
SEARCH_TABLE = "study_search"
SEARCH_INDEXES = ("ix_study_search", "ix_study_search_vector")
SEARCH_VECTOR = "search_vector"


@no_actor
def include_object(object_, name: str | None, type_: str, reflected: bool, compare_to) -> bool:  # noqa: ANN001 - Alembic hook
    """Alembic `include_object` hook: leave the full-text index out of model comparisons."""
    if type_ == "table" and name and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")):
        return False
    if type_ == "column" and name == SEARCH_VECTOR:
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)
