"""the office can withdraw a published honour roll, with its reason

Revision ID: 0019_honour_withdrawn
Revises: 0018
Create Date: 2026-11-30 15:40:00

A withdrawn roll (status "withdrawn") leaves the public page, the presenter and later briefings;
the office still sees it, with when and why. Who withdrew it is in the audit log. Plain
add_column (no batch rebuild): honour_entry references honour_roll.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_honour_withdrawn"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("honour_roll", sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
    op.add_column("honour_roll", sa.Column("withdrawn_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("honour_roll", "withdrawn_reason")
    op.drop_column("honour_roll", "withdrawn_at")
