"""From a user's query text and filters to Whoosh queries: parsing, bounded expansions scored
as the terms they stand for, filters as queries, and what kind of answer a query needs (fuzzy
words that survive stemming: :mod:`search.engine.fuzzy`).

Nothing here leaves the package: the engine's callers pass text and :class:`Filters`.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterator

from paperbrowse.search.engine import whoosh_private, whoosh_terms
from paperbrowse.search.engine.analysis import fold
from paperbrowse.search.engine.fuzzy import UNSURE_STEM, StemFuzzyTerm
from paperbrowse.search.engine.schema import (
    DEFAULT_FIELDS,
    EXTRA_FIELDS,
    FIELD_ALIASES,
    datenum,
    upvotes_value,
)
from paperbrowse.search.engine.timeline import featured_query
from paperbrowse.search.models import Filters, QueryError
from whoosh import fields, matching, qparser, query

#: A prefix, wildcard or fuzzy term expands to at most this many index terms (the most frequent
#: ones); without a bound `re*` expands to thousands of terms and a query takes seconds.
MAX_EXPANSION = 64

#: Expansions remembered per index reader (each a short list of terms).
EXPANSION_MEMO = 256

#: An expansion also stops adding terms once they would read more than this many postings in
#: all (the commonest term always counts): a pure-Python union costs about a microsecond a
#: posting, and `re*` on 100k abstracts otherwise reads millions of them.
EXPANSION_POSTINGS = 50_000

#: The fields whose matched terms are reported (for highlighting and snippets).
TEXT_FIELDS = ("title", "abstract", "authors")


class QueryParser:
    """Parses a user's query: Whoosh syntax, all words required, bounded expansions."""

    def __init__(self, schema: fields.Schema) -> None:
        # The extra fields only where the index has them as text (an index of an older schema
        # is searched until it is rebuilt).
        extra = [f for f in EXTRA_FIELDS if f in schema and isinstance(schema[f], fields.TEXT)]
        names = list(DEFAULT_FIELDS) + extra
        # What qparser.MultifieldParser builds, with this module's term_query.
        parser = _Parser(None, schema, group=qparser.AndGroup)
        parser.add_plugin(qparser.MultifieldPlugin(names))
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.add_plugin(qparser.FieldAliasPlugin({v: [k] for k, v in FIELD_ALIASES.items()}))
        self._parser = parser

    def parse(self, text: str) -> query.Query:
        text = text.strip()
        if not text:
            return query.Every()
        try:
            q = self._parser.parse(text)
        except Exception as exc:  # Whoosh raises a variety of errors for malformed input
            raise QueryError(f"cannot parse query {text!r}: {exc}") from exc
        if q is query.NullQuery:
            raise QueryError(f"query {text!r} has no searchable words")
        return bound_expansions(q.accept(_prefixes_in_main_fields))


def _prefixes_in_main_fields(node: query.Query) -> query.Query:
    """An unfielded prefix or wildcard (``quant*``) searches the main fields only: in the extra
    ones it would score the same title words again (``title_exact``) or keywords, at the cost of
    two more expansions of up to EXPANSION_POSTINGS postings each. A fuzzy word keeps them (an
    exact title form of the word meant still ranks first); ``keywords:vid*`` stays as typed."""
    if type(node) is not query.Or:
        return node
    subs = node.subqueries
    kinds = {(type(sub), getattr(sub, "text", None)) for sub in subs}
    if len(kinds) != 1 or next(iter(kinds))[0] not in (query.Prefix, query.Wildcard):
        return node
    main = [sub for sub in subs if sub.fieldname not in EXTRA_FIELDS]
    if not main or len(main) == len(subs):
        return node
    return query.Or(main, boost=node.boost)


def filter_query(filters: Filters) -> query.Query | None:
    """The query ``filters`` stand for (None: they restrict nothing)."""
    parts: list[query.Query] = []
    if filters.since or filters.until:
        parts.append(
            query.NumericRange(
                "published",
                datenum(filters.since) if filters.since else 1,
                datenum(filters.until) if filters.until else None,
            )
        )
    featured = featured_query(filters)
    if featured is not None:
        parts.append(featured)
    if filters.min_upvotes:
        parts.append(query.NumericRange("upvotes", upvotes_value(filters.min_upvotes), None))
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


def matched_terms(q: query.Query, reader) -> list[tuple[str, str]]:
    """The index terms a query matches in the text fields (expanded prefixes/fuzzy), as
    (field, text), in the query's order; words under NOT are left out (no match holds them)."""
    out: list[tuple[str, str]] = []
    for leaf in _positive_leaves(q):
        # Asked leaf by leaf: over a compound query Whoosh's existing_terms reuses its
        # ``fieldname`` argument as a loop variable and keeps only the first leaf's field,
        # so "pebble" (title:pebbl OR abstract:pebbl …) lost its abstract term.
        for field, btext in sorted(leaf.existing_terms(reader, phrases=True, expand=True)):
            if field in TEXT_FIELDS:
                text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                out.append((field, text))
    return out


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


def capped_expansions(q: query.Query, reader) -> tuple[str, ...]:
    """The prefix, wildcard and fuzzy words of ``q`` that matched more index terms than the
    bound keeps (their rarest terms were left out: the answer may be incomplete), as
    ``zeta* (64 of 200 words)``."""
    out: dict[str, None] = {}
    for node in q.leaves():
        cap = node.expansion_cap(reader) if hasattr(node, "expansion_cap") else None
        if cap:
            word = node.text + ("*" if isinstance(node, query.Prefix) else "")
            if isinstance(node, query.FuzzyTerm):
                word += "~" if node.maxdist == 1 else f"~{node.maxdist}"
            out[f"{word} ({cap[0]} of {cap[1]} words)"] = None
    return tuple(out)


# -- bounded expansions ----------------------------------------------------------------------


def _bounded(cls: type) -> type:
    """A subclass of a multi-term query class that keeps only its commonest terms (at most
    MAX_EXPANSION of them, and EXPANSION_POSTINGS postings), and unions them in one flat pass."""

    class Bounded(cls):
        def _btexts(self, ixreader):
            # A query asks several times (doc set, scores, highlight terms) and the next
            # keystroke asks again: expanding scans the term list (fuzzy: an edit distance per
            # term), so the answer is kept with the reader (a new commit: a new reader).
            return self._expansion(ixreader)[0]

        def _expansion(self, ixreader) -> tuple[list, int]:
            """(the terms kept, how many terms matched), computed once per reader."""
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

        def expansion_cap(self, ixreader) -> tuple[int, int] | None:
            """(terms kept, terms matched) when the bound left terms out, else None."""
            kept, total = self._expansion(ixreader)
            return (len(kept), total) if len(kept) < total else None

        def _bounded_btexts(self, ixreader):
            field = self.field()
            if cls is query.Prefix:
                # The terms and their doc counts in one walk of the term list (Whoosh's
                # expansion walks it once for the terms, the counts would walk it again).
                frequency = _prefix_frequencies(ixreader, field, self.text)
                texts = list(frequency)
            else:
                texts = whoosh_private.stock_expansion(cls, self, ixreader)
                frequency = _doc_frequencies(ixreader, field, texts)
            common = heapq.nlargest(MAX_EXPANSION, ((frequency[t], t) for t in texts))
            kept: list = []
            postings = 0
            for df, text in common:
                if kept and postings + df > EXPANSION_POSTINGS:
                    continue
                kept.append(text)
                postings += df
            return kept, len(texts)

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


def _prefix_frequencies(ixreader, field: str, text: str) -> dict[bytes, int]:
    """Every term of ``field`` starting with ``text`` (what Whoosh's ``Prefix`` expands to: the
    terms of every segment, sorted) and how many documents hold it, from one sequential walk
    of each segment's term list."""
    if field not in ixreader.schema:
        return {}
    prefix = ixreader.schema[field].to_bytes(text)
    counts: dict[bytes, int] = {}
    for reader, _ in ixreader.leaf_readers():
        if reader.segments() is None or field not in reader.schema:
            continue
        for btext, df in whoosh_terms.prefix_doc_counts(reader, field, prefix):
            counts[btext] = counts.get(btext, 0) + df
    return dict(sorted(counts.items()))


def _segment_term_docs(reader, field: str, text) -> set[int]:
    """Doc numbers (in one segment) of a term, read a whole posting block at a time."""
    schema = reader.schema
    if field not in schema:
        return set()
    btext = text if isinstance(text, bytes) else schema[field].to_bytes(text)
    if (field, btext) not in reader:
        return set()
    out: set[int] = set()
    for ids, _, _ in whoosh_private.segment_postings(reader, field, btext, False):
        out.update(ids)
    return out


class _Parser(qparser.QueryParser):
    """Whoosh's multi-field parser, except that a fuzzy word reaches :class:`StemFuzzyTerm`
    as typed (folded, not stemmed): the stem of a misspelt word is no help in finding it."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if isinstance(termclass, type) and issubclass(termclass, query.FuzzyTerm):
            if self.schema and fieldname in self.schema and text:
                return termclass(fieldname, fold(text), boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def scored_expansions(q: query.Query, reader) -> query.Query:
    """``q`` with each prefix, wildcard or fuzzy word replaced by an ``Or`` of the terms it
    expands to: a paper scores BM25F for the expanded terms it holds, so a title match outranks
    an abstract one, as for a plain word. (An expansion's constant score gave every match the
    same score: a lone ``quantizaton~`` or ``reixforcement~`` then listed its matches newest
    first, the paper sought anywhere in the list.) ``reader`` is the whole index's, so that
    every segment agrees on what an expansion means.

    Not ``DisjunctionMax`` (a paper's best term only): Whoosh's matcher for it takes the max of
    both sides' current scores even when only one side is on the document, and Whoosh scores
    the queries the block scorer cannot."""

    def swap(node: query.Query) -> query.Query:
        if type(node) not in BOUNDED_CLASSES:
            return node
        texts = [t.decode("utf-8") if isinstance(t, bytes) else t for t in node._btexts(reader)]
        texts = [t for t in texts if t]
        if not texts:
            return query.NullQuery
        field = node.field()
        backed = node.backed_stems(reader) if isinstance(node, StemFuzzyTerm) else None
        terms = [
            query.Term(field, t, boost=1.0 if backed is None or t in backed else UNSURE_STEM)
            for t in texts
        ]
        if len(terms) == 1 and terms[0].boost == 1.0:
            terms[0].boost = node.boost
            return terms[0]
        return query.Or(terms, boost=node.boost)

    return q.accept(swap)


_BOUNDED = {cls: _bounded(cls) for cls in (query.Prefix, query.Wildcard, StemFuzzyTerm)}
_BOUNDED[query.FuzzyTerm] = _BOUNDED[StemFuzzyTerm]

#: The query classes of bounded expansions (what :func:`bound_expansions` puts in a query).
BOUNDED_CLASSES = frozenset(_BOUNDED.values())


def bound_expansions(q: query.Query) -> query.Query:
    def swap(node: query.Query) -> query.Query:
        bounded = _BOUNDED.get(type(node))
        if bounded is not None:
            node = node.copy()
            node.__class__ = bounded
        return node

    return q.accept(swap)


# -- what a query needs ----------------------------------------------------------------------


def sort_key(sort: str, q: query.Query) -> str | None:
    """Which cached order a sort uses ("date", "upvotes", "featured", "rising"), or None for
    relevance.

    A query of only exclusions (``-diffusion``) has no relevance to rank by (every match scores
    the same), so it comes newest first, like the empty query; so would constant-scored
    expansions (:func:`scored_expansions` gives them scores).
    """
    if sort == "date" or (sort == "relevance" and (isinstance(q, query.Every) or _unscored(q))):
        return "date"
    if sort in ("upvotes", "featured", "rising"):
        return sort
    return None


def has_expansion(q: query.Query) -> bool:
    return any(type(node) in BOUNDED_CLASSES for node in q.leaves()) or (type(q) in BOUNDED_CLASSES)


def sets_answer(q: query.Query) -> bool:
    """True when :meth:`SearcherCache.docs` answers ``q`` with set operations alone (no Whoosh
    matcher walking documents)."""
    kind = type(q)
    if kind in (query.Every, query.Term, query.Phrase) or kind in BOUNDED_CLASSES:
        return True
    if q is query.NullQuery:
        return True
    if kind in (query.And, query.Or):
        return all(sets_answer(sub) for sub in q.subqueries)
    if kind is query.AndNot:
        return sets_answer(q.a) and sets_answer(q.b)
    if kind is query.Not:
        return sets_answer(q.query)
    return False


def _unscored(q: query.Query) -> bool:
    # Only exclusions (``-diffusion``): every match scores the same.
    if type(q) is query.Not or (
        type(q) is query.And and all(type(sub) is query.Not for sub in q.subqueries)
    ):
        return True
    leaves = list(q.leaves()) if q.is_leaf() is False else [q]
    return bool(leaves) and all(
        type(node) in BOUNDED_CLASSES and node.constantscore for node in leaves
    )
