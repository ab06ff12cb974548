"""per-unit monthly counts of adopted suggestions and solved problems, so boards read whole months from them

Revision ID: 0028_bonus_tally
Revises: 0027_book_tally
Create Date: 2026-12-01 16:00:00

Every board counted the bonus events from the ledgers themselves: at 1,000,000 records the
whole-campaign board read 19,000 adopted suggestions and 60,000 solved problems from their
indexes (about 15 ms of its SQL on either database). bonus_month_tally holds, per (kind, month,
unit), the suggestions adopted (in full or in part) and the problems solved in that month, so a
board sums a row per unit and month, and reads the ledgers only for the days of a month its
period cuts. Triggers on both ledgers keep it equal to a recount in the same transaction as
every write. A suggestion counts while it is adopted and has its day of adoption; a problem
while it has its day of solution (core.ledgers sets each exactly then).

On PostgreSQL the ledgers' writers take the summaries' advisory lock first (0022_summaries'
record_tally_serialize), as the records' writers do, so writers queue instead of deadlocking on
the summary's rows, and a transaction writing both records and ledgers takes one lock, not two
in either order.
"""

from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0028_bonus_tally"
down_revision = "0027_book_tally"
branch_labels = None
depends_on = None

TABLE = "bonus_month_tally"
KEY = ("kind", "month", "unit_id")
# The suggestion statuses that earn the bonus (core.ledgers.BONUS_STATUSES) as this migration
# installs them in the triggers: changing that policy needs a migration that replaces the triggers
# and recounts (a test compares the two).
ADOPTED_STATUSES = ("adopted", "partial")
ADOPTED = ", ".join(f"'{status}'" for status in ADOPTED_STATUSES)
WRITERS_LOCK = 20221130  # db.engine.WRITERS_LOCK, taken by every writer before any table or row


class Ledger(NamedTuple):
    """A ledger whose rows are bonus events: its bonus kind, the column dating the event, when
    a row counts (over the trigger's row `{row}`) and the columns whose change moves it."""

    table: str
    kind: str
    day: str
    counts: str
    watched: tuple[str, ...]

    def counts_row(self, row: str) -> str:
        return self.counts.format(row=row)


LEDGERS = (
    Ledger("suggestion", "adopted_suggestion", "adopted_on",
           f"{{row}}.status IN ({ADOPTED}) AND {{row}}.adopted_on IS NOT NULL", ("status", "adopted_on", "unit_id")),
    Ledger("problem", "solved_problem", "solved_on", "{row}.solved_on IS NOT NULL", ("solved_on", "unit_id")),
)


def _month(dialect: str, day: str) -> str:
    if dialect == "sqlite":
        return f"date({day}, 'start of month')"
    return f"CAST(date_trunc('month', CAST({day} AS TIMESTAMP)) AS DATE)"


def _sqlite_change(ledger: Ledger, row: str, delta: int) -> str:
    month = _month("sqlite", f"{row}.{ledger.day}")
    statements = [
        f"INSERT INTO {TABLE} ({', '.join(KEY)}, events) VALUES ('{ledger.kind}', {month}, {row}.unit_id, {delta}) "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET events = events + excluded.events;"
    ]
    if delta < 0:
        statements.append(
            f"DELETE FROM {TABLE} WHERE kind = '{ledger.kind}' AND month = {month} AND unit_id = {row}.unit_id AND events = 0;"
        )
    return "\n".join(statements)


def _sqlite_triggers(ledger: Ledger) -> list[str]:
    unchanged = " AND ".join(f"OLD.{column} IS NEW.{column}" for column in ledger.watched)
    watched = ", ".join(ledger.watched)
    name = f"{ledger.table}_bonus"
    return [
        f"""CREATE TRIGGER {name}_insert AFTER INSERT ON {ledger.table}
        WHEN {ledger.counts_row("NEW")} BEGIN {_sqlite_change(ledger, "NEW", 1)} END""",
        f"""CREATE TRIGGER {name}_delete AFTER DELETE ON {ledger.table}
        WHEN {ledger.counts_row("OLD")} BEGIN {_sqlite_change(ledger, "OLD", -1)} END""",
        f"""CREATE TRIGGER {name}_update_old AFTER UPDATE OF {watched} ON {ledger.table}
        WHEN {ledger.counts_row("OLD")} AND NOT ({unchanged}) BEGIN {_sqlite_change(ledger, "OLD", -1)} END""",
        f"""CREATE TRIGGER {name}_update_new AFTER UPDATE OF {watched} ON {ledger.table}
        WHEN {ledger.counts_row("NEW")} AND NOT ({unchanged}) BEGIN {_sqlite_change(ledger, "NEW", 1)} END""",
    ]


def _postgresql_add() -> str:
    match = " AND ".join(f"{column} = p_{column}" for column in KEY)
    return f"""CREATE OR REPLACE FUNCTION bonus_tally_add(p_kind varchar, p_month date, p_unit_id integer, p_delta integer)
        RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} AS s ({', '.join(KEY)}, events) VALUES (p_kind, p_month, p_unit_id, p_delta)
        ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET events = s.events + EXCLUDED.events;
        IF p_delta < 0 THEN DELETE FROM {TABLE} WHERE {match} AND events = 0; END IF;
    END $$"""


def _postgresql_triggers(ledger: Ledger) -> list[str]:
    unchanged = " AND ".join(f"OLD.{column} IS NOT DISTINCT FROM NEW.{column}" for column in ledger.watched)
    name = f"{ledger.table}_bonus"

    def call(row: str, delta: int) -> str:
        return f"PERFORM bonus_tally_add('{ledger.kind}', {_month('postgresql', f'{row}.{ledger.day}')}, {row}.unit_id, {delta});"

    return [
        f"""CREATE OR REPLACE FUNCTION {name}_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NULL; END IF;
            IF TG_OP <> 'INSERT' AND {ledger.counts_row("OLD")} THEN {call("OLD", -1)} END IF;
            IF TG_OP <> 'DELETE' AND {ledger.counts_row("NEW")} THEN {call("NEW", 1)} END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(ledger.watched)}
        ON {ledger.table} FOR EACH ROW EXECUTE FUNCTION {name}_change()""",
        f"""CREATE TRIGGER {name}_serialize BEFORE INSERT OR DELETE OR UPDATE OF {', '.join(ledger.watched)}
        ON {ledger.table} FOR EACH STATEMENT EXECUTE FUNCTION record_tally_serialize()""",
        f"""CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {ledger.table}
        FOR EACH STATEMENT EXECUTE FUNCTION bonus_tally_truncate('{ledger.kind}')""",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TABLE,
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY),
        sqlite_with_rowid=False,
    )
    if dialect == "postgresql":
        # No suggestion adopted nor problem solved between the fill and the triggers may be
        # missed: writers wait until the migration commits (SQLite's holds the write lock already).
        # The writers' lock first, as every writer takes it, so that none holds a ledger's rows
        # while waiting for it.
        op.execute(f"SELECT pg_advisory_xact_lock({WRITERS_LOCK})")
        op.execute("LOCK TABLE suggestion, problem IN SHARE MODE")
        op.execute(_postgresql_add())
        op.execute(f"""CREATE OR REPLACE FUNCTION bonus_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM {TABLE} WHERE kind = TG_ARGV[0];
            RETURN NULL;
        END $$""")
    for ledger in LEDGERS:
        month = _month(dialect, ledger.day)
        op.execute(
            f"INSERT INTO {TABLE} ({', '.join(KEY)}, events) SELECT '{ledger.kind}', {month}, unit_id, COUNT(*) "
            f"FROM {ledger.table} WHERE {ledger.counts_row(ledger.table)} GROUP BY {month}, unit_id"
        )
        for statement in _sqlite_triggers(ledger) if dialect == "sqlite" else _postgresql_triggers(ledger):
            op.execute(statement)
    op.execute(f"ANALYZE {TABLE}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for ledger in LEDGERS:
        name = f"{ledger.table}_bonus"
        if dialect == "sqlite":
            for trigger in ("insert", "delete", "update_old", "update_new"):
                op.execute(f"DROP TRIGGER {name}_{trigger}")
        else:
            for trigger in ("", "_serialize", "_truncate"):
                op.execute(f"DROP TRIGGER {name}{trigger} ON {ledger.table}")
            op.execute(f"DROP FUNCTION {name}_change()")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION bonus_tally_truncate()")
        op.execute("DROP FUNCTION bonus_tally_add(varchar, date, integer, integer)")
    op.drop_table(TABLE)
