"""Querying on the main screen: the search, its results and status line, and the facet counts.

A mixin of :class:`tui.screens.main.MainScreen`, as bookmark_actions and reading_actions are,
kept apart so that the screen module stays about layout, the current paper and the keys. The
message handlers that call into it (``SearchBar.QueryChanged`` …) stay on the screen: Textual
collects ``@on`` handlers only from classes of its own (a plain mixin's would be ignored).

Every query and count runs on the core's reads lane (tui/dbwork.ask), never the event loop;
an answer is shown only if it belongs to the latest query (see ``init_query``).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from paperbrowse.search.models import Filters, QueryError, SearchResult
from paperbrowse.tui.dbwork import ask
from paperbrowse.tui.debounced_call import DebouncedCall
from paperbrowse.tui.screens.first_run import BUILDING_SAMPLE
from paperbrowse.tui.widgets.filters import FilterChoice, FiltersPane, facet_filters
from paperbrowse.tui.widgets.highlight import literal
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.search_bar import SearchBar
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

if TYPE_CHECKING:
    from paperbrowse.search.services import Services
    from paperbrowse.tui.settings import ScreenSettings

#: Hits loaded with snippets per query; rows further down get a locally made excerpt.
SNIPPET_HITS = 40


def filters_for(services: Services, choice: FilterChoice) -> Filters:
    """The core's Filters for the pane's choice (bookmark/tag choices become an id set).

    Reads the bookmark store: call it on the reads lane, never on the event loop.
    """
    ids: frozenset[str] | None = None
    bookmarks = services.bookmarks
    if choice.bookmarked_only:
        ids = bookmarks.ids()
    if choice.tag:
        tagged = bookmarks.ids_with_tag(choice.tag)
        ids = tagged if ids is None else ids & tagged
    return Filters(
        since=choice.since,
        until=choice.until,
        min_upvotes=choice.min_upvotes,
        years=choice.years,
        kinds=choice.kinds,
        has_code=choice.has_code,
        featured_since=choice.featured_since,
        featured_until=choice.featured_until,
        ids=ids,
    )


class QueryActions:
    """Needs the screen's ``services``, ``settings``, ``current_id``, ``sort`` and the
    reading mixin's restriction and status (``restrict_now``, ``reading_status``)."""

    if TYPE_CHECKING:
        services: Services
        settings: ScreenSettings
        current_id: str | None
        sort: str
        show_filters: bool
        building_sample: bool
        restriction: Any
        restrict_now: Any
        reading_status: Any
        results_shown: Any
        set_current: Any
        query_one: Any
        set_timer: Any

    def init_query(self) -> None:
        self.query_text = ""
        self.choice = FilterChoice()
        self.result: SearchResult | None = None
        self.query_error: str | None = None
        self._facets_timer: Timer | None = None
        # Search as you type: at once after a pause, and at the end of a burst
        # (tui/debounced_call.py).
        self._query_call = DebouncedCall(
            self, self.settings.debounce, self.settings.clock, self.run_query
        )
        # Every query dispatched gets the next number; a result (or error) is shown only if it
        # carries the latest one. Cancelling the worker is not enough: a thread worker that was
        # already past its cancellation check can still hand over its result after a newer
        # query's, and that older result must not overwrite the newer one.
        self._query_seq = 0
        self._shown_seq = 0
        self.latest_query: str | None = None  # the text of the latest dispatched query
        self._facets_seq = 0

    @property
    def query_waiting(self) -> bool:
        """A typed text waits for the typing to pause before its query runs."""
        return self._query_call.waiting

    def run_query(self, *, keep_position: bool = False) -> None:
        """Run the current query now (a newer call cancels an older one still running)."""
        self._query_call.dispatched()
        # The facet counts follow the results once they are shown (see _show_result).
        self._stop_facets_timer()
        keep = self.current_id if keep_position else None
        self._query_seq += 1
        self.latest_query = self.query_text
        seq, query, choice, sort = self._query_seq, self.query_text, self.choice, self.sort
        services, restrict = self.services, self.restrict_now()

        def search() -> tuple[SearchResult, bool]:
            library = services.library
            filters = restrict(filters_for(services, choice))
            if library.is_empty():
                # Nothing to search: skip the index, which may not even exist yet.
                return SearchResult(query, sort, filters, 0, ()), True
            result = library.search(query, filters, sort=sort, limit=SNIPPET_HITS, snippets=True)
            # result.ids may be computed from the index on first access past the first page:
            # do it here, so that scrolling never runs Whoosh on the event loop.
            return replace(result, ids=list(result.ids)), False

        def failed(error: Exception) -> None:
            message = str(error)
            if not isinstance(error, QueryError):  # an index problem must not kill the app
                message = f"search failed: {type(error).__name__}: {error}"
            self._show_query_error(seq, query, message)

        # Exclusive: a query still waiting for its turn when a newer one is dispatched is
        # skipped (a burst of keys must not queue a query per key).
        ask(
            self,
            services.reads,
            search,
            lambda answer: self._show_result(seq, answer[0], keep, empty_library=answer[1]),
            group="query",
            failed=failed,
        )

    @property
    def query_in_flight(self) -> bool:
        """The latest query has been dispatched and its result (or error) is not shown yet."""
        return self._shown_seq != self._query_seq

    def _show_result(
        self, seq: int, result: SearchResult, keep: str | None, *, empty_library: bool = False
    ) -> None:
        if seq != self._query_seq:
            return  # an older query's result, handed over late: the newer one's is coming
        self._shown_seq = seq
        self.result = result
        self.query_error = None
        results = self.query_one(ResultsList)
        snippets = {h.paper.id: (h.snippet, h.highlights) for h in result.hits if h.snippet}
        self._update_two_line()
        results.show(
            result.ids,
            terms=result.terms,
            papers=[h.paper for h in result.hits],
            snippets=snippets,
            keep=keep,
        )
        self._update_status()
        empty = result.total == 0
        self.query_one("#results-area").set_class(empty, "-no-results")
        if empty:
            message = self._empty_message(result, empty_library)
            self.query_one("#empty-message", Static).update(message)
            self.set_current(None)
        if self.show_filters:
            # Counting facets at 100k papers takes ~0.3-0.6 s and holds the library: run them
            # once the typing pauses, so that the next keystroke's query does not queue behind
            # counts for a text already gone.
            self._stop_facets_timer()
            self._facets_timer = self.set_timer(self.settings.debounce, self._facets_due)
        self.results_shown()

    def _empty_message(self, result: SearchResult, empty_library: bool) -> Text:
        if self.building_sample:
            return Text(BUILDING_SAMPLE, justify="center")
        if empty_library:
            return Text(
                "Your library is empty.\nAdd listings with: paperbrowse ingest PATH…",
                justify="center",
            )
        text = Text("No papers match", justify="center")
        if result.query.strip():
            text.append(" “")
            text.append_text(literal(result.query.strip()))
            text.append("”")
        if self.choice.active or self.restriction is not None:
            text.append("\nwith these filters — press x to clear them")
        return text

    def _show_query_error(self, seq: int, query: str, message: str) -> None:
        if seq != self._query_seq:
            return  # an older query's problem: the newer query's answer is coming
        self._shown_seq = seq
        # Keep the last results on screen: a half-typed query should not blank the list.
        self.query_error = message
        self.query_one(SearchBar).set_status(literal(f"⚠ {message}"), error=True)

    def _update_status(self) -> None:
        result = self.result
        if result is None:
            return
        parts = [f"{result.total:,} result{'s' if result.total != 1 else ''}"]
        if self.settings.show_timings:
            parts.append(f"{result.elapsed_ms:.0f} ms")
        if result.order != result.sort:
            # Relevance with nothing to rank by (no query, only prefixes): the core said so.
            parts.append("newest first" if result.order == "date" else f"sort: {result.order}")
        else:
            parts.append(f"sort: {result.sort}")
        if self.choice.active:
            parts.append(f"filters: {self.choice.describe()}")
        parts.extend(self.reading_status())
        if result.capped:  # a prefix matched more words than are searched
            parts.append("may be incomplete: " + ", ".join(result.capped))
        self.query_one(SearchBar).set_status(Text(" · ".join(parts)))

    def _show_facets(self, seq: int, facets: dict[str, dict[str, int]]) -> None:
        if seq == self._facets_seq:  # older counts handed over late are dropped
            self.query_one(FiltersPane).set_facets(facets)

    def _stop_facets_timer(self) -> None:
        if self._facets_timer is not None:
            self._facets_timer.stop()
            self._facets_timer = None

    def _facets_due(self) -> None:
        # The timer's callback may have been queued just before a new query stopped it: counts
        # for a text whose results are not on screen yet would be wasted.
        if self.show_filters and not self.query_in_flight:
            self._run_facets()

    def _run_facets(self) -> None:
        self._stop_facets_timer()
        self._facets_seq += 1
        seq, query, choice, services = self._facets_seq, self.query_text, self.choice, self.services

        def count() -> dict[str, dict[str, int]]:
            # Each facet is counted under every other filter (see facet_filters); facets whose
            # filters are the same (nothing of theirs picked) share one count.
            counted: dict[Filters, dict[str, dict[str, int]]] = {}
            facets: dict[str, dict[str, int]] = {}
            for name, filters in facet_filters(filters_for(services, choice)).items():
                if filters not in counted:
                    counted[filters] = services.library.facets(query, filters)
                facets[name] = counted[filters].get(name, {})
            return facets

        # No failed=: no counts is better than a crash; the query says what is wrong.
        ask(self, services.reads, count, partial(self._show_facets, seq), group="facets")
