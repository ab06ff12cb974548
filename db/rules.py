"""Versioned scoring rule sets: the office edits a draft, previews it, publishes it.

Publishing puts a draft in force from an effective date (an office date, today by default, never
before the version in force's); the newest published version is "published", the ones before it
archived. Each period is scored by the versions in force during it (db.boards.rules_in_force),
so publishing never rewrites a period already past. Versions are never changed after
publication, so any period can be recomputed under any version as a what-if. A draft set aside
unpublished has no effective date: it was never in force and is no part of the history the
boards offer. Every command is for the office only, checked here, and audited.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from core.clock import office_today, utc_now
from core.enums import RuleSetStatus
from core.permissions import Action
from core.scoring import ScoringRules, validate_config
from db.access import Actor, ValidationFailed, no_actor, permits, public_read
from db.boards import catalogue_points
from db.command import Command, command
from db.engine import read_session
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
    effective_from: dt.date | None = None  # None: never in force (a draft, or one set aside)

    @property
    def discarded(self) -> bool:
        """Set aside without being published: not history, offered nowhere."""
        return self.status != RuleSetStatus.DRAFT and self.effective_from is None


@dataclass(frozen=True)
class VersionSpan:
    """When a version was (or will be) in force, in office dates; start None for the first
    version (in force for everything before the next), end None for the newest."""

    version: int
    start: dt.date | None
    end: dt.date | None

    @property
    def superseded(self) -> bool:
        """Replaced on its own effective date: never in force for a single day."""
        return self.start is not None and self.end is not None and self.end < self.start

    def covers(self, day: dt.date) -> bool:
        return not self.superseded and (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _info(row: RuleSet) -> RuleSetInfo:
    return RuleSetInfo(
        row.id, row.version, row.name, row.status, dict(row.config or {}), row.created_at, row.published_at,
        row.effective_from,
    )


@public_read
def rule_sets(engine: Engine | None = None) -> list[RuleSetInfo]:
    """Every version, newest first."""
    with read_session(engine) as session:
        return [_info(row) for row in session.scalars(select(RuleSet).order_by(RuleSet.version.desc()))]


@no_actor
def version_spans(versions: list[RuleSetInfo]) -> dict[int, VersionSpan]:
    """Each version that was put in force, with its span (the same reading as db.boards.rules_in_force)."""
    dated = sorted((info for info in versions if info.effective_from is not None), key=lambda i: (i.effective_from, i.version))
    spans = {}
    for index, info in enumerate(dated):
        following = dated[index + 1].effective_from if index + 1 < len(dated) else None
        spans[info.version] = VersionSpan(
            info.version, None if index == 0 else info.effective_from,
            following - dt.timedelta(days=1) if following is not None else None,
        )
    return spans


@no_actor
def standing(info: RuleSetInfo, span: VersionSpan | None, today: dt.date) -> str:
    """Where a version stands on `today`: draft, discarded, published (in force), scheduled or archived."""
    if info.status == RuleSetStatus.DRAFT or info.discarded or span is None:
        return RuleSetStatus.DRAFT if info.status == RuleSetStatus.DRAFT else RuleSetStatus.DISCARDED
    if span.covers(today):
        return RuleSetStatus.PUBLISHED
    return "scheduled" if span.start is not None and span.start > today else RuleSetStatus.ARCHIVED


@no_actor
def in_force_on(versions: list[RuleSetInfo], day: dt.date) -> RuleSetInfo | None:
    """The version in force on a day (None before any version was published)."""
    spans = version_spans(versions)
    return next((info for info in versions if info.version in spans and spans[info.version].covers(day)), None)


@public_read
def what_if_versions(actor: Actor | None, engine: Engine | None = None) -> list[RuleSetInfo]:
    """The versions a viewer may preview a board under, newest first: none for someone not signed
    in (a public board shows the ranking only); every version that was ever in force for anyone
    signed in; the draft as well for the office. Drafts set aside are never offered."""
    if actor is None:
        return []
    return [
        info for info in rule_sets(engine)
        if info.effective_from is not None or (info.status == RuleSetStatus.DRAFT and actor.is_admin)
    ]


@dataclass(frozen=True)
class RuleChange:
    """One difference between two versions: section (points, caps, unit_caps, bonuses, weights,
    effective_from), the item (a type code, bonus kind or component; empty for the date), and the
    values before and after (None: not set)."""

    section: str
    item: str
    before: Any
    after: Any


@no_actor
def rules_diff(
    before: dict[str, Any], after: dict[str, Any], *, since: dt.date | None = None, effective_from: dt.date | None = None
) -> list[RuleChange]:
    """What a version changes against another (configs as stored), in the configs' order, the
    effective date first."""
    changes = [RuleChange("effective_from", "", since, effective_from)] if since != effective_from else []
    for section in ("points", "caps", "unit_caps", "bonuses", "weights"):
        old, new = before.get(section) or {}, after.get(section) or {}
        for item in list(new) + [key for key in old if key not in new]:
            if old.get(item) != new.get(item):
                changes.append(RuleChange(section, item, old.get(item), new.get(item)))
    return changes


@no_actor
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


@permits(Action.ADMINISTER)
def create_draft(actor: Actor | None, *, from_version: int | None = None, engine: Engine | None = None) -> int:
    """A new draft copied from a version (the published one by default); returns its version.

    One draft at a time keeps it clear which rules are being prepared.
    """
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:  # two drafts begun at once: the second gets DuplicateWrite, a ConflictError
        session = cmd.session
        existing = session.scalar(select(RuleSet.version).where(RuleSet.status == RuleSetStatus.DRAFT))
        if existing is not None:
            raise ValidationFailed([("version", "rules.problem.draft_exists", {"version": existing})])
        source_query = select(RuleSet)
        if from_version is None:
            source_query = source_query.where(RuleSet.status == RuleSetStatus.PUBLISHED).order_by(RuleSet.version.desc())
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
            status=RuleSetStatus.DRAFT,
            config=base.to_config(),
            created_by=cmd.actor.user_id,
        )
        session.add(draft)
        cmd.log("rules.draft", draft, {"from": source.version if source else None})
        return version


def _draft(cmd: Command, version: int) -> RuleSet:
    """The draft of this version, locked and watched for the audit row; any other version is refused."""
    draft = cmd.session.scalar(select(RuleSet).where(RuleSet.version == version).with_for_update())
    if draft is None or draft.status != RuleSetStatus.DRAFT:
        raise ValidationFailed([("version", "rules.problem.not_draft", {"version": version})])
    return cmd.watch(draft)


@permits(Action.ADMINISTER)
def update_draft(
    actor: Actor | None, *, version: int, name: str, config: dict[str, Any], engine: Engine | None = None
) -> None:
    """Save a draft's name and config; published and archived versions never change."""
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(("name", "validation.required", {}))
    elif len(name) > NAME_MAX:
        problems.append(("name", "validation.too_long", {"max": NAME_MAX}))
    if problems:
        raise ValidationFailed(problems)
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        draft = _draft(cmd, version)
        cleaned = _clean(config, catalogue_points(cmd.session))
        changed = sorted(
            f"{section}.{key}"
            for section, values in cleaned.items()
            for key, value in values.items()
            if (draft.config or {}).get(section, {}).get(key) != value
        )
        draft.name = name
        draft.config = cleaned
        cmd.log("rules.update", draft, {"version": version, "changed": changed})


@permits(Action.ADMINISTER)
def publish(
    actor: Actor | None, *, version: int, effective_from: dt.date | None = None, engine: Engine | None = None
) -> None:
    """Put a draft in force from `effective_from` (the office's today by default), never before
    the latest version's date; the version published until now is archived, and stays in force
    for every day before that date."""
    effective_from = effective_from or office_today()
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        session = cmd.session
        draft = _draft(cmd, version)
        problems = validate_config(draft.config or {}, list(catalogue_points(session)))
        latest = session.scalar(select(func.max(RuleSet.effective_from)))
        if latest is not None and effective_from < latest:
            problems.append(("effective_from", "rules.problem.effective_too_early", {"date": latest.isoformat()}))
        if problems:
            raise ValidationFailed(problems)
        archived = []
        for old in session.scalars(select(RuleSet).where(RuleSet.status == RuleSetStatus.PUBLISHED).with_for_update()):
            old.status = RuleSetStatus.ARCHIVED
            archived.append(old.version)
        draft.status = RuleSetStatus.PUBLISHED
        draft.published_at = utc_now()
        draft.effective_from = effective_from
        cmd.log("rules.publish", draft, {"version": version, "archived": archived})


@permits(Action.ADMINISTER)
def discard_draft(actor: Actor | None, *, version: int, engine: Engine | None = None) -> None:
    """Set a draft aside unpublished. The row stays (archived, with no effective date: never in
    force), so version numbers are never reused, but it is no part of the history boards offer."""
    with command(actor, Action.ADMINISTER, engine=engine) as cmd:
        draft = _draft(cmd, version)
        draft.status = RuleSetStatus.ARCHIVED
        cmd.log("rules.discard", draft, {"version": version, "name": draft.name})
