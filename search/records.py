"""The library's record store: every record read from every dump, and the merged paper records.

SQLite (WAL) in the data dir. It is derived data — ``ingest --rebuild`` re-creates it from the
dumps — but it is written transactionally so that a killed ingest never leaves it unreadable, and so
that paper ids, once given, stay put (bookmarks key on them).

Tables
- ``files``: one row per dump file ingested (size, mtime, digest, format, complete flag).
- ``records``: what each file said about each paper (compressed JSON), keyed by file and position.
- ``papers``: the merged record per paper id, with the columns identity lookups need, and a
  ``state`` saying whether the full-text index still has to learn about it.
- ``removed``: ids of papers that vanished from every dump and must leave the index.
- ``arrivals``: when each paper first came into this library (the start of the ingest that
  brought it, ISO UTC; one stamp per ingest, so "what the last ingest brought" is the papers of
  the latest stamp). Kept by ``clear()``: a rebuild does not make old papers new.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from paperbrowse.search.dbopen import connect
from paperbrowse.search.merge import merge_records
from paperbrowse.search.models import Paper
from paperbrowse.search.serialize import paper_from_json, paper_to_json
from paperbrowse.search.text import bare_arxiv_id, title_id, title_key
from paperbrowse.search.transactions import immediate

#: 2: merged papers carry their upvote history (search.rising); the records themselves did not
#: change, so a version-1 store is re-merged from them (:meth:`RecordStore._remerge_all`).
SCHEMA_VERSION = 2
#: Versions whose records this code reads as they are (only the merged rows are re-made).
_REMERGEABLE = (1,)

#: papers.state values: what the full-text index knows of the row.
CLEAN, NEW, CHANGED = 0, 1, 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT,
    format TEXT,
    papers INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS records (
    file_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    paper_id TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (file_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_paper ON records (paper_id);
CREATE TABLE IF NOT EXISTS papers (
    id TEXT PRIMARY KEY,
    arxiv_id TEXT,
    title_key TEXT NOT NULL,
    data BLOB NOT NULL,
    state INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS papers_arxiv ON papers (arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS papers_title ON papers (title_key);
CREATE INDEX IF NOT EXISTS papers_dirty ON papers (state) WHERE state != 0;
CREATE TABLE IF NOT EXISTS removed (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS arrivals (id TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS arrivals_at ON arrivals (at);
"""


def _raise_if_unwritable(folder: Path) -> None:
    """SQLite reports a folder it cannot write in (WAL files live next to the database) as
    "unable to open database file"; raise the real reason instead, if that is it."""
    if os.access(folder, os.W_OK):
        return
    read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    code = errno.EROFS if read_only else errno.EACCES
    raise OSError(code, os.strerror(code), str(folder))


def _pack(paper: Paper) -> bytes:
    return zlib.compress(paper_to_json(paper).encode(), 1)


def _unpack(blob: bytes) -> Paper:
    return paper_from_json(zlib.decompress(blob).decode())


class KnownFile(NamedTuple):
    """A dump file as the ingest manifest recorded it."""

    id: int
    size: int
    mtime_ns: int
    #: Content digest (see ``search.ingest_files.digest_and_lines``).
    digest: str
    #: Its ingest finished (a file that failed part-way is read again).
    complete: bool


class RecordStore:
    """Paper records and the ingest manifest, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE in `transaction`).
            self.db, self.read_only = connect(
                self.path, isolation_level=None, timeout=30.0, check_same_thread=False
            )
            if self.read_only:
                # A read-only data dir: reading works as long as the file is of this version.
                if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    _raise_if_unwritable(self.path.parent)
                return
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION, *_REMERGEABLE):
                # Derived data from another version: drop it; the next ingest rebuilds it.
                self._drop_all()
            self.db.executescript(_SCHEMA)
            if version in _REMERGEABLE:
                self._remerge_all()
            if version != SCHEMA_VERSION:
                # Only then: this write would stop a library on a full disk from even opening.
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.OperationalError:
            _raise_if_unwritable(self.path.parent)
            raise

    def _remerge_all(self) -> None:
        """Re-make every merged paper from its records (what a newer merge adds, such as the
        upvote history, appears without re-reading any dump); changed papers are re-indexed."""
        with self.transaction() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM papers")]
            for pid in ids:
                self.recompute(db, pid)

    def _drop_all(self) -> None:
        for table in ("meta", "files", "records", "papers", "removed", "arrivals"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        self.db.close()

    #: The stamp new papers get (set by :meth:`begin_ingest`; None: the time of the write).
    arrival_stamp: str | None = None

    def begin_ingest(self, now: datetime | None = None) -> None:
        """Papers first met from here on arrived ``now`` (default: the current time)."""
        self.arrival_stamp = (now or datetime.now(UTC)).isoformat(timespec="microseconds")

    def arrived_since(self, since: datetime) -> list[str]:
        """Ids of the papers that first came in at or after ``since``, newest first."""
        rows = self.db.execute(
            "SELECT arrivals.id FROM arrivals JOIN papers ON papers.id = arrivals.id"
            " WHERE at >= ? ORDER BY at DESC, arrivals.id",
            (since.astimezone(UTC).isoformat(timespec="microseconds"),),
        )
        return [r[0] for r in rows]

    def last_arrival(self) -> datetime | None:
        """The stamp of the latest ingest that brought new papers (None: none recorded)."""
        row = self.db.execute("SELECT MAX(at) FROM arrivals").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction (see search/transactions.py)."""
        return immediate(self.db)

    def clear(self) -> None:
        """Forget everything (``ingest --rebuild``)."""
        with self.transaction() as db:
            for table in ("files", "records", "papers", "removed"):
                db.execute(f"DELETE FROM {table}")

    # -- meta --------------------------------------------------------------------------------

    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def bump_generation(self) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )

    # -- files -------------------------------------------------------------------------------

    def file_row(self, path: str | bytes) -> KnownFile | None:
        """What the manifest knows of the dump file at ``path`` (None: never ingested)."""
        row = self.db.execute(
            "SELECT id, size, mtime_ns, digest, complete FROM files WHERE path=?", (path,)
        ).fetchone()
        if row is None:
            return None
        file_id, size, mtime_ns, digest, complete = row
        return KnownFile(file_id, size, mtime_ns, digest, bool(complete))

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE files SET size=?, mtime_ns=? WHERE id=?", (size, mtime_ns, file_id))

    def begin_file(
        self, db, path: str | bytes, size: int, mtime_ns: int, digest: str, fmt: str
    ) -> int:
        """Register (or re-register) a file as being ingested; its old records are dropped.

        Returns the file id. The papers it used to feed are recomputed by :meth:`finish_file`.
        """
        row = db.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
        if row is None:
            cur = db.execute(
                "INSERT INTO files (path, size, mtime_ns, digest, format, complete) "
                "VALUES (?, ?, ?, ?, ?, 0)",
                (path, size, mtime_ns, digest, fmt),
            )
            return int(cur.lastrowid)
        file_id = int(row[0])
        db.execute(
            "UPDATE files SET size=?, mtime_ns=?, digest=?, format=?, complete=0 WHERE id=?",
            (size, mtime_ns, digest, fmt, file_id),
        )
        return file_id

    def old_paper_ids(self, db, file_id: int) -> set[str]:
        rows = db.execute("SELECT DISTINCT paper_id FROM records WHERE file_id=?", (file_id,))
        return {r[0] for r in rows}

    def remember_old_papers(self, db, file_id: int) -> None:
        """Note the papers a file fed before it is read again (in a temporary table, not in
        memory: a million-paper file would hold ~90 MB of ids in a Python set)."""
        db.execute("CREATE TEMP TABLE IF NOT EXISTS old_papers (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM temp.old_papers")
        db.execute(
            "INSERT INTO temp.old_papers SELECT DISTINCT paper_id FROM records WHERE file_id=?",
            (file_id,),
        )

    def no_old_papers(self, db) -> None:
        """An empty :meth:`remember_old_papers`: a file read on from where it ended last time
        (it only grew) keeps every record it had, so no paper can lose its contribution."""
        db.execute("CREATE TEMP TABLE IF NOT EXISTS old_papers (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM temp.old_papers")

    def appended_state(self, file_id: int) -> tuple[str | None, int, int]:
        """(format, papers, next record position) of a file, to read on from where it ended."""
        fmt, papers = self.db.execute(
            "SELECT format, papers FROM files WHERE id=?", (file_id,)
        ).fetchone()
        (last,) = self.db.execute(
            "SELECT MAX(seq) FROM records WHERE file_id=?", (file_id,)
        ).fetchone()
        return fmt, int(papers), 0 if last is None else int(last) + 1

    def fed_before(self, db, pid: str) -> bool:
        """Whether the file being read fed this paper before (see remember_old_papers)."""
        return db.execute("SELECT 1 FROM temp.old_papers WHERE id=?", (pid,)).fetchone() is not None

    def seen_in_file(self, db, file_id: int, pid: str, seq: int) -> bool:
        """Whether a record of this file before position ``seq`` is of the same paper."""
        row = db.execute(
            "SELECT 1 FROM records WHERE paper_id=? AND file_id=? AND seq<? LIMIT 1",
            (pid, file_id, seq),
        ).fetchone()
        return row is not None

    def no_longer_fed(self, db, file_id: int) -> list[str]:
        """Papers the file fed before and no longer mentions now that it has been read."""
        rows = db.execute(
            "SELECT id FROM temp.old_papers "
            "WHERE id NOT IN (SELECT paper_id FROM records WHERE file_id=?)",
            (file_id,),
        )
        return [r[0] for r in rows]

    def drop_records(self, db, file_id: int) -> None:
        db.execute("DELETE FROM records WHERE file_id=?", (file_id,))

    def finish_file(self, db, file_id: int, papers: int) -> None:
        db.execute("UPDATE files SET complete=1, papers=? WHERE id=?", (papers, file_id))

    def forget_file(self, path: str) -> set[str]:
        """Drop a file that no longer exists; returns the papers it fed (to recompute)."""
        with self.transaction() as db:
            row = db.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
            if row is None:
                return set()
            ids = self.old_paper_ids(db, row[0])
            self.drop_records(db, row[0])
            db.execute("DELETE FROM files WHERE id=?", (row[0],))
            for pid in ids:
                self.recompute(db, pid)
            return ids

    # -- records and identity ----------------------------------------------------------------

    def resolve(self, db, record: Paper) -> tuple[str, bool]:
        """The library id for a freshly read record, and whether that paper already exists.

        By arXiv id first, then by title key — a page copy without an id joins the arXiv record of
        the same title; two different arXiv ids never merge, whatever their titles.
        """
        arxiv = record.arxiv_id or bare_arxiv_id(record.id)
        if arxiv:
            row = db.execute("SELECT id FROM papers WHERE arxiv_id=?", (arxiv,)).fetchone()
            if row:
                return row[0], True
        key = title_key(record.title)
        if key:
            rows = db.execute(
                "SELECT id, arxiv_id FROM papers WHERE title_key=? ORDER BY id", (key,)
            ).fetchall()
            for pid, other in rows:
                if not arxiv or not other or other == arxiv:
                    return pid, True
        candidate = arxiv or title_id(record.title)
        suffix = 1
        pid = candidate
        while db.execute("SELECT 1 FROM papers WHERE id=?", (pid,)).fetchone():
            # Same derived id, different paper (two papers with one title but different ids).
            suffix += 1
            pid = f"{candidate}-{suffix}"
        return pid, False

    def add_record(self, db, file_id: int, seq: int, record: Paper) -> tuple[str, str]:
        """Store one record and bring its paper's merged row up to date.

        Returns (paper id, what happened to the paper: "new", "changed" or "same").
        """
        pid, existed = self.resolve(db, record)
        db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)",
            (file_id, seq, pid, _pack(record)),
        )
        if not existed:
            self._write_paper(db, merge_records(pid, [record]), NEW)
            stamp = self.arrival_stamp or datetime.now(UTC).isoformat(timespec="microseconds")
            db.execute("INSERT OR IGNORE INTO arrivals VALUES (?, ?)", (pid, stamp))
            return pid, "new"
        return pid, self.recompute(db, pid)

    def recompute(self, db, pid: str) -> str:
        """Re-merge a paper from its records; a paper left with none is removed.

        Returns "changed", "same" or "removed".
        """
        blobs = db.execute("SELECT data FROM records WHERE paper_id=?", (pid,)).fetchall()
        if not blobs:
            db.execute("DELETE FROM papers WHERE id=?", (pid,))
            db.execute("INSERT OR IGNORE INTO removed VALUES (?)", (pid,))
            return "removed"
        merged = merge_records(pid, [_unpack(b[0]) for b in blobs])
        old = db.execute("SELECT data, state FROM papers WHERE id=?", (pid,)).fetchone()
        if old is not None and zlib.decompress(old[0]) == paper_to_json(merged).encode():
            return "same"
        state = NEW if old is None else (CHANGED if old[1] == CLEAN else old[1])
        self._write_paper(db, merged, state)
        return "changed"

    def _write_paper(self, db, paper: Paper, state: int) -> None:
        db.execute(
            "INSERT OR REPLACE INTO papers VALUES (?, ?, ?, ?, ?)",
            (paper.id, paper.arxiv_id, title_key(paper.title), _pack(paper), state),
        )
        db.execute("DELETE FROM removed WHERE id=?", (paper.id,))

    # -- index bookkeeping -------------------------------------------------------------------

    def pending_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM papers WHERE state != 0").fetchone()[0]

    def pending_batches(self, size: int) -> Iterator[list[tuple[Paper, int]]]:
        """Papers the index must (re)learn, in batches of (paper, state), oldest first."""
        last = ""
        while True:
            rows = self.db.execute(
                "SELECT id, data, state FROM papers WHERE state != 0 AND id > ? "
                "ORDER BY id LIMIT ?",
                (last, size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(_unpack(data), state) for _, data, state in rows]

    def mark_indexed(self, ids: Sequence[str]) -> None:
        with self.transaction() as db:
            db.executemany("UPDATE papers SET state=0 WHERE id=?", ((i,) for i in ids))

    def assume_possibly_indexed(self) -> None:
        """After a crash, NEW rows may already be in the index: treat them as CHANGED."""
        with self.transaction() as db:
            db.execute("UPDATE papers SET state=? WHERE state=?", (CHANGED, NEW))

    def mark_all_new(self) -> None:
        """The index was re-created empty: every paper has to be added."""
        with self.transaction() as db:
            db.execute("UPDATE papers SET state=?", (NEW,))
            db.execute("DELETE FROM removed")

    def removed_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM removed")]

    def clear_removed(self, ids: Sequence[str]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM removed WHERE id=?", ((i,) for i in ids))

    # -- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    def has_papers(self) -> bool:
        """Whether any paper is stored: one row looked at (COUNT(*) reads the whole table:
        23 ms of every cold command at 1M papers)."""
        return self.db.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is not None

    def get(self, paper_id: str) -> Paper | None:
        row = self.db.execute("SELECT data FROM papers WHERE id=?", (paper_id,)).fetchone()
        if row is None:
            arxiv = bare_arxiv_id(paper_id)
            if arxiv:
                row = self.db.execute(
                    "SELECT data FROM papers WHERE arxiv_id=? OR id=?", (arxiv, arxiv)
                ).fetchone()
        return _unpack(row[0]) if row else None

    def get_many(self, ids: Sequence[str]) -> list[Paper]:
        found: dict[str, Paper] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for pid, data in self.db.execute(
                f"SELECT id, data FROM papers WHERE id IN ({marks})", chunk
            ):
                found[pid] = _unpack(data)
        return [found[i] for i in ids if i in found]

    def find_by_title(self, title: str) -> Paper | None:
        row = self.db.execute(
            "SELECT data FROM papers WHERE title_key=? ORDER BY id LIMIT 1", (title_key(title),)
        ).fetchone()
        return _unpack(row[0]) if row else None

    def iter_papers(self) -> Iterator[Paper]:
        for (data,) in self.db.execute("SELECT data FROM papers ORDER BY id"):
            yield _unpack(data)

    def file_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM files WHERE complete=1").fetchone()[0]

    def files(self) -> list[tuple[str, str, int]]:
        return list(self.db.execute("SELECT path, format, papers FROM files ORDER BY path"))
