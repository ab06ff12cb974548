"""The boards' tables as shown, and their Excel export: same columns, order, headers and numbers."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from db.boards import group_trend, unit_board
from db.catalog_defaults import ACTIVITY_TYPES
from db.people_boards import branch_board, people_board
from tests.db.world import END, START, add_records, build_world
from ui.board_frames import (
    area_points,
    branch_table,
    breakdown_table,
    change_label,
    composite_formula,
    people_table,
    rank_label,
    trend_table,
    unit_table,
)
from ui.export import file_name, workbook_bytes

TYPES = [{**spec, "id": index} for index, spec in enumerate(ACTIVITY_TYPES, start=1)]


@pytest.fixture
def world(fresh_engine):
    world = build_world(fresh_engine)
    add_records(fresh_engine, world, unit="A", type_code="reading_note", count=15, cadre="a1", branch="ab1")
    add_records(fresh_engine, world, unit="A", type_code="analysis_report", cadre="a2", branch="ab1")
    add_records(fresh_engine, world, unit="B", type_code="party_lecture", cadre="b1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b1")
    add_records(fresh_engine, world, unit="B", type_code="analysis_report", cadre="b2")
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=9)
    add_records(fresh_engine, world, unit="C", type_code="publicity", count=20, on=dt.date(2026, 4, 15))
    return world


@pytest.fixture
def may_board(fresh_engine, world):
    return unit_board(campaign_id=world.campaign_id, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31),
                      group_id=world.groups["G1"], engine=fresh_engine)


def test_rank_and_change_labels():
    assert rank_label(2, True, "zh") == "2 并列" and rank_label(2, True, "en") == "=2" and rank_label(3, False, "zh") == "3"
    assert [change_label(value, True, "zh") for value in (2, -1, 0, None)] == ["▲2", "▼1", "–", "新"]
    assert rank_label(None, False, "zh") == "—" and change_label(None, True, "zh", ranked=False) == ""


def test_a_board_without_records_shows_no_place_on_screen_or_in_excel(fresh_engine, world):
    june = unit_board(campaign_id=world.campaign_id, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 30),
                      group_id=world.groups["G1"], engine=fresh_engine)
    table = unit_table(june, "zh", group_name="G1")
    assert list(table.frame["rank"]) == ["—"] * len(june.standings)  # was "1 并列" for everyone
    assert set(table.frame["change"]) == {""}  # no arrows, no "新"
    sheet = load_workbook(io.BytesIO(workbook_bytes([table]))).worksheets[0]
    first = next(row for row in range(1, 10) if sheet.cell(row=row, column=2).value == "并列") + 1
    ranks = [(sheet.cell(row=row, column=1).value, sheet.cell(row=row, column=2).value) for row in range(first, first + len(june.standings))]
    assert ranks == [(None, None)] * len(june.standings)
    trend = group_trend(campaign_id=world.campaign_id, group_id=world.groups["G1"], start=START, end=dt.date(2026, 5, 31), engine=fresh_engine)
    january = trend_table(trend, world.units["A"], "zh").frame.iloc[0]
    assert (january["month"], january["rank"]) == ("2026-01", "—")
    assert change_label(1, False, "zh") == ""


def test_the_unit_table_as_shown(may_board):
    table = unit_table(may_board, "zh", group_name="G1")
    assert table.headers == ["名次", "单位", "人数", "积分", "人均积分", "完成率", "公信度与满意度", "综合指数", "变化"]
    rows = table.frame.set_index("unit")
    # May: B 18 / 2 and C 18 / 2 share first; A (24 + 5) / 4 = 7.25. April: C first, A and B had
    # nothing and no place, so they are new to the ranking.
    assert rows.loc["单位B", "rank"] == "1 并列" and rows.loc["单位C", "rank"] == "1 并列" and rows.loc["单位A", "rank"] == "3"
    assert rows.loc["单位A", "per_capita"] == 7.25 and rows.loc["单位B", "completion"] == 50.0
    assert (rows.loc["单位B", "change"], rows.loc["单位C", "change"], rows.loc["单位A", "change"]) == ("新", "–", "新")


def test_the_excel_export_matches_the_table(may_board):
    table = unit_table(may_board, "zh", group_name="G1")
    notes = ["2026年5月1日 至 2026年5月31日", "红升绿降"]
    book = load_workbook(io.BytesIO(workbook_bytes([table], notes=notes)))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == table.title
    assert [sheet.cell(row=2 + i, column=1).value for i in range(len(notes))] == notes
    header_row = 2 + len(notes) + 1
    # The rank is a number with "tied" in a column of its own; the other columns follow as shown.
    assert [cell.value for cell in sheet[header_row]] == [table.headers[0], "并列", *table.headers[1:]]
    for offset, (expected, standing) in enumerate(zip(table.frame.itertuples(index=False), may_board.standings, strict=True), start=1):
        row = [cell for cell in sheet[header_row + offset]]
        values = [cell.value for cell in row]
        assert values[:4] == [standing.rank, "并列" if standing.tied else None, expected.unit, expected.headcount]
        assert values[4] == pytest.approx(expected.points) and values[5] == pytest.approx(expected.per_capita)
        assert values[6] == pytest.approx(expected.completion / 100)  # Excel percent of the same figure
        assert values[7] is None  # no survey in May: an empty cell, not a 0
        assert values[8] == pytest.approx(expected.composite)
        assert values[9] == (expected.change or None)
        assert [cell.number_format for cell in row[3:9]] == ["#,##0", "#,##0.0", "#,##0.00", "0.0%", "#,##0.0", "#,##0.0"]
        if expected.change.startswith("▲"):
            assert row[9].font.color.rgb.endswith("C62828")  # red up
        if expected.change.startswith("▼"):
            assert row[9].font.color.rgb.endswith("2E7D32")  # green down


def test_a_name_starting_with_equals_is_text_in_excel(may_board):
    table = unit_table(may_board, "zh")
    table.frame.loc[0, "unit"] = "=HYPERLINK(\"http://x\")"
    sheet = load_workbook(io.BytesIO(workbook_bytes([table]))).worksheets[0]
    cell = sheet.cell(row=4, column=3)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_breakdown_lines_add_up_and_areas_cover_every_point(fresh_engine, world):
    board = unit_board(campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=fresh_engine)
    for standing in board.standings:
        table = breakdown_table(board, standing.unit_id, TYPES, "zh")
        assert table.frame["points"].iloc[:-1].sum() == pytest.approx(table.frame["points"].iloc[-1])
        assert table.frame["points"].iloc[-1] == standing.points
    heat = area_points(board, TYPES, "zh")
    # Over the whole year C's 29 unit-level publicity items are one group: 12 count.
    assert heat.groupby("unit")["points"].sum().to_dict() == pytest.approx({"单位A": 29.0, "单位B": 18.0, "单位C": 24.0})
    assert "人均积分指数" in composite_formula(board, "zh")


def test_people_and_branch_tables(fresh_engine, world):
    people = people_board(None, campaign_id=world.campaign_id, start=START, end=END, group_id=world.groups["G1"], engine=fresh_engine)
    table = people_table(people, TYPES, "zh")
    assert table.headers[:4] == ["名次", "姓名", "单位", "学习积分"]
    first = table.frame.iloc[0]
    assert (first["name"], first["points"], first["reading_note"]) == ("A1", 24.0, 12)
    branches = branch_table(branch_board(campaign_id=world.campaign_id, unit_id=world.units["A"], start=START, end=END, engine=fresh_engine), "zh")
    assert branches.frame.iloc[0]["branch"] == "A支部1" and branches.frame.iloc[0]["points"] == 29.0


def test_export_file_names_are_safe():
    assert file_name("单位排行/区县组: 本季度", dt.date(2026, 5, 1)) == "单位排行-区县组-本季度-2026-05-01.xlsx"
