"""cadre code and membership history

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 12:30:00

Cadres get a stable key (`code`, unique when set) that the roster import matches by, and a
membership history (cadre_membership: unit, branch, active, valid_from, valid_to) that past
periods' headcounts read. Every existing cadre gets one open row, valid from the earliest campaign
start (or 2000-01-01 on a database without a campaign), so past figures stay as they were shown.
"""

from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cadre", sa.Column("code", sa.String(length=64), nullable=True))
    op.create_index("ux_cadre_code", "cadre", ["code"], unique=True)
    op.create_table(
        "cadre_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"]),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_membership_cadre", "cadre_membership", ["cadre_id", "valid_to"], unique=False)
    op.create_index(
        "ix_membership_unit", "cadre_membership", ["unit_id", "active", "valid_from", "valid_to"], unique=False
    )
    op.execute(
        """
        INSERT INTO cadre_membership (cadre_id, unit_id, branch_id, active, valid_from, valid_to)
        SELECT cadre.id, cadre.unit_id, cadre.branch_id, cadre.active,
               COALESCE((SELECT MIN(start_date) FROM campaign), '2000-01-01'), NULL
        FROM cadre
        """
    )


def downgrade() -> None:
    op.drop_index("ix_membership_unit", table_name="cadre_membership")
    op.drop_index("ix_membership_cadre", table_name="cadre_membership")
    op.drop_table("cadre_membership")
    op.drop_index("ux_cadre_code", table_name="cadre")
    op.drop_column("cadre", "code")
