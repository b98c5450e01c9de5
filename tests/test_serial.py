"""search/serial.py: one thread, calls in submission order, results and errors as futures."""

from __future__ import annotations

import threading

import pytest
from paperbrowse.search.serial import Serial


def test_calls_run_in_order_on_one_thread():
    lane = Serial("test-lane")
    seen: list[tuple[int, str]] = []
    futures = [
        lane.submit(lambda i=i: seen.append((i, threading.current_thread().name)))
        for i in range(50)
    ]
    for future in futures:
        future.result()
    assert [i for i, _ in seen] == list(range(50))
    assert len({name for _, name in seen}) == 1
    assert seen[0][1] != threading.current_thread().name
    lane.close()


def test_a_blocked_call_holds_back_later_ones_but_not_the_caller():
    lane = Serial("test-lane")
    release = threading.Event()
    first = lane.submit(release.wait)
    second = lane.submit(lambda: "second")
    assert not second.done()  # queued behind the first; the caller was not made to wait
    release.set()
    assert first.result() is True and second.result() == "second"
    lane.close()


def test_errors_come_back_through_the_future():
    lane = Serial("test-lane")
    with pytest.raises(ZeroDivisionError):
        lane.run(lambda: 1 / 0)
    assert lane.run(lambda: 2) == 2  # the lane lives on
    lane.close()


def test_close_lets_queued_calls_land_unless_told_to_drop_them():
    lane = Serial("test-lane")
    release = threading.Event()
    landed: list[int] = []
    lane.submit(release.wait)
    queued = [lane.submit(landed.append, i) for i in range(3)]
    release.set()
    lane.close()
    assert landed == [0, 1, 2] and all(f.done() for f in queued)

    lane = Serial("test-lane")
    release = threading.Event()
    running = lane.submit(release.wait)
    dropped = lane.submit(landed.append, 99)
    gone = threading.Event()
    dropped.add_done_callback(lambda _: gone.set())
    closer = threading.Thread(target=lane.close, kwargs={"drop_queued": True})
    closer.start()
    assert gone.wait(30)  # cancelled while the running call still runs
    release.set()
    closer.join()
    assert running.result() is True and dropped.cancelled() and 99 not in landed
