"""An uploaded workbook costs bounded memory and time however many cells it pretends to hold.

A few kilobytes of zipped XML can declare millions of empty cells; openpyxl would build an object
for each before any row limit is checked. The reader counts the cells as it streams the XML and
refuses the file before openpyxl sees it.
"""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from core.excel import MAX_CELLS, ExcelRejected, read_table
from tests.test_import_excel import COLUMNS, _bytes, _workbook

# What reading one upload may allocate at its peak (Python objects, tracemalloc): a refused
# many-cell file, and the largest file accepted (about 74 MB measured when this was written).
PEAK_BOUND_REFUSED_MB = 64
PEAK_BOUND_ACCEPTED_MB = 160


def _peak_mb(read) -> float:  # noqa: ANN001 - a callable
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def _many_empty_cells(rows: int, columns: int = 30, sheet: str = "sheet1") -> bytes:
    """A real workbook one of whose sheets holds rows × columns empty cells."""
    workbook = _workbook([["党课", "2026-05-01", 30, "会议室"]])
    workbook.create_sheet("说明").append(["见第一页"])
    template = _bytes(workbook)
    # Cells without an address take the next column, rows without one the next row: the
    # repetition is what lets a few kilobytes unpack into millions of cells.
    body = ("<row>" + "<c/>" * columns + "</row>") * rows
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == f"xl/worksheets/{sheet}.xml":
                data = data.replace(b"</sheetData>", body.encode() + b"</sheetData>")
            target.writestr(item, data)
    return out.getvalue()


def test_a_small_file_declaring_millions_of_cells_is_refused_within_a_memory_bound():
    raw = _many_empty_cells(rows=100_000, columns=30)  # 3 million cells
    assert len(raw) < 100 * 1024  # a few dozen kilobytes on the wire
    refusals = []

    def read() -> None:
        with pytest.raises(ExcelRejected) as refused:
            read_table(raw, COLUMNS)
        refusals.append(refused.value)

    peak = _peak_mb(read)
    assert refusals[0].key == "imports.too_many_cells"
    assert refusals[0].params["max"] == f"{MAX_CELLS:,}"
    assert peak < PEAK_BOUND_REFUSED_MB, f"peak {peak:.0f} MB"


def test_a_file_just_under_the_cell_limit_is_read_within_a_memory_bound():
    raw = _many_empty_cells(rows=MAX_CELLS // 30 - 10, columns=30)
    tables = []
    peak = _peak_mb(lambda: tables.append(read_table(raw, COLUMNS)))
    assert [values["title"] for _row, values in tables[0].rows] == ["党课"]
    assert peak < PEAK_BOUND_ACCEPTED_MB, f"peak {peak:.0f} MB"


def test_cells_on_every_sheet_count():
    with pytest.raises(ExcelRejected) as refused:
        read_table(_many_empty_cells(rows=MAX_CELLS // 30 + 1, sheet="sheet2"), COLUMNS)
    assert refused.value.key == "imports.too_many_cells"
