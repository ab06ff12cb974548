"""per-unit monthly and per-person monthly, quarterly and campaign summaries, so boards read few rows

Revision ID: 0025_month_tally
Revises: 0024_perf
Create Date: 2026-11-30 19:00:00

A cap counts at most N records of a type per person in a period, so the boards counted every
person's records (record_person_tally, record_day_tally): at 1,000,000 records a group's
monthly trend read about 200,000 day rows. Since min(n, cap) = n - max(n - cap, 0), a month, a
quarter or the whole campaign needs only each unit's totals per month and type, and the few
people over a cap in that period, found through an index on their count:
- record_unit_month_tally: (campaign, month, unit, type) -> approved records;
- record_cadre_month_tally: (campaign, month, unit, type, person) -> approved records;
- record_cadre_quarter_tally: (campaign, quarter, unit, type, person) -> approved records;
- record_cadre_tally: (campaign, unit, type, person) -> approved records, the whole campaign.
A person is a cadre, or 0 for the records naming nobody (one "person" per unit, as the caps
have it). month and quarter are their first day. Triggers keep all four equal to a recount in the
same transaction as every write, as 0022_summaries does for the first two summaries; they are
filled here from the records already stored.
"""

import sqlalchemy as sa
from alembic import op

from core.enums import RecordStatus

revision = "0025_month_tally"
down_revision = "0024_perf"
branch_labels = None
depends_on = None

APPROVED = RecordStatus.APPROVED.value
TABLES = {
    "record_unit_month_tally": ("campaign_id", "month", "unit_id", "type_id"),
    "record_cadre_month_tally": ("campaign_id", "month", "unit_id", "type_id", "cadre_id"),
    "record_cadre_quarter_tally": ("campaign_id", "quarter", "unit_id", "type_id", "cadre_id"),
    "record_cadre_tally": ("campaign_id", "unit_id", "type_id", "cadre_id"),
}
# The people over a type's cap in a period: one range of the index per type.
OVER_CAP_INDEXES = {
    "record_cadre_month_tally": ("ix_cadre_month_tally_count", ["campaign_id", "month", "type_id", "records"]),
    "record_cadre_quarter_tally": ("ix_cadre_quarter_tally_count", ["campaign_id", "quarter", "type_id", "records"]),
    "record_cadre_tally": ("ix_cadre_tally_count", ["campaign_id", "type_id", "records"]),
}
WATCHED = ("status", "campaign_id", "occurred_on", "unit_id", "type_id", "cadre_id")
PARAMETERS = ("campaign_id", "month", "quarter", "unit_id", "type_id", "cadre_id")
DATES = {"month", "quarter"}


def _month(dialect: str, day: str) -> str:
    """The first day of `day`'s month (db.summaries.month_start says the same in SQLAlchemy)."""
    return f"date({day}, 'start of month')" if dialect == "sqlite" else f"CAST(date_trunc('month', CAST({day} AS TIMESTAMP)) AS DATE)"


def _quarter(dialect: str, day: str) -> str:
    """The first day of `day`'s quarter (db.summaries.quarter_start)."""
    if dialect == "sqlite":
        return f"date({day}, 'start of month', printf('-%d months', (CAST(strftime('%m', {day}) AS INTEGER) - 1) % 3))"
    return f"CAST(date_trunc('quarter', CAST({day} AS TIMESTAMP)) AS DATE)"


def _values(dialect: str, row: str) -> dict[str, str]:
    return {
        "campaign_id": f"{row}.campaign_id",
        "month": _month(dialect, f"{row}.occurred_on"),
        "quarter": _quarter(dialect, f"{row}.occurred_on"),
        "unit_id": f"{row}.unit_id",
        "type_id": f"{row}.type_id",
        "cadre_id": f"COALESCE({row}.cadre_id, 0)",
    }


def _sqlite_change(row: str, delta: int) -> str:
    values = _values("sqlite", row)
    statements = []
    for table, key in TABLES.items():
        statements.append(
            f"INSERT INTO {table} ({', '.join(key)}, records) VALUES ({', '.join(values[c] for c in key)}, {delta}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET records = records + excluded.records;"
        )
        if delta < 0:
            match = " AND ".join(f"{column} = {values[column]}" for column in key)
            statements.append(f"DELETE FROM {table} WHERE {match} AND records = 0;")
    return "\n".join(statements)


def _sqlite_triggers() -> list[str]:
    unchanged = " AND ".join(f"OLD.{column} IS NEW.{column}" for column in WATCHED)
    watched = ", ".join(WATCHED)
    return [
        f"""CREATE TRIGGER month_tally_insert AFTER INSERT ON activity_record
        WHEN NEW.status = '{APPROVED}' BEGIN {_sqlite_change("NEW", 1)} END""",
        f"""CREATE TRIGGER month_tally_delete AFTER DELETE ON activity_record
        WHEN OLD.status = '{APPROVED}' BEGIN {_sqlite_change("OLD", -1)} END""",
        f"""CREATE TRIGGER month_tally_update_old AFTER UPDATE OF {watched} ON activity_record
        WHEN OLD.status = '{APPROVED}' AND NOT ({unchanged}) BEGIN {_sqlite_change("OLD", -1)} END""",
        f"""CREATE TRIGGER month_tally_update_new AFTER UPDATE OF {watched} ON activity_record
        WHEN NEW.status = '{APPROVED}' AND NOT ({unchanged}) BEGIN {_sqlite_change("NEW", 1)} END""",
    ]


def _postgresql_triggers() -> list[str]:
    parameters = {column: f"p_{column}" for column in PARAMETERS}
    upserts, deletes = [], []
    for table, key in TABLES.items():
        upserts.append(
            f"INSERT INTO {table} AS s ({', '.join(key)}, records) "
            f"VALUES ({', '.join(parameters[c] for c in key)}, p_delta) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET records = s.records + EXCLUDED.records;"
        )
        match = " AND ".join(f"{column} = {parameters[column]}" for column in key)
        deletes.append(f"DELETE FROM {table} WHERE {match} AND records = 0;")
    unchanged = " AND ".join(f"OLD.{column} IS NOT DISTINCT FROM NEW.{column}" for column in WATCHED)

    def call(row: str, delta: int) -> str:
        return f"PERFORM month_tally_add({', '.join(_values('postgresql', row).values())}, {delta});"

    # Writers are already queued by record_tally_serialize (0022_summaries), a statement trigger
    # that takes one advisory lock before any of these rows is locked.
    return [
        f"""CREATE OR REPLACE FUNCTION month_tally_add(
            p_campaign_id integer, p_month date, p_quarter date, p_unit_id integer, p_type_id integer,
            p_cadre_id integer, p_delta integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            {' '.join(upserts)}
            IF p_delta < 0 THEN {' '.join(deletes)} END IF;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION month_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NULL; END IF;
            IF TG_OP <> 'INSERT' AND OLD.status = '{APPROVED}' THEN {call("OLD", -1)} END IF;
            IF TG_OP <> 'DELETE' AND NEW.status = '{APPROVED}' THEN {call("NEW", 1)} END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER month_tally AFTER INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)}
        ON activity_record FOR EACH ROW EXECUTE FUNCTION month_tally_change()""",
        f"""CREATE OR REPLACE FUNCTION month_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {', '.join(TABLES)};
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER month_tally_truncate AFTER TRUNCATE ON activity_record
        FOR EACH STATEMENT EXECUTE FUNCTION month_tally_truncate()""",
    ]


def _fill(dialect: str, table: str, key: tuple[str, ...]) -> str:
    expressions = {
        "campaign_id": "campaign_id", "month": _month(dialect, "occurred_on"), "quarter": _quarter(dialect, "occurred_on"),
        "unit_id": "unit_id", "type_id": "type_id", "cadre_id": "COALESCE(cadre_id, 0)",
    }
    selected = [expressions[column] for column in key]
    return (
        f"INSERT INTO {table} ({', '.join(key)}, records) SELECT {', '.join(selected)}, COUNT(*) "
        f"FROM activity_record WHERE status = '{APPROVED}' GROUP BY {', '.join(selected)}"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # No record approved between the fills and the triggers may be missed: writers wait until
        # the migration commits (SQLite's migration holds the write lock already).
        op.execute("LOCK TABLE activity_record IN SHARE MODE")
    for table, key in TABLES.items():
        op.create_table(
            table,
            *(sa.Column(column, sa.Date() if column in DATES else sa.Integer(), nullable=False) for column in key),
            sa.Column("records", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(*key),
            sqlite_with_rowid=False,
        )
        op.execute(_fill(dialect, table, key))
    for table, (index, columns) in OVER_CAP_INDEXES.items():
        op.create_index(index, table, columns)
    for statement in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers():
        op.execute(statement)
    for table in TABLES:  # the planner's statistics, so that the first boards use the indexes
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER month_tally_{name}")
    else:
        op.execute("DROP TRIGGER month_tally ON activity_record")
        op.execute("DROP TRIGGER month_tally_truncate ON activity_record")
        op.execute("DROP FUNCTION month_tally_change()")
        op.execute("DROP FUNCTION month_tally_truncate()")
        op.execute("DROP FUNCTION month_tally_add(integer, date, date, integer, integer, integer, integer)")
    for table, (index, _columns) in OVER_CAP_INDEXES.items():
        op.drop_index(index, table_name=table)
    for table in reversed(list(TABLES)):
        op.drop_table(table)
