"""The index writer's codec (``search.index.FastW3Codec``) writes exactly what Whoosh's default
codec writes: the same segment files byte for byte (postings, term table, columns), through a
fresh commit, a commit that merges segments, deletions and the two-process writer; and it falls
back to Whoosh's own loop for what it does not reproduce."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import CLEAR

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.generate import write_dump  # noqa: E402
from search.dumps import read_dump  # noqa: E402
from search.index import FastW3Codec, PaperIndex, _document, _schema  # noqa: E402
from search.models import Filters, Paper  # noqa: E402
from tests.dumps_paths import DUMPS  # noqa: E402


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> list[Paper]:
    dump = write_dump(tmp_path_factory.mktemp("gen") / "a.jsonl", 700, seed=3)
    found = [p for p in read_dump(dump) if isinstance(p, Paper)]
    real = DUMPS / "arxiv-jsonl" / "arxiv-metadata-oai-snapshot_first200.jsonl"
    if real.exists():
        found += [p for p in read_dump(real) if isinstance(p, Paper)]
    # Fields of one word (a length byte of 0 reads back as "no length"), empty fields, and a
    # word in every paper (posting lists of several 128-posting blocks).
    found += [
        Paper(id=f"x{i}", title="Transformers", abstract="" if i % 2 else "x", authors=("Å",))
        for i in range(300)
    ]
    return found


def _segment_files(path: Path) -> dict[str, bytes]:
    """The index's segment files by name without the (random) segment id."""
    out = {}
    for f in sorted(path.iterdir()):
        if f.name.startswith("MAIN_") and "." in f.name:
            segment, rest = f.name.split(".", 1)
            out[f"{len(out)}:{rest}"] = f.read_bytes()
    return out


def _build(path: Path, steps, codec, schema=None) -> dict[str, bytes]:
    """Run writer ``steps`` (each a function of a Whoosh writer, committed with the merge
    options it returns) on a new index with ``codec`` (None: Whoosh's default)."""
    path.mkdir()
    ix = index.create_in(str(path), schema or _schema())
    for step in steps:
        extra = {} if codec is None else {"codec": codec}
        w = ix.writer(compound=False, **extra)
        commit = step(w) or {}
        w.commit(**commit)
    ix.close()
    return _segment_files(path)


def _adds(papers):
    def step(w):
        for p in papers:
            w.add_document(**_document(p))

    return step


def _same(tmp_path: Path, steps, schema=None) -> dict[str, bytes]:
    stock = _build(tmp_path / "stock", steps, None, schema)
    fast = _build(tmp_path / "fast", steps, FastW3Codec(), schema)
    assert stock.keys() == fast.keys()
    for name in stock:
        assert stock[name] == fast[name], name
    return fast


def test_one_commit_writes_the_same_files(tmp_path, papers):
    files = _same(tmp_path, [_adds(papers)])
    assert any(name.endswith(":pst") for name in files)
    assert any(name.endswith(":trm") for name in files)
    assert sum(len(b) for b in files.values()) > 500_000


def test_deletions_and_merges_write_the_same_files(tmp_path, papers):
    def replace_some(w):
        for p in papers[:50]:
            w.delete_by_term("id", p.id)
            w.add_document(**_document(p))

    steps = [
        _adds(papers[:300]),
        _adds(papers[300:400]),  # merges the small first segment (Whoosh's default policy)
        replace_some,
        lambda w: {"optimize": True},  # everything merged into one segment
    ]
    _same(tmp_path, steps)


def test_other_compression_levels_and_block_sizes_write_the_same_files(tmp_path, papers):
    for comp, blocklimit in ((0, 128), (1, 7), (9, 1000)):
        d = tmp_path / f"{comp}-{blocklimit}"
        d.mkdir()
        stock = _build(d / "stock", [_adds(papers[:400])], W3Codec(blocklimit, comp))
        fast = _build(d / "fast", [_adds(papers[:400])], FastW3Codec(blocklimit, comp))
        assert stock == fast


def test_spelling_fields_take_whooshs_own_loop(tmp_path, papers):
    # A stemmed field with spelling adds "docnum -1" postings, which only Whoosh's loop knows.
    schema = fields.Schema(
        id=fields.ID(stored=True), title=fields.TEXT(analyzer=StemmingAnalyzer(), spelling=True)
    )
    assert schema["title"].separate_spelling()

    def step(w):
        for p in papers[:200]:
            w.add_document(id=p.id, title=p.title)

    _same(tmp_path, [step], schema)


def test_the_index_records_whooshs_plain_codec(tmp_path, papers):
    idx = PaperIndex(tmp_path / "index")
    idx.create()
    with idx.writer() as w:
        for p in papers[:20]:
            w.add(p)
    ix = index.open_dir(str(idx.path))
    assert [type(s.codec()) for s in ix._segments()] == [W3Codec]
    ix.close()
    idx.close()


def _content_by_id(path: Path) -> tuple:
    """Every posting and field length, keyed by paper id (doc numbers differ between a one-
    and a two-process writer)."""
    ix = index.open_dir(str(path))
    with ix.searcher() as s:
        postings = set()
        lengths = set()
        for sub, _ in s.leaf_searchers():
            r = sub.reader()
            ids = {d: r.stored_fields(d)["id"] for d in r.all_doc_ids()}
            for field, text, doc, weight, value in r.iter_postings():
                if doc in ids:
                    postings.add((field, text, ids[doc], weight, value))
            for d, pid in ids.items():
                for field in ("title", "abstract", "authors"):
                    lengths.add((pid, field, r.doc_field_length(d, field)))
    ix.close()
    return postings, lengths


def test_the_two_process_writer_indexes_the_same_content(tmp_path, papers):
    """What an ingest of 20k papers or more uses: two worker processes, one segment each."""
    idx = PaperIndex(tmp_path / "mp")
    idx.create()
    with idx.writer(procs=2) as w:
        for p in papers:
            w.add(p)
    idx.close()
    assert len(index.open_dir(str(idx.path))._segments()) >= 1
    stock = tmp_path / "stock"
    _build(stock, [_adds(papers)], None, _schema(stock=True))
    assert _content_by_id(idx.path) == _content_by_id(stock)


def test_a_commit_after_clear_and_one_without_documents(tmp_path, papers):
    _same(tmp_path, [_adds(papers[:100]), lambda w: {"mergetype": CLEAR}, lambda w: None])


def test_search_results_are_unchanged(tmp_path, papers):
    stock, fast = PaperIndex(tmp_path / "stock"), PaperIndex(tmp_path / "fast")
    stock.create()
    index.create_in(str(stock.path), _schema(stock=True))
    fast.create()
    w = index.open_dir(str(stock.path)).writer(compound=False)
    for p in papers:
        w.add_document(**_document(p))
    w.commit()
    with fast.writer() as fw:
        for p in papers:
            fw.add(p)
    for text in ["transformers", "learning model", '"neural network"', "author:wang", "quant*"]:
        for sort in ("relevance", "date"):
            a = stock.search(stock.parse(text), Filters(), sort, 50)
            b = fast.search(fast.parse(text), Filters(), sort, 50)
            assert a[0] == b[0] and a[1] == b[1], (text, sort)
            assert list(a[2]) == list(b[2])
    stock.close()
    fast.close()
