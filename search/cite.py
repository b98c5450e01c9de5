"""Citations of any papers in any of the formats paperbrowse writes, with keys that agree.

One dispatch serves ``export`` (bookmarks), ``cite`` (any papers) and the app: BibTeX
(search.bibtex), RIS (search.ris) and CSL-JSON (search.csl) from the same ``(key, paper)``
entries. A bookmarked paper is always cited under its stored key, in every format, so a
``\\cite{…}`` written from a BibTeX export matches the CSL-JSON a Pandoc user exports later.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from paperbrowse.search.models import Paper

#: The formats, by the name ``--format`` takes, and the file ending each is usually given.
FORMATS: Mapping[str, str] = {"bibtex": ".bib", "ris": ".ris", "csl-json": ".json"}


@dataclass(frozen=True)
class Citations:
    text: str
    #: paper id -> the key it is cited under.
    keys: Mapping[str, str]
    #: e.g. "2401.00001: character 'ʕ' (U+0295) has no LaTeX form; written as '?'" (BibTeX).
    warnings: tuple[str, ...] = ()


def check_format(fmt: str) -> str:
    """``fmt`` if it is one of FORMATS; ValueError naming them otherwise."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown citation format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def keyed(
    papers: Sequence[Paper], stored: Mapping[str, str], taken: Collection[str] = ()
) -> list[tuple[str, Paper]]:
    """``(key, paper)`` entries: a paper's stored key (by paper id) where it has one, else a
    generated key unique among these entries and ``taken`` (every key the bookmarks hold, so a
    paper cited on the fly never takes a bookmark's key). Generated keys are not persisted."""
    from paperbrowse.search.citekeys import base_key, unique_key

    used = set(taken) | {k for k in stored.values() if k}
    entries: list[tuple[str, Paper]] = []
    seen: set[str] = set()
    for paper in papers:
        key = stored.get(paper.id)
        if not key or key in seen:
            key = unique_key(base_key(paper), used | seen)
        seen.add(key)
        entries.append((key, paper))
    return entries


def render(entries: Sequence[tuple[str, Paper]], fmt: str, *, unicode: bool = False) -> Citations:
    """The file text for ``entries`` in ``fmt`` (``unicode`` keeps UTF-8 in BibTeX for biber)."""
    keys = {paper.id: key for key, paper in entries}
    if check_format(fmt) == "bibtex":
        from paperbrowse.search.bibtex import render_entries

        bib = render_entries(entries, unicode=unicode)
        return Citations(bib.text, keys, bib.warnings)
    if fmt == "ris":
        from paperbrowse.search.ris import render_ris

        return Citations(render_ris(entries), keys)
    from paperbrowse.search.csl import render_csl_json

    return Citations(render_csl_json(entries), keys)
