"""covering index for the mandatory-task progress

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:50:00

db.board_queries.mandatory_progress counts the approved records of the mandatory types from the
campaign's start, grouped by unit, type, person and branch. ix_record_board does not hold
branch_id, so every such record was also read from the table; this index answers the query alone
and only visits the mandatory types.
"""

from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ["campaign_id", "status", "type_id", "occurred_on", "unit_id", "cadre_id", "branch_id"]


def upgrade() -> None:
    op.create_index("ix_record_mandatory", "activity_record", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_record_mandatory", table_name="activity_record")
