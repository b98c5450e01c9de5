"""Dates as the dumps write them, and the year a listing page leaves out.

A Hugging Face page shows ``Dec 3`` for a date in the page's own year and ``Jul 21, 2023``
otherwise. The year is recovered as the most recent such day not after a reference date
(the page's own date, itself resolved against the capture date), so a resolved date is never
in the future.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))

#: ``Dec 3``, ``Jul 21, 2023``, ``Oct 30, 2023 1`` (a trailing upvote count), ``May 17 8``.
PAGE_DATE = re.compile(
    rf"(?i)(?P<month>{_MONTH_WORD})\.? (?P<day>\d{{1,2}})(?:, ?(?P<year>\d{{4}}))?"
    r"(?: (?P<upvotes>\d+|-))?"
)


class PageDate:
    """A date as a listing page prints it: month and day, the year only when it differs."""

    __slots__ = ("month", "day", "year", "upvotes")

    def __init__(self, month: int, day: int, year: int | None, upvotes: int | None) -> None:
        self.month = month
        self.day = day
        self.year = year
        self.upvotes = upvotes

    def resolve(self, reference: date) -> date | None:
        """The calendar date: as printed when it has a year, else the latest one <= reference."""
        if self.year is not None:
            try:
                return date(self.year, self.month, self.day)
            except ValueError:
                return None
        return resolve_yearless(self.month, self.day, reference)


def parse_page_date(text: str) -> PageDate | None:
    """Read a whole line such as ``Dec 3`` or ``Oct 30, 2023 1``; None if it is not one."""
    m = PAGE_DATE.fullmatch(text.strip())
    if not m:
        return None
    month = MONTHS[m.group("month").lower()]
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    year = int(m.group("year")) if m.group("year") else None
    raw_votes = m.group("upvotes")
    upvotes = int(raw_votes) if raw_votes and raw_votes != "-" else None
    return PageDate(month, day, year, upvotes)


def resolve_yearless(month: int, day: int, reference: date) -> date | None:
    """The most recent ``month``/``day`` not after ``reference``.

    Feb 29 goes back to the last leap year (at most 8 years: 2100 is not a leap year). Returns
    None for a day no month has (``Feb 30``).
    """
    for year in range(reference.year, reference.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def iso_date(text: object) -> date | None:
    """The date part of an ISO timestamp (``2024-07-02T03:11:13.000Z``); None if unreadable."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


_ABBR = {name: number for name, number in MONTHS.items() if len(name) == 3}


def rfc2822_date(text: object) -> date | None:
    """``Mon, 2 Apr 2007 19:18:42 GMT`` -> 2007-04-02, cheaply (arXiv snapshot versions)."""
    if not isinstance(text, str):
        return None
    parts = text.split()
    # The weekday is optional in RFC 2822.
    if parts and parts[0].endswith(","):
        parts = parts[1:]
    if len(parts) < 3:
        return None
    try:
        return date(int(parts[2]), _ABBR[parts[1][:3].lower()], int(parts[0]))
    except (KeyError, ValueError):
        return None


def mtime_date(path: Path) -> date | None:
    """The local date the file was last modified, or None if it cannot be read."""
    try:
        return date.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None


_FILE_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def file_name_date(path: Path) -> date | None:
    """A ``YYYY-MM-DD`` date in a file name (``daily_papers_2024-07-05.json``)."""
    m = _FILE_NAME_DATE.search(path.name)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
