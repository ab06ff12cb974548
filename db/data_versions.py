"""Data versions per area: what a committed write changed, so that caches drop only what it touched.

Every write transaction (db.engine.write_session) collects the tables its INSERT, UPDATE and DELETE
statements named — the ORM's flushes, bulk ORM statements and Core statements on the session's
connection alike, since all of them pass through the connection's `before_execute` event — and,
just before it commits, adds one to the version of each area those tables belong to. A cached
reader keys its entries by the versions of the areas it reads (ui/data.py), so a like leaves the
boards' caches alone and a sign-in leaves every board alone.

SQL written as text cannot be read for its table: such a write names its areas with `touch`.
"""
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import Connection, Integer, String, cast, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update, UpdateBase

from db.access import in_transaction, no_actor
from db.models import AppMeta


class Area(StrEnum):
    ORGANIZATION = "organization"
    CAMPAIGN = "campaign"
    CATALOGUE = "catalogue"
    RECORDS = "records"
    SURVEYS = "surveys"
    RULES = "rules"
    LIKES = "likes"
    LEDGERS = "ledgers"
    REPORTS = "reports"
    PRESENTER = "presenter"
    ACCOUNTS = "accounts"
    AUDIT = "audit"
    SETTINGS = "settings"


# Every table of the app, by the area whose caches a write to it makes stale (a test checks that
# none is missing). A table not listed here, written by a branch that forgot it, stales every area.
TABLE_AREAS: dict[str, Area] = {
    "comparison_group": Area.ORGANIZATION,
    "unit": Area.ORGANIZATION,
    "branch": Area.ORGANIZATION,
    "cadre": Area.ORGANIZATION,
    "cadre_membership": Area.ORGANIZATION,
    "campaign": Area.CAMPAIGN,
    "campaign_activity_type": Area.CAMPAIGN,
    "period": Area.CAMPAIGN,
    "campaign_target": Area.CAMPAIGN,
    "activity_type": Area.CATALOGUE,
    "book": Area.CATALOGUE,
    "activity_record": Area.RECORDS,
    "attachment": Area.RECORDS,
    "study_record": Area.RECORDS,
    "record_import": Area.RECORDS,
    "record_day_tally": Area.RECORDS,
    "record_person_tally": Area.RECORDS,
    "record_unit_month_tally": Area.RECORDS,
    "record_unit_tally": Area.RECORDS,
    "record_book_tally": Area.RECORDS,
    "record_cadre_month_tally": Area.RECORDS,
    "record_cadre_quarter_tally": Area.RECORDS,
    "record_cadre_tally": Area.RECORDS,
    "study_tag": Area.RECORDS,
    "survey_score": Area.SURVEYS,
    "rule_set": Area.RULES,
    "study_like": Area.LIKES,
    "study_rating": Area.LIKES,
    "suggestion": Area.LEDGERS,
    "problem": Area.LEDGERS,
    "problem_evidence": Area.LEDGERS,
    "bonus_month_tally": Area.LEDGERS,  # moved by the ledgers' triggers, with the ledgers
    "honour_roll": Area.REPORTS,
    "honour_entry": Area.REPORTS,
    "briefing": Area.REPORTS,
    "presenter_snapshot": Area.PRESENTER,
    "app_user": Area.ACCOUNTS,
    "sign_in_throttle": Area.ACCOUNTS,
    "signed_out_session": Area.ACCOUNTS,
    "audit_log": Area.AUDIT,
    "app_meta": Area.SETTINGS,
}
# Columns whose change, when an UPDATE sets nothing else, belongs to another area than their
# table's: a like moves the note's like count, which no board reads.
COLUMN_AREAS: dict[str, Area] = {
    "study_record.like_count": Area.LIKES,
}

VERSION_KEY_PREFIX = "data_version:"
# Where a write transaction's connection keeps the tables it wrote (an execution option of
# write_session's connection, so that reads and other transactions are never counted).
WRITTEN_TABLES_OPTION = "written_tables"
_TOUCHED_KEY = "touched_areas"


@no_actor
def areas_of(written: Iterable[str]) -> set[Area]:
    """The areas of written tables ("table") and of columns updated alone ("table.column")."""
    areas: set[Area] = set()
    for name in written:
        known = COLUMN_AREAS.get(name) or TABLE_AREAS.get(name)
        areas.update([known] if known else Area)
    return areas


def _written_names(statement: UpdateBase, parameter_sets: list[dict]) -> set[str]:
    """What a statement writes: its table, or the columns an UPDATE sets if each has an area of its own."""
    table = statement.table
    if not isinstance(statement, Update):
        return {table.name}
    columns = {getattr(key, "key", key) for key in (statement._values or {})}  # .values(...)
    columns.update(key for parameters in parameter_sets for key in parameters if key in table.c)  # the ORM's flush
    names = {f"{table.name}.{column}" for column in columns}
    return names if names and names <= COLUMN_AREAS.keys() else {table.name}


@no_actor
def record_written_table(connection: Connection, clauseelement, multiparams, params, execution_options) -> None:  # noqa: ANN001
    """Engine `before_execute` listener: note what every INSERT, UPDATE or DELETE of a write
    transaction writes."""
    written = execution_options.get(WRITTEN_TABLES_OPTION)
    if written is not None and isinstance(clauseelement, UpdateBase):
        written.update(_written_names(clauseelement, [*(multiparams or []), *([params] if params else [])]))


@in_transaction
def touch(session: Session, *areas: Area) -> None:
    """Name the areas a write the statements cannot show (SQL text) changed; bumped at commit."""
    session.info.setdefault(_TOUCHED_KEY, set()).update(areas)


@in_transaction
def written_areas(session: Session, written_tables: set[str]) -> set[Area]:
    """The areas a write transaction has changed: the tables it wrote, and what it touched."""
    return areas_of(written_tables) | session.info.get(_TOUCHED_KEY, set())


@in_transaction
def bump(session: Session, areas: Iterable[Area]) -> None:
    """One more on each area's version, in one statement; the rows are made on first use."""
    keys = sorted(VERSION_KEY_PREFIX + area for area in areas)  # one lock order for every writer
    if not keys:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(AppMeta).values([{"key": key, "value": "1"} for key in keys])
    next_value = cast(cast(AppMeta.value, Integer) + 1, String)
    session.execute(statement.on_conflict_do_update(index_elements=[AppMeta.key], set_={"value": next_value}))


@in_transaction
def read_versions(session: Session) -> dict[Area, int]:
    """Every area's version (0 for an area never written)."""
    rows = session.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.startswith(VERSION_KEY_PREFIX, autoescape=True)))
    found = {key.removeprefix(VERSION_KEY_PREFIX): int(value) for key, value in rows}
    return {area: found.get(area.value, 0) for area in Area}


@in_transaction
def advance_past(session: Session, floor: dict[Area, int]) -> None:
    """Set every area's version beyond both its own and `floor`'s: after a backup is restored its
    older numbers would otherwise come round again and match cache entries made before."""
    current = read_versions(session)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    rows = [{"key": VERSION_KEY_PREFIX + area, "value": str(max(current[area], floor.get(area, 0)) + 1)} for area in sorted(Area)]
    statement = dialect.insert(AppMeta).values(rows)
    session.execute(statement.on_conflict_do_update(index_elements=[AppMeta.key], set_={"value": statement.excluded.value}))
