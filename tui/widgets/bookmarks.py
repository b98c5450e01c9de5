"""The bookmarks pane: bookmarked papers with their tags and notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperbrowse.tui.widgets.highlight import literal, literal_lines, text_style
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from paperbrowse.search.bookmarks import Bookmark


class BookmarksPane(Vertical):
    """A list of bookmarks, newest first; Enter (or a click) opens one in the detail pane."""

    # The list's own keys (arrows, Home/End, PgUp/PgDn) plus the ones the results list has.
    BINDINGS = [
        Binding("j", "move('cursor_down')", "Down", show=False),
        Binding("k", "move('cursor_up')", "Up", show=False),
        Binding("g", "move('first')", "First", show=False),
        Binding("G", "move('last')", "Last", show=False),
        Binding("space", "move('page_down')", "Page down", show=False),
    ]

    #: Parts of an entry with a look of their own (theme variables, so a new theme restyles them).
    COMPONENT_CLASSES = {
        "bookmarks--read",
        "bookmarks--title",
        "bookmarks--tag",
        "bookmarks--note",
        "bookmarks--empty",
    }

    DEFAULT_CSS = """
    BookmarksPane #bookmarks-title { padding: 0 1; color: $text-muted; text-style: bold; }
    BookmarksPane OptionList { height: 1fr; border: none; }
    BookmarksPane > .bookmarks--read { color: $text-success; }
    BookmarksPane > .bookmarks--title { text-style: bold; }
    BookmarksPane > .bookmarks--tag { color: $text-accent; }
    BookmarksPane > .bookmarks--note { color: $text-muted; text-style: italic; }
    BookmarksPane > .bookmarks--empty { color: $text-muted; }
    """

    @dataclass
    class PaperOpened(Message):
        """A bookmark was chosen: show its paper."""

        paper_id: str

    @dataclass
    class PaperHighlighted(Message):
        """The cursor moved onto a bookmark."""

        paper_id: str

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._listed: dict[str, Bookmark] = {}  # by id, to draw the entries again on a new theme

    def compose(self) -> ComposeResult:
        yield Label("Bookmarks", id="bookmarks-title")
        yield OptionList(id="bookmark-list")

    def on_mount(self) -> None:
        # Published after the new theme's styles are in place (Textual's App._watch_theme).
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def styles_for_parts(self) -> dict[str, Style]:
        """The current theme's style of each part of an entry."""
        return {
            name.removeprefix("bookmarks--"): text_style(self, name)
            for name in self.COMPONENT_CLASSES
        }

    def _restyle(self) -> None:
        # Prompts replaced in place: the highlighted entry (and so the current paper) stays.
        options = self.query_one(OptionList)
        styles = self.styles_for_parts()
        with options.prevent(OptionList.OptionHighlighted):
            for bookmark_id, bookmark in self._listed.items():
                options.replace_option_prompt(bookmark_id, bookmark_label(bookmark, styles))

    def action_move(self, action: str) -> None:
        getattr(self.query_one(OptionList), f"action_{action}")()

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
        styles = self.styles_for_parts()
        self._listed = {bookmark.id: bookmark for bookmark in bookmarks}
        if not bookmarks:
            empty = Text("No bookmarks yet: press b on a paper.", style=styles["empty"])
            options.add_option(Option(empty, disabled=True))
            return
        for number, bookmark in enumerate(bookmarks):
            if number:
                options.add_option(None)  # a separator line between (wrapped) entries
            options.add_option(Option(bookmark_label(bookmark, styles), id=bookmark.id))
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


def bookmark_label(bookmark: Bookmark, styles: Mapping[str, Style]) -> Text:
    """Title, then a line of tags and the note with its own line breaks (all literal text),
    in ``styles`` (read, title, tag, note: see BookmarksPane.COMPONENT_CLASSES)."""
    label = Text()
    if bookmark.read:
        label.append("✓ ", style=styles["read"])
    label.append_text(literal(bookmark.paper.title, styles["title"]))
    extra = Text()
    if bookmark.tags:
        extra.append_text(Text(" ").join(literal("#" + t, styles["tag"]) for t in bookmark.tags))
    if bookmark.note:
        if extra:
            extra.append("  ")
        extra.append_text(literal_lines(bookmark.note, styles["note"]))
    if extra:
        label.append("\n")
        label.append_text(extra)
    return label
