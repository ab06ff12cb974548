"""HTML of the meeting-room screen: large type sized to the viewport, light and dark themes.

Pure functions from the payload (db/presenter.py) to HTML; every name and title that came from
users is escaped here, so a unit or note title can never inject markup into the projector.
"""
from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from core.i18n import format_date, format_number, format_percent, translate

THEME_COLOURS = {
    "light": {"bg": "#FFFFFF", "panel": "#F7F3F2", "text": "#1D1D1D", "muted": "#6B6B6B", "accent": "#B71C1C", "line": "#E4DCDA"},
    "dark": {"bg": "#121214", "panel": "#1E1E22", "text": "#F4F1EE", "muted": "#A8A29E", "accent": "#E53935", "line": "#2E2E33"},
}
RISE = {"light": "#C62828", "dark": "#FF5252"}
FALL = {"light": "#2E7D32", "dark": "#66BB6A"}


def page_css(theme: str) -> str:
    """Hide Streamlit's chrome and set the projector's type scale (vw units scale 1920 -> 1280)."""
    c = THEME_COLOURS[theme]
    return f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"], .eb-banner {{ display: none !important; }}
.stApp {{ background: {c['bg']}; }}
.block-container {{ padding: 1.2vw 2.2vw 0.6vw 2.2vw !important; max-width: 100% !important; }}
.pr {{ color: {c['text']}; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; }}
.pr-top {{ display: flex; align-items: baseline; justify-content: space-between; border-bottom: 0.18vw solid {c['accent']};
  padding-bottom: 0.5vw; margin-bottom: 1vw; }}
.pr-brand {{ font-size: 1.5vw; color: {c['accent']}; font-weight: 700; letter-spacing: 0.1em; }}
.pr-title {{ font-size: 2.6vw; font-weight: 700; }}
.pr-sub {{ font-size: 1.1vw; color: {c['muted']}; text-align: right; }}
.pr-frozen {{ background: {c['accent']}; color: #fff; font-size: 1.15vw; padding: 0.3vw 0.9vw; border-radius: 0.3vw; }}
.pr-podium {{ display: grid; grid-template-columns: 1fr 1.15fr 1fr; gap: 1.4vw; align-items: end; margin-bottom: 1.2vw; }}
.pr-step {{ background: {c['panel']}; border-radius: 0.6vw; text-align: center; padding: 1vw 0.6vw; border-top: 0.4vw solid {c['accent']}; }}
.pr-step.p1 {{ min-height: 15vw; }} .pr-step.p2 {{ min-height: 12.5vw; }} .pr-step.p3 {{ min-height: 11vw; }}
.pr-place {{ font-size: 3.2vw; font-weight: 800; color: {c['accent']}; line-height: 1.1; }}
.pr-unit {{ font-size: 2vw; font-weight: 700; margin: 0.3vw 0; }}
.pr-value {{ font-size: 2.6vw; font-weight: 700; font-variant-numeric: tabular-nums; }}
.pr-step .pr-up, .pr-step .pr-down, .pr-step .pr-same {{ font-size: 1.7vw; text-align: center; display: block; }}
.pr-rows {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0.5vw 2vw; }}
.pr-row {{ display: grid; grid-template-columns: 3.5vw 1fr 8vw 5.5vw; align-items: center; font-size: 1.7vw;
  padding: 0.45vw 0.6vw; border-bottom: 0.08vw solid {c['line']}; }}
.pr-rank {{ font-weight: 800; color: {c['muted']}; }}
.pr-num {{ text-align: right; font-variant-numeric: tabular-nums; font-weight: 700; }}
.pr-up {{ color: {RISE[theme]}; text-align: right; font-weight: 700; }}
.pr-down {{ color: {FALL[theme]}; text-align: right; font-weight: 700; }}
.pr-same {{ color: {c['muted']}; text-align: right; }}
.pr-flash {{ animation: prflash 2.4s ease-out 2; }}
@keyframes prflash {{ 0% {{ background: {RISE[theme]}55; }} 100% {{ background: transparent; }} }}
.pr-hidden {{ color: transparent !important; background: {c['panel']}; }}
.pr-hidden * {{ visibility: hidden; }}
.pr-bar {{ display: grid; grid-template-columns: 16vw 1fr 7vw; align-items: center; gap: 1vw; font-size: 1.6vw; margin: 0.55vw 0; }}
.pr-track {{ background: {c['panel']}; height: 1.7vw; border-radius: 0.3vw; overflow: hidden; }}
.pr-fill {{ background: {c['accent']}; height: 100%; }}
.pr-tiles {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.5vw; }}
.pr-tile {{ background: {c['panel']}; border-radius: 0.6vw; padding: 1.6vw; text-align: center; }}
.pr-big {{ font-size: 4.6vw; font-weight: 800; color: {c['accent']}; font-variant-numeric: tabular-nums; }}
.pr-label {{ font-size: 1.5vw; color: {c['muted']}; }}
.pr-cards {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.4vw; }}
.pr-card {{ background: {c['panel']}; border-radius: 0.6vw; overflow: hidden; display: grid; grid-template-columns: 9vw 1fr; }}
.pr-card img {{ width: 9vw; height: 12vw; object-fit: cover; }}
.pr-card-body {{ padding: 0.8vw; font-size: 1.3vw; }}
.pr-card-title {{ font-size: 1.55vw; font-weight: 700; margin-bottom: 0.4vw; }}
.pr-badge {{ color: #fff; background: {c['accent']}; border-radius: 0.3vw; padding: 0 0.4vw; font-size: 1.05vw; }}
.pr-foot {{ display: flex; justify-content: space-between; color: {c['muted']}; font-size: 1vw; margin-top: 1vw; }}
.pr-empty {{ font-size: 2vw; color: {c['muted']}; padding: 6vw 0; text-align: center; }}
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


def change_html(change: int | None, language: str) -> str:
    """▲ red for places gained, ▼ green for places lost (the Chinese convention)."""
    if change is None:
        return f'<span class="pr-same">{_t(language, "presenter.new")}</span>'
    if change > 0:
        return f'<span class="pr-up">▲{change}</span>'
    if change < 0:
        return f'<span class="pr-down">▼{-change}</span>'
    return '<span class="pr-same">—</span>'


def leaderboard_html(rows: list[dict[str, Any]], metric: str, language: str, *, flash: set[int], revealed: int | None) -> str:
    """Podium for the first three, the rest in two columns; `revealed` counts up from the bottom."""
    if not rows:
        return f'<div class="pr-empty">{_t(language, "presenter.empty")}</div>'
    hidden_from = len(rows) - revealed if revealed is not None else 0

    def hidden(index: int) -> str:
        return " pr-hidden" if index < hidden_from else ""

    def flashing(row: dict[str, Any]) -> str:
        return " pr-flash" if row["unit_id"] in flash else ""

    podium_order = [1, 0, 2]  # second, first, third from left to right
    steps = []
    for index in podium_order:
        if index >= len(rows):
            continue
        row = rows[index]
        steps.append(
            f'<div class="pr-step p{index + 1}{hidden(index)}{flashing(row)}" data-unit="{row["unit_id"]}">'
            f'<div class="pr-place">{row["rank"]}</div><div class="pr-unit">{_name(row, language)}</div>'
            f'<div class="pr-value">{metric_text(row, metric)}</div>{change_html(row["change"], language)}</div>'
        )
    rest = []
    for index, row in enumerate(rows[3:], start=3):
        rest.append(
            f'<div class="pr-row{hidden(index)}{flashing(row)}" data-unit="{row["unit_id"]}"><span class="pr-rank">{row["rank"]}</span>'
            f'<span>{_name(row, language)}</span><span class="pr-num">{metric_text(row, metric)}</span>'
            f'{change_html(row["change"], language)}</div>'
        )
    return f'<div class="pr-podium">{"".join(steps)}</div><div class="pr-rows">{"".join(rest)}</div>'


def climbers_html(rows: list[dict[str, Any]], language: str) -> str:
    if not rows:
        return f'<div class="pr-empty">{_t(language, "presenter.no_climbers")}</div>'
    items = "".join(
        f'<div class="pr-row" data-unit="{row["unit_id"]}"><span class="pr-rank">{row["rank"]}</span>'
        f'<span>{_name(row, language)} <span class="pr-label">· {_name(row, language, "group")}</span></span>'
        f'<span class="pr-num">{format_number(row["points"], 1)}</span>{change_html(row["change"], language)}</div>'
        for row in rows
    )
    return f'<div class="pr-rows" style="grid-template-columns: 1fr;">{items}</div>'


def completion_html(rows: list[dict[str, Any]], language: str) -> str:
    if not rows:
        return f'<div class="pr-empty">{_t(language, "presenter.empty")}</div>'
    bars = "".join(
        f'<div class="pr-bar"><span>{_name(row, language)}</span>'
        f'<div class="pr-track"><div class="pr-fill" style="width:{min(100.0, (row["completion"] or 0) * 100):.1f}%"></div></div>'
        f'<span class="pr-num">{format_percent(row["completion"])}</span></div>'
        for row in rows
    )
    return bars


def counts_html(counts: dict[str, int], language: str) -> str:
    share = counts["reports_done"] / counts["cadres"] if counts.get("cadres") else None
    tiles = [
        (format_number(counts["records"]), _t(language, "presenter.count_records")),
        (f'{format_number(counts["reports_done"])}<span class="pr-label"> / {format_number(counts["cadres"])}</span>',
         _t(language, "presenter.count_reports", share=format_percent(share))),
        (format_number(counts["visits"]), _t(language, "presenter.count_visits")),
        (format_number(counts["problems_solved"]), _t(language, "presenter.count_solved")),
        (format_number(counts["reading_notes"]), _t(language, "presenter.count_notes")),
    ]
    return '<div class="pr-tiles">' + "".join(
        f'<div class="pr-tile"><div class="pr-big">{value}</div><div class="pr-label">{label}</div></div>' for value, label in tiles
    ) + "</div>"


def highlights_html(rows: list[dict[str, Any]], language: str) -> str:
    if not rows:
        return f'<div class="pr-empty">{_t(language, "presenter.no_highlights")}</div>'
    cards = []
    for row in rows:
        image = f'<img src="data:image/jpeg;base64,{row["image"]}" alt="">' if row.get("image") else "<div></div>"
        badge = f' <span class="pr-badge">{_t(language, "presenter.featured")}</span>' if row.get("featured") else ""
        person = escape(row.get("cadre_name") or "")
        byline = " · ".join(part for part in (person, _name(row, language, "unit")) if part)
        book = f'《{escape(row["book_title"])}》' if row.get("book_title") else ""
        cards.append(
            f'<div class="pr-card">{image}<div class="pr-card-body"><div class="pr-card-title">{escape(row.get("title") or "")}{badge}</div>'
            f'<div>{book}</div><div class="pr-label">{byline}</div><div class="pr-label">♥ {format_number(row.get("like_count") or 0)}</div></div></div>'
        )
    return f'<div class="pr-cards">{"".join(cards)}</div>'


def _subtitle(board: str, payload: dict[str, Any], language: str) -> str:
    """What span of time the board covers: boards differ (a week, a period, the campaign so far)."""
    def day(iso: str) -> str:
        return format_date(dt.date.fromisoformat(iso), language)

    # Snapshots taken before the payload carried the campaign's start say so without a date.
    campaign_start = payload.get("campaign_start")
    if board == "highlights":
        return _t(language, "presenter.highlights_sub")
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
    return f"{period} {metric}"


def group_boards(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Each chosen group's leaderboard and completion; a snapshot from before several groups could
    be chosen holds one group's at the top level."""
    return payload.get("group_boards") or [
        {"group": payload.get("group"), "leaderboard": payload.get("leaderboard", []), "completion": payload.get("completion", [])}
    ]


def screen_html(
    *,
    board: str,
    payload: dict[str, Any],
    language: str,
    theme: str,
    updated: str,
    frozen: str | None,
    flash: set[int],
    revealed: int | None,
    position: tuple[int, int],
    group_index: int = 0,
) -> str:
    boards = group_boards(payload)
    shown = boards[min(group_index, len(boards) - 1)]
    group = shown["group"] or {}
    title = _t(language, f"presenter.board.{board}")
    if board in {"leaderboard", "completion"} and group:
        title = f"{_name(group, language)} · {title}"
    if board == "leaderboard":
        body = leaderboard_html(shown["leaderboard"], payload["metric"], language, flash=flash, revealed=revealed)
    elif board == "completion":
        body = completion_html(shown["completion"], language)
    elif board == "climbers":
        body = climbers_html(payload.get("climbers", []), language)
    elif board == "counts":
        body = counts_html(payload.get("counts", {}), language)
    else:
        body = highlights_html(payload.get("highlights", []), language)
    status = (
        f'<span class="pr-frozen">{_t(language, "presenter.frozen", name=escape(frozen))}</span>'
        if frozen
        else _t(language, "presenter.updated", time=updated)
    )
    subtitle = _subtitle(board, payload, language)
    legend = _t(language, "presenter.legend") if board in {"leaderboard", "climbers"} else ""
    dots = " ".join("●" if index == position[0] else "○" for index in range(position[1]))
    return (
        f'<div class="pr pr-{theme}" data-board="{board}">'
        f'<div class="pr-top"><span class="pr-brand">{_t(language, "app.title")}</span>'
        f'<span class="pr-title">{title}</span><span class="pr-sub">{status}<br>{subtitle}</span></div>'
        f"{body}"
        f'<div class="pr-foot"><span>{legend}</span><span>{dots}</span></div></div>'
    )
