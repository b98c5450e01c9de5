"""The app's fetch key (F), with Pilot, against the same local server as the CLI tests.

The app fetches "the latest days" relative to the real today, so the server answers the
recorded days under today's dates; the fetch clock's sleep is replaced so backoffs cost nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from paperbrowse.search.fetch import hf, http
from paperbrowse.search.services import build_services
from paperbrowse.tui.fetching import FetchFinished, FetchProgressed
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.search_bar import SearchBar

from tests.dumps_paths import needs_dumps
from tests.fetch_server import FakeApis, Fault, archive_day, refused_url
from tests.fixtures_app import (
    SIZE,
    make_app,
    notices,
    pilot_test,
    posted_once,
    sample_services,
    settle,
)

pytestmark = [needs_dumps, pytest.mark.usefixtures("no_blink")]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(http.Clock, "sleep", lambda self, seconds: slept.append(seconds))
    return slept


@pytest.fixture
def apis(monkeypatch):
    today = hf.today()  # what the app's fetch calls today (UTC)
    with FakeApis() as apis:
        apis.hf[(today - timedelta(days=2)).isoformat()] = archive_day("2026-08-18")
        apis.hf[today.isoformat()] = archive_day("2026-08-20")
        monkeypatch.setenv("PAPERBROWSE_HF_URL", apis.url)
        yield apis


@pytest.fixture
def empty_services(tmp_path):
    services = build_services(tmp_path / "data")
    yield services
    services.close()


def status(app) -> str:
    return str(app.screen.query_one(SearchBar).query_one("#status").content)


@pilot_test
async def test_f_fetches_the_latest_days_then_shows_them_and_says_how_many(empty_services, apis):
    posted = []
    app = make_app(empty_services)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await settle(pilot)
        assert app.screen.query_one(ResultsList).row_count == 0
        await pilot.press("F")
        await settle(pilot, rounds=6)

        assert len(apis.hf_requests()) == 7  # the last seven days on first use
        assert notices(app)[-1] == "44 new papers from Hugging Face (7 days fetched)"
        assert app.screen.query_one(ResultsList).row_count == 44
        assert "44 results" in status(app)
        progress = [m.text for m in posted_once(posted, FetchProgressed)]
        assert progress[0] == "Fetching Hugging Face days…"
        assert "Fetching Hugging Face days… 7/7" in progress
        [finished] = posted_once(posted, FetchFinished)
        assert (finished.papers_new, finished.failed) == (44, False)
    dumps = empty_services.locations.dumps_dir / "hf"
    assert len(list(dumps.glob("*.json"))) == 2


@pilot_test
async def test_the_app_stays_responsive_while_a_fetch_waits_on_the_network(empty_services, apis):
    apis.fault(f"date={hf.today().isoformat()}", Fault(stall=True))
    app = make_app(empty_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        for _ in range(600):
            if apis.stalling.is_set():
                break
            await pilot.pause(0.05)
        assert apis.stalling.is_set(), "the fetch never reached today"
        # The fetch is stuck on the network; the app answers keys and searches meanwhile.
        await pilot.press("slash", *"nothing", "enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if app.screen.result is not None and app.screen.result.query == "nothing":
                break
        # The query ran to the end while the fetch waited, and its result is on screen.
        assert app.screen.result.query == "nothing" and status(app).startswith("0 results")
        await pilot.press("F")  # from the results
        await pilot.pause()
        assert notices(app)[-1] == "A fetch is already running."
        apis.release.set()  # the held answer is dropped; the client tries again and gets it
        await settle(pilot, rounds=6)
        assert notices(app)[-1] == "44 new papers from Hugging Face (7 days fetched)"
        await pilot.press("slash", *["backspace"] * len("nothing"), "enter")
        await settle(pilot)
        assert app.screen.query_one(ResultsList).row_count == 44


@pilot_test
async def test_a_failed_fetch_is_a_notice_not_a_crash(empty_services, monkeypatch):
    url = refused_url()
    monkeypatch.setenv("PAPERBROWSE_HF_URL", url)
    app = make_app(empty_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot, rounds=6)
        [notification] = list(app._notifications)
        assert notification.severity == "error"
        assert notification.message == (
            f"Fetch stopped: cannot reach {url.split('//')[1]}: Connection refused. "
            "0 new papers from Hugging Face (0 days fetched)"
        )
        assert app.is_running
        await pilot.press("slash", *"x")  # still usable
        await settle(pilot)


@pilot_test
async def test_fetching_while_the_sample_is_shown_fills_the_users_library(tmp_path, apis):
    services = sample_services(tmp_path, sample=True)
    try:
        # (This fixture's "sample" is the user's library holding the sample pages.)
        before = services.library.count()
        app = make_app(services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("F")
            await settle(pilot, rounds=6)
            # The fetched papers went to the user's library, which the app then shows.
            assert notices(app)[-2:] == [
                "44 new papers from Hugging Face (7 days fetched)",
                f"Showing your library: {before + 44} papers",
            ]
            assert not services.sample and services.library.count() == before + 44
    finally:
        services.close()


def test_f_is_in_help_and_in_the_palette(services):
    from paperbrowse.tui.app import PaperBrowseApp

    app = PaperBrowseApp(services)
    [binding] = [b for b in app.all_bindings() if b.action == "fetch"]
    assert binding.key == "F" and binding.description == "Fetch"
    assert "Hugging Face" in binding.tooltip
    from paperbrowse.tui.screens.help import key_table
    from rich.console import Console

    console = Console(width=100, record=True)
    console.print(key_table(app.key_sections()))
    assert "Fetch the latest Hugging Face" in console.export_text()


@pilot_test
async def test_f_is_in_the_command_palette(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Fetch" in commands


@pilot_test
async def test_after_its_own_fetch_the_app_does_not_ask_to_refresh(empty_services, apis):
    from textual.widgets import Static

    from tests.fixtures_app import static_text

    app = make_app(empty_services, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot, rounds=6)
        assert app.screen.query_one(ResultsList).row_count == 44
        for _ in range(5):  # several polls of the library's generation
            await pilot.pause(0.05)
        assert static_text(app.screen.query_one("#notice", Static)) == ""
