"""Cadre rosters and unit lists from Excel: download, change, upload; namesakes, new branches, scope."""
import functools
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.excel import DATA_SHEET
from db.access import PermissionDenied
from db.engine import read_session, write_session
from db.imports import ImportRejected
from db.models import AuditLog, Branch, Cadre, Unit
from db.roster_imports import (
    check_roster_file,
    check_units_file,
    import_roster_file,
    import_units_file,
    roster_template,
    units_template,
)
from tests.db.world import add_account, build_world


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

    return fresh_engine, world, {"admin": user("admin", "admin"), "reporter_a": user("ra", "reporter", "A"), "reporter_b": user("rb", "reporter", "B")}


def _edit(template: bytes, change) -> bytes:  # noqa: ANN001 - a function of the data sheet
    workbook = load_workbook(io.BytesIO(template))
    change(workbook[DATA_SHEET])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(raw: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(raw))[DATA_SHEET].iter_rows(values_only=True)]


def test_the_roster_downloads_as_it_stands_and_uploads_unchanged_without_changes(setup):
    engine, world, actors = setup
    template = roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)
    rows = _rows(template)
    assert rows[0] == ["姓名", "党支部", "职务", "性别", "出生年份", "领导干部", "主要负责人", "在职", "工号/编码"]
    assert [row[0] for row in rows[1:]] == ["A1", "A2", "A3", "A4", "A离"]
    assert rows[1][1:] == ["A支部1", None, None, None, "是", "是", "是", None]
    assert rows[5][7] == "否"  # the cadre who left
    result = import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=template, engine=engine)
    assert (result.rows, result.created, result.updated, result.new_branches) == (5, 0, 0, [])


def test_a_roster_adds_people_updates_others_and_creates_a_new_branch(setup):
    engine, world, actors = setup
    template = roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)

    def change(sheet):
        sheet["C3"] = "科长"  # A2 gets a position
        sheet["H4"] = "否"  # A3 has left
        sheet.append(["新人甲", "A支部3", "科员", "女", 1998, "否", "否", "是"])
        sheet.append(["新人乙", "A支部1", None, None, None, None, None, None])

    raw = _edit(template, change)
    check = check_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=raw, engine=engine)
    assert (check.problems, check.created, check.new_branches) == ([], 2, ["A支部3"])
    result = import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=raw, engine=engine)
    assert (result.created, result.updated) == (2, 2)
    with read_session(engine) as session:
        cadres = {c.name: c for c in session.scalars(select(Cadre).where(Cadre.unit_id == world.units["A"])).all()}
        new_branch = session.scalar(select(Branch).where(Branch.name == "A支部3"))
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity.in_(["cadre", "branch"]))).all()
    assert cadres["A2"].position == "科长" and cadres["A3"].active is False
    assert (cadres["新人甲"].branch_id, cadres["新人甲"].birth_year, cadres["新人甲"].gender) == (new_branch.id, 1998, "女")
    assert cadres["新人乙"].active is True and cadres["新人乙"].is_leader is False
    assert sorted(actions) == ["branch.create"] + ["cadre.import"] * 4


def test_roster_problems_are_listed_and_nothing_changes(setup):
    engine, world, actors = setup
    with write_session(engine) as session:
        session.add_all([Cadre(unit_id=world.units["A"], name="张伟", position="科长"), Cadre(unit_id=world.units["A"], name="张伟", position="科员")])
    template = roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)

    def change(sheet):
        sheet.append(["张伟", None, "副科长", None, None, None, None, None])  # which 张伟?
        sheet.append([None, "A支部1", "科员", None, None, None, None, None])  # no name
        sheet.append(["新人", None, None, "未知", 1850, "也许", None, None])
        sheet.append(["新人", None, None, None, None, None, None, None])  # the same person twice

    raw = _edit(template, change)
    with pytest.raises(ImportRejected) as rejected:
        import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=raw, engine=engine)
    assert [(p.row, p.column, p.key) for p in rejected.value.problems] == [
        (9, "name", "imports.ambiguous_person"),
        (10, "name", "validation.required"),
        (11, "gender", "validation.bad_choice"),
        (11, "birth_year", "validation.out_of_range"),
        (11, "is_leader", "imports.bad_bool"),
        (12, "name", "imports.duplicate_row"),
    ]
    with read_session(engine) as session:
        assert session.scalar(select(Cadre).where(Cadre.name == "新人")) is None


def test_rosters_are_the_units_own_business(setup):
    engine, world, actors = setup
    template = roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)
    for call in (
        lambda: roster_template(actors["reporter_b"], unit_id=world.units["A"], engine=engine),
        lambda: check_roster_file(actors["reporter_b"], unit_id=world.units["A"], raw=template, engine=engine),
        lambda: import_roster_file(actors["reporter_b"], unit_id=world.units["A"], raw=template, engine=engine),
        lambda: import_roster_file(None, unit_id=world.units["A"], raw=template, engine=engine),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_the_office_updates_and_extends_the_unit_list(setup):
    engine, world, actors = setup
    template = units_template(actors["admin"], engine=engine)
    rows = _rows(template)
    assert rows[0] == ["单位代码", "单位名称", "英文名称", "比较组", "类别", "上级单位代码", "启用", "排序"]
    assert [row[0] for row in rows[1:]] == ["A", "B", "C", "D"]

    def change(sheet):
        sheet["B2"] = "单位甲"
        sheet.append(["E", "单位戊", None, "G2", "市委组织部处室", "F", "是"])
        sheet.append(["F", "单位己", "Unit F", "G2", "市直部门组织人事处", None, None])

    raw = _edit(template, change)
    check = check_units_file(actors["admin"], raw=raw, engine=engine)
    assert (check.problems, check.created) == ([], 2)
    result = import_units_file(actors["admin"], raw=raw, engine=engine)
    assert (result.created, result.updated) == (2, 1)
    with read_session(engine) as session:
        units = {u.code: u for u in session.scalars(select(Unit)).all()}
    assert units["A"].name_zh == "单位甲"
    assert (units["E"].name_en, units["E"].kind, units["E"].parent_id, units["E"].group_id) == ("单位戊", "division", units["F"].id, world.groups["G2"])
    with pytest.raises(PermissionDenied):
        units_template(actors["reporter_a"], engine=engine)
    with pytest.raises(PermissionDenied):
        import_units_file(actors["reporter_a"], raw=raw, engine=engine)


def test_unit_list_problems_are_listed(setup):
    engine, world, actors = setup

    def change(sheet):
        sheet.append(["A", "重复的A", None, "G1", "区县委组织部", None, None])
        sheet.append(["X", None, None, "没有这个组", "区县委组织部", "NOPE", None])

    raw = _edit(units_template(actors["admin"], engine=engine), change)
    problems = check_units_file(actors["admin"], raw=raw, engine=engine).problems
    assert [(p.row, p.column, p.key) for p in problems] == [
        (6, "code", "imports.duplicate_row"),
        (7, "name_zh", "validation.required"),
        (7, "group", "validation.bad_choice"),
        (7, "parent", "imports.unknown_unit"),
    ]


def _set_code(engine, cadre_id, code):
    with write_session(engine) as session:
        session.get(Cadre, cadre_id).code = code


def test_a_renamed_person_is_matched_by_code_not_duplicated(setup):
    engine, world, actors = setup
    _set_code(engine, world.cadres["a2"], "GH-2")
    template = roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)
    assert _rows(template)[2][0] == "A2" and _rows(template)[2][8] == "GH-2"

    def change(sheet):
        sheet["A3"] = "A2改名"
        sheet.append(["A2", None, None, None, None, None, None, None, "GH-NEW"])  # a namesake with another key is a new person

    result = import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=_edit(template, change), engine=engine)
    assert (result.created, result.updated) == (1, 1)
    with read_session(engine) as session:
        renamed = session.get(Cadre, world.cadres["a2"])
        namesake = session.scalar(select(Cadre).where(Cadre.code == "GH-NEW"))
    assert (renamed.name, renamed.code) == ("A2改名", "GH-2")
    assert namesake.name == "A2" and namesake.id != world.cadres["a2"]


def test_the_office_moves_a_person_found_by_code_and_a_reporter_may_not(setup):
    engine, world, actors = setup
    _set_code(engine, world.cadres["b2"], "GH-B2")

    def add_b2(sheet):
        sheet.append(["B2", "A支部1", None, None, None, None, None, None, "GH-B2"])

    raw = _edit(roster_template(actors["admin"], unit_id=world.units["A"], engine=engine), add_b2)
    with pytest.raises(ImportRejected) as rejected:
        import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=raw, engine=engine)
    assert [(p.row, p.column, p.key) for p in rejected.value.problems] == [(7, "code", "people.code_other_unit")]
    result = import_roster_file(actors["admin"], unit_id=world.units["A"], raw=raw, engine=engine)
    assert (result.created, result.updated) == (0, 1)
    with read_session(engine) as session:
        moved = session.get(Cadre, world.cadres["b2"])
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "cadre.import", AuditLog.entity_id == moved.id)).one()
    assert (moved.unit_id, moved.branch_id) == (world.units["A"], world.branches["ab1"])
    assert (audit.detail["before"]["unit_id"], audit.detail["after"]["unit_id"]) == (world.units["B"], world.units["A"])


def test_an_id_number_matches_the_same_person_again_and_is_never_stored(setup):
    engine, world, actors = setup
    template = roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)

    def with_id(sheet):
        sheet["I2"] = "11010519491231002X"

    import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=_edit(template, with_id), engine=engine)
    with read_session(engine) as session:
        stored = session.get(Cadre, world.cadres["a1"]).code
    assert stored.startswith("ID-") and "1101051949" not in stored

    def renamed_with_id(sheet):
        sheet["A2"] = "A1改名"
        sheet["I2"] = "11010519491231002x"

    result = import_roster_file(actors["reporter_a"], unit_id=world.units["A"], raw=_edit(template, renamed_with_id), engine=engine)
    assert (result.created, result.updated) == (0, 1)


def test_cells_written_back_that_look_like_formulas_stay_text(setup):
    engine, world, actors = setup
    with write_session(engine) as session:
        cadre = session.get(Cadre, world.cadres["a2"])
        cadre.position, cadre.code = '=HYPERLINK("http://x","y")', "@SUM(A1)"
        session.get(Cadre, world.cadres["a3"]).position = "-2+3"
    sheet = load_workbook(io.BytesIO(roster_template(actors["reporter_a"], unit_id=world.units["A"], engine=engine)))[DATA_SHEET]
    for coordinate, value in (("C3", '=HYPERLINK("http://x","y")'), ("I3", "@SUM(A1)"), ("C4", "-2+3")):
        assert (sheet[coordinate].value, sheet[coordinate].data_type, sheet[coordinate].quotePrefix) == (value, "s", True)
