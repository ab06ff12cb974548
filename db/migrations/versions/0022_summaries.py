"""record summaries kept by triggers; featured notes dated by when they were featured

Revision ID: 0022_summaries
Revises: 0019_rules_effective
Create Date: 2026-11-30 15:40:00

The boards count approved records from two summary tables (db/summaries.py) instead of the
records: record_day_tally (campaign, day, unit, type, person, branch) and record_person_tally (the
same over the whole campaign). Triggers on activity_record keep them equal to a recount in the
same transaction as every insert, update and delete, whichever code path writes: the ORM, a
bulk UPDATE, an import or the seed. Both are filled here from the records already stored.

A featured note's bonus is dated by featured_at; notes featured before it was always set get
their record's date (noon UTC, the same calendar day in any office zone from UTC-12 to UTC+11).
"""

import sqlalchemy as sa
from alembic import op

from core.enums import RecordStatus

revision = "0022_summaries"
down_revision = "0019_rules_effective"
branch_labels = None
depends_on = None

APPROVED = RecordStatus.APPROVED.value
DAY_KEY = ("campaign_id", "occurred_on", "unit_id", "type_id", "cadre_id", "branch_id")
PERSON_KEY = ("campaign_id", "unit_id", "type_id", "cadre_id", "branch_id")
WATCHED = ("status", *DAY_KEY)  # the columns whose change moves a record between summary rows
TALLY_LOCK = 20221130  # the advisory lock that queues writers of the summaries on PostgreSQL


def _values(row: str) -> dict[str, str]:
    """The summary key of the trigger's OLD or NEW row (no person / no branch is 0)."""
    return {
        column: f"COALESCE({row}.{column}, 0)" if column in {"cadre_id", "branch_id"} else f"{row}.{column}"
        for column in DAY_KEY
    }


def _sqlite_change(row: str, delta: int) -> str:
    """Statements adding `delta` to both summaries for the trigger's OLD or NEW row, dropping a
    row that falls to zero so that the summaries hold exactly what a recount gives."""
    values = _values(row)
    statements = []
    for table, key in (("record_day_tally", DAY_KEY), ("record_person_tally", PERSON_KEY)):
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
        f"""CREATE TRIGGER record_tally_insert AFTER INSERT ON activity_record
        WHEN NEW.status = '{APPROVED}' BEGIN {_sqlite_change("NEW", 1)} END""",
        f"""CREATE TRIGGER record_tally_delete AFTER DELETE ON activity_record
        WHEN OLD.status = '{APPROVED}' BEGIN {_sqlite_change("OLD", -1)} END""",
        f"""CREATE TRIGGER record_tally_update_old AFTER UPDATE OF {watched} ON activity_record
        WHEN OLD.status = '{APPROVED}' AND NOT ({unchanged}) BEGIN {_sqlite_change("OLD", -1)} END""",
        f"""CREATE TRIGGER record_tally_update_new AFTER UPDATE OF {watched} ON activity_record
        WHEN NEW.status = '{APPROVED}' AND NOT ({unchanged}) BEGIN {_sqlite_change("NEW", 1)} END""",
    ]


def _postgresql_triggers() -> list[str]:
    parameters = {column: f"p_{column}" for column in DAY_KEY}
    upserts, deletes = [], []
    for table, key in (("record_day_tally", DAY_KEY), ("record_person_tally", PERSON_KEY)):
        upserts.append(
            f"INSERT INTO {table} AS s ({', '.join(key)}, records) "
            f"VALUES ({', '.join(parameters[c] for c in key)}, p_delta) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET records = s.records + EXCLUDED.records;"
        )
        match = " AND ".join(f"{column} = {parameters[column]}" for column in key)
        deletes.append(f"DELETE FROM {table} WHERE {match} AND records = 0;")
    unchanged = " AND ".join(f"OLD.{column} IS NOT DISTINCT FROM NEW.{column}" for column in WATCHED)

    def call(row: str, delta: int) -> str:
        return f"PERFORM record_tally_add({', '.join(_values(row).values())}, {delta});"

    return [
        f"""CREATE OR REPLACE FUNCTION record_tally_add(
            p_campaign_id integer, p_occurred_on date, p_unit_id integer, p_type_id integer,
            p_cadre_id integer, p_branch_id integer, p_delta integer) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            {' '.join(upserts)}
            IF p_delta < 0 THEN {' '.join(deletes)} END IF;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION record_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND {unchanged} THEN RETURN NULL; END IF;
            IF TG_OP <> 'INSERT' AND OLD.status = '{APPROVED}' THEN {call("OLD", -1)} END IF;
            IF TG_OP <> 'DELETE' AND NEW.status = '{APPROVED}' THEN {call("NEW", 1)} END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER record_tally AFTER INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)}
        ON activity_record FOR EACH ROW EXECUTE FUNCTION record_tally_change()""",
        # Two transactions approving records of the same people in a different order would lock
        # the same summary rows in a different order and deadlock. Every statement that may move
        # the summaries first takes one transaction-long lock, before any row lock: writers of
        # records queue (as they do on SQLite) instead of deadlocking.
        f"""CREATE OR REPLACE FUNCTION record_tally_serialize() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({TALLY_LOCK});
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER record_tally_serialize BEFORE INSERT OR DELETE OR UPDATE OF {', '.join(WATCHED)}
        ON activity_record FOR EACH STATEMENT EXECUTE FUNCTION record_tally_serialize()""",
        """CREATE OR REPLACE FUNCTION record_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE record_day_tally, record_person_tally;
            RETURN NULL;
        END $$""",
        """CREATE TRIGGER record_tally_truncate AFTER TRUNCATE ON activity_record
        FOR EACH STATEMENT EXECUTE FUNCTION record_tally_truncate()""",
    ]


def _fill(table: str, key: tuple[str, ...]) -> str:
    selected = [f"COALESCE({c}, 0)" if c in {"cadre_id", "branch_id"} else c for c in key]
    return (
        f"INSERT INTO {table} ({', '.join(key)}, records) SELECT {', '.join(selected)}, COUNT(*) "
        f"FROM activity_record WHERE status = '{APPROVED}' GROUP BY {', '.join(selected)}"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "record_day_tally",
        *(sa.Column(column, sa.Date() if column == "occurred_on" else sa.Integer(), nullable=False) for column in DAY_KEY),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*DAY_KEY),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "record_person_tally",
        *(sa.Column(column, sa.Integer(), nullable=False) for column in PERSON_KEY),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*PERSON_KEY),
        sqlite_with_rowid=False,
    )
    if not sqlite:
        # No record approved between the fill and the triggers may be missed: writers wait until
        # the migration commits (SQLite's migration holds the write lock already).
        op.execute("LOCK TABLE activity_record IN SHARE MODE")
    op.execute(_fill("record_day_tally", DAY_KEY))
    op.execute(_fill("record_person_tally", PERSON_KEY))
    for statement in _sqlite_triggers() if sqlite else _postgresql_triggers():
        op.execute(statement)
    noon = "occurred_on || ' 12:00:00.000000'" if sqlite else "occurred_on + time '12:00'"
    op.execute(
        f"UPDATE study_record SET featured_at = (SELECT {noon} FROM activity_record "
        "WHERE activity_record.id = study_record.record_id) WHERE featured AND featured_at IS NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER record_tally_{name}")
    else:
        op.execute("DROP TRIGGER record_tally ON activity_record")
        op.execute("DROP TRIGGER record_tally_truncate ON activity_record")
        op.execute("DROP TRIGGER record_tally_serialize ON activity_record")
        op.execute("DROP FUNCTION record_tally_serialize()")
        op.execute("DROP FUNCTION record_tally_change()")
        op.execute("DROP FUNCTION record_tally_truncate()")
        op.execute("DROP FUNCTION record_tally_add(integer, date, integer, integer, integer, integer, integer)")
    op.drop_table("record_person_tally")
    op.drop_table("record_day_tally")
