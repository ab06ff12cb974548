"""each published rule set has an effective-from date

Revision ID: 0019_rules_effective
Revises: 0020_import_hash
Create Date: 2026-11-30 15:40:00

Every period is scored by the rules in force then, so publishing a version no longer rewrites
rankings already announced. Versions that were in force get a date: the earliest from the
earliest campaign's start (a far past date where there is no campaign yet), each later one from
the office's date of its publication, never before the one before it. Drafts, and drafts set
aside without being published (archived, never published), were never in force and keep none.
A plain add_column (no batch rebuild): rule_set is referenced by nothing, but the rule holds.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from core.clock import to_office

revision = "0019_rules_effective"
down_revision = "0020_import_hash"
branch_labels = None
depends_on = None

FAR_PAST = dt.date(2000, 1, 1)


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def upgrade() -> None:
    op.add_column("rule_set", sa.Column("effective_from", sa.Date(), nullable=True))
    connection = op.get_bind()
    first_start = _as_date(connection.execute(sa.text("SELECT MIN(start_date) FROM campaign")).scalar())
    rows = connection.execute(
        sa.text(
            "SELECT id, published_at FROM rule_set "
            "WHERE status IN ('published', 'archived') AND published_at IS NOT NULL ORDER BY version"
        )
    ).all()
    previous = None
    for index, (row_id, published_at) in enumerate(rows):
        since = (first_start or FAR_PAST) if index == 0 else to_office(_as_datetime(published_at)).date()
        since = max(since, previous) if previous else since
        connection.execute(
            sa.text("UPDATE rule_set SET effective_from = :since WHERE id = :id"), {"since": since, "id": row_id}
        )
        previous = since


def downgrade() -> None:
    op.drop_column("rule_set", "effective_from")
