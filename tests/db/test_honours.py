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
