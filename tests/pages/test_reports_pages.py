"""The honour roll and briefing pages under AppTest: a visitor reads published rolls, the office
composes and publishes one, issues a briefing and finds it among the earlier issues."""
from db.briefings import list_briefings
from db.honours import published_rolls, suggestions
from db.reference import campaign
from tests.pages.apptest import button_labelled, open_app, page_texts


def test_the_office_publishes_a_roll_that_a_visitor_then_reads(demo_engine, accounts):
    at = open_app(accounts["admin"], "views/honour_roll.py")
    at.segmented_control(key="roll_kind").set_value("campaign").run()
    before = len(published_rolls(None, engine=demo_engine))
    pick = next(element for element in at.multiselect if element.label == "上榜的单位和个人")
    info = campaign(demo_engine)
    first = suggestions(accounts["admin"].actor, campaign_id=info.id, start=info.start_date, end=info.end_date, engine=demo_engine)[0]
    pick.select(f"{first.kind}:{first.unit_id}:{first.cadre_id or ''}").run()
    citation = next(element for element in at.text_input if element.label.startswith("事迹:"))
    citation.input("带头讲党课,成效显著").run()
    button_labelled(at, "发布光荣榜").click().run()
    assert not at.exception, at.exception
    assert "光荣榜已发布。" in page_texts(at)
    rolls = published_rolls(None, engine=demo_engine)
    assert len(rolls) == before + 1
    visitor = open_app(None, "views/honour_roll.py")
    html = " ".join(element.proto.body for element in visitor.get("html"))
    assert rolls[0]["title"] in html and "带头讲党课,成效显著" in html


def test_the_office_issues_a_briefing_from_its_page(demo_engine, accounts):
    at = open_app(accounts["admin"], "views/briefing.py")
    assert at.text_area[0].value.startswith("20")  # the drafted lead names the period
    before = len(list_briefings(accounts["admin"].actor, engine=demo_engine))
    button_labelled(at, "生成简报").click().run()
    assert not at.exception, at.exception
    issues = list_briefings(accounts["admin"].actor, engine=demo_engine)
    assert len(issues) == before + 1
    assert f"第 {issues[0]['issue_number']} 期简报已生成并保存。" in page_texts(at)


def test_the_office_adds_a_unit_by_hand_publishes_and_withdraws_the_roll(demo_engine, accounts):
    from db.honours import candidates, withdrawn_rolls

    admin = accounts["admin"].actor
    info = campaign(demo_engine)
    at = open_app(accounts["admin"], "views/honour_roll.py")
    at.segmented_control(key="roll_kind").set_value("quarter").run()
    add = next(element for element in at.multiselect if element.label == "排行未推荐的单位或个人")
    units, _cadres = candidates(admin, engine=demo_engine)
    offered = [option for option in add.options if option.startswith("单位 · ")]
    assert offered  # units the rankings did not suggest are offered by name
    unit = next(unit for unit in units if f"单位 · {unit['name_zh']}" == offered[-1])
    add.select(f"unit:{unit['unit_id']}:").run()
    citation = next(element for element in at.text_input if element.label.startswith("事迹:单位 · "))
    citation.input("基层党建创新,经验全市推广").run()
    button_labelled(at, "发布光荣榜").click().run()
    assert not at.exception, at.exception
    [roll] = [roll for roll in published_rolls(None, campaign_id=info.id, engine=demo_engine)
              if any(entry["citation"] == "基层党建创新,经验全市推广" for entry in roll["entries"])]
    assert [entry["basis"] for entry in roll["entries"]] == ["office"]

    at = open_app(accounts["admin"], "views/honour_roll.py")
    at.text_area(key=f"roll_withdraw_reason_{roll['id']}").input("事迹需再核实").run()
    next(button for button in at.button if button.key == f"roll_withdraw_{roll['id']}").click().run()
    assert not at.exception, at.exception
    assert "光荣榜已撤回。" in page_texts(at)
    assert "已撤回的光荣榜" in page_texts(at) and "事迹需再核实" in page_texts(at)
    assert roll["id"] in [kept["id"] for kept in withdrawn_rolls(admin, campaign_id=info.id, engine=demo_engine)]
    visitor = open_app(None, "views/honour_roll.py")
    assert "基层党建创新" not in " ".join(element.proto.body for element in visitor.get("html"))
