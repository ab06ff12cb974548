"""Supervision's files: the coloured matrix and lagging list in Excel, the 督办通知 in Word."""
from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from core.completion import Colour
from db.supervision import Cell, LaggingUnit, Missing, MissingState, Notice, NoticeItem, UnitRef
from db.targets import Target
from ui.supervision_documents import lagging_workbook, matrix_workbook, notice_docx, notice_file_name
from ui.supervision_frames import FILLS, matrix, names_by_state

DAY = dt.date(2026, 6, 1)
EVIL = UnitRef(1, "=HYPERLINK(\"http://x\")单位", "=evil", 1)
PLAIN = UnitRef(2, "市交通委", "Transport", 1)
LECTURE = Target(1, 10, "party_lecture", "党性教育报告", "Party lecture", "per_principal", 1, dt.date(2026, 5, 1), 1.0)
REPORT = Target(2, 11, "analysis_report", "党性分析报告", "Analysis report", "per_cadre", 1, dt.date(2026, 12, 31), 1.0)


def _cell(unit, target, done, required, colour):
    return Cell(unit, target, done, required, done / required if required else None, 0.5, colour, target.due_on)


CELLS = [
    _cell(EVIL, LECTURE, 1, 1, Colour.DONE), _cell(EVIL, REPORT, 5, 10, Colour.GREEN),
    _cell(PLAIN, LECTURE, 0, 1, Colour.RED), _cell(PLAIN, REPORT, 2, 10, Colour.AMBER),
]
MISSING = [
    Missing("张三", "cadre", MissingState.NOT_WRITTEN, 7), Missing("=李四", "cadre", MissingState.PENDING, 8),
    Missing("王五", "cadre", MissingState.RETURNED, 9),
]


def test_the_matrix_sheet_keeps_the_colours_and_never_makes_a_formula():
    shown = matrix(CELLS, "zh", "red")
    book = load_workbook(io.BytesIO(matrix_workbook(shown, title="完成情况一览", notes=["截至"], language="zh")))
    sheet = book.active
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value in {EVIL.name_zh, PLAIN.name_zh}}
    assert set(rows) == {EVIL.name_zh, PLAIN.name_zh}  # the "=" name is text, not a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    plain = [cell for cell in rows[PLAIN.name_zh]]
    assert [c.value for c in plain] == ["市交通委", "10.0%", 1, 1, "0/1", "2/10"]
    assert plain[4].fill.fgColor.rgb.endswith(FILLS[Colour.RED][1:])
    assert plain[5].fill.fgColor.rgb.endswith(FILLS[Colour.AMBER][1:])
    assert rows[EVIL.name_zh][4].value == "✓ 1/1"
    assert rows[EVIL.name_zh][4].fill.fgColor.rgb.endswith(FILLS[Colour.DONE][1:])
    # Sorted by most overdue: the unit with a red task first.
    assert sheet.cell(row=rows[PLAIN.name_zh][0].row - 1, column=1).value == "单位"


def test_the_lagging_sheet_names_the_missing_by_state():
    lag = LaggingUnit(PLAIN, 0.1, [CELLS[2], CELLS[3]])
    data = lagging_workbook([lag], {(PLAIN.id, REPORT.id): MISSING}, title="落后单位", notes=[], language="zh")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    report_row = next(row for row in values if row[2] == "党性分析报告")
    assert report_row[6] == "未填报:张三;待审核:=李四;已退回:王五"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_notice_names_the_unit_the_tasks_the_missing_and_the_deadline_in_chinese_fonts():
    notice = Notice(PLAIN, "创先争优活动", "Campaign", DAY, [NoticeItem(CELLS[2], [MISSING[0]]), NoticeItem(CELLS[3], MISSING)])
    document = Document(io.BytesIO(notice_docx(notice, reply_by=dt.date(2026, 6, 8), issuer="市委组织部办公室", language="zh")))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "督办通知" in text and "市交通委:" in text
    assert "党性教育报告" in text and "2026年5月1日" in text and "逾期未完成" in text
    assert "张三" in text and "=李四" in text and "王五" in text
    assert "2026年6月8日前" in text
    fonts = {
        run._element.rPr.rFonts.get(qn("w:eastAsia"))
        for paragraph in document.paragraphs for run in paragraph.runs
    }
    assert fonts == {"仿宋", "宋体"}
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_names_by_state_and_the_file_name():
    assert names_by_state(MISSING, "en") == "Not written: 张三; Waiting for review: =李四; Returned: 王五"
    assert notice_file_name(UnitRef(3, "a/b:c", "", 1), DAY, "zh") == "督办通知-abc-2026-06-01.docx"


def test_a_task_a_unit_owes_nothing_for_is_drawn_without_a_colour():
    from ui.supervision_frames import styled

    cells = [_cell(EVIL, LECTURE, 1, 1, Colour.DONE), _cell(EVIL, REPORT, 0, 0, None),
             _cell(PLAIN, LECTURE, 0, 1, Colour.RED), _cell(PLAIN, REPORT, 2, 10, Colour.AMBER)]
    shown = matrix(cells, "zh")
    html = styled(shown).to_html()  # raised "nan is not a valid Colour" before
    assert FILLS[Colour.RED] in html and FILLS[Colour.DONE] in html
    assert matrix_workbook(shown, title="完成情况一览", notes=[], language="zh")[:2] == b"PK"  # the Excel export too
