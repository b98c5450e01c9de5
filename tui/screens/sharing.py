"""Opening, copying and exporting: the main screen's actions that take a paper out of the app.

A mixin of :class:`tui.screens.main.MainScreen` (kept apart so that the screen module stays about
browsing); each action acts on the paper the list and detail show (``with_current``), and
says what it did, and what it could not do, in a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from paperbrowse.search.links import paper_link
from paperbrowse.search.pages import arxiv_search_url
from paperbrowse.search.text import clean
from paperbrowse.tui.dbwork import ask
from paperbrowse.tui.notices import clipboard_advice, no_browser, short_title
from textual import work

if TYPE_CHECKING:
    from paperbrowse.search.export import Exported
    from paperbrowse.search.services import Services
    from paperbrowse.tui.screens.bookmark_actions import Current
    from paperbrowse.tui.screens.export import ExportRequest
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object


class SharingActions(_Base):
    """``o`` open the link, ``y``/``Y`` copy or show the BibTeX, ``e`` export the bookmarks."""

    if TYPE_CHECKING:

        @property
        def services(self) -> Services: ...

        def with_current(self, act: Callable[[Current], None]) -> None: ...

    def action_open_link(self) -> None:
        self.with_current(self._open_link)

    def _open_link(self, current: Current) -> None:
        assert current.paper is not None
        url = paper_link(current.paper)
        if url is None:
            # No link of its own (a page copy without an id): arXiv's search for its title.
            self.notify("No web link of its own: searching arXiv for the title", markup=False)
            self._open_in_browser(arxiv_search_url(current.paper))
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser")
    def _open_in_browser(self, url: str) -> None:
        # Starting a browser can block for a while; keep it off the event loop.
        from paperbrowse.tui.browser import open_link

        opened = open_link(url)
        self.app.call_from_thread(self._browser_answered, url, opened)

    def _browser_answered(self, url: str, opened: bool) -> None:
        if opened:
            self.notify(f"Opened in the browser: {clean(url)}", markup=False)
            return
        self.notify(no_browser(url), severity="warning", markup=False, timeout=10)
        from paperbrowse.tui.screens.text import TextScreen

        self.app.push_screen(TextScreen("The paper's link (no browser could open it)", url))

    @staticmethod
    def _bibtex_of(current: Current) -> str:
        from paperbrowse.search.bibtex import bibtex_entry

        assert current.paper is not None
        bookmark = current.bookmark
        return bibtex_entry(current.paper, bookmark.key if bookmark else None)

    def action_copy_bibtex(self) -> None:
        self.with_current(self._copy_bibtex)

    def _copy_bibtex(self, current: Current) -> None:
        assert current.paper is not None
        self.app.copy_to_clipboard(self._bibtex_of(current))
        title = short_title(current.paper.title, 40)
        self.notify(f"BibTeX of {title}: {clipboard_advice()}", timeout=8, markup=False)

    def action_show_bibtex(self) -> None:
        self.with_current(self._show_bibtex)

    def _show_bibtex(self, current: Current) -> None:
        from paperbrowse.search.export import default_export_path
        from paperbrowse.tui.screens.text import TextScreen

        assert current.paper is not None
        text = self._bibtex_of(current)
        folder = default_export_path(self.services.locations.data_dir).parent
        # Named after the entry's key (``@misc{hbformerhybrid2025,``), as a .bib file would be.
        key = text.partition("{")[2].partition(",")[0].strip() or current.paper.id
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in key) + ".bib"

        def save(path: Path | None) -> None:
            if path is not None:
                self._write_worker(path, text)

        title = f"BibTeX: {short_title(current.paper.title)}"
        self.app.push_screen(TextScreen(title, text, save_to=folder / name), save)

    @work(thread=True, group="export")
    def _write_worker(self, path: Path, text: str) -> None:
        from paperbrowse.search.atomic import write_atomically

        try:
            write_atomically(path, text)
        except OSError as error:
            message, severity = f"Could not write {path}: {error.strerror or error}", "error"
        else:
            message, severity = f"Wrote the BibTeX entry to {path}", "information"
        self.app.call_from_thread(self.notify, message, severity=severity, markup=False)

    def action_export_bookmarks(self) -> None:
        services = self.services
        ask(
            self,  # type: ignore[arg-type]
            services.reads,
            lambda: len(services.bookmarks),
            self._ask_where,
            group="export-count",
        )

    def _ask_where(self, count: int) -> None:
        from paperbrowse.search.export import default_export_path
        from paperbrowse.tui.screens.export import ExportScreen

        if not count:
            self.notify("No bookmarks to export yet (b bookmarks a paper).", severity="warning")
            return

        def export(request: ExportRequest | None) -> None:
            if request is not None:
                self._export(request)

        default = default_export_path(self.services.locations.data_dir)
        self.app.push_screen(ExportScreen(count, default), export)

    def _export(self, request: ExportRequest) -> None:
        from paperbrowse.search.export import export_bookmarks

        store = self.services.bookmarks

        def failed(error: Exception) -> None:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            message = f"Could not export to {request.path}: {reason}"
            self.notify(message, severity="error", markup=False)

        # On the writes lane: the export stores the keys it gives (a bookmark write).
        ask(
            self,  # type: ignore[arg-type]
            self.services.writes,
            lambda: export_bookmarks(
                store, fmt=request.fmt, unicode=request.unicode, path=request.path
            ),
            self._exported,
            group="export",
            exclusive=False,
            failed=failed,
        )

    def _exported(self, done: Exported) -> None:
        message = done.summary().capitalize()
        if done.warnings:
            message += f" ({len(done.warnings)} characters kept as-is: no LaTeX form)"
        self.notify(message, markup=False)
