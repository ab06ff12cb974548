"""The one writer of every .xlsx and .csv: formulas stay text, figures stay numbers, names stay whole."""
import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from core.excel import build_template
from core.import_rules import Column
from core.xlsx_export import Sheet, SheetColumn, csv_bytes, csv_safe, file_name, sheet_name, workbook_bytes, zip_of_csv

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "=cmd|' /C calc'!A0"]


def _book(sheets):
    return load_workbook(io.BytesIO(workbook_bytes(sheets)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_looks_like_a_formula_comes_back_as_text(payload):
    sheet = Sheet("名单", [SheetColumn("name", "姓名"), SheetColumn("points", "积分", "number1")], [{"name": payload, "points": 3}], heading=payload)
    page = _book([sheet]).worksheets[0]
    for cell in (page["A1"], page["A4"]):
        assert cell.data_type == "s" and cell.value == payload
        assert cell.quotePrefix
    assert page["B4"].value == 3.0 and page["B4"].data_type == "n"


def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe():
    assert [csv_safe(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert csv_safe(-2) == "-2" and csv_safe("普通文字") == "普通文字" and csv_safe(None) == ""
    raw = csv_bytes([SheetColumn("name", "=姓名")], [{"name": "=1+1"}, {"name": "张三"}])
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["'=姓名"], ["'=1+1"], ["张三"]]
    archive = zipfile.ZipFile(io.BytesIO(zip_of_csv([("t", [SheetColumn("a", "a")], [{"a": "@x"}])])))
    assert archive.read("t.csv").decode("utf-8-sig").splitlines()[1] == "'@x"


def test_ranks_percentages_and_dates_are_numbers_and_dates():
    columns = [SheetColumn("rank", "名次", "rank"), SheetColumn("rate", "完成率", "percent"), SheetColumn("on", "日期", "date")]
    page = _book([Sheet("表", columns, [{"rank": 2, "rate": 87.5, "on": dt.date(2026, 5, 1)}])]).worksheets[0]
    assert page["A2"].value == 2 and page["B2"].value == pytest.approx(0.875) and page["B2"].number_format == "0.0%"
    assert page["C2"].value == dt.datetime(2026, 5, 1)


def test_sheet_names_are_whole_words_and_unique():
    used: set[str] = set()
    long_title = "Unit leaderboard · District departments · 2026-05-01 to 2026-05-31"
    name = sheet_name(long_title, used)
    assert len(name) <= 31 and long_title.startswith(name) and long_title[len(name)] in " ·"
    assert sheet_name("区县组", used) == "区县组" and sheet_name("区县组", used) == "区县组 (2)"
    assert sheet_name("a/b:c", used) == "a b c"


def test_file_names_are_safe():
    assert file_name("单位排行/区县组: 本季度", dt.date(2026, 5, 1)) == "单位排行-区县组-本季度-2026-05-01.xlsx"
    assert file_name("归档", dt.date(2026, 5, 1), "zip") == "归档-2026-05-01.zip"


def test_templates_filled_with_database_values_keep_formulas_as_text():
    columns = [Column("name", "姓名", "Name", "text", required=True), Column("branch", "支部", "Branch", "choice", required=False)]
    raw = build_template(
        columns, choices={"branch": ["=1+2"]}, hints={}, guide=[["=guide"]], rows=[["=HYPERLINK(\"x\")", "=1+2"]],
        choices_note="", validation_title="", validation_message="",
    )
    book = load_workbook(io.BytesIO(raw))
    data = book["填报"]
    assert (data["A2"].data_type, data["A2"].value) == ("s", "=HYPERLINK(\"x\")")
    assert (data["B2"].data_type, data["B2"].value) == ("s", "=1+2")
    assert book["选项"]["A3"].data_type == "s" and book["填写说明"]["A1"].data_type == "s"


def test_supervision_files_follow_the_same_rule():
    from openpyxl import Workbook

    from ui.supervision_documents import _text

    sheet = Workbook().active
    for row, payload in enumerate(PAYLOADS, start=1):
        cell = sheet.cell(row=row, column=1, value=payload)
        _text(cell)
        assert cell.data_type == "s" and cell.quotePrefix and cell.value == payload
    number = sheet.cell(row=99, column=1, value=-3)
    _text(number)
    assert number.value == -3 and number.data_type == "n"
