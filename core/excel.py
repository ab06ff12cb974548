"""Excel files in and out (openpyxl): templates with a sheet of valid choices, and careful reading.

Reading refuses what is not a workbook, is empty or too big before openpyxl parses it, and
reports, rather than guesses about, the things that make spreadsheets lie: merged cells,
formulas without a computed value, error values, columns it does not know.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from core.import_rules import CellProblem, Column, is_blank
from core.xlsx_export import write_text

MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
MAX_ROWS = 10_000
# Cells (even empty ones) the worksheets of one upload may hold: 20 columns of the row limit.
MAX_CELLS = 20 * MAX_ROWS
# A 10 MB workbook that unpacks to gigabytes is a zip bomb, not a roster.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
DATA_SHEET = "填报"
CHOICES_SHEET = "选项"
GUIDE_SHEET = "填写说明"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
_HEADER_NOISE = re.compile(r"[\s*＊]")

Progress = Callable[[float], None]


class ExcelRejected(Exception):
    """A file refused as a whole (not Excel, empty, too large, too many rows); `key` names the message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Table:
    """The data rows of a sheet by column key, with the spreadsheet's row numbers kept."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    # Cells (row, column key) a reported problem already explains, e.g. every cell of a merged range:
    # their emptiness must not be reported again as a missing value.
    covered: set[tuple[int, str | None]] = field(default_factory=set)

    def report(self, problem: CellProblem) -> None:
        self.problems.append(problem)
        self.covered.add((problem.row, problem.column))

    def explains(self, row: int | None, column: str | None) -> bool:
        """Whether a reported problem already accounts for this cell ((None, key): a whole column)."""
        return (row, column) in self.covered or (None, column) in self.covered


def _normal(header: Any) -> str:
    return _HEADER_NOISE.sub("", str(header)).lower()


def _check_container(raw: bytes, max_bytes: int) -> None:
    if not raw:
        raise ExcelRejected("imports.file_empty")
    if len(raw) > max_bytes:
        raise ExcelRejected("imports.file_too_large", mb=max_bytes // (1024 * 1024))
    if raw.startswith(_OLE_MAGIC):
        raise ExcelRejected("imports.old_xls")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = {info.filename.lower() for info in archive.infolist()}
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ExcelRejected("imports.not_excel") from None
    if "xl/workbook.xml" not in names:
        raise ExcelRejected("imports.not_excel")
    if unpacked > MAX_UNPACKED_BYTES:
        raise ExcelRejected("imports.file_too_large", mb=max_bytes // (1024 * 1024))
    _check_cell_count(raw)


_CHUNK = 64 * 1024
_CELL_TAG = "}c"  # <c> in the spreadsheetml namespace


def _check_cell_count(raw: bytes) -> None:
    """Count the cells of every worksheet while streaming its XML, and stop at MAX_CELLS.

    openpyxl builds an object for every <c> element, empty or not, before anything can look at
    the rows, and a few kilobytes of zipped XML can declare millions of them. This pass holds one
    chunk and one element at a time, so a refused file costs little memory and time."""
    cells = 0
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = [name for name in archive.namelist() if name.lower().startswith("xl/worksheets/") and name.lower().endswith(".xml")]
        for name in sheets:
            parser = XMLPullParser(events=("end",))
            with archive.open(name) as stream:
                while chunk := stream.read(_CHUNK):
                    try:
                        parser.feed(chunk)
                        for _event, element in parser.read_events():
                            if element.tag.endswith(_CELL_TAG) or element.tag == "c":
                                cells += 1
                            element.clear()
                    except ParseError:
                        raise ExcelRejected("imports.not_excel") from None
                    if cells > MAX_CELLS:
                        raise ExcelRejected("imports.too_many_cells", max=f"{MAX_CELLS:,}")


def _open(raw: bytes, *, data_only: bool):  # noqa: ANN202 - an openpyxl Workbook
    try:
        return load_workbook(io.BytesIO(raw), data_only=data_only)
    except Exception:  # noqa: BLE001 - a damaged package fails in many ways inside openpyxl
        raise ExcelRejected("imports.not_excel") from None


def _data_sheet(workbook):  # noqa: ANN001, ANN202 - openpyxl objects
    if DATA_SHEET in workbook.sheetnames:
        return workbook[DATA_SHEET]
    return workbook.worksheets[0]


def _cells_by_row(sheet) -> dict[int, dict[int, Any]]:  # noqa: ANN001 - an openpyxl Worksheet
    """Only the cells the file holds. iter_rows() would create every cell up to max_row, and a
    single formatted cell at row 1,048,576 would then cost millions of objects."""
    rows: dict[int, dict[int, Any]] = {}
    for (row, column), cell in sheet._cells.items():  # noqa: SLF001 - see the docstring
        rows.setdefault(row, {})[column] = cell
    return rows


def read_table(
    raw: bytes,
    columns: list[Column],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> Table:
    """The rows of the data sheet keyed by column; structural problems are listed, not guessed."""
    _check_container(raw, max_bytes)
    workbook = _open(raw, data_only=False)
    sheet = _data_sheet(workbook)
    if progress:
        progress(0.3)
    cells = _cells_by_row(sheet)
    table = Table()
    by_header: dict[str, Column] = {}
    for column in columns:
        by_header[_normal(column.label_zh)] = column
        by_header[_normal(column.label_en)] = column
    header_cells = cells.get(1, {})
    mapped: dict[int, Column] = {}
    refused: set[int] = set()  # header cells already reported (unknown or repeated)
    for index in sorted(header_cells):
        value = header_cells[index].value
        if is_blank(value):
            continue
        column = by_header.get(_normal(value))
        where = f"{get_column_letter(index)}1"
        if column is None:
            refused.add(index)
            table.problems.append(CellProblem(1, None, "imports.unknown_column", {"name": str(value).strip(), "cell": where}))
        elif column in mapped.values():
            refused.add(index)
            table.problems.append(CellProblem(1, None, "imports.duplicate_column", {"name": str(value).strip(), "cell": where}))
        else:
            mapped[index] = column
    for column in columns:
        if column.required and column not in mapped.values():
            table.problems.append(CellProblem(1, None, "imports.missing_column", {"name": column.label_zh}))
            table.covered.add((None, column.key))

    for merged in sheet.merged_cells.ranges:
        column = mapped.get(merged.min_col)
        table.report(CellProblem(merged.min_row, column.key if column else None, "imports.merged_cells", {"range": merged.coord}))
        table.covered.update(
            (row, mapped[index].key) for row in range(merged.min_row, merged.max_row + 1)
            for index in range(merged.min_col, merged.max_col + 1) if index in mapped
        )

    data_rows = sorted(row for row, row_cells in cells.items() if row > 1 and any(not is_blank(cell.value) for cell in row_cells.values()))
    if not data_rows:
        raise ExcelRejected("imports.file_no_rows")
    if len(data_rows) > max_rows:
        raise ExcelRejected("imports.too_many_rows", max=f"{max_rows:,}", actual=f"{len(data_rows):,}")

    formulas = [
        (row, index) for row in data_rows for index, cell in cells[row].items()
        if index in mapped and (cell.data_type == "f" or isinstance(cell.value, ArrayFormula))
    ]
    cached = _cached_values(raw, formulas)
    reported_columns = set(mapped) | refused
    for number, row in enumerate(data_rows, start=1):
        values: dict[str, Any] = {}
        for index, cell in cells[row].items():
            column = mapped.get(index)
            if column is None:
                if not is_blank(cell.value) and index not in reported_columns:
                    reported_columns.add(index)
                    table.problems.append(CellProblem(row, None, "imports.unnamed_column", {"cell": cell.coordinate}))
                continue
            value = cached.get((row, index), cell.value)
            if (row, index) in cached and value is None:
                table.report(CellProblem(row, column.key, "imports.formula_no_value", {"cell": cell.coordinate}))
            elif isinstance(value, str) and value in ERROR_CODES:
                table.report(CellProblem(row, column.key, "imports.cell_error", {"cell": cell.coordinate, "value": value}))
            else:
                values[column.key] = value
        table.rows.append((row, values))
        if progress and number % 2000 == 0:
            progress(0.3 + 0.7 * number / len(data_rows))
    if progress:
        progress(1.0)
    return table


def _cached_values(raw: bytes, formulas: list[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """The values Excel computed and saved for formula cells; None where the file carries none."""
    if not formulas:
        return {}
    sheet = _data_sheet(_open(raw, data_only=True))
    return {(row, column): sheet.cell(row=row, column=column).value for row, column in formulas}


# --- templates ----------------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="F3D9D9")
_REQUIRED_FONT = Font(bold=True, color="B71C1C")
_OPTIONAL_FONT = Font(bold=True, color="1F1F1F")
_WIDTHS = {"longtext": 48, "title": 30, "text": 20, "book": 24, "date": 14}


def build_template(
    columns: list[Column],
    *,
    choices: dict[str, list[str]],
    hints: dict[str, str],
    guide: list[list[str]],
    rows: list[list[Any]] = (),
    choices_note: str,
    validation_title: str,
    validation_message: str,
) -> bytes:
    """A workbook: the data sheet (Chinese headers, drop-down lists, any current rows), the choices, a guide."""
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    lists = workbook.create_sheet(CHOICES_SHEET)
    lists.cell(row=1, column=1, value=choices_note).font = Font(italic=True, color="6B6B6B")
    guide_sheet = workbook.create_sheet(GUIDE_SHEET)
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.label_zh)
        cell.font = _REQUIRED_FONT if column.required else _OPTIONAL_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if hints.get(column.key):
            cell.comment = Comment(hints[column.key], "创先争优看板", width=260, height=90)
        data.column_dimensions[letter].width = _WIDTHS.get(column.kind, 16)
        if column.kind == "date":
            data.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.kind == "longtext":
            data.column_dimensions[letter].alignment = Alignment(wrap_text=True, vertical="top")
        options = choices.get(column.key) or []
        if options:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=2, column=list_column, value=column.label_zh).font = Font(bold=True)
            for offset, option in enumerate(options, start=3):
                write_text(lists.cell(row=offset, column=list_column), option)
            lists.column_dimensions[list_letter].width = 24
            rule = DataValidation(
                type="list",
                formula1=f"'{CHOICES_SHEET}'!${list_letter}$3:${list_letter}${len(options) + 2}",
                allow_blank=True, showErrorMessage=True, errorTitle=validation_title, error=validation_message,
            )
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            data.add_data_validation(rule)
        elif column.kind in {"int", "year"} and column.min_value is not None:
            rule = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1=str(column.min_value),
                allow_blank=True, showErrorMessage=True, errorTitle=validation_title, error=hints.get(column.key, ""),
            )
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            data.add_data_validation(rule)
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            cell = data.cell(row=row_number, column=column_number)
            # Text from the database (a name like "=cmd|...") must stay text, never a formula.
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
    data.freeze_panes = "A2"
    data.row_dimensions[1].height = 22
    for row_number, row in enumerate(guide, start=1):
        for column_number, value in enumerate(row, start=1):
            write_text(guide_sheet.cell(row=row_number, column=column_number), value)
    for cell in guide_sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 18), ("B", 10), ("C", 80)):
        guide_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
