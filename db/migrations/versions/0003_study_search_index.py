"""full-text index over study_record.search_text

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:00:00

search_text holds space-separated CJK bigrams, single characters and Latin words (core/search.py),
so a plain word tokenizer finds a two-character Chinese word as one token and a longer word as a
phrase of bigrams.

SQLite: an FTS5 table over study_record.search_text (external content, so the text is stored once),
kept in step by triggers. The update trigger fires only when search_text changes, so likes and
featuring do not touch the index.
PostgreSQL: a GIN index on to_tsvector('simple', search_text); queries must repeat that expression.
Neither object is in the ORM models; db.study.include_object keeps autogenerate from dropping them.
"""

from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE study_search USING fts5("
    "search_text, content='study_record', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER study_search_insert AFTER INSERT ON study_record BEGIN "
    "INSERT INTO study_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER study_search_delete AFTER DELETE ON study_record BEGIN "
    "INSERT INTO study_search(study_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER study_search_update AFTER UPDATE OF search_text ON study_record BEGIN "
    "INSERT INTO study_search(study_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO study_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Index what is already there.
    "INSERT INTO study_search(study_search) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS study_search_update",
    "DROP TRIGGER IF EXISTS study_search_delete",
    "DROP TRIGGER IF EXISTS study_search_insert",
    "DROP TABLE IF EXISTS study_search",
)
POSTGRESQL_UPGRADE = (
    "CREATE INDEX ix_study_search ON study_record USING gin (to_tsvector('simple'::regconfig, search_text))",
)
POSTGRESQL_DOWNGRADE = ("DROP INDEX IF EXISTS ix_study_search",)


def _run(statements: dict[str, tuple[str, ...]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRESQL_UPGRADE})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRESQL_DOWNGRADE})
