"""Pilot tests: bookmark toggle, tags and notes, the bookmarks pane (o/y/e: test_app_sharing)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, TextArea

from tests.fixtures_app import (
    make_app,
    pilot_test,
    posted_once,
    settle,
    static_text,
)
from tui.messages import BookmarksChanged
from tui.screens.edit import NoteScreen, TagsScreen, parse_tags
from tui.widgets.bookmarks import BookmarksPane
from tui.widgets.detail import DetailPane
from tui.widgets.results_list import ResultsList

SIZE = (120, 36)


@pytest.fixture
def services(extra_services):
    return extra_services


# Cursor blink off: the fixture is in tests/conftest.py.
pytestmark = pytest.mark.usefixtures("no_blink")


def test_parse_tags():
    assert parse_tags("ml, #reading  later,ml") == ("later", "ml", "reading")
    assert parse_tags("  ") == ()


@pilot_test
async def test_b_toggles_the_bookmark(services):
    posted = []
    app = make_app(services)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press("j")
        paper_id = results.highlighted_id
        await pilot.press("b")
        await settle(pilot)
        assert paper_id in services.bookmarks.ids()
        assert results.row_text(1).startswith("★")
        assert static_text(app.screen.query_one("#detail-body")).startswith("★")
        assert any(isinstance(m, BookmarksChanged) and m.paper_id == paper_id for m in posted)
        await pilot.press("b")
        await settle(pilot)
        assert paper_id not in services.bookmarks.ids()
        assert not results.row_text(1).startswith("★")


@pilot_test
async def test_tags_editor_saves_and_escape_cancels(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper_id = app.screen.query_one(ResultsList).highlighted_id
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press(*"ml, reading", "enter")
        await settle(pilot)
        # Tagging a paper that was not bookmarked bookmarks it.
        assert services.bookmarks.get(paper_id).tags == ("ml", "reading")
        assert "#ml #reading" in static_text(app.screen.query_one("#detail-body"))
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.query_one("#tags-input", Input).value == "ml reading"
        await pilot.press("ctrl+u", *"ml", "enter")
        await settle(pilot)
        assert services.bookmarks.get(paper_id).tags == ("ml",)
        await pilot.press("t", *"zzz", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, TagsScreen)
        assert services.bookmarks.get(paper_id).tags == ("ml",)


@pilot_test
async def test_note_editor_saves_and_escape_cancels(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        paper_id = app.screen.query_one(ResultsList).highlighted_id
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"read [this] first", "ctrl+s")
        await settle(pilot)
        assert services.bookmarks.get(paper_id).note == "read [this] first"
        assert "note read [this] first" in static_text(app.screen.query_one("#detail-body"))
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one(TextArea).text == "read [this] first"
        await pilot.press(*" again", "escape")
        await settle(pilot)
        assert services.bookmarks.get(paper_id).note == "read [this] first"


@pilot_test
async def test_bookmarks_pane_lists_and_opens_bookmarks(services):
    library, store = services.library, services.bookmarks
    ids = list(library.search("", limit=None).ids)
    store.add(library.get(ids[20]), tags=["ml"], note="a note")
    store.add(library.get(ids[5]))
    posted = []
    app = make_app(services)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        pane = app.screen.query_one(BookmarksPane)
        assert pane.is_on_screen
        options = pane.query_one(OptionList)
        assert app.focused is options
        assert options.option_count == 2
        labels = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert "#ml" in labels[1] and "a note" in labels[1]
        options.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)
        opened = [m.paper_id for m in posted_once(posted, BookmarksPane.PaperOpened)]
        assert opened == [ids[20]]
        detail = app.screen.query_one(DetailPane)
        assert detail.paper.id == ids[20]
        assert app.focused is detail
        # Bookmarking from the results adds to the pane at once.
        app.screen.query_one(ResultsList).focus()
        await pilot.press("b")
        await settle(pilot)
        assert options.option_count == 3
