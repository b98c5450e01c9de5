"""What the paper actions do, apart from any screen: the link `o` opens, the file `e` writes.

Kept free of Textual so that the rules can be tested (and reused) on their own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from search.models import Paper
from search.text import arxiv_abs_url, clean

EXPORT_NAME = "paperbrowse-bookmarks.bib"


def paper_link(paper: Paper) -> str | None:
    """The link `o` opens: the arXiv abstract page if there is one, else the first web link.

    Only http(s) links qualify: a dump could carry ``file:`` or ``javascript:`` URLs.
    """
    web = [u for u in paper.urls if u.lower().startswith(("http://", "https://"))]
    for url in web:
        if "arxiv.org/abs/" in url:
            return url
    if paper.arxiv_id:
        return arxiv_abs_url(paper.arxiv_id)
    return web[0] if web else None


def export_bookmarks(store: Any, path: Path) -> str:
    """Write every bookmark in ``store`` as BibTeX to ``path``; return the line to tell the user.

    Keys are stored on first export (as ``paperbrowse bookmark export`` does), so a paper is
    cited the same way ever after. Raises OSError when the file cannot be written.
    """
    from search.bibtex import render_bibtex

    if not store.ids():
        return "No bookmarks to export yet."
    store.assign_keys()
    bookmarks = sorted(store.list(), key=lambda b: b.key or "")
    export = render_bibtex(bookmarks)
    write_atomic(path, export.text)
    message = f"Exported {len(bookmarks)} bookmark{'s' if len(bookmarks) != 1 else ''} to {path}"
    if export.warnings:
        message += f" ({len(export.warnings)} characters kept as-is: no LaTeX form)"
    return message


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def short_title(title: str, width: int = 60) -> str:
    """A title cut to ``width`` characters for a one-line notification."""
    title = clean(title)
    return title if len(title) <= width else title[: width - 1] + "…"
