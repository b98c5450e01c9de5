"""Small modal editors for a bookmark's tags and note."""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperbrowse.tui.widgets.highlight import literal
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

_EDITOR_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; max-width: 100%; height: auto;
    border: thick $accent; background: $surface; padding: 1 2;
}}
{name} .paper-title {{ text-style: bold; margin-bottom: 1; }}
{name} .editor-help {{ color: $text-muted; }}
"""


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed as words separated by spaces or commas; a leading ``#`` is dropped."""
    words = (w.strip().lstrip("#") for w in re.split(r"[\s,]+", text))
    return tuple(sorted({w for w in words if w}))


@dataclass(frozen=True)
class TagEdit:
    """What the tag editor asked for: tags to add and tags to remove (never "replace all")."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)


def parse_tag_edit(text: str) -> TagEdit:
    """``ml reading -draft``: add ml and reading, remove draft. Removing is always explicit, so
    typing a new tag never silently drops the ones a paper has."""
    words = re.split(r"[\s,]+", text)
    remove = parse_tags(" ".join(w.strip()[1:] for w in words if w.strip().startswith("-")))
    add = parse_tags(" ".join(w for w in words if not w.strip().startswith("-")))
    return TagEdit(add=tuple(t for t in add if t not in remove), remove=remove)


class TagsScreen(ModalScreen[TagEdit | None]):
    """Add tags to a paper or remove some; Enter saves (the TagEdit), Escape cancels (None)."""

    DEFAULT_CSS = _EDITOR_CSS.format(name="TagsScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, tags: tuple[str, ...]) -> None:
        super().__init__()
        self._title = title
        self._tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), classes="paper-title")
            now = Text("Tags now: ")
            if self._tags:
                now.append_text(Text(" ").join(literal("#" + t) for t in self._tags))
            else:
                now.append("none", style="dim")
            yield Static(now, id="tags-now")
            yield Label("Tags to add (space or comma separated; -tag removes one)")
            yield Input("", id="tags-input")
            yield Static(Text("Enter saves · Escape cancels"), classes="editor-help")

    @on(Input.Submitted, "#tags-input")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(parse_tag_edit(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    """Edit a paper's note; ctrl+s saves (returns the text), Escape cancels (None)."""

    DEFAULT_CSS = _EDITOR_CSS.format(name="NoteScreen") + "NoteScreen TextArea { height: 8; }"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
        Binding("escape", "cancel", "Cancel", show=False, priority=True),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title = title
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), classes="paper-title")
            yield Label("Note")
            yield TextArea(self._note, id="note-input", soft_wrap=True)
            yield Static(Text("ctrl+s saves · Escape cancels"), classes="editor-help")

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
