"""The known-item relevance benchmark's machinery, on a small real sample (figures: docs)."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import pytest

from tests.dumps_paths import DUMPS, needs_dumps, read_split

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
import relevance  # noqa: E402  (bench/ is scripts, not a package)

HF_JSON = DUMPS / "hf-daily-json"


@pytest.fixture(scope="module")
def papers() -> list:
    out: list = []
    for path in sorted(HF_JSON.glob("*.json")):
        out += read_split(path)[0]
    return out


@needs_dumps
def test_known_item_queries_are_what_a_person_would_type(papers: list) -> None:
    items = relevance.known_items(papers, sample=3, seed=1)
    by_kind = {(i.paper_id, i.kind): i.query for i in items}
    assert by_kind[("2407.03321", "title words")] == "Planetarium Translating Structured"
    assert by_kind[("2407.03321", "author + word")] == "Zuo Planetarium"
    assert by_kind[("2407.03321", "phrase")] == '"Structured Planning Languages"'
    fuzzy = by_kind[("2407.03321", "fuzzy")]
    assert fuzzy.endswith("~") and len(fuzzy) == len("planetarium~")
    assert sum(a != b for a, b in zip(fuzzy, "planetarium~", strict=True)) == 1
    # 2407.03321 is from the 2024 schema, which has no ai_keywords: no keyword query for it.
    assert ("2407.03321", "keywords") not in by_kind
    assert (
        by_kind[("2608.13947", "keywords")] == "attribute-guided genre expansion genre-form control"
    )
    # Seeded: the same sample and queries on every run.
    assert relevance.known_items(papers, sample=3, seed=1) == items


def test_sub_phrases_never_start_or_end_with_a_stop_word() -> None:
    rng = random.Random(0)
    title = "A Survey of Models for the Evaluation of Agents"
    drawn = {relevance._sub_phrase(title, rng) for _ in range(50)}
    assert drawn == {"Survey of Models", "Evaluation of Agents"}
    assert relevance._sub_phrase("On the of", rng) is None


def test_scores_count_ranks_and_misses() -> None:
    items = [relevance.KnownItem(p, "phrase", f"q{p}") for p in ("a", "b", "c", "d")]
    ranked = {"qa": ["a", "x"], "qb": ["x", "b"], "qc": ["x"] * 10 + ["c"], "qd": []}
    row = relevance.score(items, lambda q: ranked[q])["phrase"]
    assert row["queries"] == 4
    assert row["success@1"] == 0.25 and row["success@10"] == 0.5
    assert math.isclose(row["mrr"], (1 + 1 / 2 + 1 / 11 + 0) / 4)
    assert row["misses@10"] == ["qc", "qd"]


@needs_dumps
def test_both_engines_run_on_the_same_papers(tmp_path: Path) -> None:
    results = relevance.run(None, [HF_JSON], sample=6, seed=3)
    assert results["papers"] == 18
    for engine in ("paperbrowse", "plain whoosh"):
        kinds = results[engine]
        assert set(kinds) == set(relevance.KINDS)
        # Three distinctive title words find their paper at the top in 18 papers, in both.
        assert kinds["title words"]["success@1"] == 1.0
    table = relevance.render(results)
    assert table.count("\n| ") == 1 + len(relevance.KINDS)
