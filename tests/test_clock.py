"""Times are stored in UTC and shown in the office's time zone."""
import datetime as dt

from core.clock import office_to_utc, to_office
from core.i18n import format_datetime


def test_a_stored_utc_time_is_shown_in_the_office_zone(monkeypatch):
    monkeypatch.setenv("OFFICE_TIMEZONE", "Asia/Shanghai")
    stored = dt.datetime(2026, 11, 30, 23, 30)  # UTC, naive as the database keeps it
    assert format_datetime(stored, "zh") == "2026年12月1日 07:30"
    assert format_datetime(stored, "en") == "2026-12-01 07:30"
    assert office_to_utc(to_office(stored).replace(tzinfo=None)) == stored


def test_the_zone_is_a_setting_and_a_bad_one_falls_back_to_shanghai(monkeypatch):
    monkeypatch.setenv("OFFICE_TIMEZONE", "Europe/Berlin")
    assert format_datetime(dt.datetime(2026, 7, 1, 12, 0), "en") == "2026-07-01 14:00"
    monkeypatch.setenv("OFFICE_TIMEZONE", "Not/AZone")
    assert format_datetime(dt.datetime(2026, 7, 1, 12, 0), "en") == "2026-07-01 20:00"
