"""The filters pane: date range, featured-day range, minimum upvotes, year and source facets,
code, bookmarks, tag."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from search.datearg import parse_date_arg
from tui.widgets.highlight import literal

KIND_LABELS = {
    "hf-text": "HF page text",
    "hf-json": "HF API JSON",
    "arxiv-jsonl": "arXiv snapshot",
    "arxiv-atom": "arXiv Atom",
}


@dataclass(frozen=True)
class FilterChoice:
    """What the user picked in the pane; the screen turns it into ``search.models.Filters``."""

    since: date | None = None
    until: date | None = None
    min_upvotes: int | None = None
    years: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()
    has_code: bool = False
    bookmarked_only: bool = False
    tag: str | None = None
    #: The days Hugging Face featured the paper on (apart from the arXiv date above).
    featured_since: date | None = None
    featured_until: date | None = None
    #: Fields the user typed that could not be read (shown as invalid, otherwise ignored).
    invalid: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        return self != FilterChoice()

    def describe(self) -> str:
        """A short summary for the status line: ``2024–2025 · ≥10▲ · code``."""
        parts: list[str] = []
        if self.since or self.until:
            since = self.since.isoformat() if self.since else "…"
            until = self.until.isoformat() if self.until else "…"
            parts.append(f"{since}–{until}")
        if self.featured_since or self.featured_until:
            since = self.featured_since.isoformat() if self.featured_since else "…"
            until = self.featured_until.isoformat() if self.featured_until else "…"
            parts.append(f"featured {since}–{until}")
        if self.min_upvotes:
            parts.append(f"≥{self.min_upvotes}▲")
        if self.years:
            parts.append(" ".join(str(y) for y in sorted(self.years)))
        if self.kinds:
            parts.append(" ".join(sorted(self.kinds)))
        if self.has_code:
            parts.append("code")
        if self.bookmarked_only:
            parts.append("bookmarked")
        if self.tag:
            parts.append("#" + self.tag)
        return " · ".join(parts)


def parse_date(text: str) -> date | None:
    """``2024``, ``2024-05`` or ``2024-05-17`` → a date (the first day of the year/month)."""
    text = text.strip()
    if not text:
        return None
    parts = text.split("-")
    numbers = [int(p) for p in parts]  # ValueError for junk: the caller marks the field invalid
    if len(numbers) > 3:
        raise ValueError(text)
    return date(*(numbers + [1, 1][: 3 - len(numbers)]))


class FiltersPane(VerticalScroll):
    """Widgets for each filter; posts ``Changed`` with a ``FilterChoice`` whenever one changes."""

    DEFAULT_CSS = """
    FiltersPane { padding: 0 1; }
    FiltersPane Label { margin-top: 1; color: $text-muted; text-style: bold; }
    FiltersPane Input { width: 1fr; margin-bottom: 1; }
    FiltersPane Input.-invalid { color: $error; text-style: bold; }
    FiltersPane SelectionList { height: auto; max-height: 8; border: none; padding: 0; }
    FiltersPane Checkbox { border: none; padding: 0; margin-top: 1; }
    FiltersPane #hint { color: $text-muted; margin-top: 1; }
    """

    @dataclass
    class Changed(Message):
        """The user changed a filter."""

        choice: FilterChoice

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._choice = FilterChoice()

    def compose(self) -> ComposeResult:
        yield Label("Published from / to")
        yield Input(placeholder="from YYYY[-MM[-DD]]", id="since", compact=True)
        yield Input(placeholder="to   YYYY[-MM[-DD]]", id="until", compact=True)
        yield Label("Featured on HF from / to")
        yield Input(placeholder="from YYYY[-MM[-DD]]", id="featured-since", compact=True)
        yield Input(placeholder="to   YYYY[-MM[-DD]]", id="featured-until", compact=True)
        yield Label("Minimum upvotes")
        yield Input(placeholder="e.g. 10", id="min-upvotes", type="integer", compact=True)
        yield Label("Year")
        yield SelectionList[int](id="years")
        yield Label("Source")
        yield SelectionList[str](id="kinds")
        yield Checkbox("Has a code link", id="has-code")
        yield Checkbox("Bookmarked only", id="bookmarked-only")
        yield Label("Tag")
        yield Select[str]([], prompt="any tag", id="tag", compact=True)
        yield Static("Tab moves between fields · x clears all · f hides", id="hint")

    @property
    def choice(self) -> FilterChoice:
        return self._choice

    # -- attributes down ------------------------------------------------------------------------

    def set_facets(self, facets: dict[str, dict[str, int]]) -> None:
        """Show the year and source counts for the current query, keeping what is selected."""
        years = self.query_one("#years", SelectionList)
        year_counts = {int(y): n for y, n in facets.get("year", {}).items() if str(y).isdigit()}
        for year in self._choice.years:
            year_counts.setdefault(year, 0)
        _refill(
            years,
            [
                Selection(Text(f"{y}  ({n})"), y, y in self._choice.years)
                for y, n in sorted(year_counts.items(), reverse=True)
            ],
        )
        kinds = self.query_one("#kinds", SelectionList)
        kind_counts = dict(facets.get("kind", {}))
        for kind in self._choice.kinds:
            kind_counts.setdefault(kind, 0)
        _refill(
            kinds,
            [
                Selection(Text(f"{KIND_LABELS.get(k, k)}  ({n})"), k, k in self._choice.kinds)
                for k, n in sorted(kind_counts.items())
            ],
        )

    def set_tags(self, tags: dict[str, int]) -> None:
        """Offer the bookmark tags (with counts) in the tag selector."""
        select = self.query_one("#tag", Select)
        current = self._choice.tag
        # Tags are the user's own text: Text keeps "[x]" in a tag from being read as markup.
        options = [(literal(f"#{t} ({n})"), t) for t, n in sorted(tags.items())]
        if current and current not in tags:
            options.append((literal(f"#{current} (0)"), current))
        with self.prevent(Select.Changed):
            select.set_options(options)
            if current:
                select.value = current

    def clear(self) -> None:
        """Reset every filter (posts one ``Changed``)."""
        with self.prevent(Input.Changed, Checkbox.Changed, Select.Changed):
            for input_id in _TEXT_FIELDS:
                widget = self.query_one(input_id, Input)
                widget.value = ""
                widget.remove_class("-invalid")
            self.query_one("#has-code", Checkbox).value = False
            self.query_one("#bookmarked-only", Checkbox).value = False
            self.query_one("#tag", Select).clear()
        with self.prevent(SelectionList.SelectedChanged):
            self.query_one("#years", SelectionList).deselect_all()
            self.query_one("#kinds", SelectionList).deselect_all()
        self._choice = FilterChoice()
        self.post_message(self.Changed(self._choice))

    def set_featured(self, first: date | None, last: date | None) -> None:
        """Put a featured-day range in its fields (``T``, the top of a week or month; None,
        None clears them); posts ``Changed`` when the choice changes."""
        with self.prevent(Input.Changed):
            for name, day in (("featured-since", first), ("featured-until", last)):
                widget = self.query_one(f"#{name}", Input)
                widget.value = day.isoformat() if day else ""
                widget.remove_class("-invalid")
        choice = self._read()
        if choice != self._choice:
            self._choice = choice
            self.post_message(self.Changed(choice))

    # -- messages up ----------------------------------------------------------------------------

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _something_changed(self, event: Message) -> None:
        event.stop()
        choice = self._read()
        if choice != self._choice:
            self._choice = choice
            self.post_message(self.Changed(choice))

    def _read(self) -> FilterChoice:
        invalid: list[str] = []
        dates: dict[str, date | None] = {}
        for name in ("since", "until", "featured-since", "featured-until"):
            widget = self.query_one(f"#{name}", Input)
            try:
                dates[name] = _parse(name, widget.value)
                widget.remove_class("-invalid")
            except ValueError:
                dates[name] = None
                widget.add_class("-invalid")
                invalid.append(name)
        upvotes_input = self.query_one("#min-upvotes", Input)
        try:
            min_upvotes = int(upvotes_input.value) if upvotes_input.value.strip() else None
            upvotes_input.remove_class("-invalid")
        except ValueError:
            min_upvotes = None
            upvotes_input.add_class("-invalid")
            invalid.append("min-upvotes")
        tag_value = self.query_one("#tag", Select).value
        return FilterChoice(
            since=dates["since"],
            until=dates["until"],
            min_upvotes=min_upvotes,
            years=frozenset(self.query_one("#years", SelectionList).selected),
            kinds=frozenset(self.query_one("#kinds", SelectionList).selected),
            has_code=self.query_one("#has-code", Checkbox).value,
            bookmarked_only=self.query_one("#bookmarked-only", Checkbox).value,
            tag=tag_value if isinstance(tag_value, str) else None,
            featured_since=dates["featured-since"],
            featured_until=dates["featured-until"],
            invalid=tuple(invalid),
        )


#: The pane's text fields, cleared by ``x``.
_TEXT_FIELDS = ("#since", "#until", "#featured-since", "#featured-until", "#min-upvotes")


def _parse(name: str, text: str) -> date | None:
    """A date field's value. The featured-day fields read as the command line's options do
    (``2025-01`` in "to" is up to 2025-01-31); the published-date fields keep their parser."""
    if not name.startswith("featured-"):
        return parse_date(text)
    if not text.strip():
        return None
    return parse_date_arg(text, end=name == "featured-until")


def _refill(widget: SelectionList, selections: list[Selection]) -> None:
    """Replace a selection list's options without losing the highlighted row."""
    highlighted = widget.highlighted
    with widget.prevent(SelectionList.SelectedChanged):
        widget.clear_options()
        widget.add_options(selections)
    if highlighted is not None and selections:
        widget.highlighted = min(highlighted, len(selections) - 1)
