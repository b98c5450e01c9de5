"""The main screen's bookmark keys: b (toggle), t (tags), n (note), u (undo a removal).

A mixin of :class:`tui.screens.main.MainScreen`, kept apart so that the screen module stays about
browsing. Every write goes to the core's writes lane (tui/dbwork.py): the screen shows
"Saving…" until it lands, and keys keep working meanwhile, even while another process holds the
bookmarks file for seconds. A removed bookmark is kept whole for the rest of the session, so
``u`` puts it back exactly (tags, note, read state, BibTeX key, creation time).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from paperbrowse.search.bookmarks import Bookmark, Toggled
from paperbrowse.search.models import Paper
from paperbrowse.tui.dbwork import ask
from paperbrowse.tui.messages import BookmarksChanged
from paperbrowse.tui.notices import short_title
from paperbrowse.tui.screens.edit import NoteScreen, TagEdit, TagsScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from paperbrowse.search.services import Services

T = TypeVar("T")


@dataclass(frozen=True)
class Current:
    """The paper the keys act on, as read from the core, with its bookmark (if any)."""

    id: str | None
    paper: Paper | None = None
    bookmark: Bookmark | None = None


def load_current(services: Services, paper_id: str) -> Current:
    """Read a paper and its bookmark: on the reads lane, never on the event loop."""
    paper = services.library.get(paper_id)
    bookmark = services.bookmarks.get(paper.id if paper else paper_id)
    if paper is None and bookmark is not None:
        # A bookmark can outlive its paper in the library: show the copy the bookmark kept.
        paper = bookmark.paper
    return Current(paper_id, paper, bookmark)


#: Times a bookmark write waits out the store's busy timeout before the app gives up on it.
BUSY_ATTEMPTS = 6


def patiently(write: Callable[[], T]) -> T:
    """Run a bookmark write, waiting again while another process holds the bookmarks file.

    The store waits ``BUSY_TIMEOUT`` (10 s) for a lock; a CLI command or a script holding it
    longer must not make the app drop a key press, so the write tries again a few times
    ("Saving…" stays on screen meanwhile). Any other error is reported at once.
    """
    for _ in range(BUSY_ATTEMPTS - 1):
        try:
            return write()
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorname", "") not in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise
    return write()


class BookmarkActions:
    """Bookmark actions on the current paper; needs the screen's ``current``/``current_id``."""

    # Provided by the screen (typing only).
    if TYPE_CHECKING:
        current: Current | None
        current_id: str | None
        services: Services
        notify: Any
        post_message: Any
        set_class: Any
        query_one: Any
        app: Any

    def init_bookmark_actions(self) -> None:
        #: Bookmarks removed this session, most recent last: what ``u`` puts back.
        self.removed_bookmarks: list[Bookmark] = []
        #: Writes handed to the writes lane that have not landed yet.
        self.pending_writes = 0

    # -- the current paper, read before acting --------------------------------------------------

    def with_current(self, act: Callable[[Current], None]) -> None:
        """Run ``act`` on the current paper: at once if it has been read, else once it is.

        The key acts on the paper current when it was pressed, even if the cursor moves on
        before the read comes back (the read is not cancelled by the next move).
        """
        current, paper_id = self.current, self.current_id
        if paper_id is None:
            self.notify("No paper selected.", severity="warning")
            return
        if current is not None and current.id == paper_id and current.paper is not None:
            act(current)
            return

        def loaded(current: Current) -> None:
            if current.paper is None:
                self.notify("No paper selected.", severity="warning")
            else:
                act(current)

        services = self.services
        ask(
            self,  # type: ignore[arg-type]
            services.reads,
            partial(load_current, services, paper_id),
            loaded,
            group="act",
            exclusive=False,
            failed=lambda error: self.notify(
                f"Could not read the paper: {error}", severity="error", markup=False
            ),
        )

    # -- writing ----------------------------------------------------------------------------------

    def write_bookmarks(
        self,
        write: Callable[[], T],
        done: Callable[[T], None],
        what: str,
        undo_failed: Callable[[], None] | None = None,
    ) -> None:
        """Run ``write`` on the writes lane, showing "Saving…" until it lands; then ``done``."""
        self.pending_writes += 1
        self._show_saving()

        def landed(result: T) -> None:
            self.pending_writes -= 1
            self._show_saving()
            done(result)

        def failed(error: Exception) -> None:
            self.pending_writes -= 1
            self._show_saving()
            if undo_failed is not None:
                undo_failed()
            self.notify(f"Could not save {what}: {error}", severity="error", markup=False)

        ask(
            self,  # type: ignore[arg-type]
            self.services.writes,
            partial(patiently, write),
            landed,
            group="bookmark-writes",
            exclusive=False,  # every write lands, in the order the keys were pressed
            failed=failed,
        )

    def _show_saving(self) -> None:
        saving = self.pending_writes > 0
        self.set_class(saving, "-saving")
        count = f" ({self.pending_writes} changes)" if self.pending_writes > 1 else ""
        self.query_one("#saving", Static).update(f"Saving bookmarks…{count}")

    # -- the keys ---------------------------------------------------------------------------------

    def action_toggle_bookmark(self) -> None:
        self.with_current(self._toggle)

    def _toggle(self, current: Current) -> None:
        assert current.paper is not None
        store = self.services.bookmarks
        self.write_bookmarks(partial(store.toggle, current.paper), self._toggled, "the bookmark")

    def _toggled(self, toggled: Toggled) -> None:
        title = short_title(toggled.bookmark.paper.title)
        if toggled.added:
            self.notify("Bookmarked: " + title, markup=False)
        else:
            self.removed_bookmarks.append(toggled.bookmark)
            self.notify(f"Bookmark removed: {title} — press u to undo", markup=False)
        self.post_message(BookmarksChanged(toggled.bookmark.id))

    def action_undo(self) -> None:
        if not self.removed_bookmarks:
            self.notify("Nothing to undo.", severity="warning")
            return
        bookmark = self.removed_bookmarks.pop()

        def restored(back: Bookmark) -> None:
            self.notify("Bookmark restored: " + short_title(back.paper.title), markup=False)
            self.post_message(BookmarksChanged(back.id))

        self.write_bookmarks(
            partial(self.services.bookmarks.restore, bookmark),
            restored,
            "the restored bookmark",
            undo_failed=lambda: self.removed_bookmarks.append(bookmark),  # u can be pressed again
        )

    def action_edit_tags(self) -> None:
        self.with_current(self._edit_tags)

    def _edit_tags(self, current: Current) -> None:
        paper = current.paper
        assert paper is not None
        store = self.services.bookmarks

        def edited(edit: TagEdit | None) -> None:
            if edit:
                write = partial(store.edit_tags, paper, edit.add, edit.remove)
                self.write_bookmarks(
                    write, lambda _: self.post_message(BookmarksChanged(paper.id)), "tags"
                )

        tags = current.bookmark.tags if current.bookmark else ()
        self.app.push_screen(TagsScreen(paper.title, tags), edited)

    def action_edit_note(self) -> None:
        self.with_current(self._edit_note)

    def _edit_note(self, current: Current) -> None:
        paper = current.paper
        assert paper is not None
        store = self.services.bookmarks

        def edited(note: str | None) -> None:
            if note is not None:
                # add() with a note bookmarks the paper if need be and replaces its note.
                write = partial(store.add, paper, note=note)
                self.write_bookmarks(
                    write, lambda _: self.post_message(BookmarksChanged(paper.id)), "note"
                )

        note = current.bookmark.note if current.bookmark else ""
        self.app.push_screen(NoteScreen(paper.title, note), edited)
