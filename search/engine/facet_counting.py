"""Counting how many of a query's matches hold each value of a facet field (year, kind,
category, month), at C speed either way round.

A facet value's doc numbers are kept as an array (its postings). With many matches, a value's
count is one set intersection with them. With few matches among many postings (at 1M papers:
a query of 80k matches against a million postings of each field), each document's values are
looked up instead, from *layers*: arrays of value codes by doc number, layer ``k`` holding a
document's ``k``-th value (most fields hold one or two per paper, so one or two layers).
No Whoosh import here: :mod:`search.engine.cache` keeps the arrays and calls these.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import Any

#: A document's values are numbered in a byte; codes fit an unsigned short (0: none).
MOST_VALUES_PER_DOC = 255
MOST_CODES = 0xFFFF
#: Layers kept as arrays of every document; the ones past them hold only the documents that
#: reach them (a dict): nothing caps a paper's categories in a dump, and one record of 200
#: made 200 arrays of 2 bytes a document (400 MB per searcher at 1M papers, for one paper).
DENSE_LAYERS = 4


class _SparseLayer(dict):
    """A layer past :data:`DENSE_LAYERS`: doc number -> value code, 0 for any other doc."""

    def __missing__(self, doc: int) -> int:
        return 0


def value_postings(
    reader: Any, field: str, postings: Callable[[bytes], Iterable[tuple]]
) -> dict[str, array]:
    """Each value of ``field`` (its index terms, in order) and the doc numbers holding it, from
    ``postings`` (a term's blocks of doc numbers, weights and values)."""
    values: dict[str, array] = {}
    if reader.segments() is None or field not in reader.schema:
        return values
    fieldobj = reader.schema[field]
    for btext in reader.lexicon(field):
        ids = array("I")
        for block_ids, _, _ in postings(btext):
            ids.extend(block_ids)
        if ids:
            values[fieldobj.from_bytes(btext)] = ids
    return values


def layers_of(values: dict[str, array], size: int) -> list | None:
    """Each document's values as codes (1 + the value's place in ``values``), one layer per
    value a document holds (arrays of ``size``; past :data:`DENSE_LAYERS`, sparse); None when
    they do not fit the codes (then counting always intersects)."""
    if len(values) >= MOST_CODES:
        return None
    layers: list = []
    held = bytearray(size)  # how many values each document has so far
    for code, ids in enumerate(values.values(), start=1):
        for doc in ids:
            k = held[doc]
            if k == len(layers):
                if k == MOST_VALUES_PER_DOC:
                    return None
                dense = k < DENSE_LAYERS
                layers.append(array("H", bytes(2 * size)) if dense else _SparseLayer())
            layers[k][doc] = code
            held[doc] = k + 1
    return layers


def count(
    values: dict[str, array],
    layers: Callable[[], list | None],
    docs: set[int] | frozenset[int] | None,
) -> dict[str, int]:
    """How many of ``docs`` (None: every live document) hold each value, in ``values``' order,
    values none of them holds left out: by document when that reads fewer entries (each match
    once per layer) than the postings, else by intersecting each value's postings. ``layers``
    makes (or gives back) :func:`layers_of`, asked only when counting by document may pay."""
    if docs is not None:
        postings = sum(len(ids) for ids in values.values())
        found = layers() if len(docs) < postings else None
        if found is not None and _by_document_cost(found, len(docs)) < postings:
            return _by_document(values, found, docs)
    counts: dict[str, int] = {}
    for value, ids in values.items():
        n = len(ids) if docs is None else len(docs.intersection(ids))
        if n:
            counts[value] = n
    return counts


def _by_document_cost(layers: list, matches: int) -> int:
    """Entries :func:`_by_document` reads: each match per dense layer, and of a sparse layer
    its documents or the matches, the fewer."""
    return sum(
        min(len(layer), matches) if type(layer) is _SparseLayer else matches for layer in layers
    )


def _by_document(values: dict[str, array], layers: list, docs: Collection[int]) -> dict[str, int]:
    tally: Counter[int] = Counter()
    for layer in layers:
        if type(layer) is _SparseLayer and len(layer) < len(docs):
            tally.update(code for doc, code in layer.items() if doc in docs)
        else:
            tally.update(map(layer.__getitem__, docs))  # counted at C speed
    counts: dict[str, int] = {}
    for code, value in enumerate(values, start=1):
        n = tally.get(code, 0)
        if n:
            counts[value] = n
    return counts
