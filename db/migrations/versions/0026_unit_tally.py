"""per-unit campaign totals, so a whole-campaign board sums one row per unit and type

Revision ID: 0026_unit_tally
Revises: 0025_month_tally
Create Date: 2026-11-30 23:00:00

A whole-campaign board summed each unit's months from record_unit_month_tally: at 1,000,000
records, 53,000 rows for 5,600 sums. record_unit_tally holds those sums: (campaign, unit,
type) -> approved records. Triggers keep it equal to a recount in the same transaction as every
write, as 0025_month_tally does for the monthly summaries; it is filled here from the records.

On PostgreSQL the per-person summaries' indexes on the count also carry the unit and the person,
so the people over a cap, and everyone with a mandatory task's type, are read from the index
alone (SQLite's indexes of a table without rowid hold the whole key already). And the whole
campaign per person and branch gets an index by type: a branch's mandatory task reads its few
rows instead of the whole campaign (SQLite skipped through the key; PostgreSQL read it all). The
records get an index by status and review time: the office's desk counted this week's approvals
by reading every approved record (1.7 s at 1,000,000 on SQLite).
"""

import sqlalchemy as sa
from alembic import op

from core.enums import RecordStatus

revision = "0026_unit_tally"
down_revision = "0025_month_tally"
branch_labels = None
depends_on = None

APPROVED = RecordStatus.APPROVED.value
TABLE = "record_unit_tally"
KEY = ("campaign_id", "unit_id", "type_id")
WATCHED = ("status", "campaign_id", "unit_id", "type_id")
COUNT_INDEXES = {
    "record_cadre_month_tally": ("ix_cadre_month_tally_count", ["campaign_id", "month", "type_id", "records"]),
    "record_cadre_quarter_tally": ("ix_cadre_quarter_tally_count", ["campaign_id", "quarter", "type_id", "records"]),
    "record_cadre_tally": ("ix_cadre_tally_count", ["campaign_id", "type_id", "records"]),
}
CARRIED = ["unit_id", "cadre_id"]


def _sqlite_change(row: str, delta: int) -> str:
    values = ", ".join(f"{row}.{column}" for column in KEY)
    statements = [
        f"INSERT INTO {TABLE} ({', '.join(KEY)}, records) VALUES ({values}, {delta}) "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET records = records + excluded.records;"
    ]
    if delta < 0:
        match = " AND ".join(f"{column} = {row}.{column}" for column in KEY)
        statements.append(f"DELETE FROM {TABLE} WHERE {match} AND records = 0;")
    return "\n".join(statements)


def _sqlite_triggers() -> list[str]:
    unchanged = " AND ".join(f"OLD.{column} IS NEW.{column}" for column in WATCHED)
    watched = ", ".join(WATCHED)
    return [
        f"""CREATE TRIGGER unit_tally_insert AFTER INSERT ON activity_record
        WHEN NEW.status = '{APPROVED}' BEGIN {_sqlite_change("NEW", 1)} END""",
        f"""CREATE TRIGGER unit_tally_delete AFTER DELETE ON activity_record
        WHEN OLD.status = '{APPROVED}' BEGIN {_sqlite_change("OLD", -1)} END""",
        f"""CREATE TRIGGER unit_tally_update_old AFTER UPDATE OF {watched} ON activity_record
        WHEN OLD.status = '{APPROVED}' AND NOT ({unchanged}) BEGIN {_sqlite_change("OLD", -1)} END""",
        f"""CREATE TRIGGER unit_tally_update_new AFTER UPDATE OF {watched} ON activity_record
        WHEN NEW.status = '{APPROVED}' AND NOT ({unchanged}) BEGIN {_sqlite_change("NEW", 1)} END""",
    ]


def _postgresql_triggers() -> list[str]:
    unchanged = " AND ".join(f"OLD.{column} IS NOT DISTINCT FROM NEW.{column}" for column in WATCHED)
    match = " AND ".join(f"{column} = p_{column}" for column in KEY)

    def call(row: str, delta: int) -> str:
        return f"PERFORM unit_tally_add({', '.join(f'{row}.{column}' for column in KEY)}, {delta});"

    # Writers are already queued by record_tally_serialize (0022_summaries), a statement trigger
    # that takes one advisory lock before any of these rows is locked.
    return [
        f"""CREATE OR REPLACE FUNCTION unit_tally_add(
            p_campaign_id integer, p_unit_id integer, p_type_id integer, p_delta integer)
            RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {TABLE} AS s ({', '.join(KEY)}, records)
            VALUES ({', '.join(f'p_{column}' for column in KEY)}, p_delta)
            ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET records = s.records + EXCLUDED.records;
            IF p_delta < 0 THEN DELETE FROM {TABLE} WHERE {match} AND records = 0; END IF;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION unit_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NULL; END IF;
            IF TG_OP <> 'INSERT' AND OLD.status = '{APPROVED}' THEN {call("OLD", -1)} END IF;
            IF TG_OP <> 'DELETE' AND NEW.status = '{APPROVED}' THEN {call("NEW", 1)} END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER unit_tally AFTER INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)}
        ON activity_record FOR EACH ROW EXECUTE FUNCTION unit_tally_change()""",
        f"""CREATE OR REPLACE FUNCTION unit_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {TABLE};
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER unit_tally_truncate AFTER TRUNCATE ON activity_record
        FOR EACH STATEMENT EXECUTE FUNCTION unit_tally_truncate()""",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TABLE,
        *(sa.Column(column, sa.Integer(), nullable=False) for column in KEY),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY),
        sqlite_with_rowid=False,
    )
    if dialect == "postgresql":
        # No record approved between the fill and the triggers may be missed: writers wait until
        # the migration commits (SQLite's migration holds the write lock already).
        op.execute("LOCK TABLE activity_record IN SHARE MODE")
    op.execute(
        f"INSERT INTO {TABLE} ({', '.join(KEY)}, records) SELECT {', '.join(KEY)}, COUNT(*) "
        f"FROM activity_record WHERE status = '{APPROVED}' GROUP BY {', '.join(KEY)}"
    )
    for statement in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers():
        op.execute(statement)
    op.execute(f"ANALYZE {TABLE}")  # the planner's statistics, so that the first boards use the key
    op.create_index("ix_person_tally_type", "record_person_tally", ["campaign_id", "type_id"])
    op.create_index("ix_record_reviewed", "activity_record", ["status", "reviewed_at"])
    if dialect == "postgresql":
        _count_indexes(CARRIED)


def _count_indexes(carried: list[str]) -> None:
    for table, (index, columns) in COUNT_INDEXES.items():
        op.drop_index(index, table_name=table)
        op.create_index(index, table, columns, postgresql_include=carried)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _count_indexes([])
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER unit_tally_{name}")
    else:
        op.execute("DROP TRIGGER unit_tally ON activity_record")
        op.execute("DROP TRIGGER unit_tally_truncate ON activity_record")
        op.execute("DROP FUNCTION unit_tally_change()")
        op.execute("DROP FUNCTION unit_tally_truncate()")
        op.execute("DROP FUNCTION unit_tally_add(integer, integer, integer, integer)")
    op.drop_index("ix_record_reviewed", table_name="activity_record")
    op.drop_index("ix_person_tally_type", table_name="record_person_tally")
    op.drop_table(TABLE)
