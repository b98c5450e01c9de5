"""Snapshot of the watch list (w) at 120x36 over the fixed sample library, with two watches and
one paper read (update with --snapshot-update, then look at the SVG)."""

from __future__ import annotations

import pytest
from paperbrowse.search.reading import ReadState
from paperbrowse.search.watches import Watch, Watches

from tests.fixtures_app import SIZE, make_app, sample_services, settle

pytestmark = pytest.mark.usefixtures("fixed_terminal")


@pytest.fixture
def services(tmp_path):
    services = sample_services(tmp_path, sample=True)
    watches = Watches(services.bookmarks)
    watches.add(Watch("vision", "vision transformer"))
    watches.add(Watch("agents", "agent"))
    first = services.library.search("vision transformer", limit=1).hits[0].paper.id
    ReadState(services.bookmarks).mark([first], True)
    yield services
    services.close()


async def _watches(pilot) -> None:
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


def test_watch_list(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=_watches)


async def _opened(pilot) -> None:
    await _watches(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


def test_watch_opened_read_row_dimmed(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=_opened)
