"""honour rolls and briefings

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 12:30:00

The catalogue's publicity link becomes a checked web address (format "url": http or https only).
The office publishes a 光荣榜 per period (honour_roll with its entries) and issues numbered
《组工动态》-style briefings whose generated Word and PDF files are kept as issued (briefing).
"""

from alembic import op
import sqlalchemy as sa


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "honour_roll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["published_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "start_date", "end_date"),
    )
    op.create_table(
        "honour_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roll_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["roll_id"], ["honour_roll.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["cadre_id"], ["cadre.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_honour_entry_roll_id", "honour_entry", ["roll_id"], unique=False)
    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("lead", sa.Text(), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["group_id"], ["comparison_group.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issue_number"),
    )


    activity_type = sa.table("activity_type", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("fields", sa.JSON))
    connection = op.get_bind()
    for ident, fields in connection.execute(sa.select(activity_type.c.id, activity_type.c.fields).where(activity_type.c.code == "publicity")).all():
        checked = [dict(field, format="url") if field.get("key") == "link" and field.get("kind") == "text" else field for field in fields or []]
        connection.execute(activity_type.update().where(activity_type.c.id == ident).values(fields=checked))


def downgrade() -> None:
    op.drop_table("briefing")
    op.drop_index("ix_honour_entry_roll_id", table_name="honour_entry")
    op.drop_table("honour_entry")
    op.drop_table("honour_roll")
