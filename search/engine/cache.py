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
from typing import Any

from paperbrowse.search.engine import ranking, whoosh_private
from paperbrowse.search.engine.analysis import pair_term
from paperbrowse.search.engine.common_words import COMMON_TERMS
from paperbrowse.search.engine.queries import BOUNDED_CLASSES, filter_query
from paperbrowse.search.engine.schema import PairText, pair_field
from paperbrowse.search.models import Filters
from whoosh import formats, query, scoring

#: Decoded posting blocks of recent terms kept per searcher, in postings (~40 bytes each).
CACHED_POSTINGS = 600_000


#: Each cached order: the numeric column it sorts by (largest first), and the one breaking ties.
SORT_FIELDS = {
    "date": ("published", "upvotes"),
    "upvotes": ("upvotes", "published"),
    "featured": ("featured", "upvotes"),
    "rising": ("rising", "upvotes"),
}


#: Up to this many paper ids, an id filter reads their terms; more, it scans the id column.
ID_TERMS_MAX = 64


class SearcherCache:
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

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._orders: dict[str, list[int]] = {}
        self._keys: dict[str, list[int]] = {}
        self._columns: dict[str, Sequence[int]] = {}
        self._filters: dict[Filters, set[int]] = {}
        self._ids: list[str] | None = None
        self._id_columns: list[tuple[int, Any]] | None = None
        self._lengths: dict[str, bytes] = {}
        self._phrases: dict[tuple, set[int]] = {}
        self._facet_values: dict[str, dict[str, array]] = {}
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
            first_field, second_field = SORT_FIELDS[key]
            first, second = self._column(first_field), self._column(second_field)
            keys = self._keys[key] = [-((a << 32) | b) for a, b in zip(first, second, strict=True)]
        return keys

    def sort(self, docs: Collection[int], key: str) -> list[int]:
        """``docs`` in :meth:`order`'s order (sorted() is stable: equal keys stay by doc number).

        Until every document's key is made (the app's first screen makes them), a part of the
        library is sorted by the keys of its own documents only: at 1M papers the keys of all
        take ~0.1 s, most of a cold ``search author:Wang --sort upvotes``."""
        by_number = sorted(docs)
        keys = self._keys.get(key)
        if keys is None and len(by_number) * 2 < self.searcher.reader().doc_count_all():
            first_field, second_field = SORT_FIELDS[key]
            first, second = self._column(first_field), self._column(second_field)
            own = [-((first[d] << 32) | second[d]) for d in by_number]
            return [by_number[i] for i in sorted(range(len(own)), key=own.__getitem__)]
        return sorted(by_number, key=self.sort_keys(key).__getitem__)

    def order(self, key: str) -> list[int]:
        """Every live document, newest (or most upvoted) first; ties by the other, then docnum."""
        order = self._orders.get(key)
        if order is None:
            keys = self.sort_keys(key)
            order = sorted(range(len(keys)), key=keys.__getitem__)
            reader = self.searcher.reader()
            if reader.has_deletions():
                order = [d for d in order if not reader.is_deleted(d)]
            self._orders[key] = order
        return order

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
            values = {}
            reader = self.searcher.reader()
            if reader.segments() is not None and field in reader.schema:
                fieldobj = reader.schema[field]
                for btext in reader.lexicon(field):
                    # Kept apart from the posting cache: a facet value's doc numbers are read
                    # on every query, as a compact array (4 bytes a posting).
                    ids = array("I")
                    for block_ids, _, _ in self._postings(field, btext, cache=False):
                        ids.extend(block_ids)
                    if ids:
                        values[fieldobj.from_bytes(btext)] = ids
            self._facet_values[field] = values
        counts: dict[str, int] = {}
        for value, ids in values.items():
            n = len(ids) if docs is None else len(docs.intersection(ids))
            if n:
                counts[value] = n
        return counts

    def lengths(self, field: str) -> bytes:
        """The field-length byte of every document (Whoosh's per-document length column)."""
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [whoosh_private.length_bytes(reader, field) for reader, _ in self._segments]
            lengths = self._lengths[field] = b"".join(parts)
        return lengths

    # -- phrases -------------------------------------------------------------------------------

    def _positional(self, field: str) -> bool:
        schema = self.searcher.schema
        return field in schema and schema[field].format.supports("positions")

    def _phrase_docs(self, q: query.Phrase) -> set[int]:
        """Docs where the phrase's words occur in order, each within ``slop`` of the last
        (remembered: a query asks for its doc set and then for its scores)."""
        key = (q.fieldname, tuple(q.words), q.slop)
        docs = self._phrases.pop(key, None)
        if docs is None:
            docs = self._match_phrase(q)
        self._phrases[key] = docs
        if len(self._phrases) > self.FILTER_CACHE:
            self._phrases.pop(next(iter(self._phrases)))
        return docs

    def _match_phrase(self, q: query.Phrase) -> set[int]:
        """Candidates are the docs holding every word (a set intersection of doc ids read
        without positions). Positions are then decoded rarest word first, and only for the
        candidates still standing: once two neighbouring words of the phrase are decoded, a
        candidate where they never stand within ``slop`` of each other is dropped (the phrase
        cannot be there), so a common word's blocks are decoded only where a candidate is left
        (a block without one is skipped on its header). The survivors are checked whole.
        Whoosh's phrase matcher instead decodes every candidate's positions of every word and
        builds span objects for each."""
        field = q.fieldname
        fieldobj = self.searcher.schema[field]
        try:
            words = [w if isinstance(w, bytes) else fieldobj.to_bytes(w) for w in q.words]
        except ValueError:
            return set()
        if not words:
            return set()
        if len(words) == 1:
            return self._term(field, words[0])
        if q.slop == 1:
            paired = self._match_with_pairs(field, words)
            if paired is not None:
                return paired
        rarest = sorted(set(words), key=lambda w: self.searcher.doc_frequency(field, w))
        # The two rarest words are read with their positions at once (their blocks are decoded
        # whole anyway: every block holds a candidate when words are common); the others'
        # doc ids first, without positions, and their positions later only where needed.
        whole = rarest[:2]
        candidates: set[int] = set()
        for n, word in enumerate(rarest):
            docs: set[int] = set()
            if word in whole:
                for ids, _, _ in self._postings(field, word, values=True):
                    docs.update(ids)
            else:
                docs = self._term(field, word)
            candidates = docs if n == 0 else candidates & docs
            if not candidates:
                return set()
        if type(fieldobj.format) is formats.Positions:
            decode = whoosh_private.decode_positions
        else:
            decode = fieldobj.format.decode_positions
        positions: dict[bytes, dict[int, list[int]]] = {}
        for word in rarest:
            if word in whole:
                found = positions[word] = {}
                for ids, _, values in self._postings(field, word, values=True):
                    for doc, value in zip(ids, values, strict=True):
                        if doc in candidates:
                            found[doc] = decode(value)
            else:
                positions[word] = self._positions(field, word, candidates, decode)
            # Each neighbouring pair of the phrase whose words are both decoded now.
            for a, b in zip(words, words[1:], strict=False):
                if word in (a, b) and a in positions and b in positions and len(rarest) > 2:
                    pa, pb = positions[a], positions[b]
                    candidates = {
                        d for d in candidates if ranking.phrase_at([pa[d], pb[d]], q.slop)
                    }
            if not candidates:
                return set()
        return {
            doc
            for doc in candidates
            if ranking.phrase_at([positions[w][doc] for w in words], q.slop)
        }

    def _match_with_pairs(self, field: str, words: list[bytes]) -> set[int] | None:
        """The docs of the phrase ``words`` (slop 1) found through ``field``'s word pairs, or
        None when the index has none for it (no pair field, or no two neighbouring words of the
        phrase common: rare words make the word-by-word match cheap anyway).

        A pair term stands at the position of its first word, so the phrase is a set of
        anchors, (term, its offset in the phrase): the pair of each two neighbouring common
        words, and each word no pair covers. A doc holds the phrase exactly when some position
        ``i`` has every anchor at ``i + offset``. Candidates are the intersection of the
        anchors' doc ids (no positions read); for a two-word phrase that is the answer. For
        longer ones the anchors' positions are decoded rarest first, only in the blocks that
        hold a candidate still standing, and a candidate is dropped as soon as the anchors
        decoded so far cannot line up in it."""
        schema = self.searcher.schema
        pairs = pair_field(field)
        if pairs not in schema or type(schema[pairs]) is not PairText:
            return None
        try:
            texts = [w.decode("utf-8") for w in words]
        except UnicodeDecodeError:
            return None
        anchors: list[tuple[str, bytes, int]] = []
        covered = [False] * len(words)
        for k in range(len(words) - 1):
            if texts[k] in COMMON_TERMS and texts[k + 1] in COMMON_TERMS:
                pair = pair_term(texts[k], texts[k + 1])
                if pair is not None:
                    anchors.append((pairs, pair.encode("utf-8"), k))
                    covered[k] = covered[k + 1] = True
        if not anchors:
            return None
        anchors += [(field, words[k], k) for k in range(len(words)) if not covered[k]]
        frequency = {(f, t): self.searcher.doc_frequency(f, t) for f, t, _ in anchors}
        anchors.sort(key=lambda a: frequency[a[0], a[1]])
        candidates: set[int] | None = None
        for key in dict.fromkeys((f, t) for f, t, _ in anchors):
            docs = self._term(*key)
            candidates = docs if candidates is None else candidates & docs
            if not candidates:
                return set()
        assert candidates is not None
        if len(anchors) == 1:
            return candidates  # one pair: a two-word phrase, exactly
        decoded: dict[tuple[str, bytes], dict[int, list[int]]] = {}
        lined_up: list[tuple[int, dict[int, list[int]]]] = []
        for f, t, offset in anchors:
            found = decoded.get((f, t))
            if found is None:
                decode = self._decoder(f)
                found = decoded[f, t] = self._positions(f, t, candidates, decode)
            lined_up.append((offset, found))
            if len(lined_up) > 1:
                candidates = {d for d in candidates if _lines_up(lined_up, d)}
                if not candidates:
                    return set()
        return candidates

    def _decoder(self, field: str):
        fmt = self.searcher.schema[field].format
        return (
            whoosh_private.decode_positions
            if type(fmt) is formats.Positions
            else (fmt.decode_positions)
        )

    def _positions(self, field: str, btext: bytes, docs: set[int], decode) -> dict[int, list]:
        """The positions of a term in each of ``docs`` (global doc numbers), decoded from the
        blocks that hold one of them."""
        found: dict[int, list] = {}
        wanted = sorted(docs)
        for reader, offset in self._segments:
            if (field, btext) not in reader:
                continue
            lo = bisect.bisect_left(wanted, offset)
            hi = bisect.bisect_left(wanted, offset + reader.doc_count_all())
            if lo == hi:
                continue
            local = [d - offset for d in wanted[lo:hi]]
            for ids, values in whoosh_private.segment_values_of(reader, field, btext, local):
                for doc, value in zip(ids, values, strict=True):
                    doc += offset
                    if doc in docs:
                        found[doc] = decode(value)
        return found

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
        # are the last ones in the order: once the first is the query's own, all are).
        blocks_held = self._blocks
        while sum(e[2] for e in blocks_held.values()) > CACHED_POSTINGS:
            if blocks_held[next(iter(blocks_held))][3] == self._query:
                break
            blocks_held.popitem(last=False)
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


def _lines_up(anchors: list[tuple[int, dict[int, list[int]]]], doc: int) -> bool:
    """Whether some position ``i`` has every anchor (offset, positions by doc) at ``i + offset``
    in ``doc``."""
    offset, positions = anchors[0]
    starts = {p - offset for p in positions.get(doc, ())}
    for offset, positions in anchors[1:]:
        if not starts:
            return False
        starts.intersection_update([p - offset for p in positions.get(doc, ())])
    return bool(starts)
