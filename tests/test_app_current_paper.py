"""Every key acts on the paper the user sees: one owner of "the current paper" (the screen).

The bookmark-loss bug (issue 10): after opening a bookmark from the bookmarks pane and closing
the pane, a later refresh of the (hidden) pane restored its highlighted option, which posted a
highlight: the detail pane jumped to that bookmark and each `b` removed the *next* bookmark,
with its tags and note. These tests drive the exact sequence and every pane × action pair.
"""

from __future__ import annotations

import sqlite3

import pytest
from paperbrowse.search.bibtex import bibtex_entry
from paperbrowse.search.links import paper_link
from paperbrowse.tui.screens.edit import NoteScreen, TagsScreen
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList

from tests.fixtures_app import SIZE, bookmark_a_few, make_app, pilot_test, settle, static_text

pytestmark = pytest.mark.usefixtures("no_blink")


def _saved(store):
    """What the user made, per bookmark: tags, note, read state, key and creation time."""
    return {b.id: (b.tags, b.note, b.read, b.key, b.created) for b in store.list()}


def _shown(app) -> str | None:
    detail = app.screen.query_one(DetailPane)
    return detail.paper.id if detail.paper else None


@pilot_test
async def test_the_bookmark_loss_sequence_touches_no_other_bookmark(services):
    bookmark_a_few(services)
    before = _saved(services.bookmarks)
    assert len(before) == 3
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # opens the 2nd bookmark
        await settle(pilot)
        second = services.bookmarks.list()[1].id
        assert _shown(app) == second
        await pilot.press("B")  # closes the pane
        await settle(pilot)
        await pilot.press("slash", *"quantization", "enter", "G")
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        last = results.highlighted_id
        assert last not in before and results.cursor == results.row_count - 1
        assert _shown(app) == last
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press(*"quant", "enter")
        await settle(pilot)
        # The tag went to the paper the list shows, and the detail still shows that paper.
        assert services.bookmarks.get(last).tags == ("quant",)
        assert _shown(app) == last
        assert results.highlighted_id == last
        for _ in range(3):
            await pilot.press("b")
            await settle(pilot)
            assert _shown(app) == last
        # b toggled the list's paper (tagged, so bookmarked: off, on, off); nothing else moved.
        assert last not in services.bookmarks.ids()
        assert _saved(services.bookmarks) == before


# -- every pane × every action ------------------------------------------------------------------


def _linked(services) -> list[str]:
    """Papers with a web link, newest first (so that o has something to open)."""
    library = services.library
    return [i for i in library.search("", limit=None).ids if paper_link(library.get(i))]


def _setup(services) -> tuple[str, list[str]]:
    """Three bookmarks with tags and notes; returns (the results' paper, bookmark ids)."""
    linked = _linked(services)
    store, library = services.bookmarks, services.library
    store.add(library.get(linked[4]), tags=["video", "to-read"], note="Compare first.")
    store.add(library.get(linked[3]), tags=["ml"])
    store.add(library.get(linked[2]), note="a note\nover two lines")
    return linked[0], [b.id for b in store.list()]


async def _results_on(pilot, paper_id: str) -> None:
    results = pilot.app.screen.query_one(ResultsList)
    results.cursor = list(results.ids).index(paper_id)
    await settle(pilot)


async def _in_results(pilot, row, marks):
    await _results_on(pilot, row)
    return row


async def _in_bookmarks(pilot, row, marks):
    await pilot.press("B", "down", "down")  # the second bookmark (a separator lies between)
    await settle(pilot)
    return marks[1]


async def _detail_from_results(pilot, row, marks):
    await _results_on(pilot, row)
    await pilot.press("enter")
    await settle(pilot)
    return row


async def _detail_from_bookmarks(pilot, row, marks):
    await pilot.press("B", "down", "down", "enter")
    await settle(pilot)
    return marks[1]


async def _results_after_bookmarks(pilot, row, marks):
    await _results_on(pilot, row)
    await pilot.press("B", "down", "down", "enter", "B")
    await settle(pilot)
    return row


async def _in_filters(pilot, row, marks):
    await _results_on(pilot, row)
    await pilot.press("B", "down", "down", "B", "f")
    await settle(pilot)
    return row


async def _in_search_then_results(pilot, row, marks):
    await pilot.press("B", "down", "down", "enter", "slash")
    await settle(pilot)
    await _results_on(pilot, row)
    await pilot.press("escape")  # from the search bar back to the results
    await settle(pilot)
    return row


PANES = {
    "results": (_in_results, SIZE),
    "bookmarks pane": (_in_bookmarks, SIZE),
    "detail opened from results": (_detail_from_results, SIZE),
    "detail opened from bookmarks": (_detail_from_bookmarks, SIZE),
    "results after closing bookmarks": (_results_after_bookmarks, SIZE),
    "filters pane": (_in_filters, SIZE),
    "results after the search bar": (_in_search_then_results, SIZE),
    "narrow detail from results": (_detail_from_results, (80, 30)),
    "narrow bookmarks pane": (_in_bookmarks, (80, 30)),
}


def _title_shown(app) -> str:
    return static_text(app.screen.query_one(".paper-title"))


@pytest.mark.parametrize("pane", list(PANES))
@pilot_test
async def test_every_action_acts_on_the_paper_shown(services, monkeypatch, pane):
    row, marks = _setup(services)
    reach, size = PANES[pane]
    store, library = services.bookmarks, services.library
    before = _saved(store)
    opened: list[str] = []
    monkeypatch.setattr("paperbrowse.tui.browser.open_link", lambda url: opened.append(url) or True)
    app = make_app(services)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        expected = await reach(pilot, row, marks)
        paper = library.get(expected)
        acted: dict[str, str | None] = {}
        assert _shown(app) == expected, pane

        await pilot.press("y")
        await settle(pilot)
        mark = store.get(expected)
        acted["y"] = copied[-1] == bibtex_entry(paper, mark.key if mark else None)
        await pilot.press("o")
        await settle(pilot)
        acted["o"] = opened[-1] == paper_link(paper)
        for key, editor in (("t", TagsScreen), ("n", NoteScreen)):
            await pilot.press(key)
            await settle(pilot)
            acted[key] = isinstance(app.screen, editor) and _title_shown(app) == paper.title
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        acted["b"] = set(before) ^ store.ids() == {expected}
        assert _shown(app) == expected
        # Put it back: u for a removed bookmark (exactly as it was), b again for a new one.
        await pilot.press("u" if expected in before else "b")
        await settle(pilot)
        assert acted == dict.fromkeys("yotnb", True), pane
        assert _saved(store) == before
        assert _shown(app) == expected


@pilot_test
async def test_a_key_pressed_before_the_paper_is_read_acts_on_it(services):
    """b right after j: the paper under the cursor is still being read (off the event loop);
    the bookmark goes to it, even though the cursor has moved on again by the time it is read."""
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press("j")
        second = results.highlighted_id
        await pilot.press("b", "j")
        await settle(pilot)
        assert services.bookmarks.ids() == {second}


@pilot_test
async def test_a_paper_that_cannot_be_read_is_never_acted_on_as_the_one_before(
    services, monkeypatch
):
    library = services.library
    ids = list(library.search("", limit=None).ids)
    real_get = library.get

    def get(paper_id):
        if paper_id == ids[1]:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real_get(paper_id)

    monkeypatch.setattr(library, "get", get)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _shown(app) == ids[0]
        await pilot.press("j")
        await settle(pilot)
        assert _shown(app) is None  # not still the first paper
        await pilot.press("b", "y")
        await settle(pilot)
        assert services.bookmarks.ids() == frozenset()


@pilot_test
async def test_the_results_cursor_leads_the_detail_only_for_a_paper_opened_from_them(services):
    """Next/previous paper from the detail moves the results' cursor: the detail follows it
    for a paper opened from the results, never for one opened from the bookmarks pane."""
    bookmark_a_few(services)
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is app.screen.query_one(DetailPane)
        results.cursor += 2  # what a "next paper" key in the detail does to the list
        await settle(pilot)
        assert _shown(app) == results.highlighted_id
        await pilot.press("B", "down", "down", "enter")
        await settle(pilot)
        opened = services.bookmarks.list()[1].id
        assert _shown(app) == opened
        results.cursor += 1
        await settle(pilot)
        assert _shown(app) == opened
