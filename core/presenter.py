"""Presenter settings, read from and written to the page address so a presenter can bookmark them.

Everything in the query string is untrusted: unknown boards are dropped, numbers are clamped,
and anything unreadable falls back to the default rather than failing on the projector.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from core.addresses import parse_id

BOARDS = ("leaderboard", "climbers", "completion", "highlights", "counts", "honours")
THEMES = ("light", "dark")
PERIODS = ("week", "month", "quarter", "campaign")
METRICS = ("per_capita", "points", "completion")

INTERVAL_RANGE = (3, 300)  # seconds between refreshes
ROTATE_RANGE = (5, 600)  # seconds each board stays on screen
TOP_RANGE = (3, 30)
# A page of a paged board stays at least this long, or nobody can read it (the setup page warns).
MIN_PAGE_SECONDS = 8
# Rows a 16:9 screen shows without paging: the podium's three plus two columns of ten.
ROWS_WITHOUT_PAGING = 23
# Boards shown once per chosen comparison group; the others cover the whole campaign.
PER_GROUP_BOARDS = ("leaderboard", "completion")
MAX_GROUPS = 10
_GROUP_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class PresenterSettings:
    boards: tuple[str, ...] = BOARDS
    interval: int = 10
    rotate: int = 20
    theme: str = "dark"
    group: str | None = None  # comparison group codes, comma-separated; None = the first group
    period: str = "quarter"
    metric: str = "per_capita"
    top: int = 10
    hide_names: bool = False
    snapshot: int | None = None
    reveal: bool = False
    play: bool = False
    language: str = "zh"
    campaign: int | None = None  # None: the current campaign (db.campaigns.active_campaign)
    fade: bool = False

    def with_changes(self, **changes: object) -> PresenterSettings:
        return replace(self, **changes)

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(self.group.split(",")) if self.group else ()


def _clamp(value: str | None, bounds: tuple[int, int], default: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return max(bounds[0], min(bounds[1], number))


def _flag(value: str | None) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


def _groups(value: str | None) -> str | None:
    codes = [code.strip() for code in str(value or "").split(",") if _GROUP_CODE.match(code.strip())]
    return ",".join(list(dict.fromkeys(codes))[:MAX_GROUPS]) or None


def parse_settings(query: Mapping[str, str]) -> PresenterSettings:
    defaults = PresenterSettings()
    requested = [board.strip() for board in str(query.get("boards", "")).split(",") if board.strip()]
    boards = tuple(dict.fromkeys(board for board in requested if board in BOARDS)) or defaults.boards
    snapshot = query.get("snapshot")
    return PresenterSettings(
        boards=boards,
        interval=_clamp(query.get("interval"), INTERVAL_RANGE, defaults.interval),
        rotate=_clamp(query.get("rotate"), ROTATE_RANGE, defaults.rotate),
        theme=query.get("theme") if query.get("theme") in THEMES else defaults.theme,
        group=_groups(query.get("group")),
        period=query.get("period") if query.get("period") in PERIODS else defaults.period,
        metric=query.get("metric") if query.get("metric") in METRICS else defaults.metric,
        top=_clamp(query.get("top"), TOP_RANGE, defaults.top),
        hide_names=query.get("names") == "hide",
        snapshot=parse_id(snapshot),
        reveal=_flag(query.get("reveal")),
        play=_flag(query.get("play")),
        language=query.get("lang") if query.get("lang") in ("zh", "en") else defaults.language,
        campaign=parse_id(query.get("campaign")),
        fade=_flag(query.get("fade")),
    )


def settings_query(settings: PresenterSettings) -> dict[str, str]:
    """The query string that reopens these settings (the inverse of parse_settings)."""
    query = {
        "play": "1",
        "boards": ",".join(settings.boards),
        "interval": str(settings.interval),
        "rotate": str(settings.rotate),
        "theme": settings.theme,
        "period": settings.period,
        "metric": settings.metric,
        "top": str(settings.top),
        "lang": settings.language,
    }
    if settings.group:
        query["group"] = settings.group
    if settings.hide_names:
        query["names"] = "hide"
    if settings.snapshot is not None:
        query["snapshot"] = str(settings.snapshot)
    if settings.reveal:
        query["reveal"] = "1"
    if settings.campaign is not None:
        query["campaign"] = str(settings.campaign)
    if settings.fade:
        query["fade"] = "1"
    return query


def slides(boards: tuple[str, ...], group_count: int) -> list[tuple[str, int]]:
    """The playlist as shown: (board, group index), a group's boards once for every chosen group."""
    return [
        (board, index)
        for board in boards
        for index in (range(max(1, group_count)) if board in PER_GROUP_BOARDS else (0,))
    ]


def setting_warnings(settings: PresenterSettings, unknown_groups: tuple[str, ...] = ()) -> list[tuple[str, dict[str, object]]]:
    """Settings that cannot work as the presenter expects, as (message key, parameters)."""
    warnings: list[tuple[str, dict[str, object]]] = []
    if unknown_groups:
        warnings.append(("presenter.warn_unknown_group", {"codes": ", ".join(unknown_groups)}))
    if settings.reveal and (len(settings.boards) > 1 or len(settings.group_codes) > 1):
        warnings.append(("presenter.warn_reveal_one_board", {}))
    if settings.top > ROWS_WITHOUT_PAGING and settings.rotate / 2 < MIN_PAGE_SECONDS:
        warnings.append(("presenter.warn_pages_too_short", {"rows": ROWS_WITHOUT_PAGING, "seconds": MIN_PAGE_SECONDS * 2}))
    return warnings
