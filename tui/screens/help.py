"""The ``?`` help screen: every key.

The screen's and the app's keys are listed from their bindings themselves. Keys that widgets
handle (moving in the results) and Textual's own (focus, the palette) are a short list kept by
hand below, with the binding keys each row stands for: tests/test_help_keys.py checks it
against the results list's bindings, so neither can change without the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: Keys handled inside widgets (not screen bindings) that the help should still mention:
#: (shown keys, description, the ResultsList binding keys the row stands for; "" for keys
#: Textual itself handles).
MOVEMENT = (
    ("j / k, ↓ / ↑", "Move in the results", "j,k,down,up"),
    ("g / G", "First / last result", "g,G,home,end"),
    ("PgUp / PgDn", "Page through the results", "pageup,pagedown"),
    ("Enter", "In search: go to the results · in results: open the paper", "enter"),
    ("Tab / Shift+Tab", "Cycle between panes", ""),
    ("ctrl+p", "Command palette: every action by name", ""),
)


def key_table(bindings: Iterable[Binding]) -> Table:
    """A two-column table of key and description for the bindings that have a description."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, description, _ in MOVEMENT:
        table.add_row(key, description)
    for binding in bindings:
        if binding.description:
            key = binding.key_display or binding.key.split(",")[0]
            key = {"escape": "Esc"}.get(key, key)
            table.add_row(Text(key), Text(binding.tooltip or binding.description))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal listing every key; Escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", show=False),
    ]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self._help_bindings = list(bindings)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("paperbrowse keys", id="help-title")
            yield Static(key_table(self._help_bindings), id="help-keys")
            yield Static(
                Text(
                    "Queries: words match titles, abstracts and authors; "
                    '"quoted phrases", AND / OR / NOT, prefix*, and fields such as '
                    "title:word or authors:name.\nEscape closes this help.",
                    style="dim",
                ),
                id="help-foot",
            )

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
