"""Messages that are about the app as a whole rather than one widget.

Widget messages live nested in the widget that sends them (``ResultsList.PaperHighlighted``);
these are the few sent by the app itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class LibraryUpdated(Message):
    """An ingest committed while the app was open (``library.generation()`` moved on)."""

    generation: int


@dataclass
class BookmarksChanged(Message):
    """A bookmark was added, removed, tagged or annotated: views showing bookmarks redraw."""

    paper_id: str | None = None
