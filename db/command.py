"""The one write path: every command runs inside `command(actor, action)`.

    with command(actor, Action.REVIEW, engine=engine) as cmd:
        record = cmd.target(ActivityRecord, record_id, expected_version=version)
        record.status = RecordStatus.APPROVED
        cmd.log("record.approve", record)

The helper checks the actor against core/permissions (and each target against the actor's
scope), opens the write transaction (db.engine.write_session, which also moves the data
version), writes one audit row per logged change with the values before and after, and turns a
stale version or a broken constraint into the documented errors (ConflictError). A refusal
raises before anything is written.
"""
from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, LargeBinary, inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.permissions import Action
from db.access import Actor, ConflictError, PermissionDenied, require, require_record
from db.audit import audit
from db.engine import write_session

# Never copied into the audit trail.
SECRET_COLUMNS = frozenset({"password_hash"})


class DuplicateWrite(ConflictError):
    """A unique constraint refused the write: someone wrote the same thing a moment earlier."""


def _plain(value: Any) -> Any:
    """A value the audit row's JSON can hold."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def snapshot(row: Any) -> dict[str, Any]:
    """A row's column values, without binary data (photos are audited by id, not by content) or secrets."""
    mapper = inspect(row).mapper
    return {
        attribute.key: _plain(getattr(row, attribute.key))
        for attribute in mapper.column_attrs
        if not isinstance(attribute.columns[0].type, LargeBinary) and attribute.key not in SECRET_COLUMNS
    }


@dataclass
class Command:
    session: Session
    actor: Actor
    action: Action
    # Keyed by the row object's id(); the row is kept with its values so that its id cannot be
    # reused by a new row while the command runs (a freed row's id once gave a new group the
    # before-values of another, on PostgreSQL in CI).
    _before: dict[int, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    _logged: list[tuple[str, Any, dict[str, Any]]] = field(default_factory=list)

    def target(self, model: type, row_id: int, *, expected_version: int | None = None, gone_key: str = "error.other_unit") -> Any:
        """The row the command changes, within the actor's scope and unchanged since it was read."""
        row = self.session.get(model, row_id)
        if row is None:
            raise PermissionDenied(gone_key)
        if hasattr(row, "unit_id"):
            require_record(self.actor, self.action, row.unit_id, getattr(row, "cadre_id", None))
        if expected_version is not None and row.version != expected_version:
            raise ConflictError()
        return self.watch(row)

    def watch(self, row: Any) -> Any:
        """Remember a row's values before the change, for the audit row's before/after (None passes through)."""
        if row is not None:
            self._before.setdefault(id(row), (row, snapshot(row)))
        return row

    def changed(self, row: Any) -> set[str]:
        """The columns whose values differ from what they were (every column of a row not watched: a new one)."""
        before, after = self._values_before(row), snapshot(row)
        return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}

    def _values_before(self, row: Any) -> dict[str, Any]:
        """What `row` held when watched; nothing for a row not watched (a new one)."""
        watched = self._before.get(id(row))
        return watched[1] if watched is not None and watched[0] is row else {}

    def log(self, event: str, row: Any, detail: dict[str, Any] | None = None) -> None:
        """One audit row for this change of `row`, written when the command's changes are done: the
        columns that changed, before and after, unless `detail` brings its own "before"/"after"
        (a ledger's own view of a row)."""
        self._logged.append((event, row, detail or {}))

    def audit(self, event: str, entity: str, entity_id: int | None, detail: dict[str, Any]) -> None:
        """An audit row for a change that is not one row's (a setting), with its own before/after."""
        audit(self.session, self.actor, event, entity, entity_id, detail)

    def finish(self) -> None:
        self.session.flush()
        for event, row, detail in self._logged:
            before = self._values_before(row)
            after = snapshot(row)
            changed = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
            audit(self.session, self.actor, event, inspect(row).mapper.local_table.name, row.id, {
                "before": {key: before.get(key) for key in changed if key in before},
                "after": {key: after.get(key) for key in changed},
                **detail,
            })


@contextmanager
def command(actor: Actor | None, action: Action, *, unit_id: int | None = None, engine: Engine | None = None) -> Iterator[Command]:
    """Check, open the transaction, audit, commit; see the module's docstring."""
    actor = require(actor, action, unit_id=unit_id)
    try:
        with write_session(engine) as session:
            cmd = Command(session, actor, action)
            yield cmd
            cmd.finish()
    except StaleDataError:
        raise ConflictError() from None
    except IntegrityError as error:
        raise DuplicateWrite() from error
