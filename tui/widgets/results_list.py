"""The results list: one row per paper, virtualised over every matching id.

The list holds only ``result.ids`` (cheap strings) and draws with the Line API. For rows on
screen whose papers it does not have yet it asks for them a page at a time (``RowsWanted``), draws
them as "…" meanwhile, and the screen hands the papers back (``add_papers``) once read off the
event loop. So 100k results cost one list of ids and a few page fetches, never a widget per paper,
and scrolling never waits on SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from search.models import Paper
from search.tex2text import display_text
from tui.widgets.highlight import excerpt, highlight, literal, spans_text

#: Papers fetched per loader call; a screenful is ~30 rows.
PAGE = 64
#: Cells for the first author (or the author count) at the end of each row.
AUTHOR_COLUMN = 18


class ResultsList(ScrollView, can_focus=True):
    """Matching papers, one (or two, with a snippet line) terminal rows each."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    COMPONENT_CLASSES = {
        "results-list--cursor",
        "results-list--mark",
        "results-list--date",
        "results-list--upvotes",
        "results-list--author",
        "results-list--snippet",
        "results-list--match",
    }

    DEFAULT_CSS = """
    ResultsList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    ResultsList > .results-list--cursor { background: $primary 30%; }
    ResultsList:focus > .results-list--cursor { background: $primary 60%; text-style: bold; }
    ResultsList > .results-list--mark { color: $warning; }
    ResultsList > .results-list--date { color: $text-muted; }
    ResultsList > .results-list--upvotes { color: $success; }
    ResultsList > .results-list--author { color: $text-muted; }
    ResultsList > .results-list--snippet { color: $text-muted; }
    ResultsList > .results-list--match { color: $accent; text-style: bold; }
    """

    @dataclass
    class PaperHighlighted(Message):
        """The cursor moved onto a paper (None when the list became empty)."""

        paper_id: str | None

    @dataclass
    class RowsWanted(Message):
        """Rows are on screen whose papers the list does not have: read them (``add_papers``)."""

        paper_ids: tuple[str, ...]

    @dataclass
    class PaperSelected(Message):
        """Enter was pressed on a paper."""

        paper_id: str

    #: Index of the highlighted row.
    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    #: Show a second row per paper with the matched words in context.
    two_line: reactive[bool] = reactive(False, init=False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._ids: Sequence[str] = ()
        self._papers: dict[str, Paper] = {}
        self._asked: set[int] = set()  # pages (by first row) asked for since the last show()
        self._gone: set[str] = set()  # asked for, and not in the library any more
        self._snippets: Mapping[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
        self._terms: tuple[str, ...] = ()
        self._bookmarked: frozenset[str] = frozenset()
        self._base_style: Style | None = None  # set while render_lines runs

    # -- attributes down ------------------------------------------------------------------------

    def show(
        self,
        ids: Sequence[str],
        *,
        terms: Sequence[str] = (),
        papers: Sequence[Paper] = (),
        snippets: Mapping[str, tuple[str, tuple[tuple[int, int], ...]]] | None = None,
        keep: str | None = None,
    ) -> None:
        """Show a new result: every id in order, plus any papers already loaded with it.

        ``keep`` keeps the cursor on that paper if it is still in the result (a refresh), else
        the cursor goes to the top.
        """
        self._ids = ids
        self._papers = {p.id: p for p in papers}
        self._asked = set()
        self._gone = set()
        self._snippets = snippets or {}
        self._terms = tuple(terms)
        index = 0
        if keep is not None:
            try:
                index = ids.index(keep)
            except ValueError:
                index = 0
        self._update_virtual_size()
        self.set_reactive(ResultsList.cursor, index)
        self.scroll_to(y=max(0, index * self._row_height - 2), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.PaperHighlighted(self.highlighted_id))

    def add_papers(self, paper_ids: Sequence[str], papers: Sequence[Paper]) -> None:
        """The papers a ``RowsWanted`` asked for; ids without a paper have left the library."""
        found = {p.id: p for p in papers}
        self._papers.update(found)
        self._gone.update(i for i in paper_ids if i not in found)
        self.refresh()

    def set_bookmarked(self, ids: frozenset[str]) -> None:
        """Which papers get the bookmark mark."""
        self._bookmarked = ids
        self.refresh()

    @property
    def highlighted_id(self) -> str | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    @property
    def row_count(self) -> int:
        return len(self._ids)

    def row_text(self, index: int) -> str:
        """The plain text of row ``index`` as drawn at the current width (for tests and tools)."""
        width = max(self.scrollable_content_region.width, 40)
        return self._row(index, width).plain

    # -- drawing --------------------------------------------------------------------------------

    @property
    def _row_height(self) -> int:
        return 2 if self.two_line else 1

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._ids) * self._row_height)

    def on_resize(self) -> None:
        self._update_virtual_size()

    def watch_two_line(self) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()
        self.refresh()

    def _paper(self, index: int) -> Paper | None:
        paper_id = self._ids[index]
        paper = self._papers.get(paper_id)
        if paper is None and paper_id not in self._gone:
            # Ask for the whole page around this row: one SQLite query per screenful.
            start = index - index % PAGE
            if start not in self._asked:
                self._asked.add(start)
                wanted = self._ids[start : start + PAGE]
                self.post_message(
                    self.RowsWanted(tuple(i for i in wanted if i not in self._papers))
                )
        return paper

    def render_lines(self, crop: Region) -> list[Strip]:
        # rich_style walks every ancestor's styles (~0.1 ms a call, a quarter of a row's cost);
        # it is the same for each line of one pass, so a new result's repaint asks once.
        self._base_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base_style = None

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.scrollable_content_region.width
        index, sub = divmod(y + scroll_y, self._row_height)
        base = self._base_style or self.rich_style
        if index >= len(self._ids):
            return Strip.blank(width, base)
        text = self._row(index, width) if sub == 0 else self._snippet(index, width)
        if index == self.cursor:
            text.stylize_before(self.get_component_rich_style("results-list--cursor"))
            text.pad_right(max(0, width - text.cell_len))
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(Segment.apply_style(segments, base), text.cell_len)
        return strip.adjust_cell_length(width, base)

    def _row(self, index: int, width: int) -> Text:
        paper = self._paper(index)
        style = self.get_component_rich_style
        if paper is None:
            if self._ids[index] not in self._gone:
                return Text("  …", style="dim")  # being read
            return Text(f"  {self._ids[index]} (no longer in the library)", style="dim")
        mark = "★ " if paper.id in self._bookmarked else "  "
        date = paper.published.isoformat() if paper.published else " " * 10
        upvotes = f"{paper.upvotes:>5}▲" if paper.upvotes is not None else " " * 6
        left = Text.assemble(
            (mark, style("results-list--mark")),
            (date, style("results-list--date")),
            (upvotes, style("results-list--upvotes")),
            "  ",
        )
        # A fixed author column keeps the titles' ends and the authors lined up; with a snippet
        # line the author leads that line instead, leaving the title the whole width.
        author_width = AUTHOR_COLUMN if width >= 60 and not self.two_line else 0
        title_width = max(8, width - left.cell_len - (author_width + 2 if author_width else 0))
        title = literal(display_text(paper.title))
        highlight(title, self._terms, style("results-list--match"), "title")
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row = left + title
        if author_width:
            label = literal(_author_label(paper), style("results-list--author"))
            label.truncate(author_width, overflow="ellipsis")
            row.append("  ")
            row.append_text(label)
        row.truncate(width, overflow="ellipsis")
        return row

    def _snippet(self, index: int, width: int) -> Text:
        paper = self._paper(index)
        indent = 20 if width >= 80 else 4
        if paper is None:
            return Text("")
        match_style = self.get_component_rich_style("results-list--match")
        found = self._snippets.get(paper.id)
        if found and found[0] and display_text(found[0]) == found[0]:
            text = spans_text(found[0], found[1], match_style)
        else:
            # TeX is shown as text; its spans no longer line up, so the words are found again.
            raw = found[0] if found and found[0] else excerpt(paper.abstract, self._terms, width)
            text = literal(display_text(raw))
            highlight(text, self._terms, match_style, "abstract")
        author = _author_label(paper)
        lead = Text(" " * indent)
        if author:
            label = literal(author, self.get_component_rich_style("results-list--author"))
            label.truncate(AUTHOR_COLUMN, overflow="ellipsis")
            lead.append_text(label)
            lead.append(" · ")
        text = lead + text
        text.stylize_before(self.get_component_rich_style("results-list--snippet"))
        text.truncate(width, overflow="ellipsis")
        return text

    # -- moving ---------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()  # a scroll repaints everything by itself
        # Otherwise only the two rows whose look changed need drawing again.
        h = self._row_height
        for index in (old, new):
            self.refresh_lines(index * h, h)
        self.post_message(self.PaperHighlighted(self.highlighted_id))

    def _scroll_cursor_into_view(self) -> None:
        h = self._row_height
        self.scroll_to_region(
            Region(0, self.cursor * h, max(1, self.size.width), h), animate=False, immediate=True
        )

    def _move_to(self, index: int) -> None:
        if self._ids:
            self.cursor = max(0, min(len(self._ids) - 1, index))

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._ids) - 1)

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(1, self.size.height // self._row_height - 1))

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(1, self.size.height // self._row_height - 1))

    def on_focus(self) -> None:
        # Coming back to the list makes its highlighted paper the current one again.
        self.post_message(self.PaperHighlighted(self.highlighted_id))

    def action_select(self) -> None:
        if self.highlighted_id is not None:
            self.post_message(self.PaperSelected(self.highlighted_id))

    def on_click(self, event: events.Click) -> None:
        # A click selects a row; a click on the selected row opens it.
        index = (event.y + self.scroll_offset.y) // self._row_height
        if 0 <= index < len(self._ids):
            if index == self.cursor:
                self.action_select()
            self.cursor = index


def _author_label(paper: Paper) -> str:
    count = paper.author_count or 0
    if paper.first_author:
        return paper.first_author + (f" +{count - 1}" if count > 1 else "")
    if count:
        return f"{count} authors"
    return ""
