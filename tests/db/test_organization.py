"""组织机构 in the data layer: the office only; refusals; deactivation leaves boards, not history."""
import datetime as dt
import functools

import pytest
from sqlalchemy import select

from db import reference
from db.access import PermissionDenied, ValidationFailed
from db.boards import unit_leaderboard
from db.engine import read_session
from db.imports import ImportRejected
from db.models import AuditLog, Branch, ComparisonGroup, Unit
from db.organization import (
    branch_grid_rows,
    branches,
    group_grid_rows,
    groups,
    retired_unit,
    save_branch,
    save_branch_grid,
    save_group,
    save_group_grid,
    save_unit,
    save_unit_grid,
    set_branch_active,
    set_group_active,
    set_unit_active,
    unit_grid_rows,
    unit_history,
    unit_tree,
)
from db.people_boards import people_board
from db.presenter import _groups as presenter_groups
from tests.db.world import END, START, add_account, add_records, build_world


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)

    user = functools.partial(add_account, fresh_engine, world)

    return fresh_engine, world, {"admin": user("admin", "admin"), "reporter": user("ra", "reporter", "A")}


def _problems(excinfo):
    return [(field, key) for field, key, _ in excinfo.value.problems]


def test_the_office_builds_a_tree_in_a_group_and_everything_is_audited(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    group_id = save_group(admin, code="city_dept-2", name_zh="新组", name_en="New group", engine=engine)
    parent = save_unit(admin, code="P", name_zh="上级", kind="district", group_id=group_id, engine=engine)
    child = save_unit(admin, code="P-1", name_zh="下级", kind="division", group_id=group_id, parent_id=parent, engine=engine)
    tree = [(node.code, node.depth) for node in unit_tree(admin, engine=engine)]
    assert tree.index(("P", 0)) + 1 == tree.index(("P-1", 1))
    save_unit(admin, unit_id=child, code="P-1", name_zh="下级改名", kind="division", group_id=group_id, parent_id=parent, engine=engine)
    with read_session(engine) as session:
        renamed = session.scalars(select(AuditLog).where(AuditLog.action == "unit.update", AuditLog.entity_id == child)).one()
        created = session.scalars(select(AuditLog.action).where(AuditLog.action.in_(["group.create", "unit.create"]))).all()
    # Only what changed, before and after; no English name: the Chinese one.
    assert renamed.detail == {"before": {"name_zh": "下级", "name_en": "下级"}, "after": {"name_zh": "下级改名", "name_en": "下级改名"}}
    assert sorted(created) == ["group.create", "unit.create", "unit.create"]
    assert [g["code"] for g in groups(admin, engine=engine)] == ["G1", "G2", "city_dept-2"]


def test_a_unit_cannot_go_under_itself_or_its_descendant(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    top = save_unit(admin, code="T", name_zh="顶", kind="district", group_id=world.groups["G1"], engine=engine)
    middle = save_unit(admin, code="M", name_zh="中", kind="division", parent_id=top, engine=engine)
    bottom = save_unit(admin, code="L", name_zh="底", kind="division", parent_id=middle, engine=engine)
    for parent in (top, bottom):
        with pytest.raises(ValidationFailed) as refused:
            save_unit(admin, unit_id=top, code="T", name_zh="顶", kind="district", parent_id=parent, engine=engine)
        assert _problems(refused) == [("parent_id", "organization.parent_is_descendant")]
    with read_session(engine) as session:
        assert session.get(Unit, top).parent_id is None


def test_duplicate_codes_empty_names_and_bad_group_codes_are_refused(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    with pytest.raises(ValidationFailed) as refused:
        save_unit(admin, code="A", name_zh="  ", kind="nowhere", engine=engine)
    assert _problems(refused) == [("name_zh", "validation.required"), ("kind", "validation.bad_choice"), ("code", "organization.code_taken")]
    for code in ("", "有中文", "a b", "x" * 41):
        with pytest.raises(ValidationFailed) as refused:
            save_group(admin, code=code, name_zh="组", engine=engine)
        assert _problems(refused) == [("code", "organization.bad_group_code")]
    with pytest.raises(ValidationFailed) as refused:
        save_group(admin, code="G1", name_zh="G2", engine=engine)
    assert _problems(refused) == [("code", "organization.code_taken"), ("name_zh", "organization.group_name_taken")]
    with read_session(engine) as session:
        assert session.scalar(select(ComparisonGroup).where(ComparisonGroup.name_zh == "组")) is None


def test_organization_is_the_offices_business(setup):
    engine, world, actors = setup
    calls = (
        lambda actor: unit_tree(actor, engine=engine),
        lambda actor: save_unit(actor, code="N", name_zh="新", kind="district", engine=engine),
        lambda actor: set_unit_active(actor, world.units["A"], False, engine=engine),
        lambda actor: save_group(actor, code="g", name_zh="组", engine=engine),
        lambda actor: save_branch(actor, unit_id=world.units["A"], name="支部", engine=engine),
        lambda actor: set_branch_active(actor, world.branches["ab1"], False, engine=engine),
        lambda actor: save_unit_grid(actor, [], engine=engine),
    )
    for actor in (actors["reporter"], None):
        for call in calls:
            with pytest.raises(PermissionDenied):
                call(actor)


def test_a_deactivated_unit_leaves_the_boards_but_keeps_its_history(setup):
    engine, world, actors = setup
    add_records(engine, world, unit="B", type_code="publicity", count=3)
    add_records(engine, world, unit="B", type_code="analysis_report", cadre="b1")
    board = {row.name_en for row in unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=engine)}
    assert "Unit B" in board and retired_unit(world.units["B"], engine=engine) is None
    set_unit_active(actors["admin"], world.units["B"], False, engine=engine)
    board = {row.name_en for row in unit_leaderboard(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=engine)}
    assert board == {"Unit A", "Unit C"}
    people = people_board(None, campaign_id=world.campaign_id, start=START, end=END, engine=engine)
    assert world.cadres["b1"] not in {row.cadre_id for row in people.rows}
    assert retired_unit(world.units["B"], engine=engine)["name_en"] == "Unit B"
    assert sorted(unit_history(world.campaign_id, world.units["B"], engine=engine)) == [("2026-05", "analysis_report", 1), ("2026-05", "publicity", 3)]
    set_unit_active(actors["admin"], world.units["B"], True, engine=engine)
    with read_session(engine) as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "unit", AuditLog.entity_id == world.units["B"]).order_by(AuditLog.id)).all()
    assert actions == ["unit.deactivate", "unit.activate"]


def test_branches_and_party_groups(setup):
    engine, world, actors = setup
    admin, unit_a = actors["admin"], world.units["A"]
    group = save_branch(admin, unit_id=unit_a, name="第一党小组", kind="group", parent_id=world.branches["ab1"], engine=engine)
    with pytest.raises(ValidationFailed) as refused:
        save_branch(admin, unit_id=unit_a, name="A支部2", kind="group", engine=engine)
    assert _problems(refused) == [("name", "organization.branch_name_taken"), ("parent_id", "organization.group_needs_branch")]
    with pytest.raises(ValidationFailed) as refused:
        save_branch(admin, unit_id=unit_a, name="别的组", kind="group", parent_id=world.branches["bb1"], engine=engine)
    assert _problems(refused) == [("parent_id", "organization.group_needs_branch")]
    with pytest.raises(ValidationFailed) as refused:
        save_branch(admin, unit_id=unit_a, name=" ", engine=engine)
    assert _problems(refused) == [("name", "validation.required")]
    save_branch(admin, unit_id=unit_a, branch_id=group, name="一组", kind="group", parent_id=world.branches["ab1"], engine=engine)
    set_branch_active(admin, group, False, engine=engine)
    listed = branches(admin, unit_a, engine=engine)
    assert [(row["name"], row["kind"], row["parent"], row["active"]) for row in listed] == [
        ("A支部1", "branch", None, True), ("一组", "group", "A支部1", False), ("A支部2", "branch", None, True),
    ]
    with read_session(engine) as session:
        assert session.get(Branch, group).name == "一组"
        detail = session.scalars(select(AuditLog.detail).where(AuditLog.action == "branch.update")).one()
    assert detail["before"]["name"] == "第一党小组" and detail["after"]["name"] == "一组"


def test_the_grid_saves_like_the_unit_list_import_all_or_nothing(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    rows = unit_grid_rows(admin, engine=engine)
    assert [row["code"] for row in rows] == ["A", "B", "C", "D"]
    rows[0]["name_zh"] = "单位甲"
    rows[1]["active"] = "否"
    rows.append({"code": "E", "name_zh": "单位戊", "name_en": None, "group": "G2", "kind": "市委组织部处室", "parent": "A", "active": None, "sort_order": 9})
    assert save_unit_grid(admin, rows, engine=engine) == (1, 2)
    with read_session(engine) as session:
        units = {unit.code: unit for unit in session.scalars(select(Unit)).all()}
    assert (units["A"].name_zh, units["B"].active, units["E"].parent_id, units["E"].sort_order) == ("单位甲", False, units["A"].id, 9)

    bad = unit_grid_rows(admin, engine=engine)
    bad[0]["parent"] = "E"  # A under its own child E
    bad.append({"code": "A", "name_zh": "重复", "group": "G1", "kind": "区县委组织部"})
    bad.append({"code": "F", "name_zh": None, "group": "G1", "kind": "区县委组织部"})
    with pytest.raises(ImportRejected) as rejected:
        save_unit_grid(admin, bad, engine=engine)
    assert [(p.row, p.column, p.key) for p in rejected.value.problems] == [
        (1, "parent", "organization.parent_is_descendant"),
        (5, "parent", "organization.parent_is_descendant"),  # E under A, which now would be under E
        (6, "code", "imports.duplicate_row"),
        (7, "name_zh", "validation.required"),
    ]
    with read_session(engine) as session:
        assert session.get(Unit, units["A"].id).parent_id is None


def test_the_grid_has_the_imports_row_cap(setup, monkeypatch):
    engine, world, actors = setup
    monkeypatch.setattr("db.organization.MAX_ROWS", 3)
    rows = unit_grid_rows(actors["admin"], engine=engine)
    with pytest.raises(ImportRejected) as rejected:
        save_unit_grid(actors["admin"], rows, engine=engine)
    assert [p.key for p in rejected.value.problems] == ["imports.too_many_rows"]


def test_deactivating_a_unit_touches_none_of_its_records(setup):
    """A deactivated unit's records are untouched: same count before and after."""
    engine, world, actors = setup
    add_records(engine, world, unit="C", type_code="publicity", count=2, on=dt.date(2026, 4, 2))
    before = unit_history(world.campaign_id, world.units["C"], engine=engine)
    set_unit_active(actors["admin"], world.units["C"], False, engine=engine)
    assert unit_history(world.campaign_id, world.units["C"], engine=engine) == before == [("2026-04", "publicity", 2)]


def test_a_group_with_active_units_cannot_be_deactivated_and_an_empty_one_leaves_every_choice(setup):
    engine, world, actors = setup
    admin, g2 = actors["admin"], world.groups["G2"]
    with pytest.raises(ValidationFailed) as refused:
        set_group_active(admin, g2, False, engine=engine)
    assert _problems(refused) == [("active", "organization.group_has_units")]
    assert refused.value.problems[0][2]["count"] == 1
    with pytest.raises(PermissionDenied):
        set_group_active(actors["reporter"], g2, False, engine=engine)

    set_unit_active(admin, world.units["D"], False, engine=engine)
    set_group_active(admin, g2, False, engine=engine)
    assert g2 not in [g["id"] for g in reference.groups(engine)]
    assert [g["code"] for g in presenter_groups(engine, ("G2",))[0]] == []
    assert [(g["id"], g["active"]) for g in groups(admin, engine=engine) if g["id"] == g2] == [(g2, False)]
    with read_session(engine) as session:
        assert session.get(Unit, world.units["D"]).group_id == g2  # the unit and its history stay where they were
        logged = session.scalars(select(AuditLog.detail).where(AuditLog.action == "group.deactivate", AuditLog.entity_id == g2)).one()
    assert logged == {"before": {"active": True}, "after": {"active": False}}

    # No unit is put in a deactivated group; one already in it may stay while being edited.
    with pytest.raises(ValidationFailed) as refused:
        save_unit(admin, code="NEW", name_zh="新单位", kind="district", group_id=g2, engine=engine)
    assert _problems(refused) == [("group_id", "organization.group_inactive")]
    save_unit(admin, unit_id=world.units["D"], code="D", name_zh="单位D改", kind="district", group_id=g2, engine=engine)

    set_group_active(admin, g2, True, engine=engine)
    assert g2 in [g["id"] for g in reference.groups(engine)]


def test_the_groups_grid_checks_each_row_like_the_form_and_saves_all_or_nothing(setup):
    engine, world, actors = setup
    admin = actors["admin"]
    rows = group_grid_rows(admin, engine=engine)
    before = [dict(row) for row in rows]
    rows[0]["name_zh"] = "改名组"
    bad = [*rows, {"id": None, "code": "新 组", "name_zh": "", "name_en": None, "sort_order": 9, "active": True},
           {"id": None, "code": rows[1]["code"], "name_zh": "另一组", "name_en": None, "sort_order": 10, "active": True}]
    with pytest.raises(ImportRejected) as rejected:
        save_group_grid(admin, bad, engine=engine)
    assert [(p.row, p.column, p.key) for p in rejected.value.problems] == [
        (3, "code", "organization.bad_group_code"), (3, "name_zh", "validation.required"), (4, "code", "organization.code_taken"),
    ]
    assert group_grid_rows(admin, engine=engine) == before  # nothing saved, not even the good first row

    # Deactivating a group with active units in the grid is refused with the same message as the button.
    rows[1]["active"] = False
    with pytest.raises(ImportRejected) as rejected:
        save_group_grid(admin, rows, engine=engine)
    assert [(p.row, p.key) for p in rejected.value.problems] == [(2, "organization.group_has_units")]

    rows[1]["active"] = True
    created, updated = save_group_grid(admin, [*rows, {"id": None, "code": "G3", "name_zh": "第三组", "name_en": None, "sort_order": 3, "active": False}], engine=engine)
    assert (created, updated) == (1, 2)
    saved = {row["code"]: (row["name_zh"], row["name_en"], row["active"]) for row in group_grid_rows(admin, engine=engine)}
    assert saved[rows[0]["code"]][0] == "改名组" and saved["G3"] == ("第三组", "第三组", False)
    with read_session(engine) as session:
        g3 = session.scalar(select(ComparisonGroup.id).where(ComparisonGroup.code == "G3"))
        trail = session.execute(select(AuditLog.action, AuditLog.detail).where(AuditLog.entity == "comparison_group", AuditLog.entity_id == g3)).all()
    # A row created inactive is one audit row, not a creation and then a deactivation.
    assert [(action, detail["before"], detail["after"]["active"]) for action, detail in trail] == [("group.create", {}, False)]
    with pytest.raises(PermissionDenied):
        save_group_grid(actors["reporter"], rows, engine=engine)


def test_the_branches_grid_checks_each_row_like_the_form_and_saves_all_or_nothing(setup):
    engine, world, actors = setup
    admin, unit_a = actors["admin"], world.units["A"]
    rows = branch_grid_rows(admin, unit_a, engine=engine)
    assert [(row["name"], row["kind"], row["active"]) for row in rows] == [("A支部1", "branch", True), ("A支部2", "branch", True)]
    bad = [*rows, {"id": None, "name": "A支部1", "kind": "branch", "parent": None, "active": True},
           {"id": None, "name": "孤组", "kind": "group", "parent": "不存在", "active": True}]
    with pytest.raises(ImportRejected) as rejected:
        save_branch_grid(admin, unit_a, bad, engine=engine)
    assert [(p.row, p.column, p.key) for p in rejected.value.problems] == [
        (3, "name", "organization.branch_name_taken"), (4, "parent_id", "organization.group_needs_branch"),
    ]
    assert branch_grid_rows(admin, unit_a, engine=engine) == rows

    rows[1]["active"] = False
    created, updated = save_branch_grid(admin, unit_a, [*rows, {"id": None, "name": "一组", "kind": "group", "parent": "A支部1", "active": True}], engine=engine)
    assert (created, updated) == (1, 2)
    assert [(row["name"], row["kind"], row["parent"], row["active"]) for row in branch_grid_rows(admin, unit_a, engine=engine)] == [
        ("A支部1", "branch", None, True), ("一组", "group", "A支部1", True), ("A支部2", "branch", None, False),
    ]
    with read_session(engine) as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.action.in_(["branch.create", "branch.deactivate"]))).all()
    assert sorted(actions) == ["branch.create", "branch.deactivate"]
    # Another unit's branch cannot be edited through this unit's grid.
    other = branch_grid_rows(admin, world.units["B"], engine=engine)
    with pytest.raises(ImportRejected) as rejected:
        save_branch_grid(admin, unit_a, other, engine=engine)
    assert {p.key for p in rejected.value.problems} == {"organization.not_found"}
