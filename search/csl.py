"""CSL-JSON, the citation data Pandoc, citeproc and Zotero read (one JSON array of items).

Items follow what Zotero itself writes for an arXiv preprint: type ``article`` (CSL's type for
preprints and working papers), ``publisher`` arXiv, ``number`` ``arXiv:ID``, the abs URL, and the
DOI when known. As in the BibTeX and RIS exports, the record is the e-print and a journal
reference (one free-text string) is carried in ``note`` rather than split into journal fields.
Text is plain Unicode: TeX in titles and abstracts is rendered (search.tex2text).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paperbrowse.search.jsonout import json_text
from paperbrowse.search.models import Paper
from paperbrowse.search.names import split_name
from paperbrowse.search.tex2text import tex_to_text
from paperbrowse.search.text import arxiv_abs_url, bare_arxiv_id, clean


def _author(name: str) -> dict[str, str]:
    first, last, suffix = split_name(name)
    if not first:
        # One word or an organisation ("OpenAI", "The Pile Team"): CSL keeps it whole.
        return {"literal": clean(name)}
    person = {"family": last, "given": first}
    if suffix:
        person["suffix"] = suffix
    return person


def csl_item(paper: Paper, key: str) -> dict[str, Any]:
    """One CSL-JSON item for ``paper`` with the citation key ``key`` as its ``id``."""
    arxiv = paper.arxiv_id or bare_arxiv_id(paper.id)
    url = arxiv_abs_url(arxiv) if arxiv else next(iter(paper.urls), None)
    item: dict[str, Any] = {"id": key, "type": "article" if arxiv else "webpage"}
    item["title"] = tex_to_text(paper.title)
    authors = [_author(a) for a in paper.authors if clean(a)]
    if authors:
        item["author"] = authors
    if paper.published:
        d = paper.published
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    if paper.abstract:
        item["abstract"] = tex_to_text(paper.abstract)
    if arxiv:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{arxiv}"
    elif any(k.startswith("hf-") for k in paper.kinds):
        item["container-title"] = "Hugging Face Daily Papers"
    if paper.doi and clean(paper.doi):
        item["DOI"] = clean(paper.doi)
    if url:
        item["URL"] = clean(url)
    keywords = [clean(k) for k in (*paper.categories, *paper.keywords) if clean(k)]
    if keywords:
        item["keyword"] = ", ".join(keywords)
    notes = []
    if paper.journal_ref and clean(paper.journal_ref):
        notes.append(f"Published in {tex_to_text(paper.journal_ref)}")
    if not authors and paper.author_count:
        n = paper.author_count
        notes.append(f"{n} author{'s' if n != 1 else ''} (names not in the source)")
    if notes:
        item["note"] = "; ".join(notes)
    return item


def render_csl_json(entries: Iterable[tuple[str, Paper]]) -> str:
    """A CSL-JSON file (an array, one item per ``(key, paper)``), stable and human-diffable."""
    items = [csl_item(paper, key) for key, paper in entries]
    return json_text(items) + "\n"  # readable UTF-8; anything a terminal acts on escaped
