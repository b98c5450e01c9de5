"""``paperbrowse bookmark …`` and ``paperbrowse export bibtex``: thin commands over the store.

Registered by tui/cli.py. Services come from ``ctx.obj()`` (built lazily by the root callback).
Every command that names papers validates all ids first: an unknown id is one clear line on
stderr, exit code 1, and nothing changes. Output is plain text, never Rich markup.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from search.bookmarks import Bookmark
from search.models import Paper
from search.text import arxiv_abs_url, bare_arxiv_id, strip_controls
from tui.jsonout import json_text

bookmark_app = typer.Typer(
    help="Bookmark papers, tag them and write notes (kept apart from the rebuildable index).",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)
export_app = typer.Typer(
    help="Export bookmarks for citing.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)

IdsArg = Annotated[list[str], typer.Argument(help="Paper ids, arXiv ids or arXiv abs URLs.")]
TagOpt = Annotated[str | None, typer.Option("--tag", "-t", help="Only bookmarks with this tag.")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"paperbrowse: {strip_controls(message)}", err=True)
    return typer.Exit(code)


def _out(text: str) -> None:
    """Plain text to stdout: data from dumps never carries control sequences to the terminal."""
    typer.echo(strip_controls(text))


def _services(ctx: typer.Context) -> Any:
    return ctx.obj()


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def _resolve_papers(ctx: typer.Context, ids: list[str]) -> list[Paper]:
    """The papers to bookmark: from the library, else an existing bookmark's copy."""
    svc = _services(ctx)
    papers: list[Paper] = []
    unknown: list[str] = []
    for given in ids:
        paper = svc.library.get(given)
        if paper is None:
            mark = svc.bookmarks.get(given)
            paper = mark.paper if mark else None
        if paper is None:
            unknown.append(given)
        else:
            papers.append(paper)
    if unknown:
        raise _fail(f"unknown paper id{'s' if len(unknown) > 1 else ''}: {_names(unknown)}")
    return papers


def _resolve_bookmarks(ctx: typer.Context, ids: list[str]) -> list[str]:
    """The stored bookmark ids for ``ids`` (bookmark ids, arXiv ids, or ids the library knows)."""
    svc = _services(ctx)
    found: list[str] = []
    unknown: list[str] = []
    not_marked: list[str] = []
    for given in ids:
        mark = svc.bookmarks.get(given)
        if mark is None:
            paper = svc.library.get(given)
            if paper is None:
                unknown.append(given)
                continue
            mark = svc.bookmarks.match(paper)
            if mark is None:
                not_marked.append(given)
                continue
        found.append(mark.id)
    if unknown:
        raise _fail(f"unknown paper id{'s' if len(unknown) > 1 else ''}: {_names(unknown)}")
    if not_marked:
        raise _fail(f"not bookmarked: {_names(not_marked)}")
    return found


def _line(mark: Bookmark) -> str:
    """One bookmark as a list line: id, year, read mark, title, tags."""
    year = str(mark.paper.year) if mark.paper.year else "----"
    read = "x" if mark.read else " "
    tags = "  " + " ".join(f"#{t}" for t in mark.tags) if mark.tags else ""
    return f"{mark.id:<16} {year} [{read}] {mark.paper.title}{tags}"


def bookmark_json(mark: Bookmark) -> dict[str, Any]:
    """The ``bookmark list --json`` record of one bookmark."""
    paper = mark.paper
    arxiv = paper.arxiv_id or bare_arxiv_id(paper.id)
    return {
        "id": mark.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "n_authors": paper.author_count,
        "published": paper.published.isoformat() if paper.published else None,
        "arxiv_id": arxiv,
        "url": arxiv_abs_url(arxiv) if arxiv else next(iter(paper.urls), None),
        "tags": list(mark.tags),
        "note": mark.note,
        "read": mark.read,
        "created": mark.created.isoformat(),
        "key": mark.key,
    }


@bookmark_app.command("add")
def add(
    ctx: typer.Context,
    ids: IdsArg,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Tag to add (repeatable).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Note (replaces).")] = None,
) -> None:
    """Bookmark papers (again: refreshes their copy and adds the tags); all of them or none."""
    papers = _resolve_papers(ctx, ids)
    # One transaction: printed only once every bookmark has landed.
    for mark in _services(ctx).bookmarks.add_many(papers, tags=tag or (), note=note):
        _out(f"bookmarked {mark.id}: {mark.paper.title}")


@bookmark_app.command("remove")
def remove(ctx: typer.Context, ids: IdsArg) -> None:
    """Remove bookmarks (with their tags and notes); says what each one held."""
    store = _services(ctx).bookmarks
    for bid in _resolve_bookmarks(ctx, ids):
        gone = store.pop(bid)
        if gone is not None:
            _out(removed_line(gone))


def removed_line(mark: Bookmark) -> str:
    """What ``bookmark remove`` took away: the title, and the tags and note the user made
    (printed in full, so that nothing typed is gone without a trace)."""
    line = f"removed {mark.id}: {mark.paper.title}"
    if mark.tags:
        line += "\n  tags: " + " ".join(f"#{t}" for t in mark.tags)
    if mark.note:
        line += "\n  note: " + mark.note.replace("\n", "\n        ")
    return line


@bookmark_app.command("list")
def list_(
    ctx: typer.Context,
    tag: TagOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array, for scripts.")] = False,
) -> None:
    """Bookmarks, newest first."""
    marks = _services(ctx).bookmarks.list(tag=tag)
    if as_json:
        typer.echo(json_text([bookmark_json(m) for m in marks]))
        return
    for mark in marks:
        _out(_line(mark))
    if not marks:
        typer.echo(f"no bookmarks{f' tagged {tag}' if tag else ''}", err=True)


@bookmark_app.command("tags")
def tags(ctx: typer.Context) -> None:
    """Tags in use, with how many bookmarks carry each."""
    for name, count in _services(ctx).bookmarks.tags().items():
        _out(f"{count:>5}  {name}")


@bookmark_app.command("tag")
def tag_(
    ctx: typer.Context,
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="A bookmarked paper.")],
    names: Annotated[list[str], typer.Argument(metavar="TAG...", help="Tags to add.")],
) -> None:
    """Add tags to a bookmark."""
    (bid,) = _resolve_bookmarks(ctx, [paper_id])
    mark = _services(ctx).bookmarks.tag(bid, *names)
    _out(f"{mark.id}: {' '.join(mark.tags)}")


@bookmark_app.command("untag")
def untag(
    ctx: typer.Context,
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="A bookmarked paper.")],
    names: Annotated[list[str], typer.Argument(metavar="TAG...", help="Tags to remove.")],
) -> None:
    """Remove tags from a bookmark."""
    (bid,) = _resolve_bookmarks(ctx, [paper_id])
    mark = _services(ctx).bookmarks.untag(bid, *names)
    _out(f"{mark.id}: {' '.join(mark.tags)}")


@bookmark_app.command("note")
def note_(
    ctx: typer.Context,
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="A bookmarked paper.")],
    text: Annotated[str, typer.Argument(help='The note ("" clears it).')],
) -> None:
    """Set a bookmark's note."""
    (bid,) = _resolve_bookmarks(ctx, [paper_id])
    _services(ctx).bookmarks.set_note(bid, text)
    _out(f"noted {bid}")


def _set_read(ctx: typer.Context, ids: list[str], read: bool) -> None:
    store = _services(ctx).bookmarks
    for bid in _resolve_bookmarks(ctx, ids):
        store.set_read(bid, read)
        _out(f"{bid}: {'read' if read else 'unread'}")


@bookmark_app.command("read")
def read(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark bookmarks read."""
    _set_read(ctx, ids, True)


@bookmark_app.command("unread")
def unread(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark bookmarks unread."""
    _set_read(ctx, ids, False)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: a reader never sees half a file."""
    path = path.expanduser()
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@export_app.command("bibtex")
def bibtex(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically) instead of stdout.",
            dir_okay=False,
        ),
    ] = None,
    tag: TagOpt = None,
    unicode: Annotated[
        bool, typer.Option("--unicode", help="Keep UTF-8 (for biblatex/biber) instead of LaTeX.")
    ] = False,
) -> None:
    """BibTeX for bookmarks (arXiv's format; compiles with pdflatex + bibtex)."""
    from search.bibtex import render_bibtex

    store = _services(ctx).bookmarks
    if tag is not None and tag not in store.tags():
        raise _fail(f"no bookmark is tagged {tag!r}")
    marks = store.list(tag=tag)
    # Keys are stored on first export, so a bookmark is cited the same way ever after (not
    # in a read-only data dir: the export still works, with the keys it would store).
    if not store.read_only:
        store.assign_keys([m.id for m in marks])
    marks = sorted(store.list(tag=tag), key=lambda m: m.key or "")
    export = render_bibtex(marks, unicode=unicode)
    for warning in export.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if output is None:
        typer.echo(export.text, nl=False)
    else:
        if not output.expanduser().parent.is_dir():
            raise _fail(f"no such folder: {output.expanduser().parent}")
        write_atomically(output, export.text)
        typer.echo(
            f"wrote {len(marks)} entr{'y' if len(marks) == 1 else 'ies'} to {output}", err=True
        )
    if not marks:
        typer.echo("paperbrowse: no bookmarks to export", err=True)
