"""The ``?`` help screen: every key, built from the bindings themselves so it cannot go stale."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from search.query_fields import help_lines

#: Keys handled inside widgets (not screen bindings) that the help should still mention.
MOVEMENT = (
    ("j / k, ↓ / ↑", "Move in the results"),
    ("g / G", "First / last result"),
    ("PgUp / PgDn", "Page through the results"),
    ("Enter", "In search: go to the results · in results: open the paper"),
    ("Tab / Shift+Tab", "Cycle between panes"),
    ("ctrl+p", "Command palette: every action by name"),
)


def key_table(bindings: Iterable[Binding]) -> Table:
    """A two-column table of key and description for the bindings that have a description."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, description in MOVEMENT:
        table.add_row(key, description)
    for binding in bindings:
        if binding.description:
            key = binding.key_display or binding.key.split(",")[0]
            key = {"escape": "Esc"}.get(key, key)
            table.add_row(Text(key), Text(binding.tooltip or binding.description))
    return table


def query_table() -> Table:
    """The query syntax and fields: the same table the README and ``search --help`` show."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for example, meaning in help_lines():
        table.add_row(Text(example), Text(meaning))
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
    HelpScreen #help-query-title { text-style: bold; margin: 1 0; }
    HelpScreen #help-foot { margin-top: 1; }
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
            yield Static("Searching", id="help-query-title")
            yield Static(query_table(), id="help-query")
            yield Static(Text("Escape closes this help.", style="dim"), id="help-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
