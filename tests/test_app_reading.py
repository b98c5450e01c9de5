"""Pilot tests of reading comfort: the list's columns and two-line rows, the footer at 80
columns, scroll and next/previous keys in the detail and bookmarks panes, the reader, links,
notes' line breaks, and theme colours in every pane (issue 10, "Reading comfort")."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from paperbrowse.search.models import Paper
from paperbrowse.tui.widgets.bookmarks import BookmarksPane
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import PAGE, ResultsList
from rich.console import Console
from rich.style import Style
from textual import on
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import OptionList

from tests.fixtures_app import (
    SIZE,
    bookmark_a_few,
    pilot_test,
    screen_text,
    search_for,
    settle,
    started,
    static_text,
)

SHORT = (120, 24)  # below the two-line height: one line a row

pytestmark = pytest.mark.usefixtures("no_blink")

LONG_TITLE = (
    "A Remarkably Long Title About Zebrafish Navigation With Tiny Recurrent Controllers "
    "That Keeps Going Well Past The Width Of Any Results Column Ending In Pelican"
)


class _ListApp(App):
    """Just a results list over a fake loader."""

    def __init__(self, ids, loader, *, two_line=False) -> None:
        super().__init__()
        self.ids, self.loader, self.two_line = ids, loader, two_line

    def compose(self) -> ComposeResult:
        with _Rows(self.loader):
            yield ResultsList()

    def on_mount(self) -> None:
        results = self.query_one(ResultsList)
        results.two_line = self.two_line
        results.show(self.ids)
        results.focus()


class _Rows(Vertical):
    """Answers the list's RowsWanted as the main screen does (here at once, from the loader).

    A container of the list's own: the list asks while the screen draws it, so the message
    stops at the screen and never reaches the app."""

    def __init__(self, loader) -> None:
        super().__init__()
        self.loader = loader

    @on(ResultsList.RowsWanted)
    def _rows_wanted(self, event: ResultsList.RowsWanted) -> None:
        self.query_one(ResultsList).add_papers(event.paper_ids, self.loader(event.paper_ids))


def _bare_papers(batch, title=LONG_TITLE):
    """Papers with neither a date nor upvotes (an Atom search, say) and one author."""
    return [Paper(id=i, title=title, authors=("Ada Lovelace",)) for i in batch]


async def _drawn(pilot) -> None:
    """Let the list ask for its rows, get them and draw them again (a few message rounds)."""
    for _ in range(4):
        await pilot.pause()


def _shown_title_chars(row: str, title: str) -> int:
    """How many of the title's first characters the row shows."""
    count = 0
    while count < len(title) and title[: count + 1] in row:
        count += 1
    return count


# -- the results list -----------------------------------------------------------------------


@pilot_test
async def test_empty_columns_take_no_space_and_the_title_gets_it():
    app = _ListApp([f"p{i}" for i in range(10)], _bare_papers)
    async with app.run_test(size=(100, 20)) as pilot:
        await _drawn(pilot)
        results = app.query_one(ResultsList)
        row = results.row_text(0)
        # No date or upvote area: the title starts right after the bookmark mark.
        assert row.startswith("   A Remarkably")
        # The author column is as wide as the longest author label, not a fixed 18 cells.
        assert row.rstrip().endswith("…  Ada Lovelace")
        width = results.scrollable_content_region.width
        assert _shown_title_chars(row, LONG_TITLE) == width - 3 - len("  Ada Lovelace") - 1


@pilot_test
async def test_a_column_appears_when_a_page_further_down_needs_it():
    def loader(batch):
        # Only the papers past the first page have upvotes.
        return [
            Paper(id=i, title=f"Paper {i}", upvotes=(12 if int(i[1:]) >= PAGE else None))
            for i in batch
        ]

    app = _ListApp([f"p{i}" for i in range(3 * PAGE)], loader)
    async with app.run_test(size=(100, 20)) as pilot:
        await _drawn(pilot)
        results = app.query_one(ResultsList)
        assert results.row_text(0).startswith("   Paper p0")
        await pilot.press("G")
        await _drawn(pilot)
        assert results.row_text(3 * PAGE - 1).startswith("  12▲  Paper")
        # Every row drawn again with the new column, the ones without upvotes too.
        assert results.row_text(0).startswith("       Paper p0")


@pilot_test
async def test_one_author_is_not_1_authors():
    def loader(batch):
        return [Paper(id=i, title=f"Paper {i}", n_authors=1) for i in batch]

    app = _ListApp(["p0"], loader)
    async with app.run_test(size=(100, 20)) as pilot:
        await _drawn(pilot)
        assert app.query_one(ResultsList).row_text(0).rstrip().endswith("  1 author")


@pilot_test
async def test_sample_titles_get_the_width_at_120_columns(services):
    async with started(services, size=SHORT) as (app, pilot):
        results = app.screen.query_one(ResultsList)
        first = services.library.get(results.highlighted_id)
        # The issue measured 30 characters of title here, with 38 cells of date/upvote/author.
        assert _shown_title_chars(results.row_text(0), first.title) >= 40


@pilot_test
async def test_a_long_title_wraps_onto_the_rows_second_line():
    app = _ListApp([f"p{i}" for i in range(10)], _bare_papers, two_line=True)
    async with app.run_test(size=(100, 36)) as pilot:
        await _drawn(pilot)
        results = app.query_one(ResultsList)
        first, second = results.row_lines(0)
        assert "…" not in first
        cut = _shown_title_chars(first, LONG_TITLE)
        rest = LONG_TITLE[cut:].strip()
        assert LONG_TITLE[cut] == " "  # cut between words
        assert second.strip().startswith(rest[:30])  # the title goes on below
        assert "Ada Lovelace" in second
        # What the terminal shows is what row_lines says.
        assert second.rstrip() in screen_text(app)


@pilot_test
async def test_two_line_rows_move_page_and_stay_lazy_over_100k_rows():
    ids = [f"2401.{i:05d}" for i in range(100_000)]
    fetched: list[int] = []

    def loader(batch):
        fetched.append(len(batch))
        return [
            Paper(id=i, title=f"{LONG_TITLE} {i}", published=date(2024, 1, 1), upvotes=n)
            for n, i in enumerate(batch)
        ]

    app = _ListApp(ids, loader, two_line=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _drawn(pilot)
        results = app.query_one(ResultsList)
        assert results.virtual_size.height == 200_000
        assert sum(fetched) <= 2 * PAGE
        await pilot.press("pagedown")
        assert results.cursor == 30 // 2 - 1
        await pilot.press("G")
        await _drawn(pilot)
        assert results.cursor == 99_999
        assert results.row_lines(99_999)[1].rstrip() in screen_text(app)
        await pilot.press("pageup", "k")
        await _drawn(pilot)
        assert results.cursor == 99_999 - 14 - 1
        assert sum(fetched) <= 6 * PAGE


@pilot_test
async def test_footer_keeps_quit_and_help_at_80_columns(services):
    async with started(services, size=(80, 24)) as (app, pilot):
        footer = screen_text(app).splitlines()[-1]
        assert "q Quit" in footer
        assert "? Help" in footer


# -- detail and bookmarks panes -----------------------------------------------------------------


@pilot_test
async def test_scroll_keys_move_the_detail_pane(services):
    async with started(services, size=SHORT) as (app, pilot):
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen.query_one(DetailPane)
        assert app.focused is detail
        assert detail.max_scroll_y > detail.size.height  # a long abstract at 24 rows
        await pilot.press("j", "j")
        await pilot.pause()
        assert detail.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert detail.scroll_y == 1
        await pilot.press("space")
        await pilot.pause()
        assert detail.scroll_y > 1 + detail.size.height // 2
        await pilot.press("G")
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert detail.scroll_y == 0
        assert app.screen.query_one(ResultsList).cursor == 0  # the list did not move


@pilot_test
async def test_scroll_keys_move_in_the_bookmarks_pane(services):
    bookmark_a_few(services)
    newest_first = [b.id for b in services.bookmarks.list()]
    async with started(services) as (app, pilot):
        await pilot.press("B")
        await settle(pilot)
        options = app.screen.query_one(BookmarksPane).options
        assert app.focused is options

        def highlighted():
            return options.get_option_at_index(options.highlighted).id

        await pilot.press("j")
        first = highlighted()
        await pilot.press("j")
        assert highlighted() == newest_first[newest_first.index(first) + 1]
        await pilot.press("G")
        assert highlighted() == newest_first[-1]
        await pilot.press("k")
        assert highlighted() == newest_first[-2]
        await pilot.press("g")
        assert highlighted() == newest_first[0]


@pilot_test
async def test_next_and_previous_paper_from_the_detail_move_the_lists_cursor(services):
    async with started(services) as (app, pilot):
        results = app.screen.query_one(ResultsList)
        detail = app.screen.query_one(DetailPane)
        ids = list(results.ids)
        await pilot.press("enter")
        await settle(pilot)
        assert detail.paper.id == ids[0]
        await pilot.press("J")
        await settle(pilot)
        assert results.cursor == 1
        assert detail.paper.id == ids[1]
        assert app.screen.current_id == ids[1]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert detail.paper.id == ids[2]
        await pilot.press("K", "left_square_bracket")
        await settle(pilot)
        assert results.cursor == 0
        assert detail.paper.id == ids[0]
        assert app.focused is detail  # still reading


@pilot_test
async def test_next_paper_after_opening_a_bookmark_goes_on_from_the_lists_cursor(services):
    bookmark_a_few(services)
    async with started(services) as (app, pilot):
        results = app.screen.query_one(ResultsList)
        detail = app.screen.query_one(DetailPane)
        ids = list(results.ids)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # a bookmark, not the list's paper
        await settle(pilot)
        opened = detail.paper.id
        assert opened != ids[0] and app.focused is detail
        await pilot.press("J")
        await settle(pilot)
        assert results.cursor == 1
        assert detail.paper.id == app.screen.current_id == ids[1]


@pilot_test
async def test_next_paper_in_the_narrow_layout_stays_in_the_detail(services):
    async with started(services, size=(80, 24)) as (app, pilot):
        results = app.screen.query_one(ResultsList)
        detail = app.screen.query_one(DetailPane)
        ids = list(results.ids)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("J", "J")
        await settle(pilot)
        assert detail.is_on_screen and not results.is_on_screen
        assert detail.paper.id == ids[2]
        assert services.library.get(ids[2]).title.split()[0] in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert results.is_on_screen and results.cursor == 2


@pilot_test
async def test_reader_gives_the_detail_the_full_width_and_back(services):
    async with started(services) as (app, pilot):
        results = app.screen.query_one(ResultsList)
        detail = app.screen.query_one(DetailPane)
        narrow_width = detail.region.width
        await pilot.press("z")
        await settle(pilot)
        assert not results.is_on_screen
        assert detail.region.width == SIZE[0] > narrow_width
        assert app.focused is detail
        await pilot.press("J")  # next paper works in the reader too
        await settle(pilot)
        assert results.cursor == 1 and detail.paper.id == results.highlighted_id
        await pilot.press("z")
        await settle(pilot)
        assert results.is_on_screen and detail.region.width == narrow_width
        assert app.focused is results
        await pilot.press("z", "escape")  # Esc leaves the reader too
        await settle(pilot)
        assert results.is_on_screen and app.focused is results


@pilot_test
async def test_reader_in_the_narrow_layout(services):
    async with started(services, size=(80, 24)) as (app, pilot):
        results = app.screen.query_one(ResultsList)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("z")
        await settle(pilot)
        assert detail.is_on_screen and not results.is_on_screen
        assert detail.region.width == 80 and app.focused is detail
        await pilot.press("escape")
        await settle(pilot)
        assert results.is_on_screen and not detail.is_on_screen
        assert app.focused is results


LONG_URL = (
    "https://github.com/example-org/a-very-long-repository-name-for-zebrafish-navigation"
    "-experiments/tree/main/src/controllers"
)
SHORT_URL = "https://example.org/zebrafish/data-release-2025"


@pytest.fixture
def linked_services(services, tmp_path):
    """The sample plus one paper whose abstract, link and note hold web addresses."""
    words = " ".join(f"word{n}" for n in range(40))
    summary = f"Zebrafish controllers. {words} Data at {SHORT_URL}, code at {LONG_URL}. The end."
    paper = {
        "id": "2511.00009",
        "title": "Pelicanfish Navigation",
        "summary": summary,
        "authors": [{"name": "Ada Lovelace"}],
        "publishedAt": "2025-11-03T10:00:00.000Z",
        "upvotes": 3,
        "githubRepo": LONG_URL,
    }
    path = tmp_path / "daily_papers_2025-11-05.json"
    path.write_text(json.dumps([{"paper": paper, "title": paper["title"]}]), encoding="utf-8")
    services.library.ingest([path])
    return services


async def _open_pelicanfish(pilot):
    await settle(pilot)
    await search_for(pilot, "pelicanfish")
    await pilot.press("enter")
    await settle(pilot)


@pilot_test
async def test_web_addresses_are_never_broken_across_lines(linked_services):
    async with started(linked_services, size=(80, 40)) as (app, pilot):
        await _open_pelicanfish(pilot)
        lines = screen_text(app).splitlines()
        # The short address is whole on one line; the long one (wider than the pane) is cut
        # with an ellipsis at the line's end, never continued on the next line.
        assert any(SHORT_URL in line for line in lines)
        long_lines = [line for line in lines if "https://github.com/example-org/" in line]
        assert len(long_lines) == 2  # the abstract and the Links section
        assert all(line.rstrip().endswith("…") for line in long_lines)
        assert not any("/src/controllers" in line for line in lines)
        # Each is a terminal link to the whole address.
        body = app.screen.query_one("#detail-body").content
        links = {span.style.link for span in body.spans if isinstance(span.style, Style)}
        assert {SHORT_URL, LONG_URL} <= links


@pilot_test
async def test_line_breaks_in_notes_are_kept(services):
    paper = services.library.get(list(services.library.search("", limit=None).ids)[0])
    services.bookmarks.add(paper, note="First point.\nSecond point.\n\n\nAfter a gap.")
    async with started(services) as (app, pilot):
        body = static_text(app.screen.query_one("#detail-body"))
        assert "note First point.\nSecond point.\n\nAfter a gap.\n" in body
        await pilot.press("B")
        await settle(pilot)
        options = app.screen.query_one(BookmarksPane).options
        prompt = options.get_option(paper.id).prompt
        assert prompt.plain.endswith("First point.\nSecond point.\n\nAfter a gap.")
        lines = screen_text(app).splitlines()
        # On a line of its own in the pane and in the detail.
        alone = [line for line in lines if "Second point." in line and "First" not in line]
        assert len(alone) == 2


# -- theme colours ----------------------------------------------------------------------------


def _colour_of(text, fragment: str):
    """The foreground colour a rich Text gives ``fragment`` (its first span covering it)."""
    start = text.plain.index(fragment)
    for span in text.spans:
        if span.start <= start < span.end and isinstance(span.style, Style) and span.style.color:
            return span.style.color.triplet
    return None


def _theme_colour_blended(app, widget, variable: str):
    """A theme colour such as ``text-muted`` ("auto 60%") as it shows over ``widget``."""
    background = widget.background_colors[1]
    value = app.get_css_variables()[variable]
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100
        colour = background.get_contrast_text(alpha)
    else:
        colour = Color.parse(value)
    return (background + colour).rgb


def _theme_colour(app, variable: str):
    red, green, blue = Color.parse(app.get_css_variables()[variable]).rgb
    return (red, green, blue)


@pilot_test
async def test_a_theme_from_the_palette_restyles_the_detail_and_bookmarks(services):
    bookmark_a_few(services)
    tagged = next(b for b in services.bookmarks.list() if b.tags)
    async with started(services) as (app, pilot):
        await pilot.press("B")
        await settle(pilot)
        pane = app.screen.query_one(BookmarksPane)
        pane.options.highlighted = pane.options.get_option_index(tagged.id)
        await pilot.press("enter")
        await settle(pilot)
        tag = f"#{tagged.tags[0]}"

        def colours():
            body = app.screen.query_one("#detail-body").content
            prompt = pane.options.get_option(tagged.id).prompt
            return _colour_of(body, tag), _colour_of(prompt, tag), _colour_of(body, "Abstract")

        before = colours()
        assert before == (
            _theme_colour(app, "text-accent"),
            _theme_colour(app, "text-accent"),
            _theme_colour(app, "text-primary"),
        )
        # Chosen the way a user does: the palette's theme command, then a theme by name.
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"theme", "enter")
        await settle(pilot)
        await pilot.press(*"textual-light", "enter")
        await settle(pilot)
        assert app.theme == "textual-light"
        after = colours()
        assert after == (
            _theme_colour(app, "text-accent"),
            _theme_colour(app, "text-accent"),
            _theme_colour(app, "text-primary"),
        )
        assert after != before
        # The results list too (its rows were drawn in the old theme), and the similar papers.
        results = app.screen.query_one(ResultsList)
        date_cell = next(seg for seg in results.render_line(0) if seg.text.strip().startswith("20"))
        assert date_cell.style.color.triplet == _theme_colour_blended(app, results, "text-muted")
        similar = app.screen.query_one("#similar", OptionList)
        dated = [similar.get_option_at_index(i).prompt for i in range(similar.option_count)]
        muted_now = app.screen.query_one(DetailPane).styles_for_parts()["muted"].color.triplet
        assert any(p.spans for p in dated)  # dated similar papers are listed
        assert all(_colour_of(p, p.plain[-10:]) == muted_now for p in dated if p.spans)
        # Muted text ($text-muted is "auto 60%", a blend with the background) stays readable on
        # the light background instead of turning white.
        body = app.screen.query_one("#detail-body").content
        muted = _colour_of(body, "id ")
        background = app.screen.query_one(DetailPane).background_colors[1].rgb
        assert sum(abs(a - b) for a, b in zip(muted, background, strict=True)) > 200
        # The highlighted bookmark (the current paper) stayed where it was.
        assert pane.options.get_option_at_index(pane.options.highlighted).id == tagged.id


# -- help and palette -------------------------------------------------------------------------


@pilot_test
async def test_help_and_palette_offer_the_reading_keys(services):
    async with started(services) as (app, pilot):
        await pilot.press("question_mark")
        await settle(pilot)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys").content)
        text = console.export_text()
        for binding in [*DetailPane.BINDINGS, *BookmarksPane.BINDINGS, *ResultsList.BINDINGS]:
            assert (binding.tooltip or binding.description) in text
        assert "J ]" in text and "Reader: the detail at the full width" in text
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Next paper", "Previous paper", "Reader", "Quit", "Help"} <= set(titles)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Next paper", "enter")
        await settle(pilot)
        assert app.screen.query_one(ResultsList).cursor == 1
