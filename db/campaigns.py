"""Campaigns (活动): which one is current, create and edit them, close one, start the next.

"Current campaign" is decided in ONE place, `active_campaign`: among the open campaigns, the
one started most recently on or before the office's today; before any has started, the one
starting soonest (core.campaign_rules.pick_current). Entry, imports and review work in it;
boards, the gallery and the presenter show it unless someone picks another.

A closed campaign (active = false) is read-only: `ensure_open` refuses every write to its
records (entry, review, likes, ratings, imports) and to its settings; it stays browsable.
Units, people, the catalogue and the scoring rules are global, so the next campaign finds them
as they are; it copies the types and targets of the one it follows.

Every command is admin-only, validates, writes and audits (with before/after) in one transaction.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from core.campaign_rules import (
    CampaignSpec,
    PeriodSpec,
    TargetSpec,
    generate_periods,
    pick_current,
    shift_date,
    validate_campaign,
    validate_periods,
    validate_targets,
)
from core.clock import office_today, utc_now
from core.permissions import Action
from db.access import Actor, PermissionDenied, ValidationFailed, in_transaction, permits, public_read
from db.command import Command, command, snapshot
from db.engine import read_session
from db.models import ActivityType, Campaign, CampaignActivityType, CampaignTarget, Period, SurveyScore
from db.targets import campaign_targets, default_targets


@dataclass(frozen=True)
class CampaignChoice:
    """A campaign as the boards' selector offers it."""

    id: int
    name_zh: str
    name_en: str
    start_date: dt.date
    end_date: dt.date
    closed: bool
    current: bool


# --- which campaign, and may it be written -----------------------------------------------------


@in_transaction
def active_campaign(session: Session, today: dt.date | None = None) -> Campaign | None:
    """THE current campaign (see the module's docstring); None when no campaign is open."""
    open_ones = session.scalars(select(Campaign).where(Campaign.active.is_(True))).all()
    return pick_current(open_ones, today or office_today())


@in_transaction
def browsed_campaign(session: Session, campaign_id: int | None = None) -> Campaign | None:
    """The campaign a board, the gallery or the presenter shows: the one chosen, else the current
    one, else (every campaign closed) the newest, so closed campaigns stay browsable."""
    if campaign_id is not None:
        chosen = session.get(Campaign, campaign_id)
        if chosen is not None:
            return chosen
    return active_campaign(session) or session.scalar(
        select(Campaign).order_by(Campaign.start_date.desc(), Campaign.id.desc()).limit(1)
    )


@in_transaction
def ensure_open(session: Session, campaign_id: int) -> Campaign:
    """The campaign, if it is still open; a closed one refuses every write to it."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise PermissionDenied("campaign.error.not_found")
    if not campaign.active:
        raise PermissionDenied("campaign.error.closed")
    return campaign


@in_transaction
def campaign_type_ids(session: Session, campaign_id: int) -> set[int]:
    """The activity types the campaign uses. A campaign for which none were chosen (one made
    before types could be chosen, or the demo's) uses every active type."""
    chosen = set(session.scalars(select(CampaignActivityType.type_id).where(CampaignActivityType.campaign_id == campaign_id)))
    if chosen:
        return chosen
    return set(session.scalars(select(ActivityType.id).where(ActivityType.active.is_(True))))


@public_read
def campaign_choices(engine: Engine | None = None) -> list[CampaignChoice]:
    """Every campaign, the current one first, then the others newest first."""
    with read_session(engine) as session:
        current = active_campaign(session)
        rows = session.scalars(select(Campaign).order_by(Campaign.start_date.desc(), Campaign.id.desc())).all()
        choices = [
            CampaignChoice(c.id, c.name_zh, c.name_en, c.start_date, c.end_date, closed=not c.active,
                           current=current is not None and c.id == current.id)
            for c in rows
        ]
    return sorted(choices, key=lambda choice: not choice.current)


@public_read
def current_type_codes(engine: Engine | None = None) -> set[str]:
    """Codes of the types the current campaign uses: what entry forms and imports offer."""
    with read_session(engine) as session:
        campaign = active_campaign(session)
        if campaign is None:
            return set()
        ids = campaign_type_ids(session, campaign.id)
        return set(session.scalars(select(ActivityType.code).where(ActivityType.id.in_(ids), ActivityType.active.is_(True))))


# --- the editor's view of one campaign ----------------------------------------------------------


def _spec_dict(campaign: Campaign) -> dict[str, Any]:
    return {
        "code": campaign.code, "name_zh": campaign.name_zh, "name_en": campaign.name_en,
        "start_date": campaign.start_date.isoformat(), "end_date": campaign.end_date.isoformat(),
        "young_born_from": campaign.young_born_from, "active": campaign.active,
    }


def _periods(session: Session, campaign_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Period).where(Period.campaign_id == campaign_id).order_by(Period.kind, Period.start_date)
    ).all()
    return [{"id": p.id, "kind": p.kind, "label": p.label, "start_date": p.start_date, "end_date": p.end_date} for p in rows]


def _targets(session: Session, campaign_id: int) -> list[dict[str, Any]]:
    return [
        {"type_id": t.type_id, "basis": t.basis, "count": t.count, "due_on": t.due_on, "weight": t.weight}
        for t in campaign_targets(session, campaign_id)
    ]


@permits(Action.ADMINISTER)
def campaign_detail(actor: Actor | None, campaign_id: int, *, engine: Engine | None = None) -> dict[str, Any]:
    """Everything the 活动设置 page edits: the campaign, its periods, types and targets."""
    with read_session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise PermissionDenied("campaign.error.not_found")
        return {
            "id": campaign.id, **_spec_dict(campaign), "start_date": campaign.start_date, "end_date": campaign.end_date,
            "closed_at": campaign.closed_at, "periods": _periods(session, campaign_id),
            "type_ids": sorted(campaign_type_ids(session, campaign_id)), "targets": _targets(session, campaign_id),
        }


# --- commands -----------------------------------------------------------------------------------


def _clean_spec(spec: CampaignSpec) -> CampaignSpec:
    return CampaignSpec(
        code=(spec.code or "").strip(), name_zh=(spec.name_zh or "").strip(), name_en=(spec.name_en or "").strip(),
        start_date=spec.start_date, end_date=spec.end_date, young_born_from=spec.young_born_from,
    )


def _taken_codes(session: Session, except_id: int | None = None) -> list[str]:
    query = select(Campaign.code)
    if except_id is not None:
        query = query.where(Campaign.id != except_id)
    return list(session.scalars(query))


def _active_type_ids(session: Session, type_ids: Sequence[int]) -> set[int]:
    return set(session.scalars(select(ActivityType.id).where(ActivityType.id.in_(list(type_ids)), ActivityType.active.is_(True))))


def _check_types(session: Session, type_ids: Sequence[int]) -> list[tuple[str, str, dict]]:
    if not type_ids:
        return [("type_ids", "campaign.error.no_types", {})]
    if _active_type_ids(session, type_ids) != set(type_ids):
        return [("type_ids", "campaign.error.unknown_type", {})]
    return []


def _write_types(session: Session, campaign_id: int, type_ids: Sequence[int]) -> None:
    session.execute(delete(CampaignActivityType).where(CampaignActivityType.campaign_id == campaign_id))
    session.add_all(CampaignActivityType(campaign_id=campaign_id, type_id=type_id) for type_id in sorted(set(type_ids)))


def _write_targets(session: Session, campaign_id: int, targets: Sequence[TargetSpec]) -> None:
    """Targets matched by type: kept rows are updated, so anything pointing at them stays valid."""
    existing = {row.type_id: row for row in session.scalars(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id))}
    wanted = {target.type_id for target in targets}
    for type_id, row in existing.items():
        if type_id not in wanted:
            session.delete(row)
    session.flush()
    for order, target in enumerate(targets):
        row = existing.get(target.type_id) or CampaignTarget(campaign_id=campaign_id, type_id=target.type_id)
        row.basis, row.count, row.due_on, row.weight, row.sort_order = target.basis, target.count, target.due_on, target.weight, order
        session.add(row)


def _target_dicts(targets: Sequence[TargetSpec]) -> list[dict[str, Any]]:
    return [{**asdict(target), "due_on": target.due_on.isoformat() if target.due_on else None} for target in targets]


@permits(Action.ADMINISTER)
def create_campaign(
    actor: Actor | None,
    spec: CampaignSpec,
    *,
    type_ids: Sequence[int] | None = None,
    targets: Sequence[TargetSpec] | None = None,
    engine: Engine | None = None,
) -> int:
    """A new campaign with its months and quarters; its types (every active one unless chosen)
    and its mandatory targets (the catalogue's defaults, due at its end, unless given)."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        chosen = list(type_ids) if type_ids is not None else sorted(cmd.session.scalars(select(ActivityType.id).where(ActivityType.active.is_(True))))
        campaign = _create(cmd, _clean_spec(spec), chosen, targets)
        return campaign.id


def _create(cmd: Command, spec: CampaignSpec, type_ids: Sequence[int], targets: Sequence[TargetSpec] | None) -> Campaign:
    session = cmd.session
    problems = validate_campaign(spec, _taken_codes(session))
    problems += _check_types(session, type_ids)
    if not problems and targets is not None:
        problems += validate_targets(targets, spec.start_date, spec.end_date, type_ids)
    if problems:
        raise ValidationFailed(problems)
    campaign = Campaign(
        code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en, start_date=spec.start_date,
        end_date=spec.end_date, young_born_from=spec.young_born_from, active=True,
    )
    session.add(campaign)
    session.flush()
    session.add_all(Period(campaign_id=campaign.id, **asdict(period)) for period in generate_periods(spec.start_date, spec.end_date))
    _write_types(session, campaign.id, type_ids)
    if targets is None:
        default_targets(session, campaign, type_ids=set(type_ids))
    else:
        _write_targets(session, campaign.id, targets)
    session.flush()
    # The campaign with the types and targets that came with it, one row in the trail.
    cmd.log("campaign.create", campaign, {
        "after": {**snapshot(campaign), "type_ids": sorted(set(type_ids)), "targets": _target_dicts(_specs_of(session, campaign.id))},
    })
    return campaign


def _specs_of(session: Session, campaign_id: int) -> list[TargetSpec]:
    return [TargetSpec(t.type_id, t.basis, t.count, t.due_on, t.weight) for t in campaign_targets(session, campaign_id)]


@permits(Action.ADMINISTER)
def update_campaign(actor: Actor | None, campaign_id: int, spec: CampaignSpec, *, engine: Engine | None = None) -> None:
    """Change names, code, dates or the young-cadre year of an open campaign. Its periods and
    targets must still fit the new dates (the page offers to regenerate the periods)."""
    spec = _clean_spec(spec)
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        campaign = cmd.watch(ensure_open(session, campaign_id))
        problems = validate_campaign(spec, _taken_codes(session, except_id=campaign_id))
        if not problems:
            periods = [PeriodSpec(p["kind"], p["label"], p["start_date"], p["end_date"]) for p in _periods(session, campaign_id)]
            problems += validate_periods(periods, spec.start_date, spec.end_date)
            problems += validate_targets(_specs_of(session, campaign_id), spec.start_date, spec.end_date, campaign_type_ids(session, campaign_id))
        if problems:
            raise ValidationFailed(problems)
        campaign.code, campaign.name_zh, campaign.name_en = spec.code, spec.name_zh, spec.name_en
        campaign.start_date, campaign.end_date, campaign.young_born_from = spec.start_date, spec.end_date, spec.young_born_from
        cmd.log("campaign.update", campaign)


@permits(Action.ADMINISTER)
def set_periods(
    actor: Actor | None, campaign_id: int, periods: Sequence[dict[str, Any]], *, engine: Engine | None = None
) -> None:
    """Replace the campaign's periods with these rows (each with `id` when it is an existing one).
    A period that survey results refer to cannot be removed."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        campaign = ensure_open(session, campaign_id)
        specs = [PeriodSpec(p["kind"], str(p["label"] or "").strip(), p["start_date"], p["end_date"]) for p in periods]
        problems = validate_periods(specs, campaign.start_date, campaign.end_date)
        existing = {p.id: p for p in session.scalars(select(Period).where(Period.campaign_id == campaign_id))}
        kept = {p.get("id") for p in periods if p.get("id") in existing}
        removed = [ident for ident in existing if ident not in kept]
        used = set(session.scalars(select(SurveyScore.period_id).where(SurveyScore.period_id.in_(removed)))) if removed else set()
        problems += [("periods", "campaign.error.period_in_use", {"label": existing[ident].label}) for ident in sorted(used)]
        if problems:
            raise ValidationFailed(problems)
        before = [{"kind": p.kind, "label": p.label} for p in existing.values()]
        for ident in removed:
            session.delete(existing[ident])
        session.flush()
        for row, spec in zip(periods, specs, strict=True):
            period = existing.get(row.get("id")) or Period(campaign_id=campaign_id)
            period.kind, period.label, period.start_date, period.end_date = spec.kind, spec.label, spec.start_date, spec.end_date
            session.add(period)
        cmd.audit("campaign.periods", "campaign", campaign_id, {
            "before": before, "after": [{"kind": s.kind, "label": s.label, "start": s.start_date.isoformat(), "end": s.end_date.isoformat()} for s in specs],
        })


@permits(Action.ADMINISTER)
def regenerate_periods(actor: Actor | None, campaign_id: int, *, engine: Engine | None = None) -> None:
    """Months and quarters made again from the campaign's dates; periods with the same label keep
    their identity (and the survey results that refer to them)."""
    with read_session(engine) as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise PermissionDenied("campaign.error.not_found")
        by_label = {(p["kind"], p["label"]): p["id"] for p in _periods(session, campaign_id)}
        fresh = generate_periods(campaign.start_date, campaign.end_date)
    set_periods(actor, campaign_id, [{"id": by_label.get((p.kind, p.label)), **asdict(p)} for p in fresh], engine=engine)


@permits(Action.ADMINISTER)
def set_types_and_targets(
    actor: Actor | None,
    campaign_id: int,
    *,
    type_ids: Sequence[int],
    targets: Sequence[TargetSpec],
    engine: Engine | None = None,
) -> None:
    """Which types the campaign uses and its mandatory targets, saved together so a target
    never points at a type the campaign does not use."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        campaign = ensure_open(session, campaign_id)
        problems = _check_types(session, type_ids)
        problems += validate_targets(targets, campaign.start_date, campaign.end_date, type_ids)
        if problems:
            raise ValidationFailed(problems)
        before = {"type_ids": sorted(campaign_type_ids(session, campaign_id)), "targets": _target_dicts(_specs_of(session, campaign_id))}
        _write_types(session, campaign_id, type_ids)
        _write_targets(session, campaign_id, targets)
        session.flush()
        cmd.audit("campaign.targets", "campaign", campaign_id, {
            "before": before, "after": {"type_ids": sorted(set(type_ids)), "targets": _target_dicts(targets)},
        })


@permits(Action.ADMINISTER)
def close_campaign(actor: Actor | None, campaign_id: int, *, engine: Engine | None = None) -> None:
    """结束活动: from now on the campaign and its records are read-only; its boards stay."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        campaign = cmd.watch(ensure_open(cmd.session, campaign_id))
        campaign.active = False
        campaign.closed_at = utc_now()
        cmd.log("campaign.close", campaign)


@permits(Action.ADMINISTER)
def reopen_campaign(actor: Actor | None, campaign_id: int, *, engine: Engine | None = None) -> None:
    """Undo a close made by mistake: the campaign is writable again."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        campaign = cmd.watch(cmd.session.get(Campaign, campaign_id))
        if campaign is None:
            raise PermissionDenied("campaign.error.not_found")
        if campaign.active:
            raise ValidationFailed([("active", "campaign.error.already_open", {})])
        campaign.active = True
        campaign.closed_at = None
        cmd.log("campaign.reopen", campaign)


@permits(Action.ADMINISTER)
def start_next_campaign(
    actor: Actor | None, from_campaign_id: int, spec: CampaignSpec, *, engine: Engine | None = None
) -> int:
    """The next stage: a new campaign with its own dates and periods, the same types (those still
    active), and the same targets with their due dates moved to the same place in the new dates.
    The campaign it follows is not changed."""
    spec = _clean_spec(spec)
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        source = session.get(Campaign, from_campaign_id)
        if source is None:
            raise PermissionDenied("campaign.error.not_found")
        type_ids = sorted(_active_type_ids(session, list(campaign_type_ids(session, from_campaign_id))))
        targets: list[TargetSpec] = []
        if spec.start_date is not None and spec.end_date is not None and spec.end_date >= spec.start_date:
            targets = [
                TargetSpec(t.type_id, t.basis, t.count, shift_date(t.due_on, source.start_date, spec.start_date, spec.end_date), t.weight)
                for t in _specs_of(session, from_campaign_id) if t.type_id in type_ids
            ]
        campaign = _create(cmd, spec, type_ids, targets)
        cmd.audit("campaign.start_next", "campaign", campaign.id, {"from_campaign_id": from_campaign_id})
        return campaign.id
