"""组织机构 and 干部名册 under AppTest: the office builds, a reporter keeps their own unit, others are refused.

They write into the shared demo database, so they only add things of their own (a new group, a
unit in it, a branch and people there) and never change what other page tests read.
"""
import pytest
from sqlalchemy import delete, func, select
from streamlit.testing.v1 import AppTest

from db.engine import read_session, write_session
from db.models import Branch, Cadre, CadreMembership, ComparisonGroup, Unit
from tests.pages.apptest import APP, button_labelled, open_app, page_texts


@pytest.fixture
def leaves_no_trace(demo_engine):
    """What these tests add to the shared demo goes again afterwards (other tests count groups and people)."""
    yield
    with write_session(demo_engine) as session:
        people = select(Cadre.id).where(Cadre.name.like("页面测试%"))
        session.execute(delete(CadreMembership).where(CadreMembership.cadre_id.in_(people)))
        session.execute(delete(Cadre).where(Cadre.name.like("页面测试%")))
        session.execute(delete(Branch).where(Branch.name.like("页面测试%")))
        session.execute(delete(Unit).where(Unit.code == "page-unit"))
        session.execute(delete(ComparisonGroup).where(ComparisonGroup.code == "page_test"))


def _fresh(at, name: str) -> int:
    return at.session_state[name] if name in at.session_state else 0  # noqa: SIM401 - AppTest state has no .get


def test_the_office_creates_a_group_a_unit_and_a_branch_and_bad_input_is_explained(accounts, demo_engine, leaves_no_trace):
    at = open_app(accounts["admin"], "views/organization.py")
    assert at.title[0].value == "组织机构"
    assert "东湖区委组织部" in [name.strip() for name in at.dataframe[0].value.iloc[:, 0]]

    # A group code with Chinese in it is refused, in Chinese, and what was typed stays.
    form = f"org_new_group_{_fresh(at, 'organization_forms')}"
    at.text_input(key=f"{form}_code").input("页面组")
    at.text_input(key=f"{form}_name_zh").input("页面测试组")
    button_labelled(at, "新建比较组").click().run()
    assert "比较组代码只能是 1 到 40 个英文字母、数字、下划线或短横线" in page_texts(at)
    assert at.text_input(key=f"{form}_name_zh").value == "页面测试组"
    at.text_input(key=f"{form}_code").input("page_test")
    button_labelled(at, "新建比较组").click().run()
    assert "已新建比较组“页面测试组”" in page_texts(at)
    with read_session(demo_engine) as session:
        group_id = session.scalar(select(ComparisonGroup.id).where(ComparisonGroup.code == "page_test"))
        existing_code = session.scalar(select(Unit.code).where(Unit.name_zh == "东湖区委组织部"))

    # A unit with a code another unit has, and no name: both problems at once.
    form = f"org_new_unit_{_fresh(at, 'organization_forms')}"
    at.text_input(key=f"{form}_code").input(existing_code)
    button_labelled(at, "新建单位").click().run()
    text = page_texts(at)
    assert "已被使用,请换一个" in text and "**名称**: 必填" in text
    at.text_input(key=f"{form}_code").input("page-unit")
    at.text_input(key=f"{form}_name_zh").input("页面测试单位")
    at.selectbox(key=f"zh_{form}_group_id").set_value(group_id)
    button_labelled(at, "新建单位").click().run()
    assert "已新建单位“页面测试单位”" in page_texts(at)
    with read_session(demo_engine) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "page-unit"))
    assert (unit.group_id, unit.kind, unit.active) == (group_id, "district", True)

    # A branch of the new unit.
    at.selectbox(key="zh_organization_branch_unit").set_value(unit.id).run()
    at.text_input(key=f"org_new_branch_{_fresh(at, 'organization_forms')}_name").input("页面测试党支部")
    button_labelled(at, "新建").click().run()
    assert "已新建“页面测试党支部”" in page_texts(at)
    with read_session(demo_engine) as session:
        assert session.scalar(select(Branch.unit_id).where(Branch.name == "页面测试党支部")) == unit.id
    assert not at.exception


def test_the_office_deactivates_an_empty_group_but_not_one_with_units_and_saves_the_grids(accounts, demo_engine, leaves_no_trace):
    with write_session(demo_engine) as session:
        group = ComparisonGroup(code="page_test", name_zh="页面测试组", name_en="Page test group", sort_order=99)
        session.add(group)
        session.flush()
        group_id = group.id
        busy_id, busy_name = session.execute(
            select(ComparisonGroup.id, ComparisonGroup.name_zh).join(Unit, Unit.group_id == ComparisonGroup.id).where(Unit.active.is_(True))
        ).first()
    at = open_app(accounts["admin"], "views/organization.py")

    at.selectbox(key="zh_organization_pick_group").set_value(busy_id).run()
    button_labelled(at, "停用这个比较组").click().run()
    assert f"“{busy_name}”还有" in page_texts(at) and "个启用的单位" in page_texts(at)

    at.selectbox(key="zh_organization_pick_group").set_value(group_id).run()
    button_labelled(at, "停用这个比较组").click().run()
    assert "已停用比较组“页面测试组”。" in page_texts(at)
    with read_session(demo_engine) as session:
        assert session.get(ComparisonGroup, group_id).active is False
    assert group_id not in at.selectbox(key=f"zh_org_new_unit_{_fresh(at, 'organization_forms')}_group_id").options
    button_labelled(at, "恢复这个比较组").click().run()
    assert "已恢复比较组“页面测试组”。" in page_texts(at)

    # Both grids read back what they show: saved unchanged, every row passes the forms' checks.
    with read_session(demo_engine) as session:
        group_count = session.scalar(select(func.count()).select_from(ComparisonGroup))
        unit_id = session.scalar(select(Unit.id).where(Unit.name_zh == "东湖区委组织部"))
        branch_count = session.scalar(select(func.count()).select_from(Branch).where(Branch.unit_id == unit_id))
    button_labelled(at, "检查并保存比较组").click().run()
    assert f"比较组已保存:新建 0 个,更新 {group_count} 个。" in page_texts(at)
    at.selectbox(key="zh_organization_branch_unit").set_value(unit_id).run()
    button_labelled(at, "检查并保存党支部").click().run()
    assert f"党支部已保存:新建 0 个,更新 {branch_count} 个。" in page_texts(at)
    assert not at.exception


def test_the_office_adds_and_moves_a_person_and_sees_the_history(accounts, demo_engine, leaves_no_trace):
    with read_session(demo_engine) as session:
        units = dict(session.execute(select(Unit.name_zh, Unit.id)).all())
    at = open_app(accounts["admin"], "views/people_roster.py")
    assert at.title[0].value == "干部名册"
    assert "共" in page_texts(at)
    assert "导出 Excel" in [button.proto.label for button in at.get("download_button")]  # every person found, not one page
    form = f"people_add_{_fresh(at, 'people_forms')}"
    at.selectbox(key=f"zh_people_add_unit_{_fresh(at, 'people_forms')}").set_value(units["东湖区委组织部"]).run()
    button_labelled(at, "添加").click().run()
    assert "姓名" in page_texts(at) and "必填" in page_texts(at)
    next(box for box in at.text_input if box.label == "姓名" and box.value == "").input("页面测试干部")
    next(box for box in at.text_input if box.label.startswith("工号")).input("PAGE-001")
    button_labelled(at, "添加").click().run()
    assert "已把“页面测试干部”添加到东湖区委组织部" in page_texts(at), form

    at.text_input(key="people_query").input("页面测试干部").run()
    assert at.dataframe[0].value.iloc[:, 0].tolist() == ["页面测试干部"]
    with read_session(demo_engine) as session:
        ident = session.scalar(select(Cadre.id).where(Cadre.code == "PAGE-001"))
    at.selectbox(key=f"zh_people_move_unit_{ident}").set_value(units["西山区委组织部"])
    button_labelled(at, "调动").click().run()
    assert "已把“页面测试干部”调到西山区委组织部" in page_texts(at)
    history = at.dataframe[-1].value
    assert history.iloc[:, 0].tolist() == ["西山区委组织部", "东湖区委组织部"]
    with read_session(demo_engine) as session:
        rows = session.scalars(select(CadreMembership).where(CadreMembership.cadre_id == ident)).all()
    assert sorted(row.valid_to is None for row in rows) == [False, True]
    assert not at.exception


def test_a_reporter_sees_only_their_unit_and_cannot_move_people(accounts):
    at = open_app(accounts["reporter"], "views/people_roster.py")
    assert at.title[0].value == "干部名册"
    units = set(at.dataframe[0].value.iloc[:, 2])
    assert units == {"东湖区委组织部"}
    assert "调动" not in [button.label for button in at.button]
    assert not at.exception


def test_the_pages_are_not_served_to_those_they_are_not_for(accounts):
    """Only the office gets 组织机构, only the office and reporters 干部名册 (the address then
    explains why not: tests/browser/test_organization.py); the data layer refuses them too."""
    for user, page in ((accounts["reporter"], "views/organization.py"), (accounts["cadre"], "views/people_roster.py"),
                       (accounts["viewer"], "views/organization.py"), (None, "views/people_roster.py")):
        at = AppTest.from_file(APP, default_timeout=120)
        if user is not None:
            at.session_state["signed_in"] = user
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_both_pages_speak_english(accounts):
    at = open_app(accounts["admin"], "views/organization.py")
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Organization" and "Units form a tree" in page_texts(at)
    assert at.selectbox(key="en_organization_pick_unit").value is not None
    at = open_app(accounts["admin"], "views/people_roster.py")
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Cadre roster"
    assert at.selectbox(key="en_people_unit").value is None and "All units" in at.selectbox(key="en_people_unit").options
    assert not at.exception
