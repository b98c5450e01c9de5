"""The search-as-you-type debounce decisions, on a clock the test moves by hand."""

from __future__ import annotations

import pytest
from paperbrowse.tui.debounce import Debouncer


class Clock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def type_keys(debouncer: Debouncer, clock: Clock, gaps: list[float]) -> list[str]:
    """Feed one change per gap (seconds since the previous key), running queries the way the
    screen does, and return what happened at each key: "run" or "wait"."""
    happened = []
    for gap in gaps:
        clock.advance(gap)
        if debouncer.change() is None:
            debouncer.dispatched()
            happened.append("run")
        else:
            happened.append("wait")
    return happened


def test_a_key_after_a_pause_runs_at_once(clock):
    debouncer = Debouncer(0.15, clock)
    assert debouncer.change() is None  # nothing ran yet: that is a pause
    debouncer.dispatched()
    clock.advance(0.15)
    assert debouncer.change() is None
    assert not debouncer.pending


def test_a_burst_runs_its_first_key_then_waits_for_the_pause(clock):
    debouncer = Debouncer(0.15, clock)
    assert type_keys(debouncer, clock, [1.0] + [0.05] * 14) == ["run"] + ["wait"] * 14
    assert debouncer.pending
    # The wait runs from the latest key: a timer armed at an earlier key is told to wait more.
    clock.advance(0.1)
    assert debouncer.due() == pytest.approx(0.05)
    clock.advance(0.05)
    assert debouncer.due() is None  # the burst paused: its last text runs now
    debouncer.dispatched()
    assert not debouncer.pending


def test_slow_typing_runs_every_key(clock):
    debouncer = Debouncer(0.15, clock)
    assert type_keys(debouncer, clock, [1.0, 0.2, 0.3, 0.16]) == ["run"] * 4


def test_a_key_soon_after_a_trailing_run_waits(clock):
    """The pause counts from the last query run: a key 10 ms after the burst's trailing run
    joins a new burst rather than starting another query at once."""
    debouncer = Debouncer(0.15, clock)
    type_keys(debouncer, clock, [1.0, 0.05])
    clock.advance(0.15)
    assert debouncer.due() is None
    debouncer.dispatched()
    assert type_keys(debouncer, clock, [0.01]) == ["wait"]
    assert type_keys(debouncer, clock, [0.2]) == ["wait"]  # still pending: the burst goes on
    clock.advance(0.15)
    assert debouncer.due() is None


def test_another_dispatch_settles_a_pending_burst(clock):
    """Enter, a new sort or a filter run the current text: nothing is left pending after it."""
    debouncer = Debouncer(0.15, clock)
    type_keys(debouncer, clock, [1.0, 0.05])
    assert debouncer.pending
    debouncer.dispatched()
    assert not debouncer.pending
    assert type_keys(debouncer, clock, [0.05]) == ["wait"]  # it counts as the last run


def test_a_timer_firing_a_hair_early_still_runs(clock):
    debouncer = Debouncer(0.15, clock)
    type_keys(debouncer, clock, [1.0, 0.05])
    clock.advance(0.1495)
    assert debouncer.due() is None


def test_zero_interval_runs_every_key(clock):
    debouncer = Debouncer(0.0, clock)
    assert type_keys(debouncer, clock, [0.0, 0.0, 0.0]) == ["run"] * 3
