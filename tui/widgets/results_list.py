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

from paperbrowse.search.models import Paper
from paperbrowse.search.tex2text import display_text
from paperbrowse.tui.widgets.highlight import excerpt, highlight, literal, spans_text
from rich.cells import cell_len
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

#: Papers fetched per loader call; a screenful is ~30 rows.
PAGE = 64
#: Most cells for the first author (or the author count) at the end of each row.
AUTHOR_COLUMN = 18
#: Rows whose drawn text is kept (a few screenfuls); more and the whole cache starts again.
DRAWN_ROWS = 512


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
        # A paper the user has read: the whole row drawn dimmer.
        "results-list--read",
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
    ResultsList > .results-list--read { text-style: dim; }
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
        # Drawn rows by index, for the current width: a repaint (a scroll, a cursor move) draws
        # again only the rows it has not drawn yet. Made first: styling the widget while it is
        # built already clears it (notify_style_update).
        self._drawn: dict[int, tuple[Text, ...]] = {}
        self._strips: dict[tuple[int, int], Strip] = {}  # the lines of rows other than the cursor's
        super().__init__(**kwargs)
        self._ids: Sequence[str] = ()
        self._papers: dict[str, Paper] = {}
        self._asked: set[int] = set()  # pages (by first row) asked for since the last show()
        self._gone: set[str] = set()  # asked for, and not in the library any more
        self._snippets: Mapping[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
        self._terms: tuple[str, ...] = ()
        self._bookmarked: frozenset[str] = frozenset()
        self._read: frozenset[str] = frozenset()
        self._base_style: Style | None = None  # set while render_lines runs
        self._columns = _Columns()
        self._drawn_width = 0

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
        self._forget_layout()
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
        # Their rows were drawn as "…"; and a column may have appeared or grown for them
        # (_Columns), which every row drawn before must follow.
        self._columns.measure(found.values())
        self._forget_drawn()
        self.refresh()

    def set_bookmarked(self, ids: frozenset[str]) -> None:
        """Which papers get the bookmark mark."""
        self._bookmarked = ids
        self._forget_drawn()
        self.refresh()

    def set_read(self, ids: frozenset[str]) -> None:
        """Which papers the user has read (drawn dimmer); a set lookup per row drawn."""
        if ids == self._read:
            return
        self._read = ids
        self._forget_drawn()
        self.refresh()

    @property
    def highlighted_id(self) -> str | None:
        if 0 <= self.cursor < len(self._ids):
            return self._ids[self.cursor]
        return None

    @property
    def row_count(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> Sequence[str]:
        """The ids of every row, in order (the list shows them; it does not own them)."""
        return self._ids

    def row_text(self, index: int) -> str:
        """The plain text of row ``index`` as drawn at the current width (for tests and tools)."""
        width = max(self.scrollable_content_region.width, 40)
        return self._lines(index, width)[0].plain

    def row_lines(self, index: int) -> list[str]:
        """Every line of row ``index`` as drawn at the current width (one, or two)."""
        width = max(self.scrollable_content_region.width, 40)
        return [line.plain for line in self._lines(index, width)]

    def on_mount(self) -> None:
        # A new theme changes the component styles the rows were drawn in; the widget's own
        # rules may not change (so notify_style_update is not certain to come). Published after
        # the new styles are in place (Textual's App._watch_theme).
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def _restyle(self) -> None:
        self._forget_drawn()
        self.refresh()

    def notify_style_update(self) -> None:
        # A new theme (or any CSS change) restyles the component classes the rows were drawn in.
        self._forget_drawn()
        super().notify_style_update()

    # -- drawing --------------------------------------------------------------------------------

    @property
    def _row_height(self) -> int:
        return 2 if self.two_line else 1

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._ids) * self._row_height)

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._forget_drawn()

    def watch_two_line(self) -> None:
        self._update_virtual_size()
        self._forget_drawn()
        self._scroll_cursor_into_view()
        self.refresh()

    def _forget_layout(self) -> None:
        """A new result: the columns are measured again from its papers."""
        self._columns = _Columns()
        self._forget_drawn()
        self._columns.measure(self._papers.values())

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
        lines = self._lines(index, width)  # first: a new width forgets the strips too
        cursor = index == self.cursor
        if not cursor and (strip := self._strips.get((index, sub))) is not None:
            return strip
        text = lines[sub]
        if cursor:
            text = text.copy()
            text.stylize_before(self.get_component_rich_style("results-list--cursor"))
            text.pad_right(max(0, width - text.cell_len))
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(Segment.apply_style(segments, base), text.cell_len)
        strip = strip.adjust_cell_length(width, base)
        if not cursor:
            self._strips[(index, sub)] = strip
        return strip

    def _forget_drawn(self) -> None:
        self._drawn.clear()
        self._strips.clear()

    def _lines(self, index: int, width: int) -> tuple[Text, ...]:
        """Row ``index`` as one or two lines of text, kept while the layout stays the same."""
        if width != self._drawn_width:
            self._forget_drawn()
            self._drawn_width = width
        lines = self._drawn.get(index)
        if lines is None:
            if len(self._drawn) >= DRAWN_ROWS:
                self._forget_drawn()
            lines = self._draw(index, width)
            paper = self._paper(index)
            if paper is not None and paper.id in self._read:
                dim = self.get_component_rich_style("results-list--read")
                for line in lines:
                    line.stylize(dim)
            self._drawn[index] = lines
        return lines

    def _draw(self, index: int, width: int) -> tuple[Text, ...]:
        paper = self._paper(index)
        if paper is None:
            if self._ids[index] not in self._gone:
                waiting = Text("  …", style="dim")  # being read
            else:
                waiting = Text(f"  {self._ids[index]} (no longer in the library)", style="dim")
            return (waiting, Text("")) if self.two_line else (waiting,)
        style = self.get_component_rich_style
        columns = self._columns
        left = Text.assemble(
            (("★ " if paper.id in self._bookmarked else "  "), style("results-list--mark"))
        )
        if columns.date:
            date = paper.published.isoformat() if paper.published else ""
            left.append(f"{date:<10} ", style("results-list--date"))
        if columns.upvotes:
            upvotes = f"{paper.upvotes}▲" if paper.upvotes is not None else ""
            left.append(f"{upvotes:>{columns.upvotes}} ", style("results-list--upvotes"))
        left.append(" ")
        title = literal(display_text(paper.title))
        highlight(title, self._terms, style("results-list--match"), "title")
        author = literal(_author_label(paper), style("results-list--author"))
        if self.two_line:
            return self._two_lines(paper, left, title, author, width)
        # One line: a fixed author column keeps the titles' ends and the authors lined up.
        author_width = min(columns.author, AUTHOR_COLUMN) if width >= 60 else 0
        title_width = max(8, width - left.cell_len - (author_width + 2 if author_width else 0))
        title.truncate(title_width, overflow="ellipsis", pad=bool(author_width))
        row = left + title
        if author_width:
            author.truncate(author_width, overflow="ellipsis")
            row.append("  ")
            row.append_text(author)
        row.truncate(width, overflow="ellipsis")
        return (row,)

    def _two_lines(
        self, paper: Paper, left: Text, title: Text, author: Text, width: int
    ) -> tuple[Text, Text]:
        """The title across the whole first line, wrapping onto the second; then the author and
        the matched words in context (or the abstract's start) in what is left of it."""
        title_width = max(8, width - left.cell_len)
        first, rest = _split(title, title_width, self.app.console)
        # The second line starts under the title, unless the leading columns take a third of it.
        indent = left.cell_len if left.cell_len * 3 <= width else 2
        second = Text(" " * indent)
        if author:
            author.truncate(AUTHOR_COLUMN, overflow="ellipsis")
        if rest is not None:
            # The title's end before the author, leaving the author room to be read.
            room = max(8, width - indent - author.cell_len - 5)
            if rest.cell_len > room:
                rest.truncate(room - 1)
                rest.rstrip()  # "Matrix-based…", not "Matrix-based …"
                rest.append("…")
            second.append_text(rest)
            second.append("  ")
        second.append_text(author)
        room = width - second.cell_len - 3
        if room > 8:
            if author:
                second.append(" · ", style=self.get_component_rich_style("results-list--snippet"))
            second.append_text(self._in_context(paper, room))
        second.truncate(width, overflow="ellipsis")
        return (left + first, second)

    def _in_context(self, paper: Paper, width: int) -> Text:
        """The library's snippet for ``paper``, or an excerpt of its abstract around the terms."""
        match_style = self.get_component_rich_style("results-list--match")
        found = self._snippets.get(paper.id)
        if found and found[0] and display_text(found[0]) == found[0]:
            text = spans_text(found[0], found[1], match_style)
        else:
            # TeX is shown as text; its spans no longer line up, so the words are found again.
            raw = found[0] if found and found[0] else excerpt(paper.abstract, self._terms, width)
            text = literal(display_text(raw))
            highlight(text, self._terms, match_style, "abstract")
        text.stylize_before(self.get_component_rich_style("results-list--snippet"))
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

    def move_by(self, step: int) -> None:
        """Move the cursor ``step`` rows (down if positive), stopping at either end."""
        self._move_to(self.cursor + step)

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
        return f"{count} author{'s' if count != 1 else ''}"
    return ""


class _Columns:
    """Which leading columns the rows of the current result need, and how wide.

    A column no paper has (no dates in an Atom search, no upvotes in the arXiv snapshot) takes
    no space, so the title gets it. Measured on the papers loaded so far (the pages drawn), never
    by reading the whole result: a column can appear, or grow, when a page further down needs it.
    """

    __slots__ = ("author", "date", "upvotes")

    def __init__(self) -> None:
        self.date = False
        self.upvotes = 0  # cells for the widest upvote count seen, with its ▲
        self.author = 0  # cells for the longest author label seen

    def measure(self, papers) -> bool:
        """Widen the columns for ``papers``; True if any column changed."""
        before = (self.date, self.upvotes, self.author)
        for paper in papers:
            if paper.published is not None:
                self.date = True
            if paper.upvotes is not None:
                self.upvotes = max(self.upvotes, len(str(paper.upvotes)) + 1)
            if self.author < AUTHOR_COLUMN:
                self.author = max(self.author, cell_len(_author_label(paper)))
        return (self.date, self.upvotes, self.author) != before


def _split(title: Text, width: int, console) -> tuple[Text, Text | None]:
    """``title`` cut at the last space that fits ``width`` cells, and the rest (None if it fits)."""
    if title.cell_len <= width:
        return title, None
    plain = title.plain
    if plain.isascii():
        # One cell a character: cut at the last space that fits (Text.wrap costs ten times more).
        cut = plain.rfind(" ", 0, width + 1)
        if cut <= 0:
            return title[:width], title[width:]
        return title[:cut], title[cut + 1 :]
    lines = title.wrap(console, width, overflow="fold")
    first = lines[0]
    first.rstrip()
    return first, Text(" ").join(lines[1:])
