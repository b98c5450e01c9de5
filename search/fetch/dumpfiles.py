"""Fetched responses on disk: saved whole or not at all, and never deleted.

A response is written to a hidden temporary file next to its final name, flushed to disk and
renamed over it: a reader (an ingest, another fetch) sees the old file or the new one, never half
of one. A temporary file left by a killed fetch is hidden (ingest skips dot-files) and removed by
the next fetch; complete dumps are the user's data and nothing here deletes them.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"

#: A temporary name: ``.NAME.part-PID`` beside NAME.
_PART = re.compile(r"^\..+\.part-\d+$")
_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")


def save_dump(path: Path, body: bytes) -> str:
    """Write ``body`` to ``path`` atomically; NEW, CHANGED, or UNCHANGED (then not written, so
    the file keeps its mtime and the next ingest skips it without reading it)."""
    try:
        if path.read_bytes() == body:
            return UNCHANGED
        outcome = CHANGED
    except FileNotFoundError:
        outcome = NEW
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Ctrl-C or a full disk mid-write: no partial dump stays behind.
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return outcome


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it must not bring the old file back)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_parts(folder: Path) -> int:
    """Delete temporary files a killed fetch left in ``folder``; how many there were."""
    removed = 0
    if not folder.is_dir():
        return 0
    for entry in folder.iterdir():
        if _PART.match(entry.name) and entry.is_file():
            entry.unlink(missing_ok=True)
            removed += 1
    return removed


def fetched_days(folder: Path) -> list[date]:
    """The days of the daily-papers dumps in ``folder`` (``YYYY-MM-DD.json``), oldest first."""
    days = []
    if folder.is_dir():
        for entry in folder.iterdir():
            m = _DAY_FILE.match(entry.name)
            if m:
                try:
                    days.append(date(int(m[1]), int(m[2]), int(m[3])))
                except ValueError:
                    continue
    return sorted(days)
