"""Answering queries: matches in order, facet counts, more-like-this.

Counting, filtering and the date/upvotes sorts use doc-number sets and cached orders (C-speed
set operations over whole posting blocks, :mod:`search.engine.cache`) instead of Whoosh's
per-document collectors; relevance is BM25F over posting blocks, the same figures as Whoosh's.
Whoosh's own searcher answers only what those cannot (boosted groups, ranges in a query).
Callers pass text and :class:`Filters` and get plain values back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from paperbrowse.search.engine import ranking, whoosh_terms
from paperbrowse.search.engine.cache import SearcherCache
from paperbrowse.search.engine.queries import (
    capped_expansions,
    has_expansion,
    matched_terms,
    scored_expansions,
    sets_answer,
    sort_key,
)
from paperbrowse.search.engine.schema import FACETS
from paperbrowse.search.engine.store import IndexStore
from paperbrowse.search.engine.timeline_queries import TimelineQueries
from paperbrowse.search.models import Filters, Paper, QueryError
from whoosh import query, sorting

#: A relevance-sorted result that Whoosh ranks (a query the scorer cannot score) ranks this
#: many hits by score; the others follow, newest first.
RANKED_DEPTH = 200

#: lap(step): told when a step of a search is done (``paperbrowse search --timing``).
Lap = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Matches:
    """What a search found, as plain values."""

    #: Number of matching papers in all.
    total: int
    #: (paper id, score) of the first ``limit`` matches, best first (score 0.0 when sorted by
    #: date or upvotes).
    first: tuple[tuple[str, float], ...]
    #: Every matching paper id in order; only the first ones' when ``all_ids=False`` was asked.
    ids: tuple[str, ...]
    #: The index terms the query matched in the text fields: (field, term).
    terms: tuple[tuple[str, str], ...]
    #: Prefix, wildcard or fuzzy words that matched more terms than are searched (the answer
    #: may be incomplete), e.g. ``("zeta* (64 of 200 words)",)``.
    capped: tuple[str, ...] = ()
    #: The order ``ids`` are in: the sort asked for, or "date" where relevance has nothing to
    #: rank (the empty query, only prefixes or fuzzy words).
    order: str = "relevance"


#: The order of the app's first screen (every paper, by relevance: newest first).
FIRST_SCREEN_ORDER = "date"


class PaperIndex(TimelineQueries, IndexStore):
    """The full-text index of the library's papers: the engine's whole API.

    Text, filters, sort and limit in; plain values out. ``searcher()``, ``cache()``,
    ``parser()`` and ``whoosh_query()`` hand out Whoosh objects: they are the package's own
    (and the same-answer tests'), never called from outside ``search/engine/``.
    """

    def search(
        self,
        text: str,
        filters: Filters,
        sort: str,
        limit: int | None,
        *,
        all_ids: bool = True,
        lap: Lap | None = None,
    ) -> Matches:
        """Papers matching a user's query (Whoosh syntax; "" = every paper) and ``filters``,
        in ``sort`` order (one of ``search.models.SORTS``): scores for the first ``limit``
        (None: all), and every id unless ``all_ids`` is False (the ids of the whole list cost
        a full sort and the id column's first read). Raises QueryError for a bad query."""
        lap = lap or _no_lap
        parsed = self.parser().parse(text)
        q = self._scored(parsed)
        lap("parse")
        total, first, ids = self._run(q, filters, sort, limit, all_ids)
        reader = self.searcher().reader()
        terms = matched_terms(q, reader) if text.strip() else []
        # Asked of the parsed query: its expansions know what their bound left out.
        capped = capped_expansions(parsed, reader) if text.strip() else ()
        lap("match and rank")
        order = sort_key(sort, q) or "relevance"
        return Matches(total, tuple(first), tuple(ids), tuple(terms), capped, order)

    def whoosh_query(self, text: str) -> query.Query:
        """The Whoosh query a search runs for ``text``: parsed, its expansions (prefix,
        wildcard, fuzzy) replaced by the index terms they stand for, scored like words.
        Package-internal (and the same-answer tests', which give it to Whoosh)."""
        return self._scored(self.parser().parse(text))

    def _scored(self, q: query.Query) -> query.Query:
        if has_expansion(q):
            q = scored_expansions(q, self.searcher().reader())
        return q

    def _run(
        self, q: query.Query, filters: Filters, sort: str, limit: int | None, all_ids: bool
    ) -> tuple[int, list[tuple[str, float]], Sequence[str]]:
        s = self.searcher()
        cache = self.cache()
        cache.new_query()
        if filters.ids is not None and not filters.ids:
            return 0, [], []
        id_of = cache.id_of
        every = isinstance(q, query.Every)
        try:
            allowed = cache.filter_set(filters)
            # Every paper, unfiltered: the cached order is the answer (the app's first screen).
            key = sort_key(sort, q)
            # A phrase (or other query the sets cannot answer) is matched once, by Whoosh,
            # collecting everything: counting it apart would match every phrase twice.
            once = key is None and not sets_answer(q)
            docs = None if (every and allowed is None) or once else cache.query_docs(q)
        except Exception as exc:  # e.g. a field name that is not in the schema
            raise QueryError(f"cannot run query: {exc}") from exc
        if allowed is not None and docs is not None:
            docs &= allowed
        if key is not None:
            if docs is None:
                ordered: Sequence[int] = cache.order(key)
            else:
                ordered = cache.sort(docs, key)
            first_docs = ordered if limit is None else ordered[:limit]
            first = [(id_of(d), 0.0) for d in first_docs]
            if not all_ids:
                ids: Sequence[str] = [i for i, _ in first]
            elif docs is None:
                ids = cache.ordered_ids(key)  # every paper: kept on disk for the next process
            else:
                ids = cache.ids_of(ordered)
            return len(ordered), first, ids
        if docs is not None:
            try:
                scores = cache.scores(q, docs)
            except Exception as exc:  # e.g. a phrase over a field without positions
                raise QueryError(f"cannot run query: {exc}") from exc
            if scores is not None:
                return _ranked(scores, docs, limit, cache, all_ids)
        # Block-quality skipping only pays for plain terms; with an array union inside (bounded
        # expansions) Whoosh re-checks it per document, which costs more than it saves.
        optimize = not has_expansion(q)
        # Relevance ranks the first RANKED_DEPTH hits (ranking them all means scoring every
        # match); the rest follow newest first. The order is the same whatever the limit:
        # `limit=None` gets the same list as paging.
        depth = None if once or docs is None else max(limit or 0, RANKED_DEPTH)
        try:
            results = s.search(q, filter=allowed, limit=depth, optimize=optimize)
        except Exception as exc:
            raise QueryError(f"cannot run query: {exc}") from exc
        top = results.top_n if limit is None else results.top_n[:limit]
        first = [(id_of(d), float(k)) for k, d in top]
        ranked = [d for _, d in results.top_n]
        if docs is None:
            everything = cache.ids_of(ranked)
            return len(everything), first, everything
        total = len(docs)
        if limit is not None and not all_ids:
            return total, first, [i for i, _ in first]
        rest = cache.sort(docs.difference(ranked), "date") if total > len(ranked) else []
        everything = cache.ids_of(ranked + rest)
        if limit is None:
            first += [(pid, 0.0) for pid in everything[len(ranked) :]]
        return total, first, everything

    def facets(self, text: str, filters: Filters) -> dict[str, dict[str, int]]:
        """Counts of the papers matching a query and filters by year, kind and category,
        commonest first.

        Counted by intersecting the matches with each value's posting list (cached per
        searcher) at C speed: Whoosh's grouping walks every match through Python (0.4–1 s for
        a common word at 100k papers, and the app asks on every query).
        """
        q = self.parser().parse(text)
        if filters.ids is not None and not filters.ids:
            return {name: {} for name in FACETS}
        cache = self.cache()
        cache.new_query()
        flt = cache.filter_set(filters)
        if not sets_answer(q):
            return self._whoosh_facets(q, flt)
        docs = None if isinstance(q, query.Every) else cache.query_docs(q)
        if docs is not None and flt is not None:
            docs &= flt
        elif docs is None:
            docs = flt
        out: dict[str, dict[str, int]] = {}
        for name in FACETS:
            counts = cache.facet_counts(name, docs)
            out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return out

    def _whoosh_facets(self, q: query.Query, flt: set[int] | None) -> dict[str, dict[str, int]]:
        """Whoosh's own grouping (for queries the sets cannot answer, and as the tests' gate)."""
        s = self.searcher()
        facet_map = {
            "year": sorting.FieldFacet("year", maptype=sorting.Count),
            "kind": sorting.FieldFacet("kind", allow_overlap=True, maptype=sorting.Count),
            "category": sorting.FieldFacet("category", allow_overlap=True, maptype=sorting.Count),
        }
        results = s.search(q, filter=flt, limit=1, groupedby=facet_map)
        out: dict[str, dict[str, int]] = {}
        for name in facet_map:
            groups = results.groups(name)
            # Papers without a value (no arXiv category) are not a category named "None".
            out[name] = {
                (k.decode() if isinstance(k, bytes) else str(k)): v
                for k, v in sorted(groups.items(), key=lambda kv: (-kv[1], str(kv[0])))
                if k is not None
            }
        return out

    def prepare_first_screen(self) -> None:
        """Make and keep (search/engine/order_files.py) every paper newest first, the app's
        first screen, unless it is kept already: an ingest does this last, so that the app's
        next start does not (1.3 s at 1M papers, every morning after the day's ingest)."""
        self.cache().keep_order(FIRST_SCREEN_ORDER)

    def similar(self, paper: Paper, limit: int) -> list[str]:
        """Ids of papers like this one (more-like-this over title and abstract)."""
        s = self.searcher()
        docnum = s.document_number(id=paper.id)
        if docnum is None:
            return []
        text = f"{paper.title} {paper.title} {paper.abstract}"
        # Whoosh's more_like: the text's key terms (Bo1 model), OR-ed with their weights as
        # boosts; scored here over cached posting blocks like any query.
        key_terms = whoosh_terms.key_terms_from_text(s.reader(), "abstract", text, numterms=12)
        q = query.Or([query.Term("abstract", word, boost=weight) for word, weight in key_terms])
        cache = self.cache()
        docs = cache.docs(q)
        docs.discard(docnum)
        scores = cache.scores(q, docs)
        if scores is None:
            results = s.search(q, limit=limit, mask={docnum})
            return [cache.id_of(d) for _, d in results.top_n]
        return [cache.id_of(d) for _, d in ranking.best(scores, limit)]


def _ranked(
    scores: dict[int, float],
    docs: set[int],
    limit: int | None,
    cache: SearcherCache,
    all_ids: bool,
) -> tuple[int, list[tuple[str, float]], Sequence[str]]:
    """A search's answer from every match's score: the first ``limit`` (all of it by score,
    ties by doc number), and the whole list's ids unless only the first are asked for."""
    if len(scores) != len(docs):  # every match scores > 0; never let the count and list differ
        for doc in docs.difference(scores):
            scores[doc] = 0.0
    if limit is not None and not all_ids:
        top = ranking.best(scores, limit)
        first = [(cache.id_of(d), score) for score, d in top]
        return len(docs), first, [i for i, _ in first]
    order = ranking.best(scores, None)
    ids = cache.ids_of([d for _, d in order])
    shown = order if limit is None else order[:limit]
    return len(docs), [(ids[i], score) for i, (score, _) in enumerate(shown)], ids


def _no_lap(step: str) -> None:
    pass
