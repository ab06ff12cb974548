"""What an address may carry: ids in query parameters are parsed here, once, for every page.

A hand-edited address (?study=99999999999999999999, ?unit=abc, ?book=-1) must reach a page as
"no such thing", never as a number the database cannot hold (an OverflowError on SQLite, a
NumericValueOutOfRange on PostgreSQL) or a traceback.
"""
from __future__ import annotations

import re

# Ids are 64-bit signed integers in both databases; anything larger names nothing that exists.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also accepts '²' and '١'


def parse_id(value: object) -> int | None:
    """A positive database id from an address parameter, or None if it cannot be one."""
    text = str(value).strip() if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
