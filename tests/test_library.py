"""The library: ingest of every real dump, one record per paper, ids that stay put, incremental
re-ingest, and the query syntax the CLI and the app share."""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest
from paperbrowse.search.engine import match_spans
from paperbrowse.search.library import Library
from paperbrowse.search.models import Filters, QueryError
from paperbrowse.search.paths import Locations
from paperbrowse.search.text import title_id

from tests.dumps_paths import DUMPS, needs_dumps
from tests.fixtures_dumps import JSONL, PAGE, write_page, write_records

AS_OF = date(2025, 12, 20)


@pytest.fixture(scope="module")
def dumps_library(tmp_path_factory):
    """Every example dump, ingested once for the module (read-only tests share it)."""
    if not DUMPS.is_dir():
        pytest.skip(f"example dumps not found at {DUMPS}")
    lib = Library(Locations(tmp_path_factory.mktemp("lib")))
    report = lib.ingest([DUMPS], as_of=AS_OF)
    yield lib, report
    lib.close()


def new_library(tmp_path) -> Library:
    return Library(Locations(tmp_path / "data"))


# -- every real dump ------------------------------------------------------------------------


@needs_dumps
def test_ingest_of_all_dumps_counts(dumps_library):
    lib, report = dumps_library
    # 12 files: 5 page copies, 2 API JSON, 1 JSON lines, 3 Atom, and SOURCES.md (not a dump).
    assert report.files == 12
    assert report.papers_read == 765
    assert report.papers_new == 700
    assert report.papers_merged == 65  # the same page papers on several pages
    assert lib.count() == 700
    skipped = {os.path.basename(p): why for p, why in report.files_skipped}
    # SOURCES.md, met walking the folder, is counted as another file, not skipped as a dump.
    assert [os.path.basename(p) for p in report.files_other] == ["SOURCES.md"]
    assert skipped == {}
    assert report.problems == []
    # The arXiv error answer is read as what it is: a note, no papers, not a failure.
    assert [(os.path.basename(n.source), n.message) for n in report.notes] == [
        (
            "error_bad_id_2026.xml",
            "arXiv API error response, no papers in it: incorrect id format for abc",
        )
    ]
    assert not report.failed
    stats = lib.stats()
    assert stats["papers"] == 700
    assert stats["by_kind"] == {"hf-text": 462, "arxiv-jsonl": 200, "arxiv-atom": 20, "hf-json": 18}


@needs_dumps
def test_arxiv_paper_record(dumps_library):
    lib, _ = dumps_library
    p = lib.get("0704.0001")
    assert p is not None
    assert p.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert p.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")
    assert p.published == date(2007, 4, 2)
    assert p.doi == "10.1103/PhysRevD.76.013009"
    assert p.categories == ("hep-ph",)
    assert "https://arxiv.org/abs/0704.0001" in p.urls
    # The same paper by versioned id, arXiv: prefix or abs URL.
    for alias in ("0704.0001v2", "arXiv:0704.0001", "https://arxiv.org/abs/0704.0001v1"):
        assert lib.get(alias) == p


@needs_dumps
def test_page_paper_seen_on_four_pages_is_one_record(dumps_library):
    lib, _ = dumps_library
    p = lib.get(title_id("Tuning Pre-trained Model via Moment Probing"))
    assert p is not None
    assert [os.path.basename(s) for s in p.sources] == [
        "000_749900d1330c4652.txt",
        "001_dc328557879a1cd0.txt",
        "002_d843eee6621cdd13.txt",
        "003_6f96a1003d4bdb3d.txt",
    ]
    assert p.kinds == ("hf-text",)
    assert p.published == date(2023, 7, 21)
    assert p.n_authors == 6


@needs_dumps
def test_reingest_unchanged_does_no_work(dumps_library):
    lib, _ = dumps_library
    generation = lib.generation()
    report = lib.ingest([DUMPS], as_of=AS_OF)
    assert report.files_unchanged == 11  # SOURCES.md is no dump: looked at, counted as other
    assert len(report.files_other) == 1
    assert report.papers_read == 0
    assert lib.count() == 700
    assert lib.generation() == generation + 1


# -- merging across dumps -------------------------------------------------------------------


def test_page_copy_then_arxiv_record_merge_and_keep_the_first_id(tmp_path):
    lib = new_library(tmp_path)
    page = write_page(tmp_path / "page.txt")
    lib.ingest([page], as_of=AS_OF)
    first_id = title_id("Equivariant Flows on SE(n): Learning Rigid Motions")
    assert lib.get(first_id).arxiv_id is None

    report = lib.ingest([write_records(tmp_path / "arxiv.jsonl", [JSONL])])
    assert report.papers_merged == 1 and report.papers_new == 0
    merged = lib.get(first_id)
    # Same paper: the id it had (a bookmark may hold it) does not change; the arXiv id joins it.
    assert merged.id == first_id
    assert merged.arxiv_id == "2412.01234"
    assert lib.get("2412.01234") == merged
    # The richest fields: arXiv's authors, date and abstract; the page's upvotes and code link.
    assert merged.authors == ("A. Author", "B. Writer")
    assert merged.published == date(2024, 12, 2)
    assert merged.upvotes == 12
    assert merged.categories == ("cs.LG", "stat.ML")
    assert "https://github.com/example/seflows" in merged.urls
    assert "https://arxiv.org/abs/2412.01234" in merged.urls
    assert merged.kinds == ("hf-text", "arxiv-jsonl")
    assert len(merged.sources) == 2
    assert lib.count() == 2


def test_arxiv_record_first_gives_the_arxiv_id(tmp_path):
    lib = new_library(tmp_path)
    lib.ingest([write_records(tmp_path / "arxiv.jsonl", [JSONL])])
    lib.ingest([write_page(tmp_path / "page.txt")], as_of=AS_OF)
    paper = lib.get("2412.01234")
    assert paper.id == "2412.01234"
    assert paper.kinds == ("hf-text", "arxiv-jsonl")
    assert lib.count() == 2


def test_two_arxiv_ids_with_one_title_stay_two_papers(tmp_path):
    lib = new_library(tmp_path)
    other = dict(JSONL, id="2501.00002")
    lib.ingest([write_records(tmp_path / "a.jsonl", [JSONL, other])])
    assert lib.count() == 2
    assert lib.get("2501.00002").id == "2501.00002"


def test_changed_dump_updates_its_papers_and_drops_what_it_no_longer_has(tmp_path):
    lib = new_library(tmp_path)
    page = write_page(tmp_path / "page.txt")
    lib.ingest([page], as_of=AS_OF)
    only_page = title_id("A Paper Only Pages Know")
    assert lib.get(only_page) is not None

    changed = PAGE.replace("Dec 3 12", "Dec 3 40").split("A Paper Only Pages Know")[0]
    write_page(page, changed)
    report = lib.ingest([page], as_of=AS_OF)
    assert report.papers_updated == 1
    assert report.papers_new == 0
    kept = lib.get(title_id("Equivariant Flows on SE(n): Learning Rigid Motions"))
    assert kept.upvotes == 40
    assert lib.get(only_page) is None
    assert lib.search("pages know").total == 0
    assert lib.search("equivariant").total == 1


def test_a_paper_twice_in_one_file_counts_once_and_a_regrown_file_is_counted_right(tmp_path):
    lib = new_library(tmp_path)
    a, b = dict(JSONL, id="2501.00001"), dict(JSONL, id="2501.00002", title="Other paper")
    dump = write_records(tmp_path / "a.jsonl", [a, b, dict(a, abstract="  A later copy.")])
    report = lib.ingest([dump])
    assert (report.papers_read, report.papers_new, report.papers_merged) == (3, 2, 0)
    papers_in_file = lib.records.db.execute("SELECT papers FROM files").fetchone()[0]
    assert papers_in_file == 2  # A once, B

    # The file again: A changed (twice in it), B gone, C new; another file mentions A too.
    c = dict(JSONL, id="2501.00003", title="Third paper")
    write_records(dump, [dict(a, title="Renamed"), c, dict(a, title="Renamed")])
    other = write_records(tmp_path / "b.jsonl", [dict(a, title="Renamed")])
    report = lib.ingest([dump, other])
    assert (report.papers_new, report.papers_updated, report.papers_merged) == (1, 1, 1)
    assert lib.get("2501.00002") is None  # no file mentions B any more
    assert lib.get("2501.00001").title == "Renamed"
    assert lib.count() == 2


def test_rebuild_starts_from_scratch(tmp_path):
    lib = new_library(tmp_path)
    lib.ingest([write_page(tmp_path / "page.txt")], as_of=AS_OF)
    lib.ingest(
        [write_records(tmp_path / "arxiv.jsonl", [dict(JSONL, id="2501.00009", title="Unrelated")])]
    )
    assert lib.count() == 3
    report = lib.ingest([tmp_path / "page.txt"], rebuild=True, as_of=AS_OF)
    assert report.papers_new == 2
    assert lib.count() == 2
    assert lib.get("2501.00009") is None
    assert lib.search("unrelated").total == 0


def test_index_of_another_schema_version_is_rebuilt_from_records(tmp_path):
    lib = new_library(tmp_path)
    lib.ingest([write_page(tmp_path / "page.txt")], as_of=AS_OF)
    lib.close()
    (tmp_path / "data" / "index" / "SCHEMA_VERSION").write_text("0")
    lib = new_library(tmp_path)
    assert lib.search("equivariant").total == 1


def test_an_index_of_schema_3_is_rebuilt_and_bookmarks_stay(tmp_path):
    """Version 3 pickled its text fields as ``search.index.FastText``, a class that no longer
    exists: such an index is never opened, but rebuilt from library.sqlite3, and the user's
    bookmarks are not touched."""
    from paperbrowse.search.bookmarks import BookmarkStore
    from paperbrowse.search.engine import SCHEMA_VERSION

    assert SCHEMA_VERSION >= 4  # 5 since folding, 6 the time fields (the schema-4 pattern)
    lib = new_library(tmp_path)
    lib.ingest([write_page(tmp_path / "page.txt")], as_of=AS_OF)
    paper = lib.get(lib.search("equivariant").ids[0])
    lib.close()
    locations = Locations(tmp_path / "data")
    with BookmarkStore(locations.bookmarks_db) as store:
        store.add(paper, tags=["kept"], note="my note")
    bookmarks_before = locations.bookmarks_db.read_bytes()
    index_dir = tmp_path / "data" / "index"
    (index_dir / "SCHEMA_VERSION").write_text("3")
    # What an index of version 3 holds: a table of contents naming the old class path, which
    # would fail to unpickle if anything opened it.
    for toc in index_dir.glob("_MAIN_*.toc"):
        data = toc.read_bytes()
        assert b"paperbrowse.search.engine.schema" in data
        toc.write_bytes(data.replace(b"paperbrowse.search.engine.schema", b"search.index"))
    lib = new_library(tmp_path)
    assert lib.index.needs_rebuild()
    assert lib.search("equivariant").total == 1  # rebuilt by itself from the records
    assert (index_dir / "SCHEMA_VERSION").read_text() == str(SCHEMA_VERSION)
    assert all(b"search.index" not in toc.read_bytes() for toc in index_dir.glob("_MAIN_*.toc"))
    lib.close()
    assert locations.bookmarks_db.read_bytes() == bookmarks_before
    with BookmarkStore(locations.bookmarks_db) as store:
        kept = store.get(paper.id)
        assert kept is not None and kept.tags == ("kept",) and kept.note == "my note"


def test_deleted_index_is_rebuilt_from_records(tmp_path):
    lib = new_library(tmp_path)
    lib.ingest([write_page(tmp_path / "page.txt")], as_of=AS_OF)
    lib.close()
    shutil.rmtree(tmp_path / "data" / "index")
    lib = new_library(tmp_path)
    assert lib.search("rigid motions").total == 1


# -- queries --------------------------------------------------------------------------------


@needs_dumps
@pytest.mark.parametrize(
    ("query", "expected_total"),
    [
        ("quantization", 15),
        ("quantization diffusion", 1),
        ("quantization OR pruning", 27),  # 15 + 13 - the 1 paper with both
        ("quantization NOT diffusion", 14),
        ('"large language model"', 31),
        ("large language model", 61),
        ("title:transformer", 38),
        ("transformer", 128),
        ("author:maestro", 10),
        ("abstract:luttinger", 4),
        ("quant*", 89),
        ("quantizaton~", 15),
    ],
)
def test_query_syntax(dumps_library, query, expected_total):
    lib, _ = dumps_library
    assert lib.search(query).total == expected_total


@needs_dumps
def test_stemming_and_title_boost(dumps_library):
    lib, _ = dumps_library
    # "segmenting" and "segmentation" share a stem; a title match outranks abstract-only ones.
    result = lib.search("segmenting", limit=5)
    assert result.total == lib.search("segmentation").total
    assert "segment" in result.hits[0].paper.title.lower()


@needs_dumps
def test_sorts_and_filters(dumps_library):
    lib, _ = dumps_library
    by_date = lib.search("", sort="date", limit=5).hits
    dates = [h.paper.published for h in by_date]
    assert dates == sorted(dates, reverse=True) and dates[0] == date(2026, 8, 19)
    by_votes = lib.search("", sort="upvotes", limit=3).hits
    votes = [h.paper.upvotes for h in by_votes]
    assert votes == sorted(votes, reverse=True)
    recent = lib.search("", Filters(since=date(2026, 1, 1)), limit=None)
    assert recent.total == 15  # the 2026 API day; page dates resolve into 2025 (as_of)
    assert all(h.paper.published >= date(2026, 1, 1) for h in recent.hits)
    popular = lib.search("", Filters(min_upvotes=20), limit=None)
    assert popular.total > 0 and all(h.paper.upvotes >= 20 for h in popular.hits)
    jsonl_2007 = lib.search("", Filters(years=frozenset({2007}), kinds=frozenset({"arxiv-jsonl"})))
    assert jsonl_2007.total == 200  # the snapshot starts with 0704.*: all April 2007
    coded = lib.search("", Filters(has_code=True), limit=None)
    assert coded.total > 0 and all(h.paper.has_code for h in coded.hits)
    assert lib.search("", Filters(ids=frozenset())).total == 0
    assert lib.search("", Filters(ids=frozenset({"0704.0001"}))).total == 1


@needs_dumps
def test_facets_count_the_matching_papers(dumps_library):
    lib, _ = dumps_library
    facets = lib.facets("quantization")
    assert sum(facets["kind"].values()) >= 15
    assert facets["year"]  # counts by year for the matching papers


@needs_dumps
def test_result_ids_cover_every_hit(dumps_library):
    lib, _ = dumps_library
    for sort in ("relevance", "date"):
        result = lib.search("model", limit=10, sort=sort)
        assert len(result.hits) == 10
        assert isinstance(result.ids, tuple)  # a plain value: nothing runs the searcher later
        assert len(result.ids) == result.total > 10
        assert list(result.ids[:10]) == [h.paper.id for h in result.hits]
        assert len(set(result.ids)) == result.total
        assert result.ids == lib.search("model", limit=None, sort=sort).ids
        page = lib.search("model", limit=10, sort=sort, all_ids=False)
        assert page.total == result.total and page.hits == result.hits
        assert page.ids == result.ids[:10]


@needs_dumps
def test_snippets_mark_matched_words(dumps_library):
    lib, _ = dumps_library
    result = lib.search("luttinger liquid", limit=1, snippets=True)
    hit = result.hits[0]
    assert hit.highlights
    words = {hit.snippet[s:e].lower() for s, e in hit.highlights}
    assert words <= {"luttinger", "liquid", "liquids"}
    # The same answer the app paints with, from the result's terms.
    spans = match_spans("abstract", hit.paper.abstract, result.terms)
    assert spans
    assert {hit.paper.abstract[s:e].lower() for s, e in spans} <= {"luttinger", "liquid", "liquids"}


@needs_dumps
def test_similar_papers(dumps_library):
    lib, _ = dumps_library
    seed = lib.search("author:maestro luttinger", limit=1).hits[0].paper
    similar = lib.similar(seed.id, limit=3)
    assert len(similar) == 3
    assert seed.id not in {p.id for p in similar}


@needs_dumps
@pytest.mark.parametrize("bad", ['"unclosed', "title:(", "nosuchfield:word", "AND", "*"])
def test_bad_queries_raise_query_error_or_run(dumps_library, bad):
    lib, _ = dumps_library
    try:
        lib.search(bad)
    except QueryError as exc:
        assert str(exc)


def test_an_empty_library_answers_every_call(tmp_path):
    lib = new_library(tmp_path)
    for query in ("", "model", "quant*", "title:xyz OR wyz"):
        result = lib.search(query, Filters(min_upvotes=1), sort="date")
        assert result.total == 0 and result.hits == () and list(result.ids) == []
    assert lib.facets("") == {"year": {}, "kind": {}, "category": {}}
    assert lib.stats()["papers"] == 0
    assert lib.similar("2401.00001") == []
    assert lib.is_empty()


def test_is_empty_follows_the_papers_in_and_out(tmp_path):
    """is_empty() (one row looked at) says what count() == 0 says: after papers came in, and
    after a rebuild from a dump that holds none of them any more."""
    lib = new_library(tmp_path)
    assert lib.is_empty() and lib.count() == 0
    page = write_page(tmp_path / "page.txt")
    lib.ingest([page], as_of=AS_OF)
    assert not lib.is_empty() and lib.count() == 2
    page.write_text("", encoding="utf-8")
    lib.ingest([page], as_of=AS_OF)
    assert lib.count() == 0 and lib.is_empty()


def test_papers_waiting_for_the_index_do_not_break_search(tmp_path):
    """A crash between the two ingest phases leaves records the index has not seen yet."""
    lib = new_library(tmp_path)
    page = write_page(tmp_path / "page.txt")
    lib.ingest([page], as_of=AS_OF)
    lib.close()
    lib = new_library(tmp_path)
    lib.index.create()  # an empty index of the right version; the records still say CLEAN
    with lib.records.transaction() as db:
        db.execute("UPDATE papers SET state=1")
    assert lib.search("equivariant").total == 0  # not yet indexed: no hit, and no crash
    lib.ingest([page], as_of=AS_OF)  # the next ingest indexes what was pending
    assert lib.search("equivariant").total == 1


@needs_dumps
def test_relevance_order_does_not_depend_on_the_limit(dumps_library):
    lib, _ = dumps_library
    everything = lib.search("model", limit=None)
    paged = lib.search("model", limit=20)
    assert everything.total == paged.total > 200  # past the depth ranked by score
    assert [h.paper.id for h in everything.hits] == list(everything.ids) == list(paged.ids)
    assert [h.paper.id for h in paged.hits] == list(everything.ids[:20])
