"""The fast indexing analysis (search/engine/analysis.py, ``search.engine.schema.FastText``)
indexes exactly what Whoosh's own TEXT fields index: the same (term, frequency, weight, encoded
positions) for every text field of every real dump and of arbitrary text, the same index content
end to end, the same parsed queries; and anything it cannot reproduce falls back to Whoosh's
path."""

from __future__ import annotations

import pickle
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paperbrowse.search.dumps import detect_format, iter_dump_files
from paperbrowse.search.engine import PaperIndex
from paperbrowse.search.engine.analysis import PostingsAnalyzer
from paperbrowse.search.engine.queries import matched_terms
from paperbrowse.search.engine.schema import (
    DEFAULT_FIELDS,
    PAIRED_FIELDS,
    FastText,
    build_schema,
    document,
    pair_field,
    postings_analyzer,
)
from paperbrowse.search.models import Filters, Paper
from whoosh import fields, index
from whoosh.analysis import (
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.analysis.morph import StemFilter

from tests.dumps_paths import DUMPS, needs_dumps, read_split

TEXT_FIELDS = ("title", "title_exact", "abstract", "authors", "keywords")
FAST = build_schema()
STOCK = build_schema(stock=True)


def _same_postings(text: str) -> None:
    for name in TEXT_FIELDS:
        assert list(FAST[name].index(text)) == list(STOCK[name].index(text)), (name, text)


def test_the_schema_uses_the_fast_path_for_every_text_field():
    for name in TEXT_FIELDS:
        assert type(FAST[name]) is FastText
        fast = postings_analyzer(FAST[name])
        assert isinstance(fast, PostingsAnalyzer), name
        # The installed Whoosh's token pattern is one whose words come from a single findall.
        assert fast.one_pass, FAST[name].analyzer.items[0].expression.pattern
        assert type(STOCK[name]) is fields.TEXT
        # Same analyzers and options: only the class differs.
        assert FAST[name] == STOCK[name]
        assert FAST[name].format.field_boost == STOCK[name].format.field_boost


@needs_dumps
def test_every_text_field_of_every_real_dump_gets_the_same_postings():
    kinds: dict[str, int] = {}
    for path in iter_dump_files([DUMPS]):
        fmt = detect_format(path)
        if fmt is None:
            continue
        papers, _ = read_split(path)
        kinds[fmt] = kinds.get(fmt, 0) + len(papers)
        for paper in papers:
            doc = document(paper)
            for name in TEXT_FIELDS:
                got = list(FAST[name].index(doc[name]))
                assert got == list(STOCK[name].index(doc[name])), (path.name, paper.id, name)
    # All four formats, with papers in each: the comparison covered real text of every kind.
    assert set(kinds) == {"arxiv-jsonl", "arxiv-atom", "hf-json", "hf-text"}, kinds
    assert all(kinds.values()), kinds


_WORDS = [
    "the",
    "a",
    "of",
    "and",
    "is",
    "be",
    "it",
    "Transformers",
    "segmenting",
    "segmentation",
    "quantization",
    "don't",
    "rock'n'roll",
    "3.14",
    "v1.2.3",
    "e.g.",
    "U.S.A.",
    "under_score",
    "naïve",
    "café",
    "Ærø",
    "İstanbul",
    "straße",
    "ﬁnite",
    "ΣΊΣΥΦΟΣ",
    "日本語",
    "١٢٣",
    "x",
    "I",
    "42",
    "quant*",
    "*",
    "a*b",
    "**x",
    "x.*y",
    "a" * 300,
    "Generalizations" * 20,
    "SE$(n)$",
    "—",
    "…",
    "\u200b",
    "\t",
    "\n",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=12), max_size=60), st.text(" .,-'"))
def test_arbitrary_text_gets_the_same_postings(words, glue):
    _same_postings((glue or " ").join(words))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_unicode_gets_the_same_postings(text):
    _same_postings(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "the of and a",  # nothing but stop words
        "the cat sat on the mat the cat",  # the first kept word keeps its raw position
        "x y z a b c",  # single letters are below the minimum size
        "Learning learning LEARNING learned learns",  # several positions, one stem
        " ".join(["model"] * 5000),  # a position list longer than the cache
        " ".join(f"w{i}" for i in range(6000)) + " w5999",  # positions past the cache bound
        string.printable,
    ],
)
def test_edge_cases_get_the_same_postings(text):
    _same_postings(text)


def test_other_analyzers_and_values_take_whooshs_own_path():
    unusual = [
        StemmingAnalyzer(ignore={"learning"}),
        StemmingAnalyzer(stoplist=None),  # no StopFilter in the chain
        RegexTokenizer() | LowercaseFilter() | StopFilter(renumber=False),
        RegexTokenizer(r"\s+", gaps=True) | LowercaseFilter() | StopFilter(),
        StandardAnalyzer() | StemFilter(lang="english"),
    ]
    text = "The learning of learned models, e.g. transformers; the end"
    for analyzer in unusual:
        fast, stock = FastText(analyzer=analyzer), fields.TEXT(analyzer=analyzer)
        assert postings_analyzer(fast) is None, analyzer
        assert list(fast.index(text)) == list(stock.index(text))
    # Without positions (phrase=False) the format is another one.
    assert postings_analyzer(FastText(phrase=False)) is None
    # A list of words is Whoosh's pre-tokenised input: handled by Whoosh.
    words = ["Learning", "models"]
    assert list(FAST["title"].index(words)) == list(STOCK["title"].index(words))


def test_a_custom_token_pattern_with_groups_is_matched_whole():
    analyzer = StandardAnalyzer(expression=r"(\w)+(-\w+)?")
    fast, stock = FastText(analyzer=analyzer), fields.TEXT(analyzer=analyzer)
    assert not postings_analyzer(fast).one_pass
    text = "state-of-the-art self-attention re-ranking is all"
    assert list(fast.index(text)) == list(stock.index(text))


def test_the_field_pickles_without_its_cache():
    field = build_schema()["abstract"]
    list(field.index("warm the stem cache"))
    copy = pickle.loads(pickle.dumps(field))
    assert "_postings" not in copy.__dict__
    assert list(copy.index("segmenting images")) == list(
        STOCK["abstract"].index("segmenting images")
    )


def _papers(n: int = 60) -> list[Paper]:
    from datetime import date

    papers = []
    for i in range(n):
        papers.append(
            Paper(
                id=f"p{i}",
                title=f"Segmenting {'graphs' if i % 2 else 'images'} with the transformers {i}",
                abstract=" ".join(
                    ["We study", "quantization" if i % 3 else "learning", "of the", "models"]
                    * (i % 4 + 1)
                ),
                authors=(f"Ada Lovelace{i % 5}", "Alan Turing"),
                published=date(2020 + i % 5, 1 + i % 12, 1),
                kinds=("arxiv-jsonl",),
            )
        )
    return papers


def _content(path) -> tuple:
    """Everything the index holds, decoded: every posting with its weight and encoded value,
    every field length, every stored field."""
    ix = index.open_dir(str(path))
    with ix.reader() as r:
        postings = list(r.iter_postings())
        lengths = [
            (d, f, r.doc_field_length(d, f)) for d in range(r.doc_count_all()) for f in TEXT_FIELDS
        ]
        stored = list(r.all_stored_fields())
    ix.close()
    return postings, lengths, stored


@needs_dumps
def test_the_index_content_is_the_same_as_with_stock_fields(tmp_path):
    papers = _papers()
    papers += read_split(DUMPS / "arxiv-jsonl" / "arxiv-metadata-oai-snapshot_first200.jsonl")[0]
    contents = []
    # The same fields on both sides: the word-pair fields are paperbrowse's own (stock Whoosh
    # has no such analysis; tests/test_phrase_pairs.py checks them against Whoosh's tokens).
    fast = build_schema()
    for name in PAIRED_FIELDS:
        fast.remove(pair_field(name))
    for name, schema in (("fast", fast), ("stock", build_schema(stock=True))):
        path = tmp_path / name
        path.mkdir()
        ix = index.create_in(str(path), schema)
        with ix.writer(compound=False) as w:
            for paper in papers:
                w.add_document(**document(paper, pairs=False))
        ix.close()
        files = {}
        for f in sorted(path.iterdir()):
            if f.name.startswith("MAIN_") and "." in f.name:  # segment files, less their id
                files[f.name.split(".", 1)[1]] = f.read_bytes()
        contents.append((_content(path), files))
    assert contents[0][0] == contents[1][0]
    assert len(contents[0][0][0]) > 10_000
    # Byte for byte, too: the same posting blocks, term table and columns.
    assert contents[0][1].keys() == contents[1][1].keys()
    for name, data in contents[0][1].items():
        assert data == contents[1][1][name], name


def test_queries_parse_to_the_same_terms(tmp_path):
    idx = PaperIndex(tmp_path / "index")
    idx.create()
    stock = PaperIndex(tmp_path / "stock")
    stock.create()
    # An index created by an older paperbrowse holds stock TEXT fields in its table of contents.
    index.create_in(str(stock.path), build_schema(stock=True))
    assert type(stock._open().schema["title"]) is fields.TEXT
    assert type(idx._open().schema["title"]) is FastText
    for text in [
        "Segmenting transformers",
        '"language models"',
        "author:Turing",
        "the models of",
        "naïve café",
    ]:
        mine, theirs = idx.parser().parse(text), stock.parser().parse(text)
        assert repr(mine) == repr(theirs), text
        assert matched_terms(mine, idx.searcher().reader()) == matched_terms(
            theirs, stock.searcher().reader()
        )
    assert set(DEFAULT_FIELDS) <= set(TEXT_FIELDS)
    idx.close()
    stock.close()


def test_an_index_with_stock_fields_is_still_searched_and_written(tmp_path):
    stock = PaperIndex(tmp_path / "index")
    stock.create()
    index.create_in(str(stock.path), build_schema(stock=True))
    papers = _papers(10)
    with stock.writer() as w:
        for paper in papers:
            w.add(paper)
    found = stock.search("segmenting images", Filters(), "relevance", 20)
    assert found.total == 5
    assert {pid for pid, _ in found.first} == {f"p{i}" for i in range(0, 10, 2)}
    stock.close()
