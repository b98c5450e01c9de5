"""Snapshot tests of the app's main states at 120x36, over the fixed sample library.

Update the pictures after an intended change with ``pytest tests/test_snapshots.py
--snapshot-update`` and look at them (``snapshot_report.html``) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.fixtures_app import (
    SIZE,
    bookmark_a_few,
    make_app,
    sample_services,
    scene_bookmarks,
    scene_chart,
    scene_detail,
    scene_filters,
    scene_help,
    scene_history,
    scene_reader,
    scene_search,
    scene_theme,
    settle,
    write_relisted_days,
)

pytestmark = pytest.mark.usefixtures("fixed_terminal")


@pytest.fixture
def services(tmp_path):
    services = sample_services(tmp_path, sample=True)
    yield services
    services.close()


def test_main_view(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=settle)


def test_search_results(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_search)


def test_detail(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_detail)


def test_filters(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_filters)


def test_bookmarks(snap_compare, services):
    bookmark_a_few(services)
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_bookmarks)


def test_help(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_help)


def test_no_results(snap_compare, services):
    async def nothing(pilot):
        await settle(pilot)
        await pilot.press("slash", *"qqxyzzy", "enter")
        await settle(pilot)

    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=nothing)


def test_query_error_keeps_results(snap_compare, services):
    async def bad_query(pilot):
        await settle(pilot)
        pilot.app.screen.query_one("#query", Input).value = "diffusion"
        await settle(pilot)
        pilot.app.screen.query_one("#query", Input).value = "the"
        await settle(pilot)

    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=bad_query)


def test_narrow_terminal(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=(80, 24), run_before=settle)


def test_chart(snap_compare, services):
    """c: papers per month of the query above the results."""
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_chart)


def test_upvote_history_and_tex_in_detail(snap_compare, services, tmp_path, monkeypatch):
    """A paper listed on three days: its upvotes by day and rising rate; its TeX as text."""
    days = tmp_path / "days"
    days.mkdir()
    services.library.ingest(write_relisted_days(days))
    # Its sources are under tmp_path, another folder each run: the picture names the files.
    monkeypatch.setattr("paperbrowse.tui.widgets.detail.display_path", lambda path: Path(path).name)
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_history)


def test_filters_with_dates_that_cannot_be_read(snap_compare, services):
    async def bad_dates(pilot):
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        pilot.app.screen.query_one("#since", Input).value = "24"
        pilot.app.screen.query_one("#until", Input).value = "2024-13"
        await settle(pilot)

    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=bad_dates)


def test_export_asks_where(snap_compare, services, monkeypatch):
    # The dialog offers a file in the home folder: the same one on every machine here.
    monkeypatch.setattr(
        "paperbrowse.search.export.default_export_path",
        lambda data_dir: Path("/home/reader/paperbrowse-bookmarks.bib"),
    )
    bookmark_a_few(services)

    async def export(pilot):
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=export)


def test_narrow_detail_next_paper(snap_compare, services):
    """80x24: a paper opened, then J twice: the detail stays, on the third paper."""

    async def next_twice(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("J", "J")
        await settle(pilot)

    assert snap_compare(make_app(services), terminal_size=(80, 24), run_before=next_twice)


def test_short_terminal_one_line_rows(snap_compare, services):
    """120x24: one line a row, the title in the width the empty columns left."""
    assert snap_compare(make_app(services), terminal_size=(120, 24), run_before=scene_search)


def test_reader(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_reader)


def test_light_theme(snap_compare, services):
    """Another theme restyles the bookmarks and the detail (tags, headings, links, marks)."""
    bookmark_a_few(services)
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_theme)
