"""Reading one dump file for ingest, safely: what Library.ingest needs beyond the parsers.

A one-pass content digest and line count (to tell a touched file from a changed one, and a
snapshot that only grew from one rewritten), a cap on the problems listed for one file, a guard
that turns a parser bug into a problem for that file instead of a traceback, and names for
files whose names need escaping. Kept apart from search/library.py, which is about the order of
the ingest's steps and their transactions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from paperbrowse.search.models import Paper, ParseProblem
from paperbrowse.search.serialize import paper_from_json, paper_to_json

_INTERNAL = "internal error while parsing"

#: Problems of one file listed one by one; the others are counted. A file of the wrong kind
#: forced as JSON lines has one per line: millions of them, in memory and on the terminal.
MAX_PROBLEMS_LISTED = 100


class Problems(list):
    """A file's problems: the first MAX_PROBLEMS_LISTED, and any that stopped the reading."""

    def __init__(self) -> None:
        super().__init__()
        self.unlisted = 0

    def append(self, problem: ParseProblem) -> None:
        if len(self) < MAX_PROBLEMS_LISTED or problem.stopped:
            super().append(problem)
        else:
            self.unlisted += 1


def guarded(items: Iterable, name: str, problems: list[ParseProblem]) -> Iterable:
    """The parser's items; a parser bug becomes a problem for this file, not a traceback.

    The file is then not marked complete, so the next ingest reads it again.
    """
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - reported to the user, other files go on
        problems.append(
            ParseProblem(name, f"{_INTERNAL}: {type(exc).__name__}: {exc}", stopped=True)
        )


def under_name(items: Iterable, name: str) -> Iterator:
    """Items of a file whose name needs escaping, naming it by ``name`` (see path_text)."""
    for item in items:
        if isinstance(item, ParseProblem):
            yield dataclasses.replace(item, source=name)
        else:
            yield dataclasses.replace(item, sources=(name,))


def file_key(path: Path) -> str | bytes:
    text = str(path)
    try:
        text.encode()
    except UnicodeEncodeError:
        return os.fsencode(path)
    return text


def detect_quietly(path: Path) -> str | None:
    """The format detected from the content, for the manifest; reading reports the problems."""
    from paperbrowse.search.dumps import detect_format

    try:
        return detect_format(path)
    except Exception:  # noqa: BLE001 - e.g. RecursionError on a deeply nested sample
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(paper: Paper) -> Paper:
    """The paper with every lone surrogate replaced by U+FFFD, in whatever field it is."""
    return paper_from_json(_SURROGATE.sub("\ufffd", paper_to_json(paper)))


class Scan(NamedTuple):
    """One pass over a dump file (see digest_and_lines)."""

    digest: str
    lines: int
    #: The digest of the first ``prefix`` bytes (None: no prefix asked, or the file is
    #: shorter), the newlines in them and after them, whether they end with one.
    prefix_digest: str | None = None
    prefix_lines: int = 0
    lines_after: int = 0
    prefix_ends_line: bool = False


def digest_and_lines(path: Path, prefix: int | None = None) -> Scan:
    """A content digest (to tell a touched file from a changed one) and the newline count, in
    one pass over the file; with ``prefix``, the same of its first ``prefix`` bytes too (the
    digest a file had when it was that long: a snapshot that only grew still has it)."""
    h = hashlib.blake2b(digest_size=16)
    lines = 0
    read = 0
    head: tuple[str, int, bool] | None = None
    last = b""
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            if prefix is not None and head is None and read + len(chunk) >= prefix:
                cut = prefix - read
                h.update(chunk[:cut])
                before = chunk[cut - 1 : cut] if cut else last
                head = (h.copy().hexdigest(), lines + chunk.count(b"\n", 0, cut), before == b"\n")
                h.update(chunk[cut:])
            else:
                h.update(chunk)
            lines += chunk.count(b"\n")
            read += len(chunk)
            last = chunk[-1:]
    if head is None:
        return Scan(h.hexdigest(), lines)
    return Scan(h.hexdigest(), lines, head[0], head[1], lines - head[1], head[2])
