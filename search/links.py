"""The web link of a paper: the one `o` opens and `paperbrowse show` prints."""

from __future__ import annotations

from paperbrowse.search.models import Paper
from paperbrowse.search.text import arxiv_abs_url


def paper_link(paper: Paper) -> str | None:
    """The arXiv abstract page if there is one, else the first web link, else None.

    Only http(s) links qualify: a dump could carry ``file:`` or ``javascript:`` URLs.
    """
    web = [u for u in paper.urls if u.lower().startswith(("http://", "https://"))]
    for url in web:
        if "arxiv.org/abs/" in url:
            return url
    if paper.arxiv_id:
        return arxiv_abs_url(paper.arxiv_id)
    return web[0] if web else None
