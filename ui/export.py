"""Boards to Excel, as shown: the same columns in the same order, the same headers, numbers kept
as numbers with the same decimals (percentages as Excel percentages).

Each Table (ui/board_frames.py) becomes a Sheet of core/xlsx_export.py, the one writer every
file of the app goes through. On screen a rank reads "2 并列"; in Excel it is the number 2 with
"并列" in a column of its own, so that the sheet sorts and filters as numbers.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from core.clock import office_today, to_office
from core.i18n import translate
from core.xlsx_export import XLSX_MIME, Sheet, SheetColumn
from core.xlsx_export import file_name as _file_name
from core.xlsx_export import workbook_bytes as _workbook_bytes
from db.boards import unit_board
from ui.board_frames import Table, unit_table

__all__ = [
    "XLSX_MIME", "all_boards_workbook", "file_name", "gallery_sheet", "records_sheet", "review_sheet", "table_sheet",
    "workbook_bytes",
]
# Excel keeps points with one decimal, so a column of them lines up and sums as numbers.
_KINDS = {"wide_text": "text", "percent_text": "percent", "points": "number1"}
_DIGITS = re.compile(r"\d+")


def _rank_parts(label: Any) -> tuple[int | None, bool]:
    """board_frames.rank_label's '2' or '2 并列' / '=2' back to (2, tied)."""
    text = "" if label is None else str(label)
    found = _DIGITS.search(text)
    if found is None:
        return None, False
    return int(found.group()), text.strip() != found.group()


def table_sheet(table: Table, language: str, *, notes: Sequence[str] = (), name: str | None = None) -> Sheet:
    """One board Table as a Sheet: every rank column becomes a number and a "tied" column."""
    columns: list[SheetColumn] = []
    rank_keys = [column.key for column in table.columns if column.kind == "rank"]
    for column in table.columns:
        columns.append(SheetColumn(column.key, column.header, _KINDS.get(column.kind, column.kind)))
        if column.kind == "rank":
            columns.append(SheetColumn(f"{column.key}__tied", translate(language, "reports.column.tied"), "text"))
    tied_word = translate(language, "reports.tied_yes")
    rows = []
    for record in table.frame.to_dict("records"):
        for key in rank_keys:
            rank, tied = _rank_parts(record.get(key))
            record[key] = rank
            record[f"{key}__tied"] = tied_word if tied else ""
        rows.append(record)
    return Sheet(name=name or table.title, columns=columns, rows=rows, heading=table.title, notes=notes)


def workbook_bytes(
    tables: Sequence[Table], *, notes: Sequence[str] = (), sheet_titles: Sequence[str] | None = None, language: str = "zh",
) -> bytes:
    """An .xlsx with one sheet per table; `notes` (period, rules version, legend) go under each title."""
    return _workbook_bytes([
        table_sheet(table, language, notes=notes, name=sheet_titles[index] if sheet_titles else None)
        for index, table in enumerate(tables)
    ])


def file_name(stem: str, today: dt.date | None = None, extension: str = "xlsx") -> str:
    """board-2026-05-01.xlsx, dated in the office's calendar."""
    return _file_name(stem, today or office_today(), extension)


def _translated(language: str, key: str) -> str:
    return translate(language, key)


def records_sheet(rows: Sequence[dict[str, Any]], language: str, *, title: str) -> Sheet:
    """填报记录 as listed on the records page (views/my_records.py): the same columns and order."""
    tr = lambda key: _translated(language, key)  # noqa: E731 - a short alias for many headers
    columns = [
        SheetColumn("id", tr("entry.column.id"), "int"),
        SheetColumn("status", tr("entry.column.status")),
        SheetColumn("type", tr("entry.column.type")),
        SheetColumn("title", tr("entry.field.title")),
        SheetColumn("cadre", tr("review.cadre")),
        SheetColumn("date", tr("entry.field.occurred_on"), "date"),
        SheetColumn("reason", tr("entry.column.reason")),
    ]
    shown = [
        {
            "id": row["id"], "status": tr("status." + row["status"]), "type": row["type_" + language],
            "title": row["title"], "cadre": row["cadre_name"] or "", "date": row["occurred_on"],
            "reason": row["return_reason"] or "",
        }
        for row in rows
    ]
    return Sheet(name=title, columns=columns, rows=shown, heading=title)


def review_sheet(rows: Sequence[dict[str, Any]], language: str, *, title: str, notes: Sequence[str] = ()) -> Sheet:
    """The review queue as on the review page, with its quality flags spelled out."""
    tr = lambda key: _translated(language, key)  # noqa: E731 - a short alias for many headers
    columns = [
        SheetColumn("id", tr("entry.column.id"), "int"),
        SheetColumn("unit", tr("review.unit")),
        SheetColumn("type", tr("review.type")),
        SheetColumn("title", tr("entry.field.title")),
        SheetColumn("flags", tr("review.flags")),
        SheetColumn("photos", tr("review.photos"), "int"),
        SheetColumn("cadre", tr("review.cadre")),
        SheetColumn("date", tr("entry.field.occurred_on"), "date"),
        SheetColumn("submitted", tr("review.submitted_at"), "datetime"),
    ]
    shown = [
        {
            "id": row["id"], "unit": row["unit_" + language], "type": row["type_" + language], "title": row["title"],
            "flags": " · ".join(tr(f"review.flag.{flag}") for flag in row["flags"]), "photos": row["photo_count"],
            "cadre": row["cadre_name"] or "", "date": row["occurred_on"],
            "submitted": to_office(row["submitted_at"]) if row["submitted_at"] else None,
        }
        for row in rows
    ]
    return Sheet(name=title, columns=columns, rows=shown, heading=title, notes=notes)


def gallery_sheet(rows: Sequence[dict[str, Any]], language: str, *, title: str, notes: Sequence[str] = ()) -> Sheet:
    """The gallery's cards as a list: title, kind, book, author, unit, date, likes, featured."""
    tr = lambda key: _translated(language, key)  # noqa: E731 - a short alias for many headers
    columns = [
        SheetColumn("title", tr("entry.field.title")),
        SheetColumn("kind", tr("reports.column.kind")),
        SheetColumn("book", tr("reports.column.book")),
        SheetColumn("cadre", tr("review.cadre")),
        SheetColumn("unit", tr("review.unit")),
        SheetColumn("date", tr("entry.field.occurred_on"), "date"),
        SheetColumn("likes", tr("reports.column.likes"), "int"),
        SheetColumn("featured", tr("reports.column.featured")),
    ]
    hidden = tr("board.name_hidden")
    shown = [
        {
            "title": row["title"], "kind": tr(f"gallery.kind.{row['kind']}"), "book": row.get("book_title") or "",
            "cadre": row["cadre_name"] or hidden, "unit": row["unit_" + language] or row["unit_zh"],
            "date": row["occurred_on"], "likes": row["like_count"], "featured": tr("reports.yes") if row["featured"] else "",
        }
        for row in rows
    ]
    return Sheet(name=title, columns=columns, rows=shown, heading=title, notes=notes)


def all_boards_workbook(
    *, campaign_id: int, start: dt.date, end: dt.date, metric: str, rules_version: int | None,
    groups: Sequence[dict[str, Any]], language: str, notes: Sequence[str] = (),
) -> bytes:
    """Every comparison group's leaderboard for one period in one workbook, a tab per group."""
    sheets = []
    for group in groups:
        board = unit_board(campaign_id=campaign_id, start=start, end=end, group_id=group["id"], metric=metric, rules_version=rules_version)
        name = group.get(f"name_{language}") or group["name_zh"]
        sheets.append(table_sheet(unit_table(board, language, group_name=name), language, notes=notes, name=name))
    return _workbook_bytes(sheets)
