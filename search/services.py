"""Builds the services every front end uses, in one place: CLI, app, tests, screenshot script."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from search.bookmarks import BookmarkStore
from search.library import Library
from search.paths import SAMPLE_CAPTURED, Locations, sample_dir
from search.serial import Serial


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

    def close(self) -> None:
        # The lanes first: a write still queued lands before its store closes.
        self.writes.close()
        self.reads.close(drop_queued=True)
        self.library.close()
        self.bookmarks.close()


def build_services(
    data_dir: str | os.PathLike[str] | None = None, *, use_sample_if_empty: bool = False
) -> Services:
    """Open the library and bookmark store in ``data_dir`` (default: the user data dir).

    With ``use_sample_if_empty`` and an empty library, the library shown is the bundled sample
    (five Daily Papers pages), kept in its own folder so it never mixes with the user's papers;
    bookmarks still go to the user's store.
    """
    locations = Locations.resolve(data_dir)
    library = Library(locations)
    sample = False
    if use_sample_if_empty and library.count() == 0:
        library.close()
        library = open_sample_library(locations)
        sample = True
    return Services(locations, library, BookmarkStore(locations.bookmarks_db), sample)


def open_sample_library(locations: Locations) -> Library:
    """The bundled sample pages, ingested on first use into ``<data dir>/sample``."""
    library = Library(Locations(locations.data_dir / "sample"))
    if library.count() == 0:
        library.ingest([sample_dir()], as_of=SAMPLE_CAPTURED)
    return library


def sample_paths() -> list[Path]:
    return sorted(sample_dir().glob("*.txt"))
