"""Reporting periods and the period each one is compared with for rank changes."""
import datetime as dt

from core.periods import DateRange, month_parts, period_range

D = dt.date


def test_a_month_is_compared_with_the_calendar_month_before():
    assert DateRange(D(2026, 5, 1), D(2026, 5, 31)).previous() == DateRange(D(2026, 4, 1), D(2026, 4, 30))
    assert DateRange(D(2026, 3, 1), D(2026, 3, 31)).previous() == DateRange(D(2026, 2, 1), D(2026, 2, 28))
    assert DateRange(D(2026, 1, 1), D(2026, 1, 31)).previous() == DateRange(D(2025, 12, 1), D(2025, 12, 31))


def test_a_quarter_is_compared_with_the_quarter_before():
    q2 = period_range("quarter", D(2026, 5, 20), D(2025, 11, 27), D(2027, 1, 26))
    assert q2 == DateRange(D(2026, 4, 1), D(2026, 6, 30))
    assert q2.previous() == DateRange(D(2026, 1, 1), D(2026, 3, 31))


def test_weeks_and_other_ranges_are_compared_with_as_many_days_before():
    week = period_range("week", D(2026, 11, 27), D(2025, 11, 27), D(2027, 1, 26))
    assert week == DateRange(D(2026, 11, 23), D(2026, 11, 29))
    assert week.previous() == DateRange(D(2026, 11, 16), D(2026, 11, 22))
    assert DateRange(D(2026, 5, 10), D(2026, 5, 19)).previous() == DateRange(D(2026, 4, 30), D(2026, 5, 9))
    # A month cut short by the campaign's start is not a whole month: same number of days before.
    assert DateRange(D(2025, 11, 27), D(2025, 11, 30)).previous() == DateRange(D(2025, 11, 23), D(2025, 11, 26))


def test_a_month_cut_short_by_the_campaigns_end_compares_with_the_same_days_of_the_month_before():
    january = period_range("month", D(2027, 1, 20), D(2025, 11, 27), D(2027, 1, 26))
    assert january == DateRange(D(2027, 1, 1), D(2027, 1, 26))
    assert january.previous() == DateRange(D(2026, 12, 1), D(2026, 12, 26))
    assert DateRange(D(2026, 3, 1), D(2026, 3, 30)).previous() == DateRange(D(2026, 2, 1), D(2026, 2, 28))
    # Any range from the first of a month: as many calendar months before, keeping its days.
    assert DateRange(D(2026, 4, 1), D(2026, 5, 10)).previous() == DateRange(D(2026, 2, 1), D(2026, 3, 10))


def test_a_period_is_cut_into_its_months_at_both_ends():
    assert month_parts(dt.date(2025, 12, 15), dt.date(2026, 2, 3)) == [
        ("2025-12", dt.date(2025, 12, 15), dt.date(2025, 12, 31)),
        ("2026-01", dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 3)),
    ]
    assert month_parts(dt.date(2026, 3, 9), dt.date(2026, 3, 9)) == [("2026-03", dt.date(2026, 3, 9), dt.date(2026, 3, 9))]
    assert month_parts(dt.date(2026, 3, 10), dt.date(2026, 3, 9)) == []
