"""Messages that are about the app as a whole rather than one widget.

Widget messages live nested in the widget that sends them (``ResultsList.PaperHighlighted``);
these are the few sent by the app itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class LibraryUpdated(Message):
    """An ingest committed while the app was open (the user's library's generation moved on)."""

    generation: int
    #: Papers in the user's library now.
    papers: int = 0
    #: The app shows the bundled sample: `r` would leave it for the user's library.
    replaces_sample: bool = False


@dataclass
class BookmarksChanged(Message):
    """A bookmark was added, removed, tagged or annotated: views showing bookmarks redraw."""

    paper_id: str | None = None


@dataclass
class LibraryShown(Message):
    """The screen shows the user's library at ``generation`` (after the app's own fetch): the
    app's poll must not call that an update from elsewhere."""

    generation: int
