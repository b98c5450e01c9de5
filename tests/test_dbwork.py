"""tui/dbwork.py, the app's one worker pattern: calls run on the core's lane, answers arrive on
the event loop as messages, and a newer call in an exclusive group makes older ones stale."""

from __future__ import annotations

import threading

from paperbrowse.search.serial import Serial
from paperbrowse.tui.dbwork import Answered, ask
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.fixtures_app import pilot_test


class _Host(Static):
    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.deliver()


class _App(App):
    def compose(self) -> ComposeResult:
        yield _Host()


async def _until(pilot, condition) -> None:
    for _ in range(3000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


@pilot_test
async def test_calls_run_on_the_lane_and_answers_on_the_event_loop():
    lane = Serial("test-reads")
    app = _App()
    seen: list[tuple[str, str]] = []
    async with app.run_test() as pilot:
        host = app.query_one(_Host)
        loop_thread = threading.current_thread().name

        def answered(lane_thread: str) -> None:
            seen.append((lane_thread, threading.current_thread().name))
            host.update("answered")  # touching the DOM is fine here: this is the event loop

        ask(host, lane, lambda: threading.current_thread().name, answered, group="g")
        await _until(pilot, lambda: seen)
        await app.workers.wait_for_complete()
    lane.close()
    assert seen[0][0].startswith("test-reads")
    assert seen[0][1] == loop_thread


@pilot_test
async def test_a_newer_call_in_an_exclusive_group_makes_the_queued_ones_stale():
    lane = Serial("test-reads")
    app = _App()
    ran: list[int] = []
    shown: list[int] = []
    errors: list[Exception] = []
    async with app.run_test() as pilot:
        host = app.query_one(_Host)
        busy = threading.Event()
        release = threading.Event()

        def block() -> int:
            busy.set()
            release.wait(30)
            return 0

        lane.submit(block)  # the lane is busy: what follows queues behind it
        for number in (1, 2, 3):
            ask(
                host,
                lane,
                lambda number=number: ran.append(number) or number,
                shown.append,
                group="query",
                failed=errors.append,
            )
            await pilot.pause()
        assert busy.wait(30)
        release.set()
        await _until(pilot, lambda: shown)
        await app.workers.wait_for_complete()
        await pilot.pause()
    lane.close()
    assert ran == [3] and shown == [3] and errors == []


@pilot_test
async def test_writes_are_not_exclusive_and_errors_reach_failed():
    lane = Serial("test-writes")
    app = _App()
    shown: list[int] = []
    errors: list[Exception] = []
    async with app.run_test() as pilot:
        host = app.query_one(_Host)
        for number in (1, 2, 3):
            ask(host, lane, lambda n=number: n, shown.append, group="w", exclusive=False)
        ask(
            host,
            lane,
            lambda: 1 / 0,
            shown.append,
            group="w",
            exclusive=False,
            failed=errors.append,
        )
        await _until(pilot, lambda: len(shown) == 3 and errors)
        await app.workers.wait_for_complete()
    lane.close()
    assert sorted(shown) == [1, 2, 3]
    assert isinstance(errors[0], ZeroDivisionError)
