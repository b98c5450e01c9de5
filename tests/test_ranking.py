"""The relevance arithmetic of search/engine/ranking.py, on hand-made postings."""

from __future__ import annotations

import math

import pytest
from paperbrowse.search.engine import ranking


def _bm25(idf, tf, fl, avgfl, b, k1):  # Whoosh's scoring.bm25, written out
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))


def test_bm25_is_whooshs_formula_for_every_length_byte() -> None:
    lengths = [0, 3, 255, 17]
    norms = ranking.length_norms(lambda lb: lb * 2 + 1, avgfl=9.5, b=0.75, k1=1.2)
    scores: dict[int, float] = {}
    blocks = [([0, 1], [1.0, 2.0]), ([2, 3], [2.5, 7.0])]
    ranking.add_bm25(scores, blocks, {0, 2, 3}, lengths, norms, idf=1.7, k1=1.2)
    assert set(scores) == {0, 2, 3}  # doc 1 is not among the matches
    for doc, tf in ((0, 1.0), (2, 2.5), (3, 7.0)):
        fl = lengths[doc] * 2 + 1
        assert scores[doc] == _bm25(1.7, tf, fl, 9.5, 0.75, 1.2)  # exactly, not approximately


def test_scores_add_up_over_terms_and_constants() -> None:
    scores: dict[int, float] = {}
    ranking.add_weights(scores, [([1, 2], [1.0, 3.0])], {1, 2})
    ranking.add_constant(scores, [2, 5], 0.5)
    assert scores == {1: 1.0, 2: 3.5, 5: 0.5}


@pytest.mark.parametrize(
    ("positions", "slop", "expected"),
    [
        ([[0, 5], [6]], 1, True),
        ([[0, 5], [7]], 1, False),
        ([[0, 5], [7]], 2, True),
        ([[3], [1]], 3, False),  # order matters
        ([[4], [4]], 1, False),  # the same position is no phrase ("very very" needs two)
        ([[4, 5], [4, 5]], 1, True),
        ([[1], [2], [3]], 1, True),
        ([[1], [2], [4]], 1, False),
        ([[1], [3], [4]], 2, True),
        ([[1]], 1, True),
        ([], 1, False),
        ([[1], []], 1, False),
    ],
)
def test_phrase_positions(positions, slop, expected) -> None:
    assert ranking.phrase_at(positions, slop) is expected


def test_best_is_score_descending_then_doc_ascending() -> None:
    scores = {7: 1.0, 3: 2.0, 5: 2.0, 1: 0.5, 9: math.inf}
    assert ranking.best(scores, None) == [(math.inf, 9), (2.0, 3), (2.0, 5), (1.0, 7), (0.5, 1)]
    assert ranking.best(scores, 3) == [(math.inf, 9), (2.0, 3), (2.0, 5)]
    assert ranking.best(scores, 0) == []
    assert ranking.best({}, 5) == []


def test_best_agrees_with_a_full_sort_whatever_the_ties() -> None:
    import random

    rng = random.Random(5)
    for _ in range(200):
        scores = {d: float(rng.randint(0, 6)) for d in rng.sample(range(1000), rng.randint(0, 60))}
        full = ranking.best(scores, None)
        for n in (1, 3, 10, 59, 100):
            assert ranking.best(scores, n) == full[:n]
