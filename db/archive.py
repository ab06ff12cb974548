"""The office's full archive: every table of the database as CSV files in one .zip (admin only).

CSV rather than one workbook because a large campaign holds a million records, beyond an Excel
sheet's limit. Pictures and generated documents are not copied (each binary column becomes its
size in bytes), and secrets never leave: password hashes and signed-out token digests are left
out. Every cell goes through core/xlsx_export.py, so no text becomes a live formula.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, LargeBinary, Table, func, select

from core.permissions import Action
from core.xlsx_export import SheetColumn, zip_of_csv
from db.access import Actor, no_actor, permits
from db.command import command
from db.engine import read_session
from db.models import Base

# Columns that hold secrets: left out of the archive whole.
SECRET_COLUMNS = {("app_user", "password_hash"), ("signed_out_session", "token_digest")}
BATCH = 2_000


@no_actor
def archive_columns(table: Table) -> list[SheetColumn]:
    """The CSV columns of a table: its own column names, binary ones marked as sizes."""
    columns = []
    for column in table.columns:
        if (table.name, column.name) in SECRET_COLUMNS:
            continue
        binary = isinstance(column.type, LargeBinary)
        columns.append(SheetColumn(column.name, f"{column.name}_bytes" if binary else column.name))
    return columns


def _rows(engine: Engine | None, table: Table) -> Iterator[dict[str, Any]]:
    kept = [column for column in table.columns if (table.name, column.name) not in SECRET_COLUMNS]
    selected = [func.length(column).label(column.name) if isinstance(column.type, LargeBinary) else column for column in kept]
    order = list(table.primary_key.columns)
    with read_session(engine) as session:
        result = session.execute(select(*selected).order_by(*order).execution_options(yield_per=BATCH))
        for row in result:
            yield dict(row._mapping)


@permits(Action.ISSUE_REPORTS)
def archive_zip(actor: Actor | None, *, engine: Engine | None = None) -> bytes:
    """Every table as <table>.csv in one .zip; the export itself is audited."""
    tables = list(Base.metadata.sorted_tables)
    data = zip_of_csv((table.name, archive_columns(table), _rows(engine, table)) for table in tables)
    with command(actor, Action.ISSUE_REPORTS, engine=engine) as cmd:
        cmd.audit("archive.export", "database", None, {"tables": len(tables), "bytes": len(data)})
    return data
