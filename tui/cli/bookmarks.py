"""``paperbrowse bookmark …`` and ``paperbrowse export …``: thin commands over the store.

Registered by tui/cli/__init__.py (imported only when one of them runs). Services come from
``ctx.obj()`` (built lazily by the root callback). Every command that names papers validates
all ids first: an unknown id is one clear line on stderr, exit code 1, and nothing changes (on
an empty library the reason is that nothing has been ingested yet: ``require_papers`` says how
to, exit 3). Output is plain text, never Rich markup.
"""

from pathlib import Path
from typing import Annotated, Any

import typer
from paperbrowse.search.bookmarks import Bookmark
from paperbrowse.search.cite import FORMATS
from paperbrowse.search.jsonout import json_text
from paperbrowse.search.models import Paper
from paperbrowse.search.text import arxiv_abs_url, bare_arxiv_id
from paperbrowse.tui.cli.bookmark_file import export_file, import_file
from paperbrowse.tui.cli.common import IdsArg, OutputOpt, fail, group, out, require_papers, services

bookmark_app = group(
    "Bookmark papers, tag them and write notes (kept apart from the rebuildable index)."
)
export_app = group("Export bookmarks for citing.")

#: The one bookmark a command acts on (tag, untag, note).
BookmarkArg = Annotated[str, typer.Argument(metavar="ID", help="A bookmarked paper.")]
TagOpt = Annotated[str | None, typer.Option("--tag", "-t", help="Only bookmarks with this tag.")]


def _names(ids: list[str]) -> str:
    return ", ".join(ids)


def _resolve_papers(ctx: typer.Context, ids: list[str]) -> list[Paper]:
    """The papers to bookmark: from the library, else an existing bookmark's copy."""
    svc = services(ctx)
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
        require_papers(svc)
        raise fail(f"unknown paper id{'s' if len(unknown) > 1 else ''}: {_names(unknown)}")
    return papers


def _resolve_bookmarks(ctx: typer.Context, ids: list[str]) -> list[str]:
    """The stored bookmark ids for ``ids`` (bookmark ids, arXiv ids, or ids the library knows)."""
    svc = services(ctx)
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
        require_papers(svc)
        raise fail(f"unknown paper id{'s' if len(unknown) > 1 else ''}: {_names(unknown)}")
    if not_marked:
        raise fail(f"not bookmarked: {_names(not_marked)}")
    return found


def _line(mark: Bookmark, in_library: bool = True, in_sample: bool = False) -> str:
    """One bookmark as a list line: id, year, read mark, title, tags, and where its paper is
    when that is not the user's library."""
    year = str(mark.paper.year) if mark.paper.year else "----"
    read = "x" if mark.read else " "
    tags = "  " + " ".join(f"#{t}" for t in mark.tags) if mark.tags else ""
    where = ""
    if not in_library:
        where = "  (in the bundled sample)" if in_sample else "  (not in the library)"
    return f"{mark.id:<16} {year} [{read}] {mark.paper.title}{tags}{where}"


def in_library_ids(ctx: typer.Context, marks: list[Bookmark]) -> set[str]:
    """Which of ``marks`` the library has (an imported bookmark may name a paper it lacks)."""
    return {p.id for p in services(ctx).library.get_many([m.id for m in marks])}


def in_sample_ids(ctx: typer.Context, marks: list[Bookmark], present: set[str]) -> set[str]:
    """Which of ``marks`` the library lacks are papers of the bundled sample: bookmarked in the
    app while it showed the sample (a new user's first library, search/services.py)."""
    return services(ctx).sample_has([m.id for m in marks if m.id not in present])


def bookmark_json(
    mark: Bookmark, in_library: bool = True, in_sample: bool = False
) -> dict[str, Any]:
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
        "updated": (mark.updated or mark.created).isoformat(),
        "key": mark.key,
        "in_library": in_library,
        "in_sample": in_sample,
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
    for mark in services(ctx).bookmarks.add_many(papers, tags=tag or (), note=note):
        out(f"bookmarked {mark.id}: {mark.paper.title}")


@bookmark_app.command("remove")
def remove(ctx: typer.Context, ids: IdsArg) -> None:
    """Remove bookmarks (with their tags and notes); says what each one held."""
    store = services(ctx).bookmarks
    for bid in _resolve_bookmarks(ctx, ids):
        gone = store.pop(bid)
        if gone is not None:
            out(removed_line(gone))


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
    marks = services(ctx).bookmarks.list(tag=tag)
    present = in_library_ids(ctx, marks)
    sample = in_sample_ids(ctx, marks, present)
    if as_json:
        typer.echo(json_text([bookmark_json(m, m.id in present, m.id in sample) for m in marks]))
        return
    for mark in marks:
        out(_line(mark, mark.id in present, mark.id in sample))
    if not marks:
        typer.echo(f"no bookmarks{f' tagged {tag}' if tag else ''}", err=True)
        if tag is None:
            require_papers(services(ctx))


@bookmark_app.command("tags")
def tags(ctx: typer.Context) -> None:
    """Tags in use, with how many bookmarks carry each."""
    for name, count in services(ctx).bookmarks.tags().items():
        out(f"{count:>5}  {name}")


@bookmark_app.command("tag")
def tag_(
    ctx: typer.Context,
    paper_id: BookmarkArg,
    names: Annotated[list[str], typer.Argument(metavar="TAG...", help="Tags to add.")],
) -> None:
    """Add tags to a bookmark."""
    (bid,) = _resolve_bookmarks(ctx, [paper_id])
    mark = services(ctx).bookmarks.tag(bid, *names)
    out(f"{mark.id}: {' '.join(mark.tags)}")


@bookmark_app.command("untag")
def untag(
    ctx: typer.Context,
    paper_id: BookmarkArg,
    names: Annotated[list[str], typer.Argument(metavar="TAG...", help="Tags to remove.")],
) -> None:
    """Remove tags from a bookmark."""
    (bid,) = _resolve_bookmarks(ctx, [paper_id])
    mark = services(ctx).bookmarks.untag(bid, *names)
    out(f"{mark.id}: {' '.join(mark.tags)}")


@bookmark_app.command("note")
def note_(
    ctx: typer.Context,
    paper_id: BookmarkArg,
    text: Annotated[str, typer.Argument(help='The note ("" clears it).')],
) -> None:
    """Set a bookmark's note."""
    (bid,) = _resolve_bookmarks(ctx, [paper_id])
    services(ctx).bookmarks.set_note(bid, text)
    out(f"noted {bid}")


def _set_read(ctx: typer.Context, ids: list[str], read: bool) -> None:
    store = services(ctx).bookmarks
    for bid in _resolve_bookmarks(ctx, ids):
        store.set_read(bid, read)
        out(f"{bid}: {'read' if read else 'unread'}")


@bookmark_app.command("read")
def read(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark bookmarks read."""
    _set_read(ctx, ids, True)


@bookmark_app.command("unread")
def unread(ctx: typer.Context, ids: IdsArg) -> None:
    """Mark bookmarks unread."""
    _set_read(ctx, ids, False)


def _export(ctx: typer.Context, fmt: str, output: Path | None, tag: str | None, unicode: bool):
    from paperbrowse.search.export import ExportError, export_bookmarks

    try:
        export = export_bookmarks(
            services(ctx).bookmarks, fmt=fmt, tag=tag, unicode=unicode, path=output
        )
    except ExportError as exc:
        raise fail(str(exc)) from None
    for warning in export.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not export.count:
        typer.echo("paperbrowse: no bookmarks to export", err=True)
        require_papers(services(ctx))
    elif output is None:
        typer.echo(export.text, nl=False)
    else:
        typer.echo(export.summary(), err=True)


#: What ``export FORMAT --help`` says, for each of search/cite.py's FORMATS.
EXPORT_HELP = {
    "bibtex": "BibTeX for bookmarks (arXiv's format; compiles with pdflatex + bibtex).",
    "ris": "RIS for bookmarks (Zotero, Mendeley, EndNote import it).",
    "csl-json": "CSL-JSON for bookmarks (Pandoc, citeproc, Zotero read it).",
}
UnicodeOpt = Annotated[
    bool, typer.Option("--unicode", help="Keep UTF-8 (for biblatex/biber) instead of LaTeX.")
]


def _export_command(fmt: str) -> None:
    """Register ``export FMT``: the same options and flow for every format. Only BibTeX takes
    ``--unicode`` (it writes LaTeX escapes by default; RIS and CSL-JSON are always UTF-8), so
    its command is the one with that option."""
    if fmt == "bibtex":

        def command(
            ctx: typer.Context,
            output: OutputOpt = None,
            tag: TagOpt = None,
            unicode: UnicodeOpt = False,
        ) -> None:
            _export(ctx, fmt, output, tag, unicode)

    else:

        def command(ctx: typer.Context, output: OutputOpt = None, tag: TagOpt = None) -> None:
            _export(ctx, fmt, output, tag, False)

    export_app.command(fmt, help=EXPORT_HELP[fmt])(command)


for _fmt in FORMATS:
    _export_command(_fmt)

# The bookmark file's commands, last in ``bookmark --help``; their own module, since they are
# about the file format, not the store.
bookmark_app.command("export")(export_file)
bookmark_app.command("import")(import_file)
