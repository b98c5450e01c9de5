"""Disk trouble: a read-only or full data dir, and a data dir on a path with spaces and Unicode.

Whatever goes wrong, a command prints one clear ``paperbrowse: ...`` line and exits 1 (never a
traceback), and the library and bookmarks are left as they were: once the disk is writable or has
room again, the next ingest completes.

Root ignores file permissions, so when the tests run as root they use a small tmpfs mounted for
the test (and remounted read-only or kept small); without root they use chmod, and the full-disk
cases that need a real small filesystem are skipped (the monkeypatched ones always run).
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from paperbrowse.search.services import build_services

from tests.fixtures_cli import assert_no_traceback, run_cli
from tests.fixtures_dumps import write_jsonl

ROOT = os.geteuid() == 0


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A folder that tests can make read-only (a tmpfs mount point when running as root)."""
    folder = tmp_path / "scratch"
    if ROOT:
        _mount_tmpfs(folder, "64m")
    else:
        folder.mkdir()
    yield folder
    if ROOT:
        _umount(folder)
    else:
        _set_writable(folder, True)


def _set_writable(folder: Path, writable: bool) -> None:
    if ROOT:
        mode = "rw" if writable else "ro"
        subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)
        return
    for root, _dirs, files in os.walk(folder):
        for name in files:
            os.chmod(Path(root) / name, 0o644 if writable else 0o444)
        os.chmod(root, 0o755 if writable else 0o555)


def _assert_one_clear_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_no_traceback(result.stdout, result.stderr)
    lines = [line for line in result.stderr.decode().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("paperbrowse: ")]
    assert errors, lines
    message = errors[-1].lower()
    assert any(w.lower() in message for w in words), result.stderr.decode()
    return message


def _library_state(data: Path) -> tuple[int, int, list]:
    services = build_services(data)
    try:
        state = (
            services.library.count(),
            services.library.search("", limit=None).total,
            services.bookmarks.list(),
        )
    finally:
        services.close()
    for name in ("library.sqlite3", "bookmarks.sqlite3"):
        with closing(sqlite3.connect(data / name)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return state


def _small_library(data: Path, dumps: Path) -> tuple[int, int, list]:
    old = write_jsonl(dumps / "old.jsonl", 0, 50, marker="oldpaper")
    assert run_cli(data, "ingest", str(old)).returncode == 0
    added = run_cli(data, "bookmark", "add", "2101.00001", "--tag", "keep", "--note", "mine")
    assert added.returncode == 0, added.stderr
    return _library_state(data)


# -- paths with spaces and Unicode ---------------------------------------------------------------


def test_data_dir_and_dumps_on_a_path_with_spaces_and_unicode(tmp_path: Path) -> None:
    base = tmp_path / "My Papers (copy) ünïcødé 論文 ☃"
    base.mkdir()
    data = base / "data dir"
    dump = write_jsonl(base / "snap shot ü.jsonl", 0, 20, marker="spacey")
    steps = [
        ("ingest", str(dump)),
        ("search", "spacey"),
        ("search", "spacey", "--json"),
        ("show", "2101.00003"),
        ("stats",),
        ("bookmark", "add", "2101.00003", "--tag", "ünï tag"),
        ("bookmark", "list"),
        ("export", "bibtex", "--output", str(base / "refs ü.bib")),
    ]
    for args in steps:
        result = run_cli(data, *args)
        assert result.returncode == 0, (args, result.stderr.decode())
        assert_no_traceback(result.stdout, result.stderr)
    assert "@misc{" in (base / "refs ü.bib").read_text(encoding="utf-8")
    state = _library_state(data)
    assert state[:2] == (20, 20)
    # A second ingest recognises the unchanged file by its (Unicode) path.
    again = run_cli(data, "ingest", str(dump))
    assert b"1 unchanged" in again.stdout


def test_env_var_data_dir_with_unicode(tmp_path: Path) -> None:
    data = tmp_path / "données ✓"
    dump = write_jsonl(tmp_path / "d.jsonl", 0, 3, marker="envdir")
    result = subprocess.run(
        [sys.executable, "-m", "paperbrowse.tui.cli", "ingest", str(dump)],
        capture_output=True,
        env={**os.environ, "PAPERBROWSE_DATA_DIR": str(data)},
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr.decode()
    assert (data / "library.sqlite3").exists()


# -- read-only ----------------------------------------------------------------------------------


def test_data_dir_that_cannot_be_created(scratch: Path) -> None:
    _set_writable(scratch, False)
    data = scratch / "new library"
    for args in (("search", "x"), ("ingest", str(scratch)), ("bookmark", "list"), ("stats",)):
        result = run_cli(data, *args)
        _assert_one_clear_line(result, "read-only", "permission denied", str(data).lower())
    _set_writable(scratch, True)
    assert not data.exists()


def test_read_only_library_fails_clearly_and_keeps_its_state(scratch: Path) -> None:
    data = scratch / "data"
    before = _small_library(data, scratch)
    new = write_jsonl(scratch / "new.jsonl", 1000, 30, marker="newpaper")
    _set_writable(scratch, False)
    for args in (
        ("ingest", str(new)),
        ("bookmark", "add", "2101.00002"),
        ("search", "oldpaper"),
        ("show", "2101.00001"),
    ):
        result = run_cli(data, *args)
        if result.returncode == 0:  # reading a read-only library is fine too
            assert args[0] in ("search", "show"), args
            continue
        _assert_one_clear_line(result, "read-only", "permission denied", "readonly")
    _set_writable(scratch, True)
    assert _library_state(data) == before
    assert run_cli(data, "ingest", str(new)).returncode == 0
    assert _library_state(data)[:2] == (80, 80)


def test_a_read_only_data_dir_still_reads(scratch: Path) -> None:
    """A read-only data dir refused even ``search`` ("cannot use …: Read-only file system"):
    SQLite must create a WAL index file next to a database to open it. Reading commands now
    work (the files open immutable), and writing ones say the data dir is read-only."""
    data = scratch / "data"
    before = _small_library(data, scratch)
    _set_writable(scratch, False)
    try:
        found = run_cli(data, "search", "oldpaper", "--json", "--limit", "100")
        assert found.returncode == 0, found.stderr
        assert len(json.loads(found.stdout)) == 50
        shown = run_cli(data, "show", "2101.00001", "--json")
        assert json.loads(shown.stdout)["id"] == "2101.00001"
        stats = run_cli(data, "stats", "--json")
        assert json.loads(stats.stdout)["papers"] == 50
        listed = run_cli(data, "bookmark", "list", "--json")
        assert [m["note"] for m in json.loads(listed.stdout)] == ["mine"]
        exported = run_cli(data, "export", "bibtex")
        assert exported.returncode == 0, exported.stderr
        assert exported.stdout.decode().count("@misc{") == 1
        for args in (("bookmark", "add", "2101.00002"), ("ingest", str(scratch / "old.jsonl"))):
            _assert_one_clear_line(run_cli(data, *args), "read-only")
    finally:
        _set_writable(scratch, True)
    assert _library_state(data) == before


# -- full disk: a real small filesystem ----------------------------------------------------------


@pytest.mark.skipif(not ROOT, reason="mounting a small tmpfs needs root")
def test_full_disk_during_ingest_then_recovery(tmp_path: Path) -> None:
    disk = tmp_path / "small disk"
    _mount_tmpfs(disk, "3m")
    try:
        data = disk / "data"
        before = _small_library(data, tmp_path)
        big = write_jsonl(tmp_path / "big.jsonl", 1000, 5000, marker="newpaper")
        result = run_cli(data, "ingest", str(big))
        _assert_one_clear_line(result, "full", "no space left")
        count, total, marks = _library_state(data)
        assert total == before[1] and marks == before[2]
        # The bookmark store refuses cleanly too when there is no room at all.
        filler = disk / "filler"
        # Unbuffered: a buffered file's close would flush what the full disk refused and raise.
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        # With no byte left, SQLite cannot even create the WAL index file a reader needs: the
        # message must say why.
        found = run_cli(data, "search", "oldpaper", "--limit", "3")
        if found.returncode == 0:
            assert b"oldpaper" in found.stdout
        else:
            _assert_one_clear_line(found, "is full")
        tagged = run_cli(data, "bookmark", "add", "2101.00002", "--tag", "x" * 5000)
        if tagged.returncode != 0:
            _assert_one_clear_line(tagged, "full", "no space left")
        filler.unlink()
        subprocess.run(["mount", "-o", "remount,size=200m", str(disk)], check=True)
        again = run_cli(data, "ingest", str(big))
        assert again.returncode == 0, again.stderr.decode()
        count, total, marks = _library_state(data)
        assert (count, total) == (5050, 5050)
        assert marks[-1] == before[2][-1]  # the first bookmark, untouched
    finally:
        _umount(disk)


# -- full disk, simulated: every layer in turn --------------------------------------------------


def _run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from paperbrowse.tui import cli

    monkeypatch.setattr(sys, "argv", ["paperbrowse", *args])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    out, err = capsys.readouterr()
    code = stop.value.code if isinstance(stop.value.code, int) else 1
    return code, out, err


@pytest.mark.parametrize("where", ["read", "index", "index-commit"])
def test_full_disk_simulated_at_each_layer(tmp_path: Path, monkeypatch, capsys, where) -> None:
    import whoosh.writing
    from paperbrowse import search

    data = tmp_path / "data"
    before = _small_library(data, tmp_path)
    new = write_jsonl(tmp_path / "new.jsonl", 1000, 300, marker="newpaper")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "read":
        original = search.records.RecordStore.add_record
        calls = [0]

        def add_record(self, *args):
            calls[0] += 1
            if calls[0] > 100:
                raise sqlite3.OperationalError("database or disk is full")
            return original(self, *args)

        monkeypatch.setattr(search.records.RecordStore, "add_record", add_record)
    elif where == "index":
        monkeypatch.setattr("paperbrowse.search.engine.store.IndexWriter.add", disk_full)
    else:
        monkeypatch.setattr(whoosh.writing.SegmentWriter, "_commit_toc", disk_full)

    code, out, err = _run_main(monkeypatch, capsys, "--data-dir", str(data), "ingest", str(new))
    assert code == 1
    assert_no_traceback(out, err)
    assert "paperbrowse: " in err and ("full" in err or "No space left" in err), err
    monkeypatch.undo()
    count, total, marks = _library_state(data)
    assert total == before[1], "the index shows the old state"
    assert marks == before[2]
    assert run_cli(data, "ingest", str(new)).returncode == 0
    assert _library_state(data)[:2] == (350, 350)


def test_a_full_disk_is_said_in_plain_words_not_sqlites(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    """SQLite rolls a transaction back by itself when the disk fills; the store's own ROLLBACK
    then failed and the user read "library database error: cannot rollback - no transaction
    is active", hiding the reason. Now the message says the disk is full, in plain words."""
    from paperbrowse import search

    data = tmp_path / "data"
    before = _small_library(data, tmp_path)
    new = write_jsonl(tmp_path / "new.jsonl", 1000, 300, marker="newpaper")
    original = search.records.RecordStore.add_record
    calls = [0]

    def add_record(self, db, *args):
        calls[0] += 1
        if calls[0] > 100:
            db.execute("ROLLBACK")  # what SQLite does itself on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
        return original(self, db, *args)

    monkeypatch.setattr(search.records.RecordStore, "add_record", add_record)
    code, out, err = _run_main(monkeypatch, capsys, "--data-dir", str(data), "ingest", str(new))
    assert code == 1
    assert_no_traceback(out, err)
    assert err.splitlines()[-1] == (
        "paperbrowse: the disk holding the library is full: free some space and run it again "
        "(nothing is lost)"
    ), err
    monkeypatch.undo()
    assert _library_state(data) == before
    assert run_cli(data, "ingest", str(new)).returncode == 0
