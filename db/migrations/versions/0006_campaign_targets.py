"""campaign targets with due dates

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:20:00

Mandatory targets lived on the catalogue (activity_type.mandatory_basis/count), the same for
every campaign and without a deadline. Each campaign now has its own targets with a due date and
a weight; existing campaigns get one target per mandatory type of the catalogue, due at the
campaign's end.
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["type_id"], ["activity_type.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "type_id"),
    )
    op.create_index("ix_campaign_target_campaign_id", "campaign_target", ["campaign_id"], unique=False)
    op.execute(
        """
        INSERT INTO campaign_target (campaign_id, type_id, basis, count, due_on, weight, sort_order)
        SELECT campaign.id, activity_type.id, activity_type.mandatory_basis,
               activity_type.mandatory_count, campaign.end_date, 1.0, activity_type.sort_order
        FROM campaign CROSS JOIN activity_type
        WHERE activity_type.mandatory_basis IS NOT NULL AND activity_type.active
        """
    )


def downgrade() -> None:
    op.drop_index("ix_campaign_target_campaign_id", table_name="campaign_target")
    op.drop_table("campaign_target")
