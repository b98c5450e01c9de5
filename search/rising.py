"""What is rising: a paper's upvote history across daily listings, and the rate it gains at.

The same paper is listed on several days (Hugging Face keeps a paper on Daily Papers for a
while; a day can be fetched again later, when its counts have grown). Each listing that gives a
count is one observation: the day of the listing and the upvotes it showed. The history is
derived from the records (rebuilt from the dumps like the rest of the library).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from paperbrowse.search.models import Paper

#: How far back "rising" looks from a paper's latest observation.
WINDOW = timedelta(days=7)

#: Sparkline blocks, lowest to highest.
_BLOCKS = "▁▂▃▄▅▆▇█"


def observation_day(record: Paper) -> date | None:
    """The day a record's listing showed its upvotes: the latest day the record was featured
    on (for a daily-papers file, the day the file lists). Records without a day (page copies,
    whose dates are the paper's, not the listing's) give no observation."""
    days = record.featured_days or ((record.featured,) if record.featured else ())
    return max(days) if days else None


def upvote_history(records: Iterable[Paper]) -> tuple[tuple[date, int], ...]:
    """(day, upvotes) for every day some record was listed with a count, oldest first.

    Two records of one day (the day fetched twice, or a day file and a search page) keep the
    higher count: the count only grows during a day's listing, barring withdrawn votes, and
    nothing in a dump says which of two copies of a day was saved later.
    """
    best: dict[date, int] = {}
    for record in records:
        day = observation_day(record)
        if day is None or record.upvotes is None:
            continue
        best[day] = max(best.get(day, record.upvotes), record.upvotes)
    return tuple(sorted(best.items()))


def rising(history: Sequence[tuple[date, int]]) -> float:
    """Upvotes gained per day over the week up to the paper's latest observation.

    With the latest observation (day ``d``, ``u`` upvotes) and the earliest observation in the
    seven days before it (day ``d0`` with ``d - 7 days <= d0 < d``, ``u0`` upvotes), rising is
    ``(u - u0) / (d - d0).days``. A paper observed once, or not in the week before its latest
    observation, rises by 0. It goes below 0 when votes were withdrawn.

    The week is anchored at the paper's own latest listing, not at today: the figure is derived
    data (it lives in the index) and must not change while the clock moves. To see what rises
    now, combine it with a featured-day filter (``--featured-since``, ``top --week``).
    """
    if len(history) < 2:
        return 0.0
    last_day, last = history[-1]
    for day, count in history:
        if day >= last_day - WINDOW and day < last_day:
            return (last - count) / (last_day - day).days
    return 0.0


def sparkline(history: Sequence[tuple[date, int]]) -> str:
    """The history as one block character per observation, lowest count to highest."""
    if not history:
        return ""
    counts = [n for _, n in history]
    low, high = min(counts), max(counts)
    if high == low:
        return _BLOCKS[len(_BLOCKS) // 2] * len(counts)
    span = high - low
    return "".join(_BLOCKS[round((n - low) * (len(_BLOCKS) - 1) / span)] for n in counts)


def describe_history(history: Sequence[tuple[date, int]], *, most: int = 6) -> str:
    """A short list for a reader: ``05-27 30 · 05-29 45 · 05-31 52`` (the last ``most`` days,
    with the year when the days span more than one)."""
    shown = list(history)[-most:]
    years = {d.year for d, _ in shown}
    fmt = "%m-%d" if len(years) == 1 else "%Y-%m-%d"
    text = " · ".join(f"{d.strftime(fmt)} {n}" for d, n in shown)
    if len(history) > most:
        text = "… " + text
    return text
