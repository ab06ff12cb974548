"""What the meeting-room screen shows, as plain data (JSON-ready, so a snapshot can freeze it)."""
from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from core.clock import utc_now
from core.periods import DateRange, period_range
from core.permissions import Action
from core.presenter import PresenterSettings
from db import gallery, honours, people_boards
from db.access import Actor, ValidationFailed, no_actor, permits, public_read
from db.boards import UnitStanding, unit_board
from db.command import command
from db.engine import read_session
from db.models import ActivityType, Cadre, PresenterSnapshot, Problem, RecordCadreTally, RecordUnitMonthTally
from db.reference import CampaignInfo, active_groups

CLIMBERS_SHOWN = 6
SNAPSHOT_NAME_MAX = 120


def _row(standing: UnitStanding) -> dict[str, Any]:
    return {
        "unit_id": standing.unit_id,
        "name_zh": standing.name_zh,
        "name_en": standing.name_en,
        "rank": standing.rank,
        "previous_rank": standing.previous_rank,
        # Positive: places gained since the previous period (DateRange.previous).
        "change": standing.rank_change,
        "points": standing.points,
        "per_capita": standing.per_capita,
        "completion": standing.completion,
        "done": standing.done,
        "required": standing.required,
        "headcount": standing.headcount,
    }


def _groups(engine: Engine | None, codes: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[str]]:
    """The chosen comparison groups in the order asked for, and the codes no group has.

    Only an address that names no group gets the first group; a mistyped code is reported, never
    replaced by another group the audience would take for the one asked for.
    """
    with read_session(engine) as session:
        groups = active_groups(session)
    by_code = {group.code: group for group in groups}
    chosen = [by_code[code] for code in codes if code in by_code] if codes else list(groups[:1])
    unknown = [code for code in codes if code not in by_code]
    return [{"id": group.id, "code": group.code, "name_zh": group.name_zh, "name_en": group.name_en} for group in chosen], unknown


@no_actor
def unknown_group_codes(codes: tuple[str, ...], engine: Engine | None = None) -> list[str]:
    """The codes in an address that name no comparison group (for the setup page's warning)."""
    return _groups(engine, codes)[1]


@public_read
def group_board(
    campaign: CampaignInfo, group_id: int, span: DateRange, metric: str, engine: Engine | None = None
) -> list[dict[str, Any]]:
    board = unit_board(
        campaign_id=campaign.id, start=span.start, end=span.end, group_id=group_id, metric=metric, engine=engine
    )
    return [_row(standing) for standing in board.standings]


@public_read
def climbers(campaign: CampaignInfo, today: dt.date, engine: Engine | None = None) -> list[dict[str, Any]]:
    """The units that gained most places in their group this week, by points, best first."""
    week = period_range("week", today, campaign.start_date, campaign.end_date)
    rows: list[dict[str, Any]] = []
    with read_session(engine) as session:
        shown = active_groups(session)
        group_ids = [group.id for group in shown]
        names = {group.id: group.name_zh for group in shown}
        names_en = {group.id: group.name_en for group in shown}
    for group_id in group_ids:
        board = unit_board(
            campaign_id=campaign.id, start=week.start, end=week.end, group_id=group_id, metric="points",
            ranks_only=True, engine=engine,
        )
        for row in map(_row, board.standings):
            if row["change"]:
                rows.append({**row, "group_zh": names[group_id], "group_en": names_en[group_id]})
    rows.sort(key=lambda row: (-row["change"], row["rank"], row["name_zh"]))
    return [row for row in rows if row["change"] > 0][:CLIMBERS_SHOWN]


@public_read
def campaign_counts(campaign: CampaignInfo, engine: Engine | None = None) -> dict[str, int]:
    """The running count of the campaign, for the big numbers board."""
    # Counted from the summaries of approved records (db/summaries.py), a few thousand rows.
    in_campaign = RecordUnitMonthTally.campaign_id == campaign.id
    with read_session(engine) as session:
        type_id = dict(session.execute(select(ActivityType.code, ActivityType.id)).all())
        per_type = dict(session.execute(
            select(RecordUnitMonthTally.type_id, func.sum(RecordUnitMonthTally.records))
            .where(in_campaign).group_by(RecordUnitMonthTally.type_id)
        ).all())
        records = sum(per_type.values())
        reports = session.scalar(
            select(func.count(func.distinct(RecordCadreTally.cadre_id)))
            .join(Cadre, Cadre.id == RecordCadreTally.cadre_id)
            .where(RecordCadreTally.campaign_id == campaign.id, RecordCadreTally.type_id == type_id.get("analysis_report"),
                   Cadre.active.is_(True))
        )
        cadres = session.scalar(select(func.count()).select_from(Cadre).where(Cadre.active.is_(True)))
        visits = per_type.get(type_id.get("grassroots_visit"), 0)
        solved = session.scalar(select(func.count()).select_from(Problem).where(Problem.solved_on.is_not(None)))
        notes = per_type.get(type_id.get("reading_note"), 0)
    return {
        "records": records or 0,
        "reports_done": reports or 0,
        "cadres": cadres or 0,
        "visits": visits or 0,
        "problems_solved": solved or 0,
        "reading_notes": notes or 0,
    }


def _json_ready(value: Any) -> Any:
    """Pictures as base64 text and dates as ISO text, so that a snapshot can store the payload."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _highlights(settings: PresenterSettings, engine: Engine | None) -> list[dict[str, Any]]:
    # The office's privacy setting binds every screen; the presenter's switch can only add to it.
    hide_names = settings.hide_names or people_boards.names_hidden(engine)
    rows = gallery.highlights(limit=6, hide_names=hide_names, engine=engine)
    return [
        {("image" if key == "thumbnail" else key): _json_ready(value) for key, value in row.items()} for row in rows
    ]


@public_read
def presenter_payload(
    settings: PresenterSettings, campaign: CampaignInfo, today: dt.date, engine: Engine | None = None
) -> dict[str, Any]:
    """Everything the chosen boards show, computed once for every viewer with the same settings."""
    groups, unknown = _groups(engine, settings.group_codes)
    span = period_range(settings.period, today, campaign.start_date, campaign.end_date)
    payload: dict[str, Any] = {
        "computed_at": utc_now().isoformat(),
        "unknown_groups": unknown,
        "group": groups[0] if groups else None,
        "period": settings.period,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "campaign_start": campaign.start_date.isoformat(),
        "metric": settings.metric,
    }
    if "leaderboard" in settings.boards or "completion" in settings.boards:
        payload["group_boards"] = []
        for group in groups:
            board = group_board(campaign, group["id"], span, settings.metric, engine)
            payload["group_boards"].append({
                "group": group,
                "units": len(board),
                # Ranks come from the board: nobody at zero holds a place (core.scoring.has_rank).
                "leaderboard": board[: settings.top],
                "completion": sorted(board, key=lambda row: (-(row["completion"] or 0), row["name_zh"]))[: settings.top],
            })
    if "climbers" in settings.boards:
        payload["climbers"] = climbers(campaign, today, engine)
        week = period_range("week", today, campaign.start_date, campaign.end_date)
        payload["week"] = [week.start.isoformat(), week.end.isoformat()]
    if "counts" in settings.boards:
        payload["counts"] = campaign_counts(campaign, engine)
    if "highlights" in settings.boards:
        payload["highlights"] = _highlights(settings, engine)
    if "honours" in settings.boards:
        payload["honours"] = honours.latest_roll(campaign.id, hide_names=settings.hide_names, engine=engine)
    return payload


@permits(Action.ISSUE_REPORTS)
def create_snapshot(
    actor: Actor | None, *, name: str, settings: dict[str, Any], payload: dict[str, Any], engine: Engine | None = None
) -> int:
    """Freeze what the screen shows now, under a name, so the screen matches the printed report."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed([("name", "validation.required", {})])
    if len(name) > SNAPSHOT_NAME_MAX:
        raise ValidationFailed([("name", "validation.too_long", {"max": SNAPSHOT_NAME_MAX})])
    with command(actor, Action.ISSUE_REPORTS, engine=engine) as cmd:
        snapshot = PresenterSnapshot(name=name, settings=settings, payload=payload, created_by=cmd.actor.user_id)
        cmd.session.add(snapshot)
        cmd.session.flush()
        # The frozen payload is the snapshot's own business, not copied into the trail.
        cmd.log("snapshot.create", snapshot, {"before": {}, "after": {"name": name, "settings": settings}})
        return snapshot.id


@public_read
def get_snapshot(snapshot_id: int, engine: Engine | None = None, *, hide_names: bool = False) -> dict[str, Any] | None:
    """A frozen screen; names go when the address asks (names=hide) or the office hides them."""
    with read_session(engine) as session:
        snapshot = session.get(PresenterSnapshot, snapshot_id)
        if snapshot is None:
            return None
        frozen = {
            "id": snapshot.id,
            "name": snapshot.name,
            "created_at": snapshot.created_at,
            "settings": snapshot.settings,
            "payload": snapshot.payload,
        }
    payload = frozen["payload"]
    hide_names = hide_names or (frozen["settings"] or {}).get("names") == "hide"
    if payload.get("highlights") and (hide_names or people_boards.names_hidden(engine)):
        # Names frozen before the office chose to hide them are not shown afterwards either.
        frozen["payload"] = {**payload, "highlights": [{**item, "cadre_name": None} for item in payload["highlights"]]}
    roll = frozen["payload"].get("honours")
    if roll and honours.is_withdrawn(roll["id"], engine=engine):  # a roll withdrawn since leaves frozen screens too
        frozen["payload"] = {**frozen["payload"], "honours": None}
        roll = None
    if roll and (hide_names or people_boards.names_hidden(engine)):
        frozen["payload"] = {**frozen["payload"], "honours": {**roll, "entries": [{**entry, "name": None} for entry in roll["entries"]]}}
    return frozen


@public_read
def list_snapshots(limit: int = 50, engine: Engine | None = None) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        rows = session.execute(
            select(PresenterSnapshot.id, PresenterSnapshot.name, PresenterSnapshot.created_at)
            .order_by(PresenterSnapshot.created_at.desc(), PresenterSnapshot.id.desc())
            .limit(limit)
        ).all()
    return [dict(row._mapping) for row in rows]
