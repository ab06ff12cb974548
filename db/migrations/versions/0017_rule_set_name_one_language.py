"""the default rule set is named in one language

Revision ID: 0017
Revises: 0015
Create Date: 2026-11-30 13:00:00

The first rule set was named "默认规则 Default rules", so every screen that names it showed both
languages at once. It is renamed "默认规则" where the office has not renamed it itself.
"""

from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE rule_set SET name = '默认规则' WHERE name = '默认规则 Default rules'")


def downgrade() -> None:
    op.execute("UPDATE rule_set SET name = '默认规则 Default rules' WHERE name = '默认规则' AND version = 1")
