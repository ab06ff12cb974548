"""Who may do what, decided here in the data layer so that no page or path can go around it."""
from __future__ import annotations

from dataclasses import dataclass


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
    """The signed-in person as the data layer sees them. `None` actors are anonymous viewers."""

    user_id: int
    role: str  # admin / reporter / cadre / viewer
    unit_id: int | None = None
    cadre_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def records_activities(self) -> bool:
        """Enters records one by one (the office, a unit's reporter, a cadre for themself)."""
        return self.role in {"admin", "reporter", "cadre"}

    @property
    def records_in_bulk(self) -> bool:
        """Enters many records at once: the bulk grid and the Excel import."""
        return self.role in {"admin", "reporter"}

    def can_read_unit(self, unit_id: int) -> bool:
        """Unit-level detail (drafts, returned records, evidence) is visible to the unit and the office."""
        return self.is_admin or (self.unit_id is not None and self.unit_id == unit_id)

    def can_enter_for_unit(self, unit_id: int) -> bool:
        if self.is_admin:
            return True
        return self.role in {"reporter", "cadre"} and self.unit_id == unit_id


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
