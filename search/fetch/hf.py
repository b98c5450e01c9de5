"""The Hugging Face daily-papers API: which days to ask for, and whether an answer is one.

``GET /api/daily_papers?date=YYYY-MM-DD&limit=N`` (``p`` pages on when a day holds more than
``limit`` papers; ``week=YYYY-Www`` and ``month=YYYY-MM`` instead of ``date`` where asked) answers
a JSON array. Each answer is saved verbatim as ``dumps/hf/DAY.json`` (later pages as
``DAY.p2.json`` …), which the hf-json parser reads like any saved API response.

A day's list keeps growing after the day (papers can be submitted up to 14 days after their arXiv
date) and its upvotes keep changing, so a plain fetch also asks again for the last few days it
already has; a day whose answer is byte for byte the same is not rewritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from paperbrowse.search.text import clean

from .dumpfiles import fetched_days
from .http import HttpClient, Response
from .pages import BadAnswer, ask
from .report import FetchReport, Progress

DEFAULT_URL = "https://huggingface.co"
ENV_URL = "PAPERBROWSE_HF_URL"
PATH = "/api/daily_papers"
#: The API's largest page.
PAGE_SIZE = 100
#: Days fetched on first use (today and the six before).
FIRST_DAYS = 7
#: Days already fetched that a plain fetch asks for again (their lists may have grown).
REFETCH_DAYS = 3

_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Listing:
    """One thing to ask the API for: a day, an ISO week or a month."""

    param: str  # "date", "week" or "month"
    value: str
    #: The dump's file name without ``.json``: the day itself, so the parser knows the day.
    stem: str

    @classmethod
    def day(cls, d: date) -> Listing:
        return cls("date", d.isoformat(), d.isoformat())

    @classmethod
    def week(cls, text: str) -> Listing:
        if not _WEEK.match(text):
            raise ValueError(f"not an ISO week: {text!r} (expected YYYY-Www, e.g. 2026-W33)")
        return cls("week", text, f"week-{text}")

    @classmethod
    def month(cls, text: str) -> Listing:
        if not _MONTH.match(text):
            raise ValueError(f"not a month: {text!r} (expected YYYY-MM)")
        return cls("month", text, f"month-{text}")


def today() -> date:
    """Today for the API: its days are UTC days, and a day after the UTC today is refused (a
    user east of Greenwich would otherwise ask for tomorrow every morning)."""
    return datetime.now(UTC).date()


def days_between(since: date, until: date) -> list[Listing]:
    """Every day from ``since`` to ``until``, both included."""
    if since > until:
        raise ValueError(f"--since {since} is after --until {until}")
    return [Listing.day(since + timedelta(days=n)) for n in range((until - since).days + 1)]


def latest_days(folder: Path, today: date) -> list[Listing]:
    """A plain fetch: the last few days already fetched, then every day after the last one
    up to today (the last ``FIRST_DAYS`` days on first use)."""
    have = fetched_days(folder)
    if not have:
        return days_between(today - timedelta(days=FIRST_DAYS - 1), today)
    again = set(have[-REFETCH_DAYS:])
    start = have[-1] + timedelta(days=1)
    new = {start + timedelta(days=n) for n in range(max(0, (today - start).days + 1))}
    return [Listing.day(d) for d in sorted(again | new) if d <= today]


def check_answer(response: Response) -> list:
    """The entries of a daily-papers answer; BadAnswer (saying why) for anything else."""
    body = response.body
    if response.status != 200:
        detail = ""
        try:
            data = json.loads(body)
            if isinstance(data, dict) and data.get("error"):
                detail = f": {_short(data['error'])}"
        except ValueError:
            pass
        raise BadAnswer(f"HTTP {response.status}{detail}")
    if response.content_type == "text/html" or body.lstrip()[:1] == b"<":
        raise BadAnswer("an HTML page instead of the daily-papers JSON (a proxy or login page?)")
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise BadAnswer("not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        # An answer cut off mid-way fails at its very end or inside a string left open.
        if exc.pos >= len(body.rstrip()) - 1 or exc.msg.startswith("Unterminated"):
            raise BadAnswer(f"truncated JSON (the answer ends after {len(body)} bytes)") from None
        raise BadAnswer(f"invalid JSON ({exc.msg}, byte {exc.pos})") from None
    if isinstance(data, dict) and "error" in data:
        raise BadAnswer(f"Hugging Face API error: {_short(data['error'])}")
    if not isinstance(data, list):
        raise BadAnswer(f"a JSON {type(data).__name__} instead of the daily-papers array")
    return data


def _short(value: object) -> str:
    text = clean(str(value))
    return text if len(text) <= 200 else text[:199] + "…"


def fetch_listings(
    client: HttpClient,
    folder: Path,
    listings: list[Listing],
    report: FetchReport,
    progress: Progress | None = None,
    page_size: int = PAGE_SIZE,
) -> None:
    """Ask for each listing (all its pages) and save every good answer in ``folder``.

    An answer that is not a listing is skipped with its reason; a service that cannot be
    reached raises FetchError (what was saved so far stays saved)."""
    for done, listing in enumerate(listings):
        if progress:
            progress("hf", done, len(listings))
        _fetch_one(client, folder, listing, report, page_size)
        report.fetched += 1
    if progress:
        progress("hf", len(listings), len(listings))


def _fetch_one(
    client: HttpClient, folder: Path, listing: Listing, report: FetchReport, page_size: int
) -> None:
    page = 0
    while True:
        params: dict[str, str | int] = {listing.param: listing.value, "limit": page_size}
        if page:
            params["p"] = page
        label = listing.value + (f" page {page + 1}" if page else "")
        answer = ask(client, PATH, params, check_answer, label, report)
        if answer is None:
            return
        response, entries = answer
        if not entries:
            if page == 0:
                report.empty.append(listing.value)
            return  # (a later page can be empty when the one before was exactly full)
        name = f"{listing.stem}.json" if page == 0 else f"{listing.stem}.p{page + 1}.json"
        report.save(folder / name, response.body)
        if len(entries) < page_size:
            return
        page += 1
