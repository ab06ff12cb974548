"""The sheet of initial passwords the office prints or sends to each unit, written formula-safe.

Names come from imports and forms: a display name such as =HYPERLINK(…) must arrive in Excel as
the text it is, never as a live formula, so every cell is written as a string cell.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

WIDTHS = (22, 22, 14, 28, 24)


def text_cell_value(value: object) -> str:
    """The cell's text; None is an empty string."""
    return "" if value is None else str(value)


def handout_workbook(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """An .xlsx with a title line, a header row and one row per account, every cell plain text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "accounts"
    for row_number, values in enumerate([[title], list(headers), *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = text_cell_value(value)
            # openpyxl turns any string that starts with "=" into a formula; force a string cell
            # (and Excel keeps + - @ as typed text only in string cells).
            cell.data_type = "s"
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for column in range(1, len(headers) + 1):
        sheet.cell(row=2, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[column - 1] if column <= len(WIDTHS) else 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
