"""Every .xlsx and .csv the app writes goes through this module (pure: openpyxl and csv only).

Two promises hold for every file:
- No live formula leaves the app. Text that a spreadsheet would read as a formula or a command
  (it starts with = + - @, a tab or a carriage return) is written as text: in .xlsx as a string
  cell with Excel's quote prefix (it stays text even when someone edits the cell), in .csv with a
  leading apostrophe, the convention Excel and LibreOffice show as text.
- Figures stay figures: integers, decimals and percentages are numbers with a number format, a
  rank is a number with "tied" in a column of its own, dates are dates.

A `Sheet` describes one table: its name (whole words, never cut mid-word), a heading and notes
above the table, and columns with a header in the interface language and a kind.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
ZIP_MIME = "application/zip"
SHEET_NAME_MAX = 31  # Excel's limit
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_WORD_BREAK = re.compile(r"[\s·,，、—–\-()（）]")
ACCENT = "B71C1C"
RISE = "C62828"
FALL = "2E7D32"
NUMBER_FORMATS = {
    "int": "#,##0", "rank": "0", "number1": "#,##0.0", "number2": "#,##0.00", "percent": "0.0%",
    "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
}
KINDS = ("text", "int", "number1", "number2", "percent", "rank", "change", "date", "datetime")


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str  # in the interface language
    kind: str = "text"  # one of KINDS; percent values are 0-100, as on screen


@dataclass(frozen=True)
class Sheet:
    name: str  # the tab's name: whole words, at most 31 characters after cleaning
    columns: Sequence[SheetColumn]
    rows: Iterable[Mapping[str, Any]]
    heading: str = ""  # a bold first line (the screen's title, the period)
    notes: Sequence[str] = field(default_factory=tuple)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_safe(value: Any) -> str:
    """A value as CSV text that no spreadsheet runs: '=1+1 stays the text =1+1."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def write_text(cell: Cell, value: Any) -> None:
    """Put text into a cell as text: openpyxl would store "=..." as a formula."""
    text = "" if value is None else str(value)
    cell.value = text if text else None
    if text and (cell.data_type == "f" or is_formula_like(text)):
        cell.data_type = "s"
        cell.quotePrefix = True


def sheet_name(title: str, used: set[str]) -> str:
    """A unique tab name of whole words: a long title is cut at the last word break that fits."""
    base = " ".join(_FORBIDDEN_IN_SHEET_NAME.sub(" ", title).split()).strip("'") or "Sheet"
    if len(base) > SHEET_NAME_MAX:
        breaks = [match.start() for match in _WORD_BREAK.finditer(base) if 0 < match.start() <= SHEET_NAME_MAX]
        base = base[: breaks[-1]].rstrip(" ·,，、—–-(（") if breaks else base[:SHEET_NAME_MAX]
    name, number = base, 2
    while name.casefold() in {existing.casefold() for existing in used}:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    used.add(name)
    return name


def _number(value: Any, kind: str) -> Any:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN: an empty cell
        return None
    if kind == "percent":
        return float(value) / 100
    if kind in {"int", "rank"}:
        return int(value)
    return float(value)


def _width(text: str) -> int:
    # CJK characters are about twice as wide as Latin ones.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _write_sheet(book: Workbook, sheet: Sheet, used: set[str]) -> None:
    page = book.create_sheet(sheet_name(sheet.name, used))
    row = 1
    if sheet.heading:
        write_text(page.cell(row=row, column=1), sheet.heading)
        page.cell(row=row, column=1).font = Font(bold=True, size=13, color=ACCENT)
        row += 1
    for note in sheet.notes:
        write_text(page.cell(row=row, column=1), note)
        page.cell(row=row, column=1).font = Font(color="6B6B6B")
        row += 1
    header_row = row + 1 if row > 1 else 1
    widths = [_width(column.header) for column in sheet.columns]
    for index, column in enumerate(sheet.columns, start=1):
        cell = page.cell(row=header_row, column=index)
        write_text(cell, column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=ACCENT)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for offset, record in enumerate(sheet.rows, start=1):
        for index, column in enumerate(sheet.columns, start=1):
            value = record.get(column.key)
            cell = page.cell(row=header_row + offset, column=index)
            if column.kind in NUMBER_FORMATS and column.kind not in {"date", "datetime"}:
                cell.value = _number(value, column.kind)
                cell.number_format = NUMBER_FORMATS[column.kind]
                cell.alignment = Alignment(horizontal="center" if column.kind == "rank" else "right")
            elif column.kind in {"date", "datetime"} and isinstance(value, dt.date):
                # Excel has no time zones: an office-zone time is written as the wall-clock time.
                cell.value = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
                cell.number_format = NUMBER_FORMATS[column.kind]
            else:
                write_text(cell, value)
                text = "" if value is None else str(value)
                if column.kind == "change":
                    cell.alignment = Alignment(horizontal="center")
                    if text.startswith("▲"):
                        cell.font = Font(color=RISE, bold=True)
                    elif text.startswith("▼"):
                        cell.font = Font(color=FALL, bold=True)
                if offset <= 500:  # the first rows are enough to size a column
                    widths[index - 1] = max(widths[index - 1], _width(text))
    for index, column in enumerate(sheet.columns, start=1):
        minimum = 12 if column.kind in {"date", "datetime"} else 8
        page.column_dimensions[get_column_letter(index)].width = min(max(minimum, widths[index - 1] + 2), 60)
    page.freeze_panes = page.cell(row=header_row + 1, column=1)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One .xlsx with a tab per sheet."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        _write_sheet(book, sheet, used)
    if not sheets:
        book.create_sheet("Sheet")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(columns: Sequence[SheetColumn], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(column.header) for column in columns])
    for record in rows:
        writer.writerow([csv_safe(record.get(column.key)) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def zip_of_csv(files: Iterable[tuple[str, Sequence[SheetColumn], Iterable[Mapping[str, Any]]]]) -> bytes:
    """A .zip holding one CSV per (name, columns, rows)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, columns, rows in files:
            archive.writestr(f"{name}.csv", csv_bytes(columns, rows))
    return buffer.getvalue()


def file_name(stem: str, day: dt.date, extension: str = "xlsx") -> str:
    """records-2026-05-01.xlsx; the stem loses anything a file system would refuse."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "-", stem).strip("-.") or "export"
    return f"{safe}-{day.isoformat()}.{extension}"
