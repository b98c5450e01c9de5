"""Where paperbrowse keeps its files.

The index and the paper records are derived data (rebuildable from the dumps); bookmarks are the
user's own. Both live under one data directory so that ``--data-dir`` / ``PAPERBROWSE_DATA_DIR``
move everything at once (tests never touch the real home).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

#: The day the bundled sample pages were saved. Their dates print without a year ("Sep 16"),
#: and the pages name no capture date: read against this day, the sample shows the same dates
#: on every machine (and as in the README's pictures), whatever its files' times are.
SAMPLE_CAPTURED = date(2025, 12, 20)

ENV_DATA_DIR = "PAPERBROWSE_DATA_DIR"


def default_data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    # platformdirs is imported here, not at module top, to keep `paperbrowse search` start-up lean.
    from platformdirs import user_data_dir

    return Path(user_data_dir("paperbrowse", appauthor=False))


@dataclass(frozen=True)
class Locations:
    data_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> Locations:
        return cls(Path(data_dir).expanduser() if data_dir else default_data_dir())

    @property
    def library_db(self) -> Path:
        """SQLite file of merged paper records and the ingest manifest (derived)."""
        return self.data_dir / "library.sqlite3"

    @property
    def index_dir(self) -> Path:
        """The Whoosh index (derived)."""
        return self.data_dir / "index"

    @property
    def bookmarks_db(self) -> Path:
        """Bookmarks, tags and notes (precious: never rebuilt, never deleted by paperbrowse)."""
        return self.data_dir / "bookmarks.sqlite3"

    @property
    def dumps_dir(self) -> Path:
        """Responses saved by ``paperbrowse fetch`` (precious: an old day's upvotes cannot be
        fetched again; ``ingest --rebuild`` re-reads them and nothing deletes them)."""
        return self.data_dir / "dumps"

    @property
    def lock_file(self) -> Path:
        """Held by the one ingest that may run at a time."""
        return self.data_dir / "ingest.lock"


def sample_dir() -> Path:
    """The bundled sample library: five Hugging Face Daily Papers pages copied as text."""
    return Path(__file__).parent / "sample"
