"""干部名册: the cadres of each unit — add, edit, move, mark leader / principal / inactive.

Who may: the office for every unit; a unit's reporter for their own unit's people (they keep the
roster by import already), except that moving someone to another unit is the office's, because
it changes another unit's headcount. Checked here, not only in the page.

History: a cadre's records keep the unit_id they were entered under, and nothing here touches
them; every change of unit, branch or active flag closes the open membership row and opens the
next (db.models._keep_membership_history), dated by `effective_on` when the office records a move
late. Past periods' headcounts read those rows (db.board_queries.headcounts).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, or_, select
from sqlalchemy.orm import Session

from core.clock import office_today
from core.import_rules import person_code
from core.permissions import Action, Scope
from db.access import Actor, PermissionDenied, ValidationFailed, in_transaction, permits
from db.command import command
from db.engine import read_session
from db.imports import require_unit_manager
from db.models import (
    MEMBERSHIP_EFFECTIVE_KEY,
    MEMBERSHIP_EPOCH,
    Branch,
    Cadre,
    CadreMembership,
    Campaign,
    Unit,
)

PAGE_SIZE = 50
GENDERS = ("", "男", "女")
NAME_MAX, POSITION_MAX = 40, 60
BIRTH_YEAR_MIN = 1940
EDITABLE = ("name", "code", "branch_id", "position", "gender", "birth_year", "is_leader", "is_principal", "active")


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    code: str | None
    unit_id: int
    unit_name_zh: str
    unit_name_en: str
    branch_id: int | None
    branch_name: str | None
    position: str
    gender: str
    birth_year: int | None
    is_leader: bool
    is_principal: bool
    active: bool


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    total: int  # matching people over all pages
    page: int
    pages: int


@dataclass(frozen=True)
class MembershipRow:
    unit_name_zh: str
    unit_name_en: str
    branch_name: str | None
    active: bool
    valid_from: dt.date
    valid_to: dt.date | None


@permits(Action.MANAGE_PEOPLE)
def manageable_unit(actor: Actor | None, unit_id: int | None) -> int | None:
    """The unit whose roster this actor may see: any (None = all) for the office, their own for a reporter."""
    if actor.scope(Action.MANAGE_PEOPLE) is Scope.ALL:
        return unit_id
    if unit_id is not None and unit_id != actor.unit_id:
        raise PermissionDenied("error.other_unit")
    return actor.unit_id


@permits(Action.MANAGE_PEOPLE)
def search_people(
    actor: Actor | None,
    *,
    unit_id: int | None = None,
    query: str = "",
    include_inactive: bool = True,
    page: int = 0,
    page_size: int = PAGE_SIZE,
    engine: Engine | None = None,
) -> PeoplePage:
    """One page of the roster, searched by name (or code), principal leaders first within a unit."""
    unit_id = manageable_unit(actor, unit_id)
    conditions = []
    if unit_id is not None:
        conditions.append(Cadre.unit_id == unit_id)
    if query.strip():
        pattern = f"%{query.strip()}%"
        conditions.append(or_(Cadre.name.like(pattern), Cadre.code == query.strip()))
    if not include_inactive:
        conditions.append(Cadre.active.is_(True))
    with read_session(engine) as session:
        total = session.scalar(select(func.count()).select_from(Cadre).where(*conditions)) or 0
        pages = max(1, -(-total // page_size))
        page = min(max(page, 0), pages - 1)
        rows = session.execute(
            select(Cadre, Unit.name_zh, Unit.name_en, Branch.name)
            .join(Unit, Unit.id == Cadre.unit_id)
            .outerjoin(Branch, Branch.id == Cadre.branch_id)
            .where(*conditions)
            .order_by(Unit.sort_order, Unit.id, Cadre.active.desc(), Cadre.is_principal.desc(), Cadre.is_leader.desc(), Cadre.name, Cadre.id)
            .offset(page * page_size)
            .limit(page_size)
        ).all()
    return PeoplePage(
        [
            PersonRow(c.id, c.name, c.code, c.unit_id, unit_zh, unit_en, c.branch_id, branch, c.position, c.gender,
                      c.birth_year, c.is_leader, c.is_principal, c.active)
            for c, unit_zh, unit_en, branch in rows
        ],
        total, page, pages,
    )


def _check(session: Session, unit_id: int, values: dict[str, Any], cadre_id: int | None) -> dict[str, Any]:
    """The values cleaned, or ValidationFailed with every problem at once."""
    problems: list[tuple[str, str, dict]] = []
    cleaned = dict(values)
    name = (values.get("name") or "").strip()
    if not name:
        problems.append(("name", "validation.required", {}))
    elif len(name) > NAME_MAX:
        problems.append(("name", "validation.too_long", {"max": NAME_MAX}))
    cleaned["name"] = name
    if "position" in values:
        cleaned["position"] = (values["position"] or "").strip()
        if len(cleaned["position"]) > POSITION_MAX:
            problems.append(("position", "validation.too_long", {"max": POSITION_MAX}))
    if "gender" in values:
        cleaned["gender"] = values["gender"] or ""
        if cleaned["gender"] not in GENDERS:
            problems.append(("gender", "validation.bad_choice", {"choices": "、".join(g for g in GENDERS if g)}))
    year = values.get("birth_year")
    latest = office_today().year - 16
    if year is not None and not BIRTH_YEAR_MIN <= year <= latest:
        problems.append(("birth_year", "validation.out_of_range", {"min": BIRTH_YEAR_MIN, "max": latest}))
    if "code" in values:
        code, problem = person_code(values["code"])
        if problem:
            problems.append(("code", *problem))
        elif code is not None:
            holder = session.scalar(select(Cadre).where(Cadre.code == code, Cadre.id != (cadre_id or 0)))
            if holder is not None:
                problems.append(("code", "people.code_taken", {"code": code, "name": holder.name}))
        cleaned["code"] = code
    branch_id = values.get("branch_id")
    if branch_id is not None:
        branch = session.get(Branch, branch_id)
        if branch is None or branch.unit_id != unit_id or not branch.active:
            problems.append(("branch_id", "people.branch_not_in_unit", {}))
    if problems:
        raise ValidationFailed(problems)
    return cleaned


def _snapshot(cadre: Cadre) -> dict[str, Any]:
    return {key: getattr(cadre, key) for key in ("unit_id", *EDITABLE)}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before[key], after[key]] for key in before if before[key] != after[key]}


def _effective(session: Session, cadre: Cadre | None, effective_on: dt.date | None) -> dt.date:
    """The day a change takes effect: not in the future, not before the current placement began."""
    day = effective_on or office_today()
    if day > office_today():
        raise ValidationFailed([("effective_on", "people.effective_in_future", {})])
    if cadre is not None:
        started = max((row.valid_from for row in cadre.memberships if row.valid_to is None), default=None)
        if started is not None and day < started:
            raise ValidationFailed([("effective_on", "people.effective_before_current", {"date": started.isoformat()})])
    session.info[MEMBERSHIP_EFFECTIVE_KEY] = day
    return day


@permits(Action.MANAGE_PEOPLE)
def add_cadre(
    actor: Actor | None,
    *,
    unit_id: int,
    name: str,
    code: str | None = None,
    branch_id: int | None = None,
    position: str = "",
    gender: str = "",
    birth_year: int | None = None,
    is_leader: bool = False,
    is_principal: bool = False,
    since: dt.date | None = None,
    engine: Engine | None = None,
) -> int:
    """A new cadre of the unit; `since` dates their arrival (unknown: counted in every past period)."""
    actor = require_unit_manager(actor, unit_id)
    with command(actor, Action.MANAGE_PEOPLE, engine=engine) as cmd:
        session = cmd.session
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise ValidationFailed([("unit_id", "people.unit_inactive", {})])
        values = _check(session, unit_id, {
            "name": name, "code": code, "branch_id": branch_id, "position": position, "gender": gender,
            "birth_year": birth_year,
        }, None)
        if since is not None:
            _effective(session, None, since)
        cadre = Cadre(unit_id=unit_id, is_leader=is_leader, is_principal=is_principal, active=True, **values)
        session.add(cadre)
        session.flush()
        cmd.log("cadre.create", cadre, {"since": (since or MEMBERSHIP_EPOCH).isoformat()})
        return cadre.id


@permits(Action.MANAGE_PEOPLE)
def update_cadre(
    actor: Actor | None,
    cadre_id: int,
    *,
    effective_on: dt.date | None = None,
    engine: Engine | None = None,
    **values: Any,
) -> dict[str, list[Any]]:
    """Change a cadre's details, branch within the unit, leader / principal / active flags.

    Returns the changes (field: [before, after]); an unchanged save writes nothing."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with command(actor, Action.MANAGE_PEOPLE, engine=engine) as cmd:
        session = cmd.session
        cadre = cmd.watch(session.get(Cadre, cadre_id))
        if cadre is None:
            raise ValidationFailed([("cadre_id", "people.not_found", {})])
        require_unit_manager(actor, cadre.unit_id)
        cleaned = _check(session, cadre.unit_id, {"name": cadre.name, **values}, cadre.id)
        before = _snapshot(cadre)
        if any(key in values and values[key] != before[key] for key in ("branch_id", "active")):
            _effective(session, cadre, effective_on)
        for key, value in cleaned.items():
            setattr(cadre, key, value)
        changes = _changes(before, _snapshot(cadre))
        if changes:
            cmd.log("cadre.update", cadre)
        return changes


@permits(Action.ADMINISTER)
def move_cadre(
    actor: Actor | None,
    cadre_id: int,
    *,
    unit_id: int,
    branch_id: int | None = None,
    effective_on: dt.date | None = None,
    engine: Engine | None = None,
) -> dict[str, list[Any]]:
    """Move a cadre to another unit (and branch there), from `effective_on` (today by default).

    The office only: it changes two units' headcounts. Records already entered stay with the unit
    they were entered under; from the move on, the cadre is counted and entered in the new unit."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        cadre = cmd.watch(session.get(Cadre, cadre_id))
        if cadre is None:
            raise ValidationFailed([("cadre_id", "people.not_found", {})])
        target = session.get(Unit, unit_id)
        if target is None or not target.active:
            raise ValidationFailed([("unit_id", "people.unit_inactive", {})])
        if unit_id == cadre.unit_id and branch_id == cadre.branch_id:
            raise ValidationFailed([("unit_id", "people.move_same_place", {})])
        _check(session, unit_id, {"name": cadre.name, "branch_id": branch_id}, cadre.id)
        day = _effective(session, cadre, effective_on)
        before = _snapshot(cadre)
        cadre.unit_id, cadre.branch_id = unit_id, branch_id
        cmd.log("cadre.move", cadre, {"effective_on": day.isoformat()})
        return _changes(before, _snapshot(cadre))


@permits(Action.MANAGE_PEOPLE)
def membership_history(actor: Actor | None, cadre_id: int, *, engine: Engine | None = None) -> list[MembershipRow]:
    """Where the cadre has belonged, newest first."""
    with read_session(engine) as session:
        cadre = session.get(Cadre, cadre_id)
        if cadre is None:
            return []
        if not (actor is not None and actor.is_admin):
            manageable_unit(actor, cadre.unit_id)
        rows = session.execute(
            select(CadreMembership, Unit.name_zh, Unit.name_en, Branch.name)
            .join(Unit, Unit.id == CadreMembership.unit_id)
            .outerjoin(Branch, Branch.id == CadreMembership.branch_id)
            .where(CadreMembership.cadre_id == cadre_id)
            .order_by(CadreMembership.valid_from.desc(), CadreMembership.id.desc())
        ).all()
    return [MembershipRow(zh, en, branch, row.active, row.valid_from, row.valid_to) for row, zh, en, branch in rows]


@permits(Action.MANAGE_PEOPLE)
def units_and_branches(actor: Actor | None, *, engine: Engine | None = None) -> tuple[list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """The active units this actor may place people in, and each one's active branches and groups."""
    own = manageable_unit(actor, None)
    with read_session(engine) as session:
        query = select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.id)
        if own is not None:
            query = query.where(Unit.id == own)
        units = [{"id": u.id, "name_zh": u.name_zh, "name_en": u.name_en} for u in session.scalars(query)]
        branches: dict[int, list[dict[str, Any]]] = {unit["id"]: [] for unit in units}
        for branch in session.scalars(
            select(Branch).where(Branch.active.is_(True), Branch.unit_id.in_(list(branches))).order_by(Branch.kind, Branch.name)
        ):
            branches[branch.unit_id].append({"id": branch.id, "name": branch.name, "kind": branch.kind})
    return units, branches


@in_transaction
def backfill_memberships(session: Session) -> int:
    """One open membership for every cadre that has none (cadres bulk-inserted by the demo seed),
    valid from the earliest campaign start, else from MEMBERSHIP_EPOCH. Returns how many."""
    since = session.scalar(select(func.min(Campaign.start_date))) or MEMBERSHIP_EPOCH
    missing = select(Cadre.id, Cadre.unit_id, Cadre.branch_id, Cadre.active).where(
        ~select(CadreMembership.id).where(CadreMembership.cadre_id == Cadre.id).exists()
    )
    rows = [
        {"cadre_id": ident, "unit_id": unit_id, "branch_id": branch_id, "active": active, "valid_from": since, "valid_to": None}
        for ident, unit_id, branch_id, active in session.execute(missing).all()
    ]
    if rows:
        session.execute(insert(CadreMembership), rows)
    return len(rows)
