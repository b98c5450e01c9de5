"""When search-as-you-type runs a query: leading + trailing debounce, as logic over a clock.

A keystroke after a pause runs its query at once, so a single key never waits for a timer.
Keystrokes that come close together (a burst) are coalesced: the text the burst ends on runs once
the typing pauses for ``interval``, so a burst costs two queries (its first and its last text)
rather than one per key, and the last text always runs.

No Textual here: the screen owns the timer and asks this object what to do, so that the
decisions can be tested with a clock the test controls.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: A timer that fires this close to its deadline counts as on time (timers may fire a hair
#: early; re-arming for a few microseconds would only cost a loop turn).
SLACK = 0.001


class Debouncer:
    """Decides, for each change of the query text, whether the query runs now or later.

    The caller runs the query when :meth:`change` or :meth:`due` returns ``None`` and otherwise
    sets a timer for the seconds returned and calls :meth:`due` when it fires. Every query that
    runs, for whatever reason (a keystroke, Enter, a new sort), is reported with
    :meth:`dispatched`: it carries the latest text, so nothing is pending after it.
    """

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._last_dispatch = -float("inf")
        self._last_change = -float("inf")
        self._pending = False

    @property
    def pending(self) -> bool:
        """A change is waiting for the burst to pause (a trailing run is due)."""
        return self._pending

    def change(self) -> float | None:
        """The text changed: ``None`` to run the query now, else the seconds to wait."""
        now = self._clock()
        self._last_change = now
        if not self._pending and now - self._last_dispatch >= self.interval:
            # The user had paused (no query for a whole interval): this key is the leading edge.
            return None
        self._pending = True
        return self.interval

    def due(self) -> float | None:
        """The wait is over: ``None`` to run the query now, else the seconds still to wait.

        Ask only while :attr:`pending`. The wait counts from the latest change, so a burst
        only ends once no key has come for a whole interval.
        """
        left = self._last_change + self.interval - self._clock()
        return left if left > SLACK else None

    def dispatched(self) -> None:
        """A query with the current text was started (by a change, Enter, a sort…)."""
        self._pending = False
        self._last_dispatch = self._clock()
