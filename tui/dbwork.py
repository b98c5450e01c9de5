"""The app's one worker pattern: a call on one of the core's serial lanes, its answer a message.

Every read and write of the library and the bookmark store goes through ``services.reads`` or
``services.writes`` (search/serial.py), never straight from the event loop: a CLI process holding
the bookmarks file can make SQLite wait for seconds. :func:`ask` starts a thread worker that
hands the call to the lane and waits there; the answer comes back as an :class:`Answered`
message, handled on the event loop, so no widget is ever touched from a thread.

Calls reach the lane in the order :func:`ask` was called. Cancelling: with ``exclusive`` (the
default) a newer call in the same group cancels the older worker; a cancelled call still queued in
the lane is skipped when its turn comes, and the answer of one already past that point is
dropped. Writes pass ``exclusive=False``: every write lands, in order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from paperbrowse.search.serial import Serial
from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

T = TypeVar("T")


@dataclass
class Answered(Message):
    """A lane answered a call (or failed it): ``deliver()`` runs the caller's continuation."""

    #: The worker group of the call ("query", "detail", "bookmark-writes"…).
    group: str
    #: What the call returned, or the exception it raised.
    value: object
    deliver: Callable[[], None]


class _Stale(Exception):
    """The call was cancelled before its turn in the lane came."""


def ask(
    node: DOMNode,
    lane: Serial,
    call: Callable[[], T],
    then: Callable[[T], None],
    *,
    group: str,
    exclusive: bool = True,
    failed: Callable[[Exception], None] | None = None,
) -> None:
    """Run ``call()`` on ``lane`` from a worker; ``then(result)`` (or ``failed(error)``) runs on
    the event loop, through a message to ``node``. ``call`` runs on the lane's thread, where
    there is no active app: it must only use what it closes over, never ``node``.

    Without ``failed`` an error is dropped: the caller shows nothing new (say why at the call).
    """

    # Handed to the lane here, on the event loop, so that calls reach it in the order they were
    # made (a write after another must land after it); the worker only waits for the answer.
    started: list[Worker[None]] = []
    ready = threading.Event()

    def guarded() -> T:
        ready.wait()
        if not started or started[0].is_cancelled:
            raise _Stale
        return call()

    future = lane.submit(guarded)

    def work() -> None:
        worker = get_current_worker()
        try:
            result = future.result()
        except _Stale:
            return
        except Exception as error:
            if failed is not None and not worker.is_cancelled:
                node.post_message(Answered(group, error, partial(failed, error)))
            return
        if not worker.is_cancelled:
            node.post_message(Answered(group, result, partial(then, result)))

    try:
        started.append(
            node.run_worker(
                work, thread=True, group=group, exclusive=exclusive, exit_on_error=False
            )
        )
    finally:
        ready.set()
