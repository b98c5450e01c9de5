"""Snapshots of the watch list (w) at 120x36 over the fixed sample library: the scene of
tests/fixtures_app.py that screenshots/watches.svg shows too (update with --snapshot-update,
then look at the SVG)."""

from __future__ import annotations

import pytest

from tests.fixtures_app import SIZE, add_watches, make_app, sample_services, scene_watches, settle

pytestmark = pytest.mark.usefixtures("fixed_terminal")


@pytest.fixture
def services(tmp_path):
    services = sample_services(tmp_path, sample=True)
    add_watches(services)
    yield services
    services.close()


def test_watch_list(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=scene_watches)


async def _opened(pilot) -> None:
    await scene_watches(pilot)
    await pilot.press("end", "enter")  # READ_WATCH, the last by name
    await settle(pilot)


def test_watch_opened_read_row_dimmed(snap_compare, services):
    assert snap_compare(make_app(services), terminal_size=SIZE, run_before=_opened)
