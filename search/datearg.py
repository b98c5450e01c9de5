"""Dates as users type them: on a command line (``--since``) and in the app's filter pane.

One parser for both, so that ``2024`` means the same range wherever it is typed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

EXPECTED = "expected YYYY-MM-DD, YYYY-MM or YYYY"

# ASCII digits only (``\d`` would take Arabic-Indic digits too), a four-digit year: "24" is not
# the year 24, and a typo such as "224" is not the year 224.
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)


def parse_date_arg(text: str, *, end: bool = False) -> date:
    """``2024-07-05``, ``2024-07`` or ``2024``; a partial date means its first day, or with
    ``end`` its last day (so ``--until 2024`` includes all of 2024). Raises ValueError with a
    message fit to show the user."""
    s = text.strip()
    match = _DATE.fullmatch(s)
    if match is None:
        hint = ": a year has four digits" if s.isascii() and s.isdigit() and len(s) < 4 else ""
        raise ValueError(f"not a date: {text!r}{hint} ({EXPECTED})")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None  # the pattern requires it
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            day = calendar.monthrange(year, month)[1] if end else 1
        return date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"not a date: {text!r} ({EXPECTED})") from None
