"""Cadre rosters (干部名册) and unit lists (单位名单) from Excel, the same way records import.

A template comes pre-filled with what the database holds, so that the usual job is: download,
change a few rows, upload. A roster row matches an existing cadre by their stable key (工号/编码,
or a 身份证 number kept as its hash) wherever they are — a renamed person is updated, and one the
office imports into another unit is moved there — else by name within the unit (namesakes by name
and position); a unit row matches an existing unit by its code; unmatched rows are new. A blank
cell of an existing row leaves that value as it was. The unit grid of the organization page
(db.organization) is checked and saved by the same functions as the unit list.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import office_today
from core.excel import read_table
from core.import_rules import NO, YES, CellProblem, Column, convert_row, person_code, row_is_empty
from core.permissions import Action
from db.access import Actor, in_transaction, permits
from db.command import Command, command
from db.engine import read_session
from db.imports import ImportRejected, in_sheet_order, merge_problems, require_unit_manager, template_workbook, zh
from db.models import Branch, Cadre, ComparisonGroup, Unit

Rows = Sequence[tuple[int, dict[str, Any]]]
GENDERS = ("男", "女")
# Unit kinds a list may hold, by the words people use; the city office itself is not imported.
UNIT_KINDS = {"district": "区县委组织部", "department": "市直部门组织人事处", "division": "市委组织部处室"}
_LIMITS = {"name": 40, "position": 60, "branch": 120, "code": 40, "name_zh": 120, "name_en": 200}

ROSTER_COLUMNS = [
    Column("name", "姓名", "Name", "text"),
    Column("branch", "党支部", "Branch", "text", required=False),
    Column("position", "职务", "Position", "text", required=False),
    Column("gender", "性别", "Gender", "choice", required=False, choices=GENDERS),
    Column("birth_year", "出生年份", "Birth year", "year", required=False, min_value=1940),
    Column("is_leader", "领导干部", "Leader", "bool", required=False),
    Column("is_principal", "主要负责人", "Principal", "bool", required=False),
    Column("active", "在职", "Active", "bool", required=False),
    Column("code", "工号/编码", "Code", "text", required=False),
]
UNIT_COLUMNS = [
    Column("code", "单位代码", "Code", "text"),
    Column("name_zh", "单位名称", "Name", "text"),
    Column("name_en", "英文名称", "English name", "text", required=False),
    Column("group", "比较组", "Comparison group", "choice"),
    Column("kind", "类别", "Kind", "choice", choices=tuple(UNIT_KINDS.values())),
    Column("parent", "上级单位代码", "Parent code", "text", required=False),
    Column("active", "启用", "Active", "bool", required=False),
    Column("sort_order", "排序", "Order", "int", required=False),
]


@dataclass
class ListCheck:
    """What an import of a roster or unit list would do."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    new_branches: list[str] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _too_long(number: int, values: dict[str, Any]) -> list[CellProblem]:
    return [
        CellProblem(number, key, "validation.too_long", {"max": limit})
        for key, limit in _LIMITS.items() if isinstance(values.get(key), str) and len(values[key]) > limit
    ]


# --- cadre rosters ------------------------------------------------------------------------------


@permits(Action.ENTER_IN_BULK)
def roster_template(actor: Actor | None, *, unit_id: int, engine: Engine | None = None) -> bytes:
    """The unit's roster as it stands, ready to be corrected and uploaded again."""
    require_unit_manager(actor, unit_id)
    with read_session(engine) as session:
        unit = session.get(Unit, unit_id)
        branches = dict(session.execute(select(Branch.id, Branch.name).where(Branch.unit_id == unit_id)).all())
        cadres = session.scalars(select(Cadre).where(Cadre.unit_id == unit_id).order_by(Cadre.is_principal.desc(), Cadre.id)).all()
        rows = [
            [c.name, branches.get(c.branch_id, ""), c.position, c.gender, c.birth_year,
             _yes_no(c.is_leader), _yes_no(c.is_principal), _yes_no(c.active), c.code]
            for c in cadres
        ]
    choices = {"gender": list(GENDERS), "is_leader": [YES, NO], "is_principal": [YES, NO], "active": [YES, NO]}
    notes = [zh("imports.template.note_roster", unit=unit.name_zh), zh("imports.template.note_blank_keeps")]
    hints = {"branch": zh("imports.template.hint_new_branch"), "name": zh("imports.template.hint_name"), "code": zh("people.template_hint_code")}
    return template_workbook(ROSTER_COLUMNS, choices, notes, hints, rows=rows)


def _plan_roster(session: Session, actor: Actor, unit_id: int, rows: Rows) -> tuple[list[tuple[int, Cadre | None, dict[str, Any]]], list[str], list[CellProblem]]:
    existing = session.scalars(select(Cadre).where(Cadre.unit_id == unit_id)).all()
    by_name: dict[str, list[Cadre]] = {}
    for cadre in existing:
        by_name.setdefault(cadre.name, []).append(cadre)
    by_code = {cadre.code: cadre for cadre in session.scalars(select(Cadre).where(Cadre.code.is_not(None))).all()}
    unit_names = dict(session.execute(select(Unit.id, Unit.name_zh)).all())
    codes_seen: dict[str, int] = {}
    branch_names = set(session.scalars(select(Branch.name).where(Branch.unit_id == unit_id)).all())
    plan: list[tuple[int, Cadre | None, dict[str, Any]]] = []
    problems: list[CellProblem] = []
    new_branches: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    matched: dict[int, int] = {}
    max_year = office_today().year - 16
    for number, raw in rows:
        if row_is_empty(raw):
            continue
        values, row_problems = convert_row(ROSTER_COLUMNS, raw, number)
        row_problems += _too_long(number, values)
        name, position = values.get("name"), values.get("position") or ""
        if not name:
            row_problems.append(CellProblem(number, "name", "validation.required", {}))
        code, code_problem = person_code(values.get("code"))
        values["code"] = code
        if code_problem:
            row_problems.append(CellProblem(number, "code", *code_problem))
        elif code in codes_seen:
            row_problems.append(CellProblem(number, "code", "imports.duplicate_row", {"first": codes_seen[code]}))
        if code:
            codes_seen.setdefault(code, number)
        holder = by_code.get(code) if code else None
        if holder is not None and holder.unit_id != unit_id and not actor.is_admin:
            row_problems.append(CellProblem(number, "code", "people.code_other_unit", {"name": holder.name, "unit": unit_names.get(holder.unit_id, "")}))
        year = values.get("birth_year")
        if year is not None and not 1940 <= year <= max_year:
            row_problems.append(CellProblem(number, "birth_year", "validation.out_of_range", {"min": 1940, "max": max_year}))
        target = holder
        if name and holder is None:
            if (name, position) in seen:
                row_problems.append(CellProblem(number, "name", "imports.duplicate_row", {"first": seen[(name, position)]}))
            seen.setdefault((name, position), number)
            # Someone of the same name under another key is a namesake, not this person.
            candidates = [cadre for cadre in by_name.get(name, []) if not code or cadre.code in {None, code}]
            if len(candidates) > 1:
                candidates = [cadre for cadre in candidates if cadre.position == position]
                if len(candidates) != 1:
                    examples = "、".join(f"{c.name}({c.position})" for c in by_name[name][:3])
                    row_problems.append(CellProblem(number, "name", "imports.ambiguous_person", {"name": name, "count": len(by_name[name]), "examples": examples}))
            if len(candidates) == 1:
                target = candidates[0]
        if target is not None:
            if target.id in matched:
                row_problems.append(CellProblem(number, "name", "imports.duplicate_row", {"first": matched[target.id]}))
            matched.setdefault(target.id, number)
        branch = values.get("branch")
        if branch and branch not in branch_names and branch not in new_branches:
            new_branches.append(branch)
        problems += row_problems
        if not row_problems:
            plan.append((number, target, values))
    if not plan and not problems:
        problems.append(CellProblem(None, None, "imports.file_no_rows", {}))
    return plan, new_branches, problems


@permits(Action.ENTER_IN_BULK)
def check_roster_file(actor: Actor | None, *, unit_id: int, raw: bytes, engine: Engine | None = None) -> ListCheck:
    """Read an uploaded roster and say what importing it would do, with every problem."""
    actor = require_unit_manager(actor, unit_id)
    table = read_table(raw, ROSTER_COLUMNS)
    with read_session(engine) as session:
        plan, new_branches, problems = _plan_roster(session, actor, unit_id, table.rows)
    rows = table.rows
    return ListCheck(
        rows=sum(1 for _, values in rows if not row_is_empty(values)),
        created=sum(1 for _, target, _ in plan if target is None), updated=sum(1 for _, target, _ in plan if target),
        new_branches=new_branches, problems=in_sheet_order(merge_problems(table, problems), ROSTER_COLUMNS),
    )


@permits(Action.ENTER_IN_BULK)
def import_roster_file(actor: Actor | None, *, unit_id: int, raw: bytes, engine: Engine | None = None) -> ListCheck:
    """Create and update the unit's cadres (and any new branch) in one transaction, or nothing."""
    actor = require_unit_manager(actor, unit_id)
    table = read_table(raw, ROSTER_COLUMNS)
    with command(actor, Action.ENTER_IN_BULK, engine=engine) as cmd:
        session = cmd.session
        plan, new_branches, problems = _plan_roster(session, actor, unit_id, table.rows)
        if problems or table.problems:
            raise ImportRejected(in_sheet_order(merge_problems(table, problems), ROSTER_COLUMNS))
        branch_ids = dict(session.execute(select(Branch.name, Branch.id).where(Branch.unit_id == unit_id)).all())
        for name in new_branches:
            branch = Branch(unit_id=unit_id, name=name, kind="group" if "党小组" in name else "branch")
            session.add(branch)
            session.flush()
            branch_ids[name] = branch.id
            cmd.log("branch.create", branch, {"source": "roster"})
        created = updated = 0
        for number, target, values in plan:
            cadre = cmd.watch(target) or Cadre(unit_id=unit_id, is_leader=False, is_principal=False, active=True, gender="", position="")
            cadre.name = values["name"]
            if cadre.unit_id != unit_id:
                # Found by key in another unit (the office's import): the person moves here; their
                # records stay with the unit they were entered under (membership history, db.models).
                cadre.unit_id, cadre.branch_id = unit_id, None
            if values.get("branch"):
                cadre.branch_id = branch_ids[values["branch"]]
            for key in ("code", "position", "gender", "birth_year", "is_leader", "is_principal", "active"):
                if values.get(key) is not None:
                    setattr(cadre, key, values[key])
            if target is None:
                session.add(cadre)
                created += 1
            if target is None or cmd.changed(cadre):
                updated += target is not None
                cmd.log("cadre.import", cadre, {"unit_id": unit_id, "row": number, "created": target is None})
    return ListCheck(rows=len(plan), created=created, updated=updated, new_branches=new_branches)


# --- unit lists ---------------------------------------------------------------------------------


def _groups(session: Session) -> dict[str, int]:
    return dict(session.execute(select(ComparisonGroup.name_zh, ComparisonGroup.id).order_by(ComparisonGroup.sort_order)).all())


@permits(Action.ADMINISTER)
def units_template(actor: Actor | None, *, engine: Engine | None = None) -> bytes:
    """Every unit (but the city office) as it stands, ready to be corrected or extended."""
    with read_session(engine) as session:
        groups = _groups(session)
        group_names = {ident: name for name, ident in groups.items()}
        units = session.scalars(select(Unit).where(Unit.group_id.is_not(None)).order_by(Unit.sort_order, Unit.id)).all()
        codes = {unit.id: unit.code for unit in session.scalars(select(Unit)).all()}
        rows = [
            [u.code, u.name_zh, u.name_en, group_names.get(u.group_id, ""), UNIT_KINDS.get(u.kind, ""), codes.get(u.parent_id, ""), _yes_no(u.active)]
            for u in units
        ]
    choices = {"group": list(groups), "kind": list(UNIT_KINDS.values()), "active": [YES, NO]}
    notes = [zh("imports.template.note_units"), zh("imports.template.note_blank_keeps")]
    hints = {"code": zh("imports.template.hint_code"), "parent": zh("imports.template.hint_parent")}
    return template_workbook(UNIT_COLUMNS, choices, notes, hints, rows=rows)


@in_transaction
def plan_units(session: Session, rows: Rows) -> tuple[list[tuple[int, Unit | None, dict[str, Any]]], list[CellProblem]]:
    groups = _groups(session)
    columns = [Column(**{**column.__dict__, "choices": tuple(groups)}) if column.key == "group" else column for column in UNIT_COLUMNS]
    existing = {unit.code: unit for unit in session.scalars(select(Unit)).all()}
    code_of = {unit.id: unit.code for unit in existing.values()}
    parents = {unit.code: code_of.get(unit.parent_id) for unit in existing.values()}
    kinds = {label: kind for kind, label in UNIT_KINDS.items()}
    in_file: dict[str, int] = {}
    plan: list[tuple[int, Unit | None, dict[str, Any]]] = []
    problems: list[CellProblem] = []
    filled = [(number, raw) for number, raw in rows if not row_is_empty(raw)]
    file_codes = {str(raw.get("code") or "").strip() for _, raw in filled}
    for number, raw in filled:
        values, row_problems = convert_row(columns, raw, number)
        row_problems += _too_long(number, values)
        for key in ("code", "name_zh", "group", "kind"):
            if not values.get(key) and not any(problem.column == key for problem in row_problems):
                row_problems.append(CellProblem(number, key, "validation.required", {}))
        code = values.get("code")
        if code and code in in_file:
            row_problems.append(CellProblem(number, "code", "imports.duplicate_row", {"first": in_file[code]}))
        if code:
            in_file.setdefault(code, number)
        target = existing.get(code) if code else None
        if target is not None and target.group_id is None:
            row_problems.append(CellProblem(number, "code", "imports.city_office_locked", {"code": code}))
        parent = values.get("parent")
        if parent and parent not in existing and parent not in file_codes:
            row_problems.append(CellProblem(number, "parent", "imports.unknown_unit", {"code": parent}))
        if parent and parent == code:
            row_problems.append(CellProblem(number, "parent", "imports.own_parent", {}))
        elif parent and code and _would_cycle(code, parent, parents, filled, file_codes):
            row_problems.append(CellProblem(number, "parent", "organization.parent_is_descendant", {"code": parent}))
        if values.get("group"):
            values["group_id"] = groups[values["group"]]
        if values.get("kind"):
            values["kind"] = kinds[values["kind"]]
        problems += row_problems
        if not row_problems:
            plan.append((number, target, values))
    if not filled:
        problems.append(CellProblem(None, None, "imports.file_no_rows", {}))
    return plan, problems


def _would_cycle(code: str, parent: str, parents: dict[str, str | None], filled: Rows, file_codes: set[str]) -> bool:
    """Whether making `parent` the parent of `code` puts a unit under itself: the parents as they
    will be once the whole list is saved (a blank parent cell keeps the unit's parent)."""
    after = dict(parents)
    for _, raw in filled:
        row_code, row_parent = str(raw.get("code") or "").strip(), str(raw.get("parent") or "").strip()
        if row_code and row_parent:
            after[row_code] = row_parent
    after[code] = parent
    seen, current = {code}, parent
    while current is not None and current not in seen:
        seen.add(current)
        current = after.get(current)
    return current == code


@permits(Action.ADMINISTER)
def check_units_file(actor: Actor | None, *, raw: bytes, engine: Engine | None = None) -> ListCheck:
    """Read an uploaded unit list and say what importing it would do, with every problem."""
    table = read_table(raw, UNIT_COLUMNS)
    with read_session(engine) as session:
        plan, problems = plan_units(session, table.rows)
    return ListCheck(
        rows=sum(1 for _, values in table.rows if not row_is_empty(values)),
        created=sum(1 for _, target, _ in plan if target is None), updated=sum(1 for _, target, _ in plan if target),
        problems=in_sheet_order(merge_problems(table, problems), UNIT_COLUMNS),
    )


@permits(Action.ADMINISTER)
def import_units_file(actor: Actor | None, *, raw: bytes, engine: Engine | None = None) -> ListCheck:
    """Create and update units by code in one transaction, or nothing; the office only."""
    table = read_table(raw, UNIT_COLUMNS)
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        plan, problems = plan_units(cmd.session, table.rows)
        if problems or table.problems:
            raise ImportRejected(in_sheet_order(merge_problems(table, problems), UNIT_COLUMNS))
        return apply_unit_plan(cmd, plan, "unit.import")


@in_transaction
def apply_unit_plan(cmd: Command, plan: list[tuple[int, Unit | None, dict[str, Any]]], event: str) -> ListCheck:
    """Write a checked unit list (file or grid); the command audits each changed unit with before and after."""
    session = cmd.session
    next_order = (session.scalar(select(func.max(Unit.sort_order))) or 0) + 1
    written: list[tuple[int, Unit, bool]] = []
    for number, target, values in plan:
        unit = cmd.watch(target) or Unit(code=values["code"], sort_order=next_order + number, active=True)
        unit.name_zh = values["name_zh"]
        unit.name_en = values.get("name_en") or unit.name_en or values["name_zh"]
        unit.group_id = values["group_id"]
        unit.kind = values["kind"]
        if values.get("active") is not None:
            unit.active = values["active"]
        if values.get("sort_order") is not None:
            unit.sort_order = values["sort_order"]
        if target is None:
            session.add(unit)
        written.append((number, unit, target is None))
    session.flush()
    # Parents after every unit exists: a parent may be a unit this same list creates.
    codes = dict(session.execute(select(Unit.code, Unit.id)).all())
    for (_, unit, _), (_, _, values) in zip(written, plan, strict=True):
        if values.get("parent"):
            unit.parent_id = codes[values["parent"]]
    created = updated = 0
    for number, unit, is_new in written:
        if is_new or cmd.changed(unit):
            created += is_new
            updated += not is_new
            cmd.log(event, unit, {"row": number, "created": is_new})
    return ListCheck(rows=len(plan), created=created, updated=updated)
