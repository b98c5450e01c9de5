"""A new user's first minutes: the bundled sample built after the first paint, and left for the
user's own library (on `r`) once an ingest elsewhere gives it papers.

A mixin of :class:`tui.screens.main.MainScreen`, kept apart so that the screen module stays
about browsing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paperbrowse.tui.dbwork import ask
from paperbrowse.tui.messages import LibraryUpdated
from rich.text import Text
from textual.widgets import Static

if TYPE_CHECKING:
    from paperbrowse.search.services import Services
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object

SAMPLE_HINT = "Showing the bundled sample library — add your own with: paperbrowse ingest PATH…"
BUILDING_SAMPLE = "Building the sample library… (a few seconds, once)"
REBUILDING_INDEX = (
    "Rebuilding the search index from your library… (once, after an upgrade; minutes for a "
    "big library; your bookmarks are untouched)"
)


class FirstRun(_Base):
    """Builds the sample on the reads lane and switches to the user's library on `r`."""

    #: True while the sample library is being built (the results say so meanwhile).
    building_sample = False

    if TYPE_CHECKING:

        @property
        def services(self) -> Services: ...

        def run_query(self, *, keep_position: bool = False) -> None: ...

        def _refresh_bookmarks(self) -> None: ...

    def start_library(self) -> None:
        """Show the results, or first build the sample (after the first paint: the screen
        shows it is building instead of staying blank for seconds)."""
        services = self.services
        if not services.sample:
            # The first query rebuilds an index of another version first (23 min at a million
            # papers): the screen says so meanwhile instead of looking hung.
            ask(
                self,  # type: ignore[arg-type]
                services.reads,
                services.library.index_outdated,
                self._index_checked,
                group="sample",
            )
            return
        ask(
            self,  # type: ignore[arg-type]
            services.reads,
            lambda: services.sample_pending,
            self._sample_checked,
            group="sample",
        )

    def _index_checked(self, outdated: bool) -> None:
        if outdated:
            self.query_one("#results-area").set_class(True, "-no-results")
            self.query_one("#empty-message", Static).update(
                Text(REBUILDING_INDEX, justify="center")
            )
        self.run_query()

    def _sample_checked(self, pending: bool) -> None:
        if not pending:
            self.run_query()
            return
        self.building_sample = True
        self.query_one("#results-area").set_class(True, "-no-results")
        self.query_one("#empty-message", Static).update(Text(BUILDING_SAMPLE, justify="center"))

        def failed(error: Exception) -> None:
            self._sample_built(
                f"Could not build the sample library: {type(error).__name__}: {error}"
            )

        # On the reads lane: the queries asked meanwhile wait for it, then run on the sample.
        ask(
            self,  # type: ignore[arg-type]
            self.services.reads,
            self.services.prepare_sample,
            lambda _: self._sample_built(None),
            group="sample-build",
            failed=failed,
        )

    def _sample_built(self, problem: str | None) -> None:
        self.building_sample = False
        if problem:
            self.notify(problem, severity="error", markup=False, timeout=15)
        self.run_query()

    # Named, not @on(...): Textual collects @on handlers only from classes it builds (DOM nodes),
    # while on_<message> methods are found along the whole MRO, mixins included.
    def on_library_updated(self, event: LibraryUpdated) -> None:
        if event.replaces_sample:
            if not event.papers or not self.services.sample:
                return  # nothing to leave the sample for (yet)
            noun = f"{event.papers:,} paper{'s' if event.papers != 1 else ''}"
            text = f"Your library has {noun} now — press r to leave the sample for it"
        else:
            text = "Library updated — press r to refresh"
        self.query_one("#notice", Static).update(Text(text))
        self.add_class("-updated")

    def refresh_library(self) -> None:
        """`r`: leave the sample if the user's library has papers now, and run the query again."""
        self.query_one("#notice", Static).update("")
        self.remove_class("-updated")
        if self.services.sample and not self.building_sample:
            services = self.services

            def switch() -> int | None:
                # On the reads lane: no read is using the sample library while it is swapped
                # out and closed, and every read after this one finds the user's library.
                old = services.use_own_library()
                if old is None:
                    return None
                old.close()
                return services.library.count()

            ask(self, services.reads, switch, self._switched, group="sample")  # type: ignore[arg-type]
            return
        self._refresh_bookmarks()
        self.run_query(keep_position=True)

    def _switched(self, papers: int | None) -> None:
        if papers is None:
            self.notify(
                "Your library is still empty — add listings with: paperbrowse ingest PATH…",
                severity="warning",
            )
            self.run_query(keep_position=True)
            return
        for hint in self.query("#sample-hint"):
            hint.remove()
        self.notify(f"Showing your library: {papers:,} papers")
        self._refresh_bookmarks()
        self.run_query()
