"""Reading dump files: which files, which format (by content), and the papers in them.

The ingest code calls exactly three functions:

* :func:`iter_dump_files` expands folders into the files to read;
* :func:`detect_format` names a file's format from its first bytes, never its extension;
* :func:`read_dump` yields every good paper and a :class:`~search.models.ParseProblem` for
  everything it could not read. It never raises for what is in the file (or for an unreadable
  file): a dump is user input, and one bad file must not stop an ingest of thousands.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from ..models import FORMATS, Paper, ParseProblem
from . import arxiv_atom, arxiv_jsonl, hf_json, hf_markdown, hf_text, sniff
from .decode import SNIFF_BYTES, BinaryFile, decode_bytes

__all__ = ["FORMAT_NAMES", "detect_format", "is_plainly_other", "iter_dump_files", "read_dump"]

#: What each format is, for messages.
FORMAT_NAMES = {
    "hf-text": "Hugging Face Daily Papers page copied as text",
    "hf-json": "Hugging Face daily-papers API JSON",
    "arxiv-jsonl": "arXiv metadata snapshot JSON lines",
    "arxiv-atom": "arXiv API Atom XML",
}

_READERS: dict[str, Callable[[Path, date | None], Iterator[Paper | ParseProblem]]] = {
    "hf-text": hf_text.read,
    "hf-json": hf_json.read,
    "arxiv-jsonl": arxiv_jsonl.read,
    "arxiv-atom": arxiv_atom.read,
}

#: The largest file of a format read whole (pages, API JSON, Atom): each is held in memory as
#: text, several times its size. Real ones are kilobytes to a few megabytes; only the arXiv
#: snapshot (JSON lines, gigabytes) is streamed.
MAX_WHOLE_FILE = 512 << 20

UNRECOGNISED = "not a recognised dump format (expected {})".format(", ".join(FORMAT_NAMES.values()))


def iter_dump_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The files to read: files as given, folders recursively in sorted order.

    Inside a folder, hidden files and hidden folders (``.git``, ``.DS_Store``) are skipped; a
    file named explicitly is always yielded, even if it does not exist (reading it then reports
    the problem).
    """
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        for root, dirs, files in os.walk(path):
            # Pruning in place stops os.walk from descending into hidden folders at all.
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(root) / name for name in files if not name.startswith("."))
        yield from sorted(found)


#: Extensions dumps are saved under. An unrecognised file with one of these in a folder is still
#: reported (it is most likely a dump that is broken); any other is counted as "other".
DUMP_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".xml", ".atom", ".txt", ""})
# Files a collection keeps beside its dumps, whatever their extension (README.md, LICENSE.txt).
_DOCUMENT_STEMS = frozenset(
    {"readme", "sources", "license", "licence", "copying", "changelog", "changes", "notes"}
    | {"authors", "notice"}
)


def is_plainly_other(path: Path) -> bool:
    """Whether a file that is no dump is plainly something else kept beside dumps: a README,
    SOURCES or licence file, or a file whose extension no dump has (a PDF, an image, ``.md``:
    a markdown capture is recognised by its content before this is asked).

    Only asked about files that detection did not recognise, met while walking a folder; a
    ``.json`` or ``.txt`` that is no dump is more likely a broken one, and is reported.
    """
    path = Path(path)
    return path.stem.lower() in _DOCUMENT_STEMS or path.suffix.lower() not in DUMP_SUFFIXES


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES)


def detect_format(path: Path) -> str | None:
    """The format of a dump from its content, or None if it is not one.

    JSON is judged by its structure, reading as far as its first record takes (see
    :mod:`search.dumps.sniff`); text and XML by their first few KB.
    """
    try:
        head = _head(Path(path))
    except OSError:
        return None
    try:
        text = decode_bytes(head, partial=True)
    except BinaryFile:
        return "arxiv-jsonl" if _jsonl_with_bad_lines(head) else None
    return _detect(Path(path), head, text)


def _detect(path: Path | None, head: bytes, text: str) -> str | None:
    if text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{"):
        try:
            return sniff.json_kind(sniff.Head(path, head, text, eof=len(head) < SNIFF_BYTES))
        except ValueError:
            pass  # invalid or cut-off JSON: the head heuristics below still name it
    return detect_text(text)


_ATOM_NS = "http://www.w3.org/2005/Atom"
_JSONL_KEYS = (
    '"submitter"',
    '"authors"',
    '"title"',
    '"authors_parsed"',
    '"versions"',
    '"update_date"',
    '"abstract"',
)
_HF_JSON_KEYS = ('"paper"', '"summary"', '"publishedAt"')
_HF_MARKERS = frozenset(
    {
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
        "byak and the research community",
        "daily papers",
    }
)
_MD_BYLINE = re.compile(r"^\s*[*•] (?:\d[\d,]* authors?|\S.*)$")


def detect_text(text: str) -> str | None:
    """:func:`detect_format` on the first few KB of a file, already decoded (for JSON, a guess
    from keys in the head: the fallback for JSON whose first record does not parse)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return None
    first = stripped[0]
    if first == "<":
        if "<feed" in stripped[:4096] and _ATOM_NS in stripped[:4096]:
            return "arxiv-atom"
        return None
    if first == "[" and stripped[1:].lstrip()[:1] in ("{", "]", ""):
        if stripped[1:].lstrip()[:1] == "]":
            return "hf-json"  # a day without papers
        if any(key in stripped for key in _HF_JSON_KEYS) and '"title"' in stripped:
            return "hf-json"
        return None
    if first == "{":
        line = stripped.split("\n", 1)[0]
        hf_like = '"paper"' in line or ('"summary"' in line and '"abstract"' not in line)
        # A snapshot record starts with id, submitter, authors; a record with thousands of
        # authors can be longer than the sample, so any one of these keys is enough.
        if '"id"' in line and not hf_like and any(key in line for key in _JSONL_KEYS):
            return "arxiv-jsonl"
        if hf_like or ('"summary"' in stripped and '"title"' in stripped):
            # One daily-papers entry saved on its own (the API's array, minus the brackets).
            return "hf-json" if _is_single_json_object(stripped) else None
        return None
    return "hf-text" if _looks_like_hf_text(stripped) else None


def _is_single_json_object(text: str) -> bool:
    try:
        json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):  # a deep object is cut off like a long one
        # Only the first few KB were read: a long object is cut off, which is fine here.
        return "\n{" not in text
    return True


def _looks_like_hf_text(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    nonblank = [line for line in lines if line]
    top = nonblank[:40]
    if any(line.lower() in _HF_MARKERS for line in top):
        return True
    # A capture's header: "- URL: https://huggingface.co/papers?q=…" (a day or a search page).
    if any(hf_markdown.is_capture_header(line) for line in top):
        return True
    if (
        top
        and top[2:3]
        and top[2].lower().startswith("subscribe")
        and top[0].lower().startswith("get trending papers")
    ):
        return True
    if any(line.startswith("### ") for line in lines) and (
        any(line == "·" for line in lines) or any(_MD_BYLINE.match(line) for line in lines)
    ):
        return True
    # A part of a page: a byline ("• 3 authors") followed by the "·" line before a date.
    if any(
        re.match(r"^[*•] \d[\d,]* authors?$", a) and b == "·"
        for a, b in zip(nonblank, nonblank[1:], strict=False)
    ):
        return True
    # A fragment of a page: its bylines ("• 2 authors", then "·" and a date) give it away.
    if any(
        line.startswith("•") and following == "·"
        for line, following in zip(nonblank, nonblank[1:], strict=False)
    ):
        return True
    # A copy without any header: titles (short lines) alternate with abstracts (long lines).
    pairs = sum(
        1
        for a, b in zip(nonblank, nonblank[1:], strict=False)
        if len(a) < 300 and len(b) >= 300 and not a.endswith(".")
    )
    return pairs >= 2 and pairs * 2 >= 0.8 * len(nonblank[:-1] or [""])


def read_dump(
    path: Path, fmt: str | None = None, as_of: date | None = None
) -> Iterator[Paper | ParseProblem]:
    """Every paper in a dump file, and a problem for everything that could not be read.

    ``fmt`` (one of :data:`search.models.FORMATS`) forces a parser instead of detection;
    ``as_of`` anchors dates printed without a year (defaults: a capture date in the file, then
    the file's modification date). Never raises for the file's content or for I/O errors.
    """
    path = Path(path)
    source = str(path)
    try:
        head = _head(path)
    except IsADirectoryError:
        yield ParseProblem(source, "is a folder, not a dump file")
        return
    except OSError as exc:
        yield ParseProblem(source, f"cannot read file: {exc.strerror or exc}")
        return
    try:
        text = decode_bytes(head, partial=True)
    except BinaryFile as exc:
        # JSON lines are read line by line: a few corrupt (NUL) lines in a snapshot are bad
        # lines, reported with their numbers, not a reason to drop the whole file.
        if fmt == "arxiv-jsonl" or (fmt is None and _jsonl_with_bad_lines(head)):
            yield from _read_with(path, "arxiv-jsonl", as_of)
            return
        yield ParseProblem(source, str(exc))
        return
    if not text.replace("\ufeff", "").strip():  # whitespace of any kind (\v and \f too)
        if len(head) < SNIFF_BYTES:
            yield ParseProblem(source, "empty file")
            return
    if fmt is None:
        fmt = _detect(path, head, text)
        if fmt is None:
            yield ParseProblem(source, UNRECOGNISED)
            return
    elif fmt not in FORMATS:
        yield ParseProblem(
            source, f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})"
        )
        return
    yield from _read_with(path, fmt, as_of)


def _jsonl_with_bad_lines(head: bytes) -> bool:
    """True when the lines without NUL bytes are snapshot JSON lines, and most lines are."""
    lines = [line for line in head.split(b"\n") if line.strip()]
    good = [line for line in lines if b"\x00" not in line]
    if not good or len(good) < len(lines) - len(good):
        return False
    return detect_text(b"\n".join(good).decode("utf-8", errors="replace")) == "arxiv-jsonl"


def _read_with(path: Path, fmt: str, as_of: date | None) -> Iterator[Paper | ParseProblem]:
    """Run one format's reader, turning anything it raises into a problem."""
    # Each of these ends the reading of the file early: ``stopped`` keeps it from being marked
    # complete, so that the rest of it is read by a later ingest instead of being lost for good.
    source = str(path)
    try:
        if fmt != "arxiv-jsonl" and os.stat(path).st_size > MAX_WHOLE_FILE:
            yield ParseProblem(
                source,
                f"too large for {FORMAT_NAMES[fmt]} (more than {MAX_WHOLE_FILE >> 20} MB, "
                "which are read whole): skipped",
            )
            return
        yield from _READERS[fmt](path, as_of)
    except OSError as exc:
        yield ParseProblem(source, f"cannot read file: {exc.strerror or exc}", stopped=True)
    except BinaryFile as exc:
        yield ParseProblem(source, str(exc), stopped=True)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not abort a whole ingest
        yield ParseProblem(
            source, f"could not read as {fmt}: {type(exc).__name__}: {exc}", stopped=True
        )
