"""Reporting periods: this week, month, quarter, the whole campaign, or a custom range."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PERIOD_KINDS = ("week", "month", "quarter", "campaign", "custom")


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date

    def previous(self) -> DateRange:
        """The period before this one, for rank changes. A range from the first of a month
        compares with as many calendar months before: May with April, a quarter with the quarter
        before, and a month the campaign's end cuts short (1-26 January) with the same days of the
        month before (1-26 December). Any other range compares with the same number of days just
        before it (a week with the week before)."""
        if self.start.day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            start = add_months(self.start, -months)
            if (self.end + dt.timedelta(days=1)).day == 1:
                return DateRange(start, self.start - dt.timedelta(days=1))
            last_month = add_months(self.end, -months)
            end_day = min(self.end.day, (add_months(last_month, 1) - dt.timedelta(days=1)).day)
            return DateRange(start, last_month.replace(day=end_day))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return DateRange(end - length, end)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_parts(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """('YYYY-MM', first day, last day) of each month [start, end] touches, clipped to it; none
    for an empty period (start after end)."""
    parts = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        following = add_months(month, 1)
        first, last = max(month, start), min(following - dt.timedelta(days=1), end)
        if first <= last:
            parts.append((month.strftime("%Y-%m"), first, last))
        month = following
    return parts


def period_range(
    kind: str,
    today: dt.date,
    campaign_start: dt.date,
    campaign_end: dt.date,
    custom: tuple[dt.date, dt.date] | None = None,
) -> DateRange:
    """The calendar range of `kind` that contains today, clipped to the campaign."""
    if kind == "week":
        start = today - dt.timedelta(days=today.weekday())
        end = start + dt.timedelta(days=6)
    elif kind == "month":
        start = today.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    elif kind == "quarter":
        start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        end = (start + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
    elif kind == "campaign":
        start, end = campaign_start, campaign_end
    elif kind == "custom" and custom:
        start, end = min(custom), max(custom)
    else:
        raise ValueError(f"unknown period {kind!r}")
    return DateRange(max(start, campaign_start), min(end, campaign_end))
