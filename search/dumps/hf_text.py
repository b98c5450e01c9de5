"""Hugging Face Daily Papers pages copied as text, and markdown/text-browser captures of them.

Plain copies come in three layouts: blank-line separated paragraphs with a ``• 9 authors`` /
``·`` / date block after each abstract; the same without those blocks; and no blank lines at all
(title and abstract alternate, the page header glued to the first title: ``SubscribeUnifying…``).
They are read as one sequence of items, so the three layouts share one parser.

Markdown captures (``### [Title][12]``, the abstract inside ``[`` … ``][13]``, the upvote count
between ``[`` and ``][14]``) have their own small parser.

Dates without a year (``Dec 3``) are in the page's own year; see :mod:`search.dumps.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..models import Paper, ParseProblem
from ..text import arxiv_abs_url, bare_arxiv_id, clean, title_id
from .common import abstract_urls, unique_urls
from .dates import PageDate, iso_date, mtime_date, parse_page_date
from .decode import read_text

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

# "Captured 2025-12-14", "created: 2025-12-14" (web clipper front matter), "Saved on 2025-12-14".
_CAPTURE = re.compile(
    r"(?i)\b(?:captured|saved|retrieved|accessed|created|clipped|downloaded|fetched)\b"
    r"[^0-9\n]{0,20}(\d{4}-\d{2}-\d{2})"
)
_AUTHORS = re.compile(r"(?i)(\d[\d,]*)\s+authors?")
_BULLETS = "•*-–"


def read(path: Path, as_of: date | None = None) -> Iterator[Paper | ParseProblem]:
    """Papers of one page copy. Year-less dates resolve against ``as_of``, a capture date
    stated in the file, or the file's modification date, in that order."""
    text = read_text(path)
    yield from parse_text(text, str(path), as_of=as_of, fallback_as_of=mtime_date(path))


def parse_text(
    text: str,
    source: str,
    *,
    as_of: date | None = None,
    fallback_as_of: date | None = None,
) -> Iterator[Paper | ParseProblem]:
    """Papers from the text of a page copy (either layout)."""
    lines = text.splitlines()
    if is_markdown(lines):
        parser = _markdown
    else:
        parser = _plain
    count = 0
    for item in parser(lines, source, as_of, fallback_as_of):
        if isinstance(item, Paper):
            count += 1
        yield item
    if not count:
        yield ParseProblem(source, "no papers found in this page copy")


def is_markdown(lines: list[str]) -> bool:
    """True for a markdown/text-browser capture (papers under ``###`` headings)."""
    return any(line.startswith("### ") for line in lines)


@dataclass
class _Dates:
    """Resolves page-style dates for one file: against the page date, never after as_of."""

    as_of: date
    page: date | None = None

    @classmethod
    def build(
        cls,
        as_of: date | None,
        capture: date | None,
        fallback: date | None,
        page_line: PageDate | None,
    ) -> _Dates:
        reference = as_of or capture or fallback or date.today()
        page = page_line.resolve(reference) if page_line else None
        if page is not None and page > reference:
            page = None  # a page "from the future" (explicit year after as_of) is no anchor
        return cls(reference, page)

    def resolve(self, printed: PageDate) -> date | None:
        return printed.resolve(self.page or self.as_of)


def _capture_date(line: str) -> date | None:
    m = _CAPTURE.search(line)
    return iso_date(m.group(1)) if m else None


def _paper(
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


def _byline(text: str) -> tuple[int | None, str | None]:
    """``• 9 authors`` -> (9, None); ``• Some Lab`` -> (None, "Some Lab")."""
    body = text.strip().lstrip(_BULLETS).strip()
    m = _AUTHORS.fullmatch(body)
    if m:
        return int(m.group(1).replace(",", "")), None
    return None, clean(body) or None


# ---------------------------------------------------------------------------------------------
# Plain copies


def _is_dot(text: str) -> bool:
    return text.strip().startswith("·")


def _is_byline(text: str) -> bool:
    s = text.strip()
    return s[:1] == "•" or bool(_AUTHORS.fullmatch(s.lstrip(_BULLETS).strip()))


def _plain_items(lines: list[str], start: int) -> list[tuple[int, str]]:
    """(line number, text) items after the header.

    In blank-line separated copies a paragraph is one item (so a wrapped abstract stays whole),
    except the byline/date block, whose lines are items of their own.
    """
    body = lines[start:]
    if not any(not line.strip() for line in body):
        return [(start + i + 1, line) for i, line in enumerate(body) if line.strip()]
    items: list[tuple[int, str]] = []
    paragraph: list[tuple[int, str]] = []
    for i, line in enumerate(body + [""]):
        if line.strip():
            paragraph.append((start + i + 1, line))
            continue
        if not paragraph:
            continue
        if any(_is_dot(t) or _is_byline(t) or parse_page_date(t) for _, t in paragraph):
            items.extend(paragraph)
        else:
            items.append((paragraph[0][0], " ".join(t.strip() for _, t in paragraph)))
        paragraph = []
    return items


def _plain(
    lines: list[str], source: str, as_of: date | None, fallback: date | None
) -> Iterator[Paper | ParseProblem]:
    # Header: navigation lines, an optional capture date and the page date, up to the first title.
    start = 0
    page_line: PageDate | None = None
    capture: date | None = None
    while start < len(lines):
        s = lines[start].strip()
        if not s:
            start += 1
            continue
        # The page header may be glued to the first title: "SubscribeUnifying Feature …".
        glued = s[len("subscribe") : len("subscribe") + 1]
        if s.lower().startswith("subscribe") and glued and not (glued.islower() or glued.isspace()):
            rest = s[len("subscribe") :].strip()
            lines = lines[:start] + [rest] + lines[start + 1 :]
            s = rest
        if s.lower() in HEADER_LINES:
            start += 1
            continue
        found = _capture_date(s)
        if found and not _looks_like_abstract(s):
            capture = capture or found
            start += 1
            continue
        printed = parse_page_date(s)
        if printed and page_line is None:
            page_line = printed
            start += 1
            continue
        break
    dates = _Dates.build(as_of, capture, fallback, page_line)

    items = _plain_items(lines, start)
    k = 0
    while k < len(items):
        lineno, title = items[k]
        k += 1
        if _starts_meta(items, k - 1):
            yield ParseProblem(
                source, f"byline or date without a paper title: {clean(title)!r}", line=lineno
            )
            continue
        abstract = ""
        if k < len(items) and not _starts_meta(items, k):
            abstract = items[k][1]
            k += 1
        n_authors = organization = published = upvotes = None
        if k < len(items) and _starts_meta(items, k):
            text = items[k][1]
            if not _is_dot(text) and not parse_page_date(text):
                n_authors, organization = _byline(text)
                k += 1
            printed = None
            if k < len(items) and _is_dot(items[k][1]):
                rest = items[k][1].strip()[1:].strip()
                k += 1
                if rest:
                    printed = parse_page_date(rest)
                elif k < len(items) and parse_page_date(items[k][1]):
                    printed = parse_page_date(items[k][1])
                    k += 1
            elif k < len(items) and parse_page_date(items[k][1]):
                printed = parse_page_date(items[k][1])
                k += 1
            if printed is not None:
                published = dates.resolve(printed)
                upvotes = printed.upvotes
                # Some copies put the upvote count on a line of its own.
                if upvotes is None and k < len(items) and items[k][1].strip().isdigit():
                    upvotes = int(items[k][1].strip())
                    k += 1
        title_text = clean(title)
        if not title_text:
            continue
        yield _paper(
            source,
            title_text,
            clean(abstract),
            n_authors=n_authors,
            organization=organization,
            published=published,
            upvotes=upvotes,
        )


def _looks_like_abstract(text: str) -> bool:
    return len(text) > 200


def _starts_meta(items: list[tuple[int, str]], k: int) -> bool:
    """Whether item ``k`` begins a byline/date block rather than a title or an abstract."""
    text = items[k][1]
    if _is_dot(text) or _is_byline(text) or parse_page_date(text):
        return True
    # An organisation name has no bullet; it is recognised by the "·" that follows it.
    return k + 1 < len(items) and _is_dot(items[k + 1][1])


# ---------------------------------------------------------------------------------------------
# Markdown / text-browser captures

_REF_DEF = re.compile(r"^\s*\[([^\]]+)\]:\s*(\S+)")
_LINK_END = re.compile(r"\](?:\[(?P<ref>[^\]]*)\]|\((?P<url>[^)\s]*)\))\s*$")
_HF_PAPER = re.compile(r"(?:^|/)papers/([^/?#\s]+)")


def _heading_text(line: str) -> str:
    return line[4:].strip()


def _unlink(text: str) -> tuple[str, str | None, str | None]:
    """``[Title][12]`` -> (Title, "12", None); ``[Title](url)`` -> (Title, None, url)."""
    text = text.strip()
    m = _LINK_END.search(text)
    if text.startswith("[") and m:
        return text[1 : m.start()], m.group("ref"), m.group("url")
    return text, None, None


def _arxiv_from_link(url: str | None) -> str | None:
    if not url:
        return None
    m = _HF_PAPER.search(url)
    if m:
        return bare_arxiv_id(m.group(1))
    return bare_arxiv_id(url)


def _markdown(
    lines: list[str], source: str, as_of: date | None, fallback: date | None
) -> Iterator[Paper | ParseProblem]:
    refs: dict[str, str] = {}
    for line in lines:
        m = _REF_DEF.match(line)
        if m:
            refs.setdefault(m.group(1), m.group(2))

    first = next(i for i, line in enumerate(lines) if line.startswith("### "))
    page_line: PageDate | None = None
    capture: date | None = None
    for line in lines[:first]:
        capture = capture or _capture_date(line)
        printed = parse_page_date(line)
        if printed and page_line is None:
            page_line = printed
    dates = _Dates.build(as_of, capture, fallback, page_line)

    # Split into (title line number, title parts, block lines) per paper.
    papers: list[tuple[int, list[str], list[str]]] = []
    i = first
    while i < len(lines):
        line = lines[i]
        if _REF_DEF.match(line):
            break  # the reference list closes the page
        if line.startswith("### "):
            text = _heading_text(line)
            previous = papers[-1] if papers else None
            # A long title continues on the next "###" line unless its link already closed.
            if (
                previous is not None
                and not previous[2]
                and not _LINK_END.search(" ".join(previous[1]))
            ):
                previous[1].append(text)
            else:
                papers.append((i + 1, [text], []))
        elif papers and (line.strip() or papers[-1][2]):
            papers[-1][2].append(line)
        i += 1

    for lineno, title_parts, block in papers:
        title_text, ref, url = _unlink(" ".join(title_parts))
        title = clean(title_text)
        if not title:
            yield ParseProblem(source, "heading without a title", line=lineno)
            continue
        arxiv_id = _arxiv_from_link(url or (refs.get(ref) if ref else None))
        abstract, n_authors, organization, printed, upvotes = _markdown_block(block)
        published = dates.resolve(printed) if printed else None
        yield _paper(
            source,
            title,
            abstract,
            n_authors=n_authors,
            organization=organization,
            published=published,
            upvotes=upvotes,
            arxiv_id=arxiv_id,
        )


def _markdown_block(
    block: list[str],
) -> tuple[str, int | None, str | None, PageDate | None, int | None]:
    """Abstract, author count, organisation, printed date and upvotes of one paper's block."""
    groups: list[str] = []  # contents of "[ … ][n]" spans
    plain: list[str] = []
    i = 0
    while i < len(block):
        s = block[i].strip()
        if s.startswith("[") and not _REF_DEF.match(s):
            span = [s[1:]]
            j = i
            while not _LINK_END.search(block[j].rstrip()) and j + 1 < len(block):
                if not block[j + 1].strip():
                    break
                j += 1
                span.append(block[j].strip())
            joined = " ".join(span)
            m = _LINK_END.search(joined)
            groups.append(joined[: m.start()] if m else joined)
            i = j + 1
            continue
        if s:
            plain.append(s)
        i += 1

    abstract = ""
    upvotes: int | None = None
    for content in groups:
        c = content.strip()
        if c.isdigit():
            upvotes = int(c)
        elif c != "-" and len(c) > len(abstract):
            abstract = c

    n_authors: int | None = None
    organization: str | None = None
    printed: PageDate | None = None
    for k, s in enumerate(plain):
        if printed is None and parse_page_date(s.lstrip("·").strip()):
            printed = parse_page_date(s.lstrip("·").strip())
            if printed and printed.upvotes is not None:
                upvotes = printed.upvotes
        elif s[:1] in "*•" and n_authors is None and organization is None:
            n_authors, organization = _byline(s)
        elif printed is None and k + 1 < len(plain) and _is_dot(plain[k + 1]) and s != "·":
            n_authors, organization = _byline(s)
        elif printed is not None and upvotes is None and s.isdigit():
            upvotes = int(s)
    return clean(abstract), n_authors, organization, printed, upvotes
