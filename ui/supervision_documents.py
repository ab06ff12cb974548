"""Supervision's files: the coverage matrix and the lagging list as Excel (cells filled in their
三色督办 colour), and the 督办通知 as Word.

Text from users (unit, people and branch names) is always written as text: a name starting
with "=" never becomes a formula. The Word document names its Chinese fonts explicitly (the
East Asian font attribute), or Word and WPS fall back to a Latin font and show boxes.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.completion import Colour
from core.i18n import format_date, translate
from core.xlsx_export import write_text
from db.supervision import LaggingUnit, Missing, Notice, UnitRef
from ui.supervision_frames import FILLS, Matrix, names_by_state, percent_text, target_name, unit_name
from ui.theme import ACCENT

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# 仿宋 for the body and 宋体 (bold) for the title, as official notices are set; Word and WPS
# substitute 仿宋_GB2312 or another installed Song face when these exact names are missing.
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def _t(language: str, key: str, **params: object) -> str:
    return translate(language, key, **params)


def _text(sheet_cell: SheetCell) -> None:
    """Whatever was written stays text, never a formula: core/xlsx_export.py's one rule (= + - @ tab CR)."""
    if isinstance(sheet_cell.value, str):
        write_text(sheet_cell, sheet_cell.value)


def _header(sheet, row: int, headers: Sequence[str]) -> None:  # noqa: ANN001 - an openpyxl Worksheet
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=header)
        _text(cell)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=ACCENT[1:])
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(sheet, rows: Sequence[Sequence[object]], widest: int = 60) -> None:  # noqa: ANN001
    for column in range(1, max((len(row) for row in rows), default=0) + 1):
        texts = [str(row[column - 1]) for row in rows if column <= len(row) and row[column - 1] is not None]
        width = max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in texts), default=8)
        sheet.column_dimensions[get_column_letter(column)].width = min(max(8, width + 2), widest)


def _legend(language: str) -> list[str]:
    return [_t(language, f"supervision.legend.{colour.value}") for colour in (Colour.GREEN, Colour.AMBER, Colour.RED, Colour.DONE)]


def matrix_workbook(shown: Matrix, *, title: str, notes: Sequence[str], language: str) -> bytes:
    """The matrix as shown, each task cell filled in its colour, with the legend under the title."""
    book = Workbook()
    sheet = book.active
    sheet.title = _t(language, "supervision.sheet_matrix")
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13, color=ACCENT[1:])
    for line in [*notes, *_legend(language)]:
        sheet.append([line])
    for row in range(2, sheet.max_row + 1):
        _text(sheet.cell(row=row, column=1))
    header_row = sheet.max_row + 2
    headers = list(shown.frame.columns)
    _header(sheet, header_row, headers)
    for offset, (values, colours) in enumerate(
        zip(shown.frame.itertuples(index=False), shown.colours.itertuples(index=False), strict=True), start=1
    ):
        for column, (value, colour) in enumerate(zip(values, colours, strict=True), start=1):
            cell = sheet.cell(row=header_row + offset, column=column, value=value)
            _text(cell)
            if column > 1:
                cell.alignment = Alignment(horizontal="center")
            if isinstance(colour, str) and colour:  # no colour: None, or NaN once in a frame
                cell.fill = PatternFill("solid", fgColor=FILLS[Colour(colour)][1:])
    _widths(sheet, [headers, *shown.frame.astype(str).values.tolist()], widest=30)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def lagging_workbook(
    lagging: Sequence[LaggingUnit],
    missing: Mapping[tuple[int, int], Sequence[Missing]],
    *,
    title: str,
    notes: Sequence[str],
    language: str,
) -> bytes:
    """One row per lagging unit and task: unit, task, done/required, due date, colour, who is missing."""
    book = Workbook()
    sheet = book.active
    sheet.title = _t(language, "supervision.sheet_lagging")
    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13, color=ACCENT[1:])
    for line in notes:
        sheet.append([line])
    header_row = sheet.max_row + 2
    headers = [
        _t(language, "supervision.column.unit"), _t(language, "supervision.column.completion"),
        _t(language, "supervision.column.task"), _t(language, "supervision.column.done_required"),
        _t(language, "supervision.column.due"), _t(language, "supervision.column.status"),
        _t(language, "supervision.column.missing"),
    ]
    _header(sheet, header_row, headers)
    rows: list[list[object]] = []
    colours: list[Colour] = []
    for lag in lagging:
        for cell in lag.cells:
            colours.append(cell.colour)
            rows.append([
                unit_name(cell, language), percent_text(lag.completion), target_name(cell, language),
                f"{cell.done}/{cell.required}", format_date(cell.due_on, language),
                _t(language, f"supervision.colour.{cell.colour.value}"),
                names_by_state(missing.get((cell.unit.id, cell.target.id), []), language),
            ])
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=column, value=value)
            _text(cell)
            cell.alignment = Alignment(vertical="top", wrap_text=column == len(headers))
        sheet.cell(row=header_row + offset, column=6).fill = PatternFill("solid", fgColor=FILLS[colours[offset - 1]][1:])
    _widths(sheet, [headers, *rows])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fonts(run, east_asian: str) -> None:  # noqa: ANN001 - a python-docx Run
    """Latin letters in Times New Roman, Chinese in `east_asian` (w:eastAsia)."""
    run.font.name = LATIN_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph(document, text: str, *, size: float = 16, bold: bool = False, font: str = BODY_FONT,  # noqa: ANN001
               align: int | None = None, indent: bool = False) -> None:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(size * 1.75)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    _fonts(run, font)


def notice_docx(notice: Notice, *, reply_by: dt.date, issuer: str, language: str) -> bytes:
    """督办通知 to one unit: its overdue and behind-pace tasks, each with its due date and the
    people or branches still missing, and the date by which to put it right."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    name = notice.unit.name_en if language == "en" and notice.unit.name_en else notice.unit.name_zh
    campaign = notice.campaign_en if language == "en" and notice.campaign_en else notice.campaign_zh
    _paragraph(document, _t(language, "supervision.notice.title"), size=22, bold=True, font=TITLE_FONT,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, _t(language, "supervision.notice.to", unit=name))
    _paragraph(document, _t(language, "supervision.notice.opening", campaign=campaign,
                            date=format_date(notice.as_of, language)), indent=True)
    for number, item in enumerate(notice.items, start=1):
        cell = item.cell
        _paragraph(document, _t(
            language, "supervision.notice.task", number=number, task=target_name(cell, language), done=cell.done,
            required=cell.required, due=format_date(cell.due_on, language),
            colour=_t(language, f"supervision.colour.{cell.colour.value}"),
        ), indent=True, bold=True)
        if item.missing and cell.target.basis != "per_unit":
            _paragraph(document, _t(language, "supervision.notice.missing",
                                    names=names_by_state(item.missing, language)), indent=True)
    _paragraph(document, _t(language, "supervision.notice.closing", date=format_date(reply_by, language)), indent=True)
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, format_date(notice.as_of, language), align=WD_ALIGN_PARAGRAPH.RIGHT)
    for paragraph in document.paragraphs[:1]:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(ACCENT[1:])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_file_name(unit: UnitRef, as_of: dt.date, language: str) -> str:
    """督办通知-市教委组织人事处-2026-11-30.docx; the name loses what a file system would refuse."""
    name = unit.name_en if language == "en" and unit.name_en else unit.name_zh
    safe = "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "unit"
    return f"{_t(language, 'supervision.notice.file_stem')}-{safe}-{as_of.isoformat()}.docx"
