"""Where `e` writes the bookmarks, and in which form: asked, never assumed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for: the file, the format (search.cite.FORMATS), and for BibTeX
    whether to keep UTF-8 (biber) or write LaTeX."""

    path: Path
    unicode: bool = False
    fmt: str = "bibtex"


#: The dialog's choices: button id -> (label, format, unicode).
CHOICES = {
    "latex": ("BibTeX, LaTeX (pdflatex + bibtex)", "bibtex", False),
    "utf8": ("BibTeX, UTF-8 (biblatex + biber)", "bibtex", True),
    "ris": ("RIS (Zotero, Mendeley, EndNote)", "ris", False),
    "csl": ("CSL-JSON (Pandoc, citeproc)", "csl-json", False),
}


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Ask for the file (prefilled with ``default``) and the format; Enter exports, Escape
    cancels (None)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 76; max-width: 100%; height: auto;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    ExportScreen .export-title { text-style: bold; margin-bottom: 1; }
    ExportScreen RadioSet { width: 1fr; margin-bottom: 1; }
    ExportScreen .export-help { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False, priority=True)]

    def __init__(self, count: int, default: Path) -> None:
        super().__init__()
        self._count = count
        self._default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            noun = f"{self._count} bookmark{'s' if self._count != 1 else ''}"
            yield Static(Text(f"Export {noun}"), classes="export-title")
            yield Label("File")
            yield Input(str(self._default), id="export-path")
            yield Label("Format")
            with RadioSet(id="export-format"):
                for number, (button, (label, _, _)) in enumerate(CHOICES.items()):
                    yield RadioButton(label, value=number == 0, id=button)
            yield Static(
                Text("Enter exports (an existing file is replaced) · Escape cancels"),
                classes="export-help",
            )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#export-path", Input))

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            return
        pressed = self.query_one(RadioSet).pressed_button
        _, fmt, utf8 = CHOICES[pressed.id if pressed and pressed.id else "latex"]
        self.dismiss(ExportRequest(Path(value).expanduser(), unicode=utf8, fmt=fmt))

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        # The file's ending follows the format while it is one of ours (a name the user typed
        # with another ending is theirs to keep).
        from paperbrowse.search.cite import FORMATS

        field = self.query_one("#export-path", Input)
        path = Path(field.value)
        _, fmt, _ = CHOICES[event.pressed.id or "latex"]
        if path.suffix in FORMATS.values():
            field.value = str(path.with_suffix(FORMATS[fmt]))

    def action_cancel(self) -> None:
        self.dismiss(None)
