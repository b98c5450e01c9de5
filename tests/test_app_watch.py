"""Pilot tests: read state (seen after a moment, m), new since the last session (N), watches (w)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from paperbrowse.search.reading import ReadState, Sessions
from paperbrowse.search.services import build_services
from paperbrowse.search.watches import Watch, Watches
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.watches import WatchesScreen

from tests.fixtures_app import SIZE, make_app, pilot_test, sample_services, screen_text, settle

COLLECTION = (
    Path(__file__).resolve().parents[2] / "shared" / "collections" / "hf-daily-json-archive"
)

pytestmark = pytest.mark.usefixtures("no_blink")


async def until(pilot, condition, rounds: int = 50) -> None:
    """Let the app run until ``condition()`` holds (events, not a time, decide)."""
    for _ in range(rounds):
        if condition():
            return
        await settle(pilot, 1)
    assert condition()


@pytest.fixture
def services(tmp_path):
    services = sample_services(tmp_path)
    yield services
    services.close()


@pilot_test
async def test_opened_paper_becomes_read_and_m_toggles(services):
    app = make_app(services, seen_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        results = screen.query_one(ResultsList)
        first = results.highlighted_id
        assert first not in screen.read_ids
        await pilot.press("enter")  # opens it in the detail pane
        await until(pilot, lambda: first in screen.read_ids)
        await until(pilot, lambda: ReadState(services.bookmarks).is_read(first))
        assert first in results._read  # drawn dimmer
        await pilot.press("m")  # read -> unread
        await until(pilot, lambda: not ReadState(services.bookmarks).is_read(first))
        assert first not in screen.read_ids
        await pilot.press("m")
        await until(pilot, lambda: ReadState(services.bookmarks).is_read(first))


@pilot_test
async def test_moving_on_before_the_moment_leaves_it_unread(services):
    app = make_app(services, seen_delay=3600)  # never, in this test: the user moves on first
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        first = screen.query_one(ResultsList).highlighted_id
        await pilot.press("enter")
        await until(pilot, lambda: screen.query_one(DetailPane).paper is not None)
        assert screen._seen_id == first
        await pilot.press("escape", "j")
        await settle(pilot)
        assert screen._seen_id is None and screen._seen_timer is None
        assert not ReadState(services.bookmarks).is_read(first)


@pilot_test
async def test_read_state_loaded_at_start_dims_rows(services):
    ids = services.library.search("", limit=3).ids[:2]
    ReadState(services.bookmarks).mark(ids, True)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.screen.read_ids == frozenset(ids))
        assert app.screen.query_one(ResultsList)._read == frozenset(ids)


@pilot_test
async def test_new_since_last_session_count_and_filter(tmp_path):
    services = sample_services(tmp_path)
    # The last session ended before the sample came in: every paper is new since then.
    Sessions(services.bookmarks).start(datetime(2000, 1, 1, tzinfo=UTC))
    Sessions(services.bookmarks).end(datetime(2000, 1, 1, 1, tzinfo=UTC))
    total = services.library.count()
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: f"{total} new since your last session" in screen_text(app))
        await pilot.press("N")
        await settle(pilot)
        assert app.screen.result.total == total
        assert "new since your last session" in screen_text(app)
        await pilot.press("N")
        await settle(pilot)
        assert app.screen.restriction is None
    services.close()
    # The session just run is recorded: the next one counts from it, and nothing is new.
    again = build_services(tmp_path / "data")
    assert Sessions(again.bookmarks).last_seen() > datetime.now(UTC) - timedelta(days=1)
    again.close()


@pilot_test
async def test_watch_list_opens_a_watch(services):
    Watches(services.bookmarks).add(Watch("vision", "vision"))
    Watches(services.bookmarks).add(Watch("nothing", "zzzyzzy"))
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
        rows = app.screen.rows
        assert [r.watch.name for r in rows] == ["nothing", "vision"]
        # No session before: new means what the last ingest brought (the whole sample).
        expected = services.library.search("vision", limit=0).total
        assert rows[1].new_unread == expected and rows[0].new_unread == 0
        assert f"{expected:>4} new  vision" in screen_text(app)
        await pilot.press("down", "enter")
        await until(pilot, lambda: not isinstance(app.screen, WatchesScreen))
        await settle(pilot)
        assert app.screen.query_text == "vision"
        assert app.screen.result.total == expected
        assert "watch: vision" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.restriction is None


@pilot_test
async def test_empty_watch_list_says_how_to_add_one(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
        assert 'paperbrowse watch add NAME "QUERY"' in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, WatchesScreen))


@pytest.mark.skipif(not COLLECTION.is_dir(), reason="collection not found")
@pilot_test
async def test_watch_and_read_over_the_collection(tmp_path):
    services = build_services(tmp_path / "data")
    services.library.ingest([COLLECTION])
    Watches(services.bookmarks).add(
        Watch(
            "agents",
            "agent",
        )
    )
    expected = services.library.search("agent", limit=0).total
    app = make_app(services, seen_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
        assert app.screen.rows[0].new_unread == expected
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, WatchesScreen))
        await until(
            pilot, lambda: app.screen.result is not None and app.screen.query_text == "agent"
        )
        await settle(pilot)
        first = app.screen.query_one(ResultsList).highlighted_id
        await pilot.press("enter")
        await until(pilot, lambda: ReadState(services.bookmarks).is_read(first))
        await pilot.press("escape", "w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
        assert app.screen.rows[0].new_unread == expected - 1
    services.close()


@pilot_test
async def test_r_after_an_ingest_counts_the_new_papers_and_reads_marks_made_elsewhere(tmp_path):
    from tests.fixtures_app import write_extra_dump

    services = sample_services(tmp_path)
    Sessions(services.bookmarks).start(datetime(2000, 1, 1, tzinfo=UTC))
    Sessions(services.bookmarks).end(datetime.now(UTC))  # ended after the sample came in
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.new_papers == frozenset() and "new since" not in screen_text(app)
        # Another process ingests two papers and marks one read; r shows both facts.
        # (On the reads lane: the app's reads must not run beside it.)
        services.reads.run(services.library.ingest, [write_extra_dump(tmp_path)])
        ReadState(services.bookmarks).mark(["2511.00002"], True)
        await pilot.press("r")
        await until(pilot, lambda: app.screen.new_papers == {"2511.00001", "2511.00002"})
        await until(pilot, lambda: "2 new since your last session" in screen_text(app))
        assert "2511.00002" in app.screen.read_ids
    services.close()


@pilot_test
async def test_n_in_an_opened_watch_narrows_it_to_its_new_papers(tmp_path):
    """A watch opened, then N: its new papers, the watch's filters kept (N dropped them: a
    "diffusion since 2024" watch showed every diffusion paper, and N again left no watch)."""
    from datetime import date

    from paperbrowse.search.models import Filters

    services = sample_services(tmp_path, sample=True)
    Watches(services.bookmarks).add(
        Watch("diffusion", "diffusion", Filters(since=date(2024, 1, 1)))
    )
    Watches(services.bookmarks).add(Watch("agents", "agent"))
    sessions = Sessions(services.bookmarks)  # a session before the sample came in
    sessions.start(datetime(2025, 12, 1, 8, tzinfo=UTC))
    sessions.end(datetime(2025, 12, 1, 9, tzinfo=UTC))
    library = services.library
    watch = Watches(services.bookmarks).get("diffusion")
    assert watch is not None
    of_2024 = library.search(watch.query, watch.filters, sort="date", limit=None).ids
    everything = library.search("diffusion", limit=None).total
    assert everything > len(of_2024) > 1
    app = make_app(services)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await until(pilot, lambda: screen.new_papers)
            # Of the watch's papers one is new (the rest came before the last session).
            screen.new_papers = frozenset(of_2024[:1]) | (screen.new_papers - set(of_2024))
            await pilot.press("w")
            await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
            await pilot.press("down", "enter")  # agents, diffusion, …
            await until(pilot, lambda: screen.result.total == len(of_2024))
            await pilot.press("N")
            await until(pilot, lambda: screen.result.total == 1)
            assert screen.result.filters.since == watch.filters.since
            assert "watch: diffusion · new since your last session" in screen_text(app)
            await pilot.press("N")  # all of the watch again, still the watch
            await until(pilot, lambda: screen.result.total == len(of_2024))
            assert "watch: diffusion" in screen_text(app)
            assert "· new since" not in screen_text(app)
            await pilot.press("N", "x")  # x clears both
            await until(pilot, lambda: screen.result.total == everything)
            assert screen.restriction is None
    finally:
        services.close()


@pilot_test
async def test_typing_another_query_leaves_the_opened_watch(tmp_path):
    """An opened watch, then another query typed over its query: the
    status line no longer says the watch and its filters no longer apply (it said "watch:
    diffusion" over a search for something else); N's new papers stay."""
    from datetime import date

    from paperbrowse.search.models import Filters

    services = sample_services(tmp_path, sample=True)
    Watches(services.bookmarks).add(
        Watch("diffusion", "diffusion", Filters(since=date(2024, 1, 1)))
    )
    app = make_app(services)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("w")
            await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
            await pilot.press("enter")
            await until(pilot, lambda: "watch: diffusion" in screen_text(app))
            assert screen.result.filters.since == date(2024, 1, 1)
            everything = services.library.search("quantization", limit=None).total
            await pilot.press("slash", "end", *["backspace"] * len("diffusion"), *"quantization")
            await until(pilot, lambda: screen.result.query == "quantization")
            await settle(pilot)
            assert screen.restriction is None
            assert "watch:" not in screen_text(app)
            assert screen.result.filters.since is None
            assert screen.result.total == everything
    finally:
        services.close()


@pilot_test
async def test_watch_list_puts_the_queries_in_a_column_and_n_says_new_once(services):
    """The list's queries line up whatever the names' lengths; with N on, the status line says
    "new since your last session" once (it said it twice: the filter and the count)."""
    Watches(services.bookmarks).add(Watch("moe", "mixture of experts"))
    Watches(services.bookmarks).add(Watch("video generation", "video"))
    sessions = Sessions(services.bookmarks)  # a session before the sample came in
    sessions.start(datetime(2025, 12, 1, 8, tzinfo=UTC))
    sessions.end(datetime(2025, 12, 1, 9, tzinfo=UTC))
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "new since your last session" in screen_text(app))
        await pilot.press("N")
        await until(pilot, lambda: app.screen.restriction is not None)
        await settle(pilot)
        status = next(line for line in screen_text(app).splitlines() if " results" in line)
        assert status.count("new since your last session") == 1, status
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WatchesScreen))
        text = screen_text(app)
        lines = text.splitlines()
        starts = {line.index(q) for line in lines for q in ("'mixture", "'video'") if q in line}
        assert len(starts) == 1, text
