"""``paperbrowse search``, ``show`` and ``stats``: the commands that read the library.

Registered by tui/cli/__init__.py. Thin over search/library.py: they parse the options, ask the
core, and print a table, a record or JSON through the one JSON writer; text from dumps is
printed plain (control codes stripped, TeX spelled out).
"""

import shutil
import time
from typing import Annotated, Any

import typer
from paperbrowse.search.jsonout import json_text
from paperbrowse.search.models import SORTS, Filters, Paper, QueryError
from paperbrowse.search.query_fields import help_text
from paperbrowse.search.rising import rising
from paperbrowse.search.serialize import paper_to_dict
from paperbrowse.search.tex2text import tex_to_text
from paperbrowse.tui import STARTED
from paperbrowse.tui.cli.common import (
    EXIT_EMPTY_LIBRARY,
    count_option,
    date_option,
    fail,
    plain,
    quoted,
    require_papers,
    services,
)

#: How ``search`` is registered (tui/cli/__init__.py).
SEARCH_COMMAND: dict[str, Any] = dict(
    # A query may start with "-" (``paperbrowse search -diffusion``: papers without the word):
    # what Click does not know as an option is left in the query words (see _query_words).
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": True},
    # \b: Click prints the block as it is (one row a line) instead of re-wrapping it.
    epilog="Query syntax:\n\n\b\n" + help_text(),
)


def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help="What to find (the syntax is below). Words may be separate arguments; "
            "a query starting with - works (search -diffusion, or search -- -diffusion).",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    ids_only: Annotated[
        bool, typer.Option("--ids", help="Print only the ids, one a line (for pipes).")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most results to print.")] = 20,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="relevance, date, upvotes, featured (the day HF featured it) or rising "
            "(upvotes gained per day over its last week of listings).",
        ),
    ] = "relevance",
    since: Annotated[str | None, typer.Option("--since", help="Published on or after.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Published on or before.")] = None,
    featured_since: Annotated[
        str | None,
        typer.Option("--featured-since", help="Featured on Hugging Face on or after."),
    ] = None,
    featured_until: Annotated[
        str | None,
        typer.Option("--featured-until", help="Featured on Hugging Face on or before."),
    ] = None,
    min_upvotes: Annotated[
        str | None, typer.Option("--min-upvotes", help="At least N upvotes (10, 1e3).")
    ] = None,
    timing: Annotated[
        bool, typer.Option("--timing", help="Say on stderr where the time went.")
    ] = False,
) -> None:
    """Search the library; prints a table with each paper's id, JSON, or ids only."""
    began = time.perf_counter()
    query = _query_words(words)
    if sort not in SORTS:
        raise fail(f"unknown --sort {sort!r}; choose one of {', '.join(SORTS)}", 2)
    filters = Filters(
        since=date_option("--since", since),
        until=date_option("--until", until, end=True),
        min_upvotes=count_option("--min-upvotes", min_upvotes),
        featured_since=date_option("--featured-since", featured_since),
        featured_until=date_option("--featured-until", featured_until, end=True),
    )
    require_papers(services(ctx))
    try:
        library = services(ctx).library
        opened = time.perf_counter()
        result = library.search(query, filters, sort=sort, limit=limit, all_ids=False)
    except QueryError as exc:
        raise fail(str(exc)) from None
    printed = time.perf_counter()
    if as_json:
        rows = [dict(_json_paper(h.paper), score=round(h.score, 4)) for h in result.hits]
        typer.echo(json_text(rows))
    elif ids_only:
        if result.hits:
            typer.echo("\n".join(plain(h.paper.id) for h in result.hits))
    elif not result.hits:
        typer.echo(f"No papers match {quoted(query)}.", err=True)
    else:
        typer.echo(_table(result.hits, featured=sort == "featured"))
        if result.total > len(result.hits):
            typer.echo(f"{len(result.hits)} of {result.total} results (--limit for more)", err=True)
    if result.capped:
        typer.echo(
            "paperbrowse: the answer may be incomplete: "
            + ", ".join(plain(c) for c in result.capped)
            + " — only the most frequent matching words are searched; type more letters",
            err=True,
        )
    if timing:
        steps = [("start-up and imports", (began - STARTED) * 1000)]
        steps.append(("open library", (opened - began) * 1000))
        steps += list(result.timings)
        steps.append(("print", (time.perf_counter() - printed) * 1000))
        total = (time.perf_counter() - STARTED) * 1000
        typer.echo(
            f"timing: {total:.0f} ms: " + ", ".join(f"{step} {ms:.0f}" for step, ms in steps),
            err=True,
        )


def _query_words(words: list[str]) -> str:
    """The query from the command's words. Click leaves options it does not know among them
    (so that ``-diffusion`` is a word): a ``--word`` is a mistyped option, said so."""
    for word in words:
        if word.startswith("--") and len(word) > 2 and " " not in word:
            name = word.split("=", 1)[0]
            if name in _SEARCH_OPTIONS:  # given after "--", which ends the options
                raise fail(f"{name} must come before --: everything after -- is the query", 2)
            raise fail(f"no such option: {word} (a query word cannot start with --)", 2)
    return " ".join(words)


_SEARCH_OPTIONS = frozenset(
    "--json --ids --limit --sort --since --until --min-upvotes --timing --help".split()
)


def _table(hits, *, featured: bool = False) -> str:
    """rank, id, date, upvotes, title, first author: plain text fitted to the terminal width
    (the id is what ``show`` and ``bookmark add`` take). The date is the day Hugging Face
    featured the paper with ``featured`` (the featured sort), else the paper's own."""
    width = shutil.get_terminal_size((100, 24)).columns
    rows = []
    for rank, hit in enumerate(hits, 1):
        p = hit.paper
        day = p.featured if featured else p.published
        rows.append(
            (
                str(rank),
                plain(p.id),
                day.isoformat() if day else "-",
                str(p.upvotes) if p.upvotes is not None else "-",
                ("[withdrawn] " if p.withdrawn else "") + plain(tex_to_text(p.title)),
                plain(_who(p)),
            )
        )
    head = ("#", "id", "featured" if featured else "date", "up", "title", "first author")
    w_rank = max(len(r[0]) for r in rows + [head])
    w_id = max(len(r[1]) for r in rows + [head])
    w_up = max(len(r[3]) for r in rows + [head])
    w_author = min(24, max(len(r[5]) for r in rows + [head]))
    w_title = max(20, width - (w_rank + w_id + 10 + w_up + w_author + 10))
    lines = []
    for r in [head, *rows]:
        lines.append(
            f"{r[0]:>{w_rank}}  {r[1]:<{w_id}}  {r[2]:<10}  {r[3]:>{w_up}}  "
            f"{_fit(r[4], w_title):<{w_title}}  {_fit(r[5], w_author)}".rstrip()
        )
    return "\n".join(lines)


def _who(p: Paper) -> str:
    if p.authors:
        more = (p.author_count or 1) - 1
        return p.authors[0] + (f" +{more}" if more > 0 else "")
    if p.organization:
        return p.organization
    if p.n_authors:
        return f"{p.n_authors} author{'s' if p.n_authors != 1 else ''}"
    return "-"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def show(
    ctx: typer.Context,
    paper_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Paper id, arXiv id (arXiv:2407.01906v2, hep-th/9901001), or an arxiv.org "
            "or huggingface.co/papers link.",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Print one paper's whole record, abstract included."""
    paper = services(ctx).library.get(paper_id)
    if paper is None:
        require_papers(services(ctx))
        raise fail(f"no paper with id {paper_id!r} in the library")
    if as_json:
        typer.echo(json_text(_json_paper(paper)))
        return
    typer.echo(plain(render_record(paper)))


def render_record(p: Paper) -> str:
    """A paper as readable plain text (the `show` command): TeX in the title and abstract
    shown as text (``--json`` and BibTeX keep the original)."""
    lines = [tex_to_text(p.title), ""]
    if p.withdrawn:
        lines[1:1] = [f"WITHDRAWN on {p.withdrawn.isoformat()}"]
    if p.authors:
        lines.append("Authors:    " + ", ".join(p.authors))
    elif p.organization or p.n_authors:
        lines.append("Authors:    " + _who(p))
    pairs = [
        ("Id", p.id),
        ("arXiv", p.arxiv_id),
        ("Published", p.published and p.published.isoformat()),
        ("Updated", p.updated and p.updated.isoformat()),
        ("Featured", ", ".join(d.isoformat() for d in p.featured_days or [p.featured] if d)),
        ("Withdrawn", p.withdrawn and p.withdrawn.isoformat()),
        ("Upvotes", p.upvotes),
        ("History", _history(p)),
        ("Categories", " ".join(p.categories)),
        ("DOI", p.doi),
        ("Journal", p.journal_ref),
        ("Comments", p.comments),
        ("Keywords", ", ".join(p.keywords)),
        ("Stars", p.github_stars),
    ]
    lines += [f"{k + ':':<11} {v}" for k, v in pairs if v not in (None, "")]
    for url in p.urls:
        lines.append(f"{'Link:':<11} {url}")
    for source in p.sources:
        lines.append(f"{'Source:':<11} {source}")
    if p.ai_summary:
        lines += ["", "Summary: " + p.ai_summary]
    if p.abstract:
        lines += ["", tex_to_text(p.abstract)]
    return "\n".join(lines)


def _history(p: Paper) -> str | None:
    """Upvotes by listing day and the rising rate, when more than one day gave a count."""
    if len(p.upvote_history) < 2:
        return None
    rate = rising(p.upvote_history)
    days = ", ".join(f"{d.isoformat()} {n}" for d, n in p.upvote_history)
    return f"{days} (rising {rate:+.1f}/day)"


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts: papers, files, by source kind and by year."""
    data = services(ctx).library.stats()
    if as_json:
        typer.echo(json_text(data))
        if not data["papers"]:
            raise typer.Exit(EXIT_EMPTY_LIBRARY)
        return
    if not data["papers"]:
        require_papers(services(ctx))
    typer.echo(f"{data['papers']} papers from {data['files']} files in {data['data_dir']}")
    for title, key in (("By source", "by_kind"), ("By year", "by_year")):
        if data[key]:
            typer.echo(f"{title}: " + ", ".join(f"{k} {v}" for k, v in data[key].items()))
    if data["pending_index"]:
        typer.echo(f"{data['pending_index']} papers wait to be indexed (run ingest again)")


def _json_paper(paper: Paper) -> dict[str, Any]:
    return paper_to_dict(paper)
