"""The gallery side of a study record, kept in step with its activity record on every save."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.search import index_text
from db.catalog_defaults import STUDY_KINDS, study_body
from db.models import ActivityRecord, Book, StudyRecord


def book_for(session: Session, title: str | None, author: str | None) -> Book | None:
    """The book of that title and author, created on first mention."""
    if not title:
        return None
    author = author or ""
    book = session.scalar(select(Book).where(Book.title == title, Book.author == author))
    if book is None:
        book = Book(title=title, author=author)
        session.add(book)
        session.flush()
    return book


def sync_study_record(session: Session, record: ActivityRecord, type_code: str, details: dict[str, Any]) -> None:
    if type_code not in STUDY_KINDS:
        return
    study = session.scalar(select(StudyRecord).where(StudyRecord.record_id == record.id))
    if study is None:
        study = StudyRecord(record_id=record.id)
        session.add(study)
    book = book_for(session, details.get("book"), details.get("book_author"))
    study.kind = STUDY_KINDS[type_code]
    study.book_id = book.id if book else None
    study.body = study_body(details)
    study.takeaway = details.get("takeaway", "")
    study.search_text = index_text(record.title, book.title if book else "", study.body, study.takeaway)
