"""A text to read, select and save: a BibTeX entry, a link no browser could open."""

from __future__ import annotations

from pathlib import Path

from paperbrowse.tui.widgets.highlight import literal
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea


class TextScreen(ModalScreen[Path | None]):
    """Show ``text`` in a read-only editor to select from; with ``save_to``, an editable path
    that Enter (or ctrl+s) returns, for the caller to write the text there. Escape: None."""

    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    TextScreen .text-title { text-style: bold; margin-bottom: 1; }
    TextScreen TextArea { height: auto; max-height: 16; }
    TextScreen .text-help { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
        Binding("escape", "close", "Close", show=False, priority=True),
    ]

    def __init__(self, title: str, text: str, *, save_to: Path | None = None) -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._save_to = save_to

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), classes="text-title")
            yield TextArea(self._text, read_only=True, soft_wrap=True, id="text-body")
            help_text = "Select with the mouse (Shift+drag for the terminal's own selection)"
            if self._save_to is not None:
                yield Label("Save to")
                yield Input(str(self._save_to), id="save-path")
                help_text += " · Enter saves to this file"
            yield Static(Text(help_text + " · Escape closes"), classes="text-help")

    def on_mount(self) -> None:
        if self._save_to is not None:
            self.set_focus(self.query_one("#save-path", Input))

    @on(Input.Submitted, "#save-path")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self._save_to is None:
            return
        value = self.query_one("#save-path", Input).value.strip()
        if value:
            self.dismiss(Path(value).expanduser())

    def action_close(self) -> None:
        self.dismiss(None)
