"""One ingest at a time per library: an advisory file lock held while ingest writes.

``flock`` locks die with their process, so a killed ingest never leaves a stale lock behind; the
lock file itself only records the holder's pid for the message shown to a second ingest.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path


class IngestRunning(RuntimeError):
    """Another process is ingesting into this library."""


class IngestLock:
    def __init__(self, path: Path, wait: float = 0.0) -> None:
        self.path = Path(path)
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> IngestLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _read_pid(fd)
                    os.close(fd)
                    who = f" (pid {holder})" if holder else ""
                    raise IngestRunning(
                        f"another paperbrowse ingest is running on this library{who}; "
                        "wait for it to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
