"""The main screen: search bar, results, detail, filters and bookmarks, and the actions on them.

The screen owns the browsing state (query, sort, filters, current paper) and talks to the core
through the ``services`` it is given. This module holds the layout, the current paper and the
keys; the actions live in mixins beside it, one job each: querying (query_actions), bookmarks
(bookmark_actions), read state and watches (reading_actions), citing and links (sharing), the
first run (first_run), and the reading and timeline keys.

Nothing here reads or writes SQLite or Whoosh on the event loop: every call goes through the
core's serial lanes with :func:`tui.dbwork.ask`, whose answers come back as messages; widgets
only receive attributes (``show(...)``) and send messages back.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from paperbrowse.search.models import SORTS, Paper
from paperbrowse.tui.dbwork import Answered, ask
from paperbrowse.tui.debounced_call import DebouncedCall
from paperbrowse.tui.fetching import FetchFinished, FetchProgressed, fetch_latest
from paperbrowse.tui.messages import BookmarksChanged, LibraryShown
from paperbrowse.tui.screens import reading_keys, timeline_keys
from paperbrowse.tui.screens.bookmark_actions import BookmarkActions, Current, load_current
from paperbrowse.tui.screens.first_run import SAMPLE_HINT, FirstRun
from paperbrowse.tui.screens.query_actions import QueryActions
from paperbrowse.tui.screens.reading_actions import ReadingActions
from paperbrowse.tui.screens.sharing import SharingActions
from paperbrowse.tui.widgets.bookmarks import BookmarksPane
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.filters import FiltersPane
from paperbrowse.tui.widgets.highlight import literal
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.search_bar import SearchBar
from paperbrowse.tui.widgets.trend import TrendPane
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from paperbrowse.search.services import Services
    from paperbrowse.tui.settings import ScreenSettings

#: Below this width the detail pane replaces the results instead of sitting beside them.
NARROW_WIDTH = 100
#: From this height rows get a second line (the title's end, the author, the words in context).
TWO_LINE_HEIGHT = 30
#: Seconds the detail pane waits after the cursor moves before it redraws.
DETAIL_DELAY = 0.04


class MainScreen(
    QueryActions,
    reading_keys.ReadingActions,
    timeline_keys.TimelineActions,
    ReadingActions,
    SharingActions,
    FirstRun,
    BookmarkActions,
    Screen[None],
):
    """Search, read, bookmark and cite."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/", tooltip="Type a query"),
        # Quit and help come right after search, so that a narrow footer (80 columns) still
        # shows them; the footer cuts what does not fit from its end.
        Binding("q", "app.quit", "Quit", tooltip="Quit (when not typing)"),
        Binding("question_mark", "app.help", "Help", key_display="?", tooltip="This list of keys"),
        Binding(
            "escape", "back", "Back", show=False, tooltip="Back: leave the detail or the search"
        ),
        Binding("b", "toggle_bookmark", "Bookmark", tooltip="Bookmark the paper, or remove it"),
        Binding("u", "undo", "Undo", show=False, tooltip="Put back the last bookmark removed"),
        Binding("t", "edit_tags", "Tags", tooltip="Edit the paper's bookmark tags"),
        Binding("n", "edit_note", "Note", tooltip="Edit the paper's bookmark note"),
        Binding("o", "open_link", "Open", tooltip="Open the paper's link in the browser"),
        Binding("y", "copy_bibtex", "BibTeX", tooltip="Copy the paper's BibTeX entry"),
        Binding(
            "Y",
            "show_bibtex",
            "Show BibTeX",
            key_display="Y",
            show=False,
            tooltip="Show the BibTeX entry, to select or save",
        ),
        Binding(
            "e",
            "export_bookmarks",
            "Export bookmarks",
            show=False,
            tooltip="Export the bookmarks as BibTeX (asks where)",
        ),
        Binding("f", "toggle_filters", "Filters", tooltip="Show or hide the filters pane"),
        Binding("x", "clear_filters", "Clear filters", show=False, tooltip="Reset every filter"),
        Binding(
            "B",
            "toggle_bookmarks",
            "Bookmarks",
            key_display="B",
            tooltip="Show or hide the bookmarks pane (Enter opens one)",
        ),
        # m, w and N stay out of the footer, which app-reading fitted to 80 columns (? lists them).
        Binding("m", "toggle_read", "Read", show=False, tooltip="Mark the paper read, or unread"),
        Binding(
            "w", "watches", "Watches", show=False, tooltip="Saved searches and their new papers"
        ),
        Binding(
            "N",
            "toggle_new",
            "New",
            show=False,
            key_display="N",
            tooltip="Papers new since your last session, or all",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            tooltip="Sort by relevance, date, upvotes, featured day or rising",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            show=False,
            tooltip="Reload after an ingest (leaves the sample)",
        ),
        Binding(
            "z",
            "toggle_reader",
            "Reader",
            show=False,
            tooltip="Reader: the detail at the full width, or back to the list",
        ),
        Binding(
            "F",
            "fetch",
            "Fetch",
            show=False,
            key_display="F",
            tooltip="Fetch the latest Hugging Face Daily Papers into the library",
        ),
        *reading_keys.BINDINGS,
        *timeline_keys.BINDINGS,
    ]

    sort: reactive[str] = reactive("relevance", init=False)
    show_filters: reactive[bool] = reactive(False, init=False)
    show_bookmarks: reactive[bool] = reactive(False, init=False)
    narrow: reactive[bool] = reactive(False, init=False)
    #: In narrow layouts: the detail pane is shown in place of the results.
    detail_open: reactive[bool] = reactive(False, init=False)
    #: The detail pane alone, at the full width (z).
    reader: reactive[bool] = reactive(False, init=False)

    def __init__(self, services: Services, settings: ScreenSettings) -> None:
        super().__init__()
        self.services = services
        self.settings = settings
        self.current_id: str | None = None
        #: The current paper and its bookmark as last read from the core (None: not yet).
        self.current: Current | None = None
        #: The pane the detail's paper was opened from (see _results_lead).
        self._opened_from: type[Widget] = ResultsList
        self._detail_timer: Timer | None = None
        # The detail's similar papers: at once after a pause, and at the end of a burst of
        # cursor moves (tui/debounced_call.py); search as you type is QueryActions'.
        self._similar_call = DebouncedCall(
            self, settings.debounce, settings.clock, self._ask_similar
        )
        self._similar_id: str | None = None  # the paper whose similar papers are to be asked
        self.init_query()
        self.init_bookmark_actions()
        self.init_reading()

    @on(Answered)
    def _answered(self, event: Answered) -> None:
        event.deliver()  # a lane's answer, on the event loop (see tui/dbwork.py)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search-bar")
        if self.services.sample:
            yield Static(Text(SAMPLE_HINT), id="sample-hint")
        yield Static("", id="notice")
        yield Static(Text("Saving…"), id="saving")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield FiltersPane(id="filters")
                yield BookmarksPane(id="bookmarks")
            with Vertical(id="results-area"):
                yield TrendPane(id="trend")
                yield ResultsList(id="results")
                yield Static("", id="empty-message")
            yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_bookmarks()
        self.start_reading()
        self.start_library()
        self._focus(self.query_one(ResultsList))

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        self.narrow = event.size.width < NARROW_WIDTH
        self._update_two_line()

    def _update_two_line(self) -> None:
        # Two lines a row (a long title wraps; the matched words or the abstract's start follow)
        # when there is room for a dozen papers that way.
        self.query_one(ResultsList).two_line = self.size.height >= TWO_LINE_HEIGHT

    def watch_show_filters(self, value: bool) -> None:
        self.set_class(value, "-show-filters")
        if value:
            self._run_facets()
        else:
            self._stop_facets_timer()

    def watch_show_bookmarks(self, value: bool) -> None:
        self.set_class(value, "-show-bookmarks")

    def watch_narrow(self, value: bool) -> None:
        self.set_class(value, "-narrow")

    def watch_detail_open(self, value: bool) -> None:
        self.set_class(value, "-detail-open")

    def watch_reader(self, value: bool) -> None:
        self.set_class(value, "-reader")

    def watch_sort(self) -> None:
        self.run_query()  # a new order starts at its top

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        self.query_text = event.query
        self.leave_edited_watch(event.query)
        if self.query_error is not None:
            # The problem was with a text the user has since typed past ("d" of "diffusion":
            # no searchable words yet): back to the status of the results still on screen.
            # query_error stays set, so that Enter on that same text shows it again.
            self._update_status()
        self._query_call.changed()

    @on(SearchBar.QuerySubmitted)
    def _query_submitted(self, event: SearchBar.QuerySubmitted) -> None:
        self.query_text = event.query
        results = self.query_one(ResultsList)
        # Focus moves at once, so keys typed right after Enter (b, j…) reach the results.
        self._focus(results)
        if self._query_call.pending or self.latest_query != event.query:
            self.run_query()
        elif self.query_in_flight:
            pass  # the query for this text is running: its results arrive with the top row current
        elif self.query_error is None:
            results.action_first()
        else:
            self.run_query()  # try again, and show why it fails

    @on(SearchBar.Left)
    def _search_left(self) -> None:
        self._focus(self.query_one(ResultsList))

    @on(FiltersPane.Changed)
    def _filters_changed(self, event: FiltersPane.Changed) -> None:
        self.choice = event.choice
        self.featured_choice_changed(event.choice)
        self.run_query(keep_position=True)

    # -- the current paper ----------------------------------------------------------------------

    # The current paper has one owner, this screen, and only the list the user is looking at
    # moves it: a hidden or unfocused pane that redraws (and re-posts its highlight) never does.

    def _in(self, widget: Widget) -> bool:
        focused = self.focused
        return focused is not None and (focused is widget or widget in focused.ancestors)

    def _results_lead(self) -> bool:
        """The results list says which paper is current unless the user is in the bookmarks
        pane, or in the detail pane showing a paper that did not come from the results."""
        if self._in(self.query_one(BookmarksPane)):
            return False
        if self._in(self.query_one(DetailPane)):
            return self._opened_from is ResultsList
        return True

    @on(ResultsList.PaperHighlighted)
    def _result_highlighted(self, event: ResultsList.PaperHighlighted) -> None:
        if self._results_lead():
            self.set_current(event.paper_id, now=False)

    @on(ResultsList.RowsWanted)
    def _rows_wanted(self, event: ResultsList.RowsWanted) -> None:
        results, services = self.query_one(ResultsList), self.services
        read = partial(services.library.get_many, list(event.paper_ids))
        # Not exclusive: every page asked for is on screen (or was, and is cheap to keep).
        done = partial(results.add_papers, event.paper_ids)
        ask(self, services.reads, read, done, group="rows", exclusive=False)

    @on(ResultsList.PaperSelected)
    def _result_selected(self, event: ResultsList.PaperSelected) -> None:
        self._open(event.paper_id, ResultsList)

    @on(BookmarksPane.PaperOpened)
    def _bookmark_opened(self, event: BookmarksPane.PaperOpened) -> None:
        self._open(event.paper_id, BookmarksPane)

    @on(BookmarksPane.PaperHighlighted)
    def _bookmark_highlighted(self, event: BookmarksPane.PaperHighlighted) -> None:
        if self.show_bookmarks and self._in(self.query_one(BookmarksPane)):
            self.set_current(event.paper_id, now=False)

    @on(DetailPane.StepAsked)
    def _step_asked(self, event: DetailPane.StepAsked) -> None:
        # The next paper of the results: from here on the detail shows the results' papers, so
        # the list leads again (even if the detail was opened from the bookmarks), its cursor
        # moves, and the list says which paper is current, as for j / k there.
        self._opened_from = ResultsList
        self.query_one(ResultsList).move_by(event.step)

    @on(DetailPane.SimilarChosen)
    def _similar_chosen(self, event: DetailPane.SimilarChosen) -> None:
        self._open(event.paper_id, DetailPane)

    def _open(self, paper_id: str, source: type[Widget]) -> None:
        """Show a paper in the detail pane and move there; ``source`` is the pane it came from
        (while the detail has focus, the results' cursor leads only for a paper from there)."""
        self._opened_from = source
        self.set_current(paper_id)
        if self.narrow:
            self.detail_open = True
        self._focus(self.query_one(DetailPane))

    def set_current(self, paper_id: str | None, *, now: bool = True) -> None:
        """Make ``paper_id`` the paper the actions act on, and show it in the detail pane.

        ``now=False`` (the cursor moving) redraws the detail a moment later, so that holding j
        lays the detail pane out once at the end rather than once per row.
        """
        self.current_id = paper_id
        if paper_id != self._seen_id:
            self.cancel_seen()  # moved on before it counted as read
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if now:
            self._show_detail()
        else:
            self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_detail)

    def current_paper(self) -> Paper | None:
        """The current paper as last read from the core (None while it is being read)."""
        current = self.current
        return current.paper if current is not None and current.id == self.current_id else None

    def _show_detail(self) -> None:
        """Read the current paper and its bookmark on the reads lane, then show them."""
        paper_id, services = self.current_id, self.services
        if paper_id is None:
            self._detail_read(Current(None))
            return
        # Exclusive: holding j asks for many papers; only the one the cursor stops on matters.
        read = partial(load_current, services, paper_id)

        def unreadable(_: Exception) -> None:
            # Shown as no paper, so that no key acts on the one shown before.
            self._detail_read(Current(paper_id))

        ask(self, services.reads, read, self._detail_read, group="detail", failed=unreadable)

    def _detail_read(self, current: Current) -> None:
        if current.id != self.current_id:
            return  # the cursor moved on while this paper was read
        self.current = current
        paper, bookmark = current.paper, current.bookmark
        detail = self.query_one(DetailPane)
        before = detail.paper.id if detail.paper else None
        detail.show(
            paper,
            terms=self.result.terms if self.result else (),
            tags=bookmark.tags if bookmark else (),
            note=bookmark.note if bookmark else "",
            bookmarked=bookmark is not None,
        )
        if paper is not None and self._in(detail):
            self.schedule_seen(paper.id)  # the user reads it there: read after a moment
        if paper is not None and paper.id != before:
            # Asked only once the pane shows the paper (the answer is dropped otherwise). Like
            # the query: at once after a pause, and for the first and last paper of a run of
            # moves (holding j), so that it does not queue a more-like-this per row.
            self._similar_id = paper.id
            self._similar_call.changed()

    def _ask_similar(self) -> None:
        if self._similar_id is None:
            return
        self._similar_call.dispatched()
        paper_id, services = self._similar_id, self.services
        detail = self.query_one(DetailPane)  # resolved here, on the event loop
        ask(
            self,
            services.reads,
            partial(services.library.similar, paper_id, limit=5),
            partial(detail.show_similar, paper_id),
            group="similar",
            # Similar papers are a nicety: on an error, show none.
            failed=lambda _: detail.show_similar(paper_id, []),
        )

    # -- bookmarks (the keys are in tui/screens/bookmark_actions.py) ----------------------------

    def _refresh_bookmarks(self) -> None:
        services = self.services

        def read() -> tuple[frozenset[str], list, dict[str, int]]:
            store = services.bookmarks
            return store.ids(), store.list(), store.tags()

        ask(self, services.reads, read, self._bookmarks_read, group="bookmarks")

    def _bookmarks_read(self, answer: tuple[frozenset[str], list, dict[str, int]]) -> None:
        ids, marks, tags = answer
        self.query_one(ResultsList).set_bookmarked(ids)
        self.query_one(BookmarksPane).show(marks, current=self.current_id)
        self.query_one(FiltersPane).set_tags(tags)

    @on(BookmarksChanged)
    def _bookmarks_changed(self, event: BookmarksChanged) -> None:
        self._refresh_bookmarks()
        self._show_detail()
        if self.choice.bookmarked_only or self.choice.tag:
            self.run_query(keep_position=True)

    # -- panes and navigation -------------------------------------------------------------------

    def _focus(self, widget: Widget) -> None:
        # Screen.set_focus acts now, where Widget.focus() waits for the next idle moment: keys
        # typed right after `/` or Enter must already reach the newly focused widget.
        self.set_focus(widget)

    def action_focus_search(self) -> None:
        self.detail_open = False
        self.reader = False
        self._focus(self.query_one(SearchBar).input)

    def action_back(self) -> None:
        focused = self.focused
        results = self.query_one(ResultsList)
        if self.reader:
            self.reader = False
            if not self.detail_open:
                self._focus(results)
        elif self.detail_open:
            self.detail_open = False
            self._focus(results)
        elif focused is results:
            self._focus(self.query_one(SearchBar).input)
        else:
            self._focus(results)

    def action_toggle_reader(self) -> None:
        self.reader = not self.reader
        if self.reader:
            self._focus(self.query_one(DetailPane))
        elif not self.detail_open:
            self._focus(self.query_one(ResultsList))

    def action_toggle_filters(self) -> None:
        self.reader = False  # a pane beside the detail: the reader makes room for it
        self.show_filters = not self.show_filters
        if self.show_filters:
            # Focus the pane, not its first field, so that f (or x, s…) still acts as a key.
            self._focus(self.query_one(FiltersPane))
        elif self.focused is None or self.focused in self.query_one(FiltersPane).walk_children():
            self._focus(self.query_one(ResultsList))

    def action_toggle_bookmarks(self) -> None:
        self.reader = False
        self.show_bookmarks = not self.show_bookmarks
        if self.show_bookmarks:
            self._focus(self.query_one(BookmarksPane).options)
        else:
            self._focus(self.query_one(ResultsList))

    def action_clear_filters(self) -> None:
        had = self.clear_restriction()
        self.query_one(FiltersPane).clear()
        if had:
            self.run_query(keep_position=True)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def action_refresh(self) -> None:
        self.refresh_library()
        self.reload_reading()  # queued behind the library switch, if there is one

    def action_fetch(self) -> None:
        if any(w.group == "fetch" and not w.is_finished for w in self.workers):
            self.notify("A fetch is already running.", severity="warning")
            return
        self.run_worker(
            partial(fetch_latest, self.services, self.post_message), thread=True, group="fetch"
        )

    @on(FetchProgressed)
    def _fetch_progressed(self, event: FetchProgressed) -> None:
        self.query_one(SearchBar).set_status(literal(event.text))

    @on(FetchFinished)
    def _fetch_finished(self, event: FetchFinished) -> None:
        severity = "error" if event.failed and not event.papers_new else "information"
        self.notify(event.text, severity=severity, markup=False, timeout=10)
        if event.generation is not None:
            self.post_message(LibraryShown(event.generation))  # no "Library updated" for it
        # Shows the new papers; with the sample shown, leaves it for the user's library, where
        # the fetched papers went.
        self.refresh_library()
        self.reload_reading()  # the fetched papers are new
