"""``paperbrowse bookmark export`` and ``bookmark import``: the user's bookmarks as a file.

The file format and the merge rules are the core's (search/bookmark_io.py); these commands only
read and write files and say what happened. Registered on the bookmark group by
tui/cli/bookmarks.py.
"""

from pathlib import Path
from typing import Annotated

import typer
from paperbrowse.search.models import Paper
from paperbrowse.tui.cli.common import OutputOpt, fail


def export_file(
    ctx: typer.Context,
    output: OutputOpt = None,
) -> None:
    """Every bookmark with its tags, note, read state, key and times, the other papers read and
    the watches, as JSON lines (stable)."""
    from paperbrowse.search.bookmark_io import export_lines
    from paperbrowse.search.reading import ReadState
    from paperbrowse.search.watches import Watches

    store = ctx.obj().bookmarks
    marks = store.list()
    text = export_lines(marks, ReadState(store).read_at(), Watches(store).list())
    if output is None:
        typer.echo(text, nl=False)
    else:
        from paperbrowse.search.atomic import write_atomically

        if not output.expanduser().parent.is_dir():
            raise fail(f"no such folder: {output.expanduser().parent}")
        write_atomically(output, text)
    n = len(marks)
    where = f" to {output}" if output else ""
    typer.echo(f"exported {n} bookmark{'s' if n != 1 else ''}{where}", err=True)


def import_file(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file written by `bookmark export` (- : stdin).")],
) -> None:
    """Merge an exported bookmark file into this library (no duplicates; nothing typed is lost)."""
    import sys

    from paperbrowse.search.bookmark_io import BookmarkFileError, import_user_file, parse_file

    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.expanduser().read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise fail(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise fail(f"{name}: not UTF-8 text (byte {exc.start}); nothing imported") from None
    try:
        data = parse_file(text, name)
    except BookmarkFileError as exc:
        raise fail(f"{exc}; nothing imported") from None
    svc = ctx.obj()
    library = svc.library

    def in_library(paper: Paper) -> bool:
        if library.get(paper.id) is not None:
            return True
        return bool(paper.arxiv_id and library.get(paper.arxiv_id))

    report = import_user_file(svc.bookmarks, data, in_library)
    typer.echo(f"imported {name}: {report.summary()}", err=True)
