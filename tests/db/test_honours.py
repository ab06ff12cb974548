"""The honour roll: suggestions from the boards, validation, publishing once, privacy of names."""
import datetime as dt

import pytest
from sqlalchemy import select

from core.periods import DateRange
from db.access import Actor, PermissionDenied, ValidationFailed
from db.accounts import create_user
from db.boards import unit_board
from db.engine import read_session
from db.honours import EntryInput, draft_roll, published_rolls, rolls_within, save_roll, suggestions
from db.models import AuditLog, HonourRoll
from db.people_boards import set_names_hidden
from tests.db.world import add_records, build_world

MAY = DateRange(dt.date(2026, 5, 1), dt.date(2026, 5, 31))


@pytest.fixture
def setup(fresh_engine):
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=4, cadre="a1", branch="ab1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b1")
    add_records(fresh_engine, world, unit="D", type_code="publicity", count=2)
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=1, on=dt.date(2026, 4, 10))
    user_id = create_user(username="boss", display_name="boss", password="a-long-enough-password", role="admin", rounds=4, engine=fresh_engine)
    return fresh_engine, world, Actor(user_id=user_id, role="admin")


def test_suggestions_come_from_the_boards(setup):
    engine, world, admin = setup
    found = suggestions(admin, campaign_id=world.campaign_id, start=MAY.start, end=MAY.end, per_group=1, engine=engine)
    units = {(s.unit_id, s.basis) for s in found if s.kind == "unit"}
    for code in ("G1", "G2"):
        board = unit_board(campaign_id=world.campaign_id, start=MAY.start, end=MAY.end, group_id=world.groups[code], metric="composite", engine=engine)
        assert (board.standings[0].unit_id, "group_top") in units
    cadres = [s for s in found if s.kind == "cadre"]
    assert cadres[0].cadre_id == world.cadres["a1"] and cadres[0].basis == "study_top"
    with pytest.raises(PermissionDenied):
        suggestions(None, campaign_id=world.campaign_id, start=MAY.start, end=MAY.end, engine=engine)


def test_a_roll_is_validated_published_once_and_kept(setup):
    engine, world, admin = setup
    entries = [
        EntryInput("unit", world.units["A"], None, "group_top", "综合排名第一"),
        EntryInput("cadre", world.units["A"], world.cadres["a1"], "study_top", "读书笔记四篇"),
    ]
    with pytest.raises(ValidationFailed) as failed:
        save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="光荣榜",
                  entries=[EntryInput("cadre", world.units["B"], world.cadres["a1"], "study_top", " ")], engine=engine)
    assert {key for _f, key, _p in failed.value.problems} == {"reports.error.unknown_cadre", "reports.error.citation_required"}
    with pytest.raises(PermissionDenied):
        save_roll(Actor(user_id=9, role="reporter", unit_id=world.units["A"]), campaign_id=world.campaign_id, period_kind="month",
                  start=MAY.start, end=MAY.end, title="x", entries=entries, engine=engine)
    save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="草稿", entries=entries, engine=engine)
    assert published_rolls(None, engine=engine) == []
    assert draft_roll(admin, campaign_id=world.campaign_id, span=MAY, engine=engine)["status"] == "draft"
    roll_id = save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end,
                        title="五月光荣榜", entries=entries, publish=True, engine=engine)
    with pytest.raises(ValidationFailed):
        save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="改", entries=entries, engine=engine)
    [roll] = published_rolls(None, engine=engine)
    assert roll["id"] == roll_id and roll["title"] == "五月光荣榜"
    assert [(e["kind"], e["name"], e["citation"]) for e in roll["entries"]] == [("unit", None, "综合排名第一"), ("cadre", "A1", "读书笔记四篇")]
    assert rolls_within(admin, campaign_id=world.campaign_id, span=DateRange(dt.date(2026, 4, 1), dt.date(2026, 6, 30)), engine=engine)
    assert not rolls_within(admin, campaign_id=world.campaign_id, span=DateRange(dt.date(2026, 5, 1), dt.date(2026, 5, 7)), engine=engine)
    with read_session(engine) as session:
        assert session.scalar(select(AuditLog.action).where(AuditLog.entity == "honour_roll", AuditLog.action == "honour_roll.publish"))
        assert session.get(HonourRoll, roll_id).published_at is not None


def test_hidden_names_stay_hidden_on_the_public_roll(setup):
    engine, world, admin = setup
    save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="榜",
              entries=[EntryInput("cadre", world.units["A"], world.cadres["a1"], "study_top", "好")], publish=True, engine=engine)
    set_names_hidden(admin, True, engine=engine)
    assert published_rolls(None, engine=engine)[0]["entries"][0]["name"] is None
    assert published_rolls(admin, engine=engine)[0]["entries"][0]["name"] == "A1"


def test_an_english_briefing_reads_in_english(setup):
    import io

    from docx import Document

    from core.briefing_docx import docx_bytes
    from db.briefings import Scope, build

    engine, world, admin = setup
    content = build(admin, Scope(world.campaign_id, "month", MAY, None), lead="Lead.", issue_number=7,
                    issued_on=dt.date(2026, 6, 1), language="en", engine=engine)
    texts = [paragraph.text for paragraph in Document(io.BytesIO(docx_bytes(content))).paragraphs]
    assert texts[:2] == ["Organization Work Bulletin", "Issue 7"]
    assert "1. Rankings by comparison group" in texts and "6. Publicity" in texts
    assert not any("单位A" in text for text in texts) and any("Unit A" in text for text in texts)


def test_the_presenter_carries_the_newest_roll_with_names_as_the_office_decides(setup):
    from core.presenter import PresenterSettings
    from db.honours import latest_roll
    from db.presenter import presenter_payload
    from db.reference import campaign

    engine, world, admin = setup
    assert latest_roll(world.campaign_id, hide_names=False, engine=engine) is None
    save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="五月",
              entries=[EntryInput("cadre", world.units["A"], world.cadres["a1"], "study_top", "好")], publish=True, engine=engine)
    payload = presenter_payload(PresenterSettings(boards=("honours",)), campaign(engine), dt.date(2026, 6, 1), engine=engine)
    assert payload["honours"]["title"] == "五月" and payload["honours"]["entries"][0]["name"] == "A1"
    assert payload["honours"]["start"] == "2026-05-01"  # ready to be frozen in a snapshot
    hidden = presenter_payload(PresenterSettings(boards=("honours",), hide_names=True), campaign(engine), dt.date(2026, 6, 1), engine=engine)
    assert hidden["honours"]["entries"][0]["name"] is None
    set_names_hidden(admin, True, engine=engine)
    assert latest_roll(world.campaign_id, hide_names=False, engine=engine)["entries"][0]["name"] is None


def test_the_office_withdraws_a_published_roll_with_a_reason(setup):
    from db.honours import latest_roll, withdraw_roll, withdrawn_rolls
    from db.presenter import create_snapshot, get_snapshot

    engine, world, admin = setup
    entries = [EntryInput("unit", world.units["A"], None, "group_top", "综合排名第一")]
    roll_id = save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end,
                        title="五月光荣榜", entries=entries, publish=True, engine=engine)
    frozen = create_snapshot(admin, name="推进会", settings={}, payload={"honours": latest_roll(world.campaign_id, hide_names=False, engine=engine)},
                             engine=engine)
    with pytest.raises(PermissionDenied):
        withdraw_roll(Actor(user_id=9, role="reporter", unit_id=world.units["A"]), roll_id, reason="错", engine=engine)
    with pytest.raises(ValidationFailed) as failed:
        withdraw_roll(admin, roll_id, reason="  ", engine=engine)
    assert failed.value.problems[0][1] == "reports.error.reason_required"
    assert published_rolls(None, engine=engine)  # refused attempts changed nothing

    withdraw_roll(admin, roll_id, reason="名单有误,重新核实", engine=engine)
    assert published_rolls(None, engine=engine) == [] and published_rolls(admin, engine=engine) == []
    assert latest_roll(world.campaign_id, hide_names=False, engine=engine) is None  # the presenter's slide
    assert get_snapshot(frozen, engine=engine)["payload"]["honours"] is None  # and a screen frozen before
    assert not rolls_within(admin, campaign_id=world.campaign_id, span=MAY, engine=engine)  # later briefings
    [kept] = withdrawn_rolls(admin, campaign_id=world.campaign_id, engine=engine)
    assert (kept["id"], kept["title"], kept["withdrawn_reason"]) == (roll_id, "五月光荣榜", "名单有误,重新核实")
    assert kept["withdrawn_at"] is not None and kept["entries"][0]["citation"] == "综合排名第一"
    with pytest.raises(PermissionDenied):
        withdrawn_rolls(None, campaign_id=world.campaign_id, engine=engine)
    with pytest.raises(ValidationFailed) as twice:
        withdraw_roll(admin, roll_id, reason="再撤", engine=engine)
    assert twice.value.problems[0][1] == "reports.error.not_published"
    with read_session(engine) as session:
        logged = session.scalars(select(AuditLog).where(AuditLog.action == "honour_roll.withdraw")).all()
    assert [(entry.entity_id, entry.user_id, entry.detail["after"]["withdrawn_reason"]) for entry in logged] == [(roll_id, admin.user_id, "名单有误,重新核实")]

    # A corrected roll of the same period takes the withdrawn one's place.
    save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="五月光荣榜(更正)",
              entries=entries, publish=True, engine=engine)
    assert [roll["title"] for roll in published_rolls(None, engine=engine)] == ["五月光荣榜(更正)"]
    assert withdrawn_rolls(admin, campaign_id=world.campaign_id, engine=engine) == []


def test_the_office_adds_an_active_unit_or_cadre_the_rankings_did_not_suggest(setup):
    from db.honours import candidates

    engine, world, admin = setup
    found = suggestions(admin, campaign_id=world.campaign_id, start=MAY.start, end=MAY.end, per_group=1, engine=engine)
    suggested = {(s.kind, s.unit_id, s.cadre_id) for s in found}
    units, cadres = candidates(admin, engine=engine)
    unit = next(u for u in units if ("unit", u["unit_id"], None) not in suggested)
    cadre = next(c for c in cadres if ("cadre", c["unit_id"], c["cadre_id"]) not in suggested)
    assert world.cadres["a_gone"] not in {c["cadre_id"] for c in cadres}  # only active cadres are offered
    with pytest.raises(PermissionDenied):
        candidates(None, engine=engine)
    with pytest.raises(ValidationFailed) as failed:
        save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="榜",
                  entries=[EntryInput("cadre", world.units["A"], world.cadres["a_gone"], "office", "曾经优秀"),
                           EntryInput("unit", unit["unit_id"], None, "office", " ")], engine=engine)
    assert [key for _f, key, _p in failed.value.problems] == ["reports.error.inactive_entry", "reports.error.citation_required"]
    save_roll(admin, campaign_id=world.campaign_id, period_kind="month", start=MAY.start, end=MAY.end, title="榜", publish=True,
              entries=[EntryInput("unit", unit["unit_id"], None, "office", "基层创新突出"),
                       EntryInput("cadre", cadre["unit_id"], cadre["cadre_id"], "office", "扎根一线")], engine=engine)
    [roll] = published_rolls(admin, engine=engine)
    assert [(e["kind"], e["basis"], e["unit_id"], e["cadre_id"], e["citation"]) for e in roll["entries"]] == [
        ("unit", "office", unit["unit_id"], None, "基层创新突出"), ("cadre", "office", cadre["unit_id"], cadre["cadre_id"], "扎根一线"),
    ]
