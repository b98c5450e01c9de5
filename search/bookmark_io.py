"""Bookmarks as a portable file: JSON Lines to keep in git or a synced folder, and back.

``paperbrowse bookmark export`` writes one line per bookmark: its paper (the metadata copy),
tags, note, read state, citation key and timestamps. The file is deterministic (lines sorted
by id, keys sorted, no spaces), so an unchanged library exports the same bytes and a change is
a one-line diff. ``bookmark import`` merges such a file into a library without duplicates:

- a paper not bookmarked here is added as it was (key kept unless another bookmark has it);
- the same paper (same id, arXiv id or title): tags are united; of two different notes the
  newer is kept first and the older stays below it, marked, so no text is lost; read state is
  the newer copy's; the key here is kept, else the imported one; the earlier creation time;
- importing the same file twice changes nothing the second time.

The file also carries the rest of the user's reading (since read state and watches exist):
a ``paperbrowse-read/1`` line per paper read that is not bookmarked (a bookmark's line says its
own), with when, and a ``paperbrowse-watch/1`` line per saved search. Importing: a paper read in
either copy is read (a bookmark's state follows the merge rule above); a watch not here is
added, one of the same name here is kept. Files written before these lines existed import as
they always did.

A malformed file is refused whole (file, line and what is wrong) before anything is written,
and the merge itself is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from paperbrowse.search.bookmarks import Bookmark, BookmarkStore, normalize_tag
from paperbrowse.search.jsonout import json_line
from paperbrowse.search.models import Paper
from paperbrowse.search.reading import ReadState
from paperbrowse.search.serialize import paper_from_dict, paper_to_dict
from paperbrowse.search.watches import Watch, Watches, filters_from_dict, filters_to_dict

#: Every line says what it is, so a stray JSON Lines file is not taken for bookmarks.
FORMAT = "paperbrowse-bookmarks/1"
#: A paper read (any paper, bookmarked or not) and a saved search.
READ_FORMAT = "paperbrowse-read/1"
WATCH_FORMAT = "paperbrowse-watch/1"
#: The line that separates a newer note from the older one kept below it.
EARLIER_NOTE = "--- earlier note ---"


class BookmarkFileError(ValueError):
    """A bookmark file that cannot be imported: where, and what is wrong."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.message = source, line, message


@dataclass(frozen=True)
class UserFile:
    """What an export file holds."""

    bookmarks: list[Bookmark]
    #: Papers read, with when (papers not bookmarked in the exporting library).
    reads: dict[str, datetime]
    watches: list[Watch]


def export_lines(
    bookmarks: Iterable[Bookmark],
    reads: dict[str, datetime] | None = None,
    watches: Iterable[Watch] = (),
) -> str:
    """The export file's text: one sorted, stable JSON line per bookmark, then per paper read
    (that no bookmark line already covers), then per watch."""
    bookmarks = list(bookmarks)
    lines = []
    for mark in sorted(bookmarks, key=lambda m: m.id):
        record: dict[str, Any] = {
            "format": FORMAT,
            "id": mark.id,
            "paper": paper_to_dict(mark.paper),
            "tags": sorted(mark.tags),
            "note": mark.note,
            "read": mark.read,
            "key": mark.key,
            "created": mark.created.isoformat(),
            "updated": (mark.updated or mark.created).isoformat(),
        }
        lines.append(json_line(record))
    marked = {m.id for m in bookmarks}
    for paper_id, at in sorted((reads or {}).items()):
        if paper_id not in marked:
            lines.append(json_line({"format": READ_FORMAT, "id": paper_id, "at": at.isoformat()}))
    for watch in sorted(watches, key=lambda w: w.name):
        record = {
            "format": WATCH_FORMAT,
            "name": watch.name,
            "query": watch.query,
            "filters": filters_to_dict(watch.filters),
            "created": (watch.created or datetime.now(UTC)).isoformat(),
        }
        lines.append(json_line(record))
    return "".join(line + "\n" for line in lines)


def _when(record: dict, name: str, where: tuple[str, int]) -> datetime:
    value = record.get(name)
    try:
        stamp = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        message = f"{name!r} is not an ISO date and time: {value!r}"
        raise BookmarkFileError(*where, message) from None
    if stamp.tzinfo is None:
        raise BookmarkFileError(*where, f"{name!r} has no time zone: {value!r}")
    return stamp


def _bookmark(record: Any, where: tuple[str, int]) -> Bookmark:
    if not isinstance(record, dict):
        raise BookmarkFileError(*where, "not a JSON object")
    if record.get("format") != FORMAT:
        raise BookmarkFileError(
            *where, f"not a paperbrowse bookmark (format {record.get('format')!r}, not {FORMAT!r})"
        )
    paper_data = record.get("paper")
    if not isinstance(paper_data, dict):
        raise BookmarkFileError(*where, "'paper' is missing or not an object")
    try:
        paper = paper_from_dict(paper_data)
    except (TypeError, ValueError) as exc:
        raise BookmarkFileError(*where, f"'paper' is not a paper record: {exc}") from None
    if not isinstance(paper.id, str) or not paper.id or not isinstance(paper.title, str):
        raise BookmarkFileError(*where, "'paper' needs a text 'id' and 'title'")
    tags, note, read, key = (record.get(k) for k in ("tags", "note", "read", "key"))
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise BookmarkFileError(*where, "'tags' must be a list of strings")
    if not isinstance(note, str):
        raise BookmarkFileError(*where, "'note' must be a string")
    if not isinstance(read, bool):
        raise BookmarkFileError(*where, "'read' must be true or false")
    if key is not None and not isinstance(key, str):
        raise BookmarkFileError(*where, "'key' must be a string or null")
    return Bookmark(
        paper=paper,
        tags=tuple(sorted({t for t in map(normalize_tag, tags) if t})),
        note=note,
        read=read,
        created=_when(record, "created", where),
        key=key or None,
        updated=_when(record, "updated", where),
    )


def _read_line(record: dict, where: tuple[str, int]) -> tuple[str, datetime]:
    paper_id = record.get("id")
    if not isinstance(paper_id, str) or not paper_id:
        raise BookmarkFileError(*where, "'id' must be a paper id")
    return paper_id, _when(record, "at", where)


def _watch_line(record: dict, where: tuple[str, int]) -> Watch:
    name, query = record.get("name"), record.get("query")
    if not isinstance(name, str) or not name.strip():
        raise BookmarkFileError(*where, "'name' must be a watch's name")
    if not isinstance(query, str):
        raise BookmarkFileError(*where, "'query' must be a string")
    try:
        filters = filters_from_dict(record.get("filters", {}))
    except ValueError as exc:
        raise BookmarkFileError(*where, str(exc)) from None
    return Watch(name, query, filters, _when(record, "created", where))


def parse_lines(text: str, source: str) -> list[Bookmark]:
    """Every bookmark in an export file; BookmarkFileError at the first malformed line."""
    return parse_file(text, source).bookmarks


def parse_file(text: str, source: str) -> UserFile:
    """Everything in an export file; BookmarkFileError at the first malformed line."""
    marks: list[Bookmark] = []
    reads: dict[str, datetime] = {}
    watches: dict[str, Watch] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            message = getattr(exc, "msg", "nested too deeply")
            raise BookmarkFileError(source, number, f"not JSON ({message})") from None
        kind = record.get("format") if isinstance(record, dict) else None
        if kind == READ_FORMAT:
            paper_id, at = _read_line(record, (source, number))
            reads[paper_id] = at
            continue
        if kind == WATCH_FORMAT:
            watch = _watch_line(record, (source, number))
            watches[watch.name] = watch
            continue
        mark = _bookmark(record, (source, number))
        if mark.id in seen:
            raise BookmarkFileError(source, number, f"{mark.id} is already on line {seen[mark.id]}")
        seen[mark.id] = number
        marks.append(mark)
    return UserFile(marks, reads, list(watches.values()))


def _merged_note(ours: Bookmark, theirs: Bookmark) -> str:
    a, b = ours.note.strip(), theirs.note.strip()
    if not b or b in a:
        return ours.note  # nothing new (also what a second import of the same file finds)
    if not a or a in b:
        return theirs.note
    newer, older = (ours, theirs) if _changed(ours) >= _changed(theirs) else (theirs, ours)
    return f"{newer.note.rstrip()}\n\n{EARLIER_NOTE}\n{older.note.strip()}"


def _changed(mark: Bookmark) -> datetime:
    return mark.updated or mark.created


def merge(
    ours: Bookmark | None, theirs: Bookmark, key_taken: Callable[[str], bool] = lambda k: False
) -> Bookmark | None:
    """What to store for an imported bookmark (None: what is stored already says it all).

    ``key_taken(key)``: whether another bookmark here has that citation key (then it is not
    taken over: keys are unique, and the one here was given first)."""
    if ours is None:
        return theirs if not (theirs.key and key_taken(theirs.key)) else replace(theirs, key=None)
    newer = ours if _changed(ours) >= _changed(theirs) else theirs
    merged = replace(
        ours,
        tags=tuple(sorted({*ours.tags, *theirs.tags})),
        note=_merged_note(ours, theirs),
        read=newer.read,
        created=min(ours.created, theirs.created),
        key=ours.key or (theirs.key if theirs.key and not key_taken(theirs.key) else None),
        updated=max(_changed(ours), _changed(theirs)),
    )
    same = (merged.tags, merged.note, merged.read, merged.created, merged.key) == (
        ours.tags,
        ours.note,
        ours.read,
        ours.created,
        ours.key,
    )
    return None if same else merged


@dataclass(frozen=True)
class ImportReport:
    added: int
    merged: int
    unchanged: int
    #: Imported bookmarks whose paper this library does not have (kept all the same).
    not_in_library: int
    #: Keys that another bookmark here already had (the imported bookmark got none).
    keys_dropped: tuple[str, ...] = ()
    #: Papers marked read by the file that were not read here; watches added.
    reads_added: int = 0
    watches_added: int = 0

    def summary(self) -> str:
        text = f"{self.added} added, {self.merged} merged, {self.unchanged} unchanged"
        if self.not_in_library:
            text += f"; {self.not_in_library} not in the library (kept)"
        if self.keys_dropped:
            text += f"; key{'s' if len(self.keys_dropped) > 1 else ''} already used here: "
            text += ", ".join(self.keys_dropped)
        if self.reads_added:
            text += f"; {self.reads_added} more read"
        if self.watches_added:
            text += f"; {self.watches_added} watch{'es' if self.watches_added > 1 else ''} added"
        return text


def import_bookmarks(
    store: BookmarkStore, marks: list[Bookmark], in_library: Callable[[Paper], bool]
) -> ImportReport:
    """Merge ``marks`` (from :func:`parse_lines`) into ``store`` in one transaction."""
    decided: dict[str, bool] = {}

    def merging(
        ours: Bookmark | None, theirs: Bookmark, key_taken: Callable[[str], bool]
    ) -> Bookmark | None:
        merged = merge(ours, theirs, key_taken)
        if merged is not None:
            decided[merged.id] = merged.read
        return merged

    done = store.merge_in(marks, merging)
    # The merged read state becomes the paper's: a bookmark stored again takes the paper's
    # state (schema v4), so the newer copy's "unread" is told to the one source of truth.
    # (A second transaction: were it lost, the paper would only stay read.)
    state = ReadState(store)
    for read in (True, False):
        state.mark([i for i, r in decided.items() if r is read], read)
    added = sum(before is None for before, _ in done)
    unchanged = sum(after is None for _, after in done)
    # A key is dropped only when the bookmark is new here and another bookmark has that key.
    dropped = tuple(
        mark.key
        for mark, (_, after) in zip(marks, done, strict=True)
        if mark.key and after is not None and after.key is None
    )
    return ImportReport(
        added=added,
        merged=len(done) - added - unchanged,
        unchanged=unchanged,
        not_in_library=sum(not in_library(m.paper) for m in marks),
        keys_dropped=dropped,
    )


def import_user_file(
    store: BookmarkStore, data: UserFile, in_library: Callable[[Paper], bool]
) -> ImportReport:
    """Merge everything in an export file: bookmarks, read state, watches."""
    report = import_bookmarks(store, data.bookmarks, in_library)
    reads_added = ReadState(store).merge_in(data.reads) if data.reads else 0
    watches, added = Watches(store), 0
    here = {w.name for w in watches.list()}
    for watch in data.watches:
        if " ".join(watch.name.split()) not in here:
            watches.add(watch)
            added += 1
    return replace(report, reads_added=reads_added, watches_added=added)
