"""a branch's records of a type, for the review queue's repeated-task flag

Revision ID: 0024_perf
Revises: 0023_search
Create Date: 2026-11-30 17:05:00

A branch's second 评议会 is found through (branch_id, type_id), as a cadre's second report is
through ix_record_cadre. Without it PostgreSQL estimated the per-branch lookup at a unit's every
record of the type, for each queued record, and that estimate alone pushed the queue's plan over
jit_above_cost: half a second of JIT compilation for a few milliseconds of work at 1M records.
"""

from alembic import op

revision = "0024_perf"
down_revision = "0023_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_record_branch", "activity_record", ["branch_id", "type_id"])


def downgrade() -> None:
    op.drop_index("ix_record_branch", table_name="activity_record")
