"""The CLI's door into the TUI: imported lazily so that `paperbrowse search` never loads Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperbrowse.search.services import Services


def run_app(services: Services) -> None:
    """Open the app over ``services`` (from ``search.services.build_services``) until it quits."""
    from paperbrowse.tui.app import PaperBrowseApp

    PaperBrowseApp(services).run()
    # After the app: the session's end is what "new since your last session" counts from.
    import sqlite3

    from paperbrowse.search.reading import Sessions

    try:
        Sessions(services.bookmarks).end()
    except sqlite3.Error:
        pass  # a read-only data dir: the next session counts from this one's start
