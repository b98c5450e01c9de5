"""The search bar: the query input and the status line under it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static


class SearchBar(Vertical):
    """Query input on top, ``N results · M ms · sort · filters`` (or the query's problem) below."""

    DEFAULT_CSS = """
    SearchBar { height: auto; }
    SearchBar Input { border: tall $panel; }
    SearchBar Input:focus { border: tall $accent; }
    SearchBar #status { height: 1; padding: 0 1; color: $text-muted; }
    SearchBar.-error #status { color: $error; text-style: bold; }
    """

    BINDINGS = [Binding("escape", "leave", "Leave search", show=False)]

    @dataclass
    class QueryChanged(Message):
        """The text of the query changed (sent on every keystroke; the receiver debounces)."""

        query: str

    @dataclass
    class QuerySubmitted(Message):
        """Enter was pressed in the query."""

        query: str

    @dataclass
    class Left(Message):
        """Escape was pressed in the query: the user wants to go back to the results."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search titles, abstracts, authors…  (/ to focus)", id="query")
        yield Static("", id="status")

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    @property
    def input(self) -> Input:
        """The query input (the screen focuses it)."""
        return self.query_one(Input)

    def set_status(self, text: Text | str, *, error: bool = False) -> None:
        """Show the status line; ``error`` paints it as a problem with the query."""
        self.set_class(error, "-error")
        # The line is one row high whatever it says: no layout pass (which costs a whole-screen
        # reflow) for a text that changes with every query.
        status = self.query_one("#status", Static)
        status.update(Text(text) if isinstance(text, str) else text, layout=False)

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.QuerySubmitted(event.value))

    def action_leave(self) -> None:
        self.post_message(self.Left())
