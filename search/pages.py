"""The web pages of a paper a reader opens: its PDF, its Hugging Face page, and, for a paper
with no link of its own, a search for its title."""

from __future__ import annotations

from urllib.parse import quote_plus

from paperbrowse.search.models import Paper
from paperbrowse.search.tex2text import tex_to_text


def pdf_url(paper: Paper) -> str | None:
    """``https://arxiv.org/pdf/ID`` for a paper with an arXiv id."""
    return f"https://arxiv.org/pdf/{paper.arxiv_id}" if paper.arxiv_id else None


def hf_url(paper: Paper) -> str | None:
    """The paper's Hugging Face page (``https://huggingface.co/papers/ID``), by arXiv id."""
    return f"https://huggingface.co/papers/{paper.arxiv_id}" if paper.arxiv_id else None


def arxiv_search_url(paper: Paper) -> str:
    """arXiv's search for the paper's title (as text: TeX would not match arXiv's index)."""
    title = quote_plus(tex_to_text(paper.title))
    return f"https://arxiv.org/search/?query={title}&searchtype=title"


def hf_search_url(paper: Paper) -> str:
    """Hugging Face's papers search for the paper's title."""
    return f"https://huggingface.co/papers?q={quote_plus(tex_to_text(paper.title))}"
