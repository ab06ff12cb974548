"""The activity catalogue (活动目录) as the office edits it: names, points, evidence rules,
active, order, and new types with their own fields, without touching code.

Every command is admin-only, validated by core.catalogue_rules, and runs through db.command
(checked, written and audited with before and after in one transaction). A type's code never changes once made: records, rules and imports
refer to it.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.catalogue_rules import TypeSpec, validate_type
from core.permissions import Action
from db.access import Actor, ValidationFailed, no_actor, permits
from db.campaigns import active_campaign
from db.catalog_defaults import AREAS, FIELD_LABELS
from db.command import command
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, CampaignActivityType


@no_actor
def field_labels(spec: dict[str, Any]) -> tuple[str, str]:
    """A field's Chinese and English label: its own (types the office made), else the built-in one."""
    built_in = FIELD_LABELS.get(spec["key"], (spec["key"], spec["key"]))
    return spec.get("label_zh") or built_in[0], spec.get("label_en") or built_in[1]


def _row(activity: ActivityType, records: int) -> dict[str, Any]:
    return {
        "id": activity.id, "code": activity.code, "name_zh": activity.name_zh, "name_en": activity.name_en,
        "area": activity.area, "level": activity.level, "default_points": activity.default_points,
        "fields": list(activity.fields or []), "photo": (activity.evidence or {}).get("photo", "none"),
        "expected_length": (activity.evidence or {}).get("expected_length"),
        "mandatory_basis": activity.mandatory_basis, "mandatory_count": activity.mandatory_count,
        "is_study": activity.is_study, "active": activity.active, "sort_order": activity.sort_order, "records": records,
    }


@permits(Action.ADMINISTER)
def catalogue(actor: Actor | None, *, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Every type, active or not, in the office's order, with how many records use it."""
    with read_session(engine) as session:
        counts = dict(session.execute(select(ActivityRecord.type_id, func.count()).group_by(ActivityRecord.type_id)).all())
        types = session.scalars(select(ActivityType).order_by(ActivityType.sort_order, ActivityType.id)).all()
        return [_row(activity, counts.get(activity.id, 0)) for activity in types]


@no_actor
def spec_of(row: dict[str, Any]) -> TypeSpec:
    """A catalogue row as the spec the editor changes."""
    names = TypeSpec.__dataclass_fields__
    return TypeSpec(**{key: value for key, value in row.items() if key in names})


def _check(session: Session, spec: TypeSpec, *, except_id: int | None) -> None:
    query = select(ActivityType.code)
    if except_id is not None:
        query = query.where(ActivityType.id != except_id)
    problems = validate_type(spec, taken_codes=set(session.scalars(query)), areas=set(AREAS), known_labels=set(FIELD_LABELS))
    if problems:
        raise ValidationFailed(problems)


def _apply(activity: ActivityType, spec: TypeSpec) -> None:
    activity.name_zh, activity.name_en = spec.name_zh.strip(), spec.name_en.strip()
    activity.area, activity.level, activity.default_points = spec.area, spec.level, float(spec.default_points)
    activity.fields = [dict(field) for field in spec.fields]
    activity.evidence = spec.evidence()
    activity.mandatory_basis = spec.mandatory_basis
    activity.mandatory_count = spec.mandatory_count if spec.mandatory_basis else 0
    activity.active, activity.sort_order = spec.active, spec.sort_order


@permits(Action.ADMINISTER)
def create_type(actor: Actor | None, spec: TypeSpec, *, add_to_current: bool = True, engine: Engine | None = None) -> int:
    """A new type; with `add_to_current` the current campaign uses it at once (entry, bulk entry,
    import templates). Study types of the gallery are the document's own, so a new type is not one."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        _check(session, spec, except_id=None)
        order = session.scalar(select(func.max(ActivityType.sort_order))) or 0
        activity = ActivityType(code=spec.code, is_study=False)
        _apply(activity, spec)
        activity.sort_order = spec.sort_order or order + 1
        session.add(activity)
        session.flush()
        campaign = active_campaign(session)
        chosen = campaign is not None and session.scalar(
            select(func.count()).where(CampaignActivityType.campaign_id == campaign.id)
        )
        # A campaign without chosen types uses every active type already; one with a list gets this one added.
        if add_to_current and chosen:
            session.add(CampaignActivityType(campaign_id=campaign.id, type_id=activity.id))
        cmd.log("catalogue.create", activity, {"campaign_id": campaign.id if add_to_current and campaign else None})
        return activity.id


@permits(Action.ADMINISTER)
def update_type(actor: Actor | None, type_id: int, spec: TypeSpec, *, engine: Engine | None = None) -> None:
    """Change a type's names, points, evidence rules, fields, order or whether it is active."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        activity = cmd.target(ActivityType, type_id, gone_key="catalogue.error.not_found")
        if spec.code != activity.code:
            raise ValidationFailed([("code", "catalogue.error.code_fixed", {})])
        _check(cmd.session, spec, except_id=type_id)
        _apply(activity, spec)
        if cmd.changed(activity):
            cmd.log("catalogue.update", activity)


@permits(Action.ADMINISTER)
def update_types(actor: Actor | None, rows: list[dict[str, Any]], *, engine: Engine | None = None) -> int:
    """The overview grid saved at once (names, points, photo rule, active, order): all or nothing.
    Returns how many types changed."""
    changed = 0
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        problems = []
        for row in rows:
            activity = cmd.target(ActivityType, row["id"], gone_key="catalogue.error.not_found")
            spec = spec_of({**_row(activity, 0), **{key: value for key, value in row.items() if key != "code"}})
            taken = set(session.scalars(select(ActivityType.code).where(ActivityType.id != activity.id)))
            found = validate_type(spec, taken_codes=taken, areas=set(AREAS), known_labels=set(FIELD_LABELS))
            problems += [(field, key, {**params, "type": activity.name_zh}) for field, key, params in found]
            if found:
                continue
            _apply(activity, spec)
            if cmd.changed(activity):
                cmd.log("catalogue.update", activity)
                changed += 1
        if problems:
            raise ValidationFailed(problems)
    return changed


@no_actor
def type_spec_dict(spec: TypeSpec) -> dict[str, Any]:
    return asdict(spec)
