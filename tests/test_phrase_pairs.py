"""Phrases through the word-pair fields (schema 7) give Whoosh's own answers.

A phrase of common words is matched through ``*_pairs`` terms (search/engine/cache.py
``_match_with_pairs``); these tests compare its papers, order and scores with Whoosh's phrase
matcher over the word positions, on a library of several segments with deletions: phrases of
2–5 words taken from titles, abstracts and author lists as typed (stop words and all), phrases
across the title/abstract boundary and across two authors, repeated words, fielded phrases.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from whoosh import query

sys.path.insert(0, str(Path(__file__).parents[1]))

from paperbrowse.search.bookmarks import BookmarkStore  # noqa: E402
from paperbrowse.search.engine import cache as cache_module  # noqa: E402
from paperbrowse.search.engine import schema as schema_module  # noqa: E402
from paperbrowse.search.engine.common_words import COMMON_TERMS  # noqa: E402
from paperbrowse.search.engine.schema import PAIRED_FIELDS, pair_field  # noqa: E402
from paperbrowse.search.library import Library  # noqa: E402
from paperbrowse.search.models import Filters, QueryError  # noqa: E402
from paperbrowse.search.paths import Locations  # noqa: E402
from whoosh.analysis import StemmingAnalyzer  # noqa: E402

from bench.generate import write_dump  # noqa: E402
from tests.fixtures_dumps import real_dumps_library, segmented_library  # noqa: E402

WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    lib = segmented_library(tmp_path_factory.mktemp("pairs"), seed=4)
    yield lib
    lib.close()


def _papers(lib: Library, n: int):
    return lib.get_many(list(lib.search("", limit=n).ids[:n]))


def _typed_phrases(lib: Library) -> list[str]:
    """Phrases as a user would type them, from the papers' own text."""
    out: dict[str, None] = {}
    for i, paper in enumerate(_papers(lib, 30)):
        abstract = WORD.findall(paper.abstract)
        title = WORD.findall(paper.title)
        for size in (2, 3, 4, 5):
            start = (i * 7 + size * 3) % max(1, len(abstract) - size)
            out['"' + " ".join(abstract[start : start + size]) + '"'] = None
        out['title:"' + " ".join(title[:3]) + '"'] = None
        out['abstract:"' + " ".join(abstract[10:13]) + '"'] = None
        # Across the title/abstract boundary: no field holds it (unless by chance).
        out['"' + " ".join(title[-2:] + abstract[:2]) + '"'] = None
        if len(paper.authors) > 1:
            # Across two authors: one author field, the names next to each other.
            last = paper.authors[0].split()[-1]
            out[f'author:"{last} {paper.authors[1].split()[0]}"'] = None
        # A repeated word, and a word repeated around another.
        word = abstract[min(5, len(abstract) - 1)]
        out[f'"{word} {word}"'] = None
        out[f'"{word} {abstract[6 % len(abstract)]} {word}"'] = None
    out['"large language models"'] = None
    out['"the model of the language"'] = None
    out['"learning learning learning"'] = None
    return list(out)


def _whoosh_scored(lib: Library, text: str) -> list[tuple[str, float]]:
    index = lib.index
    s = index.searcher()
    results = s.search(index.whoosh_query(text), limit=None)
    ids = s.reader().column_reader("id")
    return [(ids[d], score) for score, d in results.top_n]


def test_the_index_has_word_pairs(library: Library) -> None:
    reader = library.index.searcher().reader()
    for field in ("title", "abstract"):
        assert sum(1 for _ in reader.lexicon(pair_field(field))) > 100, field


def test_typed_phrases_give_whooshs_papers_order_and_scores(library: Library, monkeypatch):
    """The same papers in the same order with the same scores as Whoosh, and most phrases of
    common words went through the pairs (the test would not compare the new path otherwise)."""
    through_pairs = []
    match = cache_module.SearcherCache._match_with_pairs

    def counting(self, field, words):
        found = match(self, field, words)
        through_pairs.append(found is not None)
        return found

    monkeypatch.setattr(cache_module.SearcherCache, "_match_with_pairs", counting)
    phrases = _typed_phrases(library)
    assert len(phrases) > 150
    matched = 0
    for text in phrases:
        try:
            library.index.parser().parse(text)
        except QueryError:  # only stop words ("of a"): refused alike, nothing to compare
            continue
        library.index.close()  # a fresh searcher: the phrase is matched, not remembered
        expected = _whoosh_scored(library, text)
        result = library.search(text, limit=None)
        assert list(result.ids) == [i for i, _ in expected], text
        assert [h.score for h in result.hits] == pytest.approx(
            [score for _, score in expected[: len(result.hits)]], rel=1e-9
        ), text
        matched += bool(expected)
    assert matched > 100
    assert sum(through_pairs) > 100


def _check_field_windows(library: Library, field: str, papers) -> int:
    """Every 2-5 word window of ``field``'s analysed words in ``papers`` (and some reversed)
    matches the documents Whoosh's phrase matcher does, slop 1 (pairs) and 2 (words); returns
    how many phrases were compared."""
    from paperbrowse.search.engine import spans

    index = library.index
    searcher = index.searcher()
    analyze_as = "title" if field == "title_exact" else field
    phrases: set[tuple[str, ...]] = set()
    for paper in papers:
        text = {
            "title": paper.title,
            "title_exact": paper.title,
            "abstract": paper.abstract,
            "authors": " ; ".join(paper.authors),
            "keywords": " ; ".join(paper.keywords),
        }[field]
        if field == "title_exact":
            words = [t for t in (m.group().lower() for m in WORD.finditer(text)) if len(t) > 1]
        else:
            words = [term for term, _, _ in spans.analyze(analyze_as, text)]
        for size in (2, 3, 4, 5):
            phrases.update(tuple(words[i : i + size]) for i in range(0, len(words) - size + 1, 5))
        phrases.update((b, a) for a, b in zip(words[::9], words[1::9], strict=False))
    for words in sorted(phrases):
        for slop in (1, 2):
            views = index.cache()
            q = query.Phrase(field, list(words), slop=slop)
            assert views._match_phrase(q) == set(searcher.docs_for_query(q)), (words, slop)
    return len(phrases)


@pytest.mark.parametrize("field", [f for f in PAIRED_FIELDS if f != "keywords"])
def test_phrases_of_every_paired_field_match_whoosh(library: Library, field: str) -> None:
    assert _check_field_windows(library, field, _papers(library, 40)) > 20


@pytest.fixture(scope="module")
def real_library(tmp_path_factory) -> Library:
    lib = real_dumps_library(tmp_path_factory.mktemp("real"))
    yield lib
    lib.close()


@pytest.mark.parametrize("field", PAIRED_FIELDS)
def test_phrases_of_real_papers_match_whoosh(real_library: Library, field: str) -> None:
    # Real abstracts are long: 15 of them give hundreds of phrases already.
    papers = _papers(real_library, 15 if field == "abstract" else 120)
    if field == "keywords":
        papers = [p for p in papers if p.keywords] or _papers(real_library, 10_000)
        papers = [p for p in papers if p.keywords][:60]
        assert len(papers) > 10  # the keyword phrases are really compared
    assert _check_field_windows(real_library, field, papers) > 20


def test_pair_postings_are_the_neighbours_of_whooshs_own_analysis(library: Library) -> None:
    """A pair term for each two neighbouring common words of Whoosh's token stream (positions
    renumbered past stop words), at the first one's position: nothing more, nothing less."""
    from paperbrowse.search.engine.whoosh_private import decode_positions

    schema = library.index.searcher().schema
    for paper in _papers(library, 60):
        for name, text in (("abstract", paper.abstract), ("authors", " ; ".join(paper.authors))):
            tokens = [(t.text, t.pos) for t in schema[name].analyzer(text, positions=True)]
            expected: dict[str, list[int]] = {}
            for (a, pa), (b, pb) in zip(tokens, tokens[1:], strict=False):
                assert pb == pa + 1
                if a in COMMON_TERMS and b in COMMON_TERMS:
                    expected.setdefault(f"{a} {b}", []).append(pa)
            found = {
                term.decode(): decode_positions(value)
                for term, _, _, value in schema[pair_field(name)].index(text)
            }
            assert found == expected


def test_an_index_of_schema_6_is_rebuilt_with_pairs_and_bookmarks_stay(tmp_path) -> None:
    """An index of version 6 has no pair fields: it is never searched as if it had them, but
    rebuilt from library.sqlite3 by itself; the bookmarks are not touched."""
    from whoosh import index

    assert schema_module.SCHEMA_VERSION >= 7
    locations = Locations(tmp_path / "data")
    lib = Library(locations)
    lib.ingest([write_dump(tmp_path / "a.jsonl", 30, seed=9)])
    ids = list(lib.search("", limit=None).ids)
    papers = lib.get_many(ids)
    phrase = '"' + " ".join(WORD.findall(papers[0].abstract)[:3]) + '"'
    expected = list(lib.search(phrase, limit=None).ids)
    assert papers[0].id in expected
    lib.close()
    with BookmarkStore(locations.bookmarks_db) as store:
        store.add(papers[1], tags=["kept"], note="mine")
    bookmarks_before = locations.bookmarks_db.read_bytes()
    # What version 6 wrote: the same fields without the pairs.
    old = schema_module.build_schema()
    for name in PAIRED_FIELDS:
        old.remove(pair_field(name))
    index_dir = locations.index_dir
    for f in index_dir.iterdir():
        if f.is_dir():  # orders/: derived files beside the index (search/engine/order_files)
            shutil.rmtree(f)
        elif f.name != "SCHEMA_VERSION":
            f.unlink()
    ix = index.create_in(str(index_dir), old)
    with ix.writer() as w:
        for paper in papers:
            w.add_document(**schema_module.document(paper, pairs=False))
    ix.close()
    (index_dir / "SCHEMA_VERSION").write_text("6")
    lib = Library(locations)
    assert lib.index.needs_rebuild()
    assert list(lib.search(phrase, limit=None).ids) == expected
    assert pair_field("abstract") in lib.index.searcher().schema  # rebuilt: the pairs are there
    assert (index_dir / "SCHEMA_VERSION").read_text() == str(schema_module.SCHEMA_VERSION)
    lib.close()
    assert locations.bookmarks_db.read_bytes() == bookmarks_before
    with BookmarkStore(locations.bookmarks_db) as store:
        kept = store.get(papers[1].id)
        assert kept is not None and kept.tags == ("kept",) and kept.note == "mine"


def test_a_stock_analyzer_field_is_refused_pairs() -> None:
    """A pair field can only reproduce the chains postings_analyzer knows: anything else is
    an error at indexing, not a silently empty field."""
    field = schema_module.PairText(StemmingAnalyzer() | StemmingAnalyzer().items[-1])
    with pytest.raises(TypeError):
        list(field.index("large language models"))


def test_filters_still_apply_to_a_paired_phrase(library: Library) -> None:
    """A phrase matched through pairs is narrowed by the filters, and its whole answer stays
    whole for the next search (the remembered set is not narrowed in place)."""
    for text in _typed_phrases(library):
        library.index.close()
        whole = library.search(text, limit=None)
        years = {p.published.year for p in library.get_many(list(whole.ids)) if p.published}
        if len(years) > 1:
            break
    else:
        pytest.fail("no phrase found in papers of several years")
    year = min(years)
    narrowed = library.search(text, Filters(years=frozenset({year})), limit=None)
    assert 0 < narrowed.total < whole.total
    assert set(narrowed.ids) < set(whole.ids)
    assert list(library.search(text, limit=None).ids) == list(whole.ids)
