"""Pilot tests: a new user's first launch (the sample built after the first paint) and first
ingest (noticed while the app runs; `r` leaves the sample for the user's library)."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from paperbrowse.search.services import build_services
from paperbrowse.tui.screens.first_run import BUILDING_SAMPLE, REBUILDING_INDEX
from paperbrowse.tui.widgets.results_list import ResultsList

from tests.fixtures_app import (
    SIZE,
    _template,
    make_app,
    pilot_test,
    settle,
    static_text,
    write_extra_dump,
)
from tests.fixtures_cli import BIN

pytestmark = pytest.mark.usefixtures("no_blink")


def sample_ready_services(data: Path):
    """A new user's services with the sample already built (as after a first launch)."""
    shutil.copytree(_template(), data / "sample")
    services = build_services(data, use_sample_if_empty=True)
    assert services.sample and not services.sample_pending
    return services


@pilot_test
async def test_first_launch_paints_at_once_and_says_it_builds_the_sample(tmp_path):
    services = build_services(tmp_path / "data", use_sample_if_empty=True)
    assert services.sample_pending  # building it is the app's job, after its first paint
    release = threading.Event()
    prepare = services.prepare_sample

    def held_prepare() -> None:
        release.wait(60)  # the build "takes long" until the test has looked at the screen
        prepare()

    services.prepare_sample = held_prepare
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(200):  # the app asks the reads lane whether the sample is built yet
            await pilot.pause(0.02)
            if static_text(screen.query_one("#empty-message")) == BUILDING_SAMPLE:
                break
        assert screen.query_one("#results-area").has_class("-no-results")
        assert static_text(screen.query_one("#empty-message")) == BUILDING_SAMPLE
        assert screen.query_one("#sample-hint").display
        release.set()
        await settle(pilot)
        results = screen.query_one(ResultsList)
        assert results.row_count == services.library.count() == 462
        assert not screen.query_one("#results-area").has_class("-no-results")
        assert "462 results" in static_text(screen.query_one("#status"))
    services.close()


@pilot_test
async def test_an_index_from_another_version_is_said_while_it_is_rebuilt(tmp_path):
    """The user's library with an index another version wrote: the first query rebuilds it
    (23 min at a million papers) and the screen says so meanwhile, then shows the results."""
    data = tmp_path / "data"
    shutil.copytree(_template(), data)
    (data / "index" / "SCHEMA_VERSION").write_text("0")
    services = build_services(data)
    assert not services.sample and services.library.index_outdated()
    release = threading.Event()
    reindex = services.library.reindex

    def held_reindex() -> None:
        release.wait(60)  # the rebuild "takes long" until the test has looked at the screen
        reindex()

    services.library.reindex = held_reindex  # type: ignore[method-assign]
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(200):
            await pilot.pause(0.02)
            if static_text(screen.query_one("#empty-message")) == REBUILDING_INDEX:
                break
        assert static_text(screen.query_one("#empty-message")) == REBUILDING_INDEX
        assert screen.query_one("#results-area").has_class("-no-results")
        release.set()
        await settle(pilot)
        assert screen.query_one(ResultsList).row_count == 462
        assert not screen.query_one("#results-area").has_class("-no-results")
        assert not services.library.index_outdated()
    services.close()


@pilot_test
async def test_an_ingest_in_another_process_is_noticed_and_r_leaves_the_sample(tmp_path):
    data = tmp_path / "data"
    services = sample_ready_services(data)
    app = make_app(services, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one(ResultsList).row_count == 462
        # `r` before any ingest: still the sample, and the app says why.
        await pilot.press("r")
        await settle(pilot)
        assert services.sample and screen.query("#sample-hint")
        assert any("still empty" in n.message for n in app._notifications)
        # The user's first ingest, from another shell.
        dump = write_extra_dump(tmp_path)
        done = subprocess.run(
            [BIN, "--data-dir", str(data), "ingest", str(dump)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        for _ in range(200):  # wait for the poll to see it (an event, not a timing)
            await pilot.pause(0.05)
            if screen.has_class("-updated"):
                break
        notice = static_text(screen.query_one("#notice"))
        assert notice == "Your library has 2 papers now — press r to leave the sample for it"
        assert services.sample  # nothing switches under the user's hands
        await pilot.press("r")
        await settle(pilot)
        assert not services.sample
        assert not screen.query("#sample-hint")
        assert not screen.has_class("-updated")
        results = screen.query_one(ResultsList)
        assert results.row_count == 2
        assert {p.id for p in services.library.get_many(list(results.ids))} == {
            "2511.00001",
            "2511.00002",
        }
        # From now on an ingest is an update of the user's library, refreshed by r as before.
        more = tmp_path / "more"
        more.mkdir()
        shutil.copy(
            Path(__file__).parent.parent / "search" / "sample" / "000_749900d1330c4652.txt", more
        )
        services.library.ingest([more])
        for _ in range(200):
            await pilot.pause(0.05)
            if screen.has_class("-updated"):
                break
        assert static_text(screen.query_one("#notice")) == "Library updated — press r to refresh"
        await pilot.press("r")
        await settle(pilot)
        assert results.row_count == services.library.count() > 2
    services.close()
