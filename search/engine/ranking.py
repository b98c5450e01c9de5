"""Relevance arithmetic over whole posting blocks: BM25F term scores, phrase positions, top-n.

Whoosh scores a query by walking every matching posting through a tree of Python matcher
objects (a method call or three per posting and per tree level). Here a term's postings arrive
a block at a time as plain sequences (doc numbers, weights, field-length bytes), and the score
of each is one table look-up and a little arithmetic: the same BM25F figures as Whoosh's
``BM25FScorer``, evaluated in the same order of floating-point operations, for a fraction of
the cost. No Whoosh import here; :mod:`search.engine.cache` feeds it.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable, Iterable, Sequence


def length_norms(
    byte_to_length: Callable[[int], int], avgfl: float, b: float, k1: float
) -> list[float]:
    """``k1 * ((1 - b) + b * fl / avgfl)`` for every length byte 0–255 (Whoosh stores field
    lengths as one byte each, so the length part of BM25 takes only 256 values)."""
    return [k1 * ((1 - b) + b * byte_to_length(lb) / avgfl) for lb in range(256)]


def add_bm25(
    scores: dict[int, float],
    blocks: Iterable[tuple[Sequence[int], Sequence[float]]],
    docs: set[int] | frozenset[int],
    lengths: Sequence[int],
    norms: Sequence[float],
    idf: float,
    k1: float,
    boost: float = 1.0,
) -> None:
    """Add one term's BM25 score to ``scores[doc]`` for each of its postings whose doc is in
    ``docs``. ``blocks`` yields (global doc numbers, weights); ``lengths[doc]`` is the doc's
    field-length byte. Same expression as Whoosh's ``scoring.bm25``, term by term, times the
    term's boost as Whoosh's wrapping matcher applies it (times 1.0 changes nothing)."""
    k1p1 = k1 + 1
    get = scores.get
    for ids, weights in blocks:
        for doc, tf in zip(ids, weights, strict=True):
            if doc in docs:
                score = idf * ((tf * k1p1) / (tf + norms[lengths[doc]])) * boost
                scores[doc] = get(doc, 0.0) + score


def add_weights(
    scores: dict[int, float],
    blocks: Iterable[tuple[Sequence[int], Sequence[float]]],
    docs: set[int] | frozenset[int],
    boost: float = 1.0,
) -> None:
    """Add the raw posting weight (how Whoosh scores fields without lengths: ids, keywords)."""
    get = scores.get
    for ids, weights in blocks:
        for doc, tf in zip(ids, weights, strict=True):
            if doc in docs:
                scores[doc] = get(doc, 0.0) + tf * boost


def add_constant(scores: dict[int, float], docs: Iterable[int], value: float) -> None:
    """Add the same score to every doc (a prefix/wildcard/fuzzy expansion scores constantly)."""
    get = scores.get
    for doc in docs:
        scores[doc] = get(doc, 0.0) + value


def phrase_at(positions: Sequence[Sequence[int]], slop: int) -> bool:
    """True when the words occur in order, each 1..``slop`` positions after the previous one
    (Whoosh's ``SpanNear2(ordered=True, mindist=1)``, which is what its ``Phrase`` runs)."""
    if not positions:
        return False
    reach = set(positions[0])
    for nxt in positions[1:]:
        if not reach:
            return False
        if slop == 1:
            reach = {p + 1 for p in reach}.intersection(nxt)
        else:
            reach = {q for q in nxt if any(1 <= q - p <= slop for p in reach)}
    return bool(reach)


def best(scores: dict[int, float], n: int | None) -> list[tuple[float, int]]:
    """The ``n`` highest-scoring docs (all of them for None) as (score, doc): score descending,
    then doc number ascending — the order of Whoosh's top-n collector."""
    if n is None or n >= len(scores):
        items = list(scores.items())
    elif n <= 0:
        return []
    else:
        # The n-th best score, found over bare floats at C speed; then only the few docs at or
        # above it are sorted.
        threshold = heapq.nlargest(n, scores.values())[-1]
        items = [(doc, score) for doc, score in scores.items() if score >= threshold]
    # Two sorts at C speed instead of one with a Python key function (20 ms over 40k docs):
    # by doc number, then by score descending; sort() is stable, and reverse=True keeps equal
    # scores in their doc order.
    items.sort()
    items.sort(key=_SCORE, reverse=True)
    if n is not None:
        del items[n:]
    return [(score, doc) for doc, score in items]


_SCORE = operator.itemgetter(1)
