"""Every real file in ../shared/dumps/ and ../shared/collections/, read in place, exactly.

The archive (collections/hf-daily-json-archive/) is 145 real days of the daily-papers API as one
project's scraper saved them over two years, with a README beside them as real collections have:
both schemas, 2- and 4-space indents, a first paper with 533 authors ("title" 94 KB in), five
days of Python-literal strings. Nothing in them is a problem.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from paperbrowse.search.dumps import detect_format, is_plainly_other, iter_dump_files
from paperbrowse.search.library import Library
from paperbrowse.search.models import Paper
from paperbrowse.search.paths import Locations

from tests.dumps_paths import ARCHIVE, COLLECTIONS, DUMPS, needs_collections, read_all
from tests.fixtures_cli import run

AS_OF = date(2025, 12, 20)

#: Papers per archive day, in file order (2024-05-27 … 2026-08-21); the README last.
DAY_COUNTS = (
    "13 11 12 16 26 25 17 8 15 14 16 9 11 12 10 7 19 13 18 12 7 15 10 14 21 16 31 10 10 18 8 7 8 "
    "18 25 13 23 18 9 13 16 5 9 3 4 6 18 11 13 15 12 26 12 25 19 22 14 11 15 10 9 16 2 20 27 39 "
    "29 8 26 8 14 14 1 13 8 13 15 9 18 12 14 13 13 10 8 14 29 30 39 28 26 26 21 19 8 8 12 20 23 "
    "26 14 25 17 13 3 11 14 4 13 27 35 33 18 6 16 13 18 27 19 16 22 20 32 19 15 9 18 50 28 34 45 "
    "33 29 26 37 17 20 7 2 25 14 34 26 20 29"
)
#: The days saved as Python-literal strings, and how many entries each holds.
LITERAL_DAYS = {
    "2024-12-13.json": 23,
    "2024-12-19.json": 18,
    "2024-12-25.json": 9,
    "2024-12-31.json": 13,
    "2025-01-07.json": 16,
}


@needs_collections
def test_every_archive_day_reads_exactly():
    files = list(iter_dump_files([ARCHIVE]))
    days = [f for f in files if f.suffix == ".json"]
    assert [f.name for f in files] == [f.name for f in days] + ["README.md"]
    assert len(days) == 145
    counts, ids, recovered = [], set(), {}
    for path in days:
        assert detect_format(path) == "hf-json", path.name
        papers, problems, notes = read_all(path)
        assert problems == [], path.name
        counts.append(len(papers))
        ids.update(p.id for p in papers)
        day = date.fromisoformat(path.stem)
        # Every paper of a day file was featured that day (and the model keeps that day).
        assert all(p.featured_days == (day,) and p.featured == day for p in papers), path.name
        assert all(p.arxiv_id == p.id for p in papers), path.name
        for note in notes:
            recovered[path.name] = note.recovered
    assert " ".join(map(str, counts)) == DAY_COUNTS
    assert sum(counts) == len(ids) == 2485
    assert recovered == LITERAL_DAYS


@needs_collections
def test_the_readme_is_another_file():
    readme = ARCHIVE / "README.md"
    assert detect_format(readme) is None and is_plainly_other(readme)


@needs_collections
def test_a_first_paper_with_533_authors():
    path = ARCHIVE / "2024-08-01.json"
    assert path.read_text(encoding="utf-8").index('"title"') > 90_000
    papers, _, _ = read_all(path)
    llama = papers[0]
    assert (llama.id, llama.title) == ("2407.21783", "The Llama 3 Herd of Models")
    assert (llama.n_authors, len(llama.authors)) == (533, 533)
    assert llama.authors[:2] == ("Abhimanyu Dubey", "Abhinav Jauhri")
    assert (llama.upvotes, llama.published) == (49, date(2024, 7, 31))


@needs_collections
def test_a_day_of_python_literal_strings():
    papers, problems, notes = read_all(ARCHIVE / "2024-12-13.json")
    assert problems == [] and [n.recovered for n in notes] == [23]
    first = papers[0]
    assert first.id == "2412.09596"
    assert first.title == (
        "InternLM-XComposer2.5-OmniLive: A Comprehensive Multimodal System for Long-term "
        "Streaming Video and Audio Interactions"
    )
    assert (first.n_authors, first.authors[:2]) == (29, ("Pan Zhang", "Xiaoyi Dong"))
    assert (first.upvotes, first.published) == (56, date(2024, 12, 12))


@needs_collections
def test_the_newer_schema_fields_a_reader_wants():
    papers, _, _ = read_all(ARCHIVE / "2026-06-04.json")
    cosmos = papers[0]
    assert cosmos.title == "Cosmos 3: Omnimodal World Models for Physical AI"
    assert (cosmos.organization, cosmos.github_stars) == ("NVIDIA", 8676)
    assert cosmos.keywords[:3] == (
        "omnimodal world models",
        "mixture-of-transformers architecture",
        "Physical AI",
    )
    # githubRepo (NVIDIA/cosmos) and projectPage (…/cosmos3/) are the abstract's own links,
    # spelt otherwise: each link once.
    assert cosmos.urls == (
        "https://openmdw.ai/license/1-1/",
        "https://github.com/nvidia/cosmos",
        "https://huggingface.co/collections/nvidia/cosmos3",
        "https://research.nvidia.com/labs/cosmos-lab/cosmos3",
        "https://arxiv.org/abs/2606.02800",
    )
    assert cosmos.ai_summary.startswith("Cosmos 3 is an omnimodal world model")
    assert cosmos.withdrawn is None


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    if not (DUMPS.is_dir() and ARCHIVE.is_dir()):
        pytest.skip(f"dumps or collections not found beside the repository ({DUMPS.parent})")
    lib = Library(Locations(tmp_path_factory.mktemp("both")))
    report = lib.ingest([DUMPS, COLLECTIONS], as_of=AS_OF)
    yield lib, report
    lib.close()


def test_dumps_and_collections_together(both):
    lib, report = both
    assert lib.count() == 3180  # 700 from dumps/ + 2485 archive papers - 5 of them on pages
    assert (report.papers_read, report.papers_new, report.papers_merged) == (3250, 3180, 70)
    assert report.problems == [] and report.files_skipped == [] and not report.failed
    assert sorted(Path(p).name for p in report.files_other) == ["README.md", "SOURCES.md"]
    assert report.recovered == 79
    assert lib.stats()["by_kind"] == {
        "hf-json": 2503,
        "hf-text": 462,
        "arxiv-jsonl": 200,
        "arxiv-atom": 20,
    }


def test_page_papers_that_are_archive_papers_by_title(both):
    lib, _ = both
    joined = sorted(
        (p.arxiv_id, p.id, p.featured)
        for p in lib.records.iter_papers()
        if {"hf-text", "hf-json"} <= set(p.kinds)
    )
    # The page papers came first (dumps/ sorts before collections/): they keep their ids, and
    # gain the arXiv id and the day they were featured.
    assert joined == [
        ("2405.15613", "t-6b6457a0259c", date(2024, 5, 27)),
        ("2406.19380", "t-d66088a8aab1", date(2024, 7, 4)),
        ("2407.02880", "t-cb906a2fe88a", date(2024, 7, 10)),
        ("2408.02752", "t-078a4aeda061", date(2024, 8, 7)),
        ("2510.01796", "t-627e4b81cf75", date(2025, 10, 3)),
    ]
    tabred = lib.get("2406.19380")
    assert isinstance(tabred, Paper) and tabred.id == "t-d66088a8aab1"
    assert tabred.upvotes == 30  # the API day's count, not the page's


@needs_collections
def test_the_cli_ingests_both_folders_cleanly(tmp_path):
    result = run("ingest", str(DUMPS), str(COLLECTIONS), "--as-of", "2025-12-20", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith(
        "Ingested 158 files (2 other files) · 3250 records: 3180 new, 0 updated, 70 merged · "
        "79 entries recovered from Python literals · "
    )
    assert len(summary) < 160
    assert result.stderr.strip().splitlines() == [
        f"paperbrowse: note: {DUMPS.resolve() / 'arxiv-atom' / 'error_bad_id_2026.xml'}: "
        "arXiv API error response, no papers in it: incorrect id format for abc"
    ]
    again = run("ingest", str(DUMPS), str(COLLECTIONS), data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Ingested 158 files (156 unchanged, 2 other files) · 0 records")
    assert again.stderr == ""
