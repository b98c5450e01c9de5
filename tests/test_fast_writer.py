"""The index writer's codec (``search.engine.whoosh_private.FastW3Codec``) writes exactly what
Whoosh's default codec writes: the same segment files byte for byte (postings, term table,
columns), through a fresh commit, a commit that merges segments, deletions and the two-process
writer; and it falls back to Whoosh's own loop for what it does not reproduce."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import CLEAR

sys.path.insert(0, str(Path(__file__).parents[1]))

from paperbrowse.search.dumps import read_dump  # noqa: E402
from paperbrowse.search.engine import PaperIndex  # noqa: E402
from paperbrowse.search.engine.posting_sort import FastPostingPool  # noqa: E402
from paperbrowse.search.engine.schema import build_schema, document  # noqa: E402
from paperbrowse.search.engine.store import use_fast_pool  # noqa: E402
from paperbrowse.search.engine.whoosh_private import FastW3Codec  # noqa: E402
from paperbrowse.search.models import Filters, Paper  # noqa: E402

from bench.generate import write_dump  # noqa: E402
from tests.dumps_paths import DUMPS  # noqa: E402

#: Whole segments written twice and compared byte for byte, a two-process writer: ~2 minutes.
pytestmark = pytest.mark.slow


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


def _build(path: Path, steps, codec, schema=None, pool_items=None) -> dict[str, bytes]:
    """Run writer ``steps`` (each a function of a Whoosh writer, committed with the merge
    options it returns) on a new index with ``codec`` (None: Whoosh's default); with
    ``pool_items``, the writer's pool is a FastPostingPool holding that many postings in memory
    (the rest goes to run files)."""
    path.mkdir()
    ix = index.create_in(str(path), schema or build_schema())
    for step in steps:
        extra = {} if codec is None else {"codec": codec}
        # Whoosh's own pool never spills to run files here (a limit far above the postings).
        w = ix.writer(compound=False, limitmb=2048, **extra)
        if pool_items is not None:
            use_fast_pool(w)
            w.pool.maxitems = pool_items
        commit = step(w) or {}
        w.commit(**commit)
    ix.close()
    return _segment_files(path)


def _adds(papers, pairs=True):
    def step(w):
        for p in papers:
            w.add_document(**document(p, pairs))

    return step


def _same(tmp_path: Path, steps, schema=None, pool_items=None) -> dict[str, bytes]:
    stock = _build(tmp_path / "stock", steps, None, schema)
    fast = _build(tmp_path / "fast", steps, FastW3Codec(), schema, pool_items)
    assert stock.keys() == fast.keys()
    for name in stock:
        assert stock[name] == fast[name], name
    return fast


@pytest.mark.parametrize("pool_items", [None, 1000, 7777, 10**7])
def test_one_commit_writes_the_same_files(tmp_path, papers, pool_items):
    """Also with the fast pool, keeping everything in memory or spilling to dozens of runs."""
    files = _same(tmp_path, [_adds(papers)], pool_items=pool_items)
    assert any(name.endswith(":pst") for name in files)
    assert any(name.endswith(":trm") for name in files)
    assert sum(len(b) for b in files.values()) > 500_000


@pytest.mark.parametrize("pool_items", [None, 1000, 10**7])
def test_deletions_and_merges_write_the_same_files(tmp_path, papers, pool_items):
    def replace_some(w):
        for p in papers[:50]:
            w.delete_by_term("id", p.id)
            w.add_document(**document(p))

    steps = [
        _adds(papers[:300]),
        _adds(papers[300:400]),  # merges the small first segment (Whoosh's default policy)
        replace_some,
        lambda w: {"optimize": True},  # everything merged into one segment
    ]
    _same(tmp_path, steps, pool_items=pool_items)


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


def _content_by_id(path: Path, pairs: bool = True) -> tuple:
    """Every posting and field length, keyed by paper id (doc numbers differ between a one-
    and a two-process writer); ``pairs=False``: not the word-pair fields' postings."""
    ix = index.open_dir(str(path))
    with ix.searcher() as s:
        postings = set()
        lengths = set()
        for sub, _ in s.leaf_searchers():
            r = sub.reader()
            ids = {d: r.stored_fields(d)["id"] for d in r.all_doc_ids()}
            for field, text, doc, weight, value in r.iter_postings():
                if doc in ids and (pairs or not field.endswith("_pairs")):
                    postings.add((field, text, ids[doc], weight, value))
            for d, pid in ids.items():
                for field in ("title", "abstract", "authors"):
                    lengths.add((pid, field, r.doc_field_length(d, field)))
    ix.close()
    return postings, lengths


def test_the_two_process_writer_indexes_the_same_content(tmp_path, papers, monkeypatch):
    """What an ingest of 20k papers or more uses: two worker processes, one segment each, their
    pools spilling to run files (as they do from ~10k papers each)."""
    # The 1,000-posting minimum:
    monkeypatch.setattr("paperbrowse.search.engine.posting_sort.POSTING_BYTES", 2**40)
    idx = PaperIndex(tmp_path / "mp")
    idx.create()
    with idx.writer(procs=2) as w:
        for p in papers:
            w.add(p)
    idx.close()
    assert len(index.open_dir(str(idx.path))._segments()) >= 1
    stock = tmp_path / "stock"
    _build(stock, [_adds(papers, pairs=False)], None, build_schema(stock=True))
    assert _content_by_id(idx.path, pairs=False) == _content_by_id(stock)
    # And with the word pairs: those of one stock Whoosh writer over the same schema.
    single = tmp_path / "single"
    _build(single, [_adds(papers)], None, build_schema())
    assert _content_by_id(idx.path) == _content_by_id(single)
    assert any(f.endswith("_pairs") for f, *_ in _content_by_id(single)[0])


def test_a_commit_after_clear_and_one_without_documents(tmp_path, papers):
    _same(tmp_path, [_adds(papers[:100]), lambda w: {"mergetype": CLEAR}, lambda w: None])


def test_search_results_are_unchanged(tmp_path, papers):
    stock, fast = PaperIndex(tmp_path / "stock"), PaperIndex(tmp_path / "fast")
    stock.create()
    index.create_in(str(stock.path), build_schema(stock=True))
    fast.create()
    w = index.open_dir(str(stock.path)).writer(compound=False)
    for p in papers:
        w.add_document(**document(p, pairs=False))
    w.commit()
    with fast.writer() as fw:
        for p in papers:
            fw.add(p)
    for text in ["transformers", "learning model", '"neural network"', "author:wang", "quant*"]:
        for sort in ("relevance", "date"):
            a = stock.search(text, Filters(), sort, 50)
            b = fast.search(text, Filters(), sort, 50)
            assert a == b, (text, sort)
    stock.close()
    fast.close()


class _Storage:
    """The temporary storage interface the pool writes its runs through."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def create_file(self, name):
        return _Raw(open(self.root / name, "wb"))  # noqa: SIM115 - closed by the pool

    def open_file(self, name):
        return _Raw(open(self.root / name, "rb"))  # noqa: SIM115 - closed by the pool

    def delete_file(self, name):
        (self.root / name).unlink()


class _Raw:
    def __init__(self, f) -> None:
        self.f = f

    def raw_file(self):
        return self.f


def _postings(n_docs: int, seed: int) -> list[tuple]:
    import random

    rng = random.Random(seed)
    out = []
    for doc in range(n_docs):
        for field in ("abstract", "authors", "title"):
            for term in {f"t{rng.randrange(60)}".encode() for _ in range(rng.randrange(8))}:
                out.append((field, term, doc, rng.choice([1.0, 2.5, 3.0]), b"v%d" % doc))
    return out


@pytest.mark.parametrize("maxitems", [1, 5, 64, 100_000])
@pytest.mark.parametrize("maxfiles", [2, 3, 128])
def test_the_pool_yields_the_postings_sorted(tmp_path, maxitems, maxfiles):
    # A run file per posting (maxitems=1) merged two at a time is hundreds of merge rounds on
    # disk: 40 docs (~400 runs, nine levels of merging) test that as well as 300 did, in 1/8
    # the time.
    postings = _postings(40 if maxitems == 1 else 300, seed=maxitems)
    pool = FastPostingPool(_Storage(tmp_path))
    pool.maxitems = maxitems
    for item in postings:
        pool.add(item)
    assert pool.fieldnames == {"abstract", "authors", "title"}
    assert list(pool.items(maxfiles=maxfiles)) == sorted(postings)
    assert list(tmp_path.iterdir()) == []  # every run file was deleted once read


def test_a_cancelled_pool_leaves_no_run_files(tmp_path):
    pool = FastPostingPool(_Storage(tmp_path))
    pool.maxitems = 10
    for item in _postings(50, seed=1):
        pool.add(item)
    assert len(list(tmp_path.iterdir())) >= 2
    pool.cleanup()
    assert list(tmp_path.iterdir()) == []


def test_the_pool_rejects_a_reduction_to_nothing(tmp_path):
    with pytest.raises(ValueError):
        FastPostingPool(_Storage(tmp_path)).reduce_to(0, 2)
