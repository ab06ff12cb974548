"""What makes a campaign, its periods and its mandatory targets valid; which campaign is current.

Pure functions: the data layer (db/campaigns.py) calls them inside its transaction and turns
the problems into ValidationFailed. A problem is (field, message key, params), as everywhere.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.enums import TargetBasis

Problem = tuple[str, str, dict]
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
NAME_MAX = 200
PERIOD_KINDS = ("month", "quarter")
LABEL_MAX = 20
YOUNG_YEARS = (1940, 2020)  # a young-cadre birth year outside this is a typing slip
COUNT_MAX = 100
WEIGHT_MAX = 10.0


@dataclass(frozen=True)
class CampaignSpec:
    code: str
    name_zh: str
    name_en: str
    start_date: dt.date | None
    end_date: dt.date | None
    young_born_from: int


@dataclass(frozen=True)
class PeriodSpec:
    kind: str  # month / quarter
    label: str  # 2026-05, 2026Q2
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class TargetSpec:
    type_id: int
    basis: str  # core.enums.TargetBasis
    count: int
    due_on: dt.date | None
    weight: float


class Dated(Protocol):
    start_date: dt.date
    end_date: dt.date


def validate_campaign(spec: CampaignSpec, taken_codes: Iterable[str] = ()) -> list[Problem]:
    """Names, a code no other campaign has, dates in order and a plausible young-cadre year."""
    problems: list[Problem] = []
    if not CODE_PATTERN.match(spec.code or ""):
        problems.append(("code", "campaign.error.code_format", {}))
    elif spec.code.lower() in {code.lower() for code in taken_codes}:
        problems.append(("code", "campaign.error.code_taken", {"code": spec.code}))
    for field, name in (("name_zh", spec.name_zh), ("name_en", spec.name_en)):
        if not (name or "").strip():
            problems.append((field, "campaign.error.name_required", {}))
        elif len(name.strip()) > NAME_MAX:
            problems.append((field, "campaign.error.name_too_long", {"max": NAME_MAX}))
    if spec.start_date is None or spec.end_date is None:
        problems.append(("end_date", "campaign.error.dates_required", {}))
    elif spec.end_date < spec.start_date:
        problems.append(("end_date", "campaign.error.ends_before_start", {}))
    low, high = YOUNG_YEARS
    if not low <= spec.young_born_from <= high:
        problems.append(("young_born_from", "campaign.error.young_year", {"min": low, "max": high}))
    return problems


def _month_start(day: dt.date, months: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def generate_periods(start: dt.date, end: dt.date) -> list[PeriodSpec]:
    """The calendar months and quarters the campaign touches, cut to its first and last day."""
    periods: list[PeriodSpec] = []
    month = _month_start(start)
    while month <= end:
        following = _month_start(month, 1)
        periods.append(PeriodSpec("month", month.strftime("%Y-%m"), max(month, start), min(following - dt.timedelta(days=1), end)))
        month = following
    quarter = _month_start(start, -((start.month - 1) % 3))
    while quarter <= end:
        following = _month_start(quarter, 3)
        label = f"{quarter.year}Q{(quarter.month - 1) // 3 + 1}"
        periods.append(PeriodSpec("quarter", label, max(quarter, start), min(following - dt.timedelta(days=1), end)))
        quarter = following
    return periods


def validate_periods(periods: Sequence[PeriodSpec], start: dt.date, end: dt.date) -> list[Problem]:
    """Each period named, inside the campaign, its dates in order; no two of a kind overlap or share a label."""
    problems: list[Problem] = []
    for period in periods:
        label = period.label.strip()
        if period.kind not in PERIOD_KINDS:
            problems.append(("periods", "campaign.error.period_kind", {"label": label}))
        if not label or len(label) > LABEL_MAX:
            problems.append(("periods", "campaign.error.period_label", {"max": LABEL_MAX}))
        if period.end_date < period.start_date:
            problems.append(("periods", "campaign.error.period_order", {"label": label}))
        elif period.start_date < start or period.end_date > end:
            problems.append(("periods", "campaign.error.period_outside", {"label": label}))
    for kind in PERIOD_KINDS:
        same = sorted((p for p in periods if p.kind == kind), key=lambda p: (p.start_date, p.end_date))
        labels = [p.label.strip() for p in same]
        for label in sorted({label for label in labels if labels.count(label) > 1}):
            problems.append(("periods", "campaign.error.period_duplicate", {"label": label}))
        for before, after in zip(same, same[1:], strict=False):
            if after.start_date <= before.end_date:
                problems.append(("periods", "campaign.error.period_overlap", {"first": before.label, "second": after.label}))
    return problems


def validate_targets(
    targets: Sequence[TargetSpec], start: dt.date, end: dt.date, campaign_type_ids: Iterable[int]
) -> list[Problem]:
    """Each target: a type the campaign uses (once), a known basis, a sensible count and weight,
    and a due date inside the campaign."""
    problems: list[Problem] = []
    allowed = set(campaign_type_ids)
    seen: set[int] = set()
    bases = {basis.value for basis in TargetBasis}
    for target in targets:
        if target.type_id not in allowed:
            problems.append(("targets", "campaign.error.target_type", {}))
        elif target.type_id in seen:
            problems.append(("targets", "campaign.error.target_duplicate", {}))
        seen.add(target.type_id)
        if target.basis not in bases:
            problems.append(("targets", "campaign.error.target_basis", {}))
        if not isinstance(target.count, int) or not 1 <= target.count <= COUNT_MAX:
            problems.append(("targets", "campaign.error.target_count", {"max": COUNT_MAX}))
        if not 0 < target.weight <= WEIGHT_MAX:
            problems.append(("targets", "campaign.error.target_weight", {"max": WEIGHT_MAX}))
        if target.due_on is None or not start <= target.due_on <= end:
            problems.append(("targets", "campaign.error.due_outside", {"start": start.isoformat(), "end": end.isoformat()}))
    return problems


def shift_date(day: dt.date, old_start: dt.date, new_start: dt.date, new_end: dt.date) -> dt.date:
    """A date of one campaign moved to the same place in the next one (same distance from the
    start), kept inside the new campaign."""
    return min(max(new_start + (day - old_start), new_start), new_end)


def pick_current(open_campaigns: Sequence[Dated], today: dt.date) -> Dated | None:
    """THE current campaign, among the open ones: the one started most recently (on or before
    today); before any has started, the one starting soonest. A campaign prepared for next year
    thus does not take over entry while this year's is still running."""
    started = [c for c in open_campaigns if c.start_date <= today]
    if started:
        return max(started, key=lambda c: (c.start_date, c.end_date))
    upcoming = sorted(open_campaigns, key=lambda c: (c.start_date, c.end_date))
    return upcoming[0] if upcoming else None
