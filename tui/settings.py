"""What the main screen is told by the app that makes it (attributes down, not reached for)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ScreenSettings:
    #: Show each query's time on the status line (off for snapshots).
    show_timings: bool = True
    #: Seconds without a keystroke that end a burst of typing (tui/debounce.py).
    debounce: float = 0.15
    #: Monotonic seconds the pauses are measured with (tests pass a clock of their own).
    clock: Callable[[], float] = time.monotonic
    #: Seconds a paper is shown in the detail pane, the user there, before it counts as read.
    seen_delay: float = 1.5
