"""Weeks and months as readers name them (``2024-W22``, ``2024-05``), and months in a row.

``top`` ranks the papers featured in one period; ``trend`` draws papers per month with the
empty months in between shown as empty (a gap is part of the picture).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar week (ISO: Monday to Sunday) or month, by its name and its first/last day."""

    name: str
    first: date
    last: date

    @property
    def kind(self) -> str:
        return "week" if "W" in self.name else "month"


def week(year: int, number: int) -> Period:
    try:
        first = date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"{year}-W{number:02d} is no ISO week (weeks run 1 to 52 or 53)") from None
    return Period(f"{year}-W{number:02d}", first, first + timedelta(days=6))


def month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise ValueError(f"{year}-{number:02d} is no month (months run 01 to 12)")
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(f"{year}-{number:02d}", first, following - timedelta(days=1))


def week_of(day: date) -> Period:
    year, number, _ = day.isocalendar()
    return week(year, number)


def month_of(day: date) -> Period:
    return month(day.year, day.month)


def parse_period(text: str, kind: str | None = None) -> Period:
    """``2024-W22`` (or ``2024W22``) → that ISO week, ``2024-05`` → that month. ``kind``
    ("week"/"month") is what the text must be, when the caller asked for one. Raises
    ValueError with a message fit for a user."""
    text = text.strip()
    m = _WEEK.fullmatch(text)
    if m and kind in (None, "week"):
        return week(int(m.group(1)), int(m.group(2)))
    m = _MONTH.fullmatch(text)
    if m and kind in (None, "month"):
        return month(int(m.group(1)), int(m.group(2)))
    wanted = {"week": "a week YYYY-Www", "month": "a month YYYY-MM"}.get(
        kind or "", "a week YYYY-Www or a month YYYY-MM"
    )
    raise ValueError(f"{text!r} is not {wanted} (e.g. 2024-W22, 2024-05)")


def months_between(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """(``YYYY-MM``, count) for every month from the first to the last in ``counts``, the ones
    missing from it as 0."""
    if not counts:
        return []
    keys = sorted(counts)
    year, number = (int(x) for x in keys[0].split("-"))
    end = tuple(int(x) for x in keys[-1].split("-"))
    out: list[tuple[str, int]] = []
    while (year, number) <= end:
        key = f"{year:04d}-{number:02d}"
        out.append((key, counts.get(key, 0)))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return out
