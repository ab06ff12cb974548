"""Two ways to get the board's points without the app, to put its time in proportion.

floor: the fewest hand-written SQL statements that give every unit's points for a period (the
per-person and per-unit caps and the three bonuses, a featured note on the day it was featured),
each driven from the index that suits it.
naive: what an analyst would write in pandas: read the period's approved records and the bonus
rows into frames and group them.

Both must give the app's figures exactly (checked before anything is timed).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text

from core.clock import office_to_utc
from core.enums import RecordStatus
from core.ledgers import BONUS_STATUSES
from core.scoring import ScoringRules

APPROVED = RecordStatus.APPROVED.value
_BONUS_SQL = {
    "featured_note": (
        # CROSS JOIN: SQLite then walks the featured index first and looks up each record.
        "SELECT r.unit_id, count(*) FROM study_record s CROSS JOIN activity_record r "
        "WHERE r.id = s.record_id AND s.featured = :yes AND s.featured_at >= :featured_from AND s.featured_at < :featured_until "
        "AND r.campaign_id = :campaign AND r.status = :approved GROUP BY r.unit_id"
    ),
    "adopted_suggestion": (
        "SELECT unit_id, count(*) FROM suggestion WHERE status IN (:adopted, :partial) "
        "AND adopted_on BETWEEN :start AND :end GROUP BY unit_id"
    ),
    "solved_problem": "SELECT unit_id, count(*) FROM problem WHERE solved_on BETWEEN :start AND :end GROUP BY unit_id",
}


def _type_rules(engine: Engine, rules: ScoringRules) -> list[tuple[int, int, int, float]]:
    """(type id, per-person cap, per-unit cap or -1, points) of every activity type."""
    with engine.connect() as connection:
        codes = connection.execute(text("SELECT id, code FROM activity_type")).all()
    return [(type_id, rules.cap_for(code), rules.unit_cap_for(code) or -1, rules.points.get(code, 0.0)) for type_id, code in codes]


def _parameters(campaign_id: int, start: dt.date, end: dt.date) -> dict:
    """A featured note counts on the office day it was featured (featured_at is UTC)."""
    adopted, partial = (status.value for status in BONUS_STATUSES)
    return {"campaign": campaign_id, "approved": APPROVED, "start": start, "end": end, "yes": True,
            "adopted": adopted, "partial": partial,
            "featured_from": office_to_utc(dt.datetime.combine(start, dt.time())),
            "featured_until": office_to_utc(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))}


def floor_points(engine: Engine, rules: ScoringRules, campaign_id: int, start: dt.date, end: dt.date) -> dict[int, float]:
    """Every unit's points for [start, end] in four statements."""
    type_rules = _type_rules(engine, rules)
    caps = ", ".join(f"({type_id}, {cap}, {unit_cap}, {points!r})" for type_id, cap, unit_cap, points in type_rules)
    activity = text(
        "WITH per AS (SELECT unit_id, type_id, cadre_id, count(*) AS n FROM activity_record "
        "  WHERE campaign_id = :campaign AND status = :approved AND occurred_on BETWEEN :start AND :end "
        "  GROUP BY unit_id, type_id, cadre_id), "
        f"caps(type_id, cap, unit_cap, points) AS (VALUES {caps}), "
        "typed AS (SELECT per.unit_id, per.type_id, sum(CASE WHEN per.n > caps.cap THEN caps.cap ELSE per.n END) AS counted "
        "  FROM per JOIN caps ON caps.type_id = per.type_id GROUP BY per.unit_id, per.type_id) "
        "SELECT typed.unit_id, sum(CASE WHEN caps.unit_cap >= 0 AND typed.counted > caps.unit_cap "
        "  THEN caps.unit_cap ELSE typed.counted END * caps.points) "
        "FROM typed JOIN caps ON caps.type_id = typed.type_id GROUP BY typed.unit_id"
    )
    parameters = _parameters(campaign_id, start, end)
    points: dict[int, float] = {}
    with engine.connect() as connection:
        for unit_id, value in connection.execute(activity, parameters):
            points[unit_id] = float(value)
        for kind, sql in _BONUS_SQL.items():
            for unit_id, count in connection.execute(text(sql), parameters):
                if unit_id is not None:
                    points[unit_id] = points.get(unit_id, 0.0) + count * rules.bonuses.get(kind, 0.0)
    return {unit_id: round(value, 2) for unit_id, value in points.items()}


def naive_points(engine: Engine, rules: ScoringRules, campaign_id: int, start: dt.date, end: dt.date) -> dict[int, float]:
    """Every unit's points for [start, end], computed in pandas from the rows."""
    parameters = _parameters(campaign_id, start, end)
    type_rules = pd.DataFrame(_type_rules(engine, rules), columns=["type_id", "cap", "unit_cap", "points"])
    with engine.connect() as connection:
        records = pd.read_sql(
            text("SELECT id, unit_id, type_id, cadre_id, occurred_on, status FROM activity_record WHERE campaign_id = :campaign"),
            connection, params=parameters,
        )
        featured = pd.read_sql(text("SELECT record_id, featured_at FROM study_record WHERE featured = :yes"), connection, params=parameters)
        suggestions = pd.read_sql(text("SELECT unit_id, status, adopted_on FROM suggestion"), connection)
        problems = pd.read_sql(text("SELECT unit_id, solved_on FROM problem"), connection)
    records["occurred_on"] = pd.to_datetime(records["occurred_on"]).dt.date
    shown = records[(records["status"] == APPROVED) & (records["occurred_on"] >= start) & (records["occurred_on"] <= end)]
    per = shown.groupby(["unit_id", "type_id", "cadre_id"], dropna=False).size().rename("n").reset_index()
    per = per.merge(type_rules, on="type_id")
    per["counted"] = per[["n", "cap"]].min(axis=1)
    typed = per.groupby(["unit_id", "type_id"], as_index=False)["counted"].sum().merge(type_rules, on="type_id")
    typed["counted"] = typed["counted"].where((typed["unit_cap"] < 0) | (typed["counted"] <= typed["unit_cap"]), typed["unit_cap"])
    typed["value"] = typed["counted"] * typed["points"]
    totals = typed.groupby("unit_id")["value"].sum()

    featured_at = pd.to_datetime(featured["featured_at"])
    in_period = featured[(featured_at >= parameters["featured_from"]) & (featured_at < parameters["featured_until"])]
    approved = records[records["status"] == APPROVED]
    featured_units = approved[approved["id"].isin(in_period["record_id"])].groupby("unit_id").size()
    adopted_on = pd.to_datetime(suggestions["adopted_on"]).dt.date
    adopted = suggestions[suggestions["status"].isin([parameters["adopted"], parameters["partial"]])
                          & adopted_on.between(start, end)].groupby("unit_id").size()
    solved_on = pd.to_datetime(problems["solved_on"]).dt.date
    solved = problems[solved_on.between(start, end)].groupby("unit_id").size()
    for kind, counts in (("featured_note", featured_units), ("adopted_suggestion", adopted), ("solved_problem", solved)):
        totals = totals.add(counts * rules.bonuses.get(kind, 0.0), fill_value=0.0)
    return {int(unit_id): round(float(value), 2) for unit_id, value in totals.items()}
