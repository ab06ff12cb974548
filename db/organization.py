"""组织机构: comparison groups, the unit tree, branches (党支部) and party groups (党小组).

The office's business only, checked here. Nothing is ever deleted, because records, people and
accounts point at units and branches: a unit that closes is deactivated, which takes it off every
board (they read active units only) while its records and its unit page stay readable.

The editable grid is checked and written by the unit list import's own functions
(db.roster_imports), so the two can never disagree about what a valid unit is. The groups and
branches grids check and write each row with the forms' own functions (_write_group, _write_branch)
in one transaction, so a grid saves all or nothing and by the forms' rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.enums import RecordStatus
from core.excel import MAX_ROWS
from core.import_rules import NO, YES, CellProblem
from core.permissions import Action
from db.access import Actor, ValidationFailed, permits, public_read
from db.board_queries import month_of
from db.command import Command, command
from db.engine import read_session
from db.imports import ImportRejected
from db.models import ActivityRecord, ActivityType, Branch, Cadre, ComparisonGroup, Unit
from db.roster_imports import UNIT_KINDS, apply_unit_plan, plan_units

GROUP_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# The kinds a unit may be; the city office itself (the tree's root) ranks in no group.
KINDS = ("city_office", *UNIT_KINDS)
NAME_LIMITS = {"name_zh": 120, "name_en": 200, "code": 40, "name": 120}
BRANCH_KINDS = ("branch", "group")  # 党支部 / 党小组


@dataclass(frozen=True)
class UnitNode:
    """A unit in tree order: `depth` levels below a root."""

    id: int
    code: str
    name_zh: str
    name_en: str
    kind: str
    group_id: int | None
    parent_id: int | None
    sort_order: int
    active: bool
    depth: int
    cadres: int  # active cadres today
    records: int  # records of any status that point at it


def _required_text(values: dict[str, Any], keys: tuple[str, ...], problems: list) -> dict[str, Any]:
    cleaned = {}
    for key in keys:
        text = (values.get(key) or "").strip()
        if not text and key != "name_en":
            problems.append((key, "validation.required", {}))
        elif len(text) > NAME_LIMITS[key]:
            problems.append((key, "validation.too_long", {"max": NAME_LIMITS[key]}))
        cleaned[key] = text
    return cleaned


# --- reading ------------------------------------------------------------------------------------


@permits(Action.ADMINISTER)
def unit_tree(actor: Actor | None, *, engine: Engine | None = None) -> list[UnitNode]:
    """Every unit, active or not, parents before their children, siblings by order."""
    with read_session(engine) as session:
        units = session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id)).all()
        cadres = dict(session.execute(select(Cadre.unit_id, func.count()).where(Cadre.active.is_(True)).group_by(Cadre.unit_id)).all())
        records = dict(session.execute(select(ActivityRecord.unit_id, func.count()).group_by(ActivityRecord.unit_id)).all())
    children: dict[int | None, list[Unit]] = {}
    known = {unit.id for unit in units}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in known else None, []).append(unit)
    ordered: list[UnitNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append(UnitNode(unit.id, unit.code, unit.name_zh, unit.name_en, unit.kind, unit.group_id, unit.parent_id,
                                    unit.sort_order, unit.active, depth, cadres.get(unit.id, 0), records.get(unit.id, 0)))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


@permits(Action.ADMINISTER)
def groups(actor: Actor | None, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        counts = dict(session.execute(select(Unit.group_id, func.count()).where(Unit.active.is_(True)).group_by(Unit.group_id)).all())
        return [
            {"id": g.id, "code": g.code, "name_zh": g.name_zh, "name_en": g.name_en, "sort_order": g.sort_order, "active": g.active,
             "units": counts.get(g.id, 0)}
            for g in session.scalars(select(ComparisonGroup).order_by(ComparisonGroup.sort_order, ComparisonGroup.id))
        ]


@permits(Action.ADMINISTER)
def branches(actor: Actor | None, unit_id: int, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """A unit's branches and party groups (active or not), each group after its branch."""
    with read_session(engine) as session:
        rows = session.scalars(select(Branch).where(Branch.unit_id == unit_id).order_by(Branch.name, Branch.id)).all()
        people = dict(session.execute(
            select(Cadre.branch_id, func.count()).where(Cadre.unit_id == unit_id, Cadre.active.is_(True)).group_by(Cadre.branch_id)
        ).all())
    names = {row.id: row.name for row in rows}
    ordered = sorted(rows, key=lambda row: (names.get(row.parent_id, row.name), row.parent_id is not None, row.name))
    return [
        {"id": row.id, "name": row.name, "kind": row.kind, "parent_id": row.parent_id, "parent": names.get(row.parent_id),
         "active": row.active, "cadres": people.get(row.id, 0)}
        for row in ordered
    ]


# --- comparison groups --------------------------------------------------------------------------


def _log_saved(cmd: Command, entity: str, row: Any, created: bool) -> None:
    """One audit row for a group, unit or branch a form or grid row saved, if anything changed:
    created, (de)activated, or updated (any other change, an active flag with it)."""
    changed = cmd.changed(row)
    if created:
        cmd.log(f"{entity}.create", row)
    elif changed == {"active"}:
        cmd.log(f"{entity}.activate" if row.active else f"{entity}.deactivate", row)
    elif changed:
        cmd.log(f"{entity}.update", row)


def _write_group(cmd: Command, values: dict[str, Any], group_id: int | None) -> ComparisonGroup:
    """Check and write one group (the form and every grid row): codes and Chinese names are unique."""
    session = cmd.session
    problems: list[tuple[str, str, dict]] = []
    code = str(values.get("code") or "").strip()
    if not GROUP_CODE.match(code):
        problems.append(("code", "organization.bad_group_code", {}))
    names = _required_text({"name_zh": values.get("name_zh"), "name_en": values.get("name_en")}, ("name_zh", "name_en"), problems)
    taken = session.scalar(select(ComparisonGroup.id).where(ComparisonGroup.code == code, ComparisonGroup.id != (group_id or 0)))
    if taken:
        problems.append(("code", "organization.code_taken", {"code": code}))
    taken_name = session.scalar(select(ComparisonGroup.id).where(ComparisonGroup.name_zh == names["name_zh"], ComparisonGroup.id != (group_id or 0)))
    if names["name_zh"] and taken_name:
        # The unit list names groups by their Chinese name: two alike could not be told apart.
        problems.append(("name_zh", "organization.group_name_taken", {"name": names["name_zh"]}))
    if problems:
        raise ValidationFailed(problems)
    group = cmd.watch(session.get(ComparisonGroup, group_id)) if group_id else ComparisonGroup(active=True)
    if group is None:
        raise ValidationFailed([("group_id", "organization.not_found", {})])
    group.code, group.name_zh, group.name_en = code, names["name_zh"], names["name_en"] or names["name_zh"]
    group.sort_order = int(values.get("sort_order") or 0)
    session.add(group)
    session.flush()
    return group


@permits(Action.ADMINISTER)
def save_group(
    actor: Actor | None,
    *,
    code: str,
    name_zh: str,
    name_en: str = "",
    sort_order: int = 0,
    group_id: int | None = None,
    engine: Engine | None = None,
) -> int:
    """Create a comparison group (group_id None) or rename / reorder one; codes are unique."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        group = _write_group(cmd, {"code": code, "name_zh": name_zh, "name_en": name_en, "sort_order": sort_order}, group_id)
        _log_saved(cmd, "group", group, created=group_id is None)
        return group.id


def _watched(cmd: Command, model: type, row_id: int, field: str) -> Any:
    """The group, unit or branch the office changes, watched for the audit row; not found, a form problem."""
    row = cmd.watch(cmd.session.get(model, row_id))
    if row is None:
        raise ValidationFailed([(field, "organization.not_found", {})])
    return row


def _set_group_active(cmd: Command, group: ComparisonGroup, active: bool) -> None:
    if group.active == active:
        return
    if not active:
        members = cmd.session.scalar(select(func.count()).select_from(Unit).where(Unit.group_id == group.id, Unit.active.is_(True)))
        if members:
            # Its units would rank in a group no board shows: the office moves or closes them first.
            raise ValidationFailed([("active", "organization.group_has_units", {"name": group.name_zh, "count": members})])
    group.active = active


@permits(Action.ADMINISTER)
def set_group_active(actor: Actor | None, group_id: int, active: bool, *, engine: Engine | None = None) -> None:
    """Deactivate a comparison group (it leaves every choice of groups; its units and history stay)
    or reactivate it. Refused while active units still rank in it."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        group = _watched(cmd, ComparisonGroup, group_id, "group_id")
        _set_group_active(cmd, group, active)
        _log_saved(cmd, "group", group, created=False)


def _save_grid(actor: Actor | None, rows: list[dict[str, Any]], write_row: Any, engine: Engine | None) -> tuple[int, int]:
    """Write every row with `write_row(cmd, row)` (True when it created) in one transaction:
    all or nothing. Problems come back together, each with its row number counted from 1."""
    if len(rows) > MAX_ROWS:
        raise ImportRejected([CellProblem(None, None, "imports.too_many_rows", {"actual": f"{len(rows):,}", "max": f"{MAX_ROWS:,}"})])
    problems: list[CellProblem] = []
    created = updated = 0
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        for number, row in enumerate(rows, start=1):
            # Each row is checked before it is written, so a refused row leaves nothing half-done;
            # the later rows are still checked (against the earlier ones) and the whole lot rolls back.
            try:
                if write_row(cmd, row):
                    created += 1
                else:
                    updated += 1
            except ValidationFailed as failed:
                problems.extend(CellProblem(number, field, key, params) for field, key, params in failed.problems)
        if problems:
            raise ImportRejected(problems)
    return created, updated


def _wants_active(row: dict[str, Any]) -> bool:
    """A grid row's Active box; a new row left blank is active, like a new group or branch."""
    value = row.get("active")
    return True if value is None else bool(value)


@permits(Action.ADMINISTER)
def group_grid_rows(actor: Actor | None, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Every comparison group, active or not, as the groups grid shows it."""
    return [{key: g[key] for key in ("id", "code", "name_zh", "name_en", "sort_order", "active")} for g in groups(actor, engine=engine)]


@permits(Action.ADMINISTER)
def save_group_grid(actor: Actor | None, rows: list[dict[str, Any]], *, engine: Engine | None = None) -> tuple[int, int]:
    """Save the groups grid (rows with an id change that group, rows without create one), each row
    checked like the form; all or nothing. Returns (created, updated); raises ImportRejected."""

    def write(cmd: Command, row: dict[str, Any]) -> bool:
        group_id = int(row["id"]) if row.get("id") is not None else None
        group = _write_group(cmd, row, group_id)
        _set_group_active(cmd, group, _wants_active(row))
        _log_saved(cmd, "group", group, created=group_id is None)
        return group_id is None

    return _save_grid(actor, rows, write, engine)


# --- units --------------------------------------------------------------------------------------


def _descendants(session: Session, unit_id: int) -> set[int]:
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    found: set[int] = set()
    frontier = {unit_id}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier and child not in found}
        found |= frontier
    return found


@permits(Action.ADMINISTER)
def save_unit(
    actor: Actor | None,
    *,
    code: str,
    name_zh: str,
    kind: str,
    name_en: str = "",
    group_id: int | None = None,
    parent_id: int | None = None,
    sort_order: int | None = None,
    unit_id: int | None = None,
    engine: Engine | None = None,
) -> int:
    """Create a unit (unit_id None) or change one: rename, recode, regroup, move in the tree, reorder.

    Refused: an empty name, a code another unit has, a parent that is the unit itself or below it,
    a kind or group that does not exist. A unit without a group ranks nowhere (the office itself)."""
    problems: list[tuple[str, str, dict]] = []
    values = _required_text({"code": code, "name_zh": name_zh, "name_en": name_en}, ("code", "name_zh", "name_en"), problems)
    if kind not in KINDS:
        problems.append(("kind", "validation.bad_choice", {"choices": "、".join(KINDS)}))
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        unit = cmd.watch(session.get(Unit, unit_id)) if unit_id else None
        if unit_id and unit is None:
            raise ValidationFailed([("unit_id", "organization.not_found", {})])
        if values["code"] and session.scalar(select(Unit.id).where(Unit.code == values["code"], Unit.id != (unit_id or 0))):
            problems.append(("code", "organization.code_taken", {"code": values["code"]}))
        group = session.get(ComparisonGroup, group_id) if group_id is not None else None
        if group_id is not None and group is None:
            problems.append(("group_id", "organization.not_found", {}))
        elif group is not None and not group.active and (unit is None or unit.group_id != group_id):
            problems.append(("group_id", "organization.group_inactive", {"name": group.name_zh}))
        if parent_id is not None:
            if unit_id is not None and (parent_id == unit_id or parent_id in _descendants(session, unit_id)):
                problems.append(("parent_id", "organization.parent_is_descendant", {"code": values["code"]}))
            elif session.get(Unit, parent_id) is None:
                problems.append(("parent_id", "organization.not_found", {}))
        if problems:
            raise ValidationFailed(problems)
        created = unit is None
        if unit is None:
            order = sort_order if sort_order is not None else (session.scalar(select(func.max(Unit.sort_order))) or 0) + 1
            unit = Unit(active=True, sort_order=order)
            session.add(unit)
        elif sort_order is not None:
            unit.sort_order = sort_order
        unit.code, unit.name_zh, unit.name_en = values["code"], values["name_zh"], values["name_en"] or values["name_zh"]
        unit.kind, unit.group_id, unit.parent_id = kind, group_id, parent_id
        session.flush()
        _log_saved(cmd, "unit", unit, created)
        return unit.id


@permits(Action.ADMINISTER)
def set_unit_active(actor: Actor | None, unit_id: int, active: bool, *, engine: Engine | None = None) -> None:
    """Deactivate a unit (it leaves every board; its records, people and page stay) or reactivate it."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        unit = _watched(cmd, Unit, unit_id, "unit_id")
        unit.active = active
        _log_saved(cmd, "unit", unit, created=False)


@public_read
def retired_unit(unit_id: int, *, engine: Engine | None = None) -> dict[str, Any] | None:
    """A deactivated unit, for its page (public like the boards): None if it is active or unknown."""
    with read_session(engine) as session:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.active:
            return None
        return {"id": unit.id, "code": unit.code, "name_zh": unit.name_zh, "name_en": unit.name_en, "group_id": unit.group_id}


@public_read
def unit_history(campaign_id: int, unit_id: int, *, engine: Engine | None = None) -> list[tuple[str, str, int]]:
    """Approved records of a unit by month and activity type (month, type code, count): what it
    did while it was active, readable after it is deactivated."""
    with read_session(engine) as session:
        month = month_of(session, ActivityRecord.occurred_on)
        rows = session.execute(
            select(month, ActivityType.code, func.count())
            .join(ActivityType, ActivityType.id == ActivityRecord.type_id)
            .where(ActivityRecord.campaign_id == campaign_id, ActivityRecord.unit_id == unit_id,
                   ActivityRecord.status == RecordStatus.APPROVED)
            .group_by(month, ActivityType.code, ActivityType.sort_order)
            .order_by(month.desc(), ActivityType.sort_order)
        ).all()
    return [(label, code, int(count)) for label, code, count in rows]


# --- the unit grid: the unit list import's rows, typed in place ---------------------------------


@permits(Action.ADMINISTER)
def unit_grid_rows(actor: Actor | None, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """The ranked units as the grid shows them: the unit list's columns, in the import's words."""
    with read_session(engine) as session:
        group_names = dict(session.execute(select(ComparisonGroup.id, ComparisonGroup.name_zh)).all())
        codes = dict(session.execute(select(Unit.id, Unit.code)).all())
        units = session.scalars(select(Unit).where(Unit.group_id.is_not(None)).order_by(Unit.sort_order, Unit.id)).all()
        return [
            {"code": u.code, "name_zh": u.name_zh, "name_en": u.name_en, "group": group_names.get(u.group_id), "kind": UNIT_KINDS.get(u.kind),
             "parent": codes.get(u.parent_id), "active": YES if u.active else NO, "sort_order": u.sort_order}
            for u in units
        ]


@permits(Action.ADMINISTER)
def save_unit_grid(actor: Actor | None, rows: list[dict[str, Any]], *, engine: Engine | None = None) -> tuple[int, int]:
    """Check every row as the unit list import does and save all or nothing; (created, updated).

    Row numbers in problems count from 1, as the grid shows them. Raises ImportRejected."""
    numbered = list(enumerate(rows, start=1))
    if len(numbered) > MAX_ROWS:
        raise ImportRejected([CellProblem(None, None, "imports.too_many_rows", {"actual": f"{len(numbered):,}", "max": f"{MAX_ROWS:,}"})])
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        plan, problems = plan_units(cmd.session, numbered)
        if problems:
            raise ImportRejected(problems)
        result = apply_unit_plan(cmd, plan, "unit.grid")
    return result.created, result.updated


# --- branches and party groups ------------------------------------------------------------------


def _write_branch(cmd: Command, unit_id: int, values: dict[str, Any], branch_id: int | None) -> Branch:
    """Check and write one branch or party group (the form and every grid row)."""
    session = cmd.session
    problems: list[tuple[str, str, dict]] = []
    cleaned = _required_text({"name": values.get("name")}, ("name",), problems)
    kind, parent_id = values.get("kind"), values.get("parent_id")
    if kind not in BRANCH_KINDS:
        problems.append(("kind", "validation.bad_choice", {"choices": "、".join(BRANCH_KINDS)}))
    branch = cmd.watch(session.get(Branch, branch_id)) if branch_id else None
    if branch_id and (branch is None or branch.unit_id != unit_id):
        raise ValidationFailed([("branch_id", "organization.not_found", {})])
    if session.get(Unit, unit_id) is None:
        raise ValidationFailed([("unit_id", "organization.not_found", {})])
    if cleaned["name"] and session.scalar(select(Branch.id).where(Branch.unit_id == unit_id, Branch.name == cleaned["name"], Branch.id != (branch_id or 0))):
        problems.append(("name", "organization.branch_name_taken", {"name": cleaned["name"]}))
    if kind == "group":
        parent = session.get(Branch, parent_id) if parent_id else None
        if parent is None or parent.unit_id != unit_id or parent.kind != "branch" or parent.id == branch_id:
            problems.append(("parent_id", "organization.group_needs_branch", {}))
    else:
        parent_id = None
        if branch is not None and branch.kind == "group" and session.scalar(select(func.count()).select_from(Branch).where(Branch.parent_id == branch.id)):
            problems.append(("kind", "organization.branch_has_groups", {}))
    if problems:
        raise ValidationFailed(problems)
    if branch is None:
        branch = Branch(unit_id=unit_id, active=True)
        session.add(branch)
    branch.name, branch.kind, branch.parent_id = cleaned["name"], kind, parent_id
    session.flush()
    return branch


@permits(Action.ADMINISTER)
def save_branch(
    actor: Actor | None,
    *,
    unit_id: int,
    name: str,
    kind: str = "branch",
    parent_id: int | None = None,
    branch_id: int | None = None,
    engine: Engine | None = None,
) -> int:
    """Create or rename a 党支部 or a 党小组 (a party group belongs to a branch of the same unit)."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        branch = _write_branch(cmd, unit_id, {"name": name, "kind": kind, "parent_id": parent_id}, branch_id)
        _log_saved(cmd, "branch", branch, created=branch_id is None)
        return branch.id


@permits(Action.ADMINISTER)
def set_branch_active(actor: Actor | None, branch_id: int, active: bool, *, engine: Engine | None = None) -> None:
    """Deactivate a branch or party group (it is no longer offered or counted) or reactivate it."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        branch = _watched(cmd, Branch, branch_id, "branch_id")
        branch.active = active
        _log_saved(cmd, "branch", branch, created=False)


@permits(Action.ADMINISTER)
def branch_grid_rows(actor: Actor | None, unit_id: int, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """A unit's branches and party groups as the grid shows them: the parent by its name."""
    return [{key: row[key] for key in ("id", "name", "kind", "parent", "active")} for row in branches(actor, unit_id, engine=engine)]


@permits(Action.ADMINISTER)
def save_branch_grid(actor: Actor | None, unit_id: int, rows: list[dict[str, Any]], *, engine: Engine | None = None) -> tuple[int, int]:
    """Save a unit's branches grid, each row checked like the form, all or nothing. A party group
    names its branch (a row above it, or one saved before). Returns (created, updated)."""

    def write(cmd: Command, row: dict[str, Any]) -> bool:
        branch_id = int(row["id"]) if row.get("id") is not None else None
        parent = str(row.get("parent") or "").strip()
        parent_id = cmd.session.scalar(select(Branch.id).where(Branch.unit_id == unit_id, Branch.name == parent)) if parent else None
        branch = _write_branch(cmd, unit_id, {"name": row.get("name"), "kind": row.get("kind"), "parent_id": parent_id}, branch_id)
        branch.active = _wants_active(row)
        _log_saved(cmd, "branch", branch, created=branch_id is None)
        return branch_id is None

    return _save_grid(actor, rows, write, engine)
