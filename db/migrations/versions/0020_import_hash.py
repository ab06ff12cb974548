"""record imports keep their file's fingerprint

Revision ID: 0020_import_hash
Revises: 0019_honour_withdrawn
Create Date: 2026-11-30 16:00:00

Each imported Excel file of records is remembered by the SHA-256 of its content, who imported
it and when, so that the same file uploaded again is recognised before its rows are saved twice.
A new table: nothing existing is rebuilt.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_import_hash"
down_revision = "0019_honour_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_import",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("type_code", sa.String(length=40), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_record_import_content_hash", "record_import", ["content_hash"])


def downgrade() -> None:
    op.drop_index("ix_record_import_content_hash", table_name="record_import")
    op.drop_table("record_import")
