"""Hugging Face Daily Papers pages copied as text, and markdown/text-browser captures of them.

Plain copies come in three layouts: blank-line separated paragraphs with a ``• 9 authors`` /
``·`` / date block after each abstract; the same without those blocks; and no blank lines at all
(title and abstract alternate, the page header glued to the first title: ``SubscribeUnifying…``).
They are read as one sequence of items, so the three layouts share one parser.

Markdown and text-browser captures (``### [Title][12]``, bracketed abstracts and bylines) have
their own parser, :mod:`search.dumps.hf_markdown`.

Dates without a year (``Dec 3``) are in the page's own year; see :mod:`search.dumps.page`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ..models import Paper, ParseNote, ParseProblem
from ..text import clean
from . import hf_markdown
from .dates import PageDate, mtime_date, parse_page_date
from .decode import read_text
from .page import (
    AUTHORS,
    BULLETS,
    FORMAT,
    HEADER_LINES,
    PageDates,
    byline,
    capture_date,
    make_paper,
)

__all__ = ["FORMAT", "HEADER_LINES", "parse_text", "read"]


def read(path: Path, as_of: date | None = None) -> Iterator[Paper | ParseProblem | ParseNote]:
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
) -> Iterator[Paper | ParseProblem | ParseNote]:
    """Papers from the text of a page copy (any layout), and a note if dates were guessed."""
    lines = text.splitlines()
    parser = hf_markdown.parse_lines if hf_markdown.is_markdown(lines) else _plain
    count = 0
    for item in parser(lines, source, as_of, fallback_as_of):
        if isinstance(item, Paper):
            count += 1
        yield item
    if not count:
        yield ParseProblem(source, "no papers found in this page copy")


# ---------------------------------------------------------------------------------------------
# Plain copies


def _is_dot(text: str) -> bool:
    return text.strip().startswith("·")


def _is_byline(text: str) -> bool:
    s = text.strip()
    return s[:1] == "•" or bool(AUTHORS.fullmatch(s.lstrip(BULLETS).strip()))


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
) -> Iterator[Paper | ParseProblem | ParseNote]:
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
        found = capture_date(s)
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
    dates = PageDates.build(as_of, capture, fallback, page_line)

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
                n_authors, organization = byline(text)
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
        yield make_paper(
            source,
            title_text,
            clean(abstract),
            n_authors=n_authors,
            organization=organization,
            published=published,
            upvotes=upvotes,
        )
    note = dates.note(source)
    if note is not None:
        yield note


def _looks_like_abstract(text: str) -> bool:
    return len(text) > 200


def _starts_meta(items: list[tuple[int, str]], k: int) -> bool:
    """Whether item ``k`` begins a byline/date block rather than a title or an abstract."""
    text = items[k][1]
    if _is_dot(text) or _is_byline(text) or parse_page_date(text):
        return True
    # An organisation name has no bullet; it is recognised by the "·" that follows it.
    return k + 1 < len(items) and _is_dot(items[k + 1][1])
