"""The order of every paper by date (or upvotes, featured day, rising), kept on disk beside the
index for the next process to start from.

The app's first screen is every paper, newest first. At a million papers making that list costs
~0.7 s (a sort key per paper, the sort, a million ids gathered in that order), most of the
first paint. It depends only on the index's state, so the first process to make it writes it
to ``index/orders/`` and later ones read it back (~30 ms). It is derived data: a missing,
stale, unreadable or damaged file is made again, a folder that cannot be written is left
alone, and a file names the exact index state it belongs to (the commit's generation and
every segment's name and deletion count), so an ingest, a rebuild or another version's
index never reuses one.

File layout: ``PBORDER1``, the number of papers and the CRC-32 of the rest (``!II``), the
papers' doc numbers (``!I`` each), then their ids in that order, UTF-8, each ending in
``\\n``. A file whose CRC does not match is not used: its doc numbers pick the papers of the
first page, and a changed byte there would show the wrong ones.
"""

from __future__ import annotations

import hashlib
import struct
import sys
import threading
import zlib
from array import array
from pathlib import Path
from typing import Any

from paperbrowse.search.atomic import write_bytes_atomically

FOLDER = "orders"
MAGIC = b"PBORDER1"
_HEADER = struct.Struct("!II")  # how many papers, the CRC-32 of what follows


def state_of(reader: Any) -> str:
    """A name for the index state ``reader`` reads: its generation, and each segment's own
    (random) name and deletion count, hashed."""
    parts = [str(reader.generation())]
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment() if hasattr(leaf, "segment") else None
        if segment is not None:
            parts.append(f"{segment.segment_id()}:{segment.deleted_count()}")
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:20]


def _path(index_dir: Path, key: str, state: str) -> Path:
    return index_dir / FOLDER / f"{key}-{state}.order"


def load(index_dir: Path, key: str, state: str) -> tuple[list[int], list[str]] | None:
    """The order and ids saved for ``key`` in this index state, or None (none, or unusable)."""
    try:
        data = _path(index_dir, key, state).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _HEADER.size
    if len(data) < head or not data.startswith(MAGIC):
        return None
    count, crc = _HEADER.unpack_from(data, len(MAGIC))
    ids_at = head + 4 * count
    if len(data) < ids_at or zlib.crc32(memoryview(data)[head:]) != crc:
        return None
    order = array("I")
    order.frombytes(data[head:ids_at])
    if sys.byteorder == "little":
        order.byteswap()
    try:
        ids = data[ids_at:].decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    if ids.pop() != "" or len(ids) != count:  # each id ends in a newline: the last part is ""
        return None
    return order.tolist(), ids


def saved(index_dir: Path, key: str, state: str) -> bool:
    """Whether a file for ``key`` in this index state is there (not whether it is whole)."""
    return _path(index_dir, key, state).is_file()


def save_later(index_dir: Path, key: str, state: str, order: list[int], ids: list[str]) -> None:
    """:func:`save` on a thread of its own: the answer that made the order is not held up by
    writing it (16 MB at 1M papers). Both lists are never changed after they are made."""
    thread = threading.Thread(
        target=save, args=(index_dir, key, state, order, ids), name="paperbrowse-order-file"
    )
    _writing.append(thread)
    thread.start()


#: Saves started and maybe not finished (not daemons: a process that ends waits for them).
_writing: list[threading.Thread] = []


def wait_saved() -> None:
    """Wait for the saves started so far (tests; a process's end waits by itself)."""
    while _writing:
        _writing.pop().join()


def save(index_dir: Path, key: str, state: str, order: list[int], ids: list[str]) -> None:
    """Keep ``order`` and its ``ids`` for the next process (and drop this key's older files).
    Nothing is written when an id cannot be stored as a line, or the folder is not writable.

    Written to a temporary file renamed into place, without waiting for the disk: it is
    derived, so after a power cut a file the CRC refuses is simply made again."""
    if len(order) != len(ids):
        return
    folder = index_dir / FOLDER
    numbers = array("I", order)
    if sys.byteorder == "little":
        numbers.byteswap()
    text = "\n".join(ids) + "\n" if ids else ""
    if text.count("\n") != len(ids):  # an id holding a line break cannot be a line
        return
    target = _path(index_dir, key, state)
    try:
        payload = numbers.tobytes() + text.encode("utf-8")
        data = MAGIC + _HEADER.pack(len(order), zlib.crc32(payload)) + payload
        folder.mkdir(exist_ok=True)
        write_bytes_atomically(target, data, durable=False)
        for old in folder.glob(f"{key}-*.order"):
            if old != target:
                old.unlink(missing_ok=True)
    except (OSError, UnicodeEncodeError):
        return  # derived data: a read-only library or a full disk simply goes without
