"""The arXiv API (``/api/query``): the query to send, its pages, and whether an answer is a feed.

arXiv's terms of use ask for no more than one request every three seconds, on one connection at
a time: the client is built with that interval (:data:`MIN_INTERVAL`) and a pool of one. Results
come newest first (``sortBy=submittedDate``), paged with ``start``/``max_results``; each page is
saved verbatim as ``dumps/arxiv/STAMP-QUERY-START.xml``. An Atom error feed (arXiv answers a bad
query with HTTP 400 and one entry titled ``Error``) is reported and never saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from paperbrowse.search.models import Paper, ParseProblem

from .http import FetchError, HttpClient, Response
from .pages import BadAnswer, ask
from .report import FetchReport, Progress

DEFAULT_URL = "https://export.arxiv.org"
ENV_URL = "PAPERBROWSE_ARXIV_URL"
PATH = "/api/query"
#: Seconds between two requests, as arXiv's API terms of use require.
MIN_INTERVAL = 3.0
#: Results per request (arXiv allows up to 2,000; smaller pages are gentler and save sooner).
PAGE_SIZE = 100
#: Results fetched when --max is not given.
DEFAULT_MAX = 100

_TOTAL = re.compile(rb"<(?:\w+:)?totalResults[^>]*>\s*(\d+)\s*<")
_SLUG = re.compile(r"[^A-Za-z0-9.]+")


def build_query(
    query: str | None,
    categories: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
) -> str:
    """arXiv's ``search_query``: the user's query (fielded as given, plain words as ``all:``),
    ``cat:`` terms ORed, and a ``submittedDate`` range from ``since`` (to ``until``, else
    today), all ANDed."""
    parts = []
    if query and query.strip():
        q = query.strip()
        if ":" not in q:
            q = " AND ".join(f"all:{word}" for word in q.split())
        parts.append(f"({q})" if " " in q else q)
    if categories:
        cats = " OR ".join(f"cat:{c}" for c in categories)
        parts.append(f"({cats})" if len(categories) > 1 else cats)
    if not parts:
        raise ValueError("give a QUERY or at least one --category")
    if since:
        # arXiv's dates are GMT; a range needs both ends.
        last = until or datetime.now(UTC).date()
        parts.append(f"submittedDate:[{since:%Y%m%d}0000 TO {last:%Y%m%d}2359]")
    return " AND ".join(parts)


def check_answer(response: Response) -> tuple[int, int | None]:
    """(entries in the page, totalResults) of an Atom answer; BadAnswer for anything else,
    FetchError for arXiv's error feed (the query itself is wrong: no point going on)."""
    from paperbrowse.search.dumps.arxiv_atom import (
        parse_text,  # the Atom parser, only once answers arrive
    )

    body = response.body
    if response.content_type == "text/html":
        raise BadAnswer("an HTML page instead of an Atom feed (a proxy or error page?)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadAnswer("not UTF-8 XML") from None
    papers = 0
    for item in parse_text(text, response.url):
        if isinstance(item, Paper):
            papers += 1
        elif item.message.startswith("arXiv API error"):  # the error feed (a note, not a problem)
            raise FetchError(item.message)
        elif isinstance(item, ParseProblem):
            raise BadAnswer(item.message)
    if response.status != 200:
        raise BadAnswer(f"HTTP {response.status}")
    match = _TOTAL.search(body)
    return papers, int(match.group(1)) if match else None


def fetch_pages(
    client: HttpClient,
    folder: Path,
    search_query: str,
    most: int,
    report: FetchReport,
    now: datetime,
    progress: Progress | None = None,
    page_size: int = PAGE_SIZE,
) -> None:
    """Ask for up to ``most`` results, page by page, and save every good page in ``folder``."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    slug = _SLUG.sub("-", search_query).strip("-")[:48] or "query"
    start = 0
    total: int | None = None
    while start < most:
        if progress:
            progress("arxiv", start, min(most, total) if total is not None else most)
        size = min(page_size, most - start)
        params: dict[str, str | int] = {
            "search_query": search_query,
            "start": start,
            "max_results": size,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
        label = f"results {start + 1}-{start + size}"
        answer = ask(client, PATH, params, check_answer, label, report)
        if answer is None:
            return
        response, (entries, page_total) = answer
        report.fetched += 1
        # The first page's count holds: a later empty page may say 0 (arXiv has such hiccups).
        total = page_total if total is None else total
        if entries == 0:
            if start == 0 or (total is not None and start < total):
                # arXiv now and then answers a page with no entries although more exist.
                report.empty.append(label)
            return
        report.save(folder / f"{stamp}-{slug}-{start:06d}.xml", response.body)
        start += entries
        if total is not None and start >= total:
            break
    if progress:
        progress("arxiv", start, start)
