"""Reads for downloads: whole lists where the screen pages or trims them.

Each read checks the same permission and applies the same privacy rule as the screen it exports;
only the row limit differs.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from db import gallery
from db.access import Actor, public_read
from db.engine import read_session
from db.people_boards import PeopleBoard, may_see_names, names_hidden_in, people_board
from db.records import active_campaign

GALLERY_EXPORT_MAX = 50_000


@public_read
def gallery_list(
    actor: Actor | None, filters: gallery.GalleryFilter | None = None, *, engine: Engine | None = None,
) -> list[dict[str, Any]]:
    """Every approved study record the gallery's filters select, newest first, without pictures.
    A cadre's name follows the office's hide-names setting, as on the people board."""
    gallery.require_reader(actor)
    with read_session(engine) as session:
        campaign = active_campaign(session)
        if campaign is None:
            return []
        hidden = names_hidden_in(session)
        query = gallery.page_query(filters or gallery.GalleryFilter(), campaign.id, session.get_bind().dialect.name, page=1, size=GALLERY_EXPORT_MAX)
        rows = [dict(row._mapping) for row in session.execute(query)]
    for row in rows:
        if not may_see_names(actor, row["unit_id"], hidden):
            row["cadre_name"] = None
    return rows


@public_read
def full_people_board(
    actor: Actor | None, *, campaign_id: int, start: dt.date, end: dt.date, unit_id: int | None = None,
    group_id: int | None = None, rules_version: int | None = None, engine: Engine | None = None,
) -> PeopleBoard:
    """The people board with every cadre in scope, not only the first hundred the screen shows."""
    return people_board(
        actor, campaign_id=campaign_id, start=start, end=end, unit_id=unit_id, group_id=group_id,
        rules_version=rules_version, limit=1 << 31, engine=engine,
    )
