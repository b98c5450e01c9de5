"""Pilot tests: bookmark toggle, tags and notes, the bookmarks pane (o/y/e: test_app_sharing)."""

from __future__ import annotations

import pytest
from paperbrowse.tui.messages import BookmarksChanged
from paperbrowse.tui.screens.edit import NoteScreen, TagEdit, TagsScreen, parse_tag_edit, parse_tags
from paperbrowse.tui.widgets.bookmarks import BookmarksPane
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList
from textual.widgets import Input, OptionList, TextArea

from tests.fixtures_app import (
    SIZE,
    make_app,
    pilot_test,
    posted_once,
    screen_text,
    settle,
    static_text,
)


@pytest.fixture
def services(extra_services):
    return extra_services


# Cursor blink off: the fixture is in tests/conftest.py.
pytestmark = pytest.mark.usefixtures("no_blink")


def test_parse_tags():
    assert parse_tags("ml, #reading  later,ml") == ("later", "ml", "reading")
    assert parse_tags("  ") == ()


def test_parse_tag_edit_adds_unless_told_to_remove():
    assert parse_tag_edit("ml, #reading -draft -#old") == TagEdit(
        add=("ml", "reading"), remove=("draft", "old")
    )
    assert parse_tag_edit("a -a") == TagEdit(add=(), remove=("a",))
    assert not parse_tag_edit("  ")


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
        # The editor shows the tags the paper has and adds what is typed: typing a new tag
        # never silently replaces the old ones (it did: the field held them, and was retyped).
        assert static_text(app.screen.query_one("#tags-now")) == "Tags now: #ml #reading"
        assert app.screen.query_one("#tags-input", Input).value == ""
        await pilot.press(*"quant", "enter")
        await settle(pilot)
        assert services.bookmarks.get(paper_id).tags == ("ml", "quant", "reading")
        # Removing is an explicit act: -tag.
        await pilot.press("t", *"-reading -quant", "enter")
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


@pilot_test
async def test_u_puts_back_removed_bookmarks_exactly(services):
    library, store = services.library, services.bookmarks
    ids = list(library.search("", limit=None).ids)
    store.add(library.get(ids[0]), tags=["ml", "to-read"], note="first\nsecond line")
    store.add(library.get(ids[1]), tags=["video"])
    store.set_read(ids[0], True)
    store.assign_keys()
    before = store.list()
    app = make_app(services)
    notices: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        original = app.notify
        app.screen.notify = lambda message, **kw: (notices.append(message), original(message, **kw))
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert notices[-1] == "Nothing to undo."
        await pilot.press("b", "j", "b")  # removes both, the first one first
        await settle(pilot)
        assert len(store) == 0
        assert notices[-1].startswith("Bookmark removed: ") and "press u to undo" in notices[-1]
        await pilot.press("u")
        await settle(pilot)
        assert [b.id for b in store.list()] == [ids[1]]
        await pilot.press("u")
        await settle(pilot)
        assert store.list() == before  # tags, note, read state, key and creation time
        assert notices[-1].startswith("Bookmark restored: ")
        # The key is in the help screen and the command palette.
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Undo" in titles
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Put back the last bookmark removed" in screen_text(app)
