"""Kill -9 during ingest, at every phase: nothing is lost and the next ingest just works.

Each test ingests a generated arXiv snapshot dump in a subprocess that stops itself at a chosen
point (the pause is patched in by the driver script below, in the child only: the library has no
test hooks), announces it on stdout, and is then SIGKILLed. Afterwards, in this process:

* the library and its index open, and a search sees either the old or the new index state;
* the bookmarks are exactly as before (and their SQLite file passes an integrity check);
* a plain ``ingest`` of the same dump completes and leaves every paper indexed exactly once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest
from paperbrowse.search.lock import IngestLock, IngestRunning
from paperbrowse.search.services import build_services

from tests.fixtures_cli import REPO, child_env, run_cli, wait_for_line
from tests.fixtures_dumps import write_jsonl

#: Subprocess ingests killed at every phase, then ingested again: ~1 minute.
pytestmark = pytest.mark.slow

#: Papers in the library before the killed ingest, and in the dump it reads.
OLD, NEW = 150, 2400

DRIVER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    data_dir, dump, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode.startswith("mp-"):
        # Whoosh's multiprocess writer (from 20k papers in real use) for this small dump.
        import paperbrowse.search.library
        paperbrowse.search.library.MULTIPROCESS_FROM = 1000
        mode = mode[3:]

    def pause(what):
        print("PAUSE", what, flush=True)
        time.sleep(600)  # the test kills us here

    import paperbrowse.search.records as records
    import whoosh.index
    import whoosh.writing

    if mode == "parse-mid-transaction":
        # Inside the record store's second write transaction (the first 2000 records committed).
        original = records.RecordStore.add_record
        calls = [0]
        def add_record(self, db, file_id, seq, record):
            calls[0] += 1
            if calls[0] == 2200:
                pause("parse")
            return original(self, db, file_id, seq, record)
        records.RecordStore.add_record = add_record
    elif mode == "segment-written":
        # The new segment is on disk, the table of contents that would publish it is not.
        original_toc = whoosh.writing.SegmentWriter._commit_toc
        def commit_toc(self, segments):
            pause("segment")
            return original_toc(self, segments)
        whoosh.writing.SegmentWriter._commit_toc = commit_toc
    elif mode == "toc-written":
        # The index committed, but old files are not cleaned and the store was not told.
        original_write = whoosh.index.TOC.write
        def write(self, storage, indexname):
            original_write(self, storage, indexname)
            pause("toc")
        whoosh.index.TOC.write = write
    elif mode == "before-unflag":
        original_mark = records.RecordStore.mark_indexed
        def mark_indexed(self, ids):
            pause("unflag")
        records.RecordStore.mark_indexed = mark_indexed

    from paperbrowse.search.services import build_services

    services = build_services(data_dir)

    def progress(phase, done, total):
        print("PROGRESS", phase, done, total, flush=True)
        if mode == "parse-between-batches" and phase == "read" and done >= 2000:
            pause("read")
        if mode == "index-mid-write" and phase == "index" and done >= 1000:
            pause("index")

    services.library.ingest([dump], progress=progress)
    print("DONE", flush=True)
    """
)


@pytest.fixture
def old_library(tmp_path: Path):
    """A data dir holding OLD papers and two bookmarks; returns (data dir, bookmarks before)."""
    data = tmp_path / "data"
    old = write_jsonl(tmp_path / "old.jsonl", 0, OLD, marker="oldpaper")
    services = build_services(data)
    services.library.ingest([old])
    papers = services.library.search("", limit=2).hits
    services.bookmarks.add(papers[0].paper, tags=["keep"], note="precious note")
    services.bookmarks.add(papers[1].paper)
    before = services.bookmarks.list()
    services.close()
    return data, before


def _kill_at(tmp_path: Path, data: Path, dump: Path, mode: str) -> None:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data), str(dump), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
    )
    try:
        wait_for_line(proc, "PAUSE", timeout=120)
    except AssertionError:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(
            f"driver never reached {mode}: {err.decode(errors='replace')}"
        ) from None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _check_consistent(data: Path, bookmarks_before, allowed_totals: set[int]) -> None:
    services = build_services(data)
    try:
        lib = services.library
        everything = lib.search("", limit=None)
        assert everything.total in allowed_totals
        ids = list(everything.ids)
        assert len(ids) == len(set(ids)), "a paper is in the index twice"
        # Every hit the index returns can be shown.
        assert len(lib.get_many(ids)) == len(ids)
        assert lib.search("oldpaper", limit=None).total == OLD
        assert services.bookmarks.list() == bookmarks_before
    finally:
        services.close()
    for name in ("library.sqlite3", "bookmarks.sqlite3"):
        with closing(sqlite3.connect(data / name)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _check_next_ingest_completes(
    data: Path, dump: Path, bookmarks_before, *, cli: bool = False
) -> None:
    if cli:
        result = run_cli(data, "ingest", str(dump))
        assert result.returncode == 0, result.stderr.decode()
    services = build_services(data)
    try:
        lib = services.library
        if not cli:
            report = lib.ingest([dump])
            assert not report.failed
        assert lib.count() == OLD + NEW
        assert lib.stats()["pending_index"] == 0
        everything = lib.search("", limit=None)
        assert everything.total == OLD + NEW
        assert len(set(everything.ids)) == OLD + NEW
        assert lib.index.doc_count() == OLD + NEW, "stale or duplicate documents in the index"
        assert lib.search("newpaper", limit=None).total == NEW
        assert services.bookmarks.list() == bookmarks_before
    finally:
        services.close()


@pytest.mark.parametrize(
    ("mode", "index_after_kill"),
    [
        ("parse-mid-transaction", "old"),
        ("parse-between-batches", "old"),
        ("index-mid-write", "old"),
        ("segment-written", "old"),
        ("toc-written", "new"),
        ("before-unflag", "new"),
    ],
)
def test_kill_during_ingest_keeps_old_or_new_state(
    tmp_path: Path, old_library, mode: str, index_after_kill: str
) -> None:
    data, bookmarks_before = old_library
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, NEW, marker="newpaper")
    _kill_at(tmp_path, data, dump, mode)
    allowed = {OLD} if index_after_kill == "old" else {OLD + NEW}
    _check_consistent(data, bookmarks_before, allowed)
    _check_next_ingest_completes(data, dump, bookmarks_before)


@pytest.mark.parametrize(
    "mode", ["parse-mid-transaction", "parse-between-batches", "index-mid-write", "toc-written"]
)
def test_kill_while_reading_on_a_grown_snapshot(tmp_path: Path, old_library, mode: str) -> None:
    """The library's own dump grew by NEW papers at its end: the ingest reads on from where the
    file ended (issue #18). Killed there, the old state stays (or the new one, once the index
    committed) and the next ingest, reading the incomplete file whole, completes it."""
    data, bookmarks_before = old_library
    dump = tmp_path / "old.jsonl"
    tail = write_jsonl(tmp_path / "tail.jsonl", 10_000, NEW, marker="newpaper")
    with open(dump, "ab") as f:
        f.write(tail.read_bytes())
    _kill_at(tmp_path, data, dump, mode)
    _check_consistent(data, bookmarks_before, {OLD + NEW} if mode == "toc-written" else {OLD})
    _check_next_ingest_completes(data, dump, bookmarks_before)


@pytest.mark.parametrize("mode", ["mp-index-mid-write", "mp-segment-written"])
def test_kill_during_a_multiprocess_index_write_leaves_no_workers_behind(
    tmp_path: Path, old_library, mode: str
) -> None:
    """Whoosh's writer processes die with the killed ingest: they held its locks (the next
    ingest said another one was running) and went on burning CPU."""
    data, bookmarks_before = old_library
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, NEW, marker="newpaper")
    driver = tmp_path / "driver.py"
    _kill_at(tmp_path, data, dump, mode)
    deadline = time.monotonic() + 15
    while _processes_running(driver) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_running(driver), "writer processes outlived the killed ingest"
    _check_consistent(data, bookmarks_before, {OLD})
    _check_next_ingest_completes(data, dump, bookmarks_before, cli=True)


def test_ctrl_c_during_a_multiprocess_index_write_stops_cleanly(
    tmp_path: Path, old_library
) -> None:
    """Ctrl-C in a terminal interrupts the whole process group, Whoosh's writer processes too.
    Those died of it and the ingest then waited for them forever; now they leave it to the
    ingest, which says at once that it is saving, keeps what was indexed and exits 130."""
    data, bookmarks_before = old_library
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, NEW, marker="newpaper")
    script = tmp_path / "cli.py"
    # The real entry point; only the size from which the multiprocess writer is used is lowered.
    script.write_text(
        "import sys\n"
        "import paperbrowse.search.library\n"
        "paperbrowse.search.library.MULTIPROCESS_FROM = 1000\n"
        "from paperbrowse.tui.cli import main\n"
        "sys.argv[0] = 'paperbrowse'\n"
        "main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, str(script), "--data-dir", str(data), "ingest", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        deadline = time.monotonic() + 120
        while len(_processes_running(script)) < 3:  # the ingest and its two writer processes
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the multiprocess writer never started"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert "paperbrowse: stopping: keeping what is read and indexed so far" in text
    assert text.rstrip().endswith("the same ingest again finishes the job")
    assert not _processes_running(script)
    _check_next_ingest_completes(data, dump, bookmarks_before, cli=True)


#: Driver for the Ctrl-C race: the real entry point, with a hook in multiprocessing (not in
#: paperbrowse) that holds each forked writer process at the start of its bootstrap, where it
#: says it is ready; after forking the first one the parent waits for that, sends Ctrl-C to the
#: process group and lets the workers go on. That is the window the race needs (a worker
#: forked and past the fork's own bookkeeping, its code not yet running), reached every time.
RACE_DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    import multiprocessing.process as process
    import multiprocessing.util as util
    import paperbrowse.search.library

    paperbrowse.search.library.MULTIPROCESS_FROM = 50
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    real_close_stdin, real_start = util._close_stdin, process.BaseProcess.start

    def held_close_stdin():  # the child's first step in BaseProcess._bootstrap
        os.write(ready_w, b"r")
        os.read(go_r, 1)
        real_close_stdin()

    def start_then_interrupt(self):
        real_start(self)
        if not sent:
            sent.append(True)
            try:
                os.read(ready_r, 1)
                os.killpg(0, signal.SIGINT)
            finally:
                os.write(go_w, b"go" * 32)  # let every held worker go on

    sent = []
    util._close_stdin = held_close_stdin
    process.BaseProcess.start = start_then_interrupt
    from paperbrowse.tui.cli import main

    sys.argv[0] = "paperbrowse"
    main()
    """
)


#: Driver for the other window of the race, found by the test above under load: Ctrl-C while
#: the ingest is inside the fork itself, with another thread alive (as the writer's queue
#: feeder thread is). The signal goes to that thread, and the interpreter runs the handler at
#: its next check: inside a fork callback (logging's lock release), where the KeyboardInterrupt
#: is printed as "Exception ignored" and lost: the ingest said "stopping" and went on. The
#: hook sends Ctrl-C from a fork callback of its own and lets the interpreter check right there.
FORK_DRIVER = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    import paperbrowse.search.library

    paperbrowse.search.library.MULTIPROCESS_FROM = 50
    # A thread that does not block SIGINT, as the multiprocessing queue's feeder thread.
    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    sent = []

    def check_here():
        pass  # entering a Python function: the interpreter runs pending signal handlers

    def interrupt_inside_the_fork():
        if not sent:
            sent.append(True)
            os.killpg(0, signal.SIGINT)
            time.sleep(0.05)  # the signal lands (on the other thread)
            check_here()

    os.register_at_fork(after_in_parent=interrupt_inside_the_fork)
    from paperbrowse.tui.cli import main

    sys.argv[0] = "paperbrowse"
    main()
    """
)


@pytest.mark.parametrize("driver", ["worker-bootstrap", "inside-the-fork"])
@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_right_after_a_writer_process_is_forked_stops_cleanly(
    tmp_path: Path, attempt: int, driver: str
) -> None:
    """The race of the test above, reproduced instead of hoped for: Ctrl-C between the fork of
    a writer process and its first line of code killed it with a traceback from
    multiprocessing's bootstrap (KeyboardInterrupt in multiprocessing/process.py), and the
    ingest then waited for it. Workers are now forked with SIGINT blocked and ignore it."""
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000 * attempt, 300, marker="racepaper")
    script = tmp_path / "race.py"
    script.write_text(RACE_DRIVER if driver == "worker-bootstrap" else FORK_DRIVER)
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, str(script), "--data-dir", str(data), "ingest", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert "paperbrowse: stopping: keeping what is read and indexed so far" in text
    assert text.rstrip().endswith("the same ingest again finishes the job")
    assert not _processes_running(script)
    again = run_cli(data, "ingest", str(dump))
    assert again.returncode == 0, again.stderr.decode()
    with closing(build_services(data)) as services:
        assert services.library.stats()["pending_index"] == 0
        assert services.library.search("racepaper", limit=None).total == 300


def _processes_running(script: Path) -> list[int]:
    """Pids of live processes running ``script`` (a killed driver's forked workers)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(script).encode() in cmdline and state != "Z":
            pids.append(int(proc.name))
    return pids


def test_kill_during_cli_ingest_on_observed_state(tmp_path: Path, old_library) -> None:
    """The real command, killed as soon as it has committed part of the dump to the store."""
    data, bookmarks_before = old_library
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, NEW, marker="newpaper")
    proc = subprocess.Popen(
        [sys.executable, "-m", "paperbrowse.tui.cli", "--data-dir", str(data), "ingest", str(dump)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
        cwd=REPO,
    )
    try:
        db = sqlite3.connect(data / "library.sqlite3", timeout=30)
        import time

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            (n,) = db.execute("SELECT COUNT(*) FROM papers").fetchone()
            if n > OLD:
                break
            time.sleep(0.02)
        db.close()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    _check_consistent(data, bookmarks_before, {OLD, OLD + NEW})
    _check_next_ingest_completes(data, dump, bookmarks_before, cli=True)


def test_index_write_lock_is_kept_while_its_owner_lives_and_freed_when_it_dies(
    tmp_path: Path, old_library
) -> None:
    """Whoosh's write lock is an flock too: never stolen from a live writer, never stale."""
    from whoosh.index import LockError, open_dir

    data, _ = old_library
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from paperbrowse.search.services import build_services\n"
            "services = build_services(sys.argv[1])\n"
            "with services.library.index.writer():\n"
            "    print('HELD', flush=True); time.sleep(600)\n",
            str(data),
        ],
        stdout=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
    )
    ix = open_dir(str(data / "index"))
    try:
        wait_for_line(holder, "HELD", timeout=60)
        with pytest.raises(LockError):
            ix.writer(timeout=0.5)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    writer = ix.writer(timeout=5)  # the dead owner's lock file is still there, and free
    writer.cancel()
    ix.close()


def test_lock_of_a_killed_ingest_is_not_stale(tmp_path: Path) -> None:
    """The ingest lock (flock) is held while its owner lives and free the moment it dies."""
    lock_file = tmp_path / "ingest.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from paperbrowse.search.lock import IngestLock\n"
            "with IngestLock(__import__('pathlib').Path(sys.argv[1])):\n"
            "    print('HELD', flush=True); time.sleep(600)\n",
            str(lock_file),
        ],
        stdout=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
    )
    try:
        wait_for_line(holder, "HELD", timeout=60)
        with pytest.raises(IngestRunning, match=f"pid {holder.pid}"):
            with IngestLock(lock_file, wait=0.3):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    assert lock_file.exists()  # left behind by the dead owner ...
    with IngestLock(lock_file):  # ... and taken at once: flock died with its process
        pass
