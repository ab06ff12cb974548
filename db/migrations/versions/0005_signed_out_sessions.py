"""signed-out session tokens

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:05:00

Signing out used to clear the cookie in the browser only: a copied token stayed valid until it
expired (12 hours). Its digest is now kept until then and refused.
"""

from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signed_out_session",
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_digest"),
    )
    op.create_index("ix_signed_out_session_expires_at", "signed_out_session", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_signed_out_session_expires_at", table_name="signed_out_session")
    op.drop_table("signed_out_session")
