"""The bookmark store: the one thing in paperbrowse the user makes and cannot rebuild.

Bookmarks live in their own SQLite file (``Locations.bookmarks_db``), apart from the index, so
``ingest --rebuild``, a deleted index or a paper vanishing from the dumps never touches them. Each
bookmark keeps a JSON copy of the paper's metadata, so listing and export work without the index.

Safety: WAL journal, a busy timeout so the TUI and the CLI can write at the same time, and every
write in one ``BEGIN IMMEDIATE`` transaction (a killed process leaves either the whole change or
none of it). The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` brings an
older file up to date, in a transaction, when the store is opened.
"""

from __future__ import annotations

import builtins
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from paperbrowse.search.bookmark_schema import MIGRATIONS, SCHEMA_VERSION
from paperbrowse.search.citekeys import base_key, unique_key
from paperbrowse.search.dbopen import connect
from paperbrowse.search.models import Paper
from paperbrowse.search.serialize import paper_from_json, paper_to_json
from paperbrowse.search.text import bare_arxiv_id, clean, title_key
from paperbrowse.search.transactions import immediate

#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT = 10.0


class UnknownBookmark(KeyError):
    """No bookmark has this id."""

    def __init__(self, paper_id: str) -> None:
        super().__init__(paper_id)
        self.paper_id = paper_id

    def __str__(self) -> str:
        return f"not bookmarked: {self.paper_id}"


class StoreTooNew(sqlite3.DatabaseError):
    """The bookmark file was written by a newer paperbrowse; we refuse to touch it.

    A DatabaseError so that front ends report it like any other unusable database file.
    """


@dataclass(frozen=True)
class Bookmark:
    """A bookmarked paper with the user's tags, note and read state."""

    #: The metadata copy kept at bookmark time (refreshed when the paper is re-bookmarked/updated).
    paper: Paper
    #: Sorted.
    tags: tuple[str, ...]
    note: str
    read: bool
    #: Timezone-aware UTC.
    created: datetime
    #: The BibTeX key once assigned by an export (stable afterwards).
    key: str | None
    #: When the user last changed it (note, read state, tags); timezone-aware UTC.
    updated: datetime | None = None

    @property
    def id(self) -> str:
        return self.paper.id


@dataclass(frozen=True)
class Toggled:
    """What :meth:`BookmarkStore.toggle` did: the bookmark it made, or the one it removed."""

    bookmark: Bookmark
    #: True: bookmarked now; False: ``bookmark`` was removed (and can be restored).
    added: bool


_SELECT = "SELECT id, paper, note, read, created, bibkey, updated FROM bookmarks"


def normalize_tag(tag: str) -> str:
    """A tag as stored: control characters dropped, whitespace folded and trimmed."""
    return clean(tag)


def _now() -> datetime:
    return datetime.now(UTC)


class BookmarkStore:
    """Bookmarks, tags, notes and read state in one SQLite file; safe across processes.

    One connection per store, guarded by a lock so that TUI worker threads can share it.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db, self.read_only = self._connect()
        # Reads have a connection of their own: a write waiting (up to BUSY_TIMEOUT) for
        # another process's transaction holds the write connection, and in WAL mode a read
        # never needs to wait for a writer, so the app keeps showing tags and notes meanwhile.
        self._read_lock = threading.RLock()
        self._reader, _ = self._connect()
        if self.read_only:
            return
        self._db.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed bookmark survives power loss too, not just a killed process.
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def _connect(self) -> tuple[sqlite3.Connection, bool]:
        # Autocommit mode (isolation_level=None): transactions are opened explicitly below.
        # In a read-only data dir the file opens read-only (search.dbopen); writes then fail.
        db, read_only = connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        if not read_only:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        return db, read_only

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (search/transactions.py), one thread at a time."""
        with self._lock, immediate(self._db) as db:
            yield db

    @contextmanager
    def user_write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction for the other user data kept in this file (search/reading.py,
        search/watches.py): same connection, lock and safety as the bookmarks' own writes."""
        with self._write() as db:
            yield db

    @contextmanager
    def user_read(self) -> Iterator[sqlite3.Connection]:
        """The read connection, for the other user data kept in this file."""
        with self._read_lock:
            yield self._reader

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        with self._write() as db:
            # Re-read inside the transaction: another process may have migrated meanwhile.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreTooNew(
                    f"{self.path} was written by a newer paperbrowse (schema {version}, "
                    f"this one knows {SCHEMA_VERSION}); upgrade paperbrowse to use it"
                )
            for steps in MIGRATIONS[version:]:
                for sql in steps:
                    db.execute(sql)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``PRAGMA user_version``)."""
        with self._read_lock:
            return self._reader.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the connections; committed bookmarks are on disk already."""
        with self._read_lock:
            self._reader.close()
        with self._lock:
            self._db.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _row_to_bookmark(
        self, db: sqlite3.Connection, row: tuple, tags: tuple[str, ...] | None = None
    ) -> Bookmark:
        bid, paper_json, note, read, created, bibkey, updated = row
        if tags is None:
            rows = db.execute("SELECT tag FROM tags WHERE id = ? ORDER BY tag", (bid,))
            tags = tuple(t for (t,) in rows)
        return Bookmark(
            paper=paper_from_json(paper_json),
            tags=tags,
            note=note,
            read=bool(read),
            created=datetime.fromisoformat(created),
            key=bibkey,
            updated=datetime.fromisoformat(updated) if updated else None,
        )

    def _find_id(self, db: sqlite3.Connection, paper_id: str) -> str | None:
        """The stored id for a bookmark id, an arXiv id (any form) or an abs URL."""
        row = db.execute("SELECT id FROM bookmarks WHERE id = ?", (paper_id,)).fetchone()
        if row:
            return row[0]
        arxiv = bare_arxiv_id(paper_id)
        if arxiv:
            row = db.execute(
                "SELECT id FROM bookmarks WHERE id = ? OR arxiv_id = ? ORDER BY created LIMIT 1",
                (arxiv, arxiv),
            ).fetchone()
            if row:
                return row[0]
        return None

    def _match_paper(self, db: sqlite3.Connection, paper: Paper) -> str | None:
        """The bookmark that is this paper: same id, else same arXiv id, else same title.

        After ``ingest --rebuild`` a paper first seen without an arXiv id may come back with a
        different stable id; the arXiv id and the title key find its bookmark again.
        """
        row = db.execute("SELECT id FROM bookmarks WHERE id = ?", (paper.id,)).fetchone()
        if row:
            return row[0]
        arxiv = paper.arxiv_id or bare_arxiv_id(paper.id)
        if arxiv:
            row = db.execute(
                "SELECT id FROM bookmarks WHERE arxiv_id = ? OR id = ? LIMIT 1", (arxiv, arxiv)
            ).fetchone()
            if row:
                return row[0]
        key = title_key(paper.title)
        if key:
            # Only a bookmark known by title alone: two papers with one title and different
            # arXiv ids are different papers, and an arXiv bookmark is never downgraded.
            row = db.execute(
                "SELECT id FROM bookmarks WHERE title_key = ? AND arxiv_id IS NULL LIMIT 1", (key,)
            ).fetchone()
            if row:
                return row[0]
        return None

    def _get(self, db: sqlite3.Connection, bid: str) -> Bookmark:
        row = db.execute(_SELECT + " WHERE id = ?", (bid,)).fetchone()
        if row is None:
            raise UnknownBookmark(bid)
        return self._row_to_bookmark(db, row)

    def _store_paper(self, db: sqlite3.Connection, old_id: str, paper: Paper) -> None:
        """Refresh the metadata copy; moves the bookmark to the paper's current id if it changed.

        Callers find ``old_id`` with :meth:`_match_paper`, which prefers ``paper.id`` itself, so
        the move never collides with another bookmark.
        """
        db.execute(
            "UPDATE bookmarks SET id = ?, paper = ?, arxiv_id = ?, title_key = ? WHERE id = ?",
            (
                paper.id,
                paper_to_json(paper),
                paper.arxiv_id or bare_arxiv_id(paper.id),
                title_key(paper.title),
                old_id,
            ),
        )

    # -- reading -----------------------------------------------------------------------------

    def get(self, paper_id: str) -> Bookmark | None:
        """The bookmark for a stable id, an arXiv id (with/without version or prefix) or abs URL."""
        with self._read_lock:
            bid = self._find_id(self._reader, paper_id)
            return self._get(self._reader, bid) if bid else None

    def match(self, paper: Paper) -> Bookmark | None:
        """The bookmark for this paper, even if it was stored under an older id (see add)."""
        with self._read_lock:
            bid = self._match_paper(self._reader, paper)
            return self._get(self._reader, bid) if bid else None

    def ids(self) -> frozenset[str]:
        """The ids of every bookmarked paper."""
        with self._read_lock:
            return frozenset(r[0] for r in self._reader.execute("SELECT id FROM bookmarks"))

    def __len__(self) -> int:
        with self._read_lock:
            return self._reader.execute("SELECT COUNT(*) FROM bookmarks").fetchone()[0]

    def __contains__(self, paper_id: object) -> bool:
        return isinstance(paper_id, str) and self.get(paper_id) is not None

    def list(self, tag: str | None = None) -> list[Bookmark]:
        """Every bookmark (or those with ``tag``), newest first."""
        with self._read_lock:
            if tag is None:
                cursor = self._reader.execute(_SELECT + " ORDER BY created DESC, rowid DESC")
            else:
                cursor = self._reader.execute(
                    _SELECT + " WHERE id IN (SELECT id FROM tags WHERE tag = ?)"
                    " ORDER BY created DESC, rowid DESC",
                    (normalize_tag(tag),),
                )
            rows = cursor.fetchall()
            # All tags in one query rather than one per bookmark: the TUI lists often.
            tags: dict[str, list[str]] = {}
            for bid, tag_name in self._reader.execute("SELECT id, tag FROM tags ORDER BY tag"):
                tags.setdefault(bid, []).append(tag_name)
            return [
                self._row_to_bookmark(self._reader, row, tuple(tags.get(row[0], ())))
                for row in rows
            ]

    def tags(self) -> dict[str, int]:
        """Every tag in use and how many bookmarks carry it, by tag name."""
        with self._read_lock:
            rows = self._reader.execute("SELECT tag, COUNT(*) FROM tags GROUP BY tag ORDER BY tag")
            return dict(rows.fetchall())

    def ids_with_tag(self, tag: str) -> frozenset[str]:
        """The ids of the bookmarks carrying ``tag``."""
        with self._read_lock:
            rows = self._reader.execute("SELECT id FROM tags WHERE tag = ?", (normalize_tag(tag),))
            return frozenset(r[0] for r in rows)

    # -- writing -----------------------------------------------------------------------------

    def add(self, paper: Paper, tags: Iterable[str] = (), note: str | None = None) -> Bookmark:
        """Bookmark ``paper`` (idempotent): refreshes the metadata copy and merges ``tags``.

        ``note`` replaces the note when given; None keeps the existing one. A bookmark stored
        under an older id of the same paper (same arXiv id or title) is moved to ``paper.id``.
        """
        with self._write() as db:
            return self._add(db, paper, tags, note)

    def add_many(
        self, papers: Iterable[Paper], tags: Iterable[str] = (), note: str | None = None
    ) -> builtins.list[Bookmark]:  # builtins: `list` here is the method above
        """:meth:`add` for each paper, in one transaction: all of them are bookmarked or none
        (a ``bookmark add`` of thousands of ids killed midway leaves the store as it was)."""
        tag_list = tuple(tags)
        with self._write() as db:
            return [self._add(db, paper, tag_list, note) for paper in papers]

    def _add(
        self, db: sqlite3.Connection, paper: Paper, tags: Iterable[str], note: str | None
    ) -> Bookmark:
        clean_tags = {t for t in map(normalize_tag, tags) if t}
        existing = self._match_paper(db, paper)
        if existing is None:
            db.execute(
                "INSERT INTO bookmarks(id, paper, arxiv_id, title_key, note, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    paper.id,
                    paper_to_json(paper),
                    paper.arxiv_id or bare_arxiv_id(paper.id),
                    title_key(paper.title),
                    note or "",
                    _now().isoformat(),
                ),
            )
        else:
            self._store_paper(db, existing, paper)
            if note is not None:
                db.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (note, paper.id))
        db.executemany(
            "INSERT OR IGNORE INTO tags(id, tag) VALUES (?, ?)",
            [(paper.id, t) for t in sorted(clean_tags)],
        )
        return self._get(db, paper.id)

    def remove(self, paper_id: str) -> bool:
        """Forget a bookmark; False if there was none."""
        return self.pop(paper_id) is not None

    def pop(self, paper_id: str) -> Bookmark | None:
        """Forget a bookmark and return it as it was (for :meth:`restore`); None if none."""
        with self._write() as db:
            bid = self._find_id(db, paper_id)
            if bid is None:
                return None
            return self._delete(db, bid)

    def _delete(self, db: sqlite3.Connection, bid: str) -> Bookmark:
        gone = self._get(db, bid)
        db.execute("DELETE FROM bookmarks WHERE id = ?", (bid,))
        return gone

    def toggle(self, paper: Paper) -> Toggled:
        """Bookmark ``paper`` or remove its bookmark (returned whole, so it can be restored)."""
        with self._write() as db:
            bid = self._match_paper(db, paper)
            if bid is not None:
                return Toggled(self._delete(db, bid), added=False)
            return Toggled(self._add(db, paper, (), None), added=True)

    def restore(self, bookmark: Bookmark) -> Bookmark:
        """Put a removed bookmark back exactly as it was: tags, note, read state, BibTeX key and
        creation time (the undo of :meth:`pop`).

        If the paper was bookmarked again meanwhile, that newer bookmark gives way to the old
        one, keeping its tags too. The key is dropped only if another bookmark took it since.
        """
        with self._write() as db:
            bid = self._match_paper(db, bookmark.paper)
            if bid is not None:
                gone = self._delete(db, bid)
                bookmark = replace(bookmark, tags=tuple(sorted({*bookmark.tags, *gone.tags})))
            return self._put(db, bookmark)

    def _put(self, db: sqlite3.Connection, bookmark: Bookmark) -> Bookmark:
        """Insert ``bookmark`` exactly as given (no bookmark of its paper may exist). Its key is
        dropped if another bookmark has it; ``updated`` is kept (the triggers would say now)."""
        paper = bookmark.paper
        key = bookmark.key
        if (
            key is not None
            and db.execute("SELECT 1 FROM bookmarks WHERE bibkey = ?", (key,)).fetchone()
        ):
            key = None
        db.execute(
            "INSERT INTO bookmarks(id, paper, arxiv_id, title_key, note, read, created, bibkey)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                paper.id,
                paper_to_json(paper),
                paper.arxiv_id or bare_arxiv_id(paper.id),
                title_key(paper.title),
                bookmark.note,
                int(bookmark.read),
                bookmark.created.isoformat(),
                key,
            ),
        )
        db.executemany(
            "INSERT INTO tags(id, tag) VALUES (?, ?)",
            [(paper.id, t) for t in sorted(set(bookmark.tags))],
        )
        updated = bookmark.updated or bookmark.created
        db.execute("UPDATE bookmarks SET updated = ? WHERE id = ?", (updated.isoformat(), paper.id))
        return self._get(db, paper.id)

    def merge_in(
        self,
        incoming: Iterable[Bookmark],
        merge: Callable[[Bookmark | None, Bookmark, Callable[[str], bool]], Bookmark | None],
    ) -> builtins.list[tuple[Bookmark | None, Bookmark | None]]:
        """Merge bookmarks from elsewhere (an import), all in one transaction: for each, ``merge``
        gets the stored bookmark of the same paper (None if there is none), the incoming one and
        a test of whether a citation key belongs to another bookmark, and returns what to store
        (None: leave it as it is). Returns (before, after) pairs."""
        done: builtins.list[tuple[Bookmark | None, Bookmark | None]] = []
        with self._write() as db:
            for mark in incoming:
                bid = self._match_paper(db, mark.paper)
                before = self._get(db, bid) if bid else None

                def key_taken(key: str, bid: str | None = bid) -> bool:
                    row = db.execute("SELECT id FROM bookmarks WHERE bibkey = ?", (key,))
                    owner = row.fetchone()
                    return owner is not None and owner[0] != bid

                after = merge(before, mark, key_taken)
                if after is not None:
                    if bid is not None:
                        self._delete(db, bid)
                    after = self._put(db, after)
                done.append((before, after))
        return done

    def _update(
        self, paper_id: str, change: Callable[[sqlite3.Connection, str], object]
    ) -> Bookmark:
        with self._write() as db:
            bid = self._find_id(db, paper_id)
            if bid is None:
                raise UnknownBookmark(paper_id)
            change(db, bid)
            return self._get(db, bid)

    def tag(self, paper_id: str, *tags: str) -> Bookmark:
        """Add tags to a bookmark. Raises UnknownBookmark."""
        clean_tags = sorted({t for t in map(normalize_tag, tags) if t})
        return self._update(
            paper_id,
            lambda db, bid: db.executemany(
                "INSERT OR IGNORE INTO tags(id, tag) VALUES (?, ?)", [(bid, t) for t in clean_tags]
            ),
        )

    def untag(self, paper_id: str, *tags: str) -> Bookmark:
        """Remove tags from a bookmark (absent tags are ignored). Raises UnknownBookmark."""
        clean_tags = sorted({normalize_tag(t) for t in tags})
        return self._update(
            paper_id,
            lambda db, bid: db.executemany(
                "DELETE FROM tags WHERE id = ? AND tag = ?", [(bid, t) for t in clean_tags]
            ),
        )

    def edit_tags(
        self, paper: Paper, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> Bookmark | None:
        """Add and remove tags in one transaction; a paper not bookmarked yet is bookmarked if
        there is a tag to add. Returns the bookmark, or None (nothing to add to no bookmark)."""
        added = sorted({t for t in map(normalize_tag, add) if t})
        removed = sorted({normalize_tag(t) for t in remove} - set(added))
        with self._write() as db:
            bid = self._match_paper(db, paper)
            if bid is None:
                return self._add(db, paper, added, None) if added else None
            db.executemany("DELETE FROM tags WHERE id = ? AND tag = ?", [(bid, t) for t in removed])
            db.executemany(
                "INSERT OR IGNORE INTO tags(id, tag) VALUES (?, ?)", [(bid, t) for t in added]
            )
            return self._get(db, bid)

    def set_note(self, paper_id: str, note: str) -> Bookmark:
        """Replace a bookmark's note ("" clears it). Raises UnknownBookmark."""
        return self._update(
            paper_id,
            lambda db, bid: db.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (note, bid)),
        )

    def set_read(self, paper_id: str, read: bool) -> Bookmark:
        """Mark a bookmark read or unread. Raises UnknownBookmark."""
        return self._update(
            paper_id,
            lambda db, bid: db.execute(
                "UPDATE bookmarks SET read = ? WHERE id = ?", (int(read), bid)
            ),
        )

    def refresh(self, papers: Iterable[Paper]) -> int:
        """Refresh the metadata copies of the bookmarked ones among ``papers`` (after an ingest).

        Returns how many bookmarks were updated; papers that are not bookmarked are ignored.
        """
        updated = 0
        with self._write() as db:
            for paper in papers:
                bid = self._match_paper(db, paper)
                if bid is not None:
                    self._store_paper(db, bid, paper)
                    updated += 1
        return updated

    # -- BibTeX keys ---------------------------------------------------------------------------

    def set_key(self, paper_id: str, key: str) -> Bookmark:
        """Give a bookmark a BibTeX key.

        Raises UnknownBookmark, or ValueError if the key is malformed or another bookmark's.
        """
        if not re.fullmatch(r"[A-Za-z0-9_:.\-+/]+", key):
            raise ValueError(f"not a usable BibTeX key: {key!r}")

        def change(db: sqlite3.Connection, bid: str) -> None:
            row = db.execute("SELECT id FROM bookmarks WHERE bibkey = ?", (key,)).fetchone()
            if row and row[0] != bid:
                raise ValueError(f"BibTeX key {key!r} is already used by {row[0]}")
            db.execute("UPDATE bookmarks SET bibkey = ? WHERE id = ?", (key, bid))

        return self._update(paper_id, change)

    def assign_keys(
        self,
        paper_ids: Iterable[str] | None = None,
        make_key: Callable[[Paper], str] | None = None,
    ) -> dict[str, str]:
        """Give every bookmark (or those in ``paper_ids``) without a BibTeX key a stable one.

        Keys are unique across the whole store, so any export (a tag, everything) is free of
        clashes and a bookmark's key never changes once given. Returns id -> key for the
        requested bookmarks (old and new keys alike).
        """
        key_of = make_key if make_key is not None else base_key
        wanted = None if paper_ids is None else set(paper_ids)
        keys: dict[str, str] = {}
        with self._write() as db:
            taken = {k for (k,) in db.execute("SELECT bibkey FROM bookmarks WHERE bibkey NOT NULL")}
            # Oldest first, so that the first bookmark of two clashing papers gets the bare key.
            rows = db.execute("SELECT id, paper, bibkey FROM bookmarks ORDER BY created, rowid")
            for bid, paper_json, bibkey in rows.fetchall():
                if wanted is not None and bid not in wanted:
                    continue
                if bibkey is None:
                    bibkey = unique_key(key_of(paper_from_json(paper_json)), taken)
                    taken.add(bibkey)
                    db.execute("UPDATE bookmarks SET bibkey = ? WHERE id = ?", (bibkey, bid))
                keys[bid] = bibkey
        return keys
