"""``paperbrowse ingest``: dumps into the library, with progress, a summary and each problem.

Registered by tui/cli/__init__.py. The reading and merging are the core's (search/library.py);
this command shows the progress, says what Ctrl-C does while it saves, and prints one line per
note or problem and the summary (``fetch`` prints the same lines for the ingest it runs).
"""

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from paperbrowse.search.models import FORMATS
from paperbrowse.search.text import path_text
from paperbrowse.tui.cli.common import (
    date_option,
    fail,
    plain,
    services,
)


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
    as_of_date = date_option("--as-of", as_of)
    missing = [str(p) for p in paths if not p.exists()]
    for m in missing:
        typer.echo(f"paperbrowse: {path_text(m)}: no such file or folder", err=True)
    existing = [p for p in paths if p.exists()]
    svc = services(ctx)
    from paperbrowse.tui.progress import IngestProgress

    try:
        with IngestProgress(sys.stderr) as progress, _saying_what_ctrl_c_does():
            report = svc.library.ingest(
                existing, fmt=fmt, as_of=as_of_date, rebuild=rebuild, progress=progress, wait=wait
            )
    except KeyboardInterrupt:
        typer.echo(
            "paperbrowse: interrupted; what was read and indexed is kept: "
            "the same ingest again finishes the job",
            err=True,
        )
        raise typer.Exit(130) from None
    svc.refresh_bookmarks()
    for line in report_lines(report):
        typer.echo(f"paperbrowse: {plain(line)}", err=True)
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


def report_lines(report) -> list[str]:
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
