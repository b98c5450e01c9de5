"""Dates as users type them on a command line or in a filter box."""

from __future__ import annotations

import calendar
from datetime import date


def parse_date_arg(text: str, *, end: bool = False) -> date:
    """``2024-07-05``, ``2024-07`` or ``2024``; a partial date means its first day, or with
    ``end`` its last day (so ``--until 2024`` includes all of 2024). Raises ValueError."""
    s = text.strip()
    parts = s.split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day)
        if len(parts) == 1 and len(s) == 4:
            return date(int(s), 12, 31) if end else date(int(s), 1, 1)
    except ValueError:
        pass
    raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
