"""per-book summary of the approved study records, so the books page reads no notes; a book's notes by index

Revision ID: 0027_book_tally
Revises: 0026_unit_tally
Create Date: 2026-12-01 03:00:00

The books page (书香榜) counted recommendations, notes, distinct readers and likes per book by
joining every study record to its record: at 1,000,000 records SQLite read 1.6 GB of notes for it
(2.5 s cold). record_book_tally holds, per (campaign, book, kind, person; no person is 0), the
approved study records and their likes, so the page sums a few rows per book; a book's readers
are its rows of notes naming someone.

A study record counts while its record is approved, so both tables move the summary, and
triggers on both keep it equal to a recount in the same transaction as every write. A record's
removal is counted before the row goes (BEFORE DELETE): on both databases the cascade removes the
study record after its record is gone, when the study record's own trigger can no longer find
the record to tell what it counted, and does nothing. A new record has no study record yet (the
study record names it), so inserting a record moves nothing. A like moves only its row's likes.
"""

import sqlalchemy as sa
from alembic import op

from core.enums import RecordStatus

revision = "0027_book_tally"
down_revision = "0026_unit_tally"
branch_labels = None
depends_on = None

APPROVED = RecordStatus.APPROVED.value
TABLE = "record_book_tally"
KEY = ("campaign_id", "book_id", "kind", "cadre_id")
COUNTED = ("records", "likes")
RECORD_WATCHED = ("status", "campaign_id", "cadre_id")  # the record's columns the summary's key holds
STUDY_WATCHED = ("record_id", "book_id", "kind")  # the study record's, besides its likes
UPSERT = (
    f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET records = {TABLE}.records + excluded.records, "
    f"likes = {TABLE}.likes + excluded.likes"
)


def _from_record(row: str, delta: int) -> str:
    """Statements moving the summary by `delta` for the study record of the record `row` (OLD or
    NEW of activity_record), which the caller knows to be approved."""
    person = f"COALESCE({row}.cadre_id, 0)"
    statements = [
        f"INSERT INTO {TABLE} ({', '.join(KEY)}, {', '.join(COUNTED)}) "
        f"SELECT {row}.campaign_id, book_id, kind, {person}, {delta}, {delta} * like_count FROM study_record "
        f"WHERE record_id = {row}.id AND book_id IS NOT NULL {UPSERT};"
    ]
    if delta < 0:
        statements.append(
            f"DELETE FROM {TABLE} WHERE records = 0 AND campaign_id = {row}.campaign_id AND cadre_id = {person} "
            f"AND (book_id, kind) IN (SELECT book_id, kind FROM study_record WHERE record_id = {row}.id);"
        )
    return "\n".join(statements)


def _from_study(row: str, delta: int) -> str:
    """Statements moving the summary by `delta` for the study record `row` (OLD or NEW of
    study_record) naming a book, if its record is approved."""
    statements = [
        f"INSERT INTO {TABLE} ({', '.join(KEY)}, {', '.join(COUNTED)}) "
        f"SELECT campaign_id, {row}.book_id, {row}.kind, COALESCE(cadre_id, 0), {delta}, {delta} * {row}.like_count "
        f"FROM activity_record WHERE id = {row}.record_id AND status = '{APPROVED}' {UPSERT};"
    ]
    if delta < 0:
        statements.append(
            f"DELETE FROM {TABLE} WHERE records = 0 AND book_id = {row}.book_id AND kind = {row}.kind "
            f"AND (campaign_id, cadre_id) IN (SELECT campaign_id, COALESCE(cadre_id, 0) FROM activity_record "
            f"WHERE id = {row}.record_id);"
        )
    return "\n".join(statements)


def _likes_moved() -> str:
    """The statement moving the likes of a study record's row by its change in like_count."""
    return (
        f"UPDATE {TABLE} SET likes = likes + NEW.like_count - OLD.like_count "
        f"WHERE book_id = NEW.book_id AND kind = NEW.kind AND (campaign_id, cadre_id) IN ("
        f"SELECT campaign_id, COALESCE(cadre_id, 0) FROM activity_record WHERE id = NEW.record_id AND status = '{APPROVED}');"
    )


def _unchanged(columns: tuple[str, ...], same: str) -> str:
    return " AND ".join(f"OLD.{column} {same} NEW.{column}" for column in columns)


def _sqlite_triggers() -> list[str]:
    record_unchanged = _unchanged(RECORD_WATCHED, "IS")
    study_unchanged = _unchanged(STUDY_WATCHED, "IS")
    record_watched, study_watched = ", ".join(RECORD_WATCHED), ", ".join((*STUDY_WATCHED, "like_count"))
    return [
        f"""CREATE TRIGGER book_tally_record_delete BEFORE DELETE ON activity_record
        WHEN OLD.status = '{APPROVED}' BEGIN {_from_record("OLD", -1)} END""",
        f"""CREATE TRIGGER book_tally_record_update_old AFTER UPDATE OF {record_watched} ON activity_record
        WHEN OLD.status = '{APPROVED}' AND NOT ({record_unchanged}) BEGIN {_from_record("OLD", -1)} END""",
        f"""CREATE TRIGGER book_tally_record_update_new AFTER UPDATE OF {record_watched} ON activity_record
        WHEN NEW.status = '{APPROVED}' AND NOT ({record_unchanged}) BEGIN {_from_record("NEW", 1)} END""",
        f"""CREATE TRIGGER book_tally_study_insert AFTER INSERT ON study_record
        WHEN NEW.book_id IS NOT NULL BEGIN {_from_study("NEW", 1)} END""",
        f"""CREATE TRIGGER book_tally_study_delete AFTER DELETE ON study_record
        WHEN OLD.book_id IS NOT NULL BEGIN {_from_study("OLD", -1)} END""",
        f"""CREATE TRIGGER book_tally_study_update_old AFTER UPDATE OF {study_watched} ON study_record
        WHEN OLD.book_id IS NOT NULL AND NOT ({study_unchanged}) BEGIN {_from_study("OLD", -1)} END""",
        f"""CREATE TRIGGER book_tally_study_update_new AFTER UPDATE OF {study_watched} ON study_record
        WHEN NEW.book_id IS NOT NULL AND NOT ({study_unchanged}) BEGIN {_from_study("NEW", 1)} END""",
        f"""CREATE TRIGGER book_tally_study_likes AFTER UPDATE OF like_count ON study_record
        WHEN NEW.book_id IS NOT NULL AND {study_unchanged} AND OLD.like_count IS NOT NEW.like_count
        BEGIN {_likes_moved()} END""",
    ]


SQLITE_TRIGGERS = (
    "record_delete", "record_update_old", "record_update_new",
    "study_insert", "study_delete", "study_update_old", "study_update_new", "study_likes",
)


def _postgresql_triggers() -> list[str]:
    record_unchanged = _unchanged(RECORD_WATCHED, "IS NOT DISTINCT FROM")
    study_unchanged = _unchanged(STUDY_WATCHED, "IS NOT DISTINCT FROM")
    match = " AND ".join(f"{column} = p_{column}" for column in KEY)

    def from_record(row: str, delta: int) -> str:
        return (
            f"PERFORM book_tally_add({row}.campaign_id, book_id, kind, COALESCE({row}.cadre_id, 0), {delta}, "
            f"{delta} * like_count) FROM study_record WHERE record_id = {row}.id AND book_id IS NOT NULL;"
        )

    def from_study(row: str, delta: int) -> str:
        return (
            f"PERFORM book_tally_add(campaign_id, {row}.book_id, {row}.kind, COALESCE(cadre_id, 0), {delta}, "
            f"{delta} * {row}.like_count) FROM activity_record WHERE id = {row}.record_id AND status = '{APPROVED}';"
        )

    return [
        f"""CREATE OR REPLACE FUNCTION book_tally_add(
            p_campaign_id integer, p_book_id integer, p_kind varchar, p_cadre_id integer,
            p_records integer, p_likes integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {TABLE} AS s ({', '.join(KEY)}, {', '.join(COUNTED)})
            VALUES ({', '.join(f'p_{column}' for column in KEY)}, p_records, p_likes)
            ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET records = s.records + EXCLUDED.records, likes = s.likes + EXCLUDED.likes;
            IF p_records < 0 THEN DELETE FROM {TABLE} WHERE {match} AND records = 0; END IF;
        END $$""",
        # One function for the record's triggers: BEFORE DELETE (the study record is still
        # there, see above) must give the row back for the delete to go on.
        f"""CREATE OR REPLACE FUNCTION book_tally_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {record_unchanged} THEN RETURN NULL; END IF;
            IF OLD.status = '{APPROVED}' THEN {from_record("OLD", -1)} END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            IF NEW.status = '{APPROVED}' THEN {from_record("NEW", 1)} END IF;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER book_tally_record_delete BEFORE DELETE ON activity_record
        FOR EACH ROW EXECUTE FUNCTION book_tally_record_change()""",
        f"""CREATE TRIGGER book_tally_record AFTER UPDATE OF {', '.join(RECORD_WATCHED)}
        ON activity_record FOR EACH ROW EXECUTE FUNCTION book_tally_record_change()""",
        f"""CREATE OR REPLACE FUNCTION book_tally_study_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {study_unchanged} THEN
                IF NEW.book_id IS NOT NULL AND OLD.like_count IS DISTINCT FROM NEW.like_count THEN
                    {_likes_moved()}
                END IF;
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' AND OLD.book_id IS NOT NULL THEN {from_study("OLD", -1)} END IF;
            IF TG_OP <> 'DELETE' AND NEW.book_id IS NOT NULL THEN {from_study("NEW", 1)} END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER book_tally_study AFTER INSERT OR DELETE OR UPDATE OF {', '.join(STUDY_WATCHED)}, like_count
        ON study_record FOR EACH ROW EXECUTE FUNCTION book_tally_study_change()""",
        # Writers of study records queue behind the same lock as writers of records
        # (record_tally_serialize, 0022_summaries), before any summary row is locked.
        f"""CREATE TRIGGER book_tally_serialize BEFORE INSERT OR DELETE OR UPDATE OF {', '.join(STUDY_WATCHED)}, like_count
        ON study_record FOR EACH STATEMENT EXECUTE FUNCTION record_tally_serialize()""",
        f"""CREATE OR REPLACE FUNCTION book_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {TABLE};
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER book_tally_truncate AFTER TRUNCATE ON activity_record
        FOR EACH STATEMENT EXECUTE FUNCTION book_tally_truncate()""",
        """CREATE TRIGGER book_tally_truncate AFTER TRUNCATE ON study_record
        FOR EACH STATEMENT EXECUTE FUNCTION book_tally_truncate()""",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TABLE,
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY),
        sqlite_with_rowid=False,
    )
    if dialect == "postgresql":
        # No record approved, nor note written or liked, between the fill and the triggers may be
        # missed: writers wait until the migration commits (SQLite's holds the write lock already).
        op.execute("LOCK TABLE activity_record, study_record IN SHARE MODE")
    person = "COALESCE(r.cadre_id, 0)"
    op.execute(
        f"INSERT INTO {TABLE} ({', '.join(KEY)}, {', '.join(COUNTED)}) "
        f"SELECT r.campaign_id, s.book_id, s.kind, {person}, COUNT(*), SUM(s.like_count) "
        f"FROM study_record s JOIN activity_record r ON r.id = s.record_id "
        f"WHERE r.status = '{APPROVED}' AND s.book_id IS NOT NULL GROUP BY r.campaign_id, s.book_id, s.kind, {person}"
    )
    for statement in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers():
        op.execute(statement)
    op.execute(f"ANALYZE {TABLE}")
    # A book's notes (the books page's ?book=) are picked from the index alone, not by reading
    # each note's row for its record: 20,000 rows of text for one book at 1,000,000 records.
    # Made before the old one goes: on PostgreSQL dropping an index locks out readers of the table
    # until the migration commits, so that comes last.
    op.create_index("ix_study_book_record", "study_record", ["book_id", "record_id"])
    op.drop_index("ix_study_record_book_id", table_name="study_record")


def downgrade() -> None:
    op.create_index("ix_study_record_book_id", "study_record", ["book_id"])
    op.drop_index("ix_study_book_record", table_name="study_record")
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER book_tally_{name}")
    else:
        for trigger, table in (
            ("book_tally_record_delete", "activity_record"), ("book_tally_record", "activity_record"),
            ("book_tally_study", "study_record"), ("book_tally_serialize", "study_record"),
            ("book_tally_truncate", "activity_record"), ("book_tally_truncate", "study_record"),
        ):
            op.execute(f"DROP TRIGGER {trigger} ON {table}")
        op.execute("DROP FUNCTION book_tally_record_change()")
        op.execute("DROP FUNCTION book_tally_study_change()")
        op.execute("DROP FUNCTION book_tally_truncate()")
        op.execute("DROP FUNCTION book_tally_add(integer, integer, varchar, integer, integer, integer)")
    op.drop_table(TABLE)
