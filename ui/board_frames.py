"""The tables the boards show, as small DataFrames with their columns described once.

A `Table` carries the frame and, for each column, its header in the interface language and
its kind (integer, one or two decimals, percentage, rank, rank change, text). The screen's
column_config and the Excel export both come from that description, so an export has the
same columns, order, headers and numbers as the screen. Pure functions: tested without Streamlit.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.completion import task_rate
from core.enums import RecordStatus
from core.i18n import format_date, format_points, translate
from core.scoring import BONUS_KINDS, COMPONENTS, ScoringRules, median, rank_change
from db.boards import Board, Trend, UnitStanding
from db.people_boards import BranchBoard, PeopleBoard
from db.unit_detail import OpenTask

# points: whole numbers without ".0", fractions as they are (core.i18n.format_points).
KINDS = ("text", "wide_text", "int", "points", "number1", "number2", "percent", "percent_text", "rank", "change")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # one of KINDS; percent values are 0-100 (percent: as a bar, percent_text: a figure)


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    columns: list[Column]
    title: str

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


def _t(language: str, key: str, **params: object) -> str:
    return translate(language, key, **params)


def _name(row: Mapping[str, Any] | UnitStanding, language: str) -> str:
    if isinstance(row, UnitStanding):
        return row.name_en if language == "en" and row.name_en else row.name_zh
    return row.get(f"name_{language}") or row.get("name_zh", "")


NO_RANK = "—"  # what a row without a place shows (core.scoring.has_rank), never 0 or NaN


def rank_label(rank: int | None, tied: bool, language: str) -> str:
    """'2' or, when shared, '2 并列' / '=2'; a dash without a rank."""
    if rank is None:
        return NO_RANK
    return _t(language, "board.tied_rank", rank=rank) if tied else str(rank)


def own_rank_label(rank: int | None, language: str) -> str:
    """'第 2 名' for a viewer's own place; a dash without a rank."""
    return _t(language, "board.own_rank", rank=rank) if rank is not None else NO_RANK


def change_label(change: int | None, has_previous: bool, language: str, *, ranked: bool = True) -> str:
    """▲2 (up two places), ▼1, – (unchanged), 新 (not ranked before); empty without a previous
    period or without a rank now (no place, no arrow)."""
    if not has_previous or not ranked:
        return ""
    if change is None:
        return _t(language, "board.change_new")
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "–"


def _percent(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


def _round(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def unit_table(board: Board, language: str, *, group_name: str = "") -> Table:
    """The leaderboard as shown: rank, unit, headcount, points, per capita, completion, composite, change."""
    has_previous = board.previous is not None
    rows = [
        {
            "rank": rank_label(s.rank, s.tied, language),
            "unit": _name(s, language),
            "headcount": s.headcount,
            "points": _round(s.points, 1),
            "per_capita": _round(s.per_capita, 2),
            "completion": _percent(s.completion),
            "survey": _round(s.survey, 1),
            "composite": _round(s.composite, 1),
            "change": change_label(s.rank_change, has_previous, language, ranked=s.rank is not None),
        }
        for s in board.standings
    ]
    columns = [
        Column("rank", _t(language, "board.column.rank"), "rank"),
        Column("unit", _t(language, "board.column.unit"), "text"),
        Column("headcount", _t(language, "board.column.headcount"), "int"),
        Column("points", _t(language, "board.column.points"), "points"),
        Column("per_capita", _t(language, "board.column.per_capita"), "number2"),
        Column("completion", _t(language, "board.column.completion"), "percent"),
        Column("survey", _t(language, "ledgers.survey_column"), "number1"),
        Column("composite", _t(language, "board.column.composite"), "number1"),
        Column("change", _t(language, "board.column.change"), "change"),
    ]
    title = _t(language, "board.export_title", group=group_name, start=format_date(board.start, language), end=format_date(board.end, language))
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, title)


def chart_frame(board: Board, language: str) -> pd.DataFrame:
    """One row per unit for the ranked bars, with what the tooltip explains."""
    return pd.DataFrame(
        [
            {
                "position": position,
                "rank": s.rank,
                "rank_text": rank_label(s.rank, s.tied, language),
                "unit": _name(s, language),
                "headcount": s.headcount,
                "records": s.records,
                "activity_points": s.activity_points,
                "bonus_points": s.bonus_points,
                "points": s.points,
                "per_capita": _round(s.per_capita, 2),
                "completion": s.completion,
                "done": f"{s.done}/{s.required}",
                "composite": _round(s.composite, 1),
            }
            for position, s in enumerate(board.standings)
        ]
    )


def breakdown_table(board: Board, unit_id: int, types: Sequence[Mapping[str, Any]], language: str) -> Table:
    """How one unit's points are made up: a line per activity type and per bonus, then the total.
    The lines add up to the unit's points on the board."""
    detail = board.details[unit_id]
    standing = next(s for s in board.standings if s.unit_id == unit_id)
    catalogue = {row["code"]: row for row in types}
    rows: list[dict[str, Any]] = []
    for line in detail.types:
        info = catalogue.get(line.code, {"area": "", "name_zh": line.code, "name_en": line.code})
        rows.append(
            {
                "area": _t(language, f"area.{info['area']}") if info["area"] else "",
                "item": _name(info, language),
                "records": line.records,
                "counted": line.counted,
                "each": line.points_each,
                "points": round(line.points, 2),
            }
        )
    for bonus in detail.bonuses:
        if bonus.count:
            rows.append(
                {
                    "area": _t(language, "board.bonus_area"),
                    "item": _t(language, f"board.bonus.{bonus.kind}"),
                    "records": bonus.count,
                    "counted": bonus.count,
                    "each": bonus.points_each,
                    "points": round(bonus.points, 2),
                }
            )
    rows.append(
        {
            "area": _t(language, "board.total"),
            "item": "",
            "records": standing.records + sum(b.count for b in detail.bonuses),
            "counted": sum(line.counted for line in detail.types) + sum(b.count for b in detail.bonuses),
            "each": None,
            "points": standing.points,
        }
    )
    columns = [
        Column("area", _t(language, "board.column.area"), "text"),
        Column("item", _t(language, "board.column.item"), "text"),
        Column("records", _t(language, "board.column.approved"), "int"),
        Column("counted", _t(language, "board.column.counted"), "int"),
        Column("each", _t(language, "board.column.each"), "points"),
        Column("points", _t(language, "board.column.points"), "points"),
    ]
    title = _t(language, "board.breakdown_title", unit=_name(standing, language))
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, title)


def area_points(board: Board, types: Sequence[Mapping[str, Any]], language: str) -> pd.DataFrame:
    """Long frame unit x area with per-capita points and their share of the area's best (0-1),
    for the heatmap (areas in catalogue order)."""
    catalogue = {row["code"]: row["area"] for row in types}
    areas = list(dict.fromkeys(row["area"] for row in types))
    rows: list[dict[str, Any]] = []
    for position, s in enumerate(board.standings):
        totals = dict.fromkeys(areas, 0.0)
        for line in board.details[s.unit_id].types:
            area = catalogue.get(line.code)
            if area in totals:
                totals[area] += line.points
        for order, area in enumerate(areas):
            rows.append(
                {
                    "unit": _name(s, language),
                    "position": position,
                    "area": _t(language, f"area.{area}"),
                    "area_order": order,
                    "points": round(totals[area], 1),
                    "per_capita": round(totals[area] / s.headcount, 2) if s.headcount else None,
                }
            )
    frame = pd.DataFrame(rows, columns=["unit", "position", "area", "area_order", "points", "per_capita"])
    # Shade each area against its own best unit, so that small areas are as readable as big ones.
    best = frame.groupby("area")["per_capita"].transform("max")
    frame["relative"] = (frame["per_capita"] / best.where(best > 0)).fillna(0.0).round(3)
    return frame


def denominators(board: Board, unit_id: int, types: Sequence[Mapping[str, Any]], language: str) -> list[str]:
    """Plain sentences with the figures each ratio of the unit is divided by."""
    standing = next(s for s in board.standings if s.unit_id == unit_id)
    detail = board.details[unit_id]
    names = {row["code"]: _name(row, language) for row in types}
    lines = [
        _t(language, "board.explain_per_capita", points=format_points(standing.points), headcount=standing.headcount,
           value="—" if standing.per_capita is None else f"{standing.per_capita:,.2f}"),
        _t(language, "supervision.explain_completion",
           value="—" if standing.completion is None else f"{standing.completion * 100:.1f}%",
           tasks=_t(language, "board.list_separator").join(
               f"{names.get(task.code, task.code)} {task.done}/{task.required}"
               + (f" × {task.weight:g}" if task.weight != 1 else "")
               for task in detail.tasks if task.required)),
    ]
    if standing.survey is not None:
        lines.append(_t(language, "board.explain_survey", value=f"{standing.survey:.1f}",
                        periods=_t(language, "board.list_separator").join(detail.survey_periods)))
    else:
        lines.append(_t(language, "ledgers.explain_no_survey"))
    parts = _t(language, "board.list_separator").join(
        f"{_t(language, f'board.component.{name}')} {detail.components.get(name) or 0:.1f} × {share * 100:.0f}%"
        for name, share in (detail.weights or board.weights_used).items()
    )
    lines.append(_t(language, "board.explain_composite", parts=parts, value=f"{standing.composite or 0:.1f}",
                    best=f"{board.best_per_capita:,.2f}"))
    return lines


def composite_formula(board: Board, language: str) -> str:
    """综合指数 = 50% × 人均积分指数 + 30% × 完成率 + 20% × 调查满意度, with the weights in force."""
    if not board.weights_used:
        return ""
    parts = " + ".join(
        f"{share * 100:.0f}% × {_t(language, f'board.component.{name}')}" for name, share in board.weights_used.items()
    )
    dropped = [name for name in COMPONENTS if name not in board.weights_used]
    text = _t(language, "board.formula", parts=parts)
    if dropped:
        text += " " + _t(language, "board.formula_dropped", names=_t(language, "board.list_separator").join(
            _t(language, f"board.component.{name}") for name in dropped))
    unsurveyed = sum(1 for standing in board.standings if standing.survey is None)
    if "survey" in board.weights_used and unsurveyed:
        text += " " + _t(language, "ledgers.formula_without_survey", count=unsurveyed)
    return text


def tasks_table(tasks: Sequence[OpenTask], types: Sequence[Mapping[str, Any]], language: str, *, median_completion: Mapping[str, float | None] | None = None) -> Table:
    names = {row["code"]: _name(row, language) for row in types}
    rows = []
    for task in tasks:
        missing = ""
        if task.missing is not None:
            missing = _t(language, "board.list_separator").join(task.missing) if task.missing else ""
        rows.append(
            {
                "task": _t(language, "board.task_label", task=names.get(task.code, task.code), basis=_t(language, f"board.basis.{task.basis}")),
                "done": task.done,
                "required": task.required,
                "open": task.open,
                "rate": _percent(task_rate(task.done, task.required)),
                "median": _percent((median_completion or {}).get(task.code)),
                "missing": missing,
            }
        )
    columns = [
        Column("task", _t(language, "board.column.task"), "text"),
        Column("done", _t(language, "board.column.done_count"), "int"),
        Column("required", _t(language, "board.column.required"), "int"),
        Column("open", _t(language, "board.column.open"), "int"),
        Column("rate", _t(language, "board.column.completion"), "percent_text"),
        Column("median", _t(language, "board.column.group_median"), "percent_text"),
    ]
    if any(task.missing is not None for task in tasks):
        columns.append(Column("missing", _t(language, "board.column.missing"), "wide_text"))
    frame = pd.DataFrame(rows, columns=[c.key for c in columns] if rows else [c.key for c in columns])
    return Table(frame[[c.key for c in columns]], columns, _t(language, "board.tasks_title"))


def status_table(counts: Mapping[str, Mapping[str, int]], types: Sequence[Mapping[str, Any]], language: str) -> Table:
    """A unit's records of the period per type and review status (only approved ones score)."""
    statuses = (RecordStatus.APPROVED, RecordStatus.PENDING, RecordStatus.RETURNED, RecordStatus.DRAFT)
    rows = [
        {
            "item": _name(row, language),
            **{status: counts.get(row["code"], {}).get(status, 0) for status in statuses},
        }
        for row in types
        if row["code"] in counts
    ]
    columns = [
        Column("item", _t(language, "board.column.item"), "text"),
        *[Column(status, _t(language, f"status.{status}"), "int") for status in statuses],
    ]
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, _t(language, "board.status_title"))


def task_medians(board: Board) -> dict[str, float | None]:
    """The group's median completion of each mandatory task."""
    rates: dict[str, list[float | None]] = {}
    for detail in board.details.values():
        for task in detail.tasks:
            rates.setdefault(task.code, []).append(task_rate(task.done, task.required))
    return {code: median(values) for code, values in rates.items()}


def trend_frame(trend: Trend, unit_id: int, language: str = "zh") -> pd.DataFrame:
    """Month, the unit's points, per capita and rank, and the group's median per capita."""
    rows = [
        {
            "month": figure.month,
            "points": figure.points,
            "per_capita": _round(figure.per_capita, 2),
            "rank": figure.rank,
            "rank_text": rank_label(figure.rank, figure.tied, language),
            "median": _round(trend.median_per_capita.get(figure.month), 2),
        }
        for figure in trend.figures
        if figure.unit_id == unit_id
    ]
    return pd.DataFrame(rows, columns=["month", "points", "per_capita", "rank", "rank_text", "median"])


def trend_table(trend: Trend, unit_id: int, language: str) -> Table:
    frame = trend_frame(trend, unit_id, language).drop(columns="rank").rename(columns={"rank_text": "rank"})
    columns = [
        Column("month", _t(language, "board.column.month"), "text"),
        Column("points", _t(language, "board.column.points"), "points"),
        Column("per_capita", _t(language, "board.column.per_capita"), "number2"),
        Column("median", _t(language, "board.column.group_median"), "number2"),
        Column("rank", _t(language, "board.column.rank"), "rank"),
    ]
    return Table(frame[[c.key for c in columns]], columns, _t(language, "board.trend_title"))


def people_table(board: PeopleBoard, types: Sequence[Mapping[str, Any]], language: str) -> Table:
    """Cadres by study points; the main study types get a column each, the rest are summed."""
    catalogue = {row["code"]: row for row in types}
    main = [code for code in board.types if catalogue.get(code, {}).get("is_study") or catalogue.get(code, {}).get("mandatory_basis")]
    others = [code for code in board.types if code not in main]
    hidden_name = _t(language, "board.name_hidden")
    rows = []
    for person in board.rows:
        row = {
            "rank": rank_label(person.rank, person.tied, language),
            "name": (person.name or hidden_name) + (_t(language, "board.you") if person.is_self else ""),
            "unit": person.unit_en if language == "en" and person.unit_en else person.unit_zh,
            "points": person.points,
        }
        for code in main:
            row[code] = person.counts.get(code, 0)
        row["other"] = sum(person.counts.get(code, 0) for code in others)
        row["featured"] = person.featured
        row["adopted"] = person.adopted
        rows.append(row)
    columns = [
        Column("rank", _t(language, "board.column.rank"), "rank"),
        Column("name", _t(language, "board.column.name"), "text"),
        Column("unit", _t(language, "board.column.unit"), "text"),
        Column("points", _t(language, "board.column.study_points"), "points"),
        *[Column(code, _name(catalogue[code], language), "int") for code in main],
        Column("other", _t(language, "board.column.other_types"), "int"),
        Column("featured", _t(language, "board.bonus.featured_note"), "int"),
        Column("adopted", _t(language, "board.bonus.adopted_suggestion"), "int"),
    ]
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, _t(language, "board.people_title"))


def branch_table(board: BranchBoard, language: str, *, unit_name: str = "") -> Table:
    rows = [
        {
            "rank": rank_label(b.rank, b.tied, language),
            "branch": b.name,
            "headcount": b.headcount,
            "records": b.records,
            "points": b.points,
            "per_capita": _round(b.per_capita, 2),
            "completion": _percent(b.completion),
            "done": f"{b.done}/{b.required}",
        }
        for b in board.rows
    ]
    columns = [
        Column("rank", _t(language, "board.column.rank"), "rank"),
        Column("branch", _t(language, "board.column.branch"), "text"),
        Column("headcount", _t(language, "board.column.headcount"), "int"),
        Column("records", _t(language, "board.column.records"), "int"),
        Column("points", _t(language, "board.column.points"), "points"),
        Column("per_capita", _t(language, "board.column.per_capita"), "number2"),
        Column("completion", _t(language, "board.column.completion"), "percent"),
        Column("done", _t(language, "board.column.done"), "text"),
    ]
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, _t(language, "board.branch_title", unit=unit_name))


def preview_table(current: Board, draft: Board, metric: str, language: str) -> Table:
    """The ranking the draft would produce beside the one in force, unit by unit."""
    before = {s.unit_id: s for s in current.standings}
    value_kind = "percent" if metric == "completion" else "number2"

    def shown(standing: UnitStanding | None) -> float | None:
        raw = getattr(standing, metric) if standing else None
        return _percent(raw) if metric == "completion" else _round(raw, 2)

    rows = []
    for s in draft.standings:
        old = before.get(s.unit_id)
        rows.append(
            {
                "unit": _name(s, language),
                "current_rank": rank_label(old.rank, old.tied, language) if old else "",
                "current_value": shown(old),
                "draft_rank": rank_label(s.rank, s.tied, language),
                "draft_value": shown(s),
                "move": change_label(rank_change(old.rank, s.rank) if old else None, True, language, ranked=s.rank is not None),
            }
        )
    columns = [
        Column("unit", _t(language, "board.column.unit"), "text"),
        Column("current_rank", _t(language, "rules.column.current_rank"), "rank"),
        Column("current_value", _t(language, "rules.column.current_value", metric=_t(language, f"board.metric_kind.{metric}")), value_kind),
        Column("draft_rank", _t(language, "rules.column.draft_rank"), "rank"),
        Column("draft_value", _t(language, "rules.column.draft_value", metric=_t(language, f"board.metric_kind.{metric}")), value_kind),
        Column("move", _t(language, "rules.column.move"), "change"),
    ]
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, _t(language, "rules.preview_title"))


def rules_tables(rules: ScoringRules, types: Sequence[Mapping[str, Any]], language: str) -> tuple[Table, str]:
    """The rules in force as a table (points and caps per type) and a sentence on the bonuses."""
    rows = [
        {
            "area": _t(language, f"area.{row['area']}"),
            "item": _name(row, language),
            "each": rules.points.get(row["code"], 0.0),
            "cap": rules.cap_for(row["code"]),
            "unit_cap": rules.unit_cap_for(row["code"]),
        }
        for row in types
    ]
    columns = [
        Column("area", _t(language, "board.column.area"), "text"),
        Column("item", _t(language, "board.column.item"), "text"),
        Column("each", _t(language, "board.column.each"), "points"),
        Column("cap", _t(language, "board.column.person_cap"), "int"),
        Column("unit_cap", _t(language, "board.column.unit_cap"), "int"),
    ]
    bonuses = _t(language, "board.list_separator").join(
        _t(language, "board.bonus_each", name=_t(language, f"board.bonus.{kind}"), points=f"{rules.bonuses.get(kind, 0):g}")
        for kind in BONUS_KINDS
    )
    return Table(pd.DataFrame(rows, columns=[c.key for c in columns]), columns, _t(language, "board.tab_rules")), bonuses
