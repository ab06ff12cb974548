"""comparison groups can be deactivated

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 14:10:00

A group the office no longer ranks leaves every choice of groups, while its units and their
history stay. Existing groups are active. A plain add_column (no batch rebuild) keeps SQLite
databases that already hold data upgradable.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("comparison_group", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    op.drop_column("comparison_group", "active")
