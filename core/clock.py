"""The office's clock: times are stored in UTC (naive, as the database keeps them) and shown
in the office's time zone (setting OFFICE_TIMEZONE, default Asia/Shanghai).

Every "today" that a rule depends on (an activity date in the future, a task overdue) is the
office's today, not the server's: a server running in UTC would otherwise call 07:00 in Beijing
"yesterday".
"""
from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.config import load_settings

DEFAULT_ZONE = "Asia/Shanghai"


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def office_zone() -> ZoneInfo:
    return _zone(load_settings().office_timezone)


def utc_now() -> dt.datetime:
    """Now in UTC, naive: the form every DateTime column stores."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def office_now() -> dt.datetime:
    return dt.datetime.now(office_zone())


def office_today() -> dt.date:
    return office_now().date()


def to_office(value: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time (naive or aware) as the office's local time (aware)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(office_zone())


def office_to_utc(value: dt.datetime) -> dt.datetime:
    """A local time the office typed (naive = office zone) as stored UTC (naive)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=office_zone())
    return value.astimezone(dt.UTC).replace(tzinfo=None)
