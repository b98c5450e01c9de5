"""What every command of the CLI shares, so that they all behave alike.

- How a command group is made (``bookmark``, ``export``, ``fetch``, ``mark``, ``watch``): a bare
  group prints its help; output is plain text (titles from dumps are data, never Rich markup).
- The services (``ctx.obj``, built on first use by the root callback).
- Failing: one clear line on stderr and an exit code (1 an error, 2 a usage error, 3 an empty
  library: scripts can tell "empty library" from "no match" and from an error).
- Plain output: ``fail``, ``out`` and ``plain`` strip control codes, because messages and lines
  carry text from dumps and from the user.
- Option values read the same way by every command (counts such as ``1e3``, dates, a query
  quoted in a message).
"""

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from paperbrowse.search.datearg import parse_date_arg
from paperbrowse.search.text import strip_controls

#: Paper ids as the commands that name papers take them.
IdsArg = Annotated[list[str], typer.Argument(help="Paper ids, arXiv ids or arXiv abs URLs.")]
#: Where a command that writes a file (export, cite, bookmark export) writes it.
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of stdout.", dir_okay=False
    ),
]


def group(help: str) -> typer.Typer:
    """A command group: ``paperbrowse GROUP`` alone prints its help; output is plain text."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, add_completion=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line on stderr (control codes stripped); return the Exit to raise."""
    typer.echo(f"paperbrowse: {strip_controls(message)}", err=True)
    return typer.Exit(code)


def out(text: str) -> None:
    """Plain text to stdout: data from dumps never carries control sequences to the terminal."""
    typer.echo(strip_controls(text))


def services(ctx: typer.Context) -> Any:
    """The services, built on first use by the root callback (``ctx.obj`` is the builder)."""
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
    """Stop with the empty-library message (exit 3) when the library has no papers; say so
    first when the command will rebuild the index (after an upgrade: silent, it looked hung)."""
    library = services.library
    if library.is_empty():
        raise fail(plain(empty_library_message(services)), EXIT_EMPTY_LIBRARY)
    if library.index_outdated():
        typer.echo(
            f"paperbrowse: the search index is missing or from another version of paperbrowse: "
            f"rebuilding it from the library's {library.count():,} papers first (once; "
            "bookmarks and your other data are untouched)",
            err=True,
        )


def plain(text: str) -> str:
    """Dump text on its way to a terminal: no control sequences, ever."""
    return strip_controls(text)


def quoted(query: str, most: int = 80) -> str:
    """A query echoed in a message: quoted, cleaned, and cut if long (it may be 100 KB)."""
    text = plain(query)
    if len(text) <= most:
        return repr(text)
    return f"{text[:most]!r}… ({len(text):,} characters)"


def count_option(name: str, value: str | None) -> int | None:
    """A whole number option that also takes ``1e3``; any size (the core clamps it)."""
    if value is None:
        return None
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(value.strip().replace("_", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise fail(f"{name}: expected a whole number such as 10 or 1e3, got {quoted(value)}", 2)
    if number < 0:
        raise fail(f"{name}: expected a number of 0 or more, got {quoted(value)}", 2)
    return int(number)


def date_option(name: str, value: str | None, *, end: bool = False) -> date | None:
    if value is None:
        return None
    try:
        return parse_date_arg(value, end=end)
    except ValueError as exc:
        raise fail(f"{name}: {exc}", 2) from None
