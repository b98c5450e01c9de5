"""One SQLite write transaction, for every store (bookmarks and records alike).

``BEGIN IMMEDIATE`` takes the write lock up front, so two writers queue on the busy timeout
instead of deadlocking when both try to upgrade a read. A COMMIT can itself fail (disk full, an
I/O error): SQLite then leaves the transaction open, still holding the lock, and a long-lived
process (the app) would do every later write inside it. So a failed COMMIT is rolled back too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``with immediate(db):`` — all of the block's writes land, or none (the connection must be
    in autocommit mode, ``isolation_level=None``). Afterwards it is never left in a transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        _rollback(db)
        raise
    try:
        db.execute("COMMIT")
    except BaseException:
        _rollback(db)
        raise


def _rollback(db: sqlite3.Connection) -> None:
    # Some errors (SQLITE_FULL among them) make SQLite roll back by itself: then a ROLLBACK
    # would fail with "cannot rollback - no transaction is active" and hide the real error.
    if db.in_transaction:
        db.execute("ROLLBACK")
