"""The ``?`` help screen: every key, built from the bindings themselves so it cannot go stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from paperbrowse.search.query_fields import help_lines
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: Keys that are Textual's own, not bindings of ours, that the help should still mention.
TEXTUAL_KEYS = (
    ("Tab / Shift+Tab", "Cycle between panes"),
    ("ctrl+p", "Command palette: every action by name"),
)

#: How a key is written in the help (Textual's names for the others are read as they are).
KEY_NAMES = {
    "down": "↓",
    "up": "↑",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}

#: Cells of the key column, the same in every section so that they line up.
KEY_CELLS = 15

#: A titled group of bindings (where they act).
Section = tuple[str, Sequence[Binding]]


def key_label(binding: Binding) -> str:
    """Every key of ``binding`` as the help shows it: ``down,j`` is ``↓ j``."""
    return " ".join(KEY_NAMES.get(key, key) for key in binding.key.split(","))


def key_table(sections: Iterable[Section]) -> Group:
    """Key and description of every binding that has a description, section by section."""
    parts: list[RenderableType] = []
    for number, (title, bindings) in enumerate(sections):
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=KEY_CELLS)
        table.add_column()
        if number == 0:
            for key, description in TEXTUAL_KEYS:
                table.add_row(key, description)
        for binding in bindings:
            if binding.description:
                description = binding.tooltip or binding.description
                table.add_row(Text(key_label(binding)), Text(description))
        parts += [Text(title, style="bold underline"), table, Text("")]
    return Group(*parts[:-1])


def query_table() -> Table:
    """The query syntax and fields: the same table the README and ``search --help`` show."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=KEY_CELLS)
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
    HelpScreen #help-query-title { text-style: bold underline; margin-top: 1; }
    HelpScreen #help-foot { margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", show=False),
    ]

    def __init__(self, sections: Iterable[Section]) -> None:
        super().__init__()
        self._sections = list(sections)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("paperbrowse keys", id="help-title")
            yield Static(key_table(self._sections), id="help-keys")
            yield Static("Searching", id="help-query-title")
            yield Static(query_table(), id="help-query")
            yield Static(Text("Escape closes this help.", style="dim"), id="help-foot")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
