"""Plain Whoosh, as a user of Whoosh would start: the baseline the relevance benchmark beats.

Stock ``TEXT`` fields (Whoosh's standard analyzer: no stemming, no field boosts) for title,
abstract and authors, a ``MultifieldParser`` with the fuzzy plugin, and BM25F as Whoosh ships it.
It lives here because only this package imports Whoosh (tests/test_import_hygiene.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from paperbrowse.search.models import Paper
from whoosh import fields, index, qparser


def stock_searcher(folder: Path, papers: Iterable[Paper]) -> Callable[[str, int], list[str]]:
    """Index ``papers`` in ``folder`` (which must be empty) and return ``search(query, limit)``
    giving paper ids best first; a query plain Whoosh cannot parse finds nothing."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(phrase=True),
        abstract=fields.TEXT(phrase=True),
        authors=fields.TEXT(phrase=True),
    )
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for p in papers:
            writer.add_document(
                id=p.id, title=p.title, abstract=p.abstract, authors=" ".join(p.authors)
            )
    parser = qparser.MultifieldParser(["title", "abstract", "authors"], schema)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    searcher = ix.searcher()

    def search(query: str, limit: int) -> list[str]:
        try:
            q = parser.parse(query)
        except Exception:  # noqa: BLE001 - Whoosh's parser raises many kinds; none is an answer
            return []
        return [hit["id"] for hit in searcher.search(q, limit=limit)]

    return search
