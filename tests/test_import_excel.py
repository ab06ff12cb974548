"""Reading and writing Excel files, and what people type into them: pure, no database."""
import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.excel import CHOICES_SHEET, DATA_SHEET, GUIDE_SHEET, ExcelRejected, build_template, read_table
from core.import_rules import (
    CellProblem,
    Column,
    Directory,
    convert_row,
    parse_bool,
    parse_date,
    parse_int,
    person_labels,
)

COLUMNS = [
    Column("title", "标题", "Title", "title"),
    Column("occurred_on", "活动日期", "Date", "date"),
    Column("audience", "听众人数", "Audience", "int", min_value=1),
    Column("place", "地点", "Place", "text", required=False),
]


def _workbook(rows: list[list], header: list[str] | None = None) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or ["标题", "活动日期", "听众人数", "地点"])
    for row in rows:
        sheet.append(row)
    return workbook


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _patch_sheet(raw: bytes, change) -> bytes:  # noqa: ANN001 - a str -> str function
    """Rewrite the first sheet's XML, for what openpyxl cannot write (cached formula values, error cells)."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2026-05-01", dt.date(2026, 5, 1)),
        ("2026/5/1", dt.date(2026, 5, 1)),
        ("2026.5.1", dt.date(2026, 5, 1)),
        ("2026年5月1日", dt.date(2026, 5, 1)),
        (" 2026 年 5 月 1 日 ", dt.date(2026, 5, 1)),
        ("20260501", dt.date(2026, 5, 1)),
        ("2026-05-01 00:00:00", dt.date(2026, 5, 1)),
        (46143, dt.date(2026, 5, 1)),  # an Excel serial day number
        (46143.0, dt.date(2026, 5, 1)),
        (dt.datetime(2026, 5, 1, 0, 0), dt.date(2026, 5, 1)),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 1)),
        ("2026-02-30", None),
        ("五月一日", None),
        (12, None),  # far too small to be a campaign date: a slip, not a date
        (46143.5, None),
        (True, None),
    ],
)
def test_dates_in_the_shapes_people_type_them(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed, expected", [(12, 12), (12.0, 12), ("12", 12), (" 1,200 ", 1200), ("12.0", 12), (12.5, None), ("十二", None), ("12人", None), (True, None)])
def test_whole_numbers(typed, expected):
    assert parse_int(typed) == expected


@pytest.mark.parametrize("typed, expected", [("是", True), ("否", False), ("Y", True), ("no", False), ("√", True), (True, True), ("也许", None)])
def test_yes_and_no(typed, expected):
    assert parse_bool(typed) == expected


def test_namesakes_get_labels_that_tell_them_apart():
    cadres = [
        {"id": 1, "name": "张伟", "position": "科长"},
        {"id": 2, "name": "张伟", "position": "科员"},
        {"id": 3, "name": "李娜", "position": "科员"},
        {"id": 4, "name": "王芳", "position": "科员"},
        {"id": 5, "name": "王芳", "position": "科员"},
    ]
    assert person_labels(cadres) == {1: "张伟(科长)", 2: "张伟(科员)", 3: "李娜", 4: "王芳(编号4)", 5: "王芳(编号5)"}
    directory = Directory(cadre_labels=person_labels(cadres), cadre_names={c["id"]: c["name"] for c in cadres}, branch_names={9: "第1党支部"})
    assert directory.cadre("李娜") == (3, None)
    assert directory.cadre("张伟(科员)") == (2, None)
    ident, problem = directory.cadre("张伟")
    assert ident is None and problem[0] == "imports.ambiguous_person" and problem[1]["count"] == 2
    assert "张伟(科长)" in problem[1]["examples"]
    assert directory.cadre("赵六") == (None, ("imports.unknown_person", {"name": "赵六"}))
    assert directory.branch("第1党支部") == (9, None)
    assert directory.branch("第9党支部")[1][0] == "imports.unknown_branch"


def test_a_row_converts_cell_by_cell_and_keeps_every_problem():
    values, problems = convert_row(COLUMNS, {"title": 2026, "occurred_on": "明天", "audience": "三十", "place": None}, 7)
    assert values == {"title": "2026", "place": None}
    assert problems == [
        CellProblem(7, "occurred_on", "imports.bad_date", {"value": "明天"}),
        CellProblem(7, "audience", "validation.not_integer", {}),
    ]


def test_a_clean_sheet_reads_by_column_whatever_the_column_order():
    raw = _bytes(_workbook([["礼堂", "党课", 30, "2026/5/1"]], header=["地点", "标题*", "听众人数", " 活动日期 "]))
    table = read_table(raw, COLUMNS)
    assert table.problems == []
    assert table.rows == [(2, {"place": "礼堂", "title": "党课", "audience": 30, "occurred_on": "2026/5/1"})]


def test_english_headers_are_understood_too():
    raw = _bytes(_workbook([["Lecture", dt.date(2026, 5, 1), 30]], header=["Title", "Date", "Audience"]))
    table = read_table(raw, COLUMNS)
    assert table.problems == [] and table.rows[0][1]["occurred_on"] == dt.datetime(2026, 5, 1)


def test_wrong_columns_are_named():
    raw = _bytes(_workbook([["党课", "2026-05-01", 30, "x", "y"]], header=["标题", "日期", "听众人数", "听众人数", "备注"]))
    problems = read_table(raw, COLUMNS).problems
    assert [(p.key, p.params.get("name"), p.params.get("cell")) for p in problems] == [
        ("imports.unknown_column", "日期", "B1"),
        ("imports.duplicate_column", "听众人数", "D1"),
        ("imports.unknown_column", "备注", "E1"),
        ("imports.missing_column", "活动日期", None),
    ]


def test_a_column_without_a_header_is_reported_once():
    workbook = _workbook([["党课", "2026-05-01", 30, "礼堂"], ["党课2", "2026-05-02", 30, "礼堂"]])
    workbook.active["F2"] = "备注内容"
    workbook.active["F3"] = "更多"
    problems = read_table(_bytes(workbook), COLUMNS).problems
    assert problems == [CellProblem(2, None, "imports.unnamed_column", {"cell": "F2"})]


def test_merged_cells_are_reported_with_their_range():
    workbook = _workbook([["党课", "2026-05-01", 30, "礼堂"], ["党课2", "2026-05-02", 30, None]])
    workbook.active.merge_cells("D2:D3")
    problems = read_table(_bytes(workbook), COLUMNS).problems
    assert problems == [CellProblem(2, "place", "imports.merged_cells", {"range": "D2:D3"})]


def test_a_formula_without_a_saved_value_is_reported_and_one_with_a_value_is_read():
    raw = _bytes(_workbook([["党课", "2026-05-01", "=10*3", "礼堂"], ["党课2", "2026-05-02", "=20*2", "礼堂"]]))
    # Excel saves the computed value beside the formula; openpyxl never does. Give row 3 one.
    raw = _patch_sheet(raw, lambda xml: re.sub(r"(<c r=\"C3\"[^>]*>\s*<f>20\*2</f>)\s*(<v>\s*</v>|<v/>)?", r"\1<v>40</v>", xml))
    table = read_table(raw, COLUMNS)
    assert table.problems == [CellProblem(2, "audience", "imports.formula_no_value", {"cell": "C2"})]
    assert "audience" not in table.rows[0][1]
    assert table.rows[1][1]["audience"] == 40


def test_an_error_value_is_reported():
    raw = _bytes(_workbook([["党课", "2026-05-01", 1, "礼堂"]]))
    raw = _patch_sheet(raw, lambda xml: re.sub(r"<c r=\"C2\"[^>]*>.*?</c>", '<c r="C2" t="e"><v>#DIV/0!</v></c>', xml))
    assert read_table(raw, COLUMNS).problems == [CellProblem(2, "audience", "imports.cell_error", {"cell": "C2", "value": "#DIV/0!"})]


@pytest.mark.parametrize(
    "raw, key",
    [
        (b"", "imports.file_empty"),
        (b"name,date\nx,2026-05-01\n", "imports.not_excel"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "imports.not_excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "imports.old_xls"),
    ],
    ids=["empty", "csv", "png", "old-xls"],
)
def test_files_that_are_not_workbooks_are_refused(raw, key):
    with pytest.raises(ExcelRejected) as refused:
        read_table(raw, COLUMNS)
    assert refused.value.key == key


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ExcelRejected) as refused:
        read_table(buffer.getvalue(), COLUMNS)
    assert refused.value.key == "imports.not_excel"


def test_a_damaged_workbook_is_refused():
    raw = _patch_sheet(_bytes(_workbook([["党课", "2026-05-01", 30]])), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(ExcelRejected) as refused:
        read_table(raw, COLUMNS)
    assert refused.value.key == "imports.not_excel"


def test_size_and_row_limits():
    raw = _bytes(_workbook([["党课", "2026-05-01", 30]] * 5))
    with pytest.raises(ExcelRejected) as refused:
        read_table(raw, COLUMNS, max_bytes=len(raw) - 1)
    assert refused.value.key == "imports.file_too_large"
    with pytest.raises(ExcelRejected) as refused:
        read_table(raw, COLUMNS, max_rows=4)
    assert (refused.value.key, refused.value.params) == ("imports.too_many_rows", {"max": "4", "actual": "5"})
    assert len(read_table(raw, COLUMNS, max_rows=5).rows) == 5


def test_a_sheet_with_headers_only_has_nothing_to_import():
    with pytest.raises(ExcelRejected) as refused:
        read_table(_bytes(_workbook([])), COLUMNS)
    assert refused.value.key == "imports.file_no_rows"


def test_blank_and_styled_rows_far_below_do_not_count():
    workbook = _workbook([["党课", "2026-05-01", 30], [None, None, None], ["党课2", "2026-05-02", 40]])
    workbook.active.cell(row=1_000_000, column=1).font = Font(bold=True)  # a formatted, empty cell
    table = read_table(_bytes(workbook), COLUMNS)
    assert [number for number, _ in table.rows] == [2, 4]


def test_the_template_has_chinese_headers_drop_downs_and_a_guide():
    columns = [*COLUMNS, Column("form", "形式", "Form", "choice", choices=("带头讲", "回家讲", "交流讲"))]
    raw = build_template(
        columns, choices={"form": ["带头讲", "回家讲", "交流讲"]}, hints={"title": "一句话"}, guide=[["列", "必填", "说明"]],
        rows=[["示例", "2026-05-01", 3, "礼堂", "带头讲"]], choices_note="可选值", validation_title="t", validation_message="m",
    )
    workbook = load_workbook(io.BytesIO(raw))
    assert workbook.sheetnames == [DATA_SHEET, CHOICES_SHEET, GUIDE_SHEET]
    data = workbook[DATA_SHEET]
    assert [cell.value for cell in data[1]] == ["标题", "活动日期", "听众人数", "地点", "形式"]
    assert data["A1"].comment.text.startswith("一句话")
    assert [cell.value for cell in data[2]] == ["示例", "2026-05-01", 3, "礼堂", "带头讲"]
    rules = {str(rule.sqref): rule for rule in data.data_validations.dataValidation}
    assert rules["E2:E10001"].type == "list" and rules["E2:E10001"].formula1 == f"'{CHOICES_SHEET}'!$A$3:$A$5"
    assert rules["C2:C10001"].type == "whole" and rules["C2:C10001"].formula1 == "1"
    assert [row[0] for row in workbook[CHOICES_SHEET].iter_rows(min_row=2, values_only=True)] == ["形式", "带头讲", "回家讲", "交流讲"]
    # What the template produces reads back as it was written.
    assert read_table(raw, columns).rows == [(2, {"title": "示例", "occurred_on": "2026-05-01", "audience": 3, "place": "礼堂", "form": "带头讲"})]


def test_the_bulk_grid_hands_over_plain_values():
    import pandas as pd

    from ui.import_view import grid_rows

    frame = pd.DataFrame({
        "title": ["党课", None, "  "],
        "occurred_on": [pd.Timestamp("2026-05-01"), pd.NaT, dt.date(2026, 5, 2)],
        "audience": pd.Series([30, None, 12], dtype="Int64"),
        "ratio": [1.5, float("nan"), 2.0],
    })
    assert grid_rows(frame) == [
        (1, {"title": "党课", "occurred_on": dt.date(2026, 5, 1), "audience": 30, "ratio": 1.5}),
        (2, {"title": None, "occurred_on": None, "audience": None, "ratio": None}),
        (3, {"title": "  ", "occurred_on": dt.date(2026, 5, 2), "audience": 12, "ratio": 2.0}),
    ]
    assert all(type(values["audience"]) is int for _, values in grid_rows(frame) if values["audience"] is not None)
