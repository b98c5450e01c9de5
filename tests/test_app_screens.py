"""Pilot tests: help, command palette, similar papers, library updates, the 100k-row list."""

from __future__ import annotations

import io
from datetime import date

import pytest
from paperbrowse.search.models import Paper
from paperbrowse.tui.screens.help import HelpScreen
from paperbrowse.tui.screens.main import MainScreen
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import PAGE, ResultsList
from rich.console import Console
from textual import on
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.containers import Vertical
from textual.widgets import OptionList

from tests.fixtures_app import (
    SIZE,
    make_app,
    pilot_test,
    posted_once,
    screen_text,
    settle,
    static_text,
    write_extra_dump,
)

# The sample library as `services`, cursor blink off: fixtures in tests/conftest.py.
pytestmark = pytest.mark.usefixtures("no_blink")


@pilot_test
async def test_help_lists_every_key(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys").content)
        text = console.export_text()
        assert "paperbrowse keys" in screen_text(app)
        for binding in MainScreen.BINDINGS:
            if binding.description:
                assert (binding.tooltip or binding.description) in text
        for words in ("Command palette", "Cycle between panes", "Quit"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@pilot_test
async def test_palette_offers_and_runs_every_action(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for binding in MainScreen.BINDINGS:
            if binding.description:
                assert binding.description in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Sort")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.sort == "date"
        assert "sort: date" in static_text(app.screen.query_one("#status"))


@pilot_test
async def test_similar_papers_can_be_opened(services):
    posted = []
    app = make_app(services)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"quantization", "enter")
        await settle(pilot)
        detail = app.screen.query_one(DetailPane)
        first = detail.paper.id
        similar = detail.query_one("#similar", OptionList)
        expected = services.library.similar(first, limit=5)
        assert expected, "the sample should have papers like a quantization paper"
        assert similar.option_count == len(expected)
        assert similar.get_option_at_index(0).id == expected[0].id
        similar.focus()
        similar.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert [m.paper_id for m in posted_once(posted, DetailPane.SimilarChosen)] == [
            expected[0].id
        ]
        assert detail.paper.id == expected[0].id
        assert expected[0].title.split()[0] in static_text(detail.query_one("#detail-body"))


@pilot_test
async def test_library_update_is_noticed_and_r_refreshes(services, tmp_path):
    app = make_app(services, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen.query_one(ResultsList).row_count
        assert not app.screen.has_class("-updated")
        services.library.ingest([write_extra_dump(tmp_path)])
        await pilot.pause(0.2)
        await settle(pilot)
        assert app.screen.has_class("-updated")
        assert "press r" in static_text(app.screen.query_one("#notice"))
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one(ResultsList).row_count == before + 2
        assert not app.screen.has_class("-updated")


@pilot_test
async def test_empty_library_says_how_to_ingest(tmp_path):
    from paperbrowse.search.services import build_services

    services = build_services(tmp_path / "empty")
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#results-area").has_class("-no-results")
        assert "paperbrowse ingest" in static_text(app.screen.query_one("#empty-message"))
    services.close()


class _ListApp(App):
    """Just a results list over a fake loader, to count what it fetches."""

    def __init__(self, ids, loader) -> None:
        super().__init__()
        self.ids, self.loader = ids, loader

    def compose(self) -> ComposeResult:
        yield _Rows(self.loader)

    def on_mount(self) -> None:
        self.query_one(ResultsList).show(self.ids)
        self.query_one(ResultsList).focus()


class _Rows(Vertical):
    """Answers the list's RowsWanted as the main screen does (here at once, from the loader)."""

    def __init__(self, loader) -> None:
        super().__init__()
        self.loader = loader

    def compose(self) -> ComposeResult:
        yield ResultsList()

    @on(ResultsList.RowsWanted)
    def _rows_wanted(self, event: ResultsList.RowsWanted) -> None:
        self.query_one(ResultsList).add_papers(event.paper_ids, self.loader(event.paper_ids))


@pilot_test
async def test_results_list_stays_lazy_over_100k_rows():
    ids = [f"2401.{i:05d}" for i in range(100_000)]
    fetched: list[int] = []

    def loader(batch):
        fetched.append(len(batch))
        return [
            Paper(id=i, title=f"Paper {i}", published=date(2024, 1, 1), upvotes=n)
            for n, i in enumerate(batch)
        ]

    app = _ListApp(ids, loader)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        results = app.query_one(ResultsList)
        assert results.row_count == 100_000
        assert sum(fetched) <= 2 * PAGE  # only the rows on screen were loaded
        await pilot.press("G")
        # The list asks for the rows now on screen and draws them once they are handed back.
        for _ in range(200):
            if "Paper 2401.99999" in screen_text(app):
                break
            await pilot.pause(0.01)
        assert results.cursor == 99_999
        assert "Paper 2401.99999" in screen_text(app)
        await pilot.press("pageup", "k")
        await pilot.pause()
        assert sum(fetched) <= 6 * PAGE
        # No widget per row: the list draws lines.
        assert len(list(results.walk_children())) == 0


def test_launch_module_loads_textual_only_when_the_app_runs():
    """The CLI imports tui.launch; Textual must wait until run_app is called."""
    import subprocess
    import sys

    code = "import sys, paperbrowse.tui.launch; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
