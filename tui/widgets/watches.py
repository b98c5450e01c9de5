"""The watch list (w): each saved search with its count of new unread papers; Enter opens one.

A modal screen given what to show (attributes down): the main screen reads the watches and
counts them on the reads lane before it opens this, and gets the chosen watch back from
``dismiss``. Nothing here reads the core.
"""

from __future__ import annotations

from dataclasses import dataclass

from paperbrowse.search.watches import Watch
from paperbrowse.tui.widgets.highlight import literal
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class WatchRow:
    watch: Watch
    #: New unread papers matching it; None when its query cannot be run (said as "?").
    new_unread: int | None


class WatchesScreen(ModalScreen[Watch | None]):
    """The saved searches; Enter runs one (the Watch), Escape or w closes (None)."""

    DEFAULT_CSS = """
    WatchesScreen { align: center middle; }
    WatchesScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    WatchesScreen #watches-title { text-style: bold; margin-bottom: 1; }
    WatchesScreen OptionList { height: auto; max-height: 20; border: none; }
    WatchesScreen .watches-help { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,w", "close", "Close", show=False),
    ]

    def __init__(self, rows: list[WatchRow], since: str) -> None:
        super().__init__()
        self.rows = rows
        self.since = since

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Watches · new unread {self.since}"), id="watches-title")
            if self.rows:
                # The queries in a column: each name padded to the longest.
                names = max(literal(r.watch.name).cell_len for r in self.rows)
                yield OptionList(*(self._option(i, r, names) for i, r in enumerate(self.rows)))
            else:
                yield Static(
                    Text('No watches yet. Save one with: paperbrowse watch add NAME "QUERY"'),
                    id="watches-empty",
                )
            yield Static(Text("Enter opens a watch · Escape closes"), classes="watches-help")

    @staticmethod
    def _option(index: int, row: WatchRow, names: int) -> Option:
        count = "?" if row.new_unread is None else str(row.new_unread)
        label = Text()
        label.append(f"{count:>4} new  ", style="bold" if row.new_unread else "dim")
        name = literal(row.watch.name)
        label.append_text(name)
        label.append(" " * (names - name.cell_len + 2))
        label.append_text(literal(row.watch.describe(), "dim"))
        return Option(label, id=str(index))

    def on_mount(self) -> None:
        if self.rows:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.rows[int(event.option.id or 0)].watch)

    def action_close(self) -> None:
        self.dismiss(None)
