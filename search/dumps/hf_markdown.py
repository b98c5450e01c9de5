"""Markdown and text-browser captures of Daily Papers pages (a day's page or a search page).

As described in dumps/SOURCES.md ("Other captures"), a capture may open with a header (``# Web
source``, ``- URL: …``, ``- Captured (UTC): 2026-06-29T16:31:22…``, the anchor for year-less
dates) and hold the page inside a ```` ```text ```` fence. Navigation, the inbox lines, tabs
(``* Daily`` …) and the page date come before the first paper. Each paper is::

    ### [Title][32]                 a long title may continue on a second "###" line
    [                               the abstract, in a bracket of its own, hard-wrapped
    <blank>, abstract lines, <blank>
    ][33]
    [                               the byline, bracketed: "* 3 authors" ...
    * 3 authors
    ][34]                           ... or one line for an organisation: [[microsoft] Microsoft][67]
    ·
    Mar 8, 2024 [ 6][39]            the date; "[ 6][39]" is a comments link (6 comments)
    [
    65                              the upvotes, "-" for none
    ][35]

Simpler captures (the abstract on the ``[`` line, a plain ``* 9 authors`` byline) read the same
way. A capture cut off with ``[Content truncated]`` keeps its last paper with what was captured
of it (an abstract cut short ends in "…"), and says so in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from ..models import Paper, ParseNote, ParseProblem
from ..text import bare_arxiv_id, clean
from .dates import PageDate, parse_page_date
from .page import PageDates, byline, capture_date, make_paper

TRUNCATED = "[Content truncated]"

_REF_DEF = re.compile(r"^\s*\[([^\]]+)\]:\s*(\S+)")
_LINK_END = re.compile(r"\](?:\[(?P<ref>[^\]]*)\]|\((?P<url>[^)\s]*)\))\s*$")
_HF_PAPER = re.compile(r"(?:^|/)papers/([^/?#\s]+)")
# The end of a bracketed span: "][33]" (or "](url)") closing the line.
_SPAN_END = re.compile(r"\](?:\[[^\]]*\]|\([^)\s]*\))\s*$")
_CLOSE_LINE = re.compile(r"^\](?:\[[^\]]*\]|\([^)\s]*\))$")
# A comments link after a date: "Mar 8, 2024 [ 6][39]".
_COMMENTS = re.compile(r"\s*\[\s*(\d+)\s*\](?:\[[^\]]*\]|\([^)\s]*\))\s*$")
# An organisation byline inside its bracket: "[microsoft] Microsoft".
_ORG = re.compile(r"^\[([^\]]*)\]\s*(\S.*)$")
_AUTHOR_COUNT = re.compile(r"(?i)^[*•]?\s*(\d[\d,]*)\s+authors?$")
_URL_LINE = re.compile(r"(?i)^-?\s*url:\s*https?://(?:www\.)?huggingface\.co/papers")
# A day page's address holds its date with the year: ".../papers/date/2026-03-10".
_URL_DAY = re.compile(r"huggingface\.co/papers/date/(\d{4})-(\d{2})-(\d{2})")


def is_markdown(lines: list[str]) -> bool:
    """True for a markdown/text-browser capture (papers under ``###`` headings)."""
    return any(line.startswith("### ") for line in lines)


def is_capture_header(line: str) -> bool:
    """``- URL: https://huggingface.co/papers…``: the header of a capture of a papers page."""
    return bool(_URL_LINE.match(line.strip()))


@dataclass
class _Block:
    line: int
    title: list[str]
    body: list[str] = field(default_factory=list)


def parse_lines(
    lines: list[str], source: str, as_of: date | None, fallback: date | None
) -> Iterator[Paper | ParseProblem | ParseNote]:
    """The papers of a capture, then notes (truncation, a guessed date anchor)."""
    refs: dict[str, str] = {}
    for line in lines:
        m = _REF_DEF.match(line)
        if m:
            refs.setdefault(m.group(1), m.group(2))

    first = next(i for i, line in enumerate(lines) if line.startswith("### "))
    page_line: PageDate | None = None
    capture: date | None = None
    for line in lines[:first]:
        capture = capture or capture_date(line)
        day = _URL_DAY.search(line) if is_capture_header(line) else None
        if day:
            # The page's own date, year included: better than its "Mar 10" line.
            year, month, mday = (int(g) for g in day.groups())
            page_line = PageDate(month, mday, year, None)
            continue
        printed = parse_page_date(line)
        if printed and page_line is None:
            page_line = printed
    dates = PageDates.build(as_of, capture, fallback, page_line)

    truncated_in: str | None = None
    for block in _blocks(lines, first):
        title_text, ref, url = _unlink(" ".join(block.title))
        title = clean(title_text)
        if not title:
            yield ParseProblem(source, "heading without a title", line=block.line)
            continue
        arxiv_id = _arxiv_from_link(url or (refs.get(ref) if ref else None))
        fields = _read_block(block.body)
        if fields.truncated:
            truncated_in = title
        yield make_paper(
            source,
            title,
            fields.abstract,
            n_authors=fields.n_authors,
            organization=fields.organization,
            published=dates.resolve(fields.printed) if fields.printed else None,
            upvotes=fields.upvotes,
            arxiv_id=arxiv_id,
        )
    if truncated_in is not None:
        yield ParseNote(
            source,
            f"the capture is truncated ({TRUNCATED}): its last paper, {truncated_in!r}, "
            "has only what was captured of it",
        )
    note = dates.note(source)
    if note is not None:
        yield note


def _blocks(lines: list[str], first: int) -> Iterator[_Block]:
    """Each paper's heading (one or two ``###`` lines) and the lines up to the next heading."""
    current: _Block | None = None
    for i in range(first, len(lines)):
        line = lines[i]
        if _REF_DEF.match(line):
            break  # the reference list closes the page
        if line.startswith("### "):
            text = line[4:].strip()
            # A long title continues on the next "###" line unless its link already closed.
            if (
                current is not None
                and not current.body
                and not _LINK_END.search(" ".join(current.title))
            ):
                current.title.append(text)
                continue
            if current is not None:
                yield current
            current = _Block(i + 1, [text])
        elif current is not None:
            current.body.append(line)
    if current is not None:
        yield current


@dataclass
class _Fields:
    abstract: str = ""
    n_authors: int | None = None
    organization: str | None = None
    printed: PageDate | None = None
    upvotes: int | None = None
    truncated: bool = False


def _read_block(body: list[str]) -> _Fields:
    """Abstract, byline, date and upvotes from the lines under a paper's heading."""
    out = _Fields()
    have_abstract = have_byline = False
    elements = list(_elements(body))
    for k, (kind, text) in enumerate(elements):
        before_dot = k + 1 < len(elements) and elements[k + 1][0] == "dot"
        if kind == "truncated":
            out.truncated = True
            break
        if kind == "cut":  # a bracket the truncation left open
            out.truncated = True
            if not have_abstract and text:
                out.abstract = clean(text) + " …"
            break
        if out.printed is not None:
            # After the date only the upvotes remain: "65" or "-" (bracketed or not).
            if out.upvotes is None and text.isdigit():
                out.upvotes = int(text)
            continue
        if kind == "dot":
            printed = _date(text) if text else None
            if printed is not None:
                out.printed, out.upvotes = printed
            continue
        printed = _date(text) if kind == "line" else None
        if printed is not None:
            out.printed, out.upvotes = printed
            continue
        count = _AUTHOR_COUNT.match(text.strip())
        if kind == "span" and have_abstract and (text == "-" or text.isdigit()):
            # The upvotes of a paper whose page showed no date.
            out.upvotes = int(text) if text.isdigit() else None
        elif count and not have_byline:
            out.n_authors = int(count.group(1).replace(",", ""))
            have_byline = True
        elif kind == "span" and have_abstract and not have_byline:
            org = _ORG.match(text)
            out.organization = clean(org.group(2) if org else text) or None
            have_byline = True
        elif kind == "span" and not have_abstract:
            out.abstract = clean(text)
            have_abstract = True
        elif kind == "line" and not have_byline and (text[:1] in "*•" or before_dot):
            out.n_authors, out.organization = byline(text)
            have_byline = True
    return out


def _date(text: str) -> tuple[PageDate, int | None] | None:
    """A date line (a comments link after it is not upvotes) and the upvotes it carries."""
    printed = parse_page_date(_COMMENTS.sub("", text).lstrip("·").strip())
    if printed is None:
        return None
    return printed, printed.upvotes


def _elements(body: list[str]) -> Iterator[tuple[str, str]]:
    """(kind, text) for each part of a paper's block: ``span`` (the inside of ``[`` … ``][n]``,
    its lines joined), ``dot`` (a ``·`` line, and what follows it on the line), ``line``,
    ``truncated`` and ``cut`` (a span the truncation left open)."""
    i = 0
    while i < len(body):
        s = body[i].strip()
        i += 1
        if not s or s.startswith("```"):
            continue
        if s == TRUNCATED:
            yield "truncated", ""
            return
        if s.startswith("·"):
            yield "dot", s[1:].strip()
            continue
        if not s.startswith("[") or _REF_DEF.match(s):
            yield "line", s
            continue
        end = _span_end(body, i - 1)
        if end is None:
            # Open to the end: the capture was cut inside this bracket.
            parts = []
            for t in body[i - 1 :]:
                if t.strip() == TRUNCATED or t.strip().startswith("```"):
                    break
                parts.append(t.strip())
            yield "cut", _inside(parts)
            return
        parts = [t.strip() for t in body[i - 1 : end + 1]]
        i = end + 1
        yield "span", _inside(parts)


def _span_end(body: list[str], start: int) -> int | None:
    """The line that closes the bracket opened at ``start``.

    A line that is only ``][n]`` closes it; so does a line ending in ``][n]`` where the brackets
    balance (a link inside the abstract does not). With neither, the first line ending in
    ``][n]`` (unbalanced brackets in the text itself, ``[0, 1)``); None if none before the next
    truncation marker or the end.
    """
    depth = 0
    loose: int | None = None
    for j in range(start, len(body)):
        s = body[j].strip()
        if s == TRUNCATED or s.startswith("```"):
            break
        if j > start and _CLOSE_LINE.match(s):
            return j
        ends = _SPAN_END.search(s)
        body_end = ends.start() if ends else len(s)
        depth += s[:body_end].count("[") - s[:body_end].count("]")
        if ends:
            if depth <= 1:
                return j
            loose = j if loose is None else loose
    return loose


def _inside(parts: list[str]) -> str:
    """The text inside a span's lines: the opening ``[`` and closing ``][n]`` taken off."""
    text = "\n".join(parts)
    text = text[1:] if text.startswith("[") else text
    m = _SPAN_END.search(text)
    if m:
        text = text[: m.start()]
    return " ".join(text.split())


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


__all__ = ["TRUNCATED", "is_capture_header", "is_markdown", "parse_lines"]
