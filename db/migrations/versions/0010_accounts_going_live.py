"""accounts for going live: handed-out passwords, sign-in throttling by name and address

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-30 12:15:00

A password the office hands out (new account, reset) must be changed at the next sign-in
(app_user.must_change_password). Sign-in failures no longer lock an account, which let anyone
lock out the administrator by typing its name: growing delays per account name and per client
address take their place (sign_in_throttle), so the per-account counters go.
"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch: SQLite's batch mode rebuilds the table (create, copy, drop),
    # and dropping app_user fails, with foreign keys on, once records and the audit trail point at
    # it — that is, on every database in use. SQLite 3.35+ drops a column in place.
    op.add_column("app_user", sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.drop_column("app_user", "failed_logins")
    op.drop_column("app_user", "locked_until")
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    op.add_column("app_user", sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.add_column("app_user", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
    op.drop_column("app_user", "must_change_password")
