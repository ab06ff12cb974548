"""photos removed from a record are kept, marked deleted

Revision ID: 0021_photo_deleted
Revises: 0022_summaries
Create Date: 2026-11-30 16:00:00

A photo removed while editing a record keeps its row and picture with the time it was removed;
it leaves the record, the gallery and every count, and restoring the record brings it back.
A plain add_column (no batch rebuild): attachment is referenced by nothing, but activity_record
rows that reference each other must never be rebuilt on SQLite with data in them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_photo_deleted"
down_revision = "0022_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attachment", sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("attachment", "deleted_at")
