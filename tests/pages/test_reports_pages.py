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
