"""Leaderboard queries: aggregation happens in SQL over the covering index ix_record_board.

Only approved records score. Results are small (one row per unit), so pandas only shapes them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, func, literal, select
from sqlalchemy.orm import Session

from core.scoring import ScoringRules, competition_ranks, completion_rate, per_capita
from db.engine import read_session
from db.models import ActivityRecord, ActivityType, Branch, Cadre, RuleSet, Unit


@dataclass(frozen=True)
class UnitStanding:
    unit_id: int
    name_zh: str
    name_en: str
    group_id: int | None
    headcount: int
    records: int
    points: float
    per_capita: float | None
    required: int
    done: int
    completion: float | None
    rank: int = 0


def published_rules(session: Session) -> ScoringRules:
    """The rule set in force: the newest published one, or the catalogue's defaults."""
    defaults = dict(session.execute(select(ActivityType.code, ActivityType.default_points)).all())
    rule_set = session.scalar(
        select(RuleSet).where(RuleSet.status == "published").order_by(RuleSet.version.desc()).limit(1)
    )
    if rule_set is None:
        return ScoringRules.from_config(0, {}, defaults)
    return ScoringRules.from_config(rule_set.version, rule_set.config, defaults)


def _points_by_unit(
    session: Session, campaign_id: int, start: dt.date, end: dt.date, rules: ScoringRules
) -> dict[int, tuple[int, float]]:
    """(records, capped points) per unit for approved records dated within [start, end]."""
    type_codes = dict(session.execute(select(ActivityType.id, ActivityType.code)).all())
    counted = (
        select(
            ActivityRecord.unit_id,
            ActivityRecord.type_id,
            func.count().label("n"),
        )
        .where(
            ActivityRecord.campaign_id == campaign_id,
            ActivityRecord.status == "approved",
            ActivityRecord.occurred_on.between(start, end),
        )
        .group_by(ActivityRecord.unit_id, ActivityRecord.type_id, ActivityRecord.cadre_id)
        .subquery()
    )
    points = case(
        *[
            (
                counted.c.type_id == type_id,
                case((counted.c.n > rules.cap_for(code), rules.cap_for(code)), else_=counted.c.n)
                * literal(rules.points.get(code, 0.0)),
            )
            for type_id, code in type_codes.items()
        ],
        else_=literal(0.0),
    )
    rows = session.execute(
        select(counted.c.unit_id, func.sum(counted.c.n), func.sum(points)).group_by(counted.c.unit_id)
    ).all()
    return {unit_id: (int(n), float(total or 0)) for unit_id, n, total in rows}


def _headcounts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Cadre.unit_id, func.count()).where(Cadre.active.is_(True)).group_by(Cadre.unit_id)
    ).all()
    return dict(rows)


def _completion(session: Session, campaign_id: int, end: dt.date) -> dict[int, tuple[int, int]]:
    """(done, required) per unit over the mandatory tasks, counting approved records up to `end`.

    Each task's done count is capped at what it requires, so one overachiever cannot make up for
    a colleague who has not written their report.
    """
    result: dict[int, list[int]] = {}
    mandatory = session.execute(
        select(ActivityType.id, ActivityType.mandatory_basis, ActivityType.mandatory_count).where(
            ActivityType.mandatory_basis.is_not(None), ActivityType.active.is_(True)
        )
    ).all()
    approved = and_(
        ActivityRecord.campaign_id == campaign_id,
        ActivityRecord.status == "approved",
        ActivityRecord.occurred_on <= end,
    )
    headcount = _headcounts(session)
    principals = dict(
        session.execute(
            select(Cadre.unit_id, func.count())
            .where(Cadre.active.is_(True), Cadre.is_principal.is_(True))
            .group_by(Cadre.unit_id)
        ).all()
    )
    branches = dict(
        session.execute(
            select(Branch.unit_id, func.count())
            .where(Branch.active.is_(True), Branch.kind == "branch")
            .group_by(Branch.unit_id)
        ).all()
    )
    unit_ids = session.scalars(select(Unit.id).where(Unit.active.is_(True))).all()
    for type_id, basis, count in mandatory:
        of_type = and_(approved, ActivityRecord.type_id == type_id)
        if basis == "per_cadre":
            required = headcount
            done_query = (
                select(ActivityRecord.unit_id, func.count(func.distinct(ActivityRecord.cadre_id)))
                .join(Cadre, Cadre.id == ActivityRecord.cadre_id)
                .where(of_type, Cadre.active.is_(True))
            )
        elif basis == "per_principal":
            required = principals
            done_query = (
                select(ActivityRecord.unit_id, func.count(func.distinct(ActivityRecord.cadre_id)))
                .join(Cadre, Cadre.id == ActivityRecord.cadre_id)
                .where(of_type, Cadre.is_principal.is_(True), Cadre.active.is_(True))
            )
        elif basis == "per_branch":
            required = branches
            done_query = (
                select(ActivityRecord.unit_id, func.count(func.distinct(ActivityRecord.branch_id)))
                .join(Branch, Branch.id == ActivityRecord.branch_id)
                .where(of_type, Branch.kind == "branch")
            )
        else:  # per_unit
            required = {unit_id: count for unit_id in unit_ids}
            done_query = select(ActivityRecord.unit_id, func.count()).where(of_type)
        done = dict(session.execute(done_query.group_by(ActivityRecord.unit_id)).all())
        for unit_id in unit_ids:
            need = required.get(unit_id, 0)
            totals = result.setdefault(unit_id, [0, 0])
            totals[0] += min(done.get(unit_id, 0), need)
            totals[1] += need
    return {unit_id: (done, required) for unit_id, (done, required) in result.items()}


def unit_leaderboard(
    *,
    campaign_id: int,
    start: dt.date,
    end: dt.date,
    group_id: int | None = None,
    metric: str = "per_capita",
    rules: ScoringRules | None = None,
    engine: Engine | None = None,
) -> list[UnitStanding]:
    """Units of a comparison group ranked by `metric` (points, per_capita or completion)."""
    with read_session(engine) as session:
        rules = rules or published_rules(session)
        units_query = select(Unit).where(Unit.active.is_(True), Unit.group_id.is_not(None))
        if group_id is not None:
            units_query = units_query.where(Unit.group_id == group_id)
        units = session.scalars(units_query).all()
        points = _points_by_unit(session, campaign_id, start, end, rules)
        headcount = _headcounts(session)
        completion = _completion(session, campaign_id, end)
    standings = []
    for unit in units:
        records, total = points.get(unit.id, (0, 0.0))
        done, required = completion.get(unit.id, (0, 0))
        people = headcount.get(unit.id, 0)
        standings.append(
            UnitStanding(
                unit_id=unit.id,
                name_zh=unit.name_zh,
                name_en=unit.name_en,
                group_id=unit.group_id,
                headcount=people,
                records=records,
                points=round(total, 2),
                per_capita=per_capita(total, people),
                required=required,
                done=done,
                completion=completion_rate(done, required),
            )
        )

    def sort_key(standing: UnitStanding) -> float:
        value = getattr(standing, "completion" if metric == "completion" else metric)
        return -1.0 if value is None else float(value)

    # Equal scores keep a stable, explainable order: by name, so a tie never looks arbitrary.
    standings.sort(key=lambda s: (-sort_key(s), s.name_zh))
    ranks = competition_ranks(standings, lambda s: round(sort_key(s), 6))
    return [
        UnitStanding(**{**standing.__dict__, "rank": rank}) for standing, rank in zip(standings, ranks, strict=True)
    ]


def rules_version(engine: Engine | None = None) -> int:
    with read_session(engine) as session:
        return published_rules(session).version
