"""The Excel downloads beside the tables read back equal to the tables on the screen: the same
headers in the interface language, the same rows in the same order, figures as numbers."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.pages.apptest import open_app


@pytest.fixture
def deferred(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """The workbook builders of the page's download buttons, by their file id: the buttons build
    their file only when clicked, which AppTest cannot do, so the test calls the builder itself."""
    builders: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def remember(self, data_callable, *args, **kwargs):  # noqa: ANN001, ANN202 - Streamlit's own signature
        file_id = register(self, data_callable, *args, **kwargs)
        builders[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    return builders


def workbook(at, builders: dict[str, Callable[[], bytes]], key: str):  # noqa: ANN001, ANN201 - an AppTest, a workbook
    button = next(button for button in at.get("download_button") if button.proto.id.endswith(f"-{key}"))
    return load_workbook(io.BytesIO(builders[button.proto.deferred_file_id]()))


def sheet_table(book) -> tuple[list[str], list[list[Any]]]:  # noqa: ANN001 - an openpyxl workbook
    """The header row (the first bold white-on-red row) and the rows under it."""
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header_at = next(index for index, row in enumerate(sheet.iter_rows()) if row[0].font.color is not None and row[0].fill.fgColor.rgb.endswith("B71C1C"))
    return rows[header_at], rows[header_at + 1:]


def screen_rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [[None if value == "" else value for value in row] for row in frame.astype(object).itertuples(index=False)]


def the_frame(at, columns: list[str]) -> pd.DataFrame:  # noqa: ANN001 - an AppTest
    return next(table.value for table in at.dataframe if list(table.value.columns) == columns)


def test_the_unit_list_downloads_as_shown(demo_engine, accounts, deferred):
    at = open_app(accounts["admin"], "views/organization.py")
    headers, rows = sheet_table(workbook(at, deferred, "organization_units_export"))
    assert headers == ["单位", "代码", "类别", "比较组", "排序", "状态", "在职干部", "记录数"]
    shown = the_frame(at, headers)
    assert len(shown) >= 5
    assert rows == screen_rows(shown)
    assert all(isinstance(row[7], int) for row in rows)  # records stay numbers


def test_the_account_list_downloads_as_shown(demo_engine, accounts, deferred):
    at = open_app(accounts["admin"], "views/accounts.py")
    book = workbook(at, deferred, "accounts_export")
    assert book.sheetnames == ["全部账号"]
    headers, rows = sheet_table(book)
    shown = the_frame(at, headers)
    assert "admin" in list(shown.iloc[:, 0])
    assert rows == screen_rows(shown)


def test_the_book_board_downloads_as_shown(demo_engine, accounts, deferred):
    at = open_app(accounts["admin"], "views/books.py")
    headers, rows = sheet_table(workbook(at, deferred, "books_export"))
    assert headers == ["名次", "书名", "作者", "推荐次数", "读者人数", "笔记篇数", "获赞"]
    shown = next(table.value for table in at.dataframe if "recommendations" in table.value.columns)
    assert len(shown) > 3
    assert rows == screen_rows(shown)


def test_the_reporters_workbench_lists_download_as_shown(demo_engine, accounts, deferred):
    at = open_app(accounts["reporter"], "views/workbench.py")
    tables = {tuple(table.value.columns): table.value for table in at.dataframe}
    for key in ("supervision.bench.returned_heading_export", "supervision.bench.drafts_heading_export"):
        headers, rows = sheet_table(workbook(at, deferred, key))
        assert rows and rows == screen_rows(tables[tuple(headers)])
