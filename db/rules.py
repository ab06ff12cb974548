"""Versioned scoring rule sets: the office edits a draft, previews it, publishes it.

Exactly one version is published at a time; publishing archives the one before it. Versions are
never changed after publication, so any period can be recomputed under any version and the
same numbers come back. Every command is for the office only, checked here, and audited.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from core.scoring import ScoringRules, validate_config
from db.access import Actor, ConflictError, ValidationFailed, require_admin
from db.audit import audit
from db.boards import catalogue_points
from db.engine import read_session, write_session
from db.models import RuleSet

NAME_MAX = 120


@dataclass(frozen=True)
class RuleSetInfo:
    id: int
    version: int
    name: str
    status: str  # draft / published / archived
    config: dict[str, Any]
    created_at: dt.datetime
    published_at: dt.datetime | None


def _info(row: RuleSet) -> RuleSetInfo:
    return RuleSetInfo(row.id, row.version, row.name, row.status, dict(row.config or {}), row.created_at, row.published_at)


def rule_sets(engine: Engine | None = None) -> list[RuleSetInfo]:
    """Every version, newest first."""
    with read_session(engine) as session:
        return [_info(row) for row in session.scalars(select(RuleSet).order_by(RuleSet.version.desc()))]


def rules_from_config(config: dict[str, Any], version: int = 0, engine: Engine | None = None) -> ScoringRules:
    """Rules from a config that may not be saved yet (to preview a draft as it is being edited)."""
    with read_session(engine) as session:
        return ScoringRules.from_config(version, config, catalogue_points(session))


def _clean(config: dict[str, Any], catalogue: dict[str, float]) -> dict[str, Any]:
    """The config as stored: validated and complete (every key written out, the catalogue's points
    where the config names none), unit caps without blanks."""
    problems = validate_config(config, catalogue)
    if problems:
        raise ValidationFailed(problems)
    unit_caps = {code: cap for code, cap in (config.get("unit_caps") or {}).items() if cap is not None}
    return ScoringRules.from_config(0, {**config, "unit_caps": unit_caps}, catalogue).to_config()


def create_draft(actor: Actor | None, *, from_version: int | None = None, engine: Engine | None = None) -> int:
    """A new draft copied from a version (the published one by default); returns its version.

    One draft at a time keeps it clear which rules are being prepared.
    """
    actor = require_admin(actor)
    try:
        with write_session(engine) as session:
            existing = session.scalar(select(RuleSet.version).where(RuleSet.status == "draft"))
            if existing is not None:
                raise ValidationFailed([("version", "rules.problem.draft_exists", {"version": existing})])
            source_query = select(RuleSet)
            if from_version is None:
                source_query = source_query.where(RuleSet.status == "published").order_by(RuleSet.version.desc())
            else:
                source_query = source_query.where(RuleSet.version == from_version)
            source = session.scalars(source_query.limit(1)).first()
            if source is None and from_version is not None:
                raise ValidationFailed([("version", "rules.problem.no_version", {"version": from_version})])
            points = catalogue_points(session)
            base = ScoringRules.from_config(0, source.config if source else {}, points)
            version = (session.scalar(select(func.max(RuleSet.version))) or 0) + 1
            draft = RuleSet(
                version=version,
                name=f"v{version}",
                status="draft",
                config=base.to_config(),
                created_by=actor.user_id,
            )
            session.add(draft)
            session.flush()
            audit(session, actor, "rules.draft", "rule_set", draft.id,
                  {"version": version, "from": source.version if source else None})
            return version
    except IntegrityError as error:  # two drafts started at the same moment
        raise ConflictError() from error


def update_draft(
    actor: Actor | None, *, version: int, name: str, config: dict[str, Any], engine: Engine | None = None
) -> None:
    """Save a draft's name and config; published and archived versions never change."""
    actor = require_admin(actor)
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(("name", "validation.required", {}))
    elif len(name) > NAME_MAX:
        problems.append(("name", "validation.too_long", {"max": NAME_MAX}))
    if problems:
        raise ValidationFailed(problems)
    with write_session(engine) as session:
        draft = session.scalar(select(RuleSet).where(RuleSet.version == version).with_for_update())
        if draft is None or draft.status != "draft":
            raise ValidationFailed([("version", "rules.problem.not_draft", {"version": version})])
        cleaned = _clean(config, catalogue_points(session))
        changed = sorted(
            f"{section}.{key}"
            for section, values in cleaned.items()
            for key, value in values.items()
            if (draft.config or {}).get(section, {}).get(key) != value
        )
        draft.name = name
        draft.config = cleaned
        audit(session, actor, "rules.update", "rule_set", draft.id, {"version": version, "changed": changed})


def publish(actor: Actor | None, *, version: int, engine: Engine | None = None) -> None:
    """Put a draft in force; the version in force until now is archived."""
    actor = require_admin(actor)
    with write_session(engine) as session:
        draft = session.scalar(select(RuleSet).where(RuleSet.version == version).with_for_update())
        if draft is None or draft.status != "draft":
            raise ValidationFailed([("version", "rules.problem.not_draft", {"version": version})])
        problems = validate_config(draft.config or {}, list(catalogue_points(session)))
        if problems:
            raise ValidationFailed(problems)
        archived = []
        for old in session.scalars(select(RuleSet).where(RuleSet.status == "published").with_for_update()):
            old.status = "archived"
            archived.append(old.version)
        draft.status = "published"
        draft.published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        audit(session, actor, "rules.publish", "rule_set", draft.id, {"version": version, "archived": archived})


def discard_draft(actor: Actor | None, *, version: int, engine: Engine | None = None) -> None:
    """Set a draft aside unpublished. It stays in the history as an archived version that was never
    in force (published_at empty), so version numbers are never reused."""
    actor = require_admin(actor)
    with write_session(engine) as session:
        draft = session.scalar(select(RuleSet).where(RuleSet.version == version).with_for_update())
        if draft is None or draft.status != "draft":
            raise ValidationFailed([("version", "rules.problem.not_draft", {"version": version})])
        draft.status = "archived"
        audit(session, actor, "rules.discard", "rule_set", draft.id, {"version": version, "name": draft.name})
