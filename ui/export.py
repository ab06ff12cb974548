"""Boards to Excel, exactly as shown: the same columns in the same order, the same headers, and
numbers kept as numbers with the same decimals (percentages as Excel percentages).

Each Table (ui/board_frames.py) becomes a sheet: a title line, the notes that explain it, then
the header row and the rows. Rank changes keep their colours: red up, green down.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ui.board_frames import Table
from ui.theme import ACCENT, FALL, RISE

NUMBER_FORMATS = {"int": "#,##0", "number1": "#,##0.0", "number2": "#,##0.00", "percent": "0.0%", "percent_text": "0.0%"}
SHEET_NAME_MAX = 31  # Excel's limit
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_name(title: str, used: set[str]) -> str:
    base = _FORBIDDEN.sub(" ", title).strip()[:SHEET_NAME_MAX] or "Sheet"
    name, number = base, 2
    while name in used:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    used.add(name)
    return name


def _cell_value(value: object, kind: str) -> object:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN: an empty cell
        return None
    if kind in {"percent", "percent_text"}:
        return float(value) / 100
    if kind == "int":
        return int(value)
    if kind in {"number1", "number2"}:
        return float(value)
    return str(value)


def workbook_bytes(tables: Sequence[Table], *, notes: Sequence[str] = (), sheet_titles: Sequence[str] | None = None) -> bytes:
    """An .xlsx with one sheet per table; `notes` (period, rules version, legend) go under each title."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for index, table in enumerate(tables):
        sheet = book.create_sheet(_sheet_name(sheet_titles[index] if sheet_titles else table.title, used))
        sheet.append([table.title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13, color=ACCENT[1:])
        for note in notes:
            sheet.append([note])
        header_row = sheet.max_row + 2
        for column_index, header in enumerate(table.headers, start=1):
            cell = sheet.cell(row=header_row, column=column_index, value=header)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=ACCENT[1:])
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for row_offset, record in enumerate(table.frame.itertuples(index=False), start=1):
            for column_index, (column, value) in enumerate(zip(table.columns, record, strict=True), start=1):
                cell = sheet.cell(row=header_row + row_offset, column=column_index, value=_cell_value(value, column.kind))
                if cell.data_type == "f":  # a name starting with "=" is text, never a formula
                    cell.data_type = "s"
                if column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
                    cell.alignment = Alignment(horizontal="right")
                elif column.kind in {"rank", "change"}:
                    cell.alignment = Alignment(horizontal="center")
                    text = str(value or "")
                    if column.kind == "change" and text.startswith("▲"):
                        cell.font = Font(color=RISE[1:], bold=True)
                    elif column.kind == "change" and text.startswith("▼"):
                        cell.font = Font(color=FALL[1:], bold=True)
        for column_index, column in enumerate(table.columns, start=1):
            values = [str(column.header)] + [str(v) for v in table.frame[column.key].tolist() if v is not None]
            # CJK characters are about twice as wide as Latin ones.
            width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in values)
            sheet.column_dimensions[get_column_letter(column_index)].width = min(max(8, width + 2), 60)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def file_name(stem: str, today: dt.date | None = None) -> str:
    """board-2026-05-01.xlsx; the stem loses anything a file system would refuse."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "-", stem).strip("-") or "board"
    return f"{safe}-{(today or dt.date.today()).isoformat()}.xlsx"
