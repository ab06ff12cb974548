"""公信度 / 满意度: each unit's 选人用人公信度 and 组织工作满意度 per period, entered by the office one
by one or imported from an Excel template (all rows or none, read within core/excel.py's limits).

The boards average the two over the periods a board's span overlaps (db.board_queries.
survey_averages); a unit without a survey is ranked on its other components (core.scoring).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.excel import read_table
from core.import_rules import CellProblem, Column, as_text, is_blank, parse_int
from core.ledgers import check_survey
from core.permissions import Action, Scope
from db.access import (
    Actor,
    ValidationFailed,
    no_actor,
    permits,
    public_read,
)
from db.command import Command, command
from db.engine import read_session
from db.imports import ImportRejected, in_sheet_order, merge_problems, template_workbook, zh
from db.models import Period, SurveyScore, Unit
from db.records import active_campaign

SURVEY_COLUMNS = [
    Column("unit", "单位", "Unit", "choice"),
    Column("period", "期间", "Period", "choice"),
    Column("credibility", "选人用人公信度", "Credibility", "number"),
    Column("satisfaction", "组织工作满意度", "Satisfaction", "number"),
    Column("respondents", "参评人数", "Respondents", "int", min_value=1),
]


def _snapshot(score: SurveyScore | None) -> dict[str, Any]:
    if score is None:
        return {}
    return {"credibility": score.credibility, "satisfaction": score.satisfaction, "respondents": score.respondents}


def _campaign_id(session: Session) -> int:
    campaign = active_campaign(session)
    if campaign is None:
        raise ValidationFailed([("period", "ledgers.problem.no_campaign", {})])
    return campaign.id


@public_read
def periods(engine: Engine | None = None) -> list[dict[str, Any]]:
    """The active campaign's periods, quarters first (surveys are usually quarterly), newest first."""
    with read_session(engine) as session:
        campaign = active_campaign(session)
        if campaign is None:
            return []
        rows = session.execute(
            select(Period.id, Period.kind, Period.label, Period.start_date, Period.end_date)
            .where(Period.campaign_id == campaign.id)
            .order_by(Period.kind.desc(), Period.start_date.desc())
        ).all()
    return [dict(row._mapping) for row in rows]


@permits(Action.READ_LEDGERS)
def survey_rows(
    actor: Actor | None, *, unit_id: int | None = None, period_id: int | None = None, engine: Engine | None = None
) -> list[dict[str, Any]]:
    """Entered survey results: the office sees all, a unit's reporter and cadres their own unit's."""
    if actor.scope(Action.READ_LEDGERS) is not Scope.ALL:
        unit_id = actor.unit_id
    query = (
        select(
            SurveyScore.id, SurveyScore.unit_id, SurveyScore.period_id, SurveyScore.credibility,
            SurveyScore.satisfaction, SurveyScore.respondents, Unit.name_zh.label("unit_zh"),
            Unit.name_en.label("unit_en"), Period.label.label("period"), Period.start_date,
        )
        .join(Unit, Unit.id == SurveyScore.unit_id)
        .join(Period, Period.id == SurveyScore.period_id)
    )
    if unit_id is not None:
        query = query.where(SurveyScore.unit_id == unit_id)
    if period_id is not None:
        query = query.where(SurveyScore.period_id == period_id)
    with read_session(engine) as session:
        rows = session.execute(query.order_by(Period.start_date.desc(), Unit.sort_order, Unit.id)).all()
    return [dict(row._mapping) for row in rows]


@public_read
def unit_trend(unit_id: int, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """A unit's survey results over the active campaign, oldest first: public like the boards' column."""
    with read_session(engine) as session:
        campaign = active_campaign(session)
        if campaign is None:
            return []
        rows = session.execute(
            select(Period.label.label("period"), Period.start_date, SurveyScore.credibility, SurveyScore.satisfaction, SurveyScore.respondents)
            .join(Period, Period.id == SurveyScore.period_id)
            .where(SurveyScore.unit_id == unit_id, SurveyScore.campaign_id == campaign.id)
            .order_by(Period.start_date, Period.kind)
        ).all()
    return [dict(row._mapping) for row in rows]


def _upsert(
    cmd: Command, campaign_id: int, unit_id: int, period_id: int,
    credibility: float, satisfaction: float, respondents: int, source: str,
) -> None:
    session = cmd.session
    score = session.scalar(select(SurveyScore).where(SurveyScore.unit_id == unit_id, SurveyScore.period_id == period_id))
    before = _snapshot(score)
    if score is None:
        score = SurveyScore(campaign_id=campaign_id, unit_id=unit_id, period_id=period_id)
        session.add(score)
    score.credibility = round(float(credibility), 2)
    score.satisfaction = round(float(satisfaction), 2)
    score.respondents = int(respondents)
    session.flush()
    cmd.log(f"survey.{source}", score, {"unit_id": unit_id, "period_id": period_id, "before": before, "after": _snapshot(score)})


@permits(Action.ENTER_SURVEYS)
def save_survey(
    actor: Actor | None,
    *,
    unit_id: int,
    period_id: int,
    credibility: float | None,
    satisfaction: float | None,
    respondents: int | None,
    engine: Engine | None = None,
) -> None:
    """Enter or correct one unit's results for one period (the office only; audited before/after)."""
    problems = check_survey(credibility, satisfaction, respondents)
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.ENTER_SURVEYS, engine=engine) as cmd:
        session = cmd.session
        campaign_id = _campaign_id(session)
        if session.scalar(select(Unit.id).where(Unit.id == unit_id, Unit.active.is_(True))) is None:
            raise ValidationFailed([("unit", "ledgers.problem.unknown_unit", {})])
        if session.scalar(select(Period.id).where(Period.id == period_id, Period.campaign_id == campaign_id)) is None:
            raise ValidationFailed([("period", "ledgers.problem.unknown_period", {})])
        _upsert(cmd, campaign_id, unit_id, period_id, credibility, satisfaction, respondents, "save")


@permits(Action.ENTER_SURVEYS)
def delete_survey(actor: Actor | None, survey_id: int, *, engine: Engine | None = None) -> None:
    with command(actor, Action.ENTER_SURVEYS, engine=engine) as cmd:
        score = cmd.session.get(SurveyScore, survey_id)
        if score is None:
            raise ValidationFailed([("survey", "ledgers.problem.not_found", {})])
        before = {"unit_id": score.unit_id, "period_id": score.period_id, **_snapshot(score)}
        cmd.session.delete(score)
        cmd.log("survey.delete", score, {"before": before, "after": {}})


# --- Excel --------------------------------------------------------------------------------------


def _choices(session: Session, campaign_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """Units by Chinese name and by code; periods by label."""
    units: dict[str, int] = {}
    for ident, code, name in session.execute(
        select(Unit.id, Unit.code, Unit.name_zh).where(Unit.active.is_(True), Unit.group_id.is_not(None)).order_by(Unit.sort_order)
    ).all():
        units[name] = ident
        units.setdefault(code, ident)
    labels = dict(session.execute(select(Period.label, Period.id).where(Period.campaign_id == campaign_id)).all())
    return units, labels


@permits(Action.ENTER_SURVEYS)
def survey_template(actor: Actor | None, *, engine: Engine | None = None) -> bytes:
    """The import template: a row per ranked unit, the units and periods as drop-down choices."""
    with read_session(engine) as session:
        campaign_id = _campaign_id(session)
        units, labels = _choices(session, campaign_id)
        names = list(session.scalars(
            select(Unit.name_zh).where(Unit.active.is_(True), Unit.group_id.is_not(None)).order_by(Unit.sort_order)
        ))
        quarters = list(session.scalars(
            select(Period.label).where(Period.campaign_id == campaign_id).order_by(Period.kind.desc(), Period.start_date.desc())
        ))
    hints = {
        "unit": zh("ledgers.survey.hint_unit"), "period": zh("ledgers.survey.hint_period"),
        "credibility": zh("ledgers.survey.hint_score"), "satisfaction": zh("ledgers.survey.hint_score"),
        "respondents": zh("ledgers.survey.hint_respondents"),
    }
    return template_workbook(
        SURVEY_COLUMNS, {"unit": names, "period": quarters}, [zh("ledgers.survey.note_upsert")], hints,
        rows=[[name] for name in names],
    )


@dataclass
class SurveyCheck:
    rows: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    values: list[tuple[int, int, float, float, int]] = field(default_factory=list)  # unit, period, c, s, n


def _cell_number(value: Any) -> Any:
    """A figure from a number cell or text such as 87.5 or 87.5%; the text itself when it is none,
    so that the check says what is wrong with it."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        return float(as_text(value).rstrip("%").strip())
    except ValueError:
        return as_text(value)


def _cell_count(value: Any) -> Any:
    if is_blank(value):
        return None
    parsed = parse_int(value)
    return parsed if parsed is not None else as_text(value)


def _check_table(session: Session, raw: bytes, progress: Any) -> SurveyCheck:
    campaign_id = _campaign_id(session)
    table = read_table(raw, SURVEY_COLUMNS, progress=progress)
    units, labels = _choices(session, campaign_id)
    check = SurveyCheck()
    found: list[CellProblem] = []
    seen: dict[tuple[int, int], int] = {}
    for row, values in table.rows:
        if all(is_blank(values.get(column.key)) for column in SURVEY_COLUMNS[2:]):
            continue  # a template row left empty: that unit has no result this time
        check.rows += 1
        row_problems: list[CellProblem] = []
        unit_text, period_text = as_text(values.get("unit") or ""), as_text(values.get("period") or "")
        unit_id, period_id = units.get(unit_text), labels.get(period_text)
        if unit_id is None:
            key = "ledgers.problem.unknown_unit_name" if unit_text else "validation.required"
            row_problems.append(CellProblem(row, "unit", key, {"name": unit_text}))
        if period_id is None:
            key = "ledgers.problem.unknown_period_name" if period_text else "validation.required"
            row_problems.append(CellProblem(row, "period", key, {"name": period_text}))
        credibility, satisfaction = _cell_number(values.get("credibility")), _cell_number(values.get("satisfaction"))
        respondents = _cell_count(values.get("respondents"))
        row_problems += [CellProblem(row, *problem) for problem in check_survey(credibility, satisfaction, respondents)]
        if unit_id is not None and period_id is not None:
            if (unit_id, period_id) in seen:
                row_problems.append(CellProblem(row, "period", "ledgers.problem.duplicate_row", {"row": seen[(unit_id, period_id)]}))
            seen.setdefault((unit_id, period_id), row)
        if row_problems:
            found += row_problems
        else:
            check.values.append((unit_id, period_id, credibility, satisfaction, respondents))
    if not check.rows and not table.problems:
        found.append(CellProblem(None, None, "imports.file_no_rows", {}))
    check.problems = in_sheet_order(merge_problems(table, found), SURVEY_COLUMNS)
    return check


@permits(Action.ENTER_SURVEYS)
def check_survey_file(actor: Actor | None, raw: bytes, *, progress: Any = None, engine: Engine | None = None) -> SurveyCheck:
    """Read and check an uploaded survey workbook: the preview (ExcelRejected refuses a whole file)."""
    with read_session(engine) as session:
        return _check_table(session, raw, progress)


@permits(Action.ENTER_SURVEYS)
def import_survey_file(actor: Actor | None, raw: bytes, *, progress: Any = None, engine: Engine | None = None) -> int:
    """Import every row of the workbook or none (ImportRejected lists the problems); returns rows saved.
    A row for a unit and period already entered replaces it (audited with the old figures)."""
    with command(actor, Action.ENTER_SURVEYS, engine=engine) as cmd:
        check = _check_table(cmd.session, raw, progress)
        if check.problems:
            raise ImportRejected(check.problems)
        campaign_id = _campaign_id(cmd.session)
        for unit_id, period_id, credibility, satisfaction, respondents in check.values:
            _upsert(cmd, campaign_id, unit_id, period_id, credibility, satisfaction, respondents, "import")
        return len(check.values)


@no_actor
def today_period(rows: list[dict[str, Any]], today: dt.date) -> int | None:
    """The quarter that holds today, else the newest period: what the entry form starts on."""
    for row in rows:
        if row["kind"] == "quarter" and row["start_date"] <= today <= row["end_date"]:
            return row["id"]
    return rows[0]["id"] if rows else None
