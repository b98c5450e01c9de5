"""A grown arXiv snapshot (papers added at its end) is read on from where it ended last time,
with the same library as reading it whole; any other change is read whole (issue #18)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import paperbrowse.search.dumps as dumps_package
import pytest
from paperbrowse.search.library import Library
from paperbrowse.search.paths import Locations

from tests.fixtures_dumps import jsonl_record, write_jsonl


@pytest.fixture
def whole_reads(monkeypatch) -> list[str]:
    """The files read from their start (by read_dump) during the test."""
    seen: list[str] = []
    real = dumps_package.read_dump

    def spy(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(dumps_package, "read_dump", spy)
    return seen


def _append(path: Path, lines: list[str]) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)


def _library(root: Path) -> Library:
    return Library(Locations.resolve(root))


def _state(lib: Library) -> tuple:
    """What a user can see of the library: every paper, in the index's order, and a search."""
    everything = lib.search("", limit=None)
    papers = lib.get_many(list(everything.ids))
    return (
        everything.total,
        sorted(everything.ids),
        sorted((p.id, p.title, p.abstract, p.sources) for p in papers),
        lib.search("growncase", limit=None).total,
        lib.stats()["pending_index"],
    )


def _fresh_state(tmp_path: Path, dump: Path) -> tuple:
    lib = _library(tmp_path / "fresh")
    try:
        lib.ingest([dump])
        return _state(lib)
    finally:
        lib.close()


def test_a_grown_snapshot_reads_only_its_new_lines(tmp_path: Path, whole_reads) -> None:
    dump = write_jsonl(tmp_path / "snap.jsonl", 0, 40)
    lib = _library(tmp_path / "data")
    try:
        lib.ingest([dump])
        assert whole_reads == ["snap.jsonl"]
        new = [json.dumps(jsonl_record(i, marker="growncase")) for i in range(40, 45)]
        # A paper of the first part again, edited: merged as a whole read merges it.
        again = jsonl_record(3, marker="growncase")
        again["title"] = "An updated title"
        _append(dump, [*new, json.dumps(again)])
        report = lib.ingest([dump])
        assert whole_reads == ["snap.jsonl"]  # not read from the start again
        # (The updated paper was met earlier in the file: not counted twice, as in a full read.)
        assert (report.papers_read, report.papers_new) == (6, 5)
        state = _state(lib)
    finally:
        lib.close()
    assert state == _fresh_state(tmp_path, dump)
    assert state[0] == 45


def test_problems_in_the_new_lines_name_the_files_line(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "snap.jsonl", 0, 10)
    lib = _library(tmp_path / "data")
    try:
        lib.ingest([dump])
        _append(dump, [json.dumps(jsonl_record(10)), "{not json", json.dumps(jsonl_record(11))])
        report = lib.ingest([dump])
        assert [p.line for p in report.problems] == [12]
        assert lib.count() == 12
    finally:
        lib.close()


@pytest.mark.parametrize("change", ["first line edited", "last line without newline grew"])
def test_a_file_that_did_not_only_grow_is_read_whole(
    tmp_path: Path, whole_reads, change: str
) -> None:
    dump = write_jsonl(tmp_path / "snap.jsonl", 0, 20)
    if change == "last line without newline grew":
        dump.write_bytes(dump.read_bytes().rstrip(b"\n"))
    lib = _library(tmp_path / "data")
    try:
        lib.ingest([dump])
        if change == "first line edited":
            text = dump.read_text(encoding="utf-8")
            first = json.loads(text.splitlines()[0])
            first["title"] = "growncase " + first["title"]
            text = json.dumps(first) + "\n" + text.split("\n", 1)[1]
            dump.write_text(text, encoding="utf-8")
            _append(dump, [json.dumps(jsonl_record(20))])
        else:
            # The old last line is extended: its record changed, it is not a new line.
            with open(dump, "a", encoding="utf-8") as f:
                f.write(" \n" + json.dumps(jsonl_record(20, marker="growncase")) + "\n")
        lib.ingest([dump])
        assert whole_reads == ["snap.jsonl", "snap.jsonl"]
        state = _state(lib)
    finally:
        lib.close()
    assert state == _fresh_state(tmp_path, dump)
    assert state[0] == 21


def test_a_grown_snapshot_whose_last_read_failed_is_read_whole(tmp_path: Path, whole_reads) -> None:
    """An incomplete file (an ingest killed while reading it) is never read on from."""
    dump = write_jsonl(tmp_path / "snap.jsonl", 0, 20)
    lib = _library(tmp_path / "data")
    try:
        lib.ingest([dump])
        with lib.records.transaction() as db:
            db.execute("UPDATE files SET complete=0")
        _append(dump, [json.dumps(jsonl_record(20))])
        os.utime(dump)
        lib.ingest([dump])
        assert whole_reads == ["snap.jsonl", "snap.jsonl"]
        assert lib.count() == 21
    finally:
        lib.close()


def test_an_index_written_under_old_module_names_is_rebuilt(tmp_path: Path) -> None:
    """Whoosh pickles the schema, class names and all, into the index's table of contents: an
    index from before the package rename (``search.engine…``) must be rebuilt from the records,
    not raise ModuleNotFoundError on every search."""
    dump = write_jsonl(tmp_path / "snap.jsonl", 0, 12, marker="growncase")
    lib = _library(tmp_path / "data")
    lib.ingest([dump])
    lib.close()
    tocs = list((tmp_path / "data" / "index").glob("*.toc"))
    assert tocs
    for toc in tocs:
        data = toc.read_bytes()
        assert b"paperbrowse.search" in data
        # Same length, so the pickle stays well-formed: only the module is missing.
        toc.write_bytes(data.replace(b"paperbrowse.search", b"nosuchpackage.gone"))
    lib = _library(tmp_path / "data")
    try:
        assert lib.search("growncase", limit=None).total == 12
    finally:
        lib.close()


def test_blank_lines_added_to_a_snapshot_are_no_problem(tmp_path: Path, whole_reads) -> None:
    dump = write_jsonl(tmp_path / "snap.jsonl", 0, 10)
    lib = _library(tmp_path / "data")
    try:
        lib.ingest([dump])
        with open(dump, "a", encoding="utf-8") as f:
            f.write("\n \n")
        report = lib.ingest([dump])
        assert whole_reads == ["snap.jsonl"]
        assert report.problems == [] and not report.failed
        assert lib.count() == 10
    finally:
        lib.close()
