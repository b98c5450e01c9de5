"""The ``paperbrowse`` command: a thin Typer layer over the headless core.

No subcommand opens the Textual app. Textual is imported only then (``search`` must start fast
and never import it: tests/test_import_hygiene.py proves it).

The CLI's modules do not use ``from __future__ import annotations``: Typer reads every command's
parameter annotations when it starts, and string annotations it must ``eval`` one by one
(~600 of them: ~20 ms of CPU in every cold ``paperbrowse search``, a tenth of one at 100k).
"""

import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from paperbrowse.tui.cli.common import plain
from paperbrowse.tui.cli.lazy import Entry, LazyGroup

#: The root app's Typer settings; each command is built with them too (tui/cli/lazy.py).
SETTINGS: dict[str, Any] = dict(
    add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False
)

#: Every command but the root, in the order the help lists them (Typer's: the commands, then
#: the groups): name -> (module in tui/cli/, attribute, attribute of its command() settings).
#: Only the module of the command that runs is imported (tui/cli/lazy.py says why).
COMMANDS: dict[str, Entry] = {
    "ingest": ("ingest", "ingest", None),
    "search": ("library", "search", "SEARCH_COMMAND"),
    "show": ("library", "show", None),
    "stats": ("library", "stats", None),
    "cite": ("cite", "cite", None),
    "new": ("watch", "new", None),
    "digest": ("watch", "digest", None),
    "top": ("timeline", "top", None),
    "trend": ("timeline", "trend", None),
    "bookmark": ("bookmarks", "bookmark_app", None),
    "export": ("bookmarks", "export_app", None),
    "fetch": ("fetch", "fetch_app", None),
    "mark": ("watch", "mark_app", None),
    "watch": ("watch", "watch_app", None),
}


class _Commands(LazyGroup):
    table = COMMANDS
    settings = SETTINGS


app = typer.Typer(
    name="paperbrowse",
    help="A local-first terminal reader for research-paper listings. "
    "Without a command, opens the app.",
    no_args_is_help=False,
    cls=_Commands,
    **SETTINGS,
)


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
        typer.echo(f"paperbrowse: {plain(str(exc))}", err=True)
        sys.exit(1)
    except sqlite3.Error as exc:
        typer.echo(f"paperbrowse: {plain(_database_message(exc))}", err=True)
        sys.exit(1)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        message = f"cannot use{where}: {exc.strerror or exc}{_disk_note()}"
        typer.echo(f"paperbrowse: {plain(message)}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("paperbrowse: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
