"""campaign activity types and closing a campaign

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 12:30:00

A campaign now says which activity types it uses (campaign_activity_type); a campaign without
any chosen types, as every existing one, uses every active type (db.campaigns.campaign_type_ids). A closed campaign (active = false) is read-only; when it
was closed is kept in campaign.closed_at.
"""

from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_activity_type",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["type_id"], ["activity_type.id"]),
        sa.PrimaryKeyConstraint("campaign_id", "type_id"),
    )
    op.add_column("campaign", sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("campaign", "closed_at")
    op.drop_table("campaign_activity_type")
