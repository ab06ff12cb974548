"""deleted records keep their row

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:30:00

Deleting a record removed its row, its photos and its gallery entry for good, and SQLite then
gave the next record the same id, so two audit rows could name different records by one id. A
deleted record now keeps its row with status "deleted" and the status it had, and the office can
restore it.
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("activity_record", sa.Column("deleted_from", sa.String(length=10), nullable=True))
    op.add_column("activity_record", sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("activity_record", "deleted_at")
    op.drop_column("activity_record", "deleted_from")
