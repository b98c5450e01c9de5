"""Pilot tests: searching, focus, sorting, empty and error states, literal dump text."""

from __future__ import annotations

import pytest
from paperbrowse.tui.screens.main import SAMPLE_HINT
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.search_bar import SearchBar
from textual.widgets import Input

from tests.fixtures_app import (
    MARKUP_TITLE,
    SIZE,
    make_app,
    pilot_test,
    sample_services,
    screen_text,
    settle,
    static_text,
    write_extra_dump,
)

# The sample library as `services`, cursor blink off: fixtures in tests/conftest.py.
pytestmark = pytest.mark.usefixtures("no_blink")


def status(app) -> str:
    return static_text(app.screen.query_one("#status"))


@pilot_test
async def test_opens_on_every_paper_newest_first(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        assert results.row_count == services.library.count()
        assert list(results.ids) == list(services.library.search("", limit=None).ids)
        assert f"{services.library.count():,} results" in status(app)
        assert "newest first" in status(app)
        assert app.focused is results
        # The detail pane follows the highlighted paper.
        first = services.library.get(results.highlighted_id)
        assert app.screen.query_one(DetailPane).paper == first


@pilot_test
async def test_search_as_you_type(services):
    posted = []
    app = make_app(services)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"diffusion")
        await settle(pilot)
        expected = services.library.search("diffusion", limit=None)
        results = app.screen.query_one(ResultsList)
        assert list(results.ids) == list(expected.ids)
        assert 0 < expected.total < services.library.count()
        assert f"{expected.total} results" in status(app)
        assert "sort: relevance" in status(app)
        # Still typing: focus stays in the query.
        assert isinstance(app.focused, Input)
        changes = [m.query for m in posted if isinstance(m, SearchBar.QueryChanged)]
        assert changes[-1] == "diffusion"
        # The matched words are highlighted in the detail's abstract.
        detail_text = static_text(app.screen.query_one("#detail-body"))
        assert "diffusion" in detail_text.lower()


@pilot_test
async def test_enter_focuses_results_and_escape_goes_back(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press("j", "j")
        assert results.cursor == 2
        await pilot.press("slash", *"transformer", "enter")
        await settle(pilot)
        assert app.focused is results
        assert results.cursor == 0
        assert results.highlighted_id == services.library.search("transformer").ids[0]
        await pilot.press("escape")
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        assert app.focused is results
        # Enter on a result opens it in the detail pane.
        await pilot.press("j", "enter")
        await settle(pilot)
        detail = app.screen.query_one(DetailPane)
        assert app.focused is detail
        assert detail.paper.id == results.highlighted_id
        await pilot.press("escape")
        assert app.focused is results


@pilot_test
async def test_moving_through_results(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press("G")
        assert results.cursor == results.row_count - 1
        await pilot.press("k")
        assert results.cursor == results.row_count - 2
        await pilot.press("g")
        assert results.cursor == 0
        await pilot.press("down", "down", "up")
        assert results.cursor == 1
        await pilot.press("pagedown")
        assert results.cursor > 10


@pilot_test
async def test_sort_cycles_relevance_date_upvotes_featured_rising(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"model", "enter")
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        for sort in ("date", "upvotes", "featured", "rising", "relevance"):
            await pilot.press("s")
            await settle(pilot)
            assert f"sort: {sort}" in status(app)
            expected = services.library.search("model", sort=sort, limit=None)
            assert list(results.ids) == list(expected.ids)


@pilot_test
async def test_no_results_shows_a_message(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qqxyzzy", "enter")
        await settle(pilot)
        assert app.screen.query_one("#results-area").has_class("-no-results")
        message = static_text(app.screen.query_one("#empty-message"))
        assert "No papers match" in message and "qqxyzzy" in message
        assert "No papers match" in screen_text(app)
        assert not app.screen.query_one(ResultsList).display
        assert "0 results" in status(app)
        assert app.screen.query_one(DetailPane).paper is None
        # A query with results brings the list back in place of the message.
        await pilot.press("slash", "ctrl+u", *"diffusion", "enter")
        await settle(pilot)
        assert app.screen.query_one(ResultsList).display
        assert "No papers match" not in screen_text(app)


@pilot_test
async def test_bad_query_shows_problem_and_keeps_results(services):
    from paperbrowse.search.models import QueryError

    bad = "the"  # only a stop word: nothing to search for
    with pytest.raises(QueryError):
        services.library.search(bad)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"diffusion")
        await settle(pilot)
        before = list(app.screen.query_one(ResultsList).ids)
        # Set the whole query at once: typed letter by letter, "th" would run as a query first.
        app.screen.query_one("#query", Input).value = bad
        await settle(pilot)
        assert app.screen.query_one(SearchBar).has_class("-error")
        assert "⚠" in status(app)
        assert list(app.screen.query_one(ResultsList).ids) == before
        # Fixing the query clears the error.
        await pilot.press("ctrl+u", *"quantization")
        await settle(pilot)
        assert not app.screen.query_one(SearchBar).has_class("-error")


@pilot_test
async def test_dump_text_is_shown_literally(services, tmp_path):
    services.library.ingest([write_extra_dump(tmp_path)])
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zebrafish", "enter")
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        paper = services.library.get(results.highlighted_id)
        assert paper.title.startswith("[bold red]Markup[/]") or "[bold red]" in paper.title
        row = results.row_text(0)
        assert "[bold red]Markup[/]" in row
        assert "\x1b" not in row
        detail = static_text(app.screen.query_one("#detail-body"))
        assert "[bold red]Markup[/] in a title" in detail
        assert "\x1b" not in detail
        shown = screen_text(app)
        assert "[bold red]Markup[/]" in shown
        assert "\x1b" not in shown
        assert MARKUP_TITLE.split("\x1b")[0].strip() in shown


@pilot_test
async def test_q_quits_only_when_not_typing(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "q")
        assert app.is_running
        assert app.screen.query_one(SearchBar).query_text == "q"
        await pilot.press("escape", "q")
        await pilot.pause()
        assert not app.is_running


@pilot_test
async def test_sample_hint_shown_for_the_bundled_sample(tmp_path):
    services = sample_services(tmp_path, sample=True)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert static_text(app.screen.query_one("#sample-hint")) == SAMPLE_HINT
    services.close()


@pilot_test
async def test_no_hint_for_the_users_library(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query("#sample-hint")


@pilot_test
async def test_narrow_terminal_stacks_detail_over_results(services):
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(DetailPane)
        results = app.screen.query_one(ResultsList)
        assert app.screen.has_class("-narrow")
        assert not detail.display or detail.region.width == 0 or not detail.is_on_screen
        await pilot.press("enter")
        await settle(pilot)
        assert detail.is_on_screen
        assert not results.is_on_screen
        await pilot.press("escape")
        await settle(pilot)
        assert results.is_on_screen
        assert app.focused is results


@pilot_test
async def test_tab_cycles_between_panes(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        assert app.focused is results
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(DetailPane)
        seen = set()
        for _ in range(6):
            await pilot.press("tab")
            seen.add(type(app.focused))
            if app.focused is results:
                break
        assert app.focused is results  # round the panes and back
        assert Input in seen  # the search bar is one stop
