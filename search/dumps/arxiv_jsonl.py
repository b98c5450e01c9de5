"""The arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``): JSON lines.

The real file is ~4.5 GB and 2.7M lines, so it is streamed line by line in constant memory, and
the per-record work is kept to ``json.loads`` plus a few string operations: this is the hot path
of a full ingest. A bad line becomes a problem with its line number and reading goes on.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..models import Paper, ParseProblem
from ..text import arxiv_abs_url, bare_arxiv_id, title_id
from .common import abstract_urls, fast_clean, optional, unique_urls
from .dates import rfc2822_date
from .decode import SNIFF_BYTES, decode_legacy, line_encoding

FORMAT = "arxiv-jsonl"

#: The longest line read. A record of the real snapshot is at most a few hundred KB; a line of
#: gigabytes (a file that is not JSON lines, forced with --format) would be held in memory
#: whole. Longer lines are skipped without being kept, and reported.
MAX_LINE = 64 << 20

# Snapshot ids are already bare: "0704.0001", "hep-th/9901001", "math.GT/0309136".
_BARE_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})\Z")


def read(path: Path, as_of: date | None = None) -> Iterator[Paper | ParseProblem]:
    """Stream the papers of a snapshot file (``as_of`` is unused: every date has a year)."""
    source = str(path)
    with open(path, "rb") as fh:
        encoding = line_encoding(fh.read(SNIFF_BYTES))
        fh.seek(0)
        if encoding is not None:
            # Rare (a re-saved sample), but byte lines would split UTF-16 characters: the
            # encoding seen at the start (BOM or not) decodes the whole file.
            text = io.TextIOWrapper(fh, encoding=encoding, errors="replace")
            yield from iter_records(_bounded_lines(text, "\n"), source)
        else:
            yield from iter_records(_bounded_lines(fh, b"\n"), source)


def _bounded_lines(fh, newline):
    """The file's lines, with None in place of a line longer than MAX_LINE (read through in
    MAX_LINE pieces, never held whole)."""
    limit = MAX_LINE
    while line := fh.readline(limit):
        if len(line) >= limit and not line.endswith(newline):
            while (rest := fh.readline(limit)) and not rest.endswith(newline):
                pass
            yield None
            continue
        yield line


def iter_records(
    lines: Iterable[bytes | str | None], source: str
) -> Iterator[Paper | ParseProblem]:
    """Papers from an iterable of JSON lines, consumed lazily one line at a time."""
    legacy_lines = 0  # lines read in a legacy encoding: the first is named, the others counted
    read_any = False  # a line that was not blank: otherwise the file gave nothing to report
    for lineno, raw in enumerate(lines, start=1):
        if raw is None:
            yield ParseProblem(
                source, f"line longer than {MAX_LINE >> 20} MB: not a record, skipped", line=lineno
            )
            continue
        if lineno == 1:
            if isinstance(raw, bytes) and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            elif isinstance(raw, str) and raw.startswith("\ufeff"):
                raw = raw[1:]
        if not raw.strip():
            continue
        read_any = True
        try:
            record = json.loads(raw)
        except UnicodeDecodeError:
            # A line that is not UTF-8: read it in a legacy encoding rather than lose the
            # record, and say so (its accents may be wrong).
            text, legacy = decode_legacy(raw)  # type: ignore[arg-type]
            try:
                record = json.loads(text)
            except ValueError as exc:
                yield ParseProblem(source, f"invalid JSON: {exc}", line=lineno)
                continue
            except RecursionError:
                yield ParseProblem(source, _TOO_DEEP, line=lineno)
                continue
            legacy_lines += 1
            if legacy_lines == 1:
                yield ParseProblem(
                    source,
                    f"not valid UTF-8: read as {legacy} (accents may be wrong)",
                    line=lineno,
                )
        except ValueError as exc:
            yield ParseProblem(source, _json_message(exc, raw), line=lineno)
            continue
        except RecursionError:
            # json.loads recurses once per nesting level: a line of 100k brackets must cost
            # that line only, not the rest of the file.
            yield ParseProblem(source, _TOO_DEEP, line=lineno)
            continue
        try:
            yield to_paper(record, source)
        except _BadRecord as exc:
            yield ParseProblem(source, str(exc), line=lineno)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            yield ParseProblem(source, f"malformed record: {exc}", line=lineno)
    if not read_any:
        # Blank lines only (spaces, tabs, form feeds…): no record, and that is worth saying.
        yield ParseProblem(source, "no JSON lines in the file: only blank lines")
    if legacy_lines > 1:
        yield ParseProblem(
            source,
            f"{legacy_lines - 1} more lines not valid UTF-8, read the same way "
            "(accents may be wrong)",
        )


_TOO_DEEP = "JSON nested too deeply to read (thousands of levels): record skipped"


class _BadRecord(ValueError):
    pass


def _json_message(exc: ValueError, raw: bytes | str) -> str:
    """Say whether a line was cut short (a partial download) or is not JSON at all."""
    text = (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw).strip()
    try:
        # Again without the line break, which would otherwise be the reported culprit.
        json.loads(text)
    except json.JSONDecodeError as again:
        exc = again
    except ValueError:
        pass
    if isinstance(exc, json.JSONDecodeError):
        if exc.pos >= len(text) - 1 or exc.msg.startswith("Unterminated"):
            return f"truncated JSON: {exc.msg}"
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    return f"invalid JSON: {exc}"


def to_paper(record: Any, source: str) -> Paper:
    """One snapshot record as a Paper. Raises on records without a usable title."""
    if not isinstance(record, dict):
        raise _BadRecord(f"expected a JSON object, got {type(record).__name__}")
    title = fast_clean(record.get("title"))
    if not title:
        raise _BadRecord("missing title")
    raw_id = record.get("id")
    if isinstance(raw_id, str) and _BARE_ID.match(raw_id):
        arxiv_id: str | None = raw_id  # the usual case; skips bare_arxiv_id's substitutions
    else:
        arxiv_id = bare_arxiv_id(str(raw_id)) if raw_id is not None else None
    abstract = fast_clean(record.get("abstract"))

    authors, affiliations = _authors(record)

    versions = record.get("versions") or ()
    published = updated = None
    if versions:
        published = rfc2822_date(versions[0].get("created"))
        updated = rfc2822_date(versions[-1].get("created"))

    categories = record.get("categories")
    urls = abstract_urls(abstract)
    if arxiv_id:
        urls.append(arxiv_abs_url(arxiv_id))
    return Paper(
        id=arxiv_id or title_id(title),
        title=title,
        abstract=abstract,
        authors=authors,
        n_authors=len(authors) or None,
        published=published,
        categories=tuple(fast_clean(categories).split()) if isinstance(categories, str) else (),
        doi=optional(record.get("doi")),
        journal_ref=optional(record.get("journal-ref")),
        comments=optional(record.get("comments")),
        urls=unique_urls(urls),
        sources=(source,),
        kinds=(FORMAT,),
        arxiv_id=arxiv_id,
        updated=updated,
        license=optional(record.get("license")),
        report_no=optional(record.get("report-no")),
        submitter=optional(record.get("submitter")),
        affiliations=affiliations,
    )


def _authors(record: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names in "First Last Suffix" order from ``authors_parsed``, and affiliations per author.

    ``authors_parsed`` has the names decoded to Unicode (``authors`` keeps TeX accents), so it is
    preferred; the raw string is only a fallback. Affiliations are parallel to the names
    ("" for an author without one) and empty when no author has one.
    """
    parsed = record.get("authors_parsed")
    if not parsed:
        return _authors_from_string(record.get("authors")), ()
    names: list[str] = []
    affiliations: list[str] = []
    any_affiliation = False
    for entry in parsed:
        if not entry:
            continue
        last = entry[0] or ""
        first = entry[1] if len(entry) > 1 and entry[1] else ""
        suffix = entry[2] if len(entry) > 2 and entry[2] else ""
        if "-" in first:
            # The snapshot splits hyphenated initials: "C. -P." is "C.-P." on the paper.
            first = first.replace(". -", ".-")
        name = fast_clean(" ".join(part for part in (first, last, suffix) if part))
        if not name:
            continue
        names.append(name)
        affiliation = "; ".join(fast_clean(a) for a in entry[3:] if a) if len(entry) > 3 else ""
        any_affiliation = any_affiliation or bool(affiliation)
        affiliations.append(affiliation)
    return tuple(names), tuple(affiliations) if any_affiliation else ()


def _authors_from_string(authors: object) -> tuple[str, ...]:
    if not isinstance(authors, str):
        return ()
    text = fast_clean(authors).replace(" and ", ", ")
    return tuple(name.strip() for name in text.split(",") if name.strip())
