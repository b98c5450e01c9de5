"""The CLI's door into the TUI: imported lazily so that `paperbrowse search` never loads Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperbrowse.search.services import Services


def run_app(services: Services) -> None:
    """Open the app over ``services`` (from ``search.services.build_services``) until it quits."""
    from paperbrowse.tui.app import PaperBrowseApp

    PaperBrowseApp(services).run()
