"""Read state for every paper, the user's sessions, and what is new since when.

Read state is the user's (kept in the bookmarks file, schema v4 ``reads``: never touched by
``ingest --rebuild``); one row per paper read, with when. A bookmark's ``read`` flag is a copy
that the schema's triggers keep equal to it (search/bookmark_schema.py).

"New" is about this library: a paper is new since a moment when it first came into the library
at or after it (the record store's ``arrivals``). The user's last session is when the app was
last open (``user_meta``: ``session_started`` / ``session_ended``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from paperbrowse.search.bookmarks import BookmarkStore
from paperbrowse.search.text import bare_arxiv_id

if TYPE_CHECKING:
    from paperbrowse.search.library import Library

_SESSION_STARTED, _SESSION_ENDED = "session_started", "session_ended"


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="milliseconds")


class ReadState:
    """Which papers the user has read, over the bookmark store's connections."""

    def __init__(self, store: BookmarkStore) -> None:
        self.store = store

    def ids(self) -> frozenset[str]:
        """Every paper read (one query: the app loads it once, then follows its own marks)."""
        with self.store.user_read() as db:
            return frozenset(r[0] for r in db.execute("SELECT id FROM reads"))

    def is_read(self, paper_id: str) -> bool:
        with self.store.user_read() as db:
            row = db.execute("SELECT 1 FROM reads WHERE id = ?", (paper_id,)).fetchone()
            return row is not None

    def read_at(self) -> dict[str, datetime]:
        """Every paper read, with when (for the export file)."""
        with self.store.user_read() as db:
            return {i: datetime.fromisoformat(a) for i, a in db.execute("SELECT id, at FROM reads")}

    def mark(self, ids: Iterable[str], read: bool, now: datetime | None = None) -> int:
        """Mark papers read (or unread), in one transaction; returns how many changed."""
        at = _stamp(now or datetime.now(UTC))
        changed = 0
        with self.store.user_write() as db:
            for paper_id in dict.fromkeys(ids):
                if read:
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO reads(id, at) VALUES (?, ?)", (paper_id, at)
                    )
                else:
                    cursor = db.execute("DELETE FROM reads WHERE id = ?", (paper_id,))
                changed += cursor.rowcount
        return changed

    def merge_in(self, read_at: dict[str, datetime]) -> int:
        """Add read marks from an export file (a paper read in either copy stays read)."""
        added = 0
        with self.store.user_write() as db:
            for paper_id, at in sorted(read_at.items()):
                cursor = db.execute(
                    "INSERT OR IGNORE INTO reads(id, at) VALUES (?, ?)", (paper_id, _stamp(at))
                )
                added += cursor.rowcount
        return added


class Sessions:
    """When the user last had the app open."""

    def __init__(self, store: BookmarkStore) -> None:
        self.store = store

    def _get(self, key: str) -> datetime | None:
        with self.store.user_read() as db:
            row = db.execute("SELECT value FROM user_meta WHERE key = ?", (key,)).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    def _set(self, db: sqlite3.Connection, key: str, when: datetime) -> None:
        db.execute(
            "INSERT INTO user_meta VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, _stamp(when)),
        )

    def last_seen(self) -> datetime | None:
        """When the last session ended (or, if it never said so, began); None: no session yet."""
        return self._get(_SESSION_ENDED) or self._get(_SESSION_STARTED)

    def start(self, now: datetime | None = None) -> datetime | None:
        """A session begins: returns when the one before ended (what "new since your last
        session" counts from) and records this one's start."""
        before = self.last_seen()
        with self.store.user_write() as db:
            self._set(db, _SESSION_STARTED, now or datetime.now(UTC))
            db.execute("DELETE FROM user_meta WHERE key = ?", (_SESSION_ENDED,))
        return before

    def end(self, now: datetime | None = None) -> None:
        with self.store.user_write() as db:
            self._set(db, _SESSION_ENDED, now or datetime.now(UTC))


def new_ids(library: Library, since: datetime) -> list[str]:
    """Papers that came into the library at or after ``since``, newest arrival first."""
    return library.records.arrived_since(since)


def last_ingest_ids(library: Library) -> list[str]:
    """The papers the latest ingest that brought any brought."""
    last = library.records.last_arrival()
    return new_ids(library, last) if last is not None else []


_SPAN = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``1d``, ``12h``, ``2w`` (that long ago), or an ISO date / date and time (UTC if no zone).
    Raises ValueError naming what was wrong."""
    now = now or datetime.now(UTC)
    match = _SPAN.match(text)
    if match:
        return now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"not a time span or date: {text!r} (use 1d, 12h, 2w or 2026-12-01)"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def resolve_ids(library: Library, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Paper ids for what the user typed (ids, arXiv ids, abs URLs): (found, unknown)."""
    found, unknown = [], []
    for given in ids:
        paper = library.get(given) or library.get(bare_arxiv_id(given) or given)
        (found.append(paper.id) if paper is not None else unknown.append(given))
    return found, unknown
