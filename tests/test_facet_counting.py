"""Facet counting by document (layers of value codes) against plain set intersections, on
value lists made here (no index needed): the hostile shapes a dump can produce."""

from __future__ import annotations

import random
import sys
from array import array

from paperbrowse.search.engine import facet_counting


def _intersections(values: dict[str, array], docs: set[int]) -> dict[str, int]:
    counts = {v: len(docs.intersection(ids)) for v, ids in values.items()}
    return {v: n for v, n in counts.items() if n}


def test_one_paper_of_many_categories_does_not_multiply_the_layers_memory() -> None:
    """One record listing 200 categories (nothing caps them in a dump) made 200 layers of two
    bytes for every document of the library: 400 MB kept per searcher at 1M papers, for one
    paper. Layers past the first few hold only the documents that reach them; the counts stay
    the intersections', whichever way they are made."""
    size = 50_000
    values = {"common": array("I", range(0, size, 2))}
    values |= {f"v{i:03}": array("I", [7, 9]) for i in range(200)}  # papers 7 and 9: 201 each
    layers = facet_counting.layers_of(values, size)
    assert layers is not None and len(layers) >= 200
    held = sum(sys.getsizeof(layer) for layer in layers)
    assert held < 20 * size, held  # a few dense layers (2 bytes a doc each), not 200
    rng = random.Random(3)
    for docs in ({7}, {8, 9}, {7, 9, 11}, set(rng.sample(range(size), 30)) | {9}, set()):
        assert facet_counting.count(values, lambda: layers, docs) == _intersections(values, docs)
        assert facet_counting._by_document(values, layers, docs) == _intersections(values, docs)


def test_counts_by_document_equal_intersections_for_mixed_shapes() -> None:
    """Values held by many documents and by few, documents of one value and of several (up to
    the cap), documents of none: counted by layers, the same as by intersections."""
    rng = random.Random(11)
    size = 3_000
    values: dict[str, array] = {}
    for i in range(40):
        held = sorted(rng.sample(range(7, size), rng.choice([1, 3, 50, 900])))
        values[f"v{i}"] = array("I", held)
    values["many"] = array("I", [5])
    for i in range(facet_counting.MOST_VALUES_PER_DOC - 1):
        values[f"w{i}"] = array("I", [5, 6])  # doc 5: the cap's worth of values, with "many"
    layers = facet_counting.layers_of(values, size)
    assert layers is not None
    for k in (1, 2, 10, 200, size):
        docs = set(rng.sample(range(size), k)) | {5, 6}
        assert facet_counting._by_document(values, layers, docs) == _intersections(values, docs)
    values["over"] = array("I", [5])  # one value past the cap: not counted by layers at all
    assert facet_counting.layers_of(values, size) is None
