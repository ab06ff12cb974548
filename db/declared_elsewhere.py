"""The rules of db/ functions in modules other work is changing right now, declared here by name
instead of by a decorator in the module, so that no two changes meet in one file. At merge
each entry moves onto its function as a decorator (db.access.permits and friends)."""
from __future__ import annotations

from core.permissions import Action, Unchecked

_STEP = Unchecked.IN_TRANSACTION
_PUBLIC = Unchecked.PUBLIC_READ
_NO_ACTOR = Unchecked.NO_ACTOR

DECLARED_ELSEWHERE: dict[str, Action | Unchecked] = {
    # db/gallery.py: the gallery's reads (its commands are in db/gallery_actions.py)
    "db.gallery.book_board": _PUBLIC,
    "db.gallery.book_info": _PUBLIC,
    "db.gallery.gallery_page": _PUBLIC,
    "db.gallery.highlights": _PUBLIC,
    "db.gallery.liked_by": _PUBLIC,
    "db.gallery.require_reader": _PUBLIC,
    "db.gallery.study_detail": _PUBLIC,
    "db.gallery.tags_in_use": _PUBLIC,
    "db.gallery.shown_study": _STEP,
    "db.gallery.conditions": _NO_ACTOR,
    "db.gallery.count_query": _NO_ACTOR,
    "db.gallery.page_query": _NO_ACTOR,
    "db.gallery.rating_summary": _NO_ACTOR,
    "db.gallery.text_conditions": _NO_ACTOR,
}
