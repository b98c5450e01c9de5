"""``paperbrowse cite``: citations of any papers, in BibTeX, RIS or CSL-JSON, for pipes.

``paperbrowse search … --ids | paperbrowse cite -`` cites a search; ids may also be given as
arguments. A bookmarked paper is cited under its stored key, any other under a generated key
that no bookmark uses. Every paper that can be found is cited; an id that cannot is one line on
stderr and the exit code is 1 (as ingest treats a bad record).
"""

import sys
from typing import Annotated

import typer
from paperbrowse.search.cite import FORMATS
from paperbrowse.search.models import Paper
from paperbrowse.search.text import strip_controls
from paperbrowse.tui.cli.common import OutputOpt, fail, require_papers


def _given_ids(ids: list[str]) -> list[str]:
    """The ids to cite: arguments, with ``-`` standing for every id on standard input."""
    out: list[str] = []
    for given in ids:
        if given == "-":
            # One id a line (what `search --ids` prints); blank lines and `#` comments skipped.
            for line in sys.stdin:
                word = line.split("#", 1)[0].strip()
                if word:
                    out.append(word)
        else:
            out.append(given)
    return list(dict.fromkeys(out))  # the same paper named twice is cited once


def cite(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", help="Paper ids, arXiv ids or URLs; `-` reads ids from stdin."
        ),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")
    ] = "bibtex",
    output: OutputOpt = None,
    unicode: Annotated[
        bool, typer.Option("--unicode", help="BibTeX: keep UTF-8 (biblatex/biber).")
    ] = False,
) -> None:
    """Cite papers (bookmarked or not) in BibTeX, RIS or CSL-JSON."""
    from paperbrowse.search.cite import keyed, render

    if fmt not in FORMATS:
        raise fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}", 2)
    wanted = _given_ids(ids)
    if not wanted:
        raise fail("no paper ids given (on standard input either)", 2)
    svc = ctx.obj()
    marks = svc.bookmarks.list()
    papers: list[Paper] = []
    stored: dict[str, str] = {}
    unknown: list[str] = []
    for given in wanted:
        paper = svc.library.get(given)
        mark = svc.bookmarks.match(paper) if paper else svc.bookmarks.get(given)
        if paper is None and mark is not None:
            paper = mark.paper  # a bookmark whose paper left the library: its kept copy
        if paper is None:
            unknown.append(given)
            continue
        if mark is not None and mark.key:
            stored[paper.id] = mark.key
        papers.append(paper)
    papers = list({p.id: p for p in papers}.values())  # an id and its URL are one paper
    if not papers:
        require_papers(svc)  # nothing found because nothing is ingested: say so (exit 3)
    for given in unknown:
        typer.echo(f"paperbrowse: no paper with id {strip_controls(given)!r}", err=True)
    if papers:
        taken = {m.key for m in marks if m.key}
        result = render(keyed(papers, stored, taken), fmt, unicode=unicode)
        for warning in result.warnings:
            typer.echo(f"warning: {strip_controls(warning)}", err=True)
        if output is None:
            typer.echo(result.text, nl=False)
        else:
            from paperbrowse.search.atomic import write_atomically

            if not output.expanduser().parent.is_dir():
                raise fail(f"no such folder: {output.expanduser().parent}")
            write_atomically(output, result.text)
            n = len(papers)
            typer.echo(f"wrote {n} citation{'s' if n != 1 else ''} to {output}", err=True)
    if unknown:
        raise typer.Exit(1)
