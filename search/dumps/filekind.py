"""What a path is before anything reads it: a regular file of a plausible shape, or a reason.

Reading comes after hashing, and hashing reads the whole file: a FIFO blocks the open forever
(holding the ingest lock), a character device such as ``/dev/zero`` never ends, and a sparse
file of 3 GB of holes takes seconds to be called binary. These are told apart from ``stat`` and
three small samples, in microseconds, before the file is opened for reading.
"""

from __future__ import annotations

import os
import stat

#: Files smaller than this are read whatever their shape (the hash costs nothing).
SHAPE_CHECK_FROM = 1 << 20
#: A file whose allocated blocks cover less than this share of its size is mostly holes. Compressed
#: file systems (btrfs, ZFS) also allocate less than the size, but text compresses ~3-5x, not 64x.
SPARSE_RATIO = 1 / 64
#: Bytes read at the start, the middle and the end of a large file to recognise zero padding.
SAMPLE_BYTES = 16 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_dump_file(st: os.stat_result) -> str | None:
    """Why a path with this ``stat`` cannot be a dump (not a regular file), or None."""
    if stat.S_ISREG(st.st_mode):
        return None
    for test, kind in _KINDS:
        if test(st.st_mode):
            return f"is {kind}, not a dump file: skipped"
    return "is not a regular file: skipped"


def refused_by_shape(path: os.PathLike[str] | str, st: os.stat_result) -> str | None:
    """Why a large regular file is not worth reading (sparse, or zero padding), or None.

    Called before the file is hashed, so a 3 GB sparse or zero-filled file costs three reads.
    """
    if st.st_size < SHAPE_CHECK_FROM:
        return None
    blocks = getattr(st, "st_blocks", None)
    if blocks is not None and blocks * 512 < st.st_size * SPARSE_RATIO:
        return f"a sparse file ({_size(st.st_size)}, almost all holes), not a dump: skipped"
    try:
        with open(path, "rb") as fh:
            samples = []
            for offset in (0, st.st_size // 2, max(0, st.st_size - SAMPLE_BYTES)):
                fh.seek(offset)
                samples.append(fh.read(SAMPLE_BYTES))
    except OSError:
        return None  # reading it later reports the error with its reason
    if all(chunk and chunk.count(0) >= 0.9 * len(chunk) for chunk in samples):
        return f"binary file ({_size(st.st_size)}, mostly NUL bytes), not a dump: skipped"
    return None


def _size(n: int) -> str:
    """Sizes of files that reach the shape check (1 MB or more)."""
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{n / (1 << 20):.1f} MB"
