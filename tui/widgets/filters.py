"""The filters pane: date range, featured-day range, minimum upvotes, year and source facets,
code, bookmarks, tag."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from paperbrowse.search.datearg import EXPECTED, parse_date_arg
from paperbrowse.search.models import Filters
from paperbrowse.tui.widgets.highlight import literal
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

KIND_LABELS = {
    "hf-text": "HF page text",
    "hf-json": "HF API JSON",
    "arxiv-jsonl": "arXiv snapshot",
    "arxiv-atom": "arXiv Atom",
}


@dataclass(frozen=True)
class FilterChoice(Filters):
    """What the user picked in the pane: the core's :class:`Filters` (dates, upvotes, years,
    kinds, code; inherited, so the two never drift apart) and the pane's own choices, which
    the screen turns into ``Filters.ids`` (see :meth:`to_filters`; the pane leaves ``ids``
    None)."""

    bookmarked_only: bool = False
    tag: str | None = None
    #: What is wrong with what the user typed, one line per field ("from: not a date: …").
    #: A field that cannot be read restricts nothing; the pane and the status line say so.
    problems: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self != FilterChoice()

    def to_filters(self, ids: frozenset[str] | None = None) -> Filters:
        """The core's Filters for this choice; ``ids`` are the papers the bookmark and tag
        choices allow (None: no such choice)."""
        core = {f.name: getattr(self, f.name) for f in fields(Filters) if f.name != "ids"}
        return Filters(**core, ids=ids)

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
        if self.problems:
            parts.append("⚠ " + ", ".join(p.split(":", 1)[0] for p in self.problems) + " not used")
        return " · ".join(parts)


def facet_filters(filters: Filters) -> dict[str, Filters]:
    """The filters each facet the pane shows is counted under: every active filter but the
    facet's own picks, so that a count says what ticking that value would give with the other
    choices (the year counts follow the dates, upvotes, sources, code and bookmark picks)."""
    return {
        "year": replace(filters, years=frozenset()),
        "kind": replace(filters, kinds=frozenset()),
    }


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
    FiltersPane #problems { color: $error; display: none; }
    FiltersPane.-problems #problems { display: block; }
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
        yield Static("", id="problems")
        # The day Hugging Face featured the paper, apart from its arXiv date (T fills these).
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
            self._show_problems(())
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
                self.query_one(f"#{name}", Input).value = day.isoformat() if day else ""
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
        problems: list[str] = []
        bad: set[str] = set()
        dates: dict[str, date | None] = {}
        # The CLI's parser: "to 2024" is through 2024-12-31, "24" is not the year 24.
        for name, label in _DATE_FIELDS:
            value = self.query_one(f"#{name}", Input).value
            dates[name] = None
            if value.strip():
                try:
                    dates[name] = parse_date_arg(value, end=name.endswith("until"))
                except ValueError as error:
                    # The placeholders show the expected forms: the narrow pane keeps the rest.
                    problems.append(f"{label}: " + str(error).replace(f" ({EXPECTED})", ""))
                    bad.add(name)
        since, until = dates["since"], dates["until"]
        if since and until and since > until:
            problems.append(f"from–to: {since.isoformat()} is after {until.isoformat()}")
            bad |= {"since", "until"}
            since = until = None  # an empty range is a typo, not a wish to see nothing
        featured_since, featured_until = dates["featured-since"], dates["featured-until"]
        if featured_since and featured_until and featured_since > featured_until:
            problems.append(
                f"featured from–to: {featured_since.isoformat()} is after "
                f"{featured_until.isoformat()}"
            )
            bad |= {"featured-since", "featured-until"}
            featured_since = featured_until = None
        upvotes = self.query_one("#min-upvotes", Input).value.strip()
        min_upvotes = None
        if upvotes:
            try:
                min_upvotes = int(upvotes)
            except ValueError:
                problems.append(f"minimum upvotes: not a whole number: {upvotes!r}")
                bad.add("min-upvotes")
        for input_id in _TEXT_FIELDS:
            self.query_one(input_id, Input).set_class(input_id[1:] in bad, "-invalid")
        self._show_problems(problems)
        tag_value = self.query_one("#tag", Select).value
        return FilterChoice(
            since=since,
            until=until,
            min_upvotes=min_upvotes,
            years=frozenset(self.query_one("#years", SelectionList).selected),
            kinds=frozenset(self.query_one("#kinds", SelectionList).selected),
            has_code=self.query_one("#has-code", Checkbox).value,
            bookmarked_only=self.query_one("#bookmarked-only", Checkbox).value,
            tag=tag_value if isinstance(tag_value, str) else None,
            featured_since=featured_since,
            featured_until=featured_until,
            problems=tuple(problems),
        )

    def _show_problems(self, problems: list[str] | tuple[str, ...]) -> None:
        """Say under the date fields what could not be read, and that it is not used."""
        self.set_class(bool(problems), "-problems")
        text = Text()
        for problem in problems:
            text.append(f"⚠ {problem} — not used\n")
        self.query_one("#problems", Static).update(text)


#: The date fields, by id, and how a problem with each is named.
_DATE_FIELDS = (
    ("since", "from"),
    ("until", "to"),
    ("featured-since", "featured from"),
    ("featured-until", "featured to"),
)
#: The pane's text fields, cleared by ``x``.
_TEXT_FIELDS = ("#since", "#until", "#featured-since", "#featured-until", "#min-upvotes")


def _refill(widget: SelectionList, selections: list[Selection]) -> None:
    """Replace a selection list's options without losing the highlighted row."""
    highlighted = widget.highlighted
    with widget.prevent(SelectionList.SelectedChanged):
        widget.clear_options()
        widget.add_options(selections)
    if highlighted is not None and selections:
        widget.highlighted = min(highlighted, len(selections) - 1)
