"""Opening, copying and exporting: the main screen's actions that take a paper out of the app.

A mixin of :class:`tui.screens.main.MainScreen` (kept apart so that the screen module stays about
browsing); each action acts on ``current_paper()``, the paper the list and detail show, and
says what it did, and what it could not do, in a notice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from search.links import paper_link
from search.models import Paper
from search.text import clean
from tui.notices import clipboard_advice, no_browser, short_title

if TYPE_CHECKING:
    from textual.screen import Screen

    from search.services import Services

    _Base = Screen[None]
else:
    _Base = object


class SharingActions(_Base):
    """``o`` open the link, ``y``/``Y`` copy or show the BibTeX, ``e`` export the bookmarks."""

    if TYPE_CHECKING:

        @property
        def services(self) -> Services: ...

        def _paper_or_warn(self) -> Paper | None: ...

    def action_open_link(self) -> None:
        paper = self._paper_or_warn()
        if paper is None:
            return
        url = paper_link(paper)
        if url is None:
            self.notify("This paper has no web link.", severity="warning")
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser")
    def _open_in_browser(self, url: str) -> None:
        # Starting a browser can block for a while; keep it off the event loop.
        from tui.browser import open_link

        opened = open_link(url)
        self.app.call_from_thread(self._browser_answered, url, opened)

    def _browser_answered(self, url: str, opened: bool) -> None:
        if opened:
            self.notify(f"Opened in the browser: {clean(url)}", markup=False)
            return
        self.notify(no_browser(url), severity="warning", markup=False, timeout=10)
        from tui.screens.text import TextScreen

        self.app.push_screen(TextScreen("The paper's link (no browser could open it)", url))

    def _bibtex_of(self, paper: Paper) -> str:
        from search.bibtex import bibtex_entry

        bookmark = self.services.bookmarks.get(paper.id)
        return bibtex_entry(paper, bookmark.key if bookmark else None)

    def action_copy_bibtex(self) -> None:
        paper = self._paper_or_warn()
        if paper is None:
            return
        self.app.copy_to_clipboard(self._bibtex_of(paper))
        self.notify(f"BibTeX of {short_title(paper.title, 40)}: {clipboard_advice()}", timeout=8)

    def action_show_bibtex(self) -> None:
        paper = self._paper_or_warn()
        if paper is None:
            return
        from search.export import default_export_path
        from tui.screens.text import TextScreen

        text = self._bibtex_of(paper)
        folder = default_export_path(self.services.locations.data_dir).parent
        # Named after the entry's key (``@misc{hbformerhybrid2025,``), as a .bib file would be.
        key = text.partition("{")[2].partition(",")[0].strip()
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in key or paper.id) + ".bib"

        def save(path: Path | None) -> None:
            if path is not None:
                self._write_worker(path, text)

        screen = TextScreen(f"BibTeX: {short_title(paper.title)}", text, save_to=folder / name)
        self.app.push_screen(screen, save)

    @work(thread=True, group="export")
    def _write_worker(self, path: Path, text: str) -> None:
        from search.atomic import write_atomically

        try:
            write_atomically(path, text)
        except OSError as error:
            message, severity = f"Could not write {path}: {error.strerror or error}", "error"
        else:
            message, severity = f"Wrote the BibTeX entry to {path}", "information"
        self.app.call_from_thread(self.notify, message, severity=severity, markup=False)

    def action_export_bookmarks(self) -> None:
        from search.export import default_export_path
        from tui.screens.export import ExportRequest, ExportScreen

        count = len(self.services.bookmarks)
        if not count:
            self.notify("No bookmarks to export yet (b bookmarks a paper).", severity="warning")
            return

        def export(request: ExportRequest | None) -> None:
            if request is not None:
                self._export_worker(request.path, request.unicode)

        default = default_export_path(self.services.locations.data_dir)
        self.app.push_screen(ExportScreen(count, default), export)

    @work(thread=True, exclusive=True, group="export")
    def _export_worker(self, path: Path, unicode: bool) -> None:
        from search.export import ExportError, export_bibtex

        try:
            done = export_bibtex(self.services.bookmarks, unicode=unicode, path=path)
        except (ExportError, OSError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            message = f"Could not export to {path}: {reason}"
            self.app.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        message = done.summary().capitalize()
        if done.warnings:
            message += f" ({len(done.warnings)} characters kept as-is: no LaTeX form)"
        self.app.call_from_thread(self.notify, message, markup=False)
