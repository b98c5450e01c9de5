"""The bookmarks pane: bookmarked papers with their tags and notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.widgets.highlight import literal

if TYPE_CHECKING:
    from search.bookmarks import Bookmark


class BookmarksPane(Vertical):
    """A list of bookmarks, newest first; Enter (or a click) opens one in the detail pane."""

    DEFAULT_CSS = """
    BookmarksPane #bookmarks-title { padding: 0 1; color: $text-muted; text-style: bold; }
    BookmarksPane OptionList { height: 1fr; border: none; }
    """

    @dataclass
    class PaperOpened(Message):
        """A bookmark was chosen: show its paper."""

        paper_id: str

    @dataclass
    class PaperHighlighted(Message):
        """The cursor moved onto a bookmark."""

        paper_id: str

    def compose(self) -> ComposeResult:
        yield Label("Bookmarks", id="bookmarks-title")
        yield OptionList(id="bookmark-list")

    def show(self, bookmarks: Sequence[Bookmark], current: str | None = None) -> None:
        """List ``bookmarks`` (newest first, as the store gives them).

        The cursor goes to ``current`` (the screen's current paper) if it is listed, else it
        stays where it was (none, if the user is in the list). Either way no highlight message
        is posted: placing the cursor is not the user moving it (the pane may be hidden, and an
        old bookmark under the cursor must never become the paper the keys act on).
        """
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.query_one("#bookmarks-title", Label).update(f"Bookmarks ({len(bookmarks)})")
        if not bookmarks:
            options.add_option(
                Option(Text("No bookmarks yet: press b on a paper.", style="dim"), disabled=True)
            )
            return
        for number, bookmark in enumerate(bookmarks):
            if number:
                options.add_option(None)  # a separator line between (wrapped) entries
            options.add_option(Option(bookmark_label(bookmark), id=bookmark.id))
        ids = [b.id for b in bookmarks]
        with options.prevent(OptionList.OptionHighlighted):
            if current in ids:
                options.highlighted = options.get_option_index(current)
            elif self.has_focus_within:
                # The user is in the list and its current bookmark is gone (b removed it): no
                # cursor rather than one on a neighbour the keys would not act on.
                options.highlighted = None
            elif highlighted is not None:
                options.highlighted = min(highlighted, options.option_count - 1)

    @property
    def options(self) -> OptionList:
        """The list of bookmarks (the screen focuses it)."""
        return self.query_one(OptionList)

    def on_descendant_focus(self) -> None:
        # Coming back to the list makes its highlighted bookmark the current paper again.
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.post_message(self.PaperHighlighted(option.id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.PaperOpened(event.option.id))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.PaperHighlighted(event.option.id))


def bookmark_label(bookmark: Bookmark) -> Text:
    """Title, then a dim line of tags and note (all literal text)."""
    label = Text()
    if bookmark.read:
        label.append("✓ ", style="green")
    label.append_text(literal(bookmark.paper.title, "bold"))
    extra = Text()
    if bookmark.tags:
        extra.append_text(Text(" ").join(literal("#" + t, "magenta") for t in bookmark.tags))
    if bookmark.note:
        if extra:
            extra.append("  ")
        extra.append_text(literal(bookmark.note, "italic"))
    if extra:
        label.append("\n")
        label.append_text(extra)
    return label
