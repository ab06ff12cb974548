"""Who may do what, decided here in the data layer so that no page or path can go around it."""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from core.enums import Role
from core.permissions import NOT_OWN, OTHER_UNIT, PERMISSIONS, SIGN_IN_REQUIRED, Action, Scope, Unchecked, allows, scope

F = TypeVar("F", bound=Callable[..., Any])


class PermissionDenied(Exception):
    """The actor may not do this; `key` names the message in the UI catalogues."""

    def __init__(self, key: str = "error.permission") -> None:
        super().__init__(key)
        self.key = key


class ValidationFailed(Exception):
    """Input that cannot be saved; `problems` holds (field, message key, params) for the form."""

    def __init__(self, problems: list[tuple[str, str, dict]]) -> None:
        super().__init__("; ".join(key for _field, key, _params in problems))
        self.problems = problems


class ConflictError(Exception):
    """Someone else changed the record since it was opened (optimistic lock)."""

    key = "error.conflict"


@dataclass(frozen=True)
class Actor:
    """The signed-in person as the data layer sees them. `None` actors are anonymous viewers.

    What they may do is read from the one table, core/permissions.PERMISSIONS.
    """

    user_id: int
    role: Role
    unit_id: int | None = None
    cadre_id: int | None = None

    def scope(self, action: Action) -> Scope:
        return scope(self.role, action)

    def may(self, action: Action) -> bool:
        return allows(self.role, action)

    def reaches_unit(self, action: Action, unit_id: int | None) -> bool:
        """May do the action on something of this unit (a cadre's own scope lies within their unit)."""
        reach = self.scope(action)
        if reach is Scope.ALL:
            return True
        return reach is not Scope.NONE and self.unit_id is not None and unit_id == self.unit_id

    def reaches_record(self, action: Action, unit_id: int | None, cadre_id: int | None) -> bool:
        """May do the action on this record: of their unit, and for own scope (a cadre) their own."""
        if not self.reaches_unit(action, unit_id):
            return False
        return self.scope(action) is not Scope.OWN or (cadre_id is not None and cadre_id == self.cadre_id)

    @property
    def is_admin(self) -> bool:
        """The office: the one role that administers the product's settings."""
        return self.may(Action.ADMINISTER)

    @property
    def records_activities(self) -> bool:
        """Enters records one by one (the office, a unit's reporter, a cadre for themself)."""
        return self.may(Action.ENTER_RECORD)

    @property
    def records_in_bulk(self) -> bool:
        """Enters many records at once: the bulk grid and the Excel import."""
        return self.may(Action.ENTER_IN_BULK)

    @property
    def enters_own_records_only(self) -> bool:
        """A cadre: every record they write is their own."""
        return self.scope(Action.ENTER_RECORD) is Scope.OWN

    def can_read_unit(self, unit_id: int) -> bool:
        """Unit-level detail (drafts, returned records, evidence) is visible to the unit and the office."""
        return self.reaches_unit(Action.READ_UNIT, unit_id)

    def can_enter_for_unit(self, unit_id: int) -> bool:
        return self.reaches_unit(Action.ENTER_RECORD, unit_id)


def require(actor: Actor | None, action: Action, *, unit_id: int | None = None) -> Actor:
    """The actor, if signed in and allowed the action (on `unit_id`, when given); else PermissionDenied."""
    if actor is None:
        raise PermissionDenied(SIGN_IN_REQUIRED)
    if not actor.may(action) or (actor.scope(action) is Scope.OWN_UNIT and actor.unit_id is None):
        raise PermissionDenied(PERMISSIONS[action].refused)
    if unit_id is not None and not actor.reaches_unit(action, unit_id):
        raise PermissionDenied(OTHER_UNIT)
    return actor


def require_record(actor: Actor, action: Action, unit_id: int, cadre_id: int | None) -> None:
    """The record is within the actor's scope for the action: their unit's, or (a cadre) their own."""
    if not actor.reaches_unit(action, unit_id):
        raise PermissionDenied(OTHER_UNIT)
    if not actor.reaches_record(action, unit_id, cadre_id):
        raise PermissionDenied(NOT_OWN)


def require_admin(actor: Actor | None) -> Actor:
    if actor is None or not actor.is_admin:
        raise PermissionDenied("error.admin_only")
    return actor


def require_signed_in(actor: Actor | None) -> Actor:
    if actor is None:
        raise PermissionDenied("error.sign_in_required")
    return actor


def require_unit_entry(actor: Actor | None, unit_id: int) -> Actor:
    actor = require_signed_in(actor)
    if not actor.can_enter_for_unit(unit_id):
        raise PermissionDenied("error.other_unit")
    return actor


def permits(action: Action) -> Callable[[F], F]:
    """Declare and enforce the action a command or query does: its `actor` argument must be
    allowed it (core.permissions.PERMISSIONS) before anything runs. Whether the target lies in
    the actor's scope (unit, own records) is checked where the target is read."""

    def decorate(function: F) -> F:
        position = list(inspect.signature(function).parameters).index("actor")

        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            require(args[position] if len(args) > position else kwargs.get("actor"), action)
            return function(*args, **kwargs)

        checked.__rule__ = action
        return checked  # type: ignore[return-value]

    return decorate


def declares(kind: Unchecked) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        function.__rule__ = kind
        return function

    return decorate


public_read = declares(Unchecked.PUBLIC_READ)
in_transaction = declares(Unchecked.IN_TRANSACTION)
no_actor = declares(Unchecked.NO_ACTOR)


def declared_rule(function: Callable) -> Action | Unchecked | None:
    """The rule a db/ function declared by its decorator."""
    return getattr(function, "__rule__", None)
