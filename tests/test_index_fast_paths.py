"""The index's set-based counting, filtering and sorting agree with Whoosh's own answers.

search/engine/ counts hits, applies filters and sorts by date/upvotes with doc-number sets and
cached orders (for speed at 100k papers); these tests compare each with the plain Whoosh result
on a library of several segments, one of them with deletions.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from whoosh import sorting

sys.path.insert(0, str(Path(__file__).parents[1]))

from paperbrowse.search.engine import cache as cache_module  # noqa: E402
from paperbrowse.search.engine import queries as queries_module  # noqa: E402
from paperbrowse.search.engine import spans  # noqa: E402
from paperbrowse.search.engine.queries import filter_query  # noqa: E402
from paperbrowse.search.library import Library  # noqa: E402
from paperbrowse.search.models import Filters  # noqa: E402
from paperbrowse.search.paths import Locations  # noqa: E402

from bench.generate import write_dump  # noqa: E402
from tests.fixtures_dumps import real_dumps_library  # noqa: E402

QUERIES = [
    "learning",
    "graph neural",
    '"language model"',
    "quant*",
    "re*",
    "transformr~",
    "title:diffusion",
    "author:wang",
    "quantum OR magnetization",
    "learning NOT quantum",
    "quant* learning",
    "",
]
FILTERS = [
    Filters(),
    Filters(since=date(2020, 1, 1)),
    Filters(since=date(2018, 1, 1), until=date(2021, 6, 30), categories=frozenset({"cs.LG"})),
    Filters(years=frozenset({2016, 2024})),
]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    root = tmp_path_factory.mktemp("fast")
    lib = Library(Locations.resolve(root / "data"))
    first = write_dump(root / "a.jsonl", 400, seed=1)
    lib.ingest([first])
    lib.ingest([write_dump(root / "b.jsonl", 300, seed=2)])
    # The same file grown: its papers are replaced (deletions in the older segment).
    write_dump(first, 400, extra=20, seed=1)
    lib.ingest([first])
    yield lib
    lib.close()


def _whoosh_ids(lib: Library, text: str, filters: Filters, sortedby=None) -> list[str]:
    index = lib.index
    s = index.searcher()
    q = index.parser().parse(text)
    flt = filter_query(filters)
    results = s.search(q, filter=flt, limit=None, sortedby=sortedby)
    ids = s.reader().column_reader("id")
    return [ids[d] for _, d in results.top_n]


def test_the_library_has_several_segments_and_deletions(library: Library) -> None:
    s = library.index.searcher()
    assert len(s.subsearchers or []) >= 2
    assert s.reader().has_deletions()
    assert library.count() >= 420  # the two seeds share arXiv ids: their papers merge


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f)[:60])
@pytest.mark.parametrize("text", QUERIES)
def test_totals_and_hits_match_whoosh(library: Library, text: str, filters: Filters) -> None:
    result = library.search(text, filters, limit=None)
    expected = _whoosh_ids(library, text, filters)
    assert result.total == len(expected)
    assert sorted(result.ids) == sorted(expected)
    assert len(set(result.ids)) == result.total


@pytest.mark.parametrize("filters", FILTERS[:3], ids=lambda f: str(f)[:60])
@pytest.mark.parametrize("text", ["learning", "quantum OR magnetization", ""])
@pytest.mark.parametrize("sort", ["date", "upvotes"])
def test_sorted_orders_match_whoosh(library: Library, text: str, filters: Filters, sort) -> None:
    first, second = ("published", "upvotes") if sort == "date" else ("upvotes", "published")
    facets = [sorting.FieldFacet(first, reverse=True), sorting.FieldFacet(second, reverse=True)]
    expected = _whoosh_ids(library, text, filters, sortedby=facets)
    result = library.search(text, filters, sort=sort, limit=20)
    assert [h.paper.id for h in result.hits] == expected[:20]
    assert list(result.ids) == expected


@pytest.mark.parametrize("sort", ["date", "upvotes", "featured"])
def test_a_part_sorted_before_every_key_is_made_matches_whoosh(library: Library, sort) -> None:
    """A cold command sorts its matches by their own documents' keys (the keys of every
    document are made only for the whole list, the app's first screen): same order as
    Whoosh's, ties included, in a fresh searcher and again once every key is made."""
    from paperbrowse.search.engine.cache import SORT_FIELDS

    first, second = SORT_FIELDS[sort]
    facets = [sorting.FieldFacet(first, reverse=True), sorting.FieldFacet(second, reverse=True)]
    texts = ["quantum OR magnetization", "learning", "author:wang"]
    expected = {t: _whoosh_ids(library, t, Filters(), sortedby=facets) for t in texts}
    library.index.close()  # a fresh searcher: no key made yet
    cache = library.index.cache()
    for text in texts:
        assert list(library.search(text, sort=sort, limit=None).ids) == expected[text], text
    assert sort not in cache._keys  # each was a part of the library, sorted by its own keys
    cache.order(sort)
    for text in texts:
        assert list(library.search(text, sort=sort, limit=None).ids) == expected[text], text


def test_numeric_columns_read_as_arrays_are_whooshs_values(library: Library) -> None:
    from paperbrowse.search.engine import whoosh_private

    for segment, _ in library.index.searcher().reader().leaf_readers():
        for field in ("published", "upvotes", "featured", "rising"):
            column = segment.column_reader(field)
            raw = column.raw_column() if hasattr(column, "raw_column") else column
            got = whoosh_private.numeric_column_array(raw)
            assert got is not None, field
            assert list(got) == list(raw), field


@pytest.mark.parametrize("text", ["quant*", "transformr~", "title:quant*"])
def test_expansion_only_queries_are_ranked_like_words(library: Library, text: str) -> None:
    # They came newest first (every match scored the same); now each expanded term scores
    # BM25F, so title matches lead, as for a plain word (issue 15).
    result = library.search(text, limit=None)
    assert result.sort == "relevance" and result.total > 5
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] > 0
    dates = [p.published for p in library.get_many(list(result.ids))]
    assert dates != sorted(dates, reverse=True)
    expected = _whoosh_scored(library, text, Filters())
    assert [(h.paper.id, pytest.approx(h.score, rel=1e-9)) for h in result.hits] == expected


def test_expansions_are_bounded_by_postings(library: Library, monkeypatch) -> None:
    unbounded = library.search("re*", limit=None).total
    monkeypatch.setattr(queries_module, "EXPANSION_POSTINGS", 1)
    q = library.index.parser().parse("abstract:re*")
    reader = library.index.searcher().reader()
    # Only the commonest term is kept when the budget is spent, and the cut is known.
    kept, matched = q._bounded_btexts(reader)
    assert len(kept) == 1 and matched > 1
    assert library.search("abstract:re*", limit=None).total <= unbounded


@pytest.mark.parametrize("text", ['abstract:"neural network"', 'abstract:"we propose"'])
def test_a_filtered_phrase_leaves_the_next_search_of_it_whole(library: Library, text) -> None:
    """A phrase's doc set is remembered per searcher; a filtered search narrowed that very set
    in place, so the same phrase unfiltered found only what the filter had let through."""
    library.index.close()  # a fresh searcher: nothing remembered yet
    whole = library.search(text, limit=None)
    assert whole.total > 0
    assert library.search(text, Filters(years=frozenset({1900})), limit=None).total == 0
    again = library.search(text, limit=None)
    assert again.total == whole.total and again.ids == whole.ids
    assert library.facets(text)["year"] == library.facets(text, Filters())["year"]


def test_empty_id_filter_matches_nothing(library: Library) -> None:
    assert library.search("learning", Filters(ids=frozenset())).total == 0
    assert library.facets("learning", Filters(ids=frozenset()))["year"] == {}


def test_views_are_dropped_when_the_index_changes(library: Library, tmp_path: Path) -> None:
    before = library.search("", limit=1)
    learning = library.search("learning", limit=None)
    views = library.index.cache()
    assert before.total == library.count()
    # Eight papers, all new versions of papers the library has (seed 9 shares their ids).
    library.ingest([write_dump(tmp_path / "c.jsonl", 5, extra=3, seed=9)])
    after = library.search("", limit=1)
    assert library.index.cache() is not views
    assert after.total == library.count()
    assert after.hits[0].paper.published >= before.hits[0].paper.published
    # Replaced papers are not listed twice (Whoosh's searcher refresh kept their old copies).
    again = library.search("learning", limit=None)
    assert len(set(again.ids)) == again.total
    fresh = Library(library.locations)
    try:
        assert list(fresh.search("learning", limit=None).ids) == list(again.ids)
    finally:
        fresh.close()
    assert again.total >= learning.total


@pytest.mark.parametrize("field", ["abstract", "title", "authors"])
def test_match_spans_equal_the_full_analysis(library: Library, field: str) -> None:
    assert spans.fast_analysis(field) is not None
    papers = library.get_many(list(library.search("", limit=60).ids[:60]))
    for stems in ({"learn"}, {"quantum", "quantiz"}, {"model", "languag"}, {"will", "wang"}):
        for p in papers:
            text = p.abstract if field == "abstract" else p.title
            if field == "authors":
                text = " ; ".join(p.authors)
            full = [(s, e) for term, s, e in spans.analyze(field, text) if term in stems]
            assert spans.match_spans(field, text, stems) == full


#: Queries the index scores itself (terms, and/or/not, phrases, fields, expansions mixed with
#: words) and ones it hands to Whoosh (boosts, ranges).
SCORED = [
    "learning",
    "graph neural",
    "quantum OR magnetization",
    "learning NOT quantum",
    '"language model"',
    '"neural network" learning',
    '"deep neural network"',
    '"model language"~3',
    '"learning learning"',
    "title:diffusion",
    "author:wang",
    "abstract:model title:learning",
    "cat:cs.LG quantum",
    "quant* learning",
    "transformr~ model",
    "transformr~",
    "quant*",
    "learning^2 quantum",
    "published:[20200101 TO 20221231] learning",
]


def _whoosh_scored(lib: Library, text: str, filters: Filters) -> list[tuple[str, float]]:
    """Whoosh's own answer, every match scored (limit=None): (id, score) best first."""
    index = lib.index
    s = index.searcher()
    # The query the engine runs (expansions as the terms they stand for), scored by Whoosh.
    results = s.search(index.whoosh_query(text), filter=filter_query(filters), limit=None)
    ids = s.reader().column_reader("id")
    return [(ids[d], score) for score, d in results.top_n]


@pytest.mark.parametrize("filters", FILTERS[:3], ids=lambda f: str(f)[:60])
@pytest.mark.parametrize("text", SCORED)
def test_relevance_order_and_scores_match_whoosh(library: Library, text, filters) -> None:
    expected = _whoosh_scored(library, text, filters)
    found = library.index.search(text, filters, "relevance", 20)
    total, first, ids = found.total, found.first, found.ids
    assert total == len(expected)
    assert list(ids) == [i for i, _ in expected]
    assert [i for i, _ in first] == [i for i, _ in expected[:20]]
    assert [score for _, score in first] == pytest.approx([sc for _, sc in expected[:20]], rel=1e-9)
    everything = library.index.search(text, filters, "relevance", None).first
    assert [score for _, score in everything] == pytest.approx(
        [score for _, score in expected], rel=1e-9
    )


def test_the_common_queries_are_scored_by_the_index_not_whoosh(library: Library) -> None:
    views = library.index.cache()
    docs = views.docs(library.index.parser().parse("learning"))
    for text in SCORED[:-2]:
        q = library.index.whoosh_query(text)
        assert views.scores(q, views.docs(q)) is not None, text
    assert views.scores(library.index.parser().parse("learning^2 quantum"), docs) is None


def test_phrases_match_whoosh(library: Library) -> None:
    """Every adjacent word pair, triple and quadruple of some abstracts, and the same words out
    of order or apart, match the same documents as Whoosh's phrase matcher."""
    from whoosh import query

    index = library.index
    views = index.cache()
    searcher = index.searcher()
    phrases: set[tuple[str, ...]] = set()
    for paper in library.get_many(list(library.search("", limit=40).ids[:40])):
        words = [term for term, _, _ in spans.analyze("abstract", paper.abstract)]
        phrases.update(tuple(words[i : i + 2]) for i in range(0, len(words) - 1, 7))
        phrases.update(tuple(words[i : i + 3]) for i in range(0, len(words) - 2, 11))
        # Four words: the third and fourth rarest are decoded only in blocks of candidates left.
        phrases.update(tuple(words[i : i + 4]) for i in range(0, len(words) - 3, 17))
        phrases.update((b, a) for a, b in zip(words[::13], words[1::13], strict=False))
    assert len(phrases) > 200
    matched = 0
    for words in sorted(phrases):
        for slop in (1, 2):
            q = query.Phrase("abstract", list(words), slop=slop)
            expected = set(searcher.docs_for_query(q))
            assert views._match_phrase(q) == expected, (words, slop)
            matched += bool(expected)
    assert matched > 200  # most of them occur somewhere: the test compares real matches


def test_a_small_posting_cache_gives_the_same_answers(library: Library, monkeypatch) -> None:
    expected = {t: _whoosh_scored(library, t, Filters()) for t in SCORED[:9]}
    monkeypatch.setattr(cache_module, "CACHED_POSTINGS", 50)
    library.index.close()  # a fresh searcher, with an empty cache
    for _ in range(2):
        for text, want in expected.items():
            result = library.search(text, limit=None)
            assert list(result.ids) == [i for i, _ in want], text
    # Only the last query's terms are held (it keeps what it read while it runs).
    cache = library.index.cache()
    assert {entry[3] for entry in cache._blocks.values()} == {cache._query}


def test_a_long_query_keeps_at_most_its_ceiling_of_postings(library: Library, monkeypatch) -> None:
    """The current query's blocks stay while it runs (read again for its scores), but not
    without bound: a pasted abstract of 100 common words (what the query-size check lets
    through) held every block of every word, ~40 bytes a posting, a gigabyte at 1M papers.
    Past QUERY_CACHED_POSTINGS its least recent terms go too; the answers are the same."""
    text = " OR ".join(["learning", "model", "graph", "neural", "quantum", "network", "data"])
    want = _whoosh_scored(library, text, Filters())
    monkeypatch.setattr(cache_module, "CACHED_POSTINGS", 50)
    monkeypatch.setattr(cache_module, "QUERY_CACHED_POSTINGS", 200, raising=False)
    library.index.close()
    result = library.search(text, limit=None)
    assert list(result.ids) == [i for i, _ in want]
    held = [entry[2] for entry in library.index.cache()._blocks.values()]
    assert sum(held) <= max(200, held[-1]), held


def test_a_query_decodes_each_terms_blocks_once_whatever_the_cache_holds(
    library: Library, monkeypatch
) -> None:
    """A query reads a term for its doc set, then for its scores: with a posting cache smaller
    than the query's terms (two common words at 1M papers), the blocks were decoded twice.
    Within a query they stay; the next query lets them go."""
    from paperbrowse.search.engine import whoosh_private

    reads: list[tuple[str, bytes]] = []
    real = whoosh_private.segment_postings

    def counting(reader, field, btext, *rest):
        reads.append((field, btext))
        return real(reader, field, btext, *rest)

    monkeypatch.setattr(whoosh_private, "segment_postings", counting)
    monkeypatch.setattr(cache_module, "CACHED_POSTINGS", 50)
    library.index.close()
    segments = len(library.index.searcher().subsearchers)
    for text in ("learning model", "graph neural"):
        reads.clear()
        want = _whoosh_scored(library, text, Filters())
        reads.clear()
        result = library.search(text, limit=None)
        assert list(result.ids) == [i for i, _ in want]
        assert reads and max(reads.count(key) for key in reads) <= segments, text
    cache = library.index.cache()
    assert sum(entry[2] for entry in cache._blocks.values()) > 50  # the last query's, kept
    library.search("quantum", limit=None)
    assert all(key[1].startswith(b"quantum") for key in cache._blocks), list(cache._blocks)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f)[:60])
@pytest.mark.parametrize("text", ["", "learning", "quant* learning", "learning NOT quantum"])
def test_facet_counts_match_whoosh_grouping(library: Library, text: str, filters) -> None:
    index = library.index
    q = index.parser().parse(text)
    expected = index._whoosh_facets(q, index.cache().filter_set(filters))
    assert index.facets(text, filters) == expected
    assert list(index.facets(text, filters)["category"].items()) == list(
        expected["category"].items()
    )


def test_a_searchs_facets_reuse_its_matches_and_stay_whole(library: Library, monkeypatch) -> None:
    """The facets the app asks for after a search reuse that search's matches (rebuilt, they
    cost 0.3 s at 1M papers); a filtered search does not narrow what the next one finds."""
    index = library.index
    index.close()
    text = "learning OR quantum"
    narrow = Filters(since=date(2020, 1, 1))
    whole = index._whoosh_facets(index.parser().parse(text), None)
    total = library.search(text, narrow, limit=5).total
    built = []
    real = cache_module.SearcherCache.docs
    monkeypatch.setattr(
        cache_module.SearcherCache, "docs", lambda self, q: built.append(q) or real(self, q)
    )
    assert index.facets(text, Filters()) == whole
    assert built == []  # the search's matches, not built again
    assert library.search(text, narrow, limit=5).total == total
    assert library.search(text, limit=None).total == len(
        list(index.searcher().docs_for_query(index.whoosh_query(text)))
    )


def test_facets_of_a_query_whoosh_must_match_still_work(library: Library) -> None:
    index = library.index
    q = index.parser().parse("published:[20200101 TO 20221231] learning")
    counts = index.facets("published:[20200101 TO 20221231] learning", Filters())
    assert counts == index._whoosh_facets(q, None)
    assert (
        sum(counts["year"].values())
        # The engine's own syntax (published: is no field of the user's query syntax).
        == index.search("published:[20200101 TO 20221231] learning", Filters(), "date", 1).total
    )


@pytest.fixture(scope="module")
def real_library(tmp_path_factory) -> Library:
    lib = real_dumps_library(tmp_path_factory.mktemp("real"))
    yield lib
    lib.close()


@pytest.mark.parametrize(
    "text",
    ["", "model", "language model", '"language model"', "learn* model", "author:wang", "diffusion"],
)
def test_real_dumps_scores_and_facets_match_whoosh(real_library: Library, text: str) -> None:
    index = real_library.index
    expected = _whoosh_scored(real_library, text, Filters()) if text else None
    if expected is not None:
        first = index.search(text, Filters(), "relevance", None).first
        assert [i for i, _ in first] == [i for i, _ in expected]
        assert [sc for _, sc in first] == pytest.approx([sc for _, sc in expected], rel=1e-9)
    q = index.parser().parse(text)
    facets = index.facets(text, Filters())
    assert facets == index._whoosh_facets(q, None)
    assert len(facets["kind"]) >= (4 if not text else 1)


def test_similar_papers_are_whooshs_more_like_this(library: Library) -> None:
    index = library.index
    s = index.searcher()
    ids = s.reader().column_reader("id")
    papers = library.get_many(list(library.search("learning", limit=12).ids[:12]))
    for paper in papers:
        docnum = s.document_number(id=paper.id)
        text = f"{paper.title} {paper.title} {paper.abstract}"
        results = s.more_like(docnum, "abstract", text=text, top=6, numterms=12)
        expected = [ids[d] for _, d in results.top_n if d != docnum][:5]
        assert index.similar(paper, 5) == expected
        assert paper.id not in index.similar(paper, 50)


def test_doc_ids_read_without_positions_equal_whooshs_decoding(library: Library, monkeypatch):
    """A term's doc numbers and weights read from the start of each block (its positions left
    compressed) are Whoosh's own, block for block; blocks the quick read cannot lay out (three
    postings or fewer, a segment with deletions) are decoded whole, as before."""
    from paperbrowse.search.engine import whoosh_private

    quick = []
    real = whoosh_private._ids_and_weights

    def spy(m, *rest):
        found = real(m, *rest)
        quick.append(found is not None)
        return found

    monkeypatch.setattr(whoosh_private, "_ids_and_weights", spy)
    reader = library.index.searcher().reader()
    compared = 0
    for segment, _ in reader.leaf_readers():
        for field in ("abstract", "title", "authors"):
            for btext in list(segment.lexicon(field))[:400]:
                if segment.doc_frequency(field, btext) < 2:
                    continue
                # Whoosh's own matcher, posting by posting.
                m = segment.postings(field, btext)
                expected = []
                while m.is_active():
                    expected.append((m.id(), m.weight()))
                    m.next()
                got = [
                    (doc, weight)
                    for ids, weights, values in whoosh_private.segment_postings(
                        segment, field, btext, False
                    )
                    for doc, weight in zip(ids, weights, strict=True)
                ]
                assert got == expected, (field, btext)
                compared += 1
    assert compared > 300
    assert any(quick) and not all(quick)  # both ways were taken


@pytest.mark.parametrize("text", ["learning", '"language model"', ""])
def test_a_filter_of_many_ids_matches_whoosh_without_reading_their_terms(
    library: Library, text: str, monkeypatch
) -> None:
    """What is new since the last session, a watch's new papers: thousands of ids. They are
    found by one pass over the id column (replaced papers' old copies left out), not by a
    term each (10,000 ids took 4 s at 100k papers); a few ids still by their terms."""
    from paperbrowse.search.engine import cache as cache_module

    every = list(library.search("", limit=None).ids)
    # Other ids for each query: the searcher's cache of filters must not answer from before.
    k = len(text)
    many = frozenset(every[k % 3 :: 2])
    assert len(many) > cache_module.ID_TERMS_MAX
    looked_up: list[str] = []
    term = cache_module.SearcherCache._term

    def counting(self, field, text):
        if field == "id":
            looked_up.append(text)
        return term(self, field, text)

    monkeypatch.setattr(cache_module.SearcherCache, "_term", counting)
    for filters in (Filters(ids=many), Filters(ids=many, since=date(2020, 1, 1))):
        result = library.search(text, filters, limit=None)
        expected = _whoosh_ids(library, text, filters)
        assert sorted(result.ids) == sorted(expected) and result.total == len(expected)
        assert library.facets(text, filters) == library.index._whoosh_facets(
            library.index.parser().parse(text), library.index.cache().filter_set(filters)
        )
    assert looked_up == []
    few = frozenset(every[k : k + 3])
    assert sorted(library.search(text, Filters(ids=few), limit=None).ids) == sorted(
        _whoosh_ids(library, text, Filters(ids=few))
    )
    assert sorted(looked_up) == sorted(few)


def test_field_length_bytes_are_whooshs_column(library: Library) -> None:
    """Each document's stored field-length byte, read as the column's bytes in one piece, is
    what Whoosh's own column reader gives document by document, over every segment (a field
    without lengths, or a document past the column's last value, reads 0, Whoosh's default)."""
    from paperbrowse.search.engine import whoosh_private
    from paperbrowse.search.engine.cache import SearcherCache

    searcher = library.index.searcher()
    cache = SearcherCache(searcher)
    for field in ("title", "abstract", "authors", "keywords", "id"):
        expected: list[int] = []
        for segment, _ in searcher.reader().leaf_readers():
            perdoc = segment._perdoc
            name = whoosh_private._lenfield(field)
            if perdoc.has_column(name):
                column = perdoc.column_reader(name, whoosh_private.LENGTHS_COLUMN)
                expected += [column[d] for d in range(segment.doc_count_all())]
            else:
                expected += [0] * segment.doc_count_all()
        got = cache.lengths(field)
        assert isinstance(got, bytes)
        assert list(got) == expected, field
        assert len(got) == searcher.reader().doc_count_all()
    assert any(cache.lengths("abstract"))


@pytest.mark.parametrize("field", ["year", "kind", "category", "month"])
def test_facets_counted_by_document_equal_the_intersections(library: Library, field) -> None:
    """A few matches among many postings are counted from each document's values (layers of
    value codes); the counts are the per-value intersections', value for value and in order,
    for papers of one value and of several (categories)."""
    import random

    from paperbrowse.search.engine import facet_counting

    library.index.close()
    cache = library.index.cache()
    everything = set(library.index.searcher().reader().all_doc_ids())
    cache.facet_counts(field, None)
    assert field not in cache._layers  # every paper: counted from the postings, no layers
    values = cache._facet_values[field]
    size = library.index.searcher().reader().doc_count_all()
    layers = facet_counting.layers_of(values, size)
    assert layers
    held = {d: sorted(v for v, ids in values.items() if d in set(ids)) for d in everything}
    names = list(values)
    for doc, expected in list(held.items())[:200]:
        assert sorted(names[layer[doc] - 1] for layer in layers if layer[doc]) == expected
    if field == "category":
        assert len(layers) >= 2  # some papers hold several values
    rng = random.Random(7)
    for k in (1, 5, 40, len(everything) // 3, len(everything)):
        docs = set(rng.sample(sorted(everything), k))
        expected = {v: len(docs.intersection(ids)) for v, ids in values.items()}
        expected = {v: n for v, n in expected.items() if n}
        got = cache.facet_counts(field, docs)
        assert list(got.items()) == list(expected.items()), k
    assert field in cache._layers  # a few matches were counted by document
