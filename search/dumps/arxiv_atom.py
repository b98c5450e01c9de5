"""arXiv API responses (Atom XML), in both wire formats.

2016-era responses hard-wrap text, use ``http://`` links and give ``primary_category`` a scheme;
2026-era ones are one-line with ``https://`` links and author affiliations. Parsing goes through
``defusedxml`` (no entity expansion: a saved response is untrusted input) and entry by entry, so
a truncated download still gives its complete entries. The API's error feed (one entry titled
``Error`` with an ``.../api/errors#...`` id) is never a paper: it becomes a note saying what the
API answered (the file was read as it is: a saved error answer is not a broken dump).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..models import Paper, ParseNote, ParseProblem
from ..text import arxiv_abs_url, bare_arxiv_id, clean, title_id
from .common import abstract_urls, optional, unique_urls
from .dates import iso_date
from .decode import fix_mojibake, read_text

FORMAT = "arxiv-atom"

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"

#: The longest tag (with its attributes), comment or other markup token read. expat 2.5 parses
#: an unfinished token again from its start at every chunk it is fed, so its time grows with
#: the square of a token's size (a 20 MB attribute: 12 s); no arXiv response has a tag of
#: more than a few hundred bytes. Text between tags is not a token and has no such bound.
MAX_TOKEN = 1 << 20
#: What expat is fed at a time: a token below MAX_TOKEN spans at most two chunks, which keeps
#: the parse linear in the file's size below the bound.
FEED_CHARS = 1 << 20
_HUGE_TOKEN = re.compile("<[^<>]{" + str(MAX_TOKEN) + "}")


class _Chunks(io.StringIO):
    """Text that iterparse reads FEED_CHARS at a time instead of its 16 KB."""

    def read(self, size: int | None = -1) -> str:
        return super().read(size if size is None or size < 0 else max(size, FEED_CHARS))


def read(path: Path, as_of: date | None = None) -> Iterator[Paper | ParseProblem | ParseNote]:
    """Papers of one saved API response (``as_of`` is unused: Atom dates are complete)."""
    yield from parse_text(read_text(path), str(path))


def parse_text(text: str, source: str) -> Iterator[Paper | ParseProblem | ParseNote]:
    """Papers (and problems) from the text of an Atom feed."""
    number = 0
    saw_feed = False
    huge = _HUGE_TOKEN.search(text)
    if huge:
        line = text.count("\n", 0, huge.start()) + 1
        yield ParseProblem(
            source, "XML tag longer than 1 MB: not an arXiv API response", line=line, stopped=True
        )
        return
    try:
        for event, element in SafeET.iterparse(_Chunks(text), events=("start", "end")):
            if event == "start":
                if not saw_feed and element.tag != f"{ATOM}feed":
                    yield ParseProblem(source, "not an Atom feed (expected <feed>)")
                    return
                saw_feed = True
                continue
            if element.tag != f"{ATOM}entry":
                continue
            number += 1
            yield _entry(element, source, number)
            # Entries are independent: free each one (keeps big responses small in memory).
            element.clear()
    except DefusedXmlException:
        yield ParseProblem(source, "XML with entity or DTD declarations refused")
    except SafeET.ParseError as exc:
        line, column = exc.position
        yield ParseProblem(source, _xml_message(exc, text, line, column), line=line)


def _xml_message(exc: SafeET.ParseError, text: str, line: int, column: int) -> str:
    lines = text.rstrip().splitlines() or [""]
    # expat reports a truncated document at (or just past) the last character.
    at_end = line >= len(lines) and column >= len(lines[-1]) - 1
    reason = str(exc).split(": line")[0]
    if at_end or "no element found" in reason or "unclosed token" in reason:
        return f"truncated XML: {reason}"
    return f"malformed XML: {reason} (column {column})"


def _text(element: Element, tag: str) -> str:
    found = element.find(tag)
    if found is None or found.text is None:
        return ""
    return fix_mojibake(clean(found.text))


def _entry(entry: Element, source: str, number: int) -> Paper | ParseProblem | ParseNote:
    record = f"entry {number}"
    raw_id = _text(entry, f"{ATOM}id")
    title = _text(entry, f"{ATOM}title")
    if "/api/errors" in raw_id or (title == "Error" and not bare_arxiv_id(raw_id)):
        summary = _text(entry, f"{ATOM}summary") or raw_id or "unknown error"
        return ParseNote(source, f"arXiv API error response, no papers in it: {summary}")
    if not title:
        return ParseProblem(source, "missing title", record=record)
    arxiv_id = bare_arxiv_id(raw_id)
    abstract = _text(entry, f"{ATOM}summary")

    authors: list[str] = []
    affiliations: list[str] = []
    for author in entry.findall(f"{ATOM}author"):
        name = _text(author, f"{ATOM}name")
        if not name:
            continue
        authors.append(name)
        affiliations.append(
            "; ".join(
                fix_mojibake(clean(a.text))
                for a in author.findall(f"{ARXIV}affiliation")
                if a.text and a.text.strip()
            )
        )

    categories: dict[str, None] = {}
    # Terms are attributes, which _text does not see: cleaned here like every text field.
    primary = entry.find(f"{ARXIV}primary_category")
    if primary is not None and clean(primary.get("term")):
        categories[clean(primary.get("term"))] = None
    for category in entry.findall(f"{ATOM}category"):
        term = clean(category.get("term"))
        if term:
            categories.setdefault(term, None)

    return Paper(
        id=arxiv_id or title_id(title),
        title=title,
        abstract=abstract,
        authors=tuple(authors),
        n_authors=len(authors) or None,
        published=iso_date(_text(entry, f"{ATOM}published")),
        categories=tuple(categories),
        doi=optional(_text(entry, f"{ARXIV}doi")),
        journal_ref=optional(_text(entry, f"{ARXIV}journal_ref")),
        comments=optional(_text(entry, f"{ARXIV}comment")),
        urls=unique_urls(abstract_urls(abstract), (arxiv_abs_url(arxiv_id) if arxiv_id else None,)),
        sources=(source,),
        kinds=(FORMAT,),
        arxiv_id=arxiv_id,
        updated=iso_date(_text(entry, f"{ATOM}updated")),
        affiliations=tuple(affiliations) if any(affiliations) else (),
    )
