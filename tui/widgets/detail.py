"""The detail pane: everything known about one paper, and a few similar papers to open.

Every colour comes from the pane's component classes (``detail--*`` in DEFAULT_CSS, on theme
variables), so a theme chosen in the palette restyles the pane as it does the rest of the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperbrowse.search.models import Paper
from paperbrowse.search.rising import describe_history, rising, sparkline
from paperbrowse.search.tex2text import display_text
from paperbrowse.tui.widgets.highlight import (
    highlight,
    link_urls,
    literal,
    literal_lines,
    text_style,
)
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

#: The parts of the detail text with a look of their own: component class ``detail--<name>``.
PARTS = (
    "title",
    "withdrawn",
    "mark",
    "authors",
    "muted",
    "upvotes",
    "categories",
    "tag",
    "heading",
    "link",
    "match",
)
Styles = Mapping[str, Style]


class DetailPane(VerticalScroll, can_focus=True):
    """Title, authors, dates, ids, links, sources and abstract of the current paper."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding(
            "J,right_square_bracket",
            "next_paper",
            "Next paper",
            key_display="J ]",
            show=False,
            tooltip="Show the next paper of the results (moves the list's cursor)",
        ),
        Binding(
            "K,left_square_bracket",
            "previous_paper",
            "Previous paper",
            key_display="K [",
            show=False,
            tooltip="Show the previous paper of the results (moves the list's cursor)",
        ),
    ]

    COMPONENT_CLASSES = {f"detail--{part}" for part in PARTS}

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    /* Words longer than a line (web addresses) end in an ellipsis rather than break. */
    DetailPane #detail-body { width: 1fr; text-overflow: ellipsis; }
    DetailPane #similar-title { margin-top: 1; color: $text-muted; text-style: bold; }
    /* The gutter is kept whether or not the list scrolls: the titles wrap at one width, never
       re-wrapped as the scrollbar comes and goes (it raced with the list being filled). */
    DetailPane #similar { height: auto; max-height: 7; border: none; scrollbar-gutter: stable; }
    DetailPane.-empty #similar-title, DetailPane.-empty #similar { display: none; }
    DetailPane > .detail--title { text-style: bold; }
    DetailPane > .detail--withdrawn { color: $text-error; text-style: bold; }
    DetailPane > .detail--mark { color: $text-warning; }
    DetailPane > .detail--authors { text-style: italic; }
    DetailPane > .detail--muted { color: $text-muted; }
    DetailPane > .detail--upvotes { color: $text-success; }
    DetailPane > .detail--categories { color: $text-secondary; }
    DetailPane > .detail--tag { color: $text-accent; }
    DetailPane > .detail--heading { color: $text-primary; text-style: bold; }
    DetailPane > .detail--link { color: $text-secondary; text-style: underline; }
    DetailPane > .detail--match { color: $text-accent; text-style: bold reverse; }
    """

    @dataclass
    class SimilarChosen(Message):
        """A similar paper was chosen to be opened."""

        paper_id: str

    @dataclass
    class StepAsked(Message):
        """The reader asked for the next (``step`` 1) or previous (-1) paper of the results."""

        step: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paper: Paper | None = None
        self._shown: dict[str, Any] = {}  # what show() was given, to draw it again on a new theme
        self._similar: list[Paper] = []  # the similar papers listed

    def compose(self) -> ComposeResult:
        yield Static(Text("No paper selected."), id="detail-body")
        yield Label("Similar papers", id="similar-title")
        yield OptionList(id="similar")

    def on_mount(self) -> None:
        self.add_class("-empty")
        # Published after the new theme's styles are in place (Textual's App._watch_theme).
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def _restyle(self) -> None:
        self._draw()
        # The similar papers' prompts replaced in place, so that their cursor stays.
        options = self.query_one("#similar", OptionList)
        muted = self.styles_for_parts()["muted"]
        for other in self._similar:
            options.replace_option_prompt(other.id, _similar_label(other, muted))

    def styles_for_parts(self) -> dict[str, Style]:
        """The current theme's style of each part of the detail text."""
        return {part: text_style(self, f"detail--{part}") for part in PARTS}

    def show(
        self,
        paper: Paper | None,
        *,
        terms: Sequence[str] = (),
        tags: Sequence[str] = (),
        note: str = "",
        bookmarked: bool = False,
    ) -> None:
        """Show ``paper`` (None: the empty message), the query's words highlighted."""
        changed = paper is None or self.paper is None or paper.id != self.paper.id
        self.paper = paper
        self.set_class(paper is None, "-empty")
        self._shown = {"terms": terms, "tags": tags, "note": note, "bookmarked": bookmarked}
        self._draw()
        if paper is not None and changed:
            self._similar = []
            self.query_one("#similar", OptionList).clear_options()
            muted = self.styles_for_parts()["muted"]
            self.query_one("#similar", OptionList).add_option(Option(Text("…", style=muted)))
            self.scroll_home(animate=False)

    def _draw(self) -> None:
        body = self.query_one("#detail-body", Static)
        if self.paper is None:
            body.update(Text("No paper selected.", style=self.styles_for_parts()["muted"]))
        else:
            body.update(render_paper(self.paper, styles=self.styles_for_parts(), **self._shown))

    def action_next_paper(self) -> None:
        self.post_message(self.StepAsked(1))

    def action_previous_paper(self) -> None:
        self.post_message(self.StepAsked(-1))

    def show_similar(self, paper_id: str, papers: Sequence[Paper]) -> None:
        """Fill the similar-papers list (ignored if the pane moved on to another paper)."""
        if self.paper is None or self.paper.id != paper_id:
            return
        options = self.query_one("#similar", OptionList)
        options.clear_options()
        muted = self.styles_for_parts()["muted"]
        if not papers:
            options.add_option(Option(Text("none found", style=muted), disabled=True))
        for other in papers:
            options.add_option(Option(_similar_label(other, muted), id=other.id))
        self._similar = list(papers)

    @on(OptionList.OptionSelected, "#similar")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.SimilarChosen(event.option.id))


def _similar_label(paper: Paper, muted: Style) -> Text:
    label = literal(display_text(paper.title))
    if paper.published:
        label.append(f"  {paper.published.isoformat()}", style=muted)
    return label


def history_line(paper: Paper, styles: Mapping[str, Style]) -> Text | None:
    """``upvotes ▁▅█ 01-13 19 · 01-16 40 · 01-18 61 · rising +7.0/day`` for a paper seen
    with a count on more than one listing day; None otherwise."""
    history = paper.upvote_history
    if len(history) < 2:
        return None
    return Text.assemble(
        ("upvotes ", styles["muted"]),
        (sparkline(history), styles["upvotes"]),
        " ",
        describe_history(history),
        (" · ", styles["muted"]),
        (f"rising {rising(history):+.1f}/day", styles["upvotes"]),
    )


def display_path(path: str) -> str:
    """A dump path as short as it can be told: relative to the working dir, or with ``~``."""
    try:
        full = Path(path)
        if full.is_relative_to(Path.cwd()):
            return str(full.relative_to(Path.cwd()))
        if full.is_relative_to(Path.home()):
            return "~/" + str(full.relative_to(Path.home()))
    except (OSError, ValueError, RuntimeError):
        pass
    return path


def render_paper(
    paper: Paper,
    terms: Sequence[str] = (),
    *,
    styles: Styles | None = None,
    tags: Sequence[str] = (),
    note: str = "",
    bookmarked: bool = False,
) -> Text:
    """The detail text of a paper in ``styles`` (one per part in PARTS; none: plain text, as
    for a test of the words alone); every dump field is added as literal text, TeX in the
    title and abstract as the text it stands for."""
    if styles is None:
        styles = {part: Style() for part in PARTS}
    muted = styles["muted"]
    out = Text()
    title = literal(display_text(paper.title), styles["title"])
    highlight(title, terms, styles["match"], "title")
    if bookmarked:
        out.append("★ ", style=styles["mark"])
    out.append_text(title)
    out.append("\n")
    if paper.withdrawn:
        # Said before anything else: a reader must not take a withdrawn paper for current.
        out.append(f"WITHDRAWN on {paper.withdrawn.isoformat()}", style=styles["withdrawn"])
        out.append("\n")
    if paper.authors:
        # An author the query matched ("lovelace") is highlighted like a word of the abstract.
        authors = literal(", ".join(paper.authors), styles["authors"])
        out.append_text(highlight(authors, terms, styles["match"], "authors"))
        extra = (paper.author_count or 0) - len(paper.authors)
        if extra > 0:
            out.append(f" and {extra} more", style=styles["authors"])
        out.append("\n")
    elif paper.author_count:
        count = paper.author_count
        out.append(f"{count} author{'s' if count != 1 else ''}\n", style=styles["authors"])
    if paper.organization:
        out.append_text(literal(paper.organization, muted))
        out.append("\n")

    facts: list[Text] = []
    if paper.published:
        facts.append(Text(f"published {paper.published.isoformat()}"))
    if paper.updated and paper.updated != paper.published:
        facts.append(Text(f"updated {paper.updated.isoformat()}"))
    if paper.featured:
        more = len(paper.featured_days) - 1
        again = f" (+{more} day{'s' if more != 1 else ''})" if more > 0 else ""
        facts.append(Text(f"featured {paper.featured.isoformat()}{again}"))
    if paper.upvotes is not None:
        facts.append(Text(f"▲ {paper.upvotes}", style=styles["upvotes"]))
    if paper.github_stars is not None:
        stars = paper.github_stars
        facts.append(Text(f"{stars} GitHub star{'s' if stars != 1 else ''}"))
    if paper.categories:
        facts.append(literal(" ".join(paper.categories), styles["categories"]))
    if facts:
        out.append("\n")
        out.append_text(Text(" · ", style=muted).join(facts))
        out.append("\n")
    history = history_line(paper, styles)
    if history is not None:
        out.append_text(history)
        out.append("\n")

    ids = [("id", paper.id)]
    if paper.arxiv_id and paper.arxiv_id != paper.id:
        ids.append(("arXiv", paper.arxiv_id))
    if paper.doi:
        ids.append(("DOI", paper.doi))
    if paper.report_no:
        ids.append(("report", paper.report_no))
    out.append_text(Text("  ").join(Text.assemble((f"{k} ", muted), literal(v)) for k, v in ids))
    out.append("\n")
    if paper.journal_ref:
        out.append_text(Text.assemble(("journal ", muted), literal(paper.journal_ref)))
        out.append("\n")
    if paper.comments:
        comments = link_urls(literal(paper.comments), styles["link"])
        out.append_text(Text.assemble(("comments ", muted), comments))
        out.append("\n")

    if tags or note:
        out.append("\n")
        if tags:
            out.append("tags ", style=muted)
            out.append_text(Text(" ").join(literal("#" + t, styles["tag"]) for t in tags))
            out.append("\n")
        if note:
            # The user's own line breaks are kept (a list, a paragraph per point).
            out.append("note ", style=muted)
            out.append_text(link_urls(literal_lines(note), styles["link"]))
            out.append("\n")

    if paper.urls:
        out.append("\nLinks\n", style=styles["heading"])
        for url in paper.urls:
            # Each address on its own line, a terminal link to the whole of it even when the
            # pane is too narrow to show it all (the body ends long words in an ellipsis).
            out.append("  ")
            out.append_text(link_urls(literal(url), styles["link"]))
            out.append("\n")
    if paper.ai_summary:
        out.append("\nSummary\n", style=styles["heading"])
        out.append_text(link_urls(literal(paper.ai_summary), styles["link"]))
        out.append("\n")
    out.append("\nAbstract\n", style=styles["heading"])
    abstract = literal(display_text(paper.abstract) or "(no abstract)")
    highlight(abstract, terms, styles["match"], "abstract")
    out.append_text(link_urls(abstract, styles["link"]))
    out.append("\n")
    if paper.keywords:
        out.append("\nkeywords ", style=muted)
        out.append_text(literal(", ".join(paper.keywords)))
        out.append("\n")
    if paper.sources:
        out.append("\nSources\n", style=styles["heading"])
        kinds = ", ".join(paper.kinds)
        for source in paper.sources:
            out.append("  ")
            out.append_text(literal(display_path(source), muted))
            out.append("\n")
        if kinds:
            out.append(f"  ({kinds})\n", style=muted)
    return out
