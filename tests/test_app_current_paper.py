"""Every key acts on the paper the user sees: one owner of "the current paper" (the screen).

The bookmark-loss bug (issue 10): after opening a bookmark from the bookmarks pane and closing
the pane, a later refresh of the (hidden) pane restored its highlighted option, which posted a
highlight: the detail pane jumped to that bookmark and each `b` removed the *next* bookmark,
with its tags and note. These tests drive the exact sequence and every pane × action pair.
"""

from __future__ import annotations

import pytest

from tests.fixtures_app import bookmark_a_few, make_app, pilot_test, settle
from tui.screens.edit import TagsScreen
from tui.widgets.detail import DetailPane
from tui.widgets.results_list import ResultsList

SIZE = (120, 36)

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
