"""Downloads read back: the figures equal what the screens' data functions give, formulas stay text."""
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.i18n import translate
from core.xlsx_export import workbook_bytes
from db.access import Actor, PermissionDenied
from db.accounts import create_user
from db.archive import archive_zip
from db.boards import unit_board
from db.catalog_defaults import ACTIVITY_TYPES
from db.engine import read_session, write_session
from db.exports import full_people_board, gallery_list
from db.models import ActivityRecord, ActivityType, AuditLog, Cadre
from db.people_boards import PEOPLE_SHOWN, people_board
from db.record_queries import review_queue, unit_records
from tests.db.world import END, START, add_records, build_world
from ui.board_frames import people_table, unit_table
from ui.export import all_boards_workbook, records_sheet, review_sheet
from ui.export import workbook_bytes as board_workbook

TYPES = [{**spec, "id": index} for index, spec in enumerate(ACTIVITY_TYPES, start=1)]
PAYLOAD = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=3, cadre="a1", branch="ab1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a2", branch="ab1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b2")  # ties with b1
    with write_session(fresh_engine) as session:
        type_id = session.scalar(select(ActivityType.id).where(ActivityType.code == "publicity"))
        for hour in (8, 9):  # the same item twice: the second is flagged as a likely duplicate
            session.add(ActivityRecord(
                campaign_id=world.campaign_id, unit_id=world.units["A"], type_id=type_id, title=PAYLOAD,
                occurred_on=dt.date(2026, 5, 2), status="pending", details={"outlet": "《组工动态》"},
                submitted_at=dt.datetime(2026, 5, 2, hour, 0),
            ))
        session.get(Cadre, world.cadres["a3"]).name = "@SUM(1)"
    return world


def _admin(engine):
    user_id = create_user(username="boss", display_name="boss", password="a-long-enough-password", role="admin", rounds=4, engine=engine)
    return Actor(user_id=user_id, role="admin")


def _rows(raw, header_row):
    sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=header_row))
    return [cell.value for cell in rows[0]], [[cell for cell in row] for row in rows[1:]]


def test_the_records_list_in_excel_equals_the_records_query(fresh_engine, world):
    admin = _admin(fresh_engine)
    rows = unit_records(admin, world.units["A"], limit=1000, engine=fresh_engine)
    headers, cells = _rows(workbook_bytes([records_sheet(rows, "zh", title="填报记录")]), 3)
    assert headers == [translate("zh", key) for key in (
        "entry.column.id", "entry.column.status", "entry.column.type", "entry.field.title", "review.cadre",
        "entry.field.occurred_on", "entry.column.reason")]
    assert [row[0].value for row in cells] == [row["id"] for row in rows]
    assert [row[5].value.date() for row in cells] == [row["occurred_on"] for row in rows]
    payload = next(row[3] for row in cells if row[0].value == next(r["id"] for r in rows if r["title"] == PAYLOAD))
    assert payload.data_type == "s" and payload.value == PAYLOAD


def test_the_review_queue_in_excel_carries_its_flags(fresh_engine, world):
    admin = _admin(fresh_engine)
    rows = review_queue(admin, engine=fresh_engine)
    headers, cells = _rows(workbook_bytes([review_sheet(rows, "en", title="Review")]), 3)
    assert headers[4] == translate("en", "review.flags") and headers[1] == translate("en", "review.unit")
    assert [row[0].value for row in cells] == [row["id"] for row in rows]
    expected = [" · ".join(translate("en", f"review.flag.{flag}") for flag in row["flags"]) or None for row in rows]
    assert [row[4].value for row in cells] == expected and any(expected)
    title = cells[0][3]
    assert title.data_type == "s" and title.value == PAYLOAD


def test_the_full_people_board_holds_everyone_with_numeric_ranks_and_ties(fresh_engine, world):
    board = full_people_board(None, campaign_id=world.campaign_id, start=START, end=END, engine=fresh_engine)
    screen = people_board(None, campaign_id=world.campaign_id, start=START, end=END, engine=fresh_engine)
    assert len(board.rows) == board.ranked == screen.ranked  # everyone, not only the first hundred
    table = people_table(board, TYPES, "zh")
    headers, cells = _rows(board_workbook([table], language="zh"), 3)
    assert headers[:5] == ["名次", "并列", "姓名", "单位", "学习积分"]
    assert [row[0].value for row in cells] == [person.rank for person in board.rows]
    # A place is a number; no place (no points) an empty cell, never a tie.
    assert all(isinstance(row[0].value, int) if person.rank else row[0].value is None for row, person in zip(cells, board.rows, strict=True))
    assert any(row[0].value is None for row in cells)
    assert [row[1].value == "并列" for row in cells] == [person.tied for person in board.rows]
    assert [row[4].value for row in cells] == pytest.approx([person.points for person in board.rows])
    name = next(row[2] for row in cells if row[2].value == "@SUM(1)")
    assert name.data_type == "s"


def test_more_than_a_hundred_cadres_all_reach_the_file(fresh_engine, world):
    with write_session(fresh_engine) as session:
        session.add_all(Cadre(unit_id=world.units["C"], name=f"C{i}") for i in range(PEOPLE_SHOWN + 20))
    full = full_people_board(None, campaign_id=world.campaign_id, start=START, end=END, engine=fresh_engine)
    shown = people_board(None, campaign_id=world.campaign_id, start=START, end=END, engine=fresh_engine)
    assert len(shown.rows) == PEOPLE_SHOWN and len(full.rows) == full.ranked > PEOPLE_SHOWN


def test_every_group_in_one_workbook_equals_each_board(fresh_engine, world, monkeypatch):
    monkeypatch.setattr("ui.export.unit_board", lambda **kw: unit_board(engine=fresh_engine, **kw))
    groups = [{"id": world.groups[code], "name_zh": f"{code}组", "name_en": code} for code in ("G1", "G2")]
    raw = all_boards_workbook(campaign_id=world.campaign_id, start=START, end=END, metric="points", rules_version=None, groups=groups, language="zh")
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["G1组", "G2组"]
    for group, sheet in zip(groups, book.worksheets, strict=True):
        board = unit_board(campaign_id=world.campaign_id, start=START, end=END, group_id=group["id"], metric="points", engine=fresh_engine)
        table = unit_table(board, "zh")
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert list(rows[0][:3]) == ["名次", "并列", "单位"]
        assert [row[0] for row in rows[1:]] == [s.rank for s in board.standings]
        assert [row[4] for row in rows[1:]] == pytest.approx(table.frame["points"].tolist())


def test_the_archive_is_for_the_office_only_and_keeps_secrets_out(fresh_engine, world):
    with pytest.raises(PermissionDenied):
        archive_zip(Actor(user_id=1, role="reporter", unit_id=world.units["A"]), engine=fresh_engine)
    admin = _admin(fresh_engine)
    archive = zipfile.ZipFile(io.BytesIO(archive_zip(admin, engine=fresh_engine)))
    assert {"activity_record.csv", "unit.csv", "app_user.csv", "attachment.csv"} <= set(archive.namelist())
    users = archive.read("app_user.csv").decode("utf-8-sig")
    assert "password_hash" not in users and "$2b$" not in users
    records = archive.read("activity_record.csv").decode("utf-8-sig").splitlines()
    with read_session(fresh_engine) as session:
        count = len(session.scalars(select(ActivityRecord.id)).all())
        assert session.scalar(select(AuditLog.action).where(AuditLog.action == "archive.export")) == "archive.export"
    assert len(records) == count + 1
    assert any(line.split(",")[5:6] == ["'" + PAYLOAD.split(",")[0]] or "'=HYPERLINK" in line for line in records)
    assert not any(line.startswith("=") or ",=" in line for line in records)


def test_a_units_publicity_items_are_its_approved_ones_of_the_period(fresh_engine, world):
    from db.publicity import unit_publicity

    add_records(fresh_engine, world, unit="D", type_code="publicity", count=2, on=dt.date(2026, 5, 3))
    add_records(fresh_engine, world, unit="D", type_code="publicity", count=1, on=dt.date(2026, 7, 1))
    add_records(fresh_engine, world, unit="D", type_code="publicity", count=1, status="pending", on=dt.date(2026, 5, 3))
    found = unit_publicity(None, campaign_id=world.campaign_id, unit_id=world.units["D"], start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31), engine=fresh_engine)
    assert [row["date"] for row in found] == [dt.date(2026, 5, 3)] * 2
    assert unit_publicity(None, campaign_id=world.campaign_id, unit_id=world.units["A"], start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31), engine=fresh_engine) == []


def test_the_gallery_list_holds_every_shown_note_and_hides_names_as_the_boards_do(fresh_engine, world):
    from db.gallery import GalleryFilter, gallery_page
    from db.models import StudyRecord
    from db.people_boards import set_names_hidden
    from ui.export import gallery_sheet

    with write_session(fresh_engine) as session:
        notes = session.scalars(select(ActivityRecord).join(ActivityType).where(ActivityType.code == "reading_note")).all()
        for index, record in enumerate(notes):
            record.title = PAYLOAD if index == 0 else f"笔记{index}"
            session.add(StudyRecord(record_id=record.id, kind="note", body="体会", featured=index == 1))
    rows = gallery_list(None, engine=fresh_engine)
    page = gallery_page(None, GalleryFilter(), engine=fresh_engine)
    assert [row["record_id"] for row in rows] == [card["record_id"] for card in page.cards] and page.total == len(rows) == 3
    headers, cells = _rows(workbook_bytes([gallery_sheet(rows, "zh", title="展评")]), 3)
    assert headers[0] == translate("zh", "entry.field.title")
    title = next(row[0] for row in cells if row[0].value == PAYLOAD)
    assert title.data_type == "s"
    assert sorted(row[7].value or "" for row in cells) == ["", "", "是"]  # one note is featured
    admin = _admin(fresh_engine)
    set_names_hidden(admin, True, engine=fresh_engine)
    assert {row["cadre_name"] for row in gallery_list(None, engine=fresh_engine)} == {None}
    assert {row["cadre_name"] for row in gallery_list(admin, engine=fresh_engine)} == {"A1"}
