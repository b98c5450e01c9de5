"""A call made on a leading + trailing debounce, with the one timer that needs.

tui/debounce.py decides (no Textual there, so the decisions are tested on a clock of the
test's own); this holds the Textual timer and the guards every user of it needed: a timer's
callback may already be queued when the timer is stopped, and a call made for another reason
(Enter, a new sort) leaves nothing pending. Search-as-you-type and the detail's similar papers
both run through one of these.
"""

from __future__ import annotations

from collections.abc import Callable

from paperbrowse.tui.debounce import Debouncer
from textual.message_pump import MessagePump
from textual.timer import Timer


class DebouncedCall:
    """Call ``run`` on the event loop at once after a pause, or once a burst of changes ends."""

    def __init__(
        self,
        owner: MessagePump,
        interval: float,
        clock: Callable[[], float],
        run: Callable[[], object],
    ) -> None:
        self._decide = Debouncer(interval, clock)
        self._owner = owner
        self._run = run
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        """A change is waiting for its burst to end."""
        return self._decide.pending

    @property
    def waiting(self) -> bool:
        """A timer is set for a trailing call."""
        return self._timer is not None

    def changed(self) -> None:
        """The input changed: call now (after a pause) or when the burst ends."""
        self._schedule(self._decide.change())

    def dispatched(self) -> None:
        """The call was made (by this or for another reason): nothing is pending any more."""
        self._stop()
        self._decide.dispatched()

    def _due(self) -> None:
        self._timer = None
        # Queued just before the timer was stopped (the call was made meanwhile): nothing to do.
        if self._decide.pending:
            self._schedule(self._decide.due())

    def _schedule(self, delay: float | None) -> None:
        self._stop()
        if delay is None:
            self._run()
        else:
            self._timer = self._owner.set_timer(delay, self._due)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
