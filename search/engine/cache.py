"""What one searcher answers once and reuses until the index changes, and the scorer over it.

A Whoosh searcher answers every query by walking postings through Python matcher objects, one
document at a time. :class:`SearcherCache` keeps, for one searcher (one commit of the index):
doc-number sets of terms and queries built from whole posting blocks, the orders of all
documents by date and by upvotes, recent filters' doc sets, facet values' posting arrays and
decoded posting blocks of recent terms; and scores queries with BM25F over those blocks
(:mod:`search.engine.ranking`), as Whoosh would. A new commit gets a new cache.
"""

from __future__ import annotations

import bisect
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from paperbrowse.search.engine import facet_counting, order_files, ranking, whoosh_private
from paperbrowse.search.engine.phrases import PhraseMatching
from paperbrowse.search.engine.queries import BOUNDED_CLASSES, filter_query
from paperbrowse.search.models import Filters
from whoosh import query, scoring

#: Decoded posting blocks of recent terms kept per searcher, in postings (~40 bytes each).
CACHED_POSTINGS = 600_000
#: The most the current query keeps while it runs (its terms are read again for the scores):
#: past it, its own least recent terms go too (decoded again if asked: same answers). Without
#: a ceiling a query of 100 common words (what check_query_size lets through) held all of
#: their blocks at once, a gigabyte at 1M papers; ``language model`` there holds 1.9M.
QUERY_CACHED_POSTINGS = 4_000_000


#: Each cached order: the numeric column it sorts by (largest first), and the one breaking ties.
SORT_FIELDS = {
    "date": ("published", "upvotes"),
    "upvotes": ("upvotes", "published"),
    "featured": ("featured", "upvotes"),
    "rising": ("rising", "upvotes"),
}


#: Up to this many paper ids, an id filter reads their terms; more, it scans the id column.
ID_TERMS_MAX = 64


class SearcherCache(PhraseMatching):
    """What one searcher answers once and reuses until the index changes (never shared between
    searchers: doc numbers change with every commit).

    - doc-number sets of queries, built from whole posting blocks with set operations (Whoosh's
      own counting walks every posting through Python matchers: 60% of a query's time at 100k);
    - the order of all documents by date and by upvotes (Whoosh's sorting reads both columns
      for every matching document on every query);
    - the doc sets of recent filters (a date range is a union of dozens of trie terms);
    - decoded posting blocks of recent terms, and BM25F scores computed over them.
    """

    FILTER_CACHE = 16

    def __init__(self, searcher, orders_dir: Path | None = None) -> None:
        self.searcher = searcher
        # Where orders of every document are kept for the next process (order_files); None:
        # not kept.
        self._orders_dir = orders_dir
        self._ordered_ids: dict[str, list[str]] = {}
        self._orders: dict[str, list[int]] = {}
        self._keys: dict[str, list[int]] = {}
        self._columns: dict[str, Sequence[int]] = {}
        self._filters: dict[Filters, set[int]] = {}
        self._ids: list[str] | None = None
        self._id_columns: list[tuple[int, Any]] | None = None
        self._lengths: dict[str, bytes] = {}
        self._phrases: dict[tuple, set[int]] = {}
        self._query_docs: dict[query.Query, frozenset[int]] = {}
        self._facet_values: dict[str, dict[str, array]] = {}
        self._layers: dict[str, list | None] = {}
        self._blocks: OrderedDict[tuple[str, bytes], tuple[list, bool, int, int]] = OrderedDict()
        self._query = 0  # which query the cache serves now (see new_query)
        self._norms: dict[str, list[float]] = {}
        subs = searcher.subsearchers  # None for a single-segment index
        segments = (
            [(sub.reader(), offset) for sub, offset in subs] if subs else [(searcher.reader(), 0)]
        )
        # An empty index has a reader without columns (Whoosh's EmptyReader): no segments at all.
        self._segments = [(r, offset) for r, offset in segments if r.segments() is not None]

    # -- orders --------------------------------------------------------------------------------

    def _column(self, field: str) -> Sequence[int]:
        """Sort keys of a numeric column for every doc number: its raw sortable values (same
        order as the numbers), loaded a segment at a time with one array read each (kept)."""
        values = self._columns.get(field)
        if values is None:
            parts = []
            for reader, _ in self._segments:
                column = reader.column_reader(field)
                raw = column.raw_column() if hasattr(column, "raw_column") else column
                bulk = whoosh_private.numeric_column_array(raw)
                parts.append(bulk if bulk is not None else array("q", raw))
            if len({part.typecode for part in parts}) > 1:  # never seen: one schema writes all
                parts = [array("q", part) for part in parts]
            values = parts[0] if parts else array("q")
            for part in parts[1:]:
                values.extend(part)
            self._columns[field] = values
        return values

    def sort_keys(self, key: str) -> list[int]:
        """sort_keys[docnum]: one integer per document that sorts newest (or most upvoted)
        first, ties by the other field (both fields are 32-bit, so one key sorts at C speed)."""
        keys = self._keys.get(key)
        if keys is None:
            everything = range(self.searcher.reader().doc_count_all())
            keys = self._keys[key] = self._keys_of(key, everything)
        return keys

    def _keys_of(self, key: str, docs: Iterable[int]) -> list[int]:
        """The sort keys of ``docs``, in their order."""
        first_field, second_field = SORT_FIELDS[key]
        first, second = self._column(first_field), self._column(second_field)
        return [-((first[d] << 32) | second[d]) for d in docs]

    def sort(self, docs: Collection[int], key: str) -> list[int]:
        """``docs`` in :meth:`order`'s order (sorted() is stable: equal keys stay by doc number).

        Until every document's key is made (the app's first screen makes them), a part of the
        library is sorted by the keys of its own documents only: at 1M papers the keys of all
        take ~0.1 s, most of a cold ``search author:Wang --sort upvotes``."""
        by_number = sorted(docs)
        keys = self._keys.get(key)
        if keys is None and len(by_number) * 2 < self.searcher.reader().doc_count_all():
            own = self._keys_of(key, by_number)
            return [by_number[i] for i in sorted(range(len(own)), key=own.__getitem__)]
        return sorted(by_number, key=self.sort_keys(key).__getitem__)

    def order(self, key: str) -> list[int]:
        """Every live document, newest (or most upvoted) first; ties by the other, then docnum."""
        order = self._orders.get(key)
        if order is None and self._orders_dir is not None:
            saved = order_files.load(self._orders_dir, key, self._state())
            if saved is not None:
                order, self._ordered_ids[key] = saved
                self._orders[key] = order
        if order is None:
            keys = self.sort_keys(key)
            order = sorted(range(len(keys)), key=keys.__getitem__)
            reader = self.searcher.reader()
            if reader.has_deletions():
                order = [d for d in order if not reader.is_deleted(d)]
            self._orders[key] = order
        return order

    def ordered_ids(self, key: str) -> list[str]:
        """The paper ids of :meth:`order`, kept on disk for the next process when made here
        (the app's first screen at 1M papers: ~0.7 s made, ~30 ms read back)."""
        ids = self._ordered_ids.get(key)
        if ids is None:
            order = self.order(key)  # may read both from the disk
            ids = self._ordered_ids.get(key)
            if ids is None:
                ids = self._ordered_ids[key] = self.ids_of(order)
                if self._orders_dir is not None:
                    order_files.save_later(self._orders_dir, key, self._state(), order, ids)
        return ids

    def keep_order(self, key: str) -> None:
        """Make :meth:`ordered_ids` and keep it on disk, unless it is kept for this index
        state already (then nothing is read: an unchanged ingest asks this too)."""
        if self._orders_dir is not None and not order_files.saved(
            self._orders_dir, key, self._state()
        ):
            self.ordered_ids(key)

    def _state(self) -> str:
        return order_files.state_of(self.searcher.reader())

    def id_of(self, doc: int) -> str:
        """The paper id of one doc number: a column read, until the whole list is loaded (a
        command-line search shows 20 ids; loading all of them cost 50 ms at 100k papers)."""
        if self._ids is not None:
            return self._ids[doc]
        if self._id_columns is None:
            self._id_columns = [(o, r.column_reader("id")) for r, o in self._segments]
        offsets = [o for o, _ in self._id_columns]
        offset, column = self._id_columns[bisect.bisect_right(offsets, doc) - 1]
        value = column[doc - offset]
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def ids(self) -> list[str]:
        """Paper id by doc number, for every document (deleted ones included).

        Whoosh's multi-segment column reader costs a few microseconds a value; a result list
        of 100k ids then takes half a second. Each segment's column is sliced out of one read.
        """
        if self._ids is None:
            values: list[str] = []
            if self.searcher.reader().segments() is not None:  # an empty index has no columns
                for reader, _ in self._segments:
                    values.extend(whoosh_private.id_column_values(reader.column_reader("id")))
            self._ids = values
        return self._ids

    def ids_of(self, docs: Iterable[int]) -> list[str]:
        """The paper ids of ``docs``, in their order."""
        ids = self.ids()
        return [ids[d] for d in docs]

    # -- sets ----------------------------------------------------------------------------------

    def filter_set(self, filters: Filters) -> set[int] | None:
        """The documents ``filters`` allow (None: all of them), cached: never modify it."""
        if filters not in self._filters:
            if filters.ids is None:
                flt = filter_query(filters)
                if flt is None:
                    return None
                docs = self.docs(flt)
            else:
                # The papers allowed by id (what is new, a watch's new papers: thousands of
                # ids) apart from the rest: as terms, 10,000 ids took 4 s at 100k papers.
                rest = self.filter_set(replace(filters, ids=None))
                docs = self._id_docs(filters.ids, rest)
            if len(self._filters) >= self.FILTER_CACHE:
                self._filters.pop(next(iter(self._filters)))
            # A set (not frozenset): Whoosh's filter argument accepts only that type.
            self._filters[filters] = docs
        return self._filters[filters]

    def _id_docs(self, wanted: frozenset[str], within: set[int] | None) -> set[int]:
        """The live documents (of ``within``, if given) of the papers with these ids: a few
        ids by their terms, more by one pass over the id column (~10 ms at 100k papers)."""
        if len(wanted) <= ID_TERMS_MAX:
            out: set[int] = set()
            for paper_id in wanted:
                out |= self._term("id", paper_id)
            return out if within is None else out & within
        ids = self.ids()
        docs = within if within is not None else self.searcher.reader().all_doc_ids()
        return {d for d in docs if ids[d] in wanted}

    #: The doc sets of the last queries, whole: a search's matches are asked again for its
    #: facets (and the timeline's counts), and at 1M papers rebuilding them cost 0.3 s.
    QUERY_DOCS = 2

    def query_docs(self, q: query.Query) -> set[int]:
        """:meth:`docs` of a whole query, remembered for the next ask of the same query (a new
        set each time: callers narrow it in place)."""
        try:
            found = self._query_docs.pop(q, None)
        except TypeError:  # a query that cannot be hashed: not remembered
            return self.docs(q)
        if found is None:
            found = frozenset(self.docs(q))
        self._query_docs[q] = found
        while len(self._query_docs) > self.QUERY_DOCS:
            self._query_docs.pop(next(iter(self._query_docs)))
        return set(found)

    def docs(self, q: query.Query) -> set[int]:
        """Doc numbers matching ``q`` (deleted ones excluded): a new set the caller may
        change."""
        if isinstance(q, query.Every):
            return set(self.searcher.reader().all_doc_ids())
        kind = type(q)
        if kind is query.Term:
            return self._term(q.fieldname, q.text)
        if kind in BOUNDED_CLASSES:
            out: set[int] = set()
            field = q.field()
            for text in whoosh_private.expansion_terms(q, self.searcher.reader()):
                out |= self._term(field, text)
            return out
        if kind is query.Or:
            out = set()
            for sub in q.subqueries:
                part = self.docs(sub)
                if part:
                    out |= part
            return out
        if kind is query.And:
            parts = [self.docs(sub) for sub in q.subqueries]
            parts.sort(key=len)
            out = set(parts[0]) if parts else set()
            for part in parts[1:]:
                out &= part
            return out
        if kind is query.AndNot:
            return self.docs(q.a) - self.docs(q.b)
        if kind is query.Not:
            return set(self.searcher.reader().all_doc_ids()) - self.docs(q.query)
        if q is query.NullQuery:
            return set()
        if kind is query.Phrase and self._positional(q.fieldname):
            # A copy: callers narrow the set they get (by the filters) in place, and the
            # remembered one must stay the phrase's whole answer.
            return set(self._phrase_docs(q))
        if kind is query.NumericRange:
            # Whoosh walks the range's trie terms per document (0.2 s for a date filter at 100k
            # papers); the same terms as sets take a few milliseconds.
            return self.docs(q.simplify(self.searcher.reader()))
        if kind is query.ConstantScoreQuery:
            return self.docs(q.child)
        if kind is query.TermRange:
            field = q.field()
            out = set()
            for text in whoosh_private.expansion_terms(q, self.searcher.reader()):
                out |= self._term(field, text)
            return out
        # Other nested queries: Whoosh's own matcher (per document, but exact).
        return set(self.searcher.docs_for_query(q))

    # -- relevance -------------------------------------------------------------------------------

    def scores(self, q: query.Query, docs: set[int]) -> dict[int, float] | None:
        """BM25F score of every doc in ``docs`` (the docs ``q`` matches, maybe filtered), as
        Whoosh would score it, or None for a query this cannot score (Whoosh then does).

        Whoosh sums the scores of a compound query's matching parts; a term scores BM25 over
        its field (raw weight in fields without lengths), a phrase the sum of its words, an
        expansion a constant. Here each term's postings are read a block at a time and scored
        with table look-ups: a fifth to a tenth of the time of Whoosh's matcher tree, and every
        match gets its score (Whoosh's top-n skips blocks that cannot make the first page).
        """
        if type(self.searcher.weighting) is not scoring.BM25F:
            return None
        out: dict[int, float] = {}
        return out if self._add_scores(q, docs, out) else None

    def _add_scores(self, q: query.Query, docs: set[int], out: dict[int, float]) -> bool:
        kind = type(q)
        if kind in BOUNDED_CLASSES:
            if not q.constantscore:
                return False
            texts = [t for t in whoosh_private.expansion_terms(q, self.searcher.reader()) if t]
            if len(texts) == 1 and q.boost == 1.0:  # Whoosh scores a lone expansion as a term
                self._add_term(q.field(), texts[0], docs, out)
            else:
                ranking.add_constant(out, self.docs(q) & docs, q.boost)
            return True
        if kind is query.Term:
            self._add_term(q.fieldname, q.text, docs, out, q.boost)
            return True
        if q.boost != 1.0:  # a boosted group or phrase (rare in typed queries): Whoosh scores it
            return False
        if kind is query.And or (kind is query.Or and not q.minmatch and q.scale is None):
            return all(self._add_scores(sub, docs, out) for sub in q.subqueries)
        if kind is query.Not:
            # ``a NOT b`` parses as And([a, Not(b)]); Whoosh's inverse matcher scores 1 a doc.
            ranking.add_constant(out, self.docs(q) & docs, 1.0)
            return True
        if kind is query.AndNot:
            return self._add_scores(q.a, docs, out)
        if kind is query.Phrase and self._positional(q.fieldname):
            matched = self._phrase_docs(q) & docs
            for word in q.words:
                self._add_term(q.fieldname, word, matched, out)
            return True
        return q is query.NullQuery

    def _add_term(
        self, field: str, text, docs: set[int], out: dict[int, float], boost: float = 1.0
    ) -> None:
        schema = self.searcher.schema
        if field not in schema or not docs:
            return
        fieldobj = schema[field]
        btext = text if isinstance(text, bytes) else fieldobj.to_bytes(text)
        blocks = ((ids, weights) for ids, weights, _ in self._postings(field, btext))
        if not fieldobj.scorable:
            ranking.add_weights(out, blocks, docs, boost)
            return
        weighting = self.searcher.weighting
        k1 = weighting.K1
        norms = self._norms.get(field)
        if norms is None:
            b = whoosh_private.field_b(weighting, field)
            avgfl = self.searcher.avg_field_length(field) or 1
            norms = ranking.length_norms(whoosh_private.byte_to_length, avgfl, b, k1)
            self._norms[field] = norms
        idf = self.searcher.idf(field, btext)
        ranking.add_bm25(out, blocks, docs, self.lengths(field), norms, idf, k1, boost)

    def facet_counts(self, field: str, docs: set[int] | None) -> dict[str, int]:
        """How many of ``docs`` (None: every live document) hold each value of ``field``."""
        values = self._facet_values.get(field)
        if values is None:
            # Kept apart from the posting cache: a facet value's doc numbers are read on every
            # query, as a compact array (4 bytes a posting).
            values = facet_counting.value_postings(
                self.searcher.reader(),
                field,
                lambda btext: self._postings(field, btext, cache=False),
            )
            self._facet_values[field] = values

        def layers() -> list | None:
            if field not in self._layers:
                size = self.searcher.reader().doc_count_all()
                self._layers[field] = facet_counting.layers_of(values, size)
            return self._layers[field]

        return facet_counting.count(values, layers, docs)

    def lengths(self, field: str) -> bytes:
        """The field-length byte of every document (Whoosh's per-document length column)."""
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [whoosh_private.length_bytes(reader, field) for reader, _ in self._segments]
            lengths = self._lengths[field] = b"".join(parts)
        return lengths

    # -- postings --------------------------------------------------------------------------------

    def _postings(
        self, field: str, btext: bytes, *, values: bool = False, cache: bool = True
    ) -> list[tuple]:
        """A term's postings over every segment, a block at a time: (global doc numbers, weights,
        values or None), deleted documents left out.

        Decoded blocks are kept for the recent terms (up to CACHED_POSTINGS postings in all):
        a query reads a term for its doc set, its scores and maybe its positions, and typing
        ``diffusion m``, ``diffusion mo``… asks for ``diffusion`` again at every keystroke.
        Whoosh unpickles a whole block (positions included) whatever part is wanted.
        """
        key = (field, btext)
        entry = self._blocks.pop(key, None)
        if entry is not None:
            entry = (*entry[:3], self._query)
        if entry is None or (values and not entry[1]):
            blocks = []
            count = 0
            for reader, offset in self._segments:
                if (field, btext) not in reader:
                    continue
                found = whoosh_private.segment_postings(reader, field, btext, values, offset)
                for ids, weights, vals in found:
                    blocks.append((ids, weights, vals))
                    count += len(ids)
            entry = (blocks, values, count, self._query)
        if not cache:
            return entry[0]
        self._blocks[key] = entry
        # The least recently used terms go first, but none the current query has read (they
        # are the last ones in the order: once the first is the query's own, all are) until
        # it holds more than its ceiling; the newest term always stays.
        blocks_held = self._blocks
        held = sum(e[2] for e in blocks_held.values())
        while held > CACHED_POSTINGS and len(blocks_held) > 1:
            if blocks_held[next(iter(blocks_held))][3] == self._query:
                if held <= QUERY_CACHED_POSTINGS:
                    break
            held -= blocks_held.popitem(last=False)[1][2]
        return entry[0]

    def new_query(self) -> None:
        """A new query starts: the posting blocks the one before read may be let go.

        Within one query every term's blocks stay, whatever CACHED_POSTINGS says: a query reads
        a term for its doc set and again for its scores. At 1M papers the two words of
        ``language model`` hold 1.9M postings in three fields; dropped between the two reads,
        every block was decoded twice (a quarter of the query's time)."""
        self._query += 1

    def _term(self, field: str, text) -> set[int]:
        """Doc numbers of a term (a set built from whole blocks at C speed)."""
        schema = self.searcher.schema
        if field not in schema:
            return set()
        btext = text if isinstance(text, bytes) else schema[field].to_bytes(text)
        out: set[int] = set()
        for ids, _, _ in self._postings(field, btext):
            out.update(ids)
        return out
