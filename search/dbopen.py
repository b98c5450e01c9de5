"""Opening the data dir's SQLite files, also when the data dir is read-only.

Both stores use WAL mode, and a WAL database cannot be opened normally where its folder cannot
be written: SQLite must create the ``-shm`` index next to it even to read. A read-only data dir
(a read-only mount, a backup, a folder shared without write permission) must still let
``search``, ``show``, ``stats`` and an export to stdout work, so such a file is opened as
*immutable*: SQLite reads it without any lock or side file. That is safe exactly because the
folder is read-only: no writer can create the ``-wal`` file a change would need.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote


def opens_read_only(path: Path) -> bool:
    """Whether ``path`` exists in a folder this process cannot write."""
    return path.exists() and not os.access(path.parent, os.W_OK)


def connect(path: Path, **options: Any) -> tuple[sqlite3.Connection, bool]:
    """A connection to ``path`` and whether it is read-only (see the module docstring).

    ``options`` go to :func:`sqlite3.connect`. A read-only connection raises
    ``sqlite3.OperationalError`` ("attempt to write a readonly database") on any write.
    """
    if opens_read_only(path):
        uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, **options), True
    return sqlite3.connect(str(path), **options), False
