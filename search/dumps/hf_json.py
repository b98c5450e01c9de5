"""The Hugging Face daily-papers API (``/api/daily_papers?date=…``): a JSON array.

Two schemas occur (2024: the bare paper; 2026: AI summary, keywords, code links, organisation);
optional fields are absent. Items are decoded one at a time with ``raw_decode`` so that a file cut
off mid-download still gives every complete item, plus a problem saying where it broke.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..models import Paper, ParseProblem
from ..text import arxiv_abs_url, bare_arxiv_id, clean, title_id
from .common import abstract_urls, optional, unique_urls
from .dates import file_name_date, iso_date, mtime_date
from .decode import fix_mojibake, read_text

FORMAT = "hf-json"

_WHITESPACE = " \t\r\n"


def read(path: Path, as_of: date | None = None) -> Iterator[Paper | ParseProblem]:
    """Papers of one API response file."""
    text = read_text(path)
    # The day of the file: its name (``daily_papers_2024-07-05.json``), else as_of, else mtime.
    file_day = file_name_date(path) or as_of or mtime_date(path)
    yield from parse_text(text, str(path), file_day)


def parse_text(text: str, source: str, file_day: date | None) -> Iterator[Paper | ParseProblem]:
    """Papers from the text of a daily-papers JSON array."""
    for item in _iter_items(text, source):
        if isinstance(item, ParseProblem):
            yield item
            continue
        number, line, obj = item
        try:
            yield to_paper(obj, source, file_day)
        except _BadRecord as exc:
            yield ParseProblem(source, str(exc), line=line, record=f"record {number}")
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            yield ParseProblem(
                source, f"malformed record: {exc}", line=line, record=f"record {number}"
            )


class _Lines:
    """Line numbers of positions asked for in increasing order, counted on from the last one:
    a 20,000-item array stays linear (counting from the start for each item took 9 s)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._pos, self._line = 0, 1

    def of(self, pos: int) -> int:
        if pos < self._pos:
            self._pos, self._line = 0, 1
        self._line += self.text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _iter_items(text: str, source: str) -> Iterator[tuple[int, int, Any] | ParseProblem]:
    """(record number, line, object) for each complete array item; problems where it breaks."""
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        yield ParseProblem(source, "empty file")
        return
    if text[pos] == "{":
        # A single object: one entry saved on its own, or an error response from the API.
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield ParseProblem(source, _message(exc, text), line=exc.lineno)
            return
        except RecursionError:
            yield ParseProblem(source, _TOO_DEEP, line=lines.of(pos))
            return
        if isinstance(obj, dict) and "error" in obj and "paper" not in obj:
            yield ParseProblem(source, f"Hugging Face API error: {clean(str(obj['error']))}")
            return
        yield 1, lines.of(pos), obj
        return
    if text[pos] != "[":
        yield ParseProblem(source, "not a Hugging Face daily-papers JSON array", line=lines.of(pos))
        return
    pos += 1
    number = 0
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            yield ParseProblem(
                source, "truncated JSON: the array is not closed", line=lines.of(pos)
            )
            return
        if text[pos] == "]":
            rest = _skip_ws(text, pos + 1)
            if rest < len(text):
                yield ParseProblem(source, "extra data after the JSON array", line=lines.of(rest))
            return
        if number and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
        elif number:
            yield ParseProblem(
                source, "invalid JSON: expected ',' between items", line=lines.of(pos)
            )
            return
        if pos >= len(text):
            yield ParseProblem(
                source, "truncated JSON: the array is not closed", line=lines.of(pos)
            )
            return
        number += 1
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield ParseProblem(
                source, _message(exc, text), line=exc.lineno, record=f"record {number}"
            )
            return
        except RecursionError:
            # The decoder recurses once per nesting level; the item's end is found without
            # recursing, and the items after it are read as usual.
            end = _end_of_value(text, pos)
            yield ParseProblem(source, _TOO_DEEP, line=lines.of(pos), record=f"record {number}")
            if end is None:
                return
            pos = end
            continue
        yield number, lines.of(pos), obj
        pos = end


_TOO_DEEP = "JSON nested too deeply to read (thousands of levels): record skipped"
# What can stand between two brackets of a JSON value: strings (with their escapes) and runs
# of anything else. One regex match per token: linear in the value's length.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|[^"\[\]{}]+')


def _end_of_value(text: str, pos: int) -> int | None:
    """Where the array or object starting at ``pos`` ends, by counting brackets outside
    strings (no recursion, whatever the depth); None if it never closes."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text, pos):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
        elif token[0] == '"' and depth == 0:
            return match.end()
    return None


def _message(exc: json.JSONDecodeError, text: str) -> str:
    if exc.pos >= len(text.rstrip()) - 1:
        return f"truncated JSON: {exc.msg}"
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


class _BadRecord(ValueError):
    pass


def _text(value: object) -> str:
    return fix_mojibake(clean(value)) if isinstance(value, str) else ""


def to_paper(entry: Any, source: str, file_day: date | None) -> Paper:
    """One API entry (``{"paper": {...}, ...}`` or a bare paper object) as a Paper."""
    if not isinstance(entry, dict):
        raise _BadRecord(f"expected a JSON object, got {type(entry).__name__}")
    paper = entry.get("paper") if isinstance(entry.get("paper"), dict) else entry
    title = _text(paper.get("title")) or _text(entry.get("title"))
    if not title:
        raise _BadRecord("missing title")
    abstract = _text(paper.get("summary")) or _text(entry.get("summary"))
    raw_id = paper.get("id")
    arxiv_id = bare_arxiv_id(raw_id) if isinstance(raw_id, str) else None

    raw_authors = paper.get("authors") or []
    authors = tuple(
        name
        for name in (_text(a.get("name")) if isinstance(a, dict) else _text(a) for a in raw_authors)
        if name
    )

    github = paper.get("githubRepo")
    project = paper.get("projectPage")
    urls = unique_urls(
        abstract_urls(abstract),
        (github if isinstance(github, str) else None,),
        (project if isinstance(project, str) else None,),
        (arxiv_abs_url(arxiv_id) if arxiv_id else None,),
    )

    keywords = paper.get("ai_keywords") or ()
    return Paper(
        id=arxiv_id or title_id(title),
        title=title,
        abstract=abstract,
        authors=authors,
        n_authors=len(raw_authors) or None,
        published=iso_date(paper.get("publishedAt")),
        upvotes=_int(paper.get("upvotes")),
        urls=urls,
        sources=(source,),
        kinds=(FORMAT,),
        arxiv_id=arxiv_id,
        featured=iso_date(paper.get("submittedOnDailyAt")) or file_day,
        organization=_organization(paper.get("organization") or entry.get("organization")),
        ai_summary=optional(paper.get("ai_summary")),
        keywords=tuple(k for k in (_text(k) for k in keywords) if k),
        github_stars=_int(paper.get("githubStars")),
    )


def _int(value: object) -> int | None:
    # bool is an int subclass; a stray true/false is not a count.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _organization(org: object) -> str | None:
    """The organisation's display name (``fullname``), else its handle (``name``)."""
    if isinstance(org, dict):
        return optional(org.get("fullname")) or optional(org.get("name"))
    return optional(org)
