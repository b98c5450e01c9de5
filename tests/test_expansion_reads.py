"""The cheaper reads behind prefix and fuzzy words give the answers of the plain ones.

A prefix's terms and doc counts come from one walk of each segment's term list (queries.py
``_prefix_frequencies``) instead of Whoosh's expansion and then a count per term; the term
dictionaries are read through a memory map (whoosh_terms.MappedTermsStorage). Compared here
with Whoosh's own calls on a library of several segments, one with deletions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

sys.path.insert(0, str(Path(__file__).parents[1]))

from paperbrowse.search.engine import queries as queries_module  # noqa: E402
from paperbrowse.search.engine import whoosh_terms  # noqa: E402
from paperbrowse.search.library import Library  # noqa: E402

from tests.fixtures_dumps import segmented_library  # noqa: E402

PREFIXES = ["re", "quant", "q", "zz", "", "learn", "wang"]
FIELDS = ["title", "abstract", "authors", "title_exact", "keywords", "nofield"]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    lib = segmented_library(tmp_path_factory.mktemp("expansions"), seed=6)
    yield lib
    lib.close()


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_prefix_terms_and_counts_are_whooshs(library: Library, prefix: str, field: str) -> None:
    reader = library.index.searcher().reader()
    assert len(list(reader.leaf_readers())) > 1
    # The raw walk of the term records is what runs (not the fallback for other codecs).
    assert all(type(r._terms).__name__ == "W3TermsReader" for r, _ in reader.leaf_readers())
    found = queries_module._prefix_frequencies(reader, field, prefix)
    if field not in reader.schema:
        assert found == {}
        return
    expected = {t: reader.doc_frequency(field, t) for t in reader.expand_prefix(field, prefix)}
    assert list(found.items()) == list(expected.items())
    # Read from the mapped term files (the walk over the map), and through the files.
    assert all(type(r._terms._dbfile) is whoosh_terms._MappedFile for r, _ in reader.leaf_readers())
    plain = FileStorage(str(library.index.path)).open_index()
    with plain.searcher() as stock:
        unmapped = queries_module._prefix_frequencies(stock.reader(), field, prefix)
    plain.close()
    assert list(unmapped.items()) == list(expected.items())


@pytest.mark.parametrize("text", ["re*", "quant*", "title:q*", "author:w*"])
def test_bounded_prefixes_keep_the_terms_whoosh_counts_would(library: Library, text) -> None:
    reader = library.index.searcher().reader()
    q = library.index.parser().parse(text)
    for leaf in q.leaves() if not q.is_leaf() else [q]:
        kept, total = leaf._bounded_btexts(reader)
        terms = list(reader.expand_prefix(leaf.field(), leaf.text))
        counts = queries_module._doc_frequencies(reader, leaf.field(), terms)
        assert total == len(terms)
        # The commonest first, within the bounds, as before the single walk.
        best = sorted(((counts[t], t) for t in terms), reverse=True)
        expected, postings = [], 0
        for df, term in best[: queries_module.MAX_EXPANSION]:
            if expected and postings + df > queries_module.EXPANSION_POSTINGS:
                continue
            expected.append(term)
            postings += df
        assert kept == expected


def test_term_files_are_read_through_a_map_with_the_same_answers(library: Library) -> None:
    searcher = library.index.searcher()
    reader = searcher.reader()
    mapped = [r for r, _ in reader.leaf_readers()]
    assert all(type(r._terms._dbfile) is whoosh_terms._MappedFile for r in mapped)
    plain = FileStorage(str(library.index.path)).open_index()
    with plain.searcher() as stock:
        other = stock.reader()
        for field in ("title", "abstract", "authors"):
            assert list(reader.lexicon(field)) == list(other.lexicon(field))
            for term in list(other.lexicon(field))[::37]:
                assert reader.doc_frequency(field, term) == other.doc_frequency(field, term)
                assert (field, term) in reader
                assert reader.term_info(field, term).max_weight() == (
                    other.term_info(field, term).max_weight()
                )
        for text in ["quantizaton~", "re*", "quant*", '"neural network"', "learning"]:
            assert library.search(text, limit=None).total == len(
                list(stock.docs_for_query(library.index.whoosh_query(text)))
            ), text
    plain.close()


@pytest.mark.parametrize("field", FIELDS)
def test_term_membership_is_whooshs_contains(library: Library, field: str) -> None:
    reader = library.index.searcher().reader()
    holds = whoosh_terms.term_membership(reader, field)
    known = list(reader.lexicon(field)) if field in reader.schema else []
    probes = known[::11] + [b"zzzznotaword", b"quantiz", b"learn", b"wang", b""]
    probes += [t + b"x" for t in known[::29]]
    plain = FileStorage(str(library.index.path)).open_index()  # term files read, not mapped
    with plain.searcher() as stock:
        unmapped = whoosh_terms.term_membership(stock.reader(), field)
        for term in probes:
            assert holds(term) == ((field, term) in reader), (field, term)
            assert unmapped(term) == holds(term), (field, term)
    plain.close()


def test_term_membership_hashes_once_and_probes_each_mapped_table(library, monkeypatch) -> None:
    """Each segment's mapped term table is probed with the hash computed once for all of them
    that number the field alike (all of a library's segments at 1M): an md5 per look-up and
    numbering, not per segment; the answers are Whoosh's (above), for terms held by one
    segment only too."""
    reader = library.index.searcher().reader()
    leaves = [r for r, _ in reader.leaf_readers()]
    assert len(leaves) >= 2
    assert all(whoosh_terms._hashed_find(r._terms._tindex) is not None for r in leaves)
    hashes = []
    real = leaves[0]._terms._tindex.hashfn
    assert all(r._terms._tindex.hashfn is real for r in leaves)  # one hash function for all

    def counted(key):
        hashes.append(key)
        return real(key)

    for leaf in leaves:
        monkeypatch.setattr(leaf._terms._tindex, "hashfn", counted)
    # Segments written apart may number their fields differently: one hash per numbering.
    numbers = {r._terms._fieldmap["abstract"] for r in leaves}
    assert len(numbers) < len(leaves)
    holds = whoosh_terms.term_membership(reader, "abstract")
    only_last = set(leaves[-1].lexicon("abstract")) - set(leaves[0].lexicon("abstract"))
    assert only_last
    for term in sorted(only_last)[:20] + [b"zzzznotaword"]:
        hashes.clear()
        found = holds(term)
        assert len(hashes) == len(numbers), term
        assert found == (("abstract", term) in reader)


@pytest.mark.parametrize("text", ["quantizaton~", "lerning~", "wnag~", "transformr~2", "zzqx~"])
def test_fuzzy_words_expand_as_with_whooshs_contains(library, monkeypatch, text) -> None:
    """The fuzzy expansion and its backed stems, with the direct look-ups and with Whoosh's."""
    reader = library.index.searcher().reader()

    def expand():
        q = library.index.parser().parse(text)
        leaves = q.leaves() if not q.is_leaf() else [q]
        out = []
        for leaf in leaves:
            out.append((leaf.field(), sorted(leaf._bounded_btexts(reader)[0])))
            out.append((leaf.field(), leaf.backed_stems(reader)))
        return out

    fast = expand()
    reader.__dict__.pop("_paperbrowse_backed", None)
    monkeypatch.setattr(whoosh_terms, "term_membership", lambda r, f: lambda b: (f, b) in r)
    assert expand() == fast
    assert any(terms for _, terms in fast) == (text != "zzqx~")  # real matches compared


def test_term_frequencies_are_whooshs_over_every_segment(library: Library) -> None:
    reader = library.index.searcher().reader()
    for field in ("abstract", "title", "authors"):
        frequency = whoosh_terms.term_frequencies(reader, field)
        assert frequency is not None  # the term tables are mapped
        known = list(reader.lexicon(field))
        for term in known[::13] + [b"zzzznotaword", b""]:
            assert frequency(term) == reader.frequency(field, term), (field, term)
            assert type(frequency(term)) is type(reader.frequency(field, term))


def test_key_terms_of_a_text_are_whooshs(library: Library) -> None:
    """The similar papers' key terms (Bo1, normalized): Whoosh's own, term for term and to the
    last bit of their weights, with the frequencies read from the mapped tables."""
    searcher = library.index.searcher()
    papers = library.get_many(list(library.search("learning", limit=30).ids[:30]))
    for paper in papers + [None]:
        text = "zzzz qqqq" if paper is None else f"{paper.title} {paper.title} {paper.abstract}"
        expected = searcher.key_terms_from_text("abstract", text, numterms=12)
        got = whoosh_terms.key_terms_from_text(searcher.reader(), "abstract", text, 12)
        assert got == expected
        if paper is not None:
            assert len(got) == 12
