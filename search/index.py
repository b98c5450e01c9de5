"""The full-text index: the only module that imports Whoosh.

Everything Whoosh-specific lives here (schema, writing, query parsing, filters, facets, snippets,
more-like-this) behind :class:`PaperIndex`, so the engine can be swapped by rewriting one module.
The index stores no text (the library's SQLite store holds the records); it keeps the paper id as a
column so that result ids come out of a hit list without reading stored documents.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import operator
import os
import pickle
import shutil
import signal
import struct
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from pickle import loads

from whoosh import fields, formats, index, matching, qparser, query, scoring, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3Segment,
    W3TermInfo,
    _lenfield,
)
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from search import ranking
from search.analysis import PostingsAnalyzer
from search.models import Filters, Paper, QueryError
from search.postpool import FastPostingPool

#: Bump whenever the schema or what goes into a field changes: an index built with another version
#: is rebuilt from the library's records (which the dumps can always re-create).
SCHEMA_VERSION = 3

#: A prefix, wildcard or fuzzy term expands to at most this many index terms (the most frequent
#: ones); without a bound `re*` expands to thousands of terms and a query takes seconds.
MAX_EXPANSION = 64

#: Decoded posting blocks of recent terms kept per searcher, in postings (~40 bytes each).
CACHED_POSTINGS = 600_000

#: A relevance-sorted result ranks this many hits by score; the others follow, newest first.
RANKED_DEPTH = 200

#: The fields the filters pane counts papers by.
FACETS = ("year", "kind", "category")

#: Fields a query searches when it names none, and the names users may type for them.
DEFAULT_FIELDS = ("title", "abstract", "authors")
FIELD_ALIASES = {"author": "authors", "summary": "abstract", "cat": "category"}


class FastText(fields.TEXT):
    """Whoosh's TEXT field, with the postings of a document computed without Whoosh's chain of
    token generators (:mod:`search.analysis`): the same terms, frequencies, weights and
    positions at a fraction of the CPU. Only indexing changes: queries, highlighting and
    more-like-this still run the field's analyzer, which is the stock one.

    The schema is pickled into the index, so this class must stay importable under this name.
    """

    def __getstate__(self) -> dict:
        # The analyzer built from the field is a cache (with an unpicklable stem cache): the
        # index's table of contents stores the field without it.
        state = self.__dict__.copy()
        state.pop("_postings", None)
        return state

    def index(self, value, **kwargs):
        postings = self.__dict__.get("_postings")
        if postings is None:
            postings = self._postings = _postings_analyzer(self) or False
        if postings is False or kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        return postings.postings(value)


def _simple_chain(analyzer) -> tuple | None:
    """(tokenizer, stop filter, stem filter or None) when ``analyzer`` is exactly Whoosh's
    tokenizer | lowercase | stop [| stem] chain with a word-matching (not gap) tokenizer and a
    stemmer that stems; else None. Indexing (:class:`FastText`) and snippets (``match_spans``)
    reproduce that chain without Whoosh's token stream."""
    from whoosh.analysis import (
        CompositeAnalyzer,
        LowercaseFilter,
        RegexTokenizer,
        StemFilter,
        StopFilter,
    )

    if type(analyzer) is not CompositeAnalyzer:
        return None
    items = analyzer.items
    kinds = [type(i) for i in items]
    if kinds not in (
        [RegexTokenizer, LowercaseFilter, StopFilter],
        [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter],
    ):
        return None
    tokenizer, _, stop = items[:3]
    stemmer = items[3] if len(items) == 4 else None
    if tokenizer.gaps or (stemmer is not None and stemmer.ignore):
        return None
    return tokenizer, stop, stemmer


def _postings_analyzer(field: fields.FieldType) -> PostingsAnalyzer | None:
    """A :class:`PostingsAnalyzer` reproducing ``field``'s indexing exactly, or None when the
    field's analysis or format is one it does not reproduce (Whoosh's own path is used)."""
    if type(field.format) is not formats.Positions or field.vector:
        return None
    chain = _simple_chain(field.analyzer)
    if chain is None:
        return None
    tokenizer, stop, stemmer = chain
    # Positions must be renumbered past stop words; a language stemmer is not reproduced.
    if not stop.renumber or (stemmer is not None and stemmer.lang):
        return None
    return PostingsAnalyzer(
        tokenizer.expression,
        stop.stops,
        stop.min,
        stop.max,
        stemmer.stemfn if stemmer is not None else None,
        field.format.field_boost,
    )


def _schema(stock: bool = False) -> fields.Schema:
    """The index's fields. ``stock=True`` gives plain Whoosh TEXT fields with the same analyzers
    and options (the benchmark's naive baseline indexes through those)."""
    stem = StemmingAnalyzer()
    text = fields.TEXT if stock else FastText
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        arxiv_id=fields.ID,
        title=text(analyzer=stem, field_boost=2.5, phrase=True),
        abstract=text(analyzer=stem, phrase=True),
        authors=text(phrase=True),
        keywords=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        published=fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        upvotes=fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        year=fields.ID(sortable=True),
        kind=fields.KEYWORD,
        category=fields.KEYWORD(lowercase=False),
        has_code=fields.BOOLEAN,
    )


def _datenum(d) -> int:
    return d.year * 10000 + d.month * 100 + d.day if d else 0


def _document(paper: Paper) -> dict:
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id or "",
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": " ; ".join(paper.authors),
        "keywords": ",".join(paper.keywords),
        "published": _datenum(paper.published),
        "upvotes": paper.upvotes or 0,
        "year": str(paper.published.year) if paper.published else "unknown",
        "kind": " ".join(paper.kinds),
        "category": " ".join(paper.categories),
        "has_code": paper.has_code,
    }


#: Expansions remembered per index reader (each a short list of terms).
EXPANSION_MEMO = 256

#: An expansion also stops adding terms once they would read more than this many postings in
#: all (the commonest term always counts): a pure-Python union costs about a microsecond a
#: posting, and `re*` on 100k abstracts otherwise reads millions of them.
EXPANSION_POSTINGS = 50_000


def _bounded(cls: type) -> type:
    """A subclass of a multi-term query class that keeps only its commonest terms (at most
    MAX_EXPANSION of them, and EXPANSION_POSTINGS postings), and unions them in one flat pass."""

    class Bounded(cls):  # type: ignore[misc, valid-type]
        def _btexts(self, ixreader):
            # A query asks several times (doc set, scores, highlight terms) and the next
            # keystroke asks again: expanding scans the term list (fuzzy: an edit distance per
            # term), so the answer is kept with the reader (a new commit: a new reader).
            memo = ixreader.__dict__.setdefault("_paperbrowse_expansions", {})
            key = (
                cls,
                self.fieldname,
                self.text,
                getattr(self, "maxdist", None),
                getattr(self, "prefixlength", None),
            )
            if key not in memo:
                if len(memo) >= EXPANSION_MEMO:
                    memo.pop(next(iter(memo)))
                memo[key] = self._bounded_btexts(ixreader)
            return memo[key]

        def _bounded_btexts(self, ixreader):
            texts = list(super()._btexts(ixreader))
            field = self.field()
            frequency = _doc_frequencies(ixreader, field, texts)
            common = heapq.nlargest(MAX_EXPANSION, ((frequency[t], t) for t in texts))
            kept: list = []
            postings = 0
            for df, text in common:
                if kept and postings + df > EXPANSION_POSTINGS:
                    continue
                kept.append(text)
                postings += df
            return kept

        def matcher(self, searcher, context=None):
            reader = searcher.reader()
            # The terms are chosen over the whole index, not per segment, so that every
            # segment (and the count) agrees on what the expansion means.
            top = searcher.get_parent() if searcher.has_parent() else searcher
            texts = [t for t in self._btexts(top.reader()) if t]
            if len(texts) < 2 or not self.constantscore:
                return super().matcher(searcher, context)
            # Whoosh's union is a binary tree of matchers re-checking block quality at every
            # document, which degenerates on dozens of big posting lists (seconds at 100k
            # papers). Every match scores the same here, so one sorted list of doc numbers,
            # read a posting block at a time, does the job.
            docs: set[int] = set()
            for text in texts:
                docs |= _segment_term_docs(reader, self.field(), text)
            if not docs:
                return matching.NullMatcher()
            return matching.ListMatcher(sorted(docs), all_weights=self.boost)

    Bounded.__name__ = "Bounded" + cls.__name__
    return Bounded


def _doc_frequencies(ixreader, field: str, texts: list[bytes]) -> dict[bytes, int]:
    """How many documents hold each of ``texts`` (terms of ``field``).

    Hundreds of terms (``re*``) are counted in one sequential pass over each segment's term
    list from their common prefix; a look-up each (a hashed read per term and segment) costs
    ~25 microseconds apiece: a third of a second for ``re*`` at 100k papers.
    """
    if len(texts) < 64:
        return {t: ixreader.doc_frequency(field, t) for t in texts}
    counts = dict.fromkeys(texts, 0)
    prefix = os.path.commonprefix(texts)
    for reader, _ in ixreader.leaf_readers():
        if reader.segments() is None or field not in reader.schema:
            continue
        for text, info in reader.iter_prefix(field, prefix):
            if text in counts:
                counts[text] += info.doc_frequency()
    return counts


@functools.lru_cache(maxsize=65_536)
def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance of a and b counting a swap of neighbours as one edit (optimal string
    alignment); anything above ``limit`` is reported as ``limit + 1`` (exits early)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


class StemFuzzyTerm(query.FuzzyTerm):
    """Fuzzy matching that survives stemming.

    The index holds stems (``quantiz``) while people type whole, misspelt words
    (``quantizaton~``), which are many edits away from the stem. A term is a candidate when it
    is within ``maxdist`` edits of the word, or of the word's beginning of the same length (the
    stem of a misspelt word is a near-prefix of it); only the candidates at the smallest distance
    found are kept, so an exact stem beats near misses (``quantil`` for ``quantizaton``).
    Candidates share the word's first two letters, which keeps the scan small.
    """

    def _btexts(self, ixreader):
        field = self.field()
        word = self.text
        if field not in ixreader.schema:
            return []
        head = word[: max(2, self.prefixlength)]
        best: dict[int, list] = {}
        for btext in ixreader.expand_prefix(field, head):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            dist = _distance(term, word, self.maxdist)
            if dist > self.maxdist and len(term) >= 4 and len(word) - len(term) <= 5:
                dist = _distance(term, word[: len(term)], self.maxdist)
            if dist <= self.maxdist:
                best.setdefault(dist, []).append(btext)
        return best[min(best)] if best else []


_BOUNDED = {cls: _bounded(cls) for cls in (query.Prefix, query.Wildcard, StemFuzzyTerm)}
_BOUNDED[query.FuzzyTerm] = _BOUNDED[StemFuzzyTerm]


def _bound_expansions(q: query.Query) -> query.Query:
    def swap(node: query.Query) -> query.Query:
        bounded = _BOUNDED.get(type(node))
        if bounded is not None:
            node = node.copy()
            node.__class__ = bounded
        return node

    return q.accept(swap)


class PaperIndex:
    """The Whoosh index of the library's papers."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ix = None
        #: Which index on disk ``_ix`` is (see :meth:`_identity`).
        self._opened: tuple[int, int] | None = None
        self._searcher = None
        self._views: _Views | None = None
        self._parser = None
        self._fast: dict[str, tuple | None] = {}

    # -- opening -----------------------------------------------------------------------------

    def _version_file(self) -> Path:
        return self.path / "SCHEMA_VERSION"

    def needs_rebuild(self) -> bool:
        """True when there is no usable index of the current schema version."""
        try:
            version = int(self._version_file().read_text().strip())
        except (OSError, ValueError):
            return True
        if version != SCHEMA_VERSION:
            return True
        return not _exists_in(self.path)

    def create(self) -> None:
        """Start an empty index (dropping any old one)."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        index.create_in(str(self.path), _schema())
        tmp = self._version_file().with_suffix(".tmp")
        tmp.write_text(str(SCHEMA_VERSION))
        os.replace(tmp, self._version_file())

    def _identity(self) -> tuple[int, int] | None:
        """Which index is on disk: :meth:`create` writes a new version file every time."""
        try:
            st = self._version_file().stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns

    def _open(self):
        if self._ix is None:
            if self.needs_rebuild():
                self.create()
            self._ix = FileStorage(str(self.path)).open_index()
            self._opened = self._identity()
        return self._ix

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def searcher(self):
        """A shared searcher, refreshed when another writer has committed since."""
        if self._ix is not None:
            current = self._identity()
            if current is not None and current != self._opened:
                # Another process re-created the index (ingest --rebuild): its generation numbers
                # start again, so up_to_date() could call the deleted index current. Reopen it;
                # the old searcher is left open for results still holding it.
                try:
                    self._ix = FileStorage(str(self.path)).open_index()
                    self._opened = current
                    self._searcher = None
                except (EmptyIndexError, OSError):
                    pass  # caught mid-creation: keep the last good view, retry next time
        ix = self._open()
        if self._searcher is None:
            self._searcher = ix.searcher()
        elif not self._searcher.up_to_date():
            try:
                self._refresh()
            except (EmptyIndexError, OSError):
                pass  # the index is being re-created: keep the last good view meanwhile
        if self._views is None or self._views.searcher is not self._searcher:
            self._views = _Views(self._searcher)
        return self._searcher

    def views(self) -> _Views:
        """Doc sets and orders cached for the current searcher (see :class:`_Views`)."""
        self.searcher()
        return self._views  # type: ignore[return-value]

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def writer(self, *, procs: int = 1) -> Iterator[IndexWriter]:
        """A writer that commits on normal exit and on KeyboardInterrupt (what was added so far
        stays searchable), and cancels on any other error. Waits up to 30 s for the write lock."""
        ix = self._open()
        # compound=False: Whoosh opens a compound segment by copying each of its parts into
        # memory (BytesIO over the mmap): 160 ms and ~450 MB at 100k papers for every process
        # that searches. Plain segment files are read in place.
        # The codec writes the same bytes as Whoosh's default one, with less CPU (FastW3Codec).
        options = {"limitmb": 256, "timeout": 30.0, "compound": False, "codec": FastW3Codec()}
        try:
            if procs > 1:
                w = _mp_writer_class()(ix, procs=procs, multisegment=True, **options)
            else:
                from whoosh.writing import SegmentWriter  # (ix.writer() imports it the same way)

                w = SegmentWriter(ix, **options)
            _use_fast_pool(w)
        except LockError as exc:
            raise IndexBusy(
                f"the index in {self.path} stays locked by another paperbrowse process; "
                "try again when it is done"
            ) from exc
        wrapper = IndexWriter(w)
        try:
            yield wrapper
        except KeyboardInterrupt:
            w.commit()
            raise
        except BaseException:
            w.cancel()
            raise
        else:
            try:
                w.commit()
            except BaseException:
                _abandon(w)  # e.g. disk full: the old index stays; the lock must not
                raise
        if self._searcher is not None:
            self._refresh()

    def _refresh(self) -> None:
        """Move the shared searcher to the index's latest commit."""
        # Always a new searcher, never Whoosh's ``refresh()``: it reuses the old segment
        # readers, so papers that an ingest replaced stayed live in their old segment
        # (whoosh-reloaded 2.7.5 compares segments by id, not by their deletions): duplicates in
        # every result until the process restarted. Opening costs a few milliseconds. The old
        # searcher is left to the garbage collector: a result may still read through it.
        self._searcher = self._open().searcher()

    # -- reading -----------------------------------------------------------------------------

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    def parse(self, text: str) -> query.Query:
        """Parse a user's query: Whoosh syntax, all words required, bounded expansions."""
        if self._parser is None:
            schema = self._open().schema
            parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, group=qparser.AndGroup)
            parser.add_plugin(qparser.FuzzyTermPlugin())
            parser.add_plugin(qparser.FieldAliasPlugin({v: [k] for k, v in FIELD_ALIASES.items()}))
            self._parser = parser
        text = text.strip()
        if not text:
            return query.Every()
        try:
            q = self._parser.parse(text)
        except Exception as exc:  # Whoosh raises a variety of errors for malformed input
            raise QueryError(f"cannot parse query {text!r}: {exc}") from exc
        if q is query.NullQuery:
            raise QueryError(f"query {text!r} has no searchable words")
        return _bound_expansions(q)

    def _filter(self, filters: Filters) -> query.Query | None:
        parts: list[query.Query] = []
        if filters.since or filters.until:
            parts.append(
                query.NumericRange(
                    "published",
                    _datenum(filters.since) if filters.since else 1,
                    _datenum(filters.until) if filters.until else None,
                )
            )
        if filters.min_upvotes:
            parts.append(query.NumericRange("upvotes", filters.min_upvotes, None))
        if filters.years:
            parts.append(query.Or([query.Term("year", str(y)) for y in sorted(filters.years)]))
        if filters.kinds:
            parts.append(query.Or([query.Term("kind", k) for k in sorted(filters.kinds)]))
        if filters.categories:
            parts.append(query.Or([query.Term("category", c) for c in sorted(filters.categories)]))
        if filters.has_code:
            parts.append(query.Term("has_code", True))
        if filters.ids is not None:
            if not filters.ids:
                return query.NullQuery
            parts.append(query.Or([query.Term("id", i) for i in sorted(filters.ids)]))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else query.And(parts)

    def search(
        self, q: query.Query, filters: Filters, sort: str, limit: int | None
    ) -> tuple[int, list[tuple[str, float]], IdList]:
        """Run a parsed query: (total, [(id, score)] for the first ``limit``, all ids lazily).

        Counting, filtering and the date/upvotes sorts use doc-number sets and cached orders
        (C-speed set operations over whole posting blocks) instead of Whoosh's per-document
        collectors; Whoosh scores only relevance-ranked pages.
        """
        s = self.searcher()
        views = self.views()
        if filters.ids is not None and not filters.ids:
            return 0, [], IdList(0, [], list)
        id_of = views.id_of
        every = isinstance(q, query.Every)
        try:
            allowed = views.filter_set(filters, self._filter(filters))
            # Every paper, unfiltered: the cached order is the answer (the app's first screen).
            key = _sort_key(sort, q)
            # A phrase (or other query the sets cannot answer) is matched once, by Whoosh,
            # collecting everything: counting it apart would match every phrase twice.
            once = key is None and not _set_friendly(q)
            docs = None if (every and allowed is None) or once else views.docs(q)
        except Exception as exc:  # e.g. a field name that is not in the schema
            raise QueryError(f"cannot run query: {exc}") from exc
        if allowed is not None and docs is not None:
            docs &= allowed
        if key is not None:
            if docs is None:
                ordered: Sequence[int] = views.order(key)
            else:
                ordered = views.sort(docs, key)
            first_docs = ordered if limit is None else ordered[:limit]
            first = [(id_of(d), 0.0) for d in first_docs]
            return (
                len(ordered),
                first,
                IdList(len(ordered), [i for i, _ in first], lambda: _ids_of(views, ordered)),
            )
        if docs is not None:
            try:
                scores = views.scores(q, docs)
            except Exception as exc:  # e.g. a phrase over a field without positions
                raise QueryError(f"cannot run query: {exc}") from exc
            if scores is not None:
                return _ranked(scores, docs, limit, views)
        kwargs = _sort_args(sort, q)
        # Block-quality skipping only pays for plain terms; with an array union inside (bounded
        # expansions) Whoosh re-checks it per document, which costs more than it saves.
        optimize = not _has_expansion(q)
        # Relevance ranks the first RANKED_DEPTH hits (ranking them all means scoring every
        # match: half a second for a common word at 100k papers); the rest follow newest first.
        # The order is the same whatever the limit: `limit=None` gets the same list as paging.
        depth = None if once or docs is None else max(limit or 0, RANKED_DEPTH)
        try:
            results = s.search(q, filter=allowed, limit=depth, optimize=optimize, **kwargs)
        except Exception as exc:
            raise QueryError(f"cannot run query: {exc}") from exc
        scored = not kwargs
        top = results.top_n if limit is None else results.top_n[:limit]
        first = [(id_of(d), float(k) if scored else 0.0) for k, d in top]
        if docs is None:
            everything = _ids_of(views, [d for _, d in results.top_n])
            return len(everything), first, IdList(len(everything), everything, list)
        ranked = [d for _, d in results.top_n]
        total = len(docs)

        def all_ids() -> list[str]:
            rest = views.sort(docs.difference(ranked), "date")
            return _ids_of(views, ranked + rest)

        if limit is None and total > len(ranked):
            everything = all_ids()
            first += [(pid, 0.0) for pid in everything[len(ranked) :]]
            return total, first, IdList(total, everything, list)
        return total, first, IdList(total, [i for i, _ in first], all_ids)

    def terms_for(self, q: query.Query) -> list[tuple[str, str]]:
        """The index terms a query matches (expanded prefixes/fuzzy), as (field, text), in the
        query's order; words under NOT are left out (no paper shown matches them)."""
        reader = self.searcher().reader()
        out: list[tuple[str, str]] = []
        for leaf in _positive_leaves(q):
            # Asked leaf by leaf: over a compound query Whoosh's existing_terms reuses its
            # ``fieldname`` argument as a loop variable and keeps only the first leaf's field,
            # so "pebble" (title:pebbl OR abstract:pebbl …) lost its abstract term.
            for field, btext in sorted(leaf.existing_terms(reader, phrases=True, expand=True)):
                if field in ("title", "abstract", "authors"):
                    text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                    out.append((field, text))
        return out

    def facets(self, q: query.Query, filters: Filters) -> dict[str, dict[str, int]]:
        """Counts of the matching papers by year, kind and category, commonest first.

        Counted by intersecting the matches with each value's posting list (cached per
        searcher) at C speed: Whoosh's grouping walks every match through Python (0.4–1 s for
        a common word at 100k papers, and the app asks on every query).
        """
        if filters.ids is not None and not filters.ids:
            return {name: {} for name in FACETS}
        views = self.views()
        flt = views.filter_set(filters, self._filter(filters))
        if not _set_friendly(q):
            return self._whoosh_facets(q, flt)
        docs = None if isinstance(q, query.Every) else views.docs(q)
        if docs is not None and flt is not None:
            docs &= flt
        elif docs is None:
            docs = flt
        out: dict[str, dict[str, int]] = {}
        for name in FACETS:
            counts = views.facet_counts(name, docs)
            out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return out

    def _whoosh_facets(self, q: query.Query, flt: set[int] | None) -> dict[str, dict[str, int]]:
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

    def similar(self, paper: Paper, limit: int) -> list[str]:
        """Ids of papers like this one (more-like-this over title and abstract)."""
        s = self.searcher()
        docnum = s.document_number(id=paper.id)
        if docnum is None:
            return []
        text = f"{paper.title} {paper.title} {paper.abstract}"
        # Whoosh's more_like: the text's key terms (Bo1 model), OR-ed with their weights as
        # boosts; scored here over cached posting blocks like any query.
        key_terms = s.key_terms_from_text("abstract", text, numterms=12)
        q = query.Or([query.Term("abstract", word, boost=weight) for word, weight in key_terms])
        views = self.views()
        docs = views.docs(q)
        docs.discard(docnum)
        scores = views.scores(q, docs)
        if scores is None:
            results = s.search(q, limit=limit, mask={docnum})
            return [views.id_of(d) for _, d in results.top_n]
        return [views.id_of(d) for _, d in ranking.best(scores, limit)]

    def match_spans(self, field: str, text: str, terms: set[str]) -> list[tuple[int, int]]:
        """Character spans of the words of ``text`` that ``field`` indexes as one of ``terms``.

        The same answer as filtering :meth:`analyze`, but only words whose first letter starts
        some term are stemmed (stemming keeps a word's first letter): snippets for a page of 20
        abstracts cost a seventh of the full analysis, which was a fifth of a query's time.
        """
        if not terms or not text:
            return []
        fast = self._fast_analysis(field)
        if fast is None:
            return [(s, e) for term, s, e in self.analyze(field, text) if term in terms]
        pattern, stops, minsize, maxsize, stem = fast
        firsts = {t[0] for t in terms if t}
        spans = []
        for m in pattern.finditer(text):
            word = m.group().lower()
            if word[0] not in firsts or len(word) < minsize or word in stops:
                continue
            if maxsize is not None and len(word) > maxsize:
                continue
            if (stem(word) if stem else word) in terms:
                spans.append((m.start(), m.end()))
        return spans

    def _fast_analysis(self, field: str):
        """(token regex, stop words, min size, max size, stem function or None) when the field's
        analyzer is the usual tokenizer | lowercase | stop [| stem] chain; else None."""
        if field not in self._fast:
            chain = _simple_chain(self._open().schema[field].analyzer)
            found = None
            if chain is not None:
                tokenizer, stop, stemmer = chain
                stem = None
                if stemmer is not None:
                    stem = functools.lru_cache(maxsize=50_000)(stemmer.stemfn)
                found = (tokenizer.expression, stop.stops, stop.min, stop.max, stem)
            self._fast[field] = found
        return self._fast[field]

    def analyze(self, field: str, text: str) -> Iterator[tuple[str, int, int]]:
        """Tokens of ``text`` as the field indexes them: (term, start char, end char)."""
        analyzer = self._open().schema[field].analyzer
        for token in analyzer(text, chars=True, positions=True, mode="index"):
            yield token.text, token.startchar, token.endchar


@functools.cache
def _mp_writer_class() -> type:
    """Whoosh's multiprocess writer, with worker processes that die with their parent, leave
    Ctrl-C to it and sort their postings in a :class:`FastPostingPool`.

    Forked workers inherit the open files that hold the ingest lock and the index's write
    lock. When an ingest was killed (kill -9, OOM killer, a closed terminal), its workers lived
    on, holding both locks: every later ingest reported "another ingest is running" until they
    were found and killed by hand.
    """
    from whoosh.multiproc import MpWriter, SubWriterTask

    class Task(SubWriterTask):
        def run(self) -> None:
            _die_with_parent()
            # Ctrl-C in a terminal reaches the whole process group. A worker that died of it
            # left the parent's commit waiting for its results forever; the parent decides
            # (it commits what the workers have, see PaperIndex.writer).
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            super().run()

        def _process_file(self, filename, doc_count):
            # The segment writer is made in run(); it gets the fast pool before its first
            # posting (see FastPostingPool).
            _use_fast_pool(self.writer)
            super()._process_file(filename, doc_count)

    class Writer(MpWriter):
        def _new_task(self):  # MpWriter._new_task, starting a Task
            task = Task(
                self.storage,
                self.indexname,
                self.jobqueue,
                self.resultqueue,
                self.subargs,
                self.multisegment,
            )
            self.tasks.append(task)
            task.start()
            return task

    return Writer


def _die_with_parent() -> None:
    """End this process when its parent ends: the kernel's parent-death signal where there is
    one (Linux), else a thread watching the parent's pid."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL) == 0:
            if os.getppid() != parent:  # the parent died before the signal was armed
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _exists_in(path: Path) -> bool:
    """Whoosh's ``exists_in``, safe while another process commits.

    It lists the table-of-contents files and then reads the newest; a commit in between
    replaces that file (FileNotFoundError). A listed TOC means an index: never report "none"
    for that, since the caller would then re-create the index under the writer.
    """
    for _ in range(5):
        try:
            return index.exists_in(str(path))
        except FileNotFoundError:
            continue
    return True


def _abandon(writer) -> None:
    """Drop a writer whose commit failed, releasing its write lock even if cancel fails."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - half-committed; only the lock matters now
        lock = getattr(writer, "writelock", None)
        if lock is not None and getattr(lock, "fd", None) is not None:
            lock.release()


class IndexBusy(RuntimeError):
    """Another process holds the index's write lock for longer than we wait."""


class FastW3Codec(W3Codec):
    """Whoosh's default codec, writing a new segment's postings with less CPU.

    A commit spends most of its time in ``FieldWriter.add_postings``: a dozen Python calls per
    posting (type asserts, an on-disk look-up of the document's field length, stat() calls for
    fields without lengths) to fill blocks of 128 postings. :class:`_FastFieldWriter` writes the
    same blocks a term at a time from the sorted posting pool; the files are byte for byte
    those of ``W3Codec`` (tests/test_fast_writer.py). Segments record a plain ``W3Codec``, so
    an index written with this codec holds no trace of it.
    """

    def field_writer(self, storage, segment):
        return _FastFieldWriter(self, storage, segment)

    def new_segment(self, storage, indexname):
        plain = W3Codec(self._blocklimit, self._compression, self._inlinelimit)
        return W3Segment(plain, indexname)


class _FastFieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        # The stock loop handles what this one does not reproduce: postings for spelling words
        # (docnum -1), and lengths from anything but one segment's per-document reader.
        if (lengths is not None and type(lengths) is not W3PerDocReader) or any(
            schema[name].separate_spelling() for name in schema.names()
        ):
            return super().add_postings(schema, lengths, items)
        blocklimit = self._codec._blocklimit
        comp = self._codec._compression
        postfile = self._postfile
        # Nothing else writes to the postings file meanwhile: its offset is counted, and a
        # term's blocks go out in one write.
        offset = postfile.tell()
        tindex_add = self._tindex.add
        lastfn = None
        table: list | None = None
        fixedsize = None
        for (fieldname, btext), group in itertools.groupby(items, _FIELD_AND_TERM):
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                fieldobj = schema[fieldname]
                self.start_field(fieldname, fieldobj)
                fieldid = self._fieldid
                fixedsize = fieldobj.format.fixed_value_size()
                table = _length_table(lengths, fieldname)
                lastfn = fieldname
            _, _, docs, weights, values = zip(*group, strict=True)
            n = len(docs)
            parts = [WHOOSH3_HEADER_MAGIC]
            info = W3TermInfo()
            for start in range(0, n, blocklimit):
                end = min(start + blocklimit, n)
                bdocs = docs[start:end]
                bweights = weights[start:end]
                # Whoosh buffers weights in an array of C floats: its sums and the stored
                # weights are of the rounded values.
                farray = array("f", bweights)
                if table is None:
                    blens = ()
                else:
                    blens = [x for x in map(table.__getitem__, bdocs) if x]
                minlength = min(blens) if blens else None
                maxlength = max(blens) if blens else 0
                maxweight = max(bweights)
                if not maxweight > 0:
                    maxweight = 0
                # W3TermInfo.add_block, with this block's statistics.
                info._weight += sum(farray)
                info._df += end - start
                if info._minlength is None:
                    info._minlength = minlength
                else:
                    info._minlength = min(info._minlength, minlength)
                if start == 0:
                    info._minid = bdocs[0]
                info._maxlength = max(info._maxlength, maxlength)
                info._maxweight = max(info._maxweight, maxweight)
                info._maxid = bdocs[-1]
                # W3PostingsWriter._write_block: (delta ids, weights, values), pickled and
                # compressed; before it, the block's statistics, pickled.
                if all(w == 1.0 for w in farray):
                    miniweights = None
                elif all(w == farray[0] for w in farray):
                    miniweights = farray[0]
                else:
                    miniweights = tuple(farray)
                bvalues = [v for v in values[start:end] if v]
                if fixedsize is None or fixedsize < 0:
                    minivalues = tuple(bvalues)
                elif fixedsize == 0:
                    minivalues = None
                else:
                    minivalues = b"".join(bvalues)
                ids = (bdocs[0], *map(operator.sub, bdocs[1:], bdocs))
                databytes = pickle.dumps((ids, miniweights, minivalues), 2)
                if comp:
                    databytes = zlib.compress(databytes, comp)
                infobytes = pickle.dumps(
                    (
                        end - start,
                        bdocs[-1],
                        maxweight,
                        comp,
                        _length_byte(minlength),
                        _length_byte(maxlength),
                    ),
                    2,
                )
                blocklength = len(infobytes) + len(databytes)
                parts += (pack_int(-blocklength if end == n else blocklength), infobytes, databytes)
            blob = b"".join(parts)
            postfile.write(blob)
            info.set_extent(offset, len(blob))
            offset += len(blob)
            tindex_add(pack_ushort(fieldid) + btext, info.to_bytes())
        if lastfn is not None:
            self.finish_field()


_FIELD_AND_TERM = operator.itemgetter(0, 1)
#: Whoosh's length byte (a bisection in Python) of the few lengths fields have, remembered.
_length_byte = functools.lru_cache(maxsize=4096)(length_to_byte)


def _use_fast_pool(writer) -> None:
    """Give a Whoosh writer that holds no posting yet a :class:`FastPostingPool`."""
    pool = writer.pool
    if not isinstance(pool, FastPostingPool) and not pool.current and not pool.runs:
        writer.pool = FastPostingPool(pool.tempstore, pool.segment, limitmb=pool.limit // 2**20)


def _length_table(lengths, fieldname: str) -> list | None:
    """Every document's length of ``fieldname`` as Whoosh's ``doc_field_length`` reports it
    (None for a stored length byte of 0), or None when the field stores no lengths (Whoosh
    then reports 0 for every document)."""
    if lengths is None:
        return None
    reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    decoded = [None] + [byte_to_length(b) for b in range(1, 256)]
    return [decoded[b] for b in reader]


class IndexWriter:
    """Adds, replaces and removes papers; owned by :meth:`PaperIndex.writer`."""

    def __init__(self, writer) -> None:
        self._w = writer

    def add(self, paper: Paper) -> None:
        """A paper the index has never seen (no look-up for an old copy: twice as fast)."""
        self._w.add_document(**_document(paper))

    def replace(self, paper: Paper) -> None:
        self._w.delete_by_term("id", paper.id)
        self._w.add_document(**_document(paper))

    def delete(self, ids: Iterable[str]) -> None:
        for paper_id in ids:
            self._w.delete_by_term("id", paper_id)


class IdList(Sequence[str]):
    """Result ids in order: the first page at once, the rest computed on first access past it."""

    def __init__(self, total: int, first: list[str], load_all) -> None:
        self._total = total
        self._first = first
        self._load_all = load_all
        self._all: list[str] | None = None if total > len(first) else first

    def __len__(self) -> int:
        return self._total

    def __getitem__(self, i):  # type: ignore[override]
        if self._all is None:
            if isinstance(i, int) and -1 < i < len(self._first):
                return self._first[i]
            if (
                isinstance(i, slice)
                and i.stop is not None
                and 0 <= (i.start or 0)
                and (i.stop <= len(self._first))
                and (i.step in (None, 1))
            ):
                return self._first[i]
            self._all = self._load_all()
        return self._all[i]


def _ranked(
    scores: dict[int, float], docs: set[int], limit: int | None, views: _Views
) -> tuple[int, list[tuple[str, float]], IdList]:
    """A search's answer from every match's score: the first ``limit`` at once, the whole
    list (all of it by score, ties by doc number) when someone reads past them."""
    if len(scores) != len(docs):  # every match scores > 0; never let the count and list differ
        for doc in docs.difference(scores):
            scores[doc] = 0.0
    top = ranking.best(scores, limit)
    first = [(views.id_of(d), score) for score, d in top]
    total = len(docs)

    def all_ids() -> list[str]:
        return _ids_of(views, [d for _, d in ranking.best(scores, None)])

    return total, first, IdList(total, [i for i, _ in first], all_ids)


def _ids_of(views: _Views, docs: Iterable[int]) -> list[str]:
    ids = views.ids()
    return [ids[d] for d in docs]


def _sort_args(sort: str, q: query.Query) -> dict:
    if sort == "date" or (sort == "relevance" and isinstance(q, query.Every)):
        return {
            "sortedby": [
                sorting.FieldFacet("published", reverse=True),
                sorting.FieldFacet("upvotes", reverse=True),
            ]
        }
    if sort == "upvotes":
        return {
            "sortedby": [
                sorting.FieldFacet("upvotes", reverse=True),
                sorting.FieldFacet("published", reverse=True),
            ]
        }
    return {}


def _sort_key(sort: str, q: query.Query) -> str | None:
    """Which cached order a sort uses ("date" or "upvotes"), or None for relevance.

    A query of only prefixes/wildcards/fuzzy words has no relevance to rank by (every match
    scores the same), so it comes newest first, like the empty query.
    """
    if sort == "date" or (sort == "relevance" and (isinstance(q, query.Every) or _unscored(q))):
        return "date"
    if sort == "upvotes":
        return "upvotes"
    return None


def sort_used(sort: str, q: query.Query) -> str:
    """The order :meth:`PaperIndex.search` really gives ``q`` when asked for ``sort``."""
    return _sort_key(sort, q) or "relevance"


def _positive_leaves(q: query.Query) -> Iterator[query.Query]:
    """The leaves of ``q`` that a match can contain (not those under NOT / AND NOT)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)


def _has_expansion(q: query.Query) -> bool:
    return any(type(node) in _BOUNDED_CLASSES for node in q.leaves()) or (
        type(q) in _BOUNDED_CLASSES
    )


def _set_friendly(q: query.Query) -> bool:
    """True when :meth:`_Views.docs` answers ``q`` with set operations alone."""
    kind = type(q)
    if kind in (query.Every, query.Term, query.Phrase) or kind in _BOUNDED_CLASSES:
        return True
    if q is query.NullQuery:
        return True
    if kind in (query.And, query.Or):
        return all(_set_friendly(sub) for sub in q.subqueries)
    if kind is query.AndNot:
        return _set_friendly(q.a) and _set_friendly(q.b)
    if kind is query.Not:
        return _set_friendly(q.query)
    return False


def _unscored(q: query.Query) -> bool:
    leaves = list(q.leaves()) if q.is_leaf() is False else [q]
    return bool(leaves) and all(
        type(node) in _BOUNDED_CLASSES and node.constantscore for node in leaves
    )


_BOUNDED_CLASSES = frozenset(_BOUNDED.values())


class _Views:
    """What one searcher answers once and reuses until the index changes.

    - doc-number sets of queries, built from whole posting blocks with set operations (Whoosh's
      own counting walks every posting through Python matchers: 60% of a query's time at 100k);
    - the order of all documents by date and by upvotes (Whoosh's sorting reads both columns
      for every matching document on every query);
    - the doc sets of recent filters (a date range is a union of dozens of trie terms).
    """

    FILTER_CACHE = 16

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self._orders: dict[str, list[int]] = {}
        self._keys: dict[str, list[int]] = {}
        self._filters: dict[Filters, set[int]] = {}
        self._ids: list[str] | None = None
        self._id_columns: list[tuple[int, object]] | None = None
        self._lengths: dict[str, list[int]] = {}
        self._phrases: dict[tuple, set[int]] = {}
        self._facet_values: dict[str, dict[str, array]] = {}
        self._cache: OrderedDict[tuple[str, bytes], tuple[list, bool, int]] = OrderedDict()
        self._norms: dict[str, list[float]] = {}
        subs = searcher.subsearchers  # None for a single-segment index
        segments = (
            [(sub.reader(), offset) for sub, offset in subs] if subs else [(searcher.reader(), 0)]
        )
        # An empty index has a reader without columns (Whoosh's EmptyReader): no segments at all.
        self._segments = [(r, offset) for r, offset in segments if r.segments() is not None]

    # -- orders --------------------------------------------------------------------------------

    def _column(self, field: str) -> list[int]:
        """Sort keys of a numeric column for every doc number: its raw sortable values (same
        order as the numbers), loaded a segment at a time with one array read each."""
        values: list[int] = []
        for reader, _ in self._segments:
            column = reader.column_reader(field)
            raw = column.raw_column() if hasattr(column, "raw_column") else column
            bulk = _numeric_column_values(raw)
            values.extend(bulk if bulk is not None else raw)
        return values

    def sort_keys(self, key: str) -> list[int]:
        """sort_keys[docnum]: one integer per document that sorts newest (or most upvoted)
        first, ties by the other field (both fields are 32-bit, so one key sorts at C speed)."""
        keys = self._keys.get(key)
        if keys is None:
            published, upvotes = self._column("published"), self._column("upvotes")
            first, second = (published, upvotes) if key == "date" else (upvotes, published)
            keys = self._keys[key] = [-((a << 32) | b) for a, b in zip(first, second, strict=True)]
        return keys

    def sort(self, docs: Iterable[int], key: str) -> list[int]:
        """``docs`` in :meth:`order`'s order (sorted() is stable: equal keys stay by doc number)."""
        return sorted(sorted(docs), key=self.sort_keys(key).__getitem__)

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
                    values.extend(_id_column_values(reader.column_reader("id")))
            self._ids = values
        return self._ids

    # -- sets ----------------------------------------------------------------------------------

    def filter_set(self, filters: Filters, flt: query.Query | None) -> set[int] | None:
        """The documents ``filters`` allow (None: all of them), cached: never modify it."""
        if flt is None:
            return None
        if filters not in self._filters:
            if len(self._filters) >= self.FILTER_CACHE:
                self._filters.pop(next(iter(self._filters)))
            docs = self.docs(flt)
            # A set (not frozenset): Whoosh's filter argument accepts only that type.
            self._filters[filters] = docs if docs is not None else set()
        return self._filters[filters]

    def docs(self, q: query.Query) -> set[int] | None:
        """Doc numbers matching ``q`` (deleted ones excluded), or None if ``q`` is empty."""
        if isinstance(q, query.Every):
            return set(self.searcher.reader().all_doc_ids())
        kind = type(q)
        if kind is query.Term:
            return self._term(q.fieldname, q.text)
        if kind in _BOUNDED_CLASSES:
            out: set[int] = set()
            field = q.field()
            for text in q._btexts(self.searcher.reader()):
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
            return self._phrase_docs(q)
        if kind is query.NumericRange:
            # Whoosh walks the range's trie terms per document (0.2 s for a date filter at 100k
            # papers); the same terms as sets take a few milliseconds.
            return self.docs(q.simplify(self.searcher.reader()))
        if kind is query.ConstantScoreQuery:
            return self.docs(q.child)
        if kind is query.TermRange:
            field = q.field()
            out = set()
            for text in q._btexts(self.searcher.reader()):
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
        if kind in _BOUNDED_CLASSES:
            if not q.constantscore:
                return False
            texts = [t for t in q._btexts(self.searcher.reader()) if t]
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
            b = weighting._field_B.get(field, weighting.B)
            avgfl = self.searcher.avg_field_length(field) or 1
            norms = self._norms[field] = ranking.length_norms(byte_to_length, avgfl, b, k1)
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

    def lengths(self, field: str) -> list[int]:
        """The field-length byte of every document (Whoosh's per-document length column)."""
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = []
            name = _lenfield(field)
            for reader, _ in self._segments:
                count = reader.doc_count_all()
                perdoc = getattr(reader, "_perdoc", None)
                if perdoc is None or not perdoc.has_column(name):
                    lengths.extend([0] * count)
                    continue
                column = perdoc.column_reader(name, LENGTHS_COLUMN)
                values = _numeric_column_values(column)
                lengths.extend(values if values is not None else column)
            self._lengths[field] = lengths
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
        """Candidates are the docs holding every word (a set intersection); only their positions
        are decoded, from the cached posting blocks. Whoosh's phrase matcher instead walks an
        intersection of matchers and builds span objects for every candidate."""
        field = q.fieldname
        fieldobj = self.searcher.schema[field]
        try:
            words = [w if isinstance(w, bytes) else fieldobj.to_bytes(w) for w in q.words]
        except ValueError:
            return set()
        if not words:
            return set()
        candidates: set[int] | None = None
        for word in sorted(set(words), key=lambda w: self.searcher.doc_frequency(field, w)):
            docs = self._term(field, word)
            candidates = docs if candidates is None else candidates & docs
            if not candidates:
                return set()
        if len(words) == 1:
            return candidates or set()
        decode = _decode_positions if type(fieldobj.format) is formats.Positions else None
        decode = decode or fieldobj.format.decode_positions
        positions: dict[bytes, dict[int, list[int]]] = {}
        for word in set(words):
            found = positions[word] = {}
            for ids, _, values in self._postings(field, word, values=True):
                for doc, value in zip(ids, values, strict=True):
                    if doc in candidates:
                        found[doc] = decode(value)
        return {
            doc
            for doc in candidates
            if ranking.phrase_at([positions[w][doc] for w in words], q.slop)
        }

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
        entry = self._cache.pop(key, None)
        if entry is None or (values and not entry[1]):
            blocks = []
            count = 0
            for reader, offset in self._segments:
                if (field, btext) not in reader:
                    continue
                for ids, weights, vals in _segment_postings(reader, field, btext, values):
                    if offset:
                        ids = array("I", [d + offset for d in ids])
                    blocks.append((ids, weights, vals))
                    count += len(ids)
            entry = (blocks, values, count)
        if not cache:
            return entry[0]
        self._cache[key] = entry
        while len(self._cache) > 1 and sum(e[2] for e in self._cache.values()) > CACHED_POSTINGS:
            self._cache.popitem(last=False)  # the least recently used term
        return entry[0]

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


def _id_column_values(column) -> list[str]:
    """Every value of a segment's id column (Whoosh's variable-length bytes column), sliced out
    of one read of its data; any other kind of column is read value by value."""
    raw = column.raw_column() if hasattr(column, "raw_column") else None
    needed = ("_dbfile", "_basepos", "_offsets", "_lengths")
    if raw is None or not all(hasattr(raw, name) for name in needed):
        return list(column)
    offsets, lengths = raw._offsets, raw._lengths
    if not len(lengths):
        return []
    end = max(o + n for o, n in zip(offsets, lengths, strict=True))
    blob = raw._dbfile.get(raw._basepos, end)
    return [blob[o : o + n].decode("utf-8") for o, n in zip(offsets, lengths, strict=True)]


def _numeric_column_values(raw) -> list[int] | None:
    """All values of a Whoosh numeric column in one struct.unpack (its own ``load()`` unpacks
    value by value: 70 ms a column at 100k papers), or None for another kind of column."""
    needed = ("_typecode", "_dbfile", "_basepos", "_count", "_doccount", "_default", "_fixedlen")
    if not all(hasattr(raw, name) for name in needed):
        return None
    data = raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen)
    values = list(struct.unpack(f"!{raw._count}{raw._typecode}", data))
    values.extend([raw._default] * (raw._doccount - raw._count))
    return values


def _segment_term_docs(reader, field: str, text) -> set[int]:
    """Doc numbers (in one segment) of a term, read a whole posting block at a time."""
    schema = reader.schema
    if field not in schema:
        return set()
    btext = text if isinstance(text, bytes) else schema[field].to_bytes(text)
    if (field, btext) not in reader:
        return set()
    out: set[int] = set()
    for ids, _, _ in _segment_postings(reader, field, btext, False):
        out.update(ids)
    return out


def _segment_postings(reader, field: str, btext: bytes, values: bool) -> Iterator[tuple]:
    """(doc numbers, weights, values or None) of a term in one segment, a block at a time."""
    m = reader.postings(field, btext)
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_lastblock")):
        # A segment with deletions (a filtering wrapper) or a short list stored inline with the
        # term: walk it posting by posting.
        ids = array("I")
        weights = array("f")
        vals: list | None = [] if values else None
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if vals is not None:
                vals.append(m.value())
            m.next()
        if ids:
            yield ids, weights, vals
        return
    # Whoosh's W3 codec internals (whoosh-reloaded 2.7): one unpickled tuple per block of
    # postings; its delta-coded doc numbers are summed at C speed (Whoosh's own decoding is a
    # Python generator, a step per posting).
    while m.is_active():
        if m._data is None:
            m._read_data()
        if m._byteids:
            m._read_ids()
            ids = array("I", m._ids)
        else:
            ids = array("I", accumulate(m._data[0]))
        m._read_weights()
        if values:
            m._read_values()
        yield ids, m._weights, (m._values if values else None)
        if m._lastblock:
            break
        m._next_block()


def _decode_positions(value: bytes) -> list[int]:
    """Positions of a Whoosh ``Positions`` posting value (its own decoding, at C speed):
    4 bytes of count, then a pickled list of deltas."""
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))
