"""RIS, the tagged format Zotero, Mendeley, EndNote and most reference managers import.

One record a paper: ``TAG  - value`` lines ending with ``ER  - ``. Every value is one line of
plain text: TeX in titles and abstracts becomes Unicode (search.tex2text), control characters
and line breaks are gone (a newline inside a value would start a bogus tag).

The record is the arXiv e-print (``UNPB``, an unpublished work, as RIS has no preprint type),
as in arXiv's own BibTeX export; a journal reference is carried as a note (``N1``) and a DOI as
``DO``: a journal reference is one free-text string (journal, volume and pages run together),
so it cannot honestly fill RIS's journal, volume and page tags.
"""

from __future__ import annotations

from collections.abc import Iterable

from paperbrowse.search.models import Paper
from paperbrowse.search.names import split_name
from paperbrowse.search.tex2text import tex_to_text
from paperbrowse.search.text import arxiv_abs_url, bare_arxiv_id, clean

#: Hugging Face pages give no arXiv id: such a paper is cited as a web page (ELEC).
_PREPRINT, _WEB = "UNPB", "ELEC"


def _author(name: str) -> str:
    first, last, suffix = split_name(name)
    return ", ".join(p for p in (last, first, suffix) if p)


def ris_record(paper: Paper, key: str) -> str:
    """One RIS record for ``paper`` under the citation key ``key`` (``ID``)."""
    arxiv = paper.arxiv_id or bare_arxiv_id(paper.id)
    url = arxiv_abs_url(arxiv) if arxiv else next(iter(paper.urls), None)
    lines: list[tuple[str, str]] = [("TY", _PREPRINT if arxiv else _WEB), ("ID", key)]
    lines.append(("TI", tex_to_text(paper.title)))
    lines.extend(("AU", _author(a)) for a in paper.authors if clean(a))
    if paper.published:
        lines.append(("PY", str(paper.published.year)))
        lines.append(("DA", paper.published.strftime("%Y/%m/%d/")))
    if paper.abstract:
        lines.append(("AB", tex_to_text(paper.abstract)))
    if arxiv:
        lines.append(("PB", "arXiv"))
        lines.append(("AN", f"arXiv:{arxiv}"))
    lines.extend(("KW", clean(c)) for c in (*paper.categories, *paper.keywords) if clean(c))
    if paper.doi:
        lines.append(("DO", clean(paper.doi)))
    if url:
        lines.append(("UR", clean(url)))
    if arxiv:
        lines.append(("L1", f"https://arxiv.org/pdf/{arxiv}"))
    if paper.journal_ref and clean(paper.journal_ref):
        lines.append(("N1", f"Published in {tex_to_text(paper.journal_ref)}"))
    if not paper.authors and paper.author_count:
        n = paper.author_count
        lines.append(("N1", f"{n} author{'s' if n != 1 else ''} (names not in the source)"))
    body = "".join(f"{tag}  - {clean(value)}\n" for tag, value in lines if clean(value))
    return body + "ER  - \n"


def render_ris(entries: Iterable[tuple[str, Paper]]) -> str:
    """A RIS file of ``(key, paper)`` entries, in order, a blank line between records."""
    return "\n".join(ris_record(paper, key) for key, paper in entries)
