"""``paperbrowse fetch hf …`` and ``paperbrowse fetch arxiv …``: new papers into the library.

Registered by tui/cli; thin over ``search.fetch``, which (with urllib3) is imported only once a
fetch command runs, so no other command pays for an HTTP client. Output: a progress bar on a
terminal, each wait and problem as one ``paperbrowse: …`` line on stderr, one summary line on
stdout; exit 1 when anything was skipped or failed, 130 on Ctrl-C.
"""

import sys
from typing import Annotated, Any

import typer
from paperbrowse.search.text import strip_controls
from paperbrowse.tui.cli.common import date_option, fail, group
from paperbrowse.tui.progress import IngestProgress

fetch_app = group("Fetch new papers from Hugging Face Daily Papers or arXiv into the library.")


class FetchProgress(IngestProgress):
    LABELS = {**IngestProgress.LABELS, "hf": "Fetching", "arxiv": "Fetching"}

    def say(self, message: str) -> None:
        """A line while the bar runs: printed above it (written past it, both would garble)."""
        if self._progress is None:
            _say(message)
        else:
            line = f"paperbrowse: {strip_controls(message)}"
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)


def _say(message: str) -> None:
    """One line for the user on stderr (control codes stripped)."""
    typer.echo(f"paperbrowse: {strip_controls(message)}", err=True)


def _finish(report: Any) -> None:
    """Problems, the summary line, the exit code."""
    if report.ingest is not None:
        from paperbrowse.tui.cli.ingest import report_lines  # the ingest command's own lines

        for line in report_lines(report.ingest):
            _say(line)
    # Offline before the first answer: the one line that says so is the whole output.
    if report.fetched or report.skipped or (report.ingest and report.ingest.papers_read):
        typer.echo(strip_controls(report.summary()))
    if report.ingest_error:
        _say(report.ingest_error)
    if report.error:
        _say(report.error)
    if report.failed:
        raise typer.Exit(1)


def _run(ctx: typer.Context, fetch: Any) -> None:
    """Run ``fetch(library, dumps_dir, context)`` with the progress bar and Ctrl-C handled."""
    from paperbrowse.search.fetch.run import (
        FetchContext,  # urllib3 and the fetch code load only here
    )

    services = ctx.obj()
    try:
        with FetchProgress(sys.stderr) as progress:
            context = FetchContext(say=progress.say, progress=progress)
            report = fetch(services.library, services.locations.dumps_dir, context)
    except KeyboardInterrupt:
        _say(
            "interrupted: every answer saved so far is whole and kept; "
            "the next fetch ingests it and goes on from there"
        )
        raise typer.Exit(130) from None
    services.refresh_bookmarks()
    _finish(report)


@fetch_app.command("hf")
def fetch_hf(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="One day, YYYY-MM-DD.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Every day from this one (YYYY-MM-DD) …")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="… to this one (default: today).")
    ] = None,
    week: Annotated[str | None, typer.Option("--week", help="An ISO week, YYYY-Www.")] = None,
    month: Annotated[str | None, typer.Option("--month", help="A month, YYYY-MM.")] = None,
    hf_url: Annotated[
        str | None,
        typer.Option(
            "--hf-url",
            help="The API's base URL (env PAPERBROWSE_HF_URL; default https://huggingface.co).",
        ),
    ] = None,
) -> None:
    """Hugging Face Daily Papers. Without an option: the days since the last fetch (the last
    7 on first use), and the last few fetched days again, since a day's list keeps growing."""
    from paperbrowse.search.fetch import hf
    from paperbrowse.search.fetch.run import fetch_hf as run_fetch

    chosen = [n for n, v in (("--date", day), ("--since", since), ("--week", week)) if v]
    chosen += ["--month"] if month else []
    if len(chosen) > 1:
        raise fail(f"choose one of {' / '.join(chosen)}", 2)
    if until and not since:
        raise fail("--until goes with --since", 2)
    listings: list | None = None
    try:
        if day:
            listings = [hf.Listing.day(date_option("--date", day))]  # type: ignore[arg-type]
        elif since:
            first = date_option("--since", since)
            last = date_option("--until", until, end=True) or hf.today()
            listings = hf.days_between(first, min(last, hf.today()))  # type: ignore[arg-type]
        elif week:
            listings = [hf.Listing.week(week)]
        elif month:
            listings = [hf.Listing.month(month)]
    except ValueError as exc:
        raise fail(str(exc), 2) from None

    def fetch(library, dumps_dir, context):
        context.hf_url = hf_url
        return run_fetch(library, dumps_dir, listings, context)

    _run(ctx, fetch)


@fetch_app.command("arxiv")
def fetch_arxiv(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Argument(help="arXiv query: words, or fields such as ti:, au:, abs:, all:."),
    ] = None,
    categories: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", help="An arXiv category (cs.CL …); repeat for more."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Submitted on or after (YYYY-MM-DD).")
    ] = None,
    most: Annotated[
        int, typer.Option("--max", min=1, max=10_000, help="Most results to fetch.")
    ] = 100,
    arxiv_url: Annotated[
        str | None,
        typer.Option(
            "--arxiv-url",
            help="The API's base URL (env PAPERBROWSE_ARXIV_URL; "
            "default https://export.arxiv.org).",
        ),
    ] = None,
) -> None:
    """arXiv, newest first: at most one request every 3 seconds, as arXiv's terms ask."""
    from paperbrowse.search.fetch import arxiv
    from paperbrowse.search.fetch.run import fetch_arxiv as run_fetch

    try:
        search_query = arxiv.build_query(query, categories or (), date_option("--since", since))
    except ValueError as exc:
        raise fail(str(exc), 2) from None

    def fetch(library, dumps_dir, context):
        context.arxiv_url = arxiv_url
        return run_fetch(library, dumps_dir, search_query, most, context)

    _run(ctx, fetch)
