"""The meeting-room screen as a deck of slides: plain data and escaped HTML for the player.

Pure functions from the payload (db/presenter.py) to the deck that ui/presenter_player.js plays.
Python decides what each slide says; the browser decides when it shows and how large (it knows
the screen). Every name and title that came from users is escaped here, so a unit or note title
can never inject markup into the projector.

SLIDE_BUILDERS is the registry of boards: a new slide is one builder here, one entry in
core.presenter.BOARDS and its payload part in db/presenter.py.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from core.clock import office_zone, to_office
from core.i18n import format_date, format_datetime, format_number, format_percent, translate
from core.presenter import PER_GROUP_BOARDS, PresenterSettings, slides

THEME_COLOURS = {
    "light": {"bg": "#FFFFFF", "panel": "#F7F3F2", "text": "#1D1D1D", "muted": "#6B6B6B", "accent": "#B71C1C", "line": "#E4DCDA"},
    "dark": {"bg": "#121214", "panel": "#1E1E22", "text": "#F4F1EE", "muted": "#A8A29E", "accent": "#E53935", "line": "#2E2E33"},
}
RISE = {"light": "#C62828", "dark": "#FF5252"}
FALL = {"light": "#2E7D32", "dark": "#66BB6A"}
Slide = dict[str, Any]


def page_css(theme: str) -> str:
    """The page around the player: no Streamlit chrome, no connection dialog, the theme's background.

    The player covers the viewport itself; this hides what would show around or above it. The
    screen opens no dialogs of its own, so every stDialog here is Streamlit's English "Connection
    error" box: it goes, because the player says in the screen's language that it reconnects.
    """
    c = THEME_COLOURS[theme]
    return f"""<style>
html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{ background: {c['bg']} !important; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"], .eb-banner, [data-testid="stDialog"] {{ display: none !important; }}
[data-stale="true"] {{ opacity: 1 !important; transition: none !important; }}
.block-container {{ padding: 0 !important; max-width: 100% !important; }}
</style>"""


def _t(language: str, key: str, **params: object) -> str:
    return translate(language, key, **params)


def _name(row: dict[str, Any], language: str, field: str = "name") -> str:
    return escape(row.get(f"{field}_{language}") or row.get(f"{field}_zh") or "")


def metric_text(row: dict[str, Any], metric: str) -> str:
    if metric == "completion":
        return format_percent(row.get("completion"))
    if metric == "points":
        return format_number(row.get("points"), 1)
    return format_number(row.get("per_capita"), 2)


def change_html(change: int | None, language: str, *, ranked: bool = True) -> str:
    """▲ red for places gained, ▼ green for places lost (the Chinese convention)."""
    if not ranked:
        return '<span class="pr-same"></span>'
    if change is None:
        return f'<span class="pr-same">{_t(language, "presenter.new")}</span>'
    if change > 0:
        return f'<span class="pr-up">▲{change}</span>'
    if change < 0:
        return f'<span class="pr-down">▼{-change}</span>'
    return '<span class="pr-same">—</span>'


def _rank(row: dict[str, Any]) -> str:
    return str(row["rank"]) if row.get("rank") is not None else "–"


def _message(board: str, title: str, subtitle: str, text: str) -> Slide:
    return {"board": board, "kind": "message", "title": title, "subtitle": subtitle, "body": f'<div class="pr-empty">{text}</div>'}


def leaderboard_slide(shown: dict[str, Any], payload: dict[str, Any], language: str, title: str, subtitle: str) -> Slide:
    """The podium for the first three ranked units, the others as rows (paged by the player)."""
    rows = shown["leaderboard"]
    metric = payload["metric"]
    if not rows:
        return _message("leaderboard", title, subtitle, _t(language, "presenter.group_has_no_units"))
    podium_rows = [row for row in rows[:3] if row.get("rank") is not None]
    podium = [
        f'<div class="pr-step p{place}" data-unit="{row["unit_id"]}" data-rank="{row["rank"]}">'
        f'<div class="pr-place">{row["rank"]}</div><div class="pr-unit pr-secret">{_name(row, language)}</div>'
        f'<div class="pr-value pr-secret">{metric_text(row, metric)}</div>'
        f'<div class="pr-secret">{change_html(row["change"], language)}</div></div>'
        for place, row in enumerate(podium_rows, start=1)
    ]
    listed = [
        f'<div class="pr-row" data-unit="{row["unit_id"]}" data-rank="{_rank(row)}"><span class="pr-rank">{_rank(row)}</span>'
        f'<span class="pr-name pr-secret">{_name(row, language)}</span>'
        f'<span class="pr-num pr-secret">{metric_text(row, metric)}</span>'
        f'<span class="pr-secret">{change_html(row["change"], language, ranked=row.get("rank") is not None)}</span></div>'
        for row in rows[len(podium_rows):]
    ]
    head = (
        f'<div class="pr-row pr-head"><span>{_t(language, "presenter.col_rank")}</span><span>{_t(language, "presenter.col_unit")}</span>'
        f'<span class="pr-num">{_t(language, "board.metric_kind." + metric)}</span><span class="pr-num">{_t(language, "presenter.col_change")}</span></div>'
    )
    note = "" if podium_rows else _t(language, "presenter.no_ranks_yet")
    return {"board": "leaderboard", "kind": "rows", "layout": "rank", "title": title, "subtitle": subtitle, "podium": podium,
            "rows": listed, "head": head, "note": note, "legend": _t(language, "presenter.legend")}


def completion_slide(shown: dict[str, Any], payload: dict[str, Any], language: str, title: str, subtitle: str) -> Slide:
    rows = shown["completion"]
    if not rows:
        return _message("completion", title, subtitle, _t(language, "presenter.group_has_no_units"))
    bars = [
        f'<div class="pr-row" data-unit="{row["unit_id"]}"><span class="pr-name">{_name(row, language)}</span>'
        f'<span class="pr-track"><span class="pr-fill" style="width:{min(100.0, (row["completion"] or 0) * 100):.1f}%"></span></span>'
        f'<span class="pr-num">{format_percent(row["completion"])}</span></div>'
        for row in rows
    ]
    head = (
        f'<div class="pr-row pr-head"><span>{_t(language, "presenter.col_unit")}</span><span></span>'
        f'<span class="pr-num">{_t(language, "presenter.col_done")}</span></div>'
    )
    return {"board": "completion", "kind": "rows", "layout": "bar", "title": title, "subtitle": subtitle, "podium": [],
            "rows": bars, "head": head, "note": "", "legend": ""}


def climbers_slide(payload: dict[str, Any], language: str, title: str, subtitle: str) -> Slide:
    rows = payload.get("climbers", [])
    if not rows:
        return _message("climbers", title, subtitle, _t(language, "presenter.no_climbers"))
    items = [
        f'<div class="pr-row" data-unit="{row["unit_id"]}">{change_html(row["change"], language)}'
        f'<span class="pr-name">{_name(row, language)}</span>'
        f'<span class="pr-num">{format_number(row["points"], 1)}</span>'
        f'<span class="pr-num pr-label pr-ellipsis">{_t(language, "presenter.rank_in_group", rank=row["rank"], group=_name(row, language, "group"))}</span></div>'
        for row in rows
    ]
    head = (
        f'<div class="pr-row pr-head"><span>{_t(language, "presenter.col_change")}</span><span>{_t(language, "presenter.col_unit")}</span>'
        f'<span class="pr-num">{_t(language, "board.metric_kind.points")}</span><span class="pr-num">{_t(language, "presenter.col_rank_in_group")}</span></div>'
    )
    return {"board": "climbers", "kind": "rows", "layout": "climb", "title": title, "subtitle": subtitle, "podium": [],
            "rows": items, "head": head, "note": "", "legend": _t(language, "presenter.legend")}


def counts_slide(payload: dict[str, Any], language: str, title: str, subtitle: str) -> Slide:
    counts = payload.get("counts", {})
    share = counts["reports_done"] / counts["cadres"] if counts.get("cadres") else None
    tiles = [
        (format_number(counts.get("records", 0)), _t(language, "presenter.count_records")),
        (f'{format_number(counts.get("reports_done", 0))}<span class="pr-of"> / {format_number(counts.get("cadres", 0))}</span>',
         _t(language, "presenter.count_reports", share=format_percent(share))),
        (format_number(counts.get("visits", 0)), _t(language, "presenter.count_visits")),
        (format_number(counts.get("problems_solved", 0)), _t(language, "presenter.count_solved")),
        (format_number(counts.get("reading_notes", 0)), _t(language, "presenter.count_notes")),
    ]
    body = '<div class="pr-tiles">' + "".join(
        f'<div class="pr-tile"><div class="pr-big">{value}</div><div class="pr-label">{label}</div></div>' for value, label in tiles
    ) + "</div>"
    return {"board": "counts", "kind": "fixed", "title": title, "subtitle": subtitle, "body": body}


def highlights_slide(payload: dict[str, Any], language: str, title: str, subtitle: str) -> Slide:
    rows = payload.get("highlights", [])
    if not rows:
        return _message("highlights", title, subtitle, _t(language, "presenter.no_highlights"))
    cards = []
    for row in rows:
        image = f'<img src="data:image/jpeg;base64,{row["image"]}" alt="">' if row.get("image") else ""
        badge = f' <span class="pr-badge">{_t(language, "presenter.featured")}</span>' if row.get("featured") else ""
        person = escape(row.get("cadre_name") or "")
        byline = " · ".join(part for part in (person, _name(row, language, "unit")) if part)
        book = f'《{escape(row["book_title"])}》' if row.get("book_title") else ""
        cards.append(
            f'<div class="pr-card{"" if image else " pr-text-only"}">{image}<div class="pr-card-body"><div class="pr-card-title">{escape(row.get("title") or "")}{badge}</div>'
            f'<div>{book}</div><div class="pr-label">{byline}</div><div class="pr-label">♥ {format_number(row.get("like_count") or 0)}</div></div></div>'
        )
    return {"board": "highlights", "kind": "fixed", "title": title, "subtitle": subtitle, "body": f'<div class="pr-cards">{"".join(cards)}</div>'}


def honours_slide(payload: dict[str, Any], language: str, title: str, subtitle: str) -> Slide:
    """光荣榜: the newest published honour roll, advanced units first, then outstanding cadres."""
    roll = payload.get("honours")
    if not roll or not roll.get("entries"):
        return _message("honours", title, subtitle, _t(language, "reports.presenter_no_roll"))
    cards = []
    for entry in sorted(roll["entries"], key=lambda entry: entry["kind"] != "unit"):
        unit = entry.get(f"unit_{language}") or entry.get("unit_zh") or ""
        heading = unit if entry["kind"] == "unit" else " · ".join(part for part in (entry.get("name") or "", unit) if part)
        kind = _t(language, f"reports.roll_section.{entry['kind']}")
        cards.append(
            f'<div class="pr-card pr-text-only"><div class="pr-card-body"><div class="pr-card-title">{escape(heading)}'
            f' <span class="pr-badge">{escape(kind)}</span></div><div>{escape(entry.get("citation") or "")}</div></div></div>'
        )
    return {"board": "honours", "kind": "fixed", "title": title, "subtitle": escape(roll.get("title") or subtitle),
            "body": f'<div class="pr-cards">{"".join(cards)}</div>'}


def _subtitle(board: str, payload: dict[str, Any], language: str) -> str:
    """What span of time the board covers: boards differ (a week, a period, the campaign so far)."""
    def day(iso: str) -> str:
        return format_date(dt.date.fromisoformat(iso), language)

    # Snapshots taken before the payload carried the campaign's start say so without a date.
    campaign_start = payload.get("campaign_start")
    if board == "highlights":
        return _t(language, "presenter.highlights_sub")
    if board == "honours":
        roll = payload.get("honours") or {}
        return _t(language, "presenter.period_range", start=day(roll["start"]), end=day(roll["end"])) if roll else ""
    if board == "counts":
        return _t(language, "presenter.since", start=day(campaign_start)) if campaign_start else _t(language, "presenter.since_start")
    if board == "climbers" and payload.get("week"):
        start, end = payload["week"]
        return _t(language, "presenter.period_range", start=day(start), end=day(end))
    if board == "completion" and campaign_start:
        return _t(language, "presenter.period_range", start=day(campaign_start), end=day(payload["end"]))
    if board == "completion":
        return _t(language, "presenter.until", end=day(payload["end"]))
    period = _t(language, "presenter.period_range", start=day(payload["start"]), end=day(payload["end"]))
    metric = _t(language, "board.metric_kind." + payload["metric"])
    return f"{period} · {metric}"


def group_boards(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Each chosen group's leaderboard and completion; a snapshot from before several groups could
    be chosen holds one group's at the top level."""
    if "group_boards" in payload:
        return payload["group_boards"]
    return [{"group": payload.get("group"), "leaderboard": payload.get("leaderboard", []), "completion": payload.get("completion", [])}]


GroupBuilder = Callable[[dict[str, Any], dict[str, Any], str, str, str], Slide]
CampaignBuilder = Callable[[dict[str, Any], str, str, str], Slide]
# The registry: each board's builder. Per-group boards (core.presenter.PER_GROUP_BOARDS) get the
# group's part of the payload first.
SLIDE_BUILDERS: dict[str, GroupBuilder | CampaignBuilder] = {
    "leaderboard": leaderboard_slide,
    "completion": completion_slide,
    "climbers": climbers_slide,
    "counts": counts_slide,
    "highlights": highlights_slide,
    "honours": honours_slide,
}


def build_slide(board: str, payload: dict[str, Any], language: str, group_index: int = 0) -> Slide:
    """One slide of the playlist, titled and dated."""
    title = escape(_t(language, f"presenter.board.{board}"))
    subtitle = _subtitle(board, payload, language)
    if board not in PER_GROUP_BOARDS:
        slide = SLIDE_BUILDERS[board](payload, language, title, subtitle)
        slide["id"] = board
        return slide
    boards = group_boards(payload)
    if not boards:
        unknown = ", ".join(payload.get("unknown_groups") or [])
        text = _t(language, "presenter.unknown_group", codes=escape(unknown)) if unknown else _t(language, "presenter.no_groups")
        slide = _message(board, title, subtitle, text)
        slide["id"] = board
        return slide
    shown = boards[min(group_index, len(boards) - 1)]
    group = shown["group"] or {}
    if group:
        title = f"{_name(group, language)} · {title}"
    slide = SLIDE_BUILDERS[board](shown, payload, language, title, subtitle)
    slide["id"] = f"{board}:{group.get('code', group_index)}"
    return slide


def _clock(iso_or_value: str | dt.datetime | None) -> str:
    if not iso_or_value:
        return ""
    value = dt.datetime.fromisoformat(iso_or_value) if isinstance(iso_or_value, str) else iso_or_value
    local = to_office(value)
    return local.strftime("%H:%M") if local else ""


def deck(payload: dict[str, Any], settings: PresenterSettings, frozen: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the player needs: the slides in playlist order, the labels in the screen's
    language, and when the data was taken (in the office's time zone)."""
    language = settings.language
    count = len(group_boards(payload))
    playlist = [("leaderboard", 0)] if settings.reveal else slides(settings.boards, count)
    as_of = frozen["created_at"] if frozen else payload.get("computed_at")
    if frozen:
        status = f'<span class="pr-frozen">{_t(language, "presenter.frozen", name=escape(frozen["name"]))} · {format_datetime(frozen["created_at"], language)}</span>'
    else:
        status = _t(language, "presenter.updated", time=_clock(as_of))
    unknown = payload.get("unknown_groups") or []
    notice = _t(language, "presenter.unknown_group", codes=escape(", ".join(unknown))) if unknown and count else ""
    return {
        "theme": settings.theme,
        "colours": {**THEME_COLOURS[settings.theme], "rise": RISE[settings.theme], "fall": FALL[settings.theme]},
        "language": language,
        "zone": str(office_zone()),
        "rotate": settings.rotate,
        "fade": settings.fade,
        "reveal": settings.reveal,
        # The reveal position is kept per screen (snapshot or live group) across reloads.
        "revealKey": f"eb-reveal:{settings.snapshot or 'live'}:{settings.group or ''}:{settings.period}:{settings.metric}:{settings.top}",
        "brand": escape(_t(language, "app.title")),
        "status": status,
        "notice": notice,
        "labels": {
            "reconnecting": _t(language, "presenter.reconnecting", time=_clock(as_of)),
            "paused": _t(language, "presenter.paused"),
            "page": _t(language, "presenter.page"),
            "revealed": _t(language, "presenter.revealed"),
        },
        "slides": [build_slide(board, payload, language, index) for board, index in playlist],
    }


def message_deck(settings: PresenterSettings, message_key: str) -> dict[str, Any]:
    """A screen that has nothing to play says why, in the screen's language and theme (no campaign
    yet, a snapshot that does not exist)."""
    language = settings.language
    slide = _message("message", escape(_t(language, "presenter.nav")), "", _t(language, message_key))
    slide["id"] = message_key
    base = deck({"metric": settings.metric, "group_boards": []}, settings.with_changes(reveal=False, boards=("counts",)))
    return {**base, "status": "", "slides": [slide]}
