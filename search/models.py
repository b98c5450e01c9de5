"""The records the core hands around: papers, parse problems, filters and search results.

Papers, problems, filters and search results are frozen dataclasses, so that front ends can
cache and share them freely. :class:`IngestReport` is not: an ingest fills it in as it goes,
and hands it over once it is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

#: The dump formats paperbrowse reads, by the name ``--format`` takes.
FORMATS = ("hf-text", "hf-json", "arxiv-jsonl", "arxiv-atom")

#: "featured": the day Hugging Face featured the paper (newest first); "rising": upvotes gained
#: per day over the last week of its upvote history (see :func:`search.rising.rising`).
SORTS = ("relevance", "date", "upvotes", "featured", "rising")


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper, as read from one dump or merged from several.

    ``id`` is the paper's stable identity: the bare arXiv id (``2407.01906``, ``hep-th/9901001``)
    when one is known the first time the paper is seen, otherwise a title-derived id
    (``t-`` + 12 hex digits, see :func:`search.text.title_id`). Once the library has stored a
    paper, its ``id`` never changes (bookmarks key on it); ``arxiv_id`` is filled in later when
    another dump supplies it.
    """

    id: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    #: The author count; also set when only a count is known ("9 authors" on a page copy).
    n_authors: int | None = None
    #: Date of the first arXiv version, or the date a listing page shows.
    published: date | None = None
    upvotes: int | None = None
    #: arXiv categories, primary first.
    categories: tuple[str, ...] = ()
    doi: str | None = None
    journal_ref: str | None = None
    comments: str | None = None
    #: Links: code/project pages found in the abstract or given by the API, and the arXiv abs URL.
    urls: tuple[str, ...] = ()
    #: Every dump file this paper was read from (absolute paths as given at ingest).
    sources: tuple[str, ...] = ()
    #: The formats (see FORMATS) of those dumps, in the same spirit: one entry per kind.
    kinds: tuple[str, ...] = ()
    arxiv_id: str | None = None
    #: The day Hugging Face first featured the paper on Daily Papers, when known (the earliest
    #: of ``featured_days``).
    featured: date | None = None
    #: Date of the latest arXiv version, when known.
    updated: date | None = None
    organization: str | None = None
    ai_summary: str | None = None
    keywords: tuple[str, ...] = ()
    github_stars: int | None = None
    license: str | None = None
    report_no: str | None = None
    submitter: str | None = None
    #: Affiliations by author, when a dump names them (arXiv Atom, snapshot authors_parsed).
    affiliations: tuple[str, ...] = ()
    #: Every day the paper was listed on Daily Papers, oldest first (one per API day file).
    featured_days: tuple[date, ...] = ()
    #: When Hugging Face marked the paper withdrawn (the API's ``withdrawnAt``); None = not.
    withdrawn: date | None = None
    #: (day, upvotes) per day a listing gave a count, oldest first: one paper seen in several
    #: daily listings (a day re-fetched, a collection of days). Derived when records merge.
    upvote_history: tuple[tuple[date, int], ...] = ()

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @property
    def author_count(self) -> int | None:
        """Number of authors: the names we have, or the count a page gave."""
        if self.authors:
            return max(len(self.authors), self.n_authors or 0)
        return self.n_authors

    @property
    def has_code(self) -> bool:
        return any(is_code_url(u) for u in self.urls)

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None


def is_code_url(url: str) -> bool:
    """True for links to source code hosting (GitHub, GitLab, Bitbucket, Codeberg)."""
    low = url.lower()
    return any(h in low for h in ("github.com/", "gitlab.com/", "bitbucket.org/", "codeberg.org/"))


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something in a dump that could not be read: which file, where, and what was wrong."""

    source: str
    message: str
    #: 1-based line number (text formats, JSON lines) when it applies.
    line: int | None = None
    #: Record number or description (``entry 3``, ``item 7``) when a line number does not apply.
    record: str | None = None
    #: Reading of the file stopped here (a parser error, an I/O error): what follows was not
    #: read, so the file is not marked complete and the next ingest reads it again.
    stopped: bool = False

    def __str__(self) -> str:
        return _where(self.source, self.line, self.record) + f": {self.message}"


def _where(source: str, line: int | None, record: str | None) -> str:
    where = source
    if line is not None:
        where += f":{line}"
    if record:
        where += f" ({record})"
    return where


@dataclass(frozen=True, slots=True)
class ParseNote:
    """Something a reader should know about a dump that is not a problem: an assumption made
    (which date anchored year-less dates) or a repair (entries recovered from Python literals).
    Notes never fail an ingest."""

    source: str
    message: str
    #: Entries read from a Python-literal string instead of JSON (counted in the summary).
    recovered: int = 0

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions that combine (AND) with a query. An empty Filters restricts nothing."""

    since: date | None = None
    until: date | None = None
    min_upvotes: int | None = None
    years: frozenset[int] = frozenset()
    #: Dump formats (see FORMATS); a paper matches if it came from any of them.
    kinds: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    has_code: bool = False
    #: The day Hugging Face featured the paper (any of its ``featured_days``), apart from the
    #: arXiv date ``since``/``until`` filter on.
    featured_since: date | None = None
    featured_until: date | None = None
    #: Only these paper ids (e.g. the bookmarked ones, or those with a tag); None = no restriction.
    ids: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        return self != Filters()


@dataclass(frozen=True, slots=True)
class SearchHit:
    paper: Paper
    score: float
    #: A short excerpt of the abstract around the matched words ("" when not asked for).
    snippet: str = ""
    #: (start, end) character spans of matched words inside ``snippet``.
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    sort: str
    filters: Filters
    #: Number of matching papers in all.
    total: int
    #: The first ``limit`` hits, papers loaded.
    hits: tuple[SearchHit, ...]
    #: Every matching paper id in result order (for virtualised lists); may be longer than hits.
    #: Only the hits' ids when the search was asked for one page (``all_ids=False``).
    ids: Sequence[str] = ()
    #: The index terms the query matched in any field (stems: ``model`` for "models"; none
    #: under NOT), for highlighting: ``search.engine.match_spans`` says which words they are.
    terms: tuple[str, ...] = ()
    #: The order the ids are in: ``sort``, except that relevance with nothing to rank (the empty
    #: query, only prefixes or fuzzy words) comes newest first, "date".
    order: str = "relevance"
    elapsed_ms: float = 0.0
    #: Where ``elapsed_ms`` went: (step, ms) in order (``paperbrowse search --timing``).
    timings: tuple[tuple[str, float], ...] = ()
    #: Prefix, wildcard or fuzzy words that matched more terms than are searched (the most
    #: frequent are): the answer may be incomplete. E.g. ``("zeta* (64 of 200 words)",)``.
    capped: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestReport:
    """What one ingest did, for the one-line summary and for scripts."""

    files: int = 0
    files_unchanged: int = 0
    files_skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Files met while walking a folder that are plainly not dumps (a README, a PDF, an image).
    files_other: list[str] = field(default_factory=list)
    papers_read: int = 0
    papers_new: int = 0
    papers_updated: int = 0
    papers_merged: int = 0
    problems: list[ParseProblem] = field(default_factory=list)
    #: Assumptions and repairs worth saying (never a failure), one per file and kind.
    notes: list[ParseNote] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def recovered(self) -> int:
        """Entries read from Python-literal strings rather than JSON objects."""
        return sum(note.recovered for note in self.notes)

    @property
    def failed(self) -> bool:
        return bool(self.files_skipped or self.problems)


class QueryError(ValueError):
    """A query the search engine cannot parse or run; the message is fit to show a user."""
