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

from ..models import Paper, ParseNote, ParseProblem
from ..text import arxiv_abs_url, bare_arxiv_id, clean, title_id
from . import sniff
from .common import abstract_urls, optional, unique_urls
from .dates import file_name_date, iso_date, mtime_date
from .decode import fix_mojibake, read_text
from .literal import literal_entry

FORMAT = "hf-json"

_WHITESPACE = " \t\r\n"


def read(path: Path, as_of: date | None = None) -> Iterator[Paper | ParseProblem | ParseNote]:
    """Papers of one API response file."""
    text = read_text(path)
    # The day of the listing: in the file's name (``daily_papers_2024-07-05.json``), else only
    # guessed (as_of, the file's time) for entries that do not say it themselves.
    named = file_name_date(path)
    day = named or as_of or mtime_date(path)
    guessed = named is None and as_of is None
    yield from parse_text(text, str(path), day, listing=named, day_guessed=guessed)


def parse_text(
    text: str,
    source: str,
    file_day: date | None,
    *,
    listing: date | None = None,
    day_guessed: bool = False,
) -> Iterator[Paper | ParseProblem | ParseNote]:
    """Papers from the text of a daily-papers JSON array (or a wrapped day, or one entry).

    ``listing`` is the day the file is known to list (from its name); ``file_day`` the day
    assumed for entries without ``submittedOnDailyAt`` when it is not known, and
    ``day_guessed`` says it is the file's time (a note then says so, once).
    """
    recovered = 0
    fell_back = False
    context: dict[str, Any] = {}
    for item in _iter_items(text, source, context):
        if isinstance(item, ParseProblem):
            yield item
            continue
        number, line, obj = item
        where = {"line": line, "record": f"record {number}"}
        if isinstance(obj, str):
            # Some scrapers saved each entry as the str() of the Python dict.
            try:
                obj = literal_entry(obj)
            except ValueError as exc:
                yield ParseProblem(source, str(exc), **where)
                continue
            recovered += 1
        try:
            listed = context.get("date") or listing
            paper = to_paper(obj, source, listed or file_day, listed=listed)
            inner = obj.get("paper") if isinstance(obj.get("paper"), dict) else obj
            if listed is None and iso_date(inner.get("submittedOnDailyAt")) is None:
                fell_back = True
            yield paper
        except _BadRecord as exc:
            yield ParseProblem(source, str(exc), **where)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            yield ParseProblem(source, f"malformed record: {exc}", **where)
    if recovered:
        yield ParseNote(
            source,
            f"{recovered} {'entry' if recovered == 1 else 'entries'} read from Python-literal "
            "strings (the file holds str() of each entry, not JSON objects)",
            recovered=recovered,
        )
    if day_guessed and fell_back and file_day is not None:
        yield ParseNote(
            source,
            f"entries without submittedOnDailyAt read as featured on {file_day.isoformat()}, "
            "the file's time (its name has no YYYY-MM-DD day; --as-of DATE says which day it is)",
        )


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _iter_items(
    text: str, source: str, context: dict[str, Any]
) -> Iterator[tuple[int, int, Any] | ParseProblem]:
    """(record number, line, object) for each complete array item; problems where it breaks.

    A wrapped day's own ``date`` goes into ``context``.
    """
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if pos >= len(text):
        yield ParseProblem(source, "empty file")
        return
    if text[pos] == "{":
        # A single object: a wrapped day, one entry saved on its own, or an API error.
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield ParseProblem(source, _message(exc, text), line=exc.lineno)
            return
        except RecursionError:
            yield ParseProblem(source, _TOO_DEEP, line=_line_of(text, pos))
            return
        if isinstance(obj, dict) and isinstance(obj.get("data"), list) and "paper" not in obj:
            # {"status": "success", "date": …, "count": …, "data": [...]}
            context["date"] = iso_date(obj.get("date"))
            data = next(at for key, at in sniff.members(text, pos) if key == "data")
            yield from _iter_array(text, data, source, closing=False)
            return
        if isinstance(obj, dict) and "error" in obj and "paper" not in obj:
            yield ParseProblem(source, f"Hugging Face API error: {clean(str(obj['error']))}")
            return
        yield 1, _line_of(text, pos), obj
        # More entries may follow, one a line (entries saved as JSON lines).
        lines = _Lines(text)
        number = 1
        pos = _skip_ws(text, end)
        while pos < len(text):
            number += 1
            line = lines.at(pos)
            if text[pos] != "{":
                yield ParseProblem(source, "extra data after the JSON object", line=line)
                return
            try:
                obj, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                # The line the entry starts on (a cut-off line runs on into the next); the
                # entries on the lines after it are still read.
                yield ParseProblem(
                    source, _message(exc, text), line=line, record=f"record {number}"
                )
                following = text.find("\n", pos)
                if following < 0:
                    return
                pos = _skip_ws(text, following)
                continue
            except RecursionError:
                yield ParseProblem(source, _TOO_DEEP, line=line, record=f"record {number}")
                end = _end_of_value(text, pos)
                if end is None:
                    return
                pos = _skip_ws(text, end)
                continue
            yield number, line, obj
            pos = _skip_ws(text, end)
        return
    if text[pos] != "[":
        yield ParseProblem(
            source, "not a Hugging Face daily-papers JSON array", line=_line_of(text, pos)
        )
        return
    yield from _iter_array(text, pos, source, closing=True)


def _iter_array(
    text: str, pos: int, source: str, *, closing: bool
) -> Iterator[tuple[int, int, Any] | ParseProblem]:
    """The items of the array at ``pos``; ``closing``: nothing may follow it."""
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    pos += 1
    number = 0
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            yield ParseProblem(
                source, "truncated JSON: the array is not closed", line=_line_of(text, pos)
            )
            return
        if text[pos] == "]":
            rest = _skip_ws(text, pos + 1)
            if closing and rest < len(text):
                yield ParseProblem(
                    source, "extra data after the JSON array", line=_line_of(text, rest)
                )
            return
        if number and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
        elif number:
            yield ParseProblem(
                source, "invalid JSON: expected ',' between items", line=_line_of(text, pos)
            )
            return
        if pos >= len(text):
            yield ParseProblem(
                source, "truncated JSON: the array is not closed", line=_line_of(text, pos)
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
            yield ParseProblem(source, _TOO_DEEP, line=lines.at(pos), record=f"record {number}")
            end = _end_of_value(text, pos)
            if end is None:
                return
            pos = end
            continue
        yield number, lines.at(pos), obj
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


class _Lines:
    """Line numbers of increasing positions, counted once (a day of 100k entries would
    otherwise count its newlines from the start for every entry)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            return _line_of(self.text, pos)
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _message(exc: json.JSONDecodeError, text: str) -> str:
    # A string cut off by the end of the file is reported where it starts.
    cut_string = exc.msg.startswith("Unterminated string") and '"' not in text[exc.pos + 1 :]
    if cut_string or exc.pos >= len(text.rstrip()) - 1:
        return f"truncated JSON: {exc.msg}"
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


class _BadRecord(ValueError):
    pass


def _text(value: object) -> str:
    return fix_mojibake(clean(value)) if isinstance(value, str) else ""


def to_paper(
    entry: Any, source: str, file_day: date | None, *, listed: date | None = None
) -> Paper:
    """One API entry (``{"paper": {...}, ...}`` or a bare paper object) as a Paper.

    It was featured on ``submittedOnDailyAt`` and on ``listed``, the day the file lists (when
    known); ``file_day`` stands in when neither is known.
    """
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
    submitted = iso_date(paper.get("submittedOnDailyAt"))
    # The file is the day's listing: the paper was on it, even if it was submitted earlier.
    days = tuple(sorted({d for d in (submitted, listed) if d is not None}))
    if not days and file_day is not None:
        days = (file_day,)
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
        featured=days[0] if days else None,
        featured_days=days,
        withdrawn=iso_date(paper.get("withdrawnAt") or entry.get("withdrawnAt")),
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
