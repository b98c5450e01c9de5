"""The paperbrowse Textual app: services injected, one main screen, help and command palette."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from paperbrowse.tui.messages import LibraryShown, LibraryUpdated
from paperbrowse.tui.screens.help import HelpScreen, Section, key_label
from paperbrowse.tui.screens.main import MainScreen
from paperbrowse.tui.settings import ScreenSettings
from paperbrowse.tui.widgets.bookmarks import BookmarksPane
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from paperbrowse.search.services import LibraryState, Services


class PaperBrowseApp(App[None]):
    """Browse the library in ``services`` (a ``search.services.Services``).

    ``show_timings=False`` hides the query time (for snapshots); ``poll_seconds`` is how often the
    app checks whether an ingest changed the library (0 turns it off). ``debounce`` is how long
    a pause in typing must be: a key after such a pause runs its query at once, keys typed
    closer together run the text they end on once the typing pauses that long (see
    tui/debounce.py). ``clock`` (monotonic seconds) is what those pauses are measured with;
    tests pass one they control. ``seen_delay``: how long a paper is shown in the detail pane
    (the user there) before it counts as read.
    """

    CSS_PATH = "app.tcss"
    TITLE = "paperbrowse"
    # q and ? are the main screen's (MainScreen.BINDINGS), placed there for the footer's sake.
    BINDINGS: list[Binding] = []

    def __init__(
        self,
        services: Services,
        *,
        show_timings: bool = True,
        poll_seconds: float = 3.0,
        debounce: float = 0.15,
        clock: Callable[[], float] = time.monotonic,
        seen_delay: float = 1.5,
    ) -> None:
        super().__init__()
        self.services = services
        self.poll_seconds = poll_seconds
        self._generation: int | None = None
        #: Seconds a paper stays in the detail pane before it counts as read.
        self._polling = False
        self.settings = ScreenSettings(
            show_timings=show_timings, debounce=debounce, clock=clock, seen_delay=seen_delay
        )

    def get_default_screen(self) -> Screen:
        # The one main screen, made with what it needs; the app tells it of library changes.
        self.main_screen = MainScreen(self.services, self.settings)
        return self.main_screen

    def on_mount(self) -> None:
        if self.poll_seconds > 0:
            self._poll(first=True)
            self.set_interval(self.poll_seconds, self._poll)

    def _poll(self, first: bool = False) -> None:
        # One read at a time; a slow one (a busy disk) is not queued behind nor cancelled.
        if not self._polling:
            self._polling = True
            self._poll_library(first)

    @work(thread=True, group="poll")
    def _poll_library(self, first: bool) -> None:
        # The user's own library, also while the sample is shown (that is how a first ingest is
        # noticed), read on a connection of its own: off the event loop, never waiting on the
        # shown library's lock or on an ingest's write transaction.
        state = self.services.own_library_state()
        self.call_from_thread(self._library_state, state, first)

    def _library_state(self, state: LibraryState | None, first: bool) -> None:
        self._polling = False
        if state is None:
            return  # unreadable just now: asked again at the next tick
        seen, self._generation = self._generation, state.generation
        if first or seen is None or state.generation == seen:
            return
        self.main_screen.post_message(
            LibraryUpdated(state.generation, state.papers, replaces_sample=self.services.sample)
        )

    def all_bindings(self) -> list[Binding]:
        """The main screen's key bindings and the app's (for the palette)."""
        return [*MainScreen.BINDINGS, *self.BINDINGS]  # type: ignore[list-item]

    def key_sections(self) -> list[Section]:
        """Every key, grouped by where it acts: the one source of the help screen."""
        return [
            ("Anywhere", self.all_bindings()),
            ("Results list", ResultsList.BINDINGS),  # type: ignore[list-item]
            ("Detail pane (also ↑ ↓ Home End PgUp PgDn)", DetailPane.BINDINGS),  # type: ignore[list-item]
            ("Bookmarks pane (also ↑ ↓ Home End PgUp PgDn)", BookmarksPane.BINDINGS),  # type: ignore[list-item]
        ]

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key's action in the command palette (ctrl+p), after Textual's own commands.

        The screen's and the app's, and the detail pane's that say what they do (next and
        previous paper); moving a cursor one row is left to the keys.
        """
        main = self.main_screen
        detail = main.query_one(DetailPane)
        targets: list[tuple[Binding, Callable[[str], object]]] = [
            (binding, (self if binding in self.BINDINGS else main).run_action)
            for binding in self.all_bindings()
        ]
        targets += [(b, detail.run_action) for b in DetailPane.BINDINGS if b.tooltip]  # type: ignore[union-attr]
        for binding, run in targets:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            key = binding.key_display or key_label(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({key})",
                partial(run, binding.action),
            )
        yield from super().get_system_commands(screen)

    def on_library_shown(self, event: LibraryShown) -> None:
        # The screen shows the library as the app's own fetch left it: not news from elsewhere.
        self._generation = event.generation
