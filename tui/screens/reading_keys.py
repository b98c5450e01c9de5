"""The keys that open a paper's pages: its PDF and its Hugging Face page (``o``, the abstract
page, is the main screen's own). A paper without an arXiv id opens a search for its title."""

from __future__ import annotations

from paperbrowse.search.pages import arxiv_search_url, hf_search_url, hf_url, pdf_url
from textual.binding import Binding

BINDINGS = [
    Binding("p", "open_pdf", "PDF", show=False, tooltip="Open the paper's PDF (arXiv)"),
    Binding(
        "H",
        "open_hf_page",
        "HF page",
        key_display="H",
        show=False,
        tooltip="Open the paper's Hugging Face page",
    ),
]


class ReadingActions:
    """Mixed into the main screen, which provides ``with_current`` (the current paper, read
    off the event loop), ``_open_in_browser`` (SharingActions) and ``notify``."""

    def action_open_pdf(self) -> None:
        self.with_current(  # type: ignore[attr-defined]
            lambda current: self._open_page(
                pdf_url(current.paper), arxiv_search_url(current.paper), "arXiv"
            )
        )

    def action_open_hf_page(self) -> None:
        self.with_current(  # type: ignore[attr-defined]
            lambda current: self._open_page(
                hf_url(current.paper), hf_search_url(current.paper), "Hugging Face"
            )
        )

    def _open_page(self, url: str | None, search: str, site: str) -> None:
        if url is None:
            self.notify(f"No arXiv id: searching {site} for the title", markup=False)  # type: ignore[attr-defined]
            url = search
        # It says whether a browser took the link (tui/screens/sharing.py).
        self._open_in_browser(url)  # type: ignore[attr-defined]
