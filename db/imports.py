"""Many records at once: from an Excel file or the bulk-entry grid, all or nothing.

Rows arrive as (row number, values by column key) with what people typed: names, choice texts,
dates in any common shape. Every row is converted and validated before anything is written;
one problem anywhere means nothing is saved and every problem is reported with its row and
column. The write itself is one transaction, with one audit row per record.

Rows that look like the same activity (core.import_rules.likely_duplicate_key) and a file whose
content was imported before are warnings, not problems: they are named before saving, and the
import goes ahead only when the person says to save anyway. Saved, such twins carry the review
queue's 'duplicate' flag.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.enums import RecordStatus
from core.excel import MAX_FILE_MB, MAX_ROWS, Table, build_template, read_table
from core.i18n import translate
from core.import_rules import (
    CellProblem,
    Column,
    Directory,
    content_hash,
    convert_row,
    likely_duplicate_key,
    person_labels,
    repeated_rows,
    row_is_empty,
    unconfirmed,
)
from core.permissions import Action
from core.record_rules import TEXT_MAX, fill_title, needs_title, principal_field, validate_record
from db.access import Actor, PermissionDenied, ValidationFailed, no_actor, permits, require, require_unit_entry
from db.catalogue import field_labels
from db.command import command
from db.engine import read_session
from db.ledger_sync import sync_ledgers
from db.models import ActivityRecord, ActivityType, Branch, Cadre, RecordImport, Unit, User
from db.records import active_campaign, active_type, apply_values, record_context, sync_study

Rows = Sequence[tuple[int, dict[str, Any]]]
Progress = Callable[[float], None]
PREVIEW_ROWS = 200
SOURCES = {"excel": "record.import", "grid": "record.bulk_entry"}


class ImportRejected(Exception):
    """Nothing was saved; `problems` lists every problem by row and column."""

    def __init__(self, problems: list[CellProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class DuplicatesFound(Exception):
    """Nothing was saved: the rows or the file look like what is (or is about to be) saved
    already; `warnings` names them. Importing again with them as accept_duplicates saves anyway."""

    def __init__(self, warnings: list[CellProblem]) -> None:
        super().__init__(f"{len(warnings)} likely duplicates")
        self.warnings = warnings


@dataclass
class RecordCheck:
    """What an import would do: how many rows, every problem, the warnings to confirm (likely
    duplicates, a file imported before) and the first rows as they will be saved."""

    rows: int = 0
    problems: list[CellProblem] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)


@no_actor
def zh(key: str, **params: object) -> str:
    """Template text: templates are always in Chinese, whatever the interface language."""
    return translate("zh", key, **params)


@no_actor
def in_sheet_order(problems: list[CellProblem], columns: list[Column]) -> list[CellProblem]:
    """Problems as a person reads the sheet: whole-file ones first, then row by row, left to right."""
    order = {column.key: index for index, column in enumerate(columns)}
    return sorted(problems, key=lambda problem: (problem.row or 0, order.get(problem.column, -1)))


@no_actor
def merge_problems(table: Table, found: list[CellProblem]) -> list[CellProblem]:
    """The reader's problems, then the checker's, without reporting an unreadable cell twice."""
    return [*table.problems, *(problem for problem in found if not table.explains(problem.row, problem.column))]


@permits(Action.ENTER_IN_BULK)
def require_unit_manager(actor: Actor | None, unit_id: int) -> Actor:
    """Bulk work on a unit's data is for its reporter and the office, not for individual cadres."""
    return require(actor, Action.ENTER_IN_BULK, unit_id=unit_id)


@no_actor
def record_columns(fields: list[dict[str, Any]]) -> list[Column]:
    """The template's columns for an activity type: title, date, then the catalogue's fields."""
    columns = [
        Column("title", "标题", "Title", "title", required=needs_title(fields)),
        Column("occurred_on", "活动日期", "Date", "date"),
    ]
    for spec in fields:
        zh_label, en_label = field_labels(spec)
        columns.append(
            Column(
                spec["key"], zh_label, en_label, spec["kind"], required=spec.get("required", True),
                choices=tuple(spec.get("choices", ())), min_value=spec.get("min"), min_len=spec.get("min_len", 0),
            )
        )
    return columns


def _directory(session: Session, unit_id: int) -> tuple[Directory, dict[int, int | None]]:
    cadres = session.execute(
        select(Cadre.id, Cadre.name, Cadre.position, Cadre.branch_id)
        .where(Cadre.unit_id == unit_id, Cadre.active.is_(True))
        .order_by(Cadre.is_principal.desc(), Cadre.name, Cadre.id)
    ).all()
    branches = session.execute(
        select(Branch.id, Branch.name).where(Branch.unit_id == unit_id, Branch.active.is_(True)).order_by(Branch.id)
    ).all()
    rows = [dict(row._mapping) for row in cadres]
    directory = Directory(
        cadre_labels=person_labels(rows),
        cadre_names={row["id"]: row["name"] for row in rows},
        branch_names={row.id: row.name for row in branches},
    )
    return directory, {row["id"]: row["branch_id"] for row in rows}


@permits(Action.ENTER_RECORD)
def unit_directory(actor: Actor | None, unit_id: int, *, engine: Engine | None = None) -> Directory:
    """The names a unit's forms and templates offer: its active people (namesakes told apart) and branches."""
    require_unit_entry(actor, unit_id)
    with read_session(engine) as session:
        return _directory(session, unit_id)[0]


def _hint(column: Column) -> str:
    if column.kind == "title":
        return zh("imports.template.hint_title" if column.required else "imports.template.hint_title_book", max=TEXT_MAX)
    if column.kind == "longtext":
        return zh("imports.template.hint_longtext", min=column.min_len) if column.min_len else zh("imports.template.hint_text", max=TEXT_MAX)
    if column.kind in {"int", "year"}:
        return zh("imports.template.hint_int", min=column.min_value or 0)
    if column.kind in {"choice", "cadre", "branch", "bool"}:
        return zh(f"imports.template.hint_{column.kind}")
    if column.kind == "date":
        return zh("imports.template.hint_date")
    return zh("imports.template.hint_text", max=TEXT_MAX)


@no_actor
def template_workbook(
    columns: list[Column],
    choices: dict[str, list[str]],
    notes: list[str],
    hints: dict[str, str] | None = None,
    *,
    rows: list[list[Any]] = (),
) -> bytes:
    """A template in the house style: the guide lists each column, then the general notes."""
    hints = {column.key: _hint(column) for column in columns} | (hints or {})
    guide = [[zh("imports.template.column"), zh("imports.template.need"), zh("imports.template.explain")]]
    for column in columns:
        need = zh("imports.template.required_yes" if column.required else "imports.template.required_no")
        guide.append([column.label_zh, need, hints[column.key]])
    guide.append([])
    guide.extend([["", "", note] for note in [*notes, zh("imports.template.note_rows"), zh("imports.template.note_limits", rows=f"{MAX_ROWS:,}", mb=MAX_FILE_MB)]])
    return build_template(
        columns, choices=choices, hints=hints, guide=guide, rows=rows, choices_note=zh("imports.template.choices_note"),
        validation_title=zh("imports.template.validation_title"), validation_message=zh("imports.template.validation_message"),
    )


@permits(Action.ENTER_IN_BULK)
def record_template(actor: Actor | None, *, unit_id: int, type_code: str, engine: Engine | None = None) -> bytes:
    """An empty template for one activity type, with the unit's people and branches as choices."""
    actor = require_unit_manager(actor, unit_id)
    with read_session(engine) as session:
        activity = active_type(session, type_code)
        unit = session.get(Unit, unit_id)
        if activity is None or unit is None:
            raise ValidationFailed([("type", "validation.unknown_type", {})])
        directory, _ = _directory(session, unit_id)
    columns = record_columns(activity.fields)
    choices = {}
    for column in columns:
        if column.kind == "choice":
            choices[column.key] = list(column.choices)
        elif column.kind == "cadre":
            choices[column.key] = list(directory.cadre_labels.values())
        elif column.kind == "branch":
            choices[column.key] = list(directory.branch_names.values())
    notes = [zh("imports.template.note_unit", unit=unit.name_zh, type=activity.name_zh)]
    if activity.evidence.get("photo") == "required":
        notes.append(zh("imports.template.note_photo"))
    return template_workbook(columns, choices, notes)


def _prepare(
    session: Session,
    activity: ActivityType,
    unit_id: int,
    rows: Rows,
    *,
    submit: bool,
    read: Table | None,
    progress: Progress | None,
) -> tuple[list[tuple[int, str, dt.date, dict[str, Any]]], list[CellProblem], dict[int, int | None], Directory]:
    """Every row converted and validated; nothing is written here.

    `read` carries what the file reader found (a merged cell, a formula without value): those
    problems are reported as they are, and their cells are not reported again as empty.
    """
    campaign = active_campaign(session)
    if campaign is None:
        raise ValidationFailed([("type", "validation.unknown_type", {})])
    context = record_context(session, campaign, unit_id)
    directory, cadre_branches = _directory(session, unit_id)
    columns = record_columns(activity.fields)
    prepared: list[tuple[int, str, dt.date, dict[str, Any]]] = []
    read = read or Table()
    problems: list[CellProblem] = list(read.problems)
    if submit and activity.evidence.get("photo") == "required":
        problems.append(CellProblem(None, None, "imports.photo_required_draft_only", {}))
    filled = [(number, values) for number, values in rows if not row_is_empty(values)]
    # The grid takes pasted rows without limit; it is held to the file import's cap before any
    # row is converted, so a paste of a million rows costs no more than a refused file.
    if len(filled) > MAX_ROWS:
        raise ImportRejected([CellProblem(None, None, "imports.too_many_rows", {"max": f"{MAX_ROWS:,}", "actual": f"{len(filled):,}"})])
    if not filled and not read.problems:
        problems.append(CellProblem(None, None, "imports.file_no_rows", {}))
    for done, (number, values) in enumerate(filled, start=1):
        converted, row_problems = convert_row(columns, values, number, directory)
        title = fill_title(converted.pop("title", None), activity.fields, converted, activity.name_zh)
        occurred_on = converted.pop("occurred_on", None)
        explained = {column.key for column in columns if read.explains(number, column.key)}
        reported = {problem.column for problem in row_problems} | explained
        cleaned, found = validate_record(activity.fields, title=title, occurred_on=occurred_on, details=converted, context=context)
        # A cell that could not be read is reported once, not again as 'required'.
        row_problems += [CellProblem(number, key, message, params) for key, message, params in found if key not in reported]
        problems += row_problems
        if not row_problems and not explained:
            prepared.append((number, title, occurred_on, cleaned))
        if progress and done % 500 == 0:
            progress(done / len(filled))
    return prepared, in_sheet_order(problems, columns), cadre_branches, directory


def _duplicate_rows(activity: ActivityType, prepared: list[tuple[int, str, dt.date, dict[str, Any]]]) -> list[CellProblem]:
    """Rows of one file or grid that describe the same activity as an earlier row."""
    cadre_key = principal_field(activity.fields, "cadre")
    return repeated_rows(
        (number, likely_duplicate_key(occurred_on, cleaned.get(cadre_key) if cadre_key else None, title))
        for number, title, occurred_on, cleaned in prepared
    )


def _imported_before(session: Session, unit_id: int, raw: bytes) -> list[CellProblem]:
    """A warning naming when and by whom the same file was last imported for this unit."""
    last = session.execute(
        select(RecordImport.imported_at, RecordImport.rows, User.display_name)
        .outerjoin(User, User.id == RecordImport.imported_by)
        .where(RecordImport.content_hash == content_hash(raw), RecordImport.unit_id == unit_id)
        .order_by(RecordImport.imported_at.desc(), RecordImport.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return []
    return [CellProblem(None, None, "imports.file_imported_before", {"at": last.imported_at, "user": last.display_name or "", "rows": last.rows})]


def _preview_row(columns: list[Column], directory: Directory, title: str, occurred_on: dt.date, cleaned: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"title": title, "occurred_on": occurred_on}
    for column in columns[2:]:
        value = cleaned.get(column.key)
        if column.kind == "cadre" and value is not None:
            value = directory.cadre_labels.get(value, value)
        elif column.kind == "branch" and value is not None:
            value = directory.branch_names.get(value, value)
        row[column.key] = value
    return row


def _activity(session: Session, type_code: str) -> ActivityType:
    if active_campaign(session) is None:
        raise PermissionDenied("campaign.error.no_open_campaign")
    activity = active_type(session, type_code)
    if activity is None:
        raise ValidationFailed([("type", "validation.unknown_type", {})])
    return activity


@permits(Action.ENTER_IN_BULK)
def check_records(
    actor: Actor | None,
    *,
    unit_id: int,
    type_code: str,
    rows: Rows,
    submit: bool,
    read: Table | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> RecordCheck:
    """Check rows without saving: the preview people fix their file against."""
    require_unit_manager(actor, unit_id)
    with read_session(engine) as session:
        activity = _activity(session, type_code)
        prepared, problems, _, directory = _prepare(session, activity, unit_id, rows, submit=submit, read=read, progress=progress)
        columns = record_columns(activity.fields)
        warnings = _duplicate_rows(activity, prepared)
    preview = [_preview_row(columns, directory, *row[1:]) for row in prepared[:PREVIEW_ROWS]]
    return RecordCheck(rows=sum(1 for _, values in rows if not row_is_empty(values)), problems=problems, preview=preview, warnings=warnings)


@permits(Action.ENTER_IN_BULK)
def import_records(
    actor: Actor | None,
    *,
    unit_id: int,
    type_code: str,
    rows: Rows,
    submit: bool,
    source: str = "grid",
    read: Table | None = None,
    raw: bytes | None = None,
    accept_duplicates: Sequence[CellProblem] = (),
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> list[int]:
    """Save every row as a draft or submitted record in one transaction, or nothing: ImportRejected
    for problems, DuplicatesFound for likely duplicates unless every one of them is among
    `accept_duplicates`, the warnings the person saw and confirmed. `raw` is the file the rows
    came from, remembered by its fingerprint."""
    actor = require_unit_manager(actor, unit_id)
    with command(actor, Action.ENTER_IN_BULK, engine=engine) as cmd:
        session = cmd.session
        activity = _activity(session, type_code)
        prepared, problems, cadre_branches, _ = _prepare(
            session, activity, unit_id, rows, submit=submit, read=read, progress=_part(progress, 0.0, 0.5)
        )
        if problems:
            raise ImportRejected(problems)
        warnings = [*(_imported_before(session, unit_id, raw) if raw is not None else []), *_duplicate_rows(activity, prepared)]
        if unconfirmed(warnings, accept_duplicates):
            raise DuplicatesFound(warnings)
        if raw is not None:
            session.add(RecordImport(content_hash=content_hash(raw), unit_id=unit_id, type_code=type_code, rows=len(prepared), imported_by=actor.user_id))
        campaign = active_campaign(session)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        records = []
        for _, title, occurred_on, cleaned in prepared:
            record = ActivityRecord(
                status=RecordStatus.PENDING if submit else RecordStatus.DRAFT, created_by=actor.user_id, submitted_at=now if submit else None,
            )
            apply_values(
                record, actor=actor, activity=activity, campaign_id=campaign.id, unit_id=unit_id, title=title,
                occurred_on=occurred_on, cleaned=cleaned, cadre_branches=cadre_branches,
            )
            records.append(record)
        session.add_all(records)
        session.flush()
        for done, (record, (number, *_)) in enumerate(zip(records, prepared, strict=True), start=1):
            sync_study(session, record, type_code, record.details)
            sync_ledgers(session, actor, record, type_code, record.details, {})
            cmd.log(SOURCES[source], record, {"type": type_code, "row": number})
            if progress and done % 500 == 0:
                progress(0.5 + 0.5 * done / len(records))
        return [record.id for record in records]


def _file_table(session: Session, type_code: str, raw: bytes, progress: Progress | None) -> Table:
    return read_table(raw, record_columns(_activity(session, type_code).fields), progress=progress)


@permits(Action.ENTER_IN_BULK)
def check_record_file(
    actor: Actor | None,
    *,
    unit_id: int,
    type_code: str,
    raw: bytes,
    submit: bool,
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> RecordCheck:
    """Read an uploaded workbook and check every row: the preview. ExcelRejected refuses a whole file."""
    require_unit_manager(actor, unit_id)
    with read_session(engine) as session:
        table = _file_table(session, type_code, raw, _part(progress, 0.0, 0.5))
        before = _imported_before(session, unit_id, raw)
    check = check_records(
        actor, unit_id=unit_id, type_code=type_code, rows=table.rows, submit=submit, read=table,
        progress=_part(progress, 0.5, 1.0), engine=engine,
    )
    check.warnings[:0] = before
    return check


@permits(Action.ENTER_IN_BULK)
def import_record_file(
    actor: Actor | None,
    *,
    unit_id: int,
    type_code: str,
    raw: bytes,
    submit: bool,
    accept_duplicates: Sequence[CellProblem] = (),
    progress: Progress | None = None,
    engine: Engine | None = None,
) -> list[int]:
    """Read the workbook again and import it whole, or nothing: the file is the source of truth."""
    require_unit_manager(actor, unit_id)
    with read_session(engine) as session:
        table = _file_table(session, type_code, raw, _part(progress, 0.0, 0.4))
    return import_records(
        actor, unit_id=unit_id, type_code=type_code, rows=table.rows, submit=submit, source="excel",
        read=table, raw=raw, accept_duplicates=accept_duplicates, progress=_part(progress, 0.4, 1.0), engine=engine,
    )


def _part(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A progress callback for one stage of a longer job."""
    if progress is None:
        return None
    return lambda fraction: progress(start + (end - start) * fraction)
