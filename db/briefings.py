"""简报 — gather a period's figures into a 《组工动态》-style briefing, issue it, keep it as issued.

Every figure comes from the functions the screens use: the boards (db/boards.py) for rankings and
mandatory tasks, the boards' own bonus rules for highlights (featured notes by the day they were featured,
adopted suggestions by the day they were made, problems by the day they were solved), the honour
roll (db/honours.py) and approved publicity records. The office only (admin), checked here.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, case, func, select

from core.briefing import Briefing, Section, bullets, chart, figure, paragraph, percent, table
from core.briefing_charts import ranked_bars
from core.briefing_docx import docx_bytes
from core.briefing_pdf import pdf_bytes
from core.clock import office_today
from core.completion import Colour, task_rate
from core.enums import RecordStatus
from core.i18n import format_date, translate
from core.ledgers import BONUS_STATUSES
from core.periods import DateRange
from core.permissions import Action
from core.scoring import median
from db import publicity
from db.access import Actor, PermissionDenied, ValidationFailed, permits
from db.board_queries import featured_records, featured_within
from db.boards import Board, unit_board
from db.command import DuplicateWrite, command
from db.engine import read_session
from db.honours import rolls_within
from db.models import (
    ActivityRecord,
    ActivityType,
    Cadre,
    Campaign,
    ComparisonGroup,
    Problem,
    Suggestion,
    Unit,
)
from db.models import (
    Briefing as BriefingRow,
)
from db.supervision import coverage, lagging_units

Progress = Callable[[float, str], None]
LEAD_MAX = 2000
LISTED_MAX = 20  # highlights and publicity items listed by name; the rest are counted
METRIC = "composite"


@dataclass(frozen=True)
class Scope:
    campaign_id: int
    period_kind: str
    span: DateRange
    group_id: int | None  # None: every unit


def _tr(language: str) -> Callable[..., str]:
    return lambda key, **params: translate(language, f"reports.briefing.{key}", **params)


def _groups(scope: Scope, engine: Engine | None) -> list[tuple[int, str, str]]:
    with read_session(engine) as session:
        query = select(ComparisonGroup.id, ComparisonGroup.name_zh, ComparisonGroup.name_en).order_by(ComparisonGroup.sort_order)
        if scope.group_id is not None:
            query = query.where(ComparisonGroup.id == scope.group_id)
        return [tuple(row) for row in session.execute(query).all()]


def _name(row: Any, language: str) -> str:
    return row.name_en if language == "en" and row.name_en else row.name_zh


def _boards(scope: Scope, engine: Engine | None) -> list[tuple[str, str, Board]]:
    return [
        (zh, en, unit_board(campaign_id=scope.campaign_id, start=scope.span.start, end=scope.span.end, group_id=group_id, metric=METRIC, engine=engine))
        for group_id, zh, en in _groups(scope, engine)
    ]


def _rankings(boards: list[tuple[str, str, Board]], language: str) -> Section:
    tr = _tr(language)
    blocks = []
    headers = [tr("col.rank"), tr("col.unit"), tr("col.headcount"), tr("col.points"), tr("col.per_capita"), tr("col.completion"), tr("col.composite"), tr("col.change")]
    for zh, en, board in boards:
        group = en if language == "en" else zh
        rows = []
        for s in board.standings:
            change = "" if board.previous is None or s.rank is None else tr("change_new") if s.rank_change is None else f"▲{s.rank_change}" if s.rank_change > 0 else f"▼{-s.rank_change}" if s.rank_change < 0 else "–"
            rows.append([
                "—" if s.rank is None else tr("tied_rank", rank=s.rank) if s.tied else str(s.rank), _name(s, language), f"{s.headcount:,}", figure(s.points),
                figure(s.per_capita, 2), percent(s.completion), figure(s.composite), change,
            ])
        blocks.append(table(headers, rows, numeric={2, 3, 4, 5, 6}, caption=tr("group_table", group=group), widths=(1.1, 3.6, 1.1, 1.3, 1.3, 1.3, 1.3, 1)))
        if board.standings:
            blocks.append(chart(
                ranked_bars([_name(s, language) for s in board.standings], [s.composite for s in board.standings],
                            title=tr("chart_composite", group=group), value_label=tr("col.composite")),
                tr("chart_caption_composite", group=group),
            ))
    if not boards:
        blocks.append(paragraph(tr("no_units")))
    return Section("rankings", tr("section.rankings"), blocks)


def _completion(boards: list[tuple[str, str, Board]], names: dict[str, tuple[str, str]], language: str) -> Section:
    tr = _tr(language)
    per_task: dict[str, dict[str, Any]] = {}
    for _zh, _en, board in boards:
        for detail in board.details.values():
            for task in detail.tasks:
                entry = per_task.setdefault(task.code, {"units": 0, "complete": 0, "done": 0, "required": 0, "rates": []})
                rate = task_rate(task.done, task.required)
                if rate is None:
                    continue
                entry["units"] += 1
                entry["complete"] += int(rate == 1)
                entry["done"] += task.done
                entry["required"] += task.required
                entry["rates"].append(rate)
    rows, bars = [], []
    for code, entry in per_task.items():
        name = names.get(code, (code, code))[1 if language == "en" else 0]
        rate = sum(entry["rates"]) / len(entry["rates"]) if entry["rates"] else None
        rows.append([name, f"{entry['complete']:,} / {entry['units']:,}", f"{entry['done']:,} / {entry['required']:,}", percent(rate)])
        bars.append((name, rate))
    bars.sort(key=lambda bar: -(bar[1] or 0.0))  # the chart reads best first, like the boards
    labels, values = [bar[0] for bar in bars], [bar[1] for bar in bars]
    standings = [s for _zh, _en, board in boards for s in board.standings]
    overall = median(s.completion for s in standings)
    blocks = [paragraph(tr("completion_lead", units=len(standings), median=percent(overall)))]
    if rows:
        blocks.append(table([tr("col.task"), tr("col.units_complete"), tr("col.done_required"), tr("col.mean_rate")], rows, numeric={1, 2, 3}, widths=(3, 2, 2, 1.5)))
        blocks.append(chart(ranked_bars(labels, values, title=tr("chart_tasks"), value_label=tr("col.mean_rate"), percent=True), tr("chart_caption_tasks")))
    return Section("completion", tr("section.completion"), blocks)


def _coverage(scope: Scope, language: str, engine: Engine | None) -> Section:
    """三色督办 on the period's last day (or today, if the period runs on): how many units are done,
    green, amber or red on each task, and the units behind, from the supervision engine."""
    tr = _tr(language)
    as_of = min(scope.span.end, office_today())
    with read_session(engine) as session:
        unit_ids = None
        if scope.group_id is not None:
            unit_ids = list(session.scalars(select(Unit.id).where(Unit.group_id == scope.group_id, Unit.active.is_(True))))
        cells = coverage(session, scope.campaign_id, as_of, unit_ids)
        behind = lagging_units(session, scope.campaign_id, as_of, scope.group_id)
    colours = (Colour.DONE, Colour.GREEN, Colour.AMBER, Colour.RED)
    counts: dict[int, dict[Colour, int]] = {}
    names: dict[int, str] = {}
    for cell in cells:
        names[cell.target.id] = cell.target.name_en if language == "en" else cell.target.name_zh
        row = counts.setdefault(cell.target.id, dict.fromkeys(colours, 0))
        if cell.colour is not None:
            row[cell.colour] += 1
    blocks = [paragraph(tr("coverage_lead", day=format_date(as_of, language)))]
    if counts:
        blocks.append(table(
            [tr("col.task"), *(tr(f"colour.{colour}") for colour in colours)],
            [[names[target_id], *(f"{row[colour]:,}" for colour in colours)] for target_id, row in counts.items()],
            numeric={1, 2, 3, 4}, widths=(3, 1.3, 1.3, 1.3, 1.3),
        ))
    items = []
    for lag in behind:
        unit = lag.unit.name_en if language == "en" and lag.unit.name_en else lag.unit.name_zh
        tasks = tr("list_separator").join(
            tr("lagging_task", task=cell.target.name_en if language == "en" else cell.target.name_zh, colour=tr(f"colour.{cell.colour}"),
               done=cell.done, required=cell.required)
            for cell in lag.cells
        )
        items.append(tr("lagging_item", unit=unit, rate=percent(lag.completion), tasks=tasks))
    blocks.append(paragraph(tr("lagging_heading", count=len(behind))) if behind else paragraph(tr("no_lagging")))
    if items:
        blocks.append(bullets(items))
    return Section("coverage", tr("section.coverage"), blocks)


def _unit_filter(scope: Scope) -> list:
    return [Unit.group_id == scope.group_id] if scope.group_id is not None else [Unit.group_id.is_not(None)]


def _highlights(scope: Scope, language: str, engine: Engine | None) -> tuple[Section, dict[str, int]]:
    tr = _tr(language)
    start, end = scope.span.start, scope.span.end
    with read_session(engine) as session:
        featured = session.execute(featured_within(
            select(ActivityRecord.title, Cadre.name, Unit.name_zh, Unit.name_en)
            .select_from(featured_records())
            .join(Unit, Unit.id == ActivityRecord.unit_id)
            .outerjoin(Cadre, Cadre.id == ActivityRecord.cadre_id)
            .where(ActivityRecord.campaign_id == scope.campaign_id, ActivityRecord.status == RecordStatus.APPROVED, *_unit_filter(scope))
            .order_by(ActivityRecord.occurred_on.desc(), ActivityRecord.id.desc()),
            start, end,
        )).all()
        # The scoring's rule (core.ledgers): adopted or partly adopted, dated by the adoption; an
        # anonymous suggestion names nobody here either.
        adopted = session.execute(
            select(Suggestion.title, case((Suggestion.anonymous.is_(True), None), else_=Cadre.name).label("name"), Unit.name_zh, Unit.name_en)
            .join(Unit, Unit.id == Suggestion.unit_id)
            .outerjoin(Cadre, Cadre.id == Suggestion.cadre_id)
            .where(Suggestion.status.in_(BONUS_STATUSES), Suggestion.adopted_on.between(start, end), *_unit_filter(scope))
            .order_by(Suggestion.adopted_on.desc(), Suggestion.id.desc())
        ).all()
        solved = session.execute(
            select(Problem.description, Problem.solved_on, Unit.name_zh, Unit.name_en)
            .join(Unit, Unit.id == Problem.unit_id)
            .where(Problem.solved_on.between(start, end), *_unit_filter(scope))
            .order_by(Problem.solved_on.desc(), Problem.id.desc())
        ).all()
    counts = {"featured": len(featured), "adopted": len(adopted), "solved": len(solved)}
    blocks = [paragraph(tr("highlights_lead", **counts))]

    def unit(row: Any) -> str:
        return row.name_en if language == "en" and row.name_en else row.name_zh

    if featured:
        blocks.append(paragraph(tr("featured_heading")))
        blocks.append(bullets([tr("featured_item", title=row.title, cadre=row.name or "—", unit=unit(row)) for row in featured[:LISTED_MAX]]))
    if adopted:
        blocks.append(paragraph(tr("adopted_heading")))
        blocks.append(bullets([tr("adopted_item", title=row.title, cadre=row.name or "—", unit=unit(row)) for row in adopted[:LISTED_MAX]]))
    if solved:
        blocks.append(paragraph(tr("solved_heading")))
        blocks.append(bullets([tr("solved_item", text=row.description, unit=unit(row), on=format_date(row.solved_on, language)) for row in solved[:LISTED_MAX]]))
    return Section("highlights", tr("section.highlights"), blocks), counts


def _honours(actor: Actor, scope: Scope, language: str, engine: Engine | None) -> Section:
    tr = _tr(language)
    rolls = rolls_within(actor, campaign_id=scope.campaign_id, span=scope.span, engine=engine)
    if not rolls:
        return Section("honours", tr("section.honours"), [paragraph(tr("no_roll"))])
    blocks = []
    for roll in rolls:
        blocks.append(paragraph(tr("roll_heading", title=roll["title"], start=format_date(roll["start"], language), end=format_date(roll["end"], language))))
        items = []
        for entry in roll["entries"]:
            unit = entry["unit_en"] if language == "en" and entry["unit_en"] else entry["unit_zh"]
            label = unit if entry["kind"] == "unit" else f"{entry['name'] or '—'}({unit})"
            items.append(tr(f"roll_item_{entry['kind']}", name=label, citation=entry["citation"]))
        blocks.append(bullets(items))
    return Section("honours", tr("section.honours"), blocks)


def _publicity(scope: Scope, language: str, engine: Engine | None) -> tuple[Section, int]:
    tr = _tr(language)
    with read_session(engine) as session:
        rows = publicity.items(session, campaign_id=scope.campaign_id, start=scope.span.start, end=scope.span.end, group_id=scope.group_id)
    if not rows:
        return Section("publicity", tr("section.publicity"), [paragraph(tr("no_publicity"))]), 0
    outlets: dict[str, int] = {}
    for row in rows:
        outlet = row["outlet"] or tr("outlet_unknown")
        outlets[outlet] = outlets.get(outlet, 0) + 1
    summary = tr("list_separator").join(tr("outlet_count", outlet=name, count=count) for name, count in sorted(outlets.items(), key=lambda kv: -kv[1]))
    # Links are printed as text: a document handed round must not carry live links to unknown sites.
    listed = [
        [format_date(row["date"], language), row["unit_en"] if language == "en" and row["unit_en"] else row["unit_zh"], row["outlet"], row["title"], row["link"]]
        for row in rows[:LISTED_MAX]
    ]
    blocks = [
        paragraph(tr("publicity_lead", count=len(rows), outlets=summary)),
        table([tr("col.date"), tr("col.unit"), tr("col.outlet"), tr("col.title"), tr("col.link")], listed, widths=(2.3, 2.4, 1.8, 3.2, 2.4)),
    ]
    return Section("publicity", tr("section.publicity"), blocks), len(rows)


def _scope_text(scope: Scope, language: str, engine: Engine | None) -> str:
    groups = _groups(scope, engine)
    if scope.group_id is None:
        return _tr(language)("scope_all")
    return groups[0][2 if language == "en" else 1] if groups else ""


@permits(Action.ISSUE_REPORTS)
def default_lead(actor: Actor | None, scope: Scope, *, language: str = "zh", engine: Engine | None = None) -> str:
    """A first draft of the lead paragraph from the period's figures; the office edits it."""
    boards = _boards(scope, engine)
    standings = [s for _zh, _en, board in boards for s in board.standings]
    return _tr(language)(
        "default_lead", start=format_date(scope.span.start, language), end=format_date(scope.span.end, language),
        scope=_scope_text(scope, language, engine), units=len(standings), records=f"{sum(s.records for s in standings):,}",
        median=percent(median(s.completion for s in standings)),
    )


@permits(Action.ISSUE_REPORTS)
def build(
    actor: Actor | None, scope: Scope, *, lead: str, issue_number: int, issued_on: dt.date, language: str = "zh",
    progress: Progress | None = None, engine: Engine | None = None,
) -> Briefing:
    """The briefing's content (no file yet), section by section, reporting progress as it goes."""
    tr = _tr(language)
    step = progress or (lambda _fraction, _label: None)
    step(0.05, "step_rankings")
    boards = _boards(scope, engine)
    with read_session(engine) as session:
        names = {code: (zh, en) for code, zh, en in session.execute(select(ActivityType.code, ActivityType.name_zh, ActivityType.name_en))}
        campaign = session.get(Campaign, scope.campaign_id)
    sections = [_rankings(boards, language)]
    step(0.35, "step_completion")
    sections.append(_completion(boards, names, language))
    sections.append(_coverage(scope, language, engine))
    step(0.5, "step_highlights")
    sections.append(_highlights(scope, language, engine)[0])
    sections.append(_honours(actor, scope, language, engine))
    sections.append(_publicity(scope, language, engine)[0])
    period = tr("period_text", start=format_date(scope.span.start, language), end=format_date(scope.span.end, language),
                scope=_scope_text(scope, language, engine))
    return Briefing(
        masthead=tr("masthead"), issue_number=issue_number, issue_text=tr("issue", number=issue_number), issuer=tr("issuer"),
        issued_on=issued_on, issued_text=format_date(issued_on, language),
        title=tr("title", campaign=(campaign.name_en if language == "en" else campaign.name_zh) if campaign else ""),
        period_text=period, lead=lead.strip(), sections=sections, language=language,
    )


def _next_issue(engine: Engine | None) -> int:
    with read_session(engine) as session:
        return int(session.scalar(select(func.max(BriefingRow.issue_number))) or 0) + 1


@permits(Action.ISSUE_REPORTS)
def issue_briefing(
    actor: Actor | None, scope: Scope, *, lead: str, language: str = "zh", progress: Progress | None = None,
    engine: Engine | None = None,
) -> int:
    """Build, render (Word and PDF) and keep a new numbered issue; returns its id. Two issues made
    at once cannot take the same number: the loser is rebuilt with the next one."""
    if len(lead) > LEAD_MAX:
        raise ValidationFailed([("lead", "reports.error.too_long", {"max": LEAD_MAX})])
    step = progress or (lambda _fraction, _label: None)
    for _attempt in range(3):
        number = _next_issue(engine)
        content = build(actor, scope, lead=lead, issue_number=number, issued_on=office_today(), language=language, progress=step, engine=engine)
        step(0.7, "step_word")
        word = docx_bytes(content)
        step(0.8, "step_pdf")
        document = pdf_bytes(content)
        step(0.95, "step_saving")
        try:
            with command(actor, Action.ISSUE_REPORTS, engine=engine) as cmd:
                row = BriefingRow(
                    issue_number=number, title=content.title, campaign_id=scope.campaign_id, period_kind=scope.period_kind,
                    start_date=scope.span.start, end_date=scope.span.end, group_id=scope.group_id, lead=content.lead,
                    docx=word, pdf=document, created_by=actor.user_id,
                )
                cmd.session.add(row)
                cmd.session.flush()
                cmd.log("briefing.issue", row)  # its number, period and lead (the files are not copied into the trail)
                briefing_id = row.id
        except DuplicateWrite:  # another issue took the number meanwhile
            continue
        step(1.0, "step_done")
        return briefing_id
    raise PermissionDenied("reports.error.issue_busy")


@permits(Action.ISSUE_REPORTS)
def list_briefings(actor: Actor | None, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Every issue, newest first, without the files."""
    with read_session(engine) as session:
        rows = session.execute(
            select(BriefingRow.id, BriefingRow.issue_number, BriefingRow.title, BriefingRow.period_kind, BriefingRow.start_date,
                   BriefingRow.end_date, BriefingRow.group_id, BriefingRow.created_at,
                   func.length(BriefingRow.docx).label("docx_size"), func.length(BriefingRow.pdf).label("pdf_size"))
            .order_by(BriefingRow.issue_number.desc())
        ).all()
    return [dict(row._mapping) for row in rows]


@permits(Action.ISSUE_REPORTS)
def briefing_file(actor: Actor | None, briefing_id: int, kind: str, *, engine: Engine | None = None) -> bytes:
    """The stored Word ("docx") or PDF ("pdf") bytes, exactly as issued."""
    column = {"docx": BriefingRow.docx, "pdf": BriefingRow.pdf}[kind]
    with read_session(engine) as session:
        data = session.scalar(select(column).where(BriefingRow.id == briefing_id))
    if data is None:
        raise PermissionDenied("reports.error.no_briefing")
    return bytes(data)
