"""One thread per database path: callables run one at a time, in the order they were given.

The app must never wait on SQLite (a CLI process holding the bookmarks file can make a write
wait for seconds), and the library's Whoosh searcher and SQLite connection are not promised to
be thread-safe. So the core owns a :class:`Serial` lane for each: front ends hand it callables
(from their own worker threads) and get :class:`~concurrent.futures.Future` objects back. The
thread starts on the first call, so a CLI command that never uses a lane pays nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Serial:
    """Runs callables in order on one thread of its own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue ``fn(*args, **kwargs)`` behind every call submitted before it."""
        return self._pool.submit(fn, *args, **kwargs)

    def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Queue the call and wait for its result (or exception) in the calling thread."""
        return self.submit(fn, *args, **kwargs).result()

    def close(self, *, drop_queued: bool = False) -> None:
        """Stop the thread once the calls queued have run (``drop_queued``: once the one
        running now has; the others are cancelled). A closed lane takes no more calls."""
        self._pool.shutdown(wait=True, cancel_futures=drop_queued)
