"""The one write-transaction helper both stores use: all or nothing, and a failed COMMIT (disk
full) never leaves the connection inside a transaction holding the write lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from paperbrowse.search.bookmarks import BookmarkStore
from paperbrowse.search.models import Paper
from paperbrowse.search.records import RecordStore
from paperbrowse.search.transactions import immediate


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    # A deferred foreign key is checked at COMMIT: a real way to make a COMMIT fail.
    db.execute(
        "CREATE TABLE child (id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"
    )
    return db


def test_a_block_that_raises_writes_nothing(tmp_path: Path) -> None:
    db = _connect(tmp_path / "t.sqlite3")
    with pytest.raises(RuntimeError), immediate(db):
        db.execute("INSERT INTO parent VALUES (1)")
        raise RuntimeError("midway")
    assert not db.in_transaction
    assert db.execute("SELECT COUNT(*) FROM parent").fetchone() == (0,)


def test_a_failed_commit_rolls_back_and_leaves_no_transaction(tmp_path: Path) -> None:
    db = _connect(tmp_path / "t.sqlite3")
    with pytest.raises(sqlite3.IntegrityError), immediate(db):
        db.execute("INSERT INTO parent VALUES (1)")
        db.execute("INSERT INTO child VALUES (2)")  # no parent 2: COMMIT fails
    assert not db.in_transaction
    assert db.execute("SELECT COUNT(*) FROM parent").fetchone() == (0,)
    # Another connection can write at once: the lock was released.
    other = sqlite3.connect(tmp_path / "t.sqlite3", isolation_level=None, timeout=0)
    with immediate(other):
        other.execute("INSERT INTO parent VALUES (3)")


class _FullDisk:
    """A connection whose COMMIT fails as on a full disk (SQLite keeps the transaction open)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def execute(self, sql: str, *args):
        if sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._db, name)


def test_the_bookmark_store_recovers_from_a_failed_commit(tmp_path: Path) -> None:
    store = BookmarkStore(tmp_path / "bookmarks.sqlite3")
    real = store._db
    store._db = _FullDisk(real)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.add(Paper(id="2401.00001", title="A paper"))
    assert not real.in_transaction  # the old helper left it open, holding the write lock
    store._db = real
    assert len(store) == 0
    store.add(Paper(id="2401.00001", title="A paper"))  # the next write works
    assert len(store) == 1
    store.close()


def test_the_record_store_recovers_from_a_failed_commit(tmp_path: Path) -> None:
    store = RecordStore(tmp_path / "records.sqlite3")
    real = store.db
    store.db = _FullDisk(real)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.clear()
    assert not real.in_transaction
    store.db = real
    store.clear()
    store.close()
