"""Read state, "new since", and watches on the main screen: a mixin, as bookmark_actions is.

- Read state is loaded once (a set of ids) when the screen starts and then kept by the screen's
  own marks, so drawing the list never asks SQLite anything (ResultsList.set_read).
- A paper shown in the detail pane, with the user there, for ``settings.seen_delay`` seconds is
  marked read (a timer, stopped when the user moves on); ``m`` toggles read on the current paper.
- At start the session is recorded (search/reading.py Sessions) and the papers new since the
  last one are counted for the status line; ``N`` shows only those (again: all papers).
- ``w`` opens the watch list (tui/widgets/watches.py); a watch chosen runs its query and filters.

Every read and write goes through the core's lanes (tui/dbwork.ask), never the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from paperbrowse.search.models import Filters, QueryError
from paperbrowse.search.reading import ReadState, Sessions, last_ingest_ids, new_ids
from paperbrowse.search.watches import Watch, Watches, count_new_unread
from paperbrowse.tui.dbwork import ask
from paperbrowse.tui.widgets.results_list import ResultsList
from paperbrowse.tui.widgets.watches import WatchesScreen, WatchRow

if TYPE_CHECKING:
    from paperbrowse.search.services import Services
    from paperbrowse.tui.settings import ScreenSettings


@dataclass(frozen=True)
class Restriction:
    """What a watch and ``N`` add to the pane's filters, apart so that they combine (a watch
    opened, then only its new papers): the watch's name and filters (None: no watch), and
    what the new papers are new since with their ids (None: any paper)."""

    watch: str | None = None
    filters: Filters | None = None
    new: str | None = None
    ids: frozenset[str] | None = None
    #: The watch's query: typing another one leaves the watch (see leave_edited_watch).
    query: str | None = None

    @property
    def label(self) -> str:
        """For the status line."""
        parts = [f"watch: {self.watch}"] if self.watch is not None else []
        return " · ".join([*parts, self.new] if self.new is not None else parts)

    @property
    def empty(self) -> bool:
        return self.watch is None and self.new is None

    def apply(self, filters: Filters) -> Filters:
        if self.filters is not None:
            f = self.filters
            filters = replace(
                filters,
                since=f.since or filters.since,
                until=f.until or filters.until,
                min_upvotes=f.min_upvotes if f.min_upvotes is not None else filters.min_upvotes,
                years=f.years or filters.years,
                kinds=f.kinds or filters.kinds,
                has_code=f.has_code or filters.has_code,
            )
        if self.ids is not None:
            filters = replace(
                filters, ids=self.ids if filters.ids is None else filters.ids & self.ids
            )
        return filters


@dataclass(frozen=True)
class _New:
    papers: frozenset[str]
    #: What "new" counts from, as said to the user.
    since: str


def _new(services: Services, before: datetime | None) -> _New:
    """On the reads lane (the library): the papers new since the last session."""
    if before is not None:
        return _New(frozenset(new_ids(services.library, before)), "since your last session")
    return _New(frozenset(last_ingest_ids(services.library)), "in the last ingest")


class ReadingActions:
    """Needs the screen's ``services``, ``current_id``, ``run_query`` and ``query_one``."""

    if TYPE_CHECKING:
        services: Services
        current_id: str | None
        query_text: str
        notify: Any
        query_one: Any
        set_timer: Any
        call_later: Any
        app: Any
        settings: ScreenSettings
        run_query: Any
        _update_status: Any

    def init_reading(self) -> None:
        self.read_ids: frozenset[str] = frozenset()
        self.new_papers: frozenset[str] = frozenset()
        self.new_since = ""
        #: Shown on the status line until the first query the user types.
        self.reading_note = ""
        self.restriction: Restriction | None = None
        self._seen_timer: Any = None
        #: When the session before this one ended (None: none, or not known yet).
        self._session_before: datetime | None = None
        #: Marks made on this screen, in order: replayed over a read set asked for before them.
        self._marks: list[tuple[str, bool]] = []
        self._seen_id: str | None = None

    # -- start ----------------------------------------------------------------------------------

    def start_reading(self) -> None:
        """Record the session's start, then load the read set and what is new."""
        services = self.services
        sessions = Sessions(services.bookmarks)

        def started(before: datetime | None) -> None:
            self._session_before = before
            self.reload_reading()

        # A failure to record the session still loads the read state (counting from nothing).
        ask(
            self,  # type: ignore[arg-type]
            services.writes,
            sessions.start,
            started,
            group="session",
            exclusive=False,
            failed=lambda _: started(None),
        )

    def reload_reading(self) -> None:
        """Read the read set and the new papers again (after r or a fetch: the library may
        have new papers, and another process may have marked some read)."""
        services = self.services
        # The read set on the writes lane: behind every mark this screen has handed it, so the
        # answer never undoes one still on its way.
        asked_at = len(self._marks)
        ask(
            self,  # type: ignore[arg-type]
            services.writes,
            ReadState(services.bookmarks).ids,
            partial(self._read_loaded, asked_at),
            group="reading-read",
            exclusive=False,
        )
        ask(
            self,  # type: ignore[arg-type]
            services.reads,
            partial(_new, services, self._session_before),
            self._new_loaded,
            group="reading-new",
        )

    def _read_loaded(self, asked_at: int, read: frozenset[str]) -> None:
        for paper_id, marked in self._marks[asked_at:]:  # made while the answer was coming
            read = read | {paper_id} if marked else read - {paper_id}
        self.read_ids = read
        self.query_one(ResultsList).set_read(read)

    def _new_loaded(self, new: _New) -> None:
        self.new_papers, self.new_since = new.papers, new.since
        n = len(new.papers)
        # Said only after a session before: on the first run every paper is new, which is noise.
        first_run = self._session_before is None
        self.reading_note = f"{n} new {new.since}" if n and not first_run else ""
        self._update_status()

    def reading_status(self) -> list[str]:
        """Parts the status line adds: the restriction in force, the count of new papers."""
        parts = []
        if self.restriction is not None:
            parts.append(self.restriction.label)
        # The count of new papers, unless only they are shown (the label says it then).
        if self.reading_note and (self.restriction is None or self.restriction.new is None):
            parts.append(self.reading_note)
        return parts

    def restrict_now(self) -> Any:
        """The restriction in force now, as a function of the pane's filters (to hand to a
        lane: it does not read the screen again)."""
        restriction = self.restriction
        return restriction.apply if restriction is not None else (lambda f: f)

    # -- seen and read --------------------------------------------------------------------------

    def schedule_seen(self, paper_id: str) -> None:
        """The detail shows ``paper_id`` with the user there: read once it stayed a moment."""
        if paper_id == self._seen_id or paper_id in self.read_ids:
            return
        self.cancel_seen()
        self._seen_id = paper_id
        delay = self.settings.seen_delay
        if delay <= 0:  # at once (tests): after this message, as a timer would be
            self.call_later(self._seen, paper_id)
        else:
            self._seen_timer = self.set_timer(delay, partial(self._seen, paper_id))

    def cancel_seen(self) -> None:
        if self._seen_timer is not None:
            self._seen_timer.stop()
        self._seen_timer, self._seen_id = None, None

    def _seen(self, paper_id: str) -> None:
        if self._seen_id != paper_id or self.current_id != paper_id:
            return  # moved on meanwhile (a callback queued before the timer stopped)
        self._seen_timer, self._seen_id = None, None
        self._set_read(paper_id, True, quiet=True)

    def action_toggle_read(self) -> None:
        paper_id = self.current_id
        if paper_id is None:
            self.notify("No paper selected.", severity="warning")
            return
        self.cancel_seen()
        self._set_read(paper_id, paper_id not in self.read_ids, quiet=False)

    def _set_read(self, paper_id: str, read: bool, *, quiet: bool) -> None:
        # Shown at once (the set is the app's picture of the store); the write follows in order.
        self.read_ids = self.read_ids | {paper_id} if read else self.read_ids - {paper_id}
        self._marks.append((paper_id, read))
        self.query_one(ResultsList).set_read(self.read_ids)
        state = ReadState(self.services.bookmarks)

        def failed(error: Exception) -> None:
            self.read_ids = self.read_ids - {paper_id} if read else self.read_ids | {paper_id}
            self._marks.append((paper_id, not read))
            self.query_one(ResultsList).set_read(self.read_ids)
            self.notify(f"Could not save the read state: {error}", severity="error", markup=False)

        def done(_: int) -> None:
            if not quiet:
                self.notify("Marked read." if read else "Marked unread.")

        ask(
            self,  # type: ignore[arg-type]
            self.services.writes,
            partial(state.mark, [paper_id], read),
            done,
            group="read-writes",
            exclusive=False,
            failed=failed,
        )

    # -- new, watches ---------------------------------------------------------------------------

    def action_toggle_new(self) -> None:
        """Only the new papers, or all again; a watch opened stays (N narrows it to its new
        papers, as the watch list counts them)."""
        current = self.restriction or Restriction()
        if current.new is not None:
            current = replace(current, new=None, ids=None)
        else:
            label = f"new {self.new_since}" if self.new_since else "new"
            current = replace(current, new=label, ids=self.new_papers)
        self.restriction = None if current.empty else current
        self.run_query()

    def action_watches(self) -> None:
        services, new, read = self.services, self.new_papers, self.read_ids

        def count() -> list[WatchRow]:
            rows = []
            for watch in Watches(services.bookmarks).list():
                try:
                    n: int | None = count_new_unread(services.library, watch, new, read)
                except QueryError:
                    n = None
                rows.append(WatchRow(watch, n))
            return rows

        def show(rows: list[WatchRow]) -> None:
            self.app.push_screen(WatchesScreen(rows, self.new_since), self.open_watch)

        ask(
            self,  # type: ignore[arg-type]
            services.reads,
            count,
            show,
            group="watches",
            failed=lambda e: self.notify(f"Could not read the watches: {e}", severity="error"),
        )

    def open_watch(self, watch: Watch | None) -> None:
        if watch is None:
            return
        # Only its new papers if only new papers were shown (N stays on).
        current = self.restriction or Restriction()
        self.restriction = replace(
            current, watch=watch.name, filters=watch.filters, query=watch.query
        )
        search_bar_input = self.query_one("#search-bar").input
        search_bar_input.value = watch.query  # its Changed message follows: cancelled below
        self.query_text = watch.query
        self.run_query()

    def leave_edited_watch(self, text: str) -> None:
        """The query was changed from an opened watch's: the results are no longer that watch's,
        so its name and filters go (the status line said "watch: NAME" over another search);
        N's "only new papers" stays, as it does without a watch."""
        current = self.restriction
        if (
            current is None
            or current.watch is None
            or text.strip() == (current.query or "").strip()
        ):
            return
        current = replace(current, watch=None, filters=None, query=None)
        self.restriction = None if current.empty else current

    def clear_restriction(self) -> bool:
        """x: the restriction goes with the filters. Returns whether there was one."""
        had = self.restriction is not None
        self.restriction = None
        return had
