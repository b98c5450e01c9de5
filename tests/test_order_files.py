"""The order of every paper, kept beside the index for the next process (search/engine/
order_files.py): read back only for the exact index state it was made for, the same list as
made afresh, and never a reason for a search to fail (damaged files, read-only folders)."""

from __future__ import annotations

import errno
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from paperbrowse.search.engine import cache as cache_module  # noqa: E402
from paperbrowse.search.engine import order_files  # noqa: E402
from paperbrowse.search.library import Library  # noqa: E402
from paperbrowse.search.paths import Locations  # noqa: E402

from bench.generate import write_dump  # noqa: E402
from tests.fixtures_dumps import segmented_library  # noqa: E402

SORTS = ["relevance", "date", "upvotes", "featured", "rising"]


def _every(lib: Library, sort: str) -> list[str]:
    return list(lib.search("", sort=sort, limit=None).ids)


def _made_afresh(lib: Library, sort: str, monkeypatch) -> list[str]:
    """The list without any saved order (the folder hidden from the cache for this call)."""
    with monkeypatch.context() as m:
        m.setattr(order_files, "load", lambda *a: None)
        m.setattr(order_files, "save", lambda *a: None)
        lib.index.close()
        return _every(lib, sort)


def _orders(lib: Library) -> list[Path]:
    order_files.wait_saved()  # written on a thread of their own
    return sorted((lib.index.path / order_files.FOLDER).glob("*.order"))


@pytest.fixture
def library(tmp_path) -> Library:
    lib = segmented_library(tmp_path, seed=11)
    yield lib
    lib.close()


def test_the_next_process_reads_the_order_back(library: Library, monkeypatch) -> None:
    assert library.index.searcher().reader().has_deletions()
    expected = {sort: _made_afresh(library, sort, monkeypatch) for sort in SORTS}
    library.index.close()
    for sort in SORTS:
        assert _every(library, sort) == expected[sort], sort  # made here, then saved
    assert {p.name.split("-")[0] for p in _orders(library)} == {
        "date",
        "upvotes",
        "featured",
        "rising",
    }
    # A new searcher (as a new process would open): the orders come from the files.
    library.index.close()

    def no_keys(self, key):
        raise AssertionError("the order was made again")

    monkeypatch.setattr(cache_module.SearcherCache, "sort_keys", no_keys)
    for sort in SORTS:
        assert _every(library, sort) == expected[sort], sort
        first = library.search("", sort=sort, limit=20)
        assert [h.paper.id for h in first.hits] == expected[sort][:20]


def test_an_ingest_makes_the_saved_order_stale(library: Library, tmp_path, monkeypatch) -> None:
    before = _every(library, "date")
    old = _orders(library)
    assert len(old) == 1
    library.ingest([write_dump(tmp_path / "c.jsonl", 400, seed=99)])  # ids past the 320 held
    after = _every(library, "date")
    assert len(after) > len(before)
    assert after == _made_afresh(library, "date", monkeypatch)
    library.index.close()
    assert _every(library, "date") == after
    assert len(_orders(library)) == 1 and _orders(library) != old  # the stale one was dropped


def test_a_rebuilt_index_never_reads_the_old_order(library: Library, monkeypatch) -> None:
    _every(library, "upvotes")
    library.reindex()  # generation numbers start again, segment names are new
    assert _every(library, "upvotes") == _made_afresh(library, "upvotes", monkeypatch)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:7],  # shorter than the header
        lambda b: b"XXXXXXXX" + b[8:],  # not the magic
        lambda b: b[: len(b) // 2],  # cut in the doc numbers or the ids
        lambda b: b[:-1],  # the last id's newline missing
        lambda b: b + b"extra\n",  # one id too many
        lambda b: b[:24] + bytes([b[24] ^ 1]) + b[25:],  # a doc number changed, layout whole
        lambda b: b[:-3] + bytes([b[-3] ^ 1]) + b[-2:],  # an id changed, layout whole
        lambda b: b[: len(b) - 5] + b"\xff\xfe\xfd\xfc\n",  # not UTF-8
        lambda b: b"",
    ],
)
def test_a_damaged_order_file_is_made_again(library: Library, damage, monkeypatch) -> None:
    expected = _every(library, "date")
    first = [h.paper.id for h in library.search("", sort="date", limit=20).hits]
    (path,) = _orders(library)
    state = path.name.split("-", 1)[1].removesuffix(".order")
    assert order_files.load(library.index.path, "date", state) is not None
    path.write_bytes(damage(path.read_bytes()))
    assert order_files.load(library.index.path, "date", state) is None
    library.index.close()
    assert _every(library, "date") == expected
    assert [h.paper.id for h in library.search("", sort="date", limit=20).hits] == first
    order_files.wait_saved()
    assert order_files.load(library.index.path, "date", state) is not None  # made again


@pytest.mark.parametrize("blocked", ["the write refused (read-only disk)", "a file as the folder"])
def test_a_folder_that_cannot_be_written_is_left_alone(library: Library, blocked, monkeypatch):
    expected = _made_afresh(library, "date", monkeypatch)
    index_dir = library.index.path
    order_files.wait_saved()
    shutil.rmtree(index_dir / order_files.FOLDER, ignore_errors=True)  # the ingest's
    if blocked == "a file as the folder":
        (index_dir / order_files.FOLDER).write_text("not a folder")
    else:
        # A read-only file system refuses the write whoever asks (chmod would not stop root).
        def refuse(path, data, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system", str(path))

        monkeypatch.setattr(order_files, "write_bytes_atomically", refuse)
    order_files.save(index_dir, "date", "any", [0], ["2401.00001"])  # refused: no exception
    library.index.close()
    assert _every(library, "date") == expected
    assert _orders(library) == []
    library.index.close()
    assert _every(library, "date") == expected  # and again, made afresh


def test_an_id_that_is_not_one_line_is_not_saved(tmp_path) -> None:
    order_files.save(tmp_path, "date", "s", [0, 1], ["2401.00001", "bad\nid"])
    assert not (tmp_path / order_files.FOLDER).exists() or not list(
        (tmp_path / order_files.FOLDER).iterdir()
    )
    order_files.save(tmp_path, "date", "s", [1, 0], ["2401.00002", "ünïcode"])
    assert order_files.load(tmp_path, "date", "s") == ([1, 0], ["2401.00002", "ünïcode"])
    assert order_files.load(tmp_path, "date", "other") is None


def test_an_empty_library_saves_and_reads_an_empty_order(tmp_path) -> None:
    lib = Library(Locations.resolve(tmp_path / "data"))
    try:
        assert _every(lib, "date") == []
    finally:
        lib.close()


def test_an_ingest_keeps_the_first_screen_for_the_next_start(tmp_path, monkeypatch) -> None:
    """The app's first screen (every paper, newest first) is made by the ingest, so that the
    next start reads it (at 1M papers the first start after each day's ingest made it: 1.3 s),
    and an ingest that changes nothing makes nothing."""
    lib = Library(Locations.resolve(tmp_path / "data"))
    try:
        lib.ingest([write_dump(tmp_path / "a.jsonl", 120, seed=4)])
        (made,) = _orders(lib)
        assert made.name.startswith("date-")
        expected = _made_afresh(lib, "relevance", monkeypatch)
        lib.index.close()

        def no_keys(self, key):
            raise AssertionError("the order was made again")

        with monkeypatch.context() as m:
            m.setattr(cache_module.SearcherCache, "sort_keys", no_keys)
            assert _every(lib, "relevance") == expected
            before = made.stat().st_mtime_ns
            lib.ingest([tmp_path / "a.jsonl"])  # unchanged: skipped, the order still current
        assert _orders(lib) == [made] and made.stat().st_mtime_ns == before
    finally:
        lib.close()
