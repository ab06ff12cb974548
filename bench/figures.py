"""The app's own functions, uncached, timed on the bench database."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select

from core.clock import office_today
from core.periods import period_range
from core.presenter import PresenterSettings
from db import boards, gallery, people_boards, presenter
from db.engine import read_session
from db.models import ComparisonGroup
from db.reference import CampaignInfo, campaign

# A two-character word that stands in a large share of the demo's notes.
COMMON_WORD = "党性"


@dataclass(frozen=True)
class Setting:
    """What the figures are computed for: the current campaign, its first group, today."""

    campaign: CampaignInfo
    group_id: int
    today: object

    def span(self, kind: str):  # noqa: ANN201 - core.periods.DateRange
        return period_range(kind, self.today, self.campaign.start_date, self.campaign.end_date)


def setting(engine: Engine) -> Setting:
    current = campaign(engine)
    if current is None:
        raise RuntimeError("the bench database holds no current campaign")
    with read_session(engine) as session:
        group_id = session.scalar(select(ComparisonGroup.id).order_by(ComparisonGroup.sort_order, ComparisonGroup.id).limit(1))
    return Setting(current, group_id, min(office_today(), current.end_date))


# A figure's runs after the first: at least the caller's number, more while they fit in this many
# seconds, at most MOST_RUNS. On a shared 2-core machine single runs of the 100 ms board ranged
# from 0.9x to 1.6x of its usual time within minutes, and a median of 3 moved with them; a fast
# figure is now the median of up to 25 runs, a slow one still of the caller's few.
RUN_BUDGET_S = 2.0
MOST_RUNS = 25


def timed(
    call: Callable[[], object], runs: int, budget_s: float = RUN_BUDGET_S, most: int = MOST_RUNS
) -> tuple[float, float, object]:
    """(first run's seconds, median of the runs after it, the result): at least `runs` runs
    after the first, more while their total stays within `budget_s`, at most `most`."""
    began = time.perf_counter()
    result = call()
    first = time.perf_counter() - began
    times: list[float] = []

    def another_fits() -> bool:  # the next run, taking the median so far, stays within the budget
        return len(times) < most and sum(times) + statistics.median(times or [first]) <= budget_s

    while len(times) < runs or another_fits():
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return first, statistics.median(times) if times else first, result


def board_call(engine: Engine, where: Setting, kind: str) -> Callable[[], boards.Board]:
    span = where.span(kind)
    return lambda: boards.unit_board(campaign_id=where.campaign.id, start=span.start, end=span.end, metric="points", engine=engine)


def app_calls(engine: Engine, where: Setting) -> dict[str, Callable[[], object]]:
    """Every timed figure of the data layer, by its name in the bench's table."""
    whole = where.span("campaign")
    return {
        "board_campaign": board_call(engine, where, "campaign"),
        "board_month": board_call(engine, where, "month"),
        "board_week": board_call(engine, where, "week"),
        "unit_trend": lambda: boards.group_trend(
            campaign_id=where.campaign.id, group_id=where.group_id, start=whole.start, end=whole.end, engine=engine
        ),
        "presenter_payload": lambda: presenter.presenter_payload(PresenterSettings(), where.campaign, where.today, engine),
        "people_board": lambda: people_boards.people_board(
            None, campaign_id=where.campaign.id, start=whole.start, end=whole.end, engine=engine
        ),
        "gallery_tags": lambda: gallery.tags_in_use(None, engine=engine),
        "gallery_search": lambda: gallery.gallery_page(None, gallery.GalleryFilter(query=COMMON_WORD), engine=engine),
        "gallery_search_page_50": lambda: gallery.gallery_page(None, gallery.GalleryFilter(query=COMMON_WORD), page=50, engine=engine),
    }
