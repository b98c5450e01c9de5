"""Dates as dumps print them, and the year a listing page leaves out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from paperbrowse.search.dumps.dates import (
    file_name_date,
    iso_date,
    parse_page_date,
    resolve_yearless,
    rfc2822_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dec 3", (12, 3, None, None)),
        ("Jul 21, 2023", (7, 21, 2023, None)),
        ("Oct 30, 2023 1", (10, 30, 2023, 1)),
        ("May 17 8", (5, 17, None, 8)),
        ("  Sep 16  ", (9, 16, None, None)),
        ("September 5, 2024", (9, 5, 2024, None)),
        ("Jun 30, 2024 -", (6, 30, 2024, None)),
    ],
)
def test_parse_page_date(text, expected):
    printed = parse_page_date(text)
    assert printed is not None
    assert (printed.month, printed.day, printed.year, printed.upvotes) == expected


@pytest.mark.parametrize(
    "text", ["Dec", "Decimal 3", "Dec 32", "3 Dec", "Dec 3, 23", "Daily Papers"]
)
def test_parse_page_date_rejects(text):
    assert parse_page_date(text) is None


def test_yearless_resolves_to_latest_not_after_reference():
    ref = date(2025, 12, 12)
    assert resolve_yearless(12, 3, ref) == date(2025, 12, 3)
    assert resolve_yearless(12, 12, ref) == date(2025, 12, 12)
    assert resolve_yearless(12, 13, ref) == date(2024, 12, 13)
    assert resolve_yearless(1, 17, date(2026, 1, 2)) == date(2025, 1, 17)


def test_feb_29_goes_back_to_a_leap_year():
    assert resolve_yearless(2, 29, date(2025, 12, 12)) == date(2024, 2, 29)
    assert resolve_yearless(2, 29, date(2024, 2, 28)) == date(2020, 2, 29)
    assert resolve_yearless(2, 29, date(2024, 2, 29)) == date(2024, 2, 29)
    # 2100 is not a leap year: the last Feb 29 before 2103 is in 2096.
    assert resolve_yearless(2, 29, date(2103, 3, 1)) == date(2096, 2, 29)


def test_impossible_day_is_none():
    assert resolve_yearless(2, 30, date(2025, 1, 1)) is None
    printed = parse_page_date("Feb 30, 2024")
    assert printed is not None and printed.resolve(date(2025, 1, 1)) is None


def test_never_in_the_future():
    for ref in (date(2024, 2, 29), date(2025, 1, 1), date(2025, 12, 31)):
        for month in range(1, 13):
            for day in (1, 15, 28, 29, 30, 31):
                resolved = resolve_yearless(month, day, ref)
                assert resolved is None or resolved <= ref


def test_iso_and_rfc2822_dates():
    assert iso_date("2024-07-02T03:11:13.000Z") == date(2024, 7, 2)
    assert iso_date("2026-08-20") == date(2026, 8, 20)
    assert iso_date("yesterday") is None
    assert iso_date(None) is None
    assert rfc2822_date("Mon, 2 Apr 2007 19:18:42 GMT") == date(2007, 4, 2)
    assert rfc2822_date("2 Apr 2007 19:18:42 GMT") == date(2007, 4, 2)
    assert rfc2822_date("Mon, 2 Foo 2007") is None
    assert rfc2822_date(17) is None


def test_file_name_date():
    assert file_name_date(Path("daily_papers_2024-07-05.json")) == date(2024, 7, 5)
    assert file_name_date(Path("daily_papers.json")) is None
    assert file_name_date(Path("x_2024-13-05.json")) is None
