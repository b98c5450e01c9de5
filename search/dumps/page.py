"""What plain page copies and markdown captures of Daily Papers pages share: the page's header
lines, bylines, the paper record they give, and the dates a page prints without a year.

Year-less dates (``Dec 3``) resolve against the page's own date line, itself resolved against
an anchor: ``--as-of``, else the capture time the file states, else the file's time. Only the
last is a guess, and the reader is told so once per file (a note, never a problem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..models import Paper, ParseNote
from ..text import arxiv_abs_url, clean, title_id
from .common import abstract_urls, unique_urls
from .dates import PageDate, iso_date

FORMAT = "hf-text"

#: Navigation and header lines of a Daily Papers page (compared case-folded, stripped).
HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)

# "Captured 2025-12-14", "- Captured (UTC): 2026-06-29T16:31:22+00:00", "created: 2025-12-14"
# (web clipper front matter), "Saved on 2025-12-14".
_CAPTURE = re.compile(
    r"(?i)\b(?:captured|saved|retrieved|accessed|created|clipped|downloaded|fetched)\b"
    r"[^0-9\n]{0,20}(\d{4}-\d{2}-\d{2})"
)
AUTHORS = re.compile(r"(?i)(\d[\d,]*)\s+authors?")
BULLETS = "•*-–"


@dataclass
class PageDates:
    """Resolves page-style dates for one file: against the page date, never after the anchor."""

    as_of: date
    page: date | None = None
    #: The anchor is the file's time (or today): nothing in the file or the command said it.
    guessed: bool = False
    #: A date without a year was resolved (only then does a guessed anchor matter).
    used: bool = False

    @classmethod
    def build(
        cls,
        as_of: date | None,
        capture: date | None,
        fallback: date | None,
        page_line: PageDate | None,
    ) -> PageDates:
        reference = as_of or capture or fallback or date.today()
        page = page_line.resolve(reference) if page_line else None
        if page is not None and page > reference:
            page = None  # a page "from the future" (explicit year after as_of) is no anchor
        dates = cls(reference, page, guessed=as_of is None and capture is None)
        dates.used = page_line is not None and page_line.year is None
        return dates

    def resolve(self, printed: PageDate) -> date | None:
        if printed.year is None:
            self.used = True
        return printed.resolve(self.page or self.as_of)

    def note(self, source: str) -> ParseNote | None:
        """The one note saying a year-less date was read against the file's time."""
        if not (self.guessed and self.used):
            return None
        anchor = f"the file's time, {self.as_of.isoformat()}"
        if self.page is not None:
            anchor = f"the page's date, read as {self.page.isoformat()} from {anchor}"
        return ParseNote(
            source,
            f"dates without a year resolved against {anchor} (the file names no capture date; "
            "--as-of DATE says when it was saved)",
        )


def capture_date(line: str) -> date | None:
    m = _CAPTURE.search(line)
    return iso_date(m.group(1)) if m else None


def make_paper(
    source: str,
    title: str,
    abstract: str,
    *,
    n_authors: int | None = None,
    organization: str | None = None,
    published: date | None = None,
    upvotes: int | None = None,
    arxiv_id: str | None = None,
) -> Paper:
    urls = unique_urls(abstract_urls(abstract), (arxiv_abs_url(arxiv_id) if arxiv_id else None,))
    return Paper(
        id=arxiv_id or title_id(title),
        title=title,
        abstract=abstract,
        n_authors=n_authors,
        published=published,
        upvotes=upvotes,
        urls=urls,
        sources=(source,),
        kinds=(FORMAT,),
        arxiv_id=arxiv_id,
        organization=organization,
    )


def byline(text: str) -> tuple[int | None, str | None]:
    """``• 9 authors`` -> (9, None); ``• Some Lab`` -> (None, "Some Lab")."""
    body = text.strip().lstrip(BULLETS).strip()
    m = AUTHORS.fullmatch(body)
    if m:
        return int(m.group(1).replace(",", "")), None
    return None, clean(body) or None
