"""Pilot tests: when search-as-you-type runs its queries, and which results win.

The pauses that decide between "run now" and "wait for the burst to end" are measured on a
clock these tests move by hand (``PaperBrowseApp(clock=…)``), and what ran is read from a
library that records its calls: nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from paperbrowse.search.models import QueryError
from paperbrowse.tui.dbwork import Answered
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.filters import FiltersPane
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.search_bar import SearchBar
from textual.widgets import Input

from tests.fixtures_app import SIZE, make_app, pilot_test, settle, static_text

#: Real seconds between the debounce timer's checks of the (hand-moved) clock.
TICK = 0.02
#: Hand-clock seconds that count as a pause: longer than any debounce these tests use.
PAUSE = 1000.0

pytestmark = pytest.mark.usefixtures("no_blink")


class Clock:
    """Monotonic seconds that only move when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = PAUSE) -> None:
        self.now += seconds


class RecordingLibrary:
    """The real library, recording each search and facet count it is asked for.

    ``hold(query)`` makes the search for that text wait (inside the app's library lock, as a
    slow query would) until ``release()``; ``held`` is set once it is waiting.
    """

    def __init__(self, library: Any) -> None:
        self.real = library  # for the tests' own searches, which are not to be recorded
        self.searches: list[str] = []
        self.facet_queries: list[str] = []
        self.similar_ids: list[str] = []
        self._hold: str | None = None
        self.held = threading.Event()
        self._release = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def hold(self, query: str) -> None:
        self._hold = query

    def release(self) -> None:
        self._release.set()

    def search(self, query: str, *args: Any, **kwargs: Any):
        self.searches.append(query)
        if query == self._hold:
            self.held.set()
            assert self._release.wait(30), "the test never released the held query"
        return self.real.search(query, *args, **kwargs)

    def similar(self, paper_id: str, *args: Any, **kwargs: Any):
        self.similar_ids.append(paper_id)
        return self.real.similar(paper_id, *args, **kwargs)

    def facets(self, query: str, *args: Any, **kwargs: Any):
        self.facet_queries.append(query)
        return self.real.facets(query, *args, **kwargs)


@pytest.fixture
def recorded(services):
    """The sample services with a recording library in place of the real one."""
    services.library = RecordingLibrary(services.library)
    return services


def typing_app(services, clock: Clock):
    """The app with a debounce whose timer checks the hand-moved clock every TICK seconds:
    a burst only ends when the test moves the clock."""
    return make_app(services, debounce=TICK, clock=clock)


async def until(pilot, condition, what: str) -> None:
    """Let the app run until ``condition()`` holds (bounded: a hang fails with ``what``)."""
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the app never got there: {what}")


def shown_ids(app) -> list[str]:
    return list(app.screen.query_one(ResultsList).ids)


def expected_ids(services, query: str) -> list[str]:
    return list(services.library.real.search(query, limit=None).ids)


def keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def start_typing(pilot, services, clock: Clock) -> None:
    """Settle the first screen, focus the search and start from a pause with a clean log."""
    await settle(pilot)
    await pilot.press("slash")
    services.library.searches.clear()
    services.library.facet_queries.clear()
    clock.advance()


@pilot_test
async def test_a_key_after_a_pause_runs_its_query_at_once(recorded):
    clock = Clock()
    # A debounce far longer than the test: any query that ran was dispatched without a timer.
    app = make_app(recorded, debounce=600, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        typed = ""
        for key in "diffusion":
            typed += key
            await pilot.press(key)
            await until(pilot, lambda t=typed: app.screen.query_text == t, "the key reached")
            assert not app.screen.query_waiting  # nothing left waiting for a timer
            await app.workers.wait_for_complete()
            assert recorded.library.searches[-1] == typed
            clock.advance()
        assert recorded.library.searches == ["diffusion"[:n] for n in range(1, 10)]
        await until(pilot, lambda: app.screen.result.query == "diffusion", "results shown")
        assert shown_ids(app) == expected_ids(recorded, "diffusion")


@pilot_test
async def test_a_burst_runs_its_first_and_last_text_only(recorded):
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        await pilot.press(*keys("diffusion model"))  # the clock does not move: one burst
        await pilot.pause(TICK * 5)  # the timer fires, sees no pause yet, and waits again
        assert recorded.library.searches == ["d"]
        assert app.screen.query_waiting
        clock.advance()  # the burst pauses: its last text runs on the next tick
        await until(pilot, lambda: app.screen.result.query == "diffusion model", "trailing run")
        await settle(pilot)
        assert recorded.library.searches == ["d", "diffusion model"]
        assert shown_ids(app) == expected_ids(recorded, "diffusion model")
        status = static_text(app.screen.query_one("#status"))
        total = recorded.library.real.search("diffusion model").total
        assert f"{total} results" in status and "⚠" not in status


@pilot_test
async def test_enter_in_a_burst_runs_the_text_once_and_cancels_the_trailing_run(recorded):
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        await pilot.press(*"quantization", "enter")
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        assert app.focused is results
        assert results.cursor == 0
        assert shown_ids(app) == expected_ids(recorded, "quantization")
        clock.advance()
        await settle(pilot)
        assert recorded.library.searches == ["q", "quantization"]


@pilot_test
async def test_a_slow_older_query_cannot_overwrite_newer_results(recorded):
    """An old query still running when newer ones are typed: the newest text's results win,
    and a query that was overtaken while it waited for the library never runs."""
    clock = Clock()
    app = typing_app(recorded, clock)
    library = recorded.library
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        query = app.screen.query_one("#query", Input)
        library.hold("diffusion")
        query.value = "diffusion"
        await until(pilot, library.held.is_set, "the slow query started")
        clock.advance()
        query.value = "quantization"  # dispatched at once, waits for the library
        await until(pilot, lambda: app.screen.query_in_flight, "quantization dispatched")
        await until(pilot, lambda: app.screen.latest_query == "quantization", "dispatched")
        clock.advance()
        query.value = "transformer"  # overtakes it before it ever ran
        await until(pilot, lambda: app.screen.latest_query == "transformer", "dispatched")
        await pilot.press("enter")  # the query for this text is under way: not run twice
        assert app.screen.query_in_flight
        library.release()
        await until(pilot, lambda: app.screen.result.query == "transformer", "newest shown")
        await settle(pilot)
        assert library.searches == ["diffusion", "transformer"]
        assert app.screen.result.query == "transformer"
        assert shown_ids(app) == expected_ids(recorded, "transformer")
        assert app.focused is app.screen.query_one(ResultsList)


@pilot_test
async def test_an_older_result_handed_over_late_is_dropped(recorded):
    """The worker of an older query already past its cancellation check hands its result to
    the event loop after the newer query's result: the newer one stays on screen."""
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        screen = app.screen
        reached, release = threading.Event(), threading.Event()
        hand_over = screen.post_message

        def late_for_diffusion(message):
            # The query's answer is (result, library empty), handed over from the worker thread.
            if isinstance(message, Answered) and message.group == "query":
                if message.value[0].query == "diffusion":
                    reached.set()
                    assert release.wait(30), "the test never released the late result"
            return hand_over(message)

        screen.post_message = late_for_diffusion
        query = screen.query_one("#query", Input)
        query.value = "diffusion"
        await until(pilot, reached.is_set, "the diffusion result is being handed over")
        clock.advance()
        query.value = "quantization"
        await until(pilot, lambda: screen.result.query == "quantization", "newer result shown")
        release.set()
        await settle(pilot)
        assert screen.result.query == "quantization"
        assert shown_ids(app) == expected_ids(recorded, "quantization")


@pilot_test
async def test_an_older_error_handed_over_late_does_not_mark_newer_results(recorded):
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        screen = app.screen
        reached, release = threading.Event(), threading.Event()
        hand_over = screen.post_message

        def late_error(message):
            if isinstance(message, Answered) and isinstance(message.value, QueryError):
                reached.set()
                assert release.wait(30), "the test never released the late error"
            return hand_over(message)

        screen.post_message = late_error
        query = screen.query_one("#query", Input)
        query.value = "the"  # only a stop word: an error
        await until(pilot, reached.is_set, "the error is being handed over")
        clock.advance()
        query.value = "diffusion"
        await until(pilot, lambda: screen.result.query == "diffusion", "newer result shown")
        release.set()
        await settle(pilot)
        assert screen.query_error is None
        assert "⚠" not in static_text(screen.query_one("#status"))


@pilot_test
async def test_facet_counts_follow_the_final_text_not_every_key(recorded):
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert recorded.library.facet_queries == [""]
        await pilot.press("slash")
        recorded.library.facet_queries.clear()
        clock.advance()
        await pilot.press(*"diffusion")
        clock.advance()
        await until(pilot, lambda: app.screen.result.query == "diffusion", "trailing run")
        await until(pilot, lambda: recorded.library.facet_queries, "facets counted")
        await settle(pilot)
        # "d" ran at once but failed (no searchable words): no counts were asked for it.
        assert recorded.library.searches[-2:] == ["d", "diffusion"]
        assert recorded.library.facet_queries == ["diffusion"]
        pane = app.screen.query_one(FiltersPane)
        assert pane.is_on_screen


@pilot_test
async def test_a_problem_with_a_text_typed_past_leaves_the_status(recorded):
    """ "d" alone has no searchable words: said at once, and gone with the next key (the
    results on screen are still those of the last good query)."""
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        bar = app.screen.query_one(SearchBar)
        await pilot.press("d")
        await until(pilot, lambda: bar.has_class("-error"), "the problem shown")
        assert "⚠" in static_text(bar.query_one("#status"))
        await pilot.press("i")  # within the burst: "di" waits for the pause
        await until(pilot, lambda: not bar.has_class("-error"), "the problem cleared")
        status = static_text(bar.query_one("#status"))
        assert "⚠" not in status
        assert f"{recorded.library.count():,} results" in status
        assert recorded.library.searches == ["d"]
        clock.advance()
        await until(pilot, lambda: app.screen.result.query == "di", "trailing run")


@pilot_test
async def test_enter_on_a_text_with_a_problem_says_it_again(recorded):
    clock = Clock()
    app = typing_app(recorded, clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_typing(pilot, recorded, clock)
        bar = app.screen.query_one(SearchBar)
        await pilot.press("d")
        await until(pilot, lambda: bar.has_class("-error"), "the problem shown")
        await pilot.press("enter")
        await settle(pilot)
        assert recorded.library.searches == ["d", "d"]
        assert bar.has_class("-error")
        assert app.focused is app.screen.query_one(ResultsList)


async def move_down(pilot, app) -> str:
    """Move the cursor one row down and wait for the detail pane to show that paper."""
    results = app.screen.query_one(ResultsList)
    detail = app.screen.query_one(DetailPane)
    await pilot.press("j")
    paper_id = results.highlighted_id
    await until(pilot, lambda: detail.paper and detail.paper.id == paper_id, "the detail")
    return paper_id


@pilot_test
async def test_similar_papers_are_asked_at_once_after_a_pause(recorded):
    clock = Clock()
    app = make_app(recorded, debounce=600, clock=clock)  # no timer fires during the test
    library = recorded.library
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library.similar_ids.clear()
        clock.advance()
        paper_id = await move_down(pilot, app)
        await until(pilot, lambda: library.similar_ids == [paper_id], "asked at once")
        await app.workers.wait_for_complete()
        await pilot.pause()
        similar = app.screen.query_one(DetailPane).query_one("#similar")
        assert "…" not in str(similar.get_option_at_index(0).prompt)


@pilot_test
async def test_a_run_of_moves_asks_for_the_first_and_last_papers_similar_only(recorded):
    """Holding j: the first paper's similar papers at once, then only the last paper's."""
    clock = Clock()
    app = typing_app(recorded, clock)
    library = recorded.library
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        library.similar_ids.clear()
        clock.advance()
        first = await move_down(pilot, app)
        await until(pilot, lambda: library.similar_ids == [first], "asked at once")
        for _ in range(3):  # the clock stands still: one run of moves
            last = await move_down(pilot, app)
        await pilot.pause(TICK * 5)  # the timer fires, sees no pause yet, and waits again
        assert library.similar_ids == [first]
        clock.advance()
        await until(pilot, lambda: len(library.similar_ids) == 2, "the run's last paper")
        assert library.similar_ids == [first, last]
