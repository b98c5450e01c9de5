"""The benchmark generator: deterministic, and the real snapshot parser accepts its lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from paperbrowse.search.dumps import arxiv_jsonl, detect_format  # noqa: E402
from paperbrowse.search.models import Paper, ParseProblem  # noqa: E402

from bench.generate import Generator, write_dump  # noqa: E402

REAL = Path(__file__).parents[1].parent / "shared" / "dumps" / "arxiv-jsonl"


@pytest.fixture(scope="module")
def gen() -> Generator:
    return Generator(seed=0)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = write_dump(tmp_path / "a.jsonl", 300, seed=3)
    b = write_dump(tmp_path / "b.jsonl", 300, seed=3)
    c = write_dump(tmp_path / "c.jsonl", 300, seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_extra_papers_are_appended_after_the_same_lines(tmp_path: Path) -> None:
    base = write_dump(tmp_path / "base.jsonl", 200).read_text().splitlines()
    grown = write_dump(tmp_path / "grown.jsonl", 200, extra=5).read_text().splitlines()
    assert grown[:200] == base
    assert len(grown) == 205
    new_ids = {json.loads(line)["id"] for line in grown[200:]}
    assert not new_ids & {json.loads(line)["id"] for line in base}


def test_every_line_parses_as_a_paper(tmp_path: Path) -> None:
    path = write_dump(tmp_path / "arxiv.jsonl", 500, extra=10)
    assert detect_format(path) == arxiv_jsonl.FORMAT
    items = list(arxiv_jsonl.read(path))
    assert not [i for i in items if isinstance(i, ParseProblem)]
    papers = [i for i in items if isinstance(i, Paper)]
    assert len(papers) == 510
    assert len({p.id for p in papers}) == 510  # ids are unique
    for p in papers:
        assert p.arxiv_id == p.id
        assert p.title and "\n" not in p.title and not p.title.startswith(" ")
        assert len(p.abstract.split()) >= 20
        assert p.authors and p.categories and p.published
        assert p.published.year == 2000 + int(p.id[:2])
        assert p.published.month == int(p.id[2:4])


def test_ids_are_sorted_and_spread_over_years(gen: Generator) -> None:
    total = 2000
    ids = [gen.record(i, total)["id"] for i in range(0, total, 7)]
    assert ids == sorted(ids)
    years = {i[:2] for i in ids}
    assert len(years) >= 10  # the span is the same whatever the size


def test_month_boundaries_give_unique_ids(gen: Generator) -> None:
    for total in (1, 10, 133, 1000):
        ids = [gen.record(i, total)["id"] for i in range(total)]
        assert len(set(ids)) == total


def test_records_have_the_snapshot_shape(gen: Generator) -> None:
    real_line = next((REAL.glob("*.jsonl")), None)
    record = gen.record(0, 100)
    if real_line is None:
        pytest.skip("../shared/dumps/arxiv-jsonl is absent: shape checked against a fixed key list")
    real = json.loads(real_line.open(encoding="utf-8").readline())
    assert set(record) == set(real)
    assert record["abstract"].startswith("  ") and record["abstract"].endswith("\n")
    assert record["versions"][0]["created"].endswith(" GMT")


def test_vocabulary_is_zipf_like(gen: Generator) -> None:
    import collections

    words = collections.Counter()
    for i in range(300):
        words.update(gen.record(i, 300)["abstract"].lower().split())
    common = [n for _, n in words.most_common(50)]
    # Heavy head, long tail: the top word is far more frequent than the 50th, and many words
    # occur once.
    assert common[0] > 10 * common[-1]
    assert sum(1 for n in words.values() if n == 1) > 1000


def test_a_dump_longer_than_one_read_batch_is_read_whole(tmp_path: Path, monkeypatch) -> None:
    """Regression: every record store batch after the first was dropped (the parser got closed)."""
    from paperbrowse.search import library as library_module
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    monkeypatch.setattr(library_module, "READ_BATCH", 40)
    path = write_dump(tmp_path / "arxiv.jsonl", 130)
    lib = Library(Locations.resolve(tmp_path / "data"))
    try:
        report = lib.ingest([path])
        assert report.papers_read == 130
        assert lib.count() == 130
        assert lib.search("", limit=None).total == 130
    finally:
        lib.close()
