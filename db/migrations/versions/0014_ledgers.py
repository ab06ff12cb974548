"""ledgers: suggestions answered, problems tracked, evidence of solved problems

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-30 12:30:00

Suggestions gain the office's answer (division, reason, who and when, the adoption date that
dates the bonus) and anonymity; problems gain a status, the resolution and a version; a solved
problem may carry one evidence picture. Problems already solved become "solved"; adopted
suggestions are dated by the day they were made, as the bonus was counted until now. The
下基层调研 form gains an optional list of the problems found, one a line, which the ledger reads.
"""

import json

from alembic import op
import sqlalchemy as sa


revision = "0014"
down_revision = "0012"
branch_labels = None
depends_on = None

PROBLEM_LIST = {"key": "problem_list", "kind": "longtext", "required": False}


def upgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymous", sa.Boolean(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("division_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("answered_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("adopted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_foreign_key("fk_suggestion_division", "unit", ["division_id"], ["id"])
        batch_op.create_foreign_key("fk_suggestion_answered_by", "app_user", ["answered_by"], ["id"])
        batch_op.create_index("ix_suggestion_adopted", ["status", "adopted_on", "unit_id"], unique=False)
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=12), nullable=False, server_default="open"))
        batch_op.add_column(sa.Column("resolution", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_foreign_key("fk_problem_created_by", "app_user", ["created_by"], ["id"])
        batch_op.create_index("ix_problem_due", ["status", "due_on"], unique=False)
    op.create_table(
        "problem_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("problem_id"),
    )
    op.execute("UPDATE problem SET status = 'solved' WHERE solved_on IS NOT NULL")
    op.execute("UPDATE suggestion SET adopted_on = CAST(created_at AS DATE) WHERE status = 'adopted'")
    connection = op.get_bind()
    activity_type = sa.table("activity_type", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("fields", sa.JSON))
    for type_id, fields in connection.execute(
        sa.select(activity_type.c.id, activity_type.c.fields).where(activity_type.c.code == "grassroots_visit")
    ).all():
        fields = json.loads(fields) if isinstance(fields, str) else list(fields or [])
        if not any(field.get("key") == PROBLEM_LIST["key"] for field in fields):
            connection.execute(
                activity_type.update().where(activity_type.c.id == type_id).values(fields=[*fields, PROBLEM_LIST])
            )


def downgrade() -> None:
    op.drop_table("problem_evidence")
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.drop_index("ix_problem_due")
        batch_op.drop_constraint("fk_problem_created_by", type_="foreignkey")
        for column in ("version", "updated_at", "created_by", "resolution", "status"):
            batch_op.drop_column(column)
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_adopted")
        batch_op.drop_constraint("fk_suggestion_answered_by", type_="foreignkey")
        batch_op.drop_constraint("fk_suggestion_division", type_="foreignkey")
        for column in ("version", "adopted_on", "answered_by", "answered_at", "decision_reason", "division_id", "anonymous"):
            batch_op.drop_column(column)
