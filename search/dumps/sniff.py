"""Telling JSON dumps apart by their structure, reading no more of a file than that takes.

A fixed-size head is not enough: a daily-papers day whose first paper has hundreds of authors
puts ``"title"`` tens of KB into the file, and a snapshot record can be longer still. So the
first value is walked as JSON (keys, then the value that decides), skipping nested values with a
regex over whole strings and brackets instead of decoding them, and the text window grows (x4)
only while the walk runs off its end. A 4.5 GB snapshot costs its first line; a day file its
first entry (a wrapped day: the keys before ``data``, then its first entry).

Any failure inside the window is read as "need more text"; at the end of the file (or of
:data:`MAX_SNIFF`) the caller falls back to the old head heuristics, which still name a file cut
off mid-download so that its parser can say where it broke.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from .decode import decode_bytes

#: The most of one file detection will read: far beyond any real first record.
MAX_SNIFF = 32 * 1024 * 1024

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\r\n]*")
# A whole JSON string, or one bracket outside strings.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
# The first key of a Python-literal dict in a string entry: "{'paper': {...".
_LITERAL_KEY = re.compile(r"\s*\{\s*(['\"])(\w+)\1\s*:")

#: Keys of a daily-papers entry or of its ``paper`` object, any of which may come first.
_ENTRY_KEYS = frozenset({"paper", "title", "summary", "publishedAt", "id", "numComments"})
#: Keys only the arXiv snapshot's records have.
_SNAPSHOT_KEYS = frozenset(
    {"submitter", "authors_parsed", "versions", "update_date", "abstract", "categories"}
)


class _Unfit(ValueError):
    """The text so far does not parse as the structure expected (maybe it is cut short)."""


class NotJSON(ValueError):
    """The text starts with ``[`` or ``{`` but is no JSON at all (``[Hugging Face][1]``)."""


_VALUE_START = frozenset('"{[-0123456789tfn]')


class Head:
    """A file's first bytes as text, read further on demand."""

    def __init__(self, path: Path | None, data: bytes, text: str, *, eof: bool) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.eof = eof

    def grow(self) -> bool:
        """Read four times as much; False when there is no more to read (or allowed)."""
        if self.eof or self.path is None or len(self.data) >= MAX_SNIFF:
            return False
        want = min(len(self.data) * 3 or 65536, MAX_SNIFF - len(self.data))
        try:
            with open(self.path, "rb") as fh:
                fh.seek(len(self.data))
                more = fh.read(want)
        except OSError:
            return False
        self.eof = len(more) < want
        self.data += more
        self.text = decode_bytes(self.data, partial=not self.eof)
        return True


def json_kind(head: Head) -> str | None:
    """``hf-json``, ``arxiv-jsonl`` or None for text that starts with ``[`` or ``{``.

    Raises :class:`ValueError` when even all the text allowed does not show the structure
    (invalid or truncated JSON): the caller then guesses from the head.
    """
    while True:
        try:
            return _classify(head.text)
        except NotJSON:
            raise
        except (_Unfit, ValueError, IndexError, TypeError):
            if not head.grow():
                raise ValueError("no complete first JSON value") from None


def _classify(text: str) -> str | None:
    pos = _ws(text, len(text) - len(text.lstrip("\ufeff")))
    if text[pos] == "[":
        return "hf-json" if _array_of_entries(text, pos) else None
    if text[pos] != "{":
        return None
    keys: set[str] = set()
    for key, value in members(text, pos):
        # Decide as soon as a deciding key comes: what follows may be the rest of a big file.
        if key == "data" and text[value] == "[":
            # A day wrapped in an object: {"status": …, "date": …, "count": …, "data": [...]}.
            return "hf-json" if _array_of_entries(text, value) else None
        if key == "paper" and text[value] == "{":
            return "hf-json" if _paper_object(text, value) else None  # one entry on its own
        keys.add(key)
    if _bare_paper(keys):
        return "hf-json"
    if "id" in keys and _SNAPSHOT_KEYS & keys:
        return "arxiv-jsonl"
    return None


def _array_of_entries(text: str, pos: int) -> bool:
    """Whether the array at ``pos`` is a day's entries (judged by its first one)."""
    first = _ws(text, pos + 1)
    c = text[first]
    if c not in _VALUE_START:
        raise NotJSON("not a JSON array")
    if c == "]":
        return True  # a day without papers
    if c == '"':
        # Entries saved as Python-literal strings; one bad string among them is that entry's
        # problem, not the file's, so a few are looked at.
        pos = first
        for _ in range(5):
            value, pos = _DECODER.raw_decode(text, pos)
            if is_entry_literal(value):
                return True
            pos = _ws(text, pos)
            if text[pos] != ",":
                return False
            pos = _ws(text, pos + 1)
        return False
    if c == "{":
        keys: set[str] = set()
        for key, value in members(text, first):
            if key == "paper" and text[value] == "{":
                return _paper_object(text, value)
            keys.add(key)
        return _bare_paper(keys)
    return False


def _paper_object(text: str, pos: int) -> bool:
    keys = {key for key, _ in members(text, pos)}
    return "title" in keys or "summary" in keys


def _bare_paper(keys: set[str]) -> bool:
    # A paper object without its entry: the API calls the abstract "summary", the snapshot
    # "abstract".
    return "title" in keys and "summary" in keys and "abstract" not in keys


def is_entry_literal(value: object) -> bool:
    """Whether a string entry looks like the Python repr of an API entry (``"{'paper': …"``)."""
    if not isinstance(value, str):
        return False
    m = _LITERAL_KEY.match(value)
    return bool(m) and m.group(2) in _ENTRY_KEYS


def members(text: str, pos: int) -> Iterator[tuple[str, int]]:
    """(key, position of its value) for each member of the JSON object at ``pos``.

    Values are skipped, not decoded. Raises ValueError/IndexError where the text is not such an
    object (or ends too soon).
    """
    if text[pos] != "{":
        raise _Unfit("not an object")
    pos = _ws(text, pos + 1)
    if text[pos] == "}":
        return
    if text[pos] != '"':
        raise NotJSON("not a JSON object")
    while True:
        if text[pos] != '"':
            raise _Unfit("expected a key")
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _ws(text, pos)
        if text[pos] != ":":
            raise _Unfit("expected ':'")
        pos = _ws(text, pos + 1)
        yield key, pos
        pos = _ws(text, skip_value(text, pos))
        if text[pos] == ",":
            pos = _ws(text, pos + 1)
        elif text[pos] == "}":
            return
        else:
            raise _Unfit("expected ',' or '}'")


def skip_value(text: str, pos: int) -> int:
    """The end of the JSON value at ``pos``, without building it."""
    if text[pos] not in "[{":
        return _DECODER.raw_decode(text, pos)[1]
    depth = 0
    for m in _TOKENS.finditer(text, pos):
        token = m.group()
        if token[0] == '"':
            continue
        depth += 1 if token in "[{" else -1
        if depth == 0:
            return m.end()
    raise _Unfit("value not closed")


def _ws(text: str, pos: int) -> int:
    end = _WS.match(text, pos)
    assert end is not None  # the pattern matches the empty string
    return end.end()
