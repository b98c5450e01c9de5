"""The TUI probe: the app under ``run_test()`` with keys sent as a terminal sends them.

First paint, keystroke-to-results (after a pause and while typing), key echo, the hand-over
from the query worker to the painted frame, and memory. Run in a child process by bench/run.py
(``python bench/run.py _tui DATA_DIR``); tests/test_bench_tui.py drives :func:`tui_figures`.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from bench.measure import current_rss_mb, rss_mb, rss_split_mb
from bench.workload import TUI_QUERY


def probe_tui(data_dir: str) -> dict:
    """The app under run_test(): first paint, keystroke-to-results (after a pause, while typing),
    key echo, the worker-to-frame hand-over, the watch list, and memory."""
    t0 = time.perf_counter()
    from paperbrowse.search.services import build_services
    from paperbrowse.tui.app import PaperBrowseApp

    import_ms = (time.perf_counter() - t0) * 1000
    return asyncio.run(tui_figures(data_dir, t0, import_ms, build_services, PaperBrowseApp))


#: Seconds between keys when typing slowly: above the app's debounce, so each key runs a query.
SLOW_TYPING_GAP = 0.2


async def tui_figures(data_dir, t0, import_ms, build_services, app_class) -> dict:
    t1 = time.perf_counter()
    services = build_services(data_dir)
    app = app_class(services, poll_seconds=0)
    debounce = app.settings.debounce
    out: dict = {"import_ms": import_ms, "debounce_ms": debounce * 1000}
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen_stack[0]
        await _until(pilot, lambda: getattr(screen, "result", None) is not None)
        out["first_paint_ms"] = (time.perf_counter() - t1) * 1000
        out["first_paint_from_start_ms"] = (time.perf_counter() - t0) * 1000
        out["first_total"] = screen.result.total
        # The read set and the count of new papers (on the lanes, after the first query): typing
        # is timed once they are in, so that the list draws with the read state.
        await _until(pilot, lambda: screen.new_since != "")
        out["reading_loaded_ms"] = (time.perf_counter() - t1) * 1000
        out["read_loaded"] = len(screen.read_ids)
        out["new_loaded"] = len(screen.new_papers)
        stamps = _stamp_hand_over(app, screen)
        await pilot.press("slash")
        await pilot.pause()
        query = screen.query_one("#query")

        # Keys go in as a terminal sends them, without Pilot's press(), which waits for the
        # whole process to be idle (the query worker included) before it returns.
        async def typed(key: str, text: str) -> float:
            """Send one key; the seconds until the query input shows ``text``."""
            t = time.perf_counter()
            _send_key(app, key)
            await _wait(lambda: query.value == text)
            return time.perf_counter() - t

        async def painted(text: str, since: float) -> float:
            """ms from ``since`` until a frame shows ``text``'s results."""
            await _wait(lambda: stamps.get("query") == text and "painted" in stamps)
            hand_over.append(_hand_over(stamps))
            return (stamps["painted"] - since) * 1000

        async def clear() -> None:
            query.value = ""
            await painted("", time.perf_counter())
            await asyncio.sleep(debounce)  # a real pause: the next key starts a new burst

        after_pause, while_typing, echo, hand_over = [], [], [], []
        for text in (TUI_QUERY, "quantum", "graph neural"):
            keys = ["space" if ch == " " else ch for ch in text]
            # After a pause: all but the last key as a burst, their results on screen, a pause
            # of a debounce interval (a user looking at them), then the last key is timed.
            for i, key in enumerate(keys[:-1]):
                await typed(key, text[: i + 1])
            await painted(text[:-1], time.perf_counter())
            await asyncio.sleep(debounce)
            t = time.perf_counter()
            await typed(keys[-1], text)
            after_pause.append(await painted(text, t))
            await clear()
            # While typing: the whole text as one burst (each key once the input shows the
            # one before), timed from the last key: the trailing debounce is in the figure.
            for i, key in enumerate(keys[:-1]):
                await typed(key, text[: i + 1])
            t = time.perf_counter()
            await typed(keys[-1], text)
            while_typing.append(await painted(text, t))
            await clear()
            # Slow typing, a key every SLOW_TYPING_GAP s: each key runs a query at once, so
            # the next key arrives while a query holds the CPU. Echo = key → input updated.
            for i, key in enumerate(keys):
                echo.append(await typed(key, text[: i + 1]) * 1000)
                await asyncio.sleep(SLOW_TYPING_GAP)
            await painted(text, time.perf_counter())
            await clear()
        out["keystroke_ms"] = after_pause
        out["typing_ms"] = while_typing
        out["key_echo_ms"] = {"p50": statistics.median(echo), "max": max(echo)}
        out["hand_over_ms"] = hand_over
        # The watch list (w): each watch's new unread papers counted on the reads lane, then
        # the list on screen; timed from the key to the screen being shown.
        from paperbrowse.tui.widgets.watches import WatchesScreen

        await pilot.press("escape")
        t = time.perf_counter()
        _send_key(app, "w")
        await _wait(lambda: isinstance(app.screen, WatchesScreen))
        out["watch_list_ms"] = (time.perf_counter() - t) * 1000
        out["watch_rows"] = [r.new_unread for r in app.screen.rows]
        await pilot.press("escape")
        out["rss_now_mb"] = current_rss_mb()
        out |= rss_split_mb()
    services.close()
    return out | rss_mb()


def _send_key(app, key: str) -> None:
    from textual import events

    char = " " if key == "space" else key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def _wait(cond, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def _stamp_hand_over(app, screen) -> dict:
    """Record when a query worker hands its result to the event loop, when the screen takes it
    (and for which query) and when the next frame is composed (wrappers on these instances)."""
    from paperbrowse.tui.dbwork import Answered

    stamps: dict = {}
    post_message = screen.post_message
    show_result = screen._show_result
    display = app._display

    def handing_over(message):
        # The query worker posts its answer to the screen from its thread (tui/dbwork.py).
        if isinstance(message, Answered) and message.group == "query":
            stamps["handed"] = time.perf_counter()
        return post_message(message)

    def showing(*args, **kwargs):
        showing_at = time.perf_counter()
        before = screen.result
        show_result(*args, **kwargs)
        if screen.result is not before:  # not dropped as stale
            stamps.pop("painted", None)
            stamps.update(showing=showing_at, shown=time.perf_counter(), query=screen.result.query)

    def displaying(*args, **kwargs):
        display(*args, **kwargs)
        if "shown" in stamps and "painted" not in stamps:
            stamps["painted"] = time.perf_counter()

    screen.post_message = handing_over
    screen._show_result = showing
    app._display = displaying
    return stamps


def _hand_over(stamps: dict) -> dict:
    """A result's way to the screen: worker hand-over → taken by the event loop → list
    refreshed (``_show_result``) → the next frame composed."""
    handed, showing, shown, painted = (stamps[k] for k in ("handed", "showing", "shown", "painted"))
    return {
        "queue_ms": (showing - handed) * 1000,
        "show_ms": (shown - showing) * 1000,
        "frame_ms": (painted - shown) * 1000,
        "total_ms": (painted - handed) * 1000,
    }


async def _until(pilot, cond, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.002)
