"""The index's time fields: the featured day, the rising rate, the month, what a paper puts
into them, and the featured-day filter (what is asked of them: timeline_queries.py).

Kept apart from the text fields and queries (schema.py, queries.py) so that each can change
on its own.
"""

from __future__ import annotations

from datetime import date

from paperbrowse.search.models import Filters, Paper
from paperbrowse.search.rising import rising
from whoosh import fields, query

#: ``rising`` is stored as hundredths of an upvote a day, shifted by this much so that the
#: unsigned 32-bit column (the cache's one-integer sort keys need non-negative values) also
#: holds falling papers.
RISING_OFFSET = 1 << 31
_RISING_MAX = (1 << 32) - 1


def timeline_fields() -> dict[str, fields.FieldType]:
    """Fields added to the schema (see schema.build_schema)."""
    return {
        # YYYYMMDD of the first day Hugging Face featured the paper (0: never).
        "featured": fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        "rising": fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        # YYYY-MM of the arXiv (or listing) date: the papers-per-month chart counts by it.
        "month": fields.ID(sortable=True),
        # Every featured day, as YYYYMMDD terms: a paper listed on several days is found by
        # any of them (the featured-day filter).
        "featured_day": fields.KEYWORD,
    }


def rising_value(paper: Paper) -> int:
    """The ``rising`` column's value for a paper (see RISING_OFFSET)."""
    hundredths = round(rising(paper.upvote_history) * 100)
    return max(0, min(_RISING_MAX, RISING_OFFSET + hundredths))


def timeline_values(paper: Paper) -> dict:
    """A paper's values for :func:`timeline_fields`."""
    days = paper.featured_days or ((paper.featured,) if paper.featured else ())
    return {
        "featured": _datenum(paper.featured or (days[0] if days else None)),
        "rising": rising_value(paper),
        "month": paper.published.strftime("%Y-%m") if paper.published else "unknown",
        "featured_day": " ".join(str(_datenum(d)) for d in days),
    }


def featured_query(filters: Filters) -> query.Query | None:
    """The featured-day filter: papers featured on some day in the range (None: no filter)."""
    if not (filters.featured_since or filters.featured_until):
        return None
    low = _datenum(filters.featured_since) if filters.featured_since else 1
    high = _datenum(filters.featured_until) if filters.featured_until else 99991231
    return query.TermRange("featured_day", str(low), str(high))


def _datenum(d: date | None) -> int:
    return d.year * 10000 + d.month * 100 + d.day if d else 0


def from_datenum(value: int) -> date | None:
    if not value:
        return None
    return date(value // 10000, value // 100 % 100, value % 100)
