"""Builds the services every front end uses, in one place: CLI, app, tests, screenshot script."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from paperbrowse.search.bookmarks import BookmarkStore
from paperbrowse.search.library import Library
from paperbrowse.search.paths import SAMPLE_CAPTURED, Locations, sample_dir
from paperbrowse.search.serial import Serial


@dataclass
class Services:
    locations: Locations
    library: Library
    bookmarks: BookmarkStore
    #: True when ``library`` is the bundled sample because the user has none yet.
    sample: bool = False
    #: The one path a long-lived front end (the app) takes to read the library and the
    #: bookmarks, in order, off its event loop (the library's searcher is not thread-safe).
    reads: Serial = field(default_factory=lambda: Serial("paperbrowse-reads"))
    #: Bookmark writes, in order, on a lane of their own: a write waiting for another process's
    #: lock (up to the store's busy timeout) must not hold up reading.
    writes: Serial = field(default_factory=lambda: Serial("paperbrowse-writes"))

    def refresh_bookmarks(self) -> int:
        """After an ingest: bookmarks follow their papers — fresh metadata copies, and the
        paper's current id when a rebuild gave it another one (matched by arXiv id, or by title
        for papers that have none). Returns how many bookmarks were refreshed."""
        papers = []
        for bookmark in self.bookmarks.list():
            old = bookmark.paper
            paper = self.library.get(old.id)
            if paper is None and old.arxiv_id:
                paper = self.library.get(old.arxiv_id)
            if paper is None and not old.arxiv_id:
                paper = self.library.find_by_title(old.title)
            if paper is not None and paper != old:
                papers.append(paper)
        return self.bookmarks.refresh(papers) if papers else 0

    @property
    def sample_pending(self) -> bool:
        """The bundled sample is to be shown but has not been ingested yet."""
        return self.sample and self.library.is_empty()

    def prepare_sample(self) -> None:
        """Ingest the bundled sample into its library if that has not been done (slow: seconds;
        front ends call it off their event loop, after showing that they are building it)."""
        if self.sample_pending:
            self.library.ingest([sample_dir()], as_of=SAMPLE_CAPTURED)

    def sample_has(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are papers of the bundled sample: the library the app shows a user
        who has none of their own, where bookmarks made then find their papers. Only a sample
        the app has built is read; none is built here."""
        if not ids:
            return set()
        if self.sample:
            return {p.id for p in self.library.get_many(ids)}
        locations = sample_locations(self.locations)
        if not locations.library_db.exists():
            return set()
        library = Library(locations)
        try:
            return {p.id for p in library.get_many(ids)}
        finally:
            library.close()

    def own_library_state(self) -> LibraryState | None:
        """The user's own library (not the sample), read apart from ``library``: cheap enough
        to poll, so that an ingest in another process is noticed."""
        return read_library_state(self.locations)

    def use_own_library(self) -> Library | None:
        """Leave the bundled sample for the user's own library once it has papers. Returns the
        sample library, which the caller closes once nothing uses it; None if nothing changed."""
        if not self.sample:
            return None
        own = Library(self.locations)
        if own.is_empty():
            own.close()
            return None
        old, self.library, self.sample = self.library, own, False
        return old

    def close(self) -> None:
        # The lanes first: a write still queued lands before its store closes.
        self.writes.close()
        self.reads.close(drop_queued=True)
        self.library.close()
        self.bookmarks.close()

    def open_user_library(self) -> Library:
        """Another Library over the user's data dir (never the sample), with connections of its
        own: for a worker that ingests (the app's fetch) while ``library`` serves queries. The
        caller closes it."""
        return Library(self.locations)


def build_services(
    data_dir: str | os.PathLike[str] | None = None, *, use_sample_if_empty: bool = False
) -> Services:
    """Open the library and bookmark store in ``data_dir`` (default: the user data dir).

    With ``use_sample_if_empty`` and an empty library, the library shown is the bundled sample
    (five Daily Papers pages), kept in its own folder so it never mixes with the user's papers;
    bookmarks still go to the user's store. The sample is ingested on first use by
    :meth:`Services.prepare_sample` (a few seconds: the app calls it after its first paint).
    """
    locations = Locations.resolve(data_dir)
    library = Library(locations)
    sample = False
    if use_sample_if_empty and library.is_empty():
        library.close()
        library = open_sample_library(locations, ingest=False)
        sample = True
    bookmarks = BookmarkStore(locations.bookmarks_db)
    # ``tag:`` in a query: the papers bookmarked with that tag (bookmarks are not the library's).
    library.tag_ids = bookmarks.ids_with_tag
    return Services(locations, library, bookmarks, sample)


def sample_locations(locations: Locations) -> Locations:
    """Where the bundled sample's library is kept: a folder of the data dir, apart from the
    user's own papers."""
    return Locations(locations.data_dir / "sample")


def open_sample_library(locations: Locations, *, ingest: bool = True) -> Library:
    """The bundled sample pages' library, in ``<data dir>/sample``; ingested now if it is new
    and ``ingest`` (else see :meth:`Services.prepare_sample`)."""
    library = Library(sample_locations(locations))
    if ingest and library.is_empty():
        library.ingest([sample_dir()], as_of=SAMPLE_CAPTURED)
    return library


@dataclass(frozen=True)
class LibraryState:
    """What an ingest elsewhere changes: the commit count and the number of papers."""

    generation: int
    papers: int


def read_library_state(locations: Locations) -> LibraryState | None:
    """The state of the library in ``locations``, read on a connection of its own (read-only,
    so polling never creates or locks anything); None when it cannot be read just now."""
    path = locations.library_db
    if not path.exists():
        return LibraryState(0, 0)
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        papers = db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
        return LibraryState(int(row[0]) if row else 0, int(papers))
    except sqlite3.Error:  # busy, or a library still being created: ask again next time
        return None
    finally:
        db.close()


def sample_paths() -> list[Path]:
    return sorted(sample_dir().glob("*.txt"))
