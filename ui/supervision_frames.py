"""Supervision's tables as shown and exported: the coverage matrix (units × tasks, each cell
done/required in its 三色督办 colour), the missing people of a cell, and the lagging units.

Pure pandas: no Streamlit here, so the pages and the Excel and Word exports share one shaping.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from core.completion import SEVERITY, Colour
from core.i18n import format_date, translate
from db.supervision import Cell, LaggingUnit, Missing, unit_completion_of

# Cell fills (light, so black text stays readable on a projector) and the legend's swatches.
FILLS = {Colour.DONE: "#81C784", Colour.GREEN: "#D7EED5", Colour.AMBER: "#FFE082", Colour.RED: "#EF9A9A"}
SORTS = ("order", "completion", "red")


def _t(language: str, key: str, **params: object) -> str:
    return translate(language, key, **params)


def target_name(cell: Cell, language: str) -> str:
    return cell.target.name_en if language == "en" and cell.target.name_en else cell.target.name_zh


def unit_name(cell: Cell, language: str) -> str:
    return cell.unit.name_en if language == "en" and cell.unit.name_en else cell.unit.name_zh


def cell_text(cell: Cell) -> str:
    """3/5, ✓ 5/5 when done, — when the unit owes nothing for the task."""
    if cell.colour is None:
        return "—"
    prefix = "✓ " if cell.colour == Colour.DONE else ""
    return f"{prefix}{cell.done}/{cell.required}"


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Matrix:
    """The matrix as shown: `frame` holds the text, `colours` each task cell's colour (or None),
    `cells` the Cell behind each (row, task column)."""

    frame: pd.DataFrame
    colours: pd.DataFrame
    task_columns: list[str]
    cells: dict[tuple[int, str], Cell]
    unit_ids: list[int]


def matrix(cells: Sequence[Cell], language: str, sort: str = "order") -> Matrix:
    """One row per unit: name, completion, red and amber counts, then one column per task."""
    by_unit: dict[int, list[Cell]] = {}
    for cell in cells:
        by_unit.setdefault(cell.unit.id, []).append(cell)
    units = list(by_unit.values())
    if sort == "completion":
        units.sort(key=lambda row: (unit_completion_of(row) if unit_completion_of(row) is not None else 2.0))
    elif sort == "red":
        units.sort(key=lambda row: (
            -sum(c.colour == Colour.RED for c in row), -sum(c.colour == Colour.AMBER for c in row),
            unit_completion_of(row) if unit_completion_of(row) is not None else 2.0,
        ))
    unit_column = _t(language, "supervision.column.unit")
    completion_column = _t(language, "supervision.column.completion")
    red_column = _t(language, "supervision.column.red")
    amber_column = _t(language, "supervision.column.amber")
    task_columns = [target_name(cell, language) for cell in units[0]] if units else []
    rows, colours, keyed, unit_ids = [], [], {}, []
    for index, row in enumerate(units):
        unit_ids.append(row[0].unit.id)
        record = {
            unit_column: unit_name(row[0], language),
            completion_column: percent_text(unit_completion_of(row)),
            red_column: sum(1 for c in row if c.colour == Colour.RED),
            amber_column: sum(1 for c in row if c.colour == Colour.AMBER),
        }
        colour_row: dict[str, str | None] = {unit_column: None, completion_column: None, red_column: None, amber_column: None}
        for column, cell in zip(task_columns, row, strict=True):
            record[column] = cell_text(cell)
            colour_row[column] = cell.colour.value if cell.colour else None
            keyed[(index, column)] = cell
        rows.append(record)
        colours.append(colour_row)
    columns = [unit_column, completion_column, red_column, amber_column, *task_columns]
    return Matrix(
        pd.DataFrame(rows, columns=columns), pd.DataFrame(colours, columns=columns), task_columns, keyed, unit_ids,
    )


def styled(shown: Matrix) -> pd.io.formats.style.Styler:
    """The matrix with each task cell filled in its colour."""

    def paint(_: pd.DataFrame) -> pd.DataFrame:
        # A task the unit owes nothing for has no colour: None in the cells, NaN once in a frame.
        return shown.colours.map(
            lambda colour: f"background-color: {FILLS[Colour(colour)]}; color: #1B1B1B" if isinstance(colour, str) and colour else ""
        )

    return shown.frame.style.apply(paint, axis=None)


def colour_counts(cells: Sequence[Cell]) -> dict[Colour, int]:
    counts = {colour: 0 for colour in SEVERITY}
    for cell in cells:
        if cell.colour is not None:
            counts[cell.colour] += 1
    return counts


def missing_frame(missing: Sequence[Missing], language: str) -> pd.DataFrame:
    """Who is missing, grouped by why (not written, waiting for review, returned)."""
    order = {"not_written": 0, "pending": 1, "returned": 2}
    rows = sorted(missing, key=lambda item: (order[item.state.value], item.ident))
    return pd.DataFrame(
        [
            {
                _t(language, "supervision.column.missing_name"): item.name,
                _t(language, "supervision.column.missing_kind"): _t(language, f"supervision.kind.{item.kind}"),
                _t(language, "supervision.column.missing_state"): _t(language, f"supervision.state.{item.state.value}"),
            }
            for item in rows
        ],
        columns=[
            _t(language, "supervision.column.missing_name"),
            _t(language, "supervision.column.missing_kind"),
            _t(language, "supervision.column.missing_state"),
        ],
    )


def names_by_state(missing: Sequence[Missing], language: str) -> str:
    """未填报:张三、李四;待审核:王五 — one line for a table or a document."""
    separator = _t(language, "board.list_separator")
    parts = []
    for state in ("not_written", "pending", "returned"):
        names = [item.name for item in missing if item.state.value == state]
        if names:
            parts.append(_t(language, "supervision.names_in_state", state=_t(language, f"supervision.state.{state}"),
                            names=separator.join(names)))
    return _t(language, "supervision.state_separator").join(parts)


def task_line(cell: Cell, language: str) -> str:
    """党性分析报告 3/10 · 截止 2026年5月1日 · 逾期"""
    return _t(
        language, "supervision.task_line", task=target_name(cell, language), done=cell.done, required=cell.required,
        due=format_date(cell.due_on, language), colour=_t(language, f"supervision.colour.{cell.colour.value}"),
    )


def lagging_frame(lagging: Sequence[LaggingUnit], language: str) -> pd.DataFrame:
    """One row per lagging unit: completion, red and amber counts, and what it lacks."""
    separator = _t(language, "supervision.state_separator")
    return pd.DataFrame(
        [
            {
                _t(language, "supervision.column.unit"): lag.unit.name_en if language == "en" and lag.unit.name_en else lag.unit.name_zh,
                _t(language, "supervision.column.completion"): percent_text(lag.completion),
                _t(language, "supervision.column.red"): lag.red,
                _t(language, "supervision.column.amber"): lag.amber,
                _t(language, "supervision.column.lacks"): separator.join(task_line(cell, language) for cell in lag.cells),
            }
            for lag in lagging
        ],
        columns=[
            _t(language, "supervision.column.unit"), _t(language, "supervision.column.completion"),
            _t(language, "supervision.column.red"), _t(language, "supervision.column.amber"),
            _t(language, "supervision.column.lacks"),
        ],
    )
