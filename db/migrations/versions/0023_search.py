"""gallery search at a million records: a stored tsvector (PostgreSQL) and the tags in use

Revision ID: 0023_search
Revises: 0021_photo_deleted
Create Date: 2026-11-30 16:00:00

PostgreSQL: search_vector holds to_tsvector('simple', search_text), kept by a trigger, with a GIN
index on it. The expression index of 0003 made every search recompute to_tsvector for each
candidate row (its bitmap goes lossy for a common word): 38-42 s for 党性 at 1M records. A
stored vector also lets the planner walk study_record's primary key newest first and stop after
a page. SQLite keeps the FTS5 table of 0003, which already stores its index.

study_tag: every tag the office has filed a note under, written in the same transaction as the
tags themselves, so the gallery lists its tags without reading every note (3 s at 1M records).
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_search"
down_revision = "0021_photo_deleted"
branch_labels = None
depends_on = None

POSTGRESQL_UPGRADE = (
    "ALTER TABLE study_record ADD COLUMN search_vector tsvector",
    "CREATE FUNCTION study_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.search_vector := to_tsvector('simple'::regconfig, coalesce(NEW.search_text, '')); RETURN NEW; END $$",
    "CREATE TRIGGER study_search_vector BEFORE INSERT OR UPDATE OF search_text ON study_record "
    "FOR EACH ROW EXECUTE FUNCTION study_search_vector()",
    "UPDATE study_record SET search_vector = to_tsvector('simple'::regconfig, coalesce(search_text, ''))",
    "DROP INDEX IF EXISTS ix_study_search",
    "CREATE INDEX ix_study_search_vector ON study_record USING gin (search_vector)",
)
POSTGRESQL_DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_study_search_vector",
    "DROP TRIGGER IF EXISTS study_search_vector ON study_record",
    "DROP FUNCTION IF EXISTS study_search_vector()",
    "ALTER TABLE study_record DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX ix_study_search ON study_record USING gin (to_tsvector('simple'::regconfig, search_text))",
)


def upgrade() -> None:
    op.create_table("study_tag", sa.Column("tag", sa.String(length=40), primary_key=True))
    bind = op.get_bind()
    combos = bind.execute(sa.text("SELECT DISTINCT tags FROM study_record WHERE tags <> ''")).scalars().all()
    tags = sorted({tag for combo in combos for tag in combo.split(",") if tag})
    if tags:
        op.bulk_insert(sa.table("study_tag", sa.column("tag", sa.String)), [{"tag": tag} for tag in tags])
    if bind.dialect.name == "postgresql":
        for statement in POSTGRESQL_UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DOWNGRADE:
            op.execute(statement)
    op.drop_table("study_tag")
