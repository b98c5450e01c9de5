"""The ``paperbrowse`` command: a thin Typer layer over the headless core.

No subcommand opens the Textual app. Textual is imported only then (``search`` must start fast
and never import it: tests/test_import_hygiene.py proves it).

The CLI's modules do not use ``from __future__ import annotations``: Typer reads every command's
parameter annotations when it starts, and string annotations it must ``eval`` one by one
(~600 of them: ~20 ms of CPU in every cold ``paperbrowse search``, a tenth of one at 100k).
"""

import shutil
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from paperbrowse.search.datearg import parse_date_arg
from paperbrowse.search.jsonout import json_text
from paperbrowse.search.models import FORMATS, SORTS, Filters, Paper, QueryError
from paperbrowse.search.query_fields import help_text
from paperbrowse.search.rising import rising
from paperbrowse.search.serialize import paper_to_dict
from paperbrowse.search.tex2text import tex_to_text
from paperbrowse.search.text import path_text, strip_controls
from paperbrowse.tui import STARTED

app = typer.Typer(
    name="paperbrowse",
    help="A local-first terminal reader for research-paper listings. "
    "Without a command, opens the app.",
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line on stderr; return the Exit to raise."""
    typer.echo(f"paperbrowse: {message}", err=True)
    return typer.Exit(code)


def _services(ctx: typer.Context):
    return ctx.obj()


#: The exit code of a command that needs papers when the library has none (nothing ingested
#: yet): scripts can tell "empty library" from "no match" (0) and from an error (1, 2).
EXIT_EMPTY_LIBRARY = 3


def empty_library_message(services) -> str:
    """What to say when the library has no papers: that it is empty, and how to fill it."""
    from paperbrowse.search.paths import sample_dir

    return (
        f"the library in {services.locations.data_dir} is empty: add listings with "
        f"`paperbrowse ingest PATH…` (to try the bundled sample pages: "
        f"`paperbrowse ingest {sample_dir()}`)"
    )


def require_papers(services) -> None:
    """Stop with the empty-library message (exit 3) when the library has no papers."""
    if services.library.count() == 0:
        raise fail(_plain(empty_library_message(services)), EXIT_EMPTY_LIBRARY)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Where the library and bookmarks live (default: the user data dir; "
            "env PAPERBROWSE_DATA_DIR).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Search, read, bookmark and cite papers from saved listings. No command opens the app."""
    built: dict[str, Any] = {}
    _in_use["data_dir"] = data_dir

    def services(*, use_sample_if_empty: bool = False):
        if "s" not in built:
            from paperbrowse.search.services import build_services

            built["s"] = build_services(data_dir, use_sample_if_empty=use_sample_if_empty)
            ctx.call_on_close(built["s"].close)
        return built["s"]

    ctx.obj = services
    if ctx.invoked_subcommand is None:
        svc = services(use_sample_if_empty=True)
        from paperbrowse.tui.launch import run_app  # Textual loads only here

        run_app(svc)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Dump files or folders (recursively).")],
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Forget the library and rebuild it from PATHS.")
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help=f"Force a dump format: {', '.join(FORMATS)}."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date the pages were captured (YYYY-MM-DD), for dates shown without a year.",
        ),
    ] = None,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait if another ingest is running.")
    ] = 0.0,
) -> None:
    """Read dumps into the library (unchanged files are skipped)."""
    if fmt is not None and fmt not in FORMATS:
        raise fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    as_of_date = _date_option("--as-of", as_of)
    missing = [str(p) for p in paths if not p.exists()]
    for m in missing:
        typer.echo(f"paperbrowse: {path_text(m)}: no such file or folder", err=True)
    existing = [p for p in paths if p.exists()]
    services = _services(ctx)
    from paperbrowse.tui.progress import IngestProgress

    try:
        with IngestProgress(sys.stderr) as progress, _saying_what_ctrl_c_does():
            report = services.library.ingest(
                existing, fmt=fmt, as_of=as_of_date, rebuild=rebuild, progress=progress, wait=wait
            )
    except KeyboardInterrupt:
        typer.echo(
            "paperbrowse: interrupted; what was read and indexed is kept: "
            "the same ingest again finishes the job",
            err=True,
        )
        raise typer.Exit(130) from None
    services.refresh_bookmarks()
    for line in _report_lines(report):
        typer.echo(f"paperbrowse: {_plain(line)}", err=True)
    typer.echo(_summary(report))
    if report.failed or missing:
        raise typer.Exit(1)


@contextmanager
def _saying_what_ctrl_c_does() -> Iterator[None]:
    """On the first Ctrl-C, say at once that the ingest is saving its work (committing the
    papers the index has, which takes a while with big dumps); a second one quits at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first_interrupt(signum, frame) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        typer.echo(
            "\npaperbrowse: stopping: keeping what is read and indexed so far "
            "(Ctrl-C again to quit at once)",
            err=True,
        )
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGINT, first_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _report_lines(report) -> list[str]:
    """What the summary counts, one line each: notes, then problems, then files skipped for a
    reason no problem line gave (a file that vanished before it was read). Entries recovered
    from Python literals are only counted, in the summary: a collection has dozens of such days."""
    lines = [f"note: {note}" for note in report.notes if not note.recovered]
    lines += [str(problem) for problem in report.problems]
    told = {problem.source for problem in report.problems}
    lines += [f"{path}: {why}" for path, why in report.files_skipped if path not in told]
    return lines


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _summary(report) -> str:
    """One short line of counts; the reasons are the lines above it."""
    files = _plural(report.files, "file")
    aside = []
    if report.files_unchanged:
        aside.append(f"{report.files_unchanged} unchanged")
    if report.files_other:
        aside.append(_plural(len(report.files_other), "other file"))
    if aside:
        files += f" ({', '.join(aside)})"
    parts = [
        f"Ingested {files}",
        f"{_plural(report.papers_read, 'record')}: {report.papers_new} new, "
        f"{report.papers_updated} updated, {report.papers_merged} merged",
    ]
    if report.recovered:
        parts.append(
            f"{_plural(report.recovered, 'entry', 'entries')} recovered from Python literals"
        )
    if report.files_skipped:
        parts.append(f"{len(report.files_skipped)} skipped")
    if report.problems:
        parts.append(_plural(len(report.problems), "problem"))
    parts.append(f"{report.seconds:.1f} s")
    return " · ".join(parts)


@app.command(
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
        since=_date_option("--since", since),
        until=_date_option("--until", until, end=True),
        min_upvotes=_count_option("--min-upvotes", min_upvotes),
        featured_since=_date_option("--featured-since", featured_since),
        featured_until=_date_option("--featured-until", featured_until, end=True),
    )
    require_papers(_services(ctx))
    try:
        library = _services(ctx).library
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
            typer.echo("\n".join(_plain(h.paper.id) for h in result.hits))
    elif not result.hits:
        typer.echo(f"No papers match {_quoted(query)}.", err=True)
    else:
        typer.echo(_table(result.hits, featured=sort == "featured"))
        if result.total > len(result.hits):
            typer.echo(f"{len(result.hits)} of {result.total} results (--limit for more)", err=True)
    if result.capped:
        typer.echo(
            "paperbrowse: the answer may be incomplete: "
            + ", ".join(_plain(c) for c in result.capped)
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
                _plain(p.id),
                day.isoformat() if day else "-",
                str(p.upvotes) if p.upvotes is not None else "-",
                ("[withdrawn] " if p.withdrawn else "") + _plain(tex_to_text(p.title)),
                _plain(_who(p)),
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


@app.command()
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
    paper = _services(ctx).library.get(paper_id)
    if paper is None:
        require_papers(_services(ctx))
        raise fail(f"no paper with id {paper_id!r} in the library")
    if as_json:
        typer.echo(json_text(_json_paper(paper)))
        return
    typer.echo(_plain(render_record(paper)))


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


@app.command()
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts: papers, files, by source kind and by year."""
    data = _services(ctx).library.stats()
    if as_json:
        typer.echo(json_text(data))
        if not data["papers"]:
            raise typer.Exit(EXIT_EMPTY_LIBRARY)
        return
    if not data["papers"]:
        require_papers(_services(ctx))
    typer.echo(f"{data['papers']} papers from {data['files']} files in {data['data_dir']}")
    for title, key in (("By source", "by_kind"), ("By year", "by_year")):
        if data[key]:
            typer.echo(f"{title}: " + ", ".join(f"{k} {v}" for k, v in data[key].items()))
    if data["pending_index"]:
        typer.echo(f"{data['pending_index']} papers wait to be indexed (run ingest again)")


def _json_paper(paper: Paper) -> dict[str, Any]:
    return paper_to_dict(paper)


def _plain(text: str) -> str:
    """Dump text on its way to a terminal: no control sequences, ever."""
    return strip_controls(text)


def _quoted(query: str, most: int = 80) -> str:
    """A query echoed in a message: quoted, cleaned, and cut if long (it may be 100 KB)."""
    text = _plain(query)
    if len(text) <= most:
        return repr(text)
    return f"{text[:most]!r}… ({len(text):,} characters)"


def _count_option(name: str, value: str | None) -> int | None:
    """A whole number option that also takes ``1e3``; any size (the core clamps it)."""
    if value is None:
        return None
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(value.strip().replace("_", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise fail(f"{name}: expected a whole number such as 10 or 1e3, got {_quoted(value)}", 2)
    if number < 0:
        raise fail(f"{name}: expected a number of 0 or more, got {_quoted(value)}", 2)
    return int(number)


def _date_option(name: str, value: str | None, *, end: bool = False) -> date | None:
    if value is None:
        return None
    try:
        return parse_date_arg(value, end=end)
    except ValueError as exc:
        raise fail(f"{name}: {exc}", 2) from None


def _register_subapps() -> None:
    from paperbrowse.tui.cli.bookmark_file import export_file, import_file
    from paperbrowse.tui.cli.bookmarks import bookmark_app, export_app
    from paperbrowse.tui.cli.cite import cite
    from paperbrowse.tui.cli.fetch import fetch_app
    from paperbrowse.tui.cli.watch import digest, mark_app, new, watch_app
    from paperbrowse.tui.cli_timeline import top, trend

    bookmark_app.command("export")(export_file)
    bookmark_app.command("import")(import_file)
    app.add_typer(bookmark_app, name="bookmark")
    app.add_typer(export_app, name="export")
    app.add_typer(fetch_app, name="fetch")
    app.command("cite")(cite)
    app.add_typer(mark_app, name="mark")
    app.add_typer(watch_app, name="watch")
    app.command("new")(new)
    app.command("digest")(digest)
    app.command("top")(top)
    app.command("trend")(trend)


_register_subapps()


#: The --data-dir given to this run, for error messages (main() sees only the exception).
_in_use: dict[str, Path | None] = {}


def _full_disk() -> Path | None:
    """The folder holding the data dir when its disk is (nearly) full, else None."""
    from paperbrowse.search.paths import Locations

    try:
        folder = Locations.resolve(_in_use.get("data_dir")).data_dir
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if shutil.disk_usage(folder).free < 1 << 20:
            return folder
    except OSError:
        pass
    return None


def _disk_note() -> str:
    """A note that the disk holding the data dir is full, when that explains an error; else ""."""
    folder = _full_disk()
    return f" (the disk holding {folder} is full)" if folder else ""


def _database_message(exc: sqlite3.Error) -> str:
    """An SQLite failure in the user's words: a full disk is said as such, without SQLite's
    own text ("disk I/O error", "database or disk is full", "cannot rollback - no transaction
    is active"), which names no file and suggests no remedy."""
    full = getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(
        exc
    )
    folder = _full_disk()
    if full or folder:
        where = f"the disk holding {folder}" if folder else "the disk holding the library"
        return f"{where} is full: free some space and run it again (nothing is lost)"
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_READONLY or "readonly" in str(exc):
        from paperbrowse.search.paths import Locations

        folder = Locations.resolve(_in_use.get("data_dir")).data_dir
        return f"{folder} is read-only: reading works (search, show, stats, export), changes do not"
    return f"library database error: {exc}"


def main() -> None:
    """Entry point: known failures become one clear line and a non-zero exit, not a traceback."""
    from paperbrowse.search.engine import IndexBusy
    from paperbrowse.search.lock import IngestRunning

    try:
        app()
    except (IngestRunning, IndexBusy) as exc:
        typer.echo(f"paperbrowse: {_plain(str(exc))}", err=True)
        sys.exit(1)
    except sqlite3.Error as exc:
        typer.echo(f"paperbrowse: {_plain(_database_message(exc))}", err=True)
        sys.exit(1)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        message = f"cannot use{where}: {exc.strerror or exc}{_disk_note()}"
        typer.echo(f"paperbrowse: {_plain(message)}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("paperbrowse: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
