"""光荣榜 — the honour roll: advanced units and outstanding cadres of a period.

The rankings suggest (the best of each comparison group, the biggest climbers, the best cadres by
study points, the authors of featured notes), computed by the boards' own functions; the office
picks, may add any active unit or cadre the rankings did not put forward, writes a citation for
each and publishes. A published roll is kept as issued, one per period; the office may withdraw
it with a reason (it then leaves the page, the presenter and later briefings, and the office
still sees it as withdrawn; a new draft of the period may take its place). Who may see a cadre's
name follows the office's hide-names setting, as on the boards.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import utc_now
from core.enums import HonourStatus, RecordStatus
from core.periods import PERIOD_KINDS, DateRange
from core.permissions import Action
from db.access import Actor, PermissionDenied, ValidationFailed, permits, public_read
from db.board_queries import featured_records, featured_within
from db.boards import group_boards
from db.command import Command, command
from db.engine import read_session
from db.gallery import require_reader
from db.models import ActivityRecord, Cadre, Campaign, ComparisonGroup, HonourEntry, HonourRoll, StudyRecord, Unit
from db.people_boards import group_people_boards, may_see_names, names_hidden_in

KINDS = ("unit", "cadre")
BASES = ("group_top", "climber", "study_top", "featured_author", "office")
TITLE_MAX = 200
CITATION_MAX = 500
REASON_MAX = 500
ENTRIES_MAX = 60
PUBLISHED = HonourStatus.PUBLISHED
DRAFT = HonourStatus.DRAFT
WITHDRAWN = HonourStatus.WITHDRAWN


@dataclass(frozen=True)
class Suggestion:
    """A name the rankings put forward, with the figure that earns it."""

    kind: str  # unit / cadre
    basis: str  # one of BASES
    unit_id: int
    cadre_id: int | None
    name_zh: str  # the unit's name, or the cadre's
    name_en: str
    unit_zh: str
    unit_en: str
    group_zh: str
    group_en: str
    rank: int | None = None
    change: int | None = None
    points: float | None = None
    featured: int | None = None

    @property
    def key(self) -> tuple[str, int, int | None]:
        return (self.kind, self.unit_id, self.cadre_id)


@dataclass(frozen=True)
class EntryInput:
    kind: str
    unit_id: int
    cadre_id: int | None
    basis: str
    citation: str


@permits(Action.ISSUE_REPORTS)
def suggestions(
    actor: Actor | None, *, campaign_id: int, start: dt.date, end: dt.date, metric: str = "composite", per_group: int = 3,
    climbers: int = 5, engine: Engine | None = None,
) -> list[Suggestion]:
    """What the rankings of [start, end] put forward, each name once (its first reason wins):
    the top `per_group` units of every group by `metric`, the units that climbed most places,
    the top `per_group` cadres of every group by study points, and the authors of notes featured
    in the period. The office alone drafts rolls, so names are read as it sees them."""
    with read_session(engine) as session:
        groups = session.execute(
            select(ComparisonGroup.id, ComparisonGroup.name_zh, ComparisonGroup.name_en).order_by(ComparisonGroup.sort_order)
        ).all()
    found: dict[tuple[str, int, int | None], Suggestion] = {}
    climbing: list[Suggestion] = []
    ranked = group_boards(campaign_id=campaign_id, start=start, end=end, metric=metric, engine=engine)
    ranked_people = group_people_boards(actor, campaign_id=campaign_id, start=start, end=end, limit=per_group, engine=engine)
    for group_id, group_zh, group_en in groups:
        board = ranked.get(group_id)
        for standing in board.standings if board is not None else ():
            entry = Suggestion(
                "unit", "group_top", standing.unit_id, None, standing.name_zh, standing.name_en, standing.name_zh,
                standing.name_en, group_zh, group_en, rank=standing.rank, change=standing.rank_change, points=standing.points,
            )
            if standing.rank is not None and standing.rank <= per_group:
                found.setdefault(entry.key, entry)
            if standing.rank_change and standing.rank_change > 0:
                climbing.append(replace(entry, basis="climber"))
        people = ranked_people.get(group_id)
        for person in people.rows if people is not None else ():
            if person.rank is not None and person.rank <= per_group:
                entry = Suggestion(
                    "cadre", "study_top", person.unit_id, person.cadre_id, person.name or "", person.name or "",
                    person.unit_zh, person.unit_en, group_zh, group_en, rank=person.rank, points=person.points,
                    featured=person.featured,
                )
                found.setdefault(entry.key, entry)
    climbing.sort(key=lambda s: (-(s.change or 0), s.rank or 0, s.name_zh))
    for entry in climbing[:climbers]:
        found.setdefault(entry.key, entry)
    for entry in _featured_authors(campaign_id, start, end, engine):
        found.setdefault(entry.key, entry)
    return list(found.values())


def _featured_authors(campaign_id: int, start: dt.date, end: dt.date, engine: Engine | None) -> list[Suggestion]:
    """Cadres whose notes of the period the office featured (精选), most featured first."""
    with read_session(engine) as session:
        rows = session.execute(featured_within(
            select(Cadre.id, Cadre.name, Unit.id, Unit.name_zh, Unit.name_en, ComparisonGroup.name_zh, ComparisonGroup.name_en,
                   func.count(StudyRecord.id).label("featured"))
            .select_from(featured_records())
            .join(Cadre, Cadre.id == ActivityRecord.cadre_id)
            .join(Unit, Unit.id == ActivityRecord.unit_id)
            .outerjoin(ComparisonGroup, ComparisonGroup.id == Unit.group_id)
            .where(ActivityRecord.status == RecordStatus.APPROVED, ActivityRecord.campaign_id == campaign_id)
            .group_by(Cadre.id, Cadre.name, Unit.id, Unit.name_zh, Unit.name_en, ComparisonGroup.name_zh, ComparisonGroup.name_en)
            .order_by(func.count(StudyRecord.id).desc(), Cadre.id),
            start, end,
        )).all()
    return [
        Suggestion("cadre", "featured_author", unit_id, cadre_id, name, name, unit_zh, unit_en, group_zh or "", group_en or "", featured=count)
        for cadre_id, name, unit_id, unit_zh, unit_en, group_zh, group_en, count in rows
    ]


def _validate(session: Session, campaign_id: int, kind: str, start: dt.date, end: dt.date, title: str, entries: list[EntryInput]) -> list[tuple[str, str, dict]]:
    problems: list[tuple[str, str, dict]] = []
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        problems.append(("period", "reports.error.no_campaign", {}))
    if kind not in PERIOD_KINDS:
        problems.append(("period", "reports.error.period", {}))
    if start > end or (campaign is not None and (end < campaign.start_date or start > campaign.end_date)):
        problems.append(("period", "reports.error.period", {}))
    if not title.strip():
        problems.append(("title", "reports.error.title_required", {}))
    elif len(title) > TITLE_MAX:
        problems.append(("title", "reports.error.too_long", {"max": TITLE_MAX}))
    if not entries:
        problems.append(("entries", "reports.error.no_entries", {}))
    if len(entries) > ENTRIES_MAX:
        problems.append(("entries", "reports.error.too_many_entries", {"max": ENTRIES_MAX}))
    seen: set[tuple[str, int, int | None]] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"entries.{index}"
        if entry.kind not in KINDS or entry.basis not in BASES:
            problems.append((where, "reports.error.entry_kind", {"row": index}))
            continue
        unit = session.get(Unit, entry.unit_id)
        if unit is None:
            problems.append((where, "reports.error.unknown_unit", {"row": index}))
            continue
        if entry.kind == "cadre":
            cadre = session.get(Cadre, entry.cadre_id) if entry.cadre_id else None
            if cadre is None or cadre.unit_id != entry.unit_id:
                problems.append((where, "reports.error.unknown_cadre", {"row": index}))
            elif entry.basis == "office" and not cadre.active:
                problems.append((where, "reports.error.inactive_entry", {"row": index}))
        elif entry.cadre_id is not None:
            problems.append((where, "reports.error.entry_kind", {"row": index}))
        if entry.basis == "office" and not unit.active:  # a name the office adds by hand is an active one
            problems.append((where, "reports.error.inactive_entry", {"row": index}))
        key = (entry.kind, entry.unit_id, entry.cadre_id)
        if key in seen:
            problems.append((where, "reports.error.duplicate_entry", {"row": index}))
        seen.add(key)
        citation = entry.citation.strip()
        if not citation:
            problems.append((where, "reports.error.citation_required", {"row": index}))
        elif len(citation) > CITATION_MAX:
            problems.append((where, "reports.error.citation_too_long", {"row": index, "max": CITATION_MAX}))
    return problems


@permits(Action.ISSUE_REPORTS)
def save_roll(
    actor: Actor | None, *, campaign_id: int, period_kind: str, start: dt.date, end: dt.date, title: str,
    entries: list[EntryInput], publish: bool = False, engine: Engine | None = None,
) -> int:
    """Create or replace the draft roll of the period (and publish it at once with `publish`).
    A published roll is kept as issued: saving over it is refused."""
    with command(actor, Action.ISSUE_REPORTS, engine=engine) as cmd:
        session = cmd.session
        problems = _validate(session, campaign_id, period_kind, start, end, title, entries)
        if problems:
            raise ValidationFailed(problems)
        roll = cmd.watch(session.scalar(select(HonourRoll).where(
            HonourRoll.campaign_id == campaign_id, HonourRoll.start_date == start, HonourRoll.end_date == end,
        ).with_for_update()))
        if roll is not None and roll.status == PUBLISHED:
            raise ValidationFailed([("period", "reports.error.already_published", {})])
        if roll is None:
            roll = HonourRoll(campaign_id=campaign_id, start_date=start, end_date=end, created_by=cmd.actor.user_id)
            session.add(roll)
        if roll.status == WITHDRAWN:  # a new roll of the period replaces the withdrawn one (the audit log keeps both)
            roll.withdrawn_at, roll.withdrawn_reason, roll.published_at, roll.published_by = None, None, None, None
        roll.period_kind = period_kind
        roll.title = title.strip()
        roll.status = DRAFT
        roll.entries = [
            HonourEntry(kind=e.kind, unit_id=e.unit_id, cadre_id=e.cadre_id if e.kind == "cadre" else None, basis=e.basis,
                        citation=e.citation.strip(), sort_order=index)
            for index, e in enumerate(entries)
        ]
        if publish:
            roll.status = PUBLISHED
            roll.published_by = cmd.actor.user_id
            roll.published_at = utc_now()
        session.flush()
        cmd.log("honour_roll.publish" if publish else "honour_roll.save", roll, {"entries": len(entries)})
        return roll.id


def _roll(cmd: Command, roll_id: int) -> HonourRoll:
    """The roll, locked and watched for the audit row."""
    roll = cmd.watch(cmd.session.get(HonourRoll, roll_id, with_for_update=True))
    if roll is None:
        raise ValidationFailed([("roll", "reports.error.no_roll", {})])
    return roll


@permits(Action.ISSUE_REPORTS)
def publish_roll(actor: Actor | None, roll_id: int, *, engine: Engine | None = None) -> None:
    with command(actor, Action.ISSUE_REPORTS, engine=engine) as cmd:
        roll = _roll(cmd, roll_id)
        if roll.status == PUBLISHED:
            raise ValidationFailed([("roll", "reports.error.already_published", {})])
        if not roll.entries:
            raise ValidationFailed([("entries", "reports.error.no_entries", {})])
        roll.status = PUBLISHED
        roll.published_by = cmd.actor.user_id
        roll.published_at = utc_now()
        cmd.log("honour_roll.publish", roll, {"entries": len(roll.entries)})


@permits(Action.ISSUE_REPORTS)
def withdraw_roll(actor: Actor | None, roll_id: int, *, reason: str, engine: Engine | None = None) -> None:
    """Take a published roll back: it leaves the page, the presenter and later briefings (one
    already issued keeps its text), and stays listed for the office with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed([("reason", "reports.error.reason_required", {})])
    if len(reason) > REASON_MAX:
        raise ValidationFailed([("reason", "reports.error.too_long", {"max": REASON_MAX})])
    with command(actor, Action.ISSUE_REPORTS, engine=engine) as cmd:
        roll = _roll(cmd, roll_id)
        if roll.status != PUBLISHED:
            raise ValidationFailed([("roll", "reports.error.not_published", {})])
        roll.status = WITHDRAWN
        roll.withdrawn_at = utc_now()
        roll.withdrawn_reason = reason
        cmd.log("honour_roll.withdraw", roll, {"start": roll.start_date.isoformat(), "end": roll.end_date.isoformat()})


@permits(Action.ISSUE_REPORTS)
def withdrawn_rolls(actor: Actor | None, *, campaign_id: int, engine: Engine | None = None) -> list[dict[str, Any]]:
    """The office's list of rolls it withdrew, newest period first, each with when and why."""
    with read_session(engine) as session:
        rolls = session.scalars(
            select(HonourRoll).where(HonourRoll.campaign_id == campaign_id, HonourRoll.status == WITHDRAWN)
            .order_by(HonourRoll.end_date.desc(), HonourRoll.id.desc())
        ).all()
        return [_roll_dict(session, roll, actor, False) for roll in rolls]


@public_read
def is_withdrawn(roll_id: int, *, engine: Engine | None = None) -> bool:
    """Whether a roll (one a presenter snapshot froze, say) was withdrawn since."""
    with read_session(engine) as session:
        return session.scalar(select(HonourRoll.status).where(HonourRoll.id == roll_id)) == WITHDRAWN


@permits(Action.ISSUE_REPORTS)
def candidates(actor: Actor | None, *, engine: Engine | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every active unit and every active cadre (with their unit), for names the office adds by
    hand: (units, cadres), in the organization's order."""
    with read_session(engine) as session:
        units = session.execute(
            select(Unit.id, Unit.name_zh, Unit.name_en).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.id)
        ).all()
        cadres = session.execute(
            select(Cadre.id, Cadre.name, Unit.id, Unit.name_zh, Unit.name_en)
            .join(Unit, Unit.id == Cadre.unit_id)
            .where(Cadre.active.is_(True), Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id, Cadre.name, Cadre.id)
        ).all()
    return (
        [{"unit_id": unit_id, "name_zh": zh, "name_en": en} for unit_id, zh, en in units],
        [{"cadre_id": cadre_id, "name": name, "unit_id": unit_id, "unit_zh": zh, "unit_en": en} for cadre_id, name, unit_id, zh, en in cadres],
    )


def _roll_dict(session: Session, roll: HonourRoll, actor: Actor | None, hidden: bool) -> dict[str, Any]:
    entries = []
    for entry in roll.entries:
        visible = entry.kind == "unit" or may_see_names(actor, entry.unit_id, hidden)
        entries.append({
            "kind": entry.kind, "basis": entry.basis, "citation": entry.citation, "unit_id": entry.unit_id,
            "cadre_id": entry.cadre_id if visible else None,
            "unit_zh": entry.unit.name_zh, "unit_en": entry.unit.name_en,
            "name": (entry.cadre.name if entry.cadre else None) if visible else None,
        })
    return {
        "id": roll.id, "title": roll.title, "status": roll.status, "period_kind": roll.period_kind,
        "start": roll.start_date, "end": roll.end_date, "published_at": roll.published_at, "entries": entries,
        "withdrawn_at": roll.withdrawn_at, "withdrawn_reason": roll.withdrawn_reason,
    }


@public_read
def published_rolls(actor: Actor | None, *, campaign_id: int | None = None, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Every published roll, newest period first; public when the rankings are."""
    require_reader(actor)
    with read_session(engine) as session:
        query = select(HonourRoll).where(HonourRoll.status == PUBLISHED)
        if campaign_id is not None:
            query = query.where(HonourRoll.campaign_id == campaign_id)
        hidden = names_hidden_in(session)
        rolls = session.scalars(query.order_by(HonourRoll.end_date.desc(), HonourRoll.id.desc())).all()
        return [_roll_dict(session, roll, actor, hidden) for roll in rolls]


@permits(Action.ISSUE_REPORTS)
def draft_roll(actor: Actor | None, *, campaign_id: int, span: DateRange, engine: Engine | None = None) -> dict[str, Any] | None:
    """The office's roll of exactly this period, draft or published."""
    with read_session(engine) as session:
        roll = session.scalar(select(HonourRoll).where(
            HonourRoll.campaign_id == campaign_id, HonourRoll.start_date == span.start, HonourRoll.end_date == span.end,
        ))
        return _roll_dict(session, roll, actor, False) if roll is not None else None


@public_read
def rolls_within(actor: Actor | None, *, campaign_id: int, span: DateRange, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Published rolls whose period lies inside `span` (a briefing's period), newest first."""
    if actor is None:
        raise PermissionDenied("error.sign_in_required")
    return [roll for roll in published_rolls(actor, campaign_id=campaign_id, engine=engine)
            if roll["start"] >= span.start and roll["end"] <= span.end]


@public_read
def latest_roll(campaign_id: int, *, hide_names: bool, engine: Engine | None = None) -> dict[str, Any] | None:
    """The newest published roll for a shared screen (the presenter): cadres' names left out when
    the office or the screen hides names. The caller decides who may see the screen."""
    with read_session(engine) as session:
        roll = session.scalar(
            select(HonourRoll).where(HonourRoll.campaign_id == campaign_id, HonourRoll.status == PUBLISHED)
            .order_by(HonourRoll.end_date.desc(), HonourRoll.id.desc()).limit(1)
        )
        if roll is None:
            return None
        shown = _roll_dict(session, roll, None, hide_names or names_hidden_in(session))
    return {**shown, "start": shown["start"].isoformat(), "end": shown["end"].isoformat(),
            "published_at": shown["published_at"].isoformat() if shown["published_at"] else None}
