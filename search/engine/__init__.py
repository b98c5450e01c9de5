"""The full-text engine: the only package that imports Whoosh.

Its API is engine-neutral: :class:`PaperIndex` takes query text, :class:`~search.models.Filters`,
a sort and a limit and answers with plain values (:class:`Matches`, dicts of counts, paper ids);
:func:`match_spans` says which words of a text matched. No Whoosh object leaves the package, so
the engine can be swapped by rewriting this package alone.

Inside: ``schema`` (fields, documents, fast text fields, word pairs, folding), ``common_words`` (the
terms whose neighbours get pair terms), ``analysis`` (a text's
postings without Whoosh's token stream; folding), ``posting_sort`` (the writer's external sort
of postings), ``store`` (opening, creating, the shared searcher, writers), ``queries`` (parsing,
bounded and scored expansions, filters), ``fuzzy`` (fuzzy words through stemming), ``cache``
(what one searcher answers once: doc sets, orders, posting blocks, the BM25F scorer over them),
``ranking`` (BM25F arithmetic over posting blocks), ``searching`` (search, facets,
more-like-this), ``spans`` (what matched) and ``whoosh_private`` (every read of a Whoosh private
attribute, with the version check); ``import_shims`` (Whoosh's query modules imported lean);
``baseline`` is plain Whoosh, the relevance benchmark's baseline.
"""

from __future__ import annotations

# First (isort keeps it so): importing it imports Whoosh's query modules without two modules a
# search never uses (~40 ms of a cold `paperbrowse search`; import_shims says which and why).
from paperbrowse.search.engine import import_shims  # noqa: F401
from paperbrowse.search.engine.baseline import stock_searcher
from paperbrowse.search.engine.schema import FACETS, SCHEMA_VERSION, index_terms
from paperbrowse.search.engine.searching import Matches, PaperIndex
from paperbrowse.search.engine.spans import match_spans
from paperbrowse.search.engine.store import IndexBusy, build_stock_index

__all__ = [
    "FACETS",
    "SCHEMA_VERSION",
    "IndexBusy",
    "Matches",
    "PaperIndex",
    "build_stock_index",
    "index_terms",
    "match_spans",
    "stock_searcher",
]
