"""The detail pane: everything known about one paper, and a few similar papers to open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from search.models import Paper
from search.rising import describe_history, rising, sparkline
from search.tex2text import display_text
from tui.widgets.highlight import highlight, literal

MATCH_STYLE = "bold reverse"


class DetailPane(VerticalScroll, can_focus=True):
    """Title, authors, dates, ids, links, sources and abstract of the current paper."""

    DEFAULT_CSS = """
    DetailPane { padding: 0 1; }
    DetailPane #detail-body { width: 1fr; }
    DetailPane #similar-title { margin-top: 1; color: $text-muted; text-style: bold; }
    DetailPane #similar { height: auto; max-height: 7; border: none; }
    DetailPane.-empty #similar-title, DetailPane.-empty #similar { display: none; }
    """

    @dataclass
    class SimilarChosen(Message):
        """A similar paper was chosen to be opened."""

        paper_id: str

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paper: Paper | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("No paper selected."), id="detail-body")
        yield Label("Similar papers", id="similar-title")
        yield OptionList(id="similar")

    def on_mount(self) -> None:
        self.add_class("-empty")

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
        body = self.query_one("#detail-body", Static)
        if paper is None:
            body.update(Text("No paper selected.", style="dim"))
            return
        body.update(render_paper(paper, terms, tags=tags, note=note, bookmarked=bookmarked))
        if changed:
            self.query_one("#similar", OptionList).clear_options()
            self.query_one("#similar", OptionList).add_option(Option(Text("…", style="dim")))
            self.scroll_home(animate=False)

    def show_similar(self, paper_id: str, papers: Sequence[Paper]) -> None:
        """Fill the similar-papers list (ignored if the pane moved on to another paper)."""
        if self.paper is None or self.paper.id != paper_id:
            return
        options = self.query_one("#similar", OptionList)
        options.clear_options()
        if not papers:
            options.add_option(Option(Text("none found", style="dim"), disabled=True))
        for other in papers:
            label = literal(display_text(other.title))
            if other.published:
                label.append(f"  {other.published.isoformat()}", style="dim")
            options.add_option(Option(label, id=other.id))

    @on(OptionList.OptionSelected, "#similar")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.SimilarChosen(event.option.id))


def history_line(paper: Paper) -> Text | None:
    """``upvotes ▁▅█ 01-13 19 · 01-16 40 · 01-18 61 · rising +7.0/day`` for a paper seen
    with a count on more than one listing day; None otherwise."""
    history = paper.upvote_history
    if len(history) < 2:
        return None
    return Text.assemble(
        ("upvotes ", "dim"),
        (sparkline(history), "green"),
        " ",
        describe_history(history),
        (" · ", "dim"),
        (f"rising {rising(history):+.1f}/day", "bold green"),
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
    tags: Sequence[str] = (),
    note: str = "",
    bookmarked: bool = False,
) -> Text:
    """The detail text of a paper; every dump field is added as literal text, TeX in the
    title and abstract as the text it stands for."""
    out = Text()
    title = literal(display_text(paper.title), "bold")
    highlight(title, terms, MATCH_STYLE, "title")
    if bookmarked:
        out.append("★ ", style="yellow")
    out.append_text(title)
    out.append("\n")
    if paper.withdrawn:
        # Said before anything else: a reader must not take a withdrawn paper for current.
        out.append(f"WITHDRAWN on {paper.withdrawn.isoformat()}", style="bold red")
        out.append("\n")
    if paper.authors:
        out.append_text(literal(", ".join(paper.authors), "italic"))
        extra = (paper.author_count or 0) - len(paper.authors)
        if extra > 0:
            out.append(f" and {extra} more", style="italic")
        out.append("\n")
    elif paper.author_count:
        out.append(f"{paper.author_count} authors\n", style="italic")
    if paper.organization:
        out.append_text(literal(paper.organization, "dim"))
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
        facts.append(Text(f"▲ {paper.upvotes}", style="green"))
    if paper.github_stars is not None:
        stars = paper.github_stars
        facts.append(Text(f"{stars} GitHub star{'s' if stars != 1 else ''}"))
    if paper.categories:
        facts.append(literal(" ".join(paper.categories), "cyan"))
    if facts:
        out.append("\n")
        out.append_text(Text(" · ", style="dim").join(facts))
        out.append("\n")
    history = history_line(paper)
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
    out.append_text(Text("  ").join(Text.assemble((f"{k} ", "dim"), literal(v)) for k, v in ids))
    out.append("\n")
    if paper.journal_ref:
        out.append_text(Text.assemble(("journal ", "dim"), literal(paper.journal_ref)))
        out.append("\n")
    if paper.comments:
        out.append_text(Text.assemble(("comments ", "dim"), literal(paper.comments)))
        out.append("\n")

    if tags or note:
        out.append("\n")
        if tags:
            out.append("tags ", style="dim")
            out.append_text(Text(" ").join(literal("#" + t, "magenta") for t in tags))
            out.append("\n")
        if note:
            out.append("note ", style="dim")
            out.append_text(literal(note))
            out.append("\n")

    if paper.urls:
        out.append("\nLinks\n", style="bold")
        for url in paper.urls:
            out.append("  ")
            out.append_text(literal(url, "underline"))
            out.append("\n")
    if paper.ai_summary:
        out.append("\nSummary\n", style="bold")
        out.append_text(literal(paper.ai_summary))
        out.append("\n")
    out.append("\nAbstract\n", style="bold")
    abstract = literal(display_text(paper.abstract) or "(no abstract)")
    highlight(abstract, terms, MATCH_STYLE, "abstract")
    out.append_text(abstract)
    out.append("\n")
    if paper.keywords:
        out.append("\nkeywords ", style="dim")
        out.append_text(literal(", ".join(paper.keywords)))
        out.append("\n")
    if paper.sources:
        out.append("\nSources\n", style="bold")
        kinds = ", ".join(paper.kinds)
        for source in paper.sources:
            out.append("  ")
            out.append_text(literal(display_path(source), "dim"))
            out.append("\n")
        if kinds:
            out.append(f"  ({kinds})\n", style="dim")
    return out
