"""Concurrent use: a reader (the TUI) open while ``paperbrowse ingest`` runs, two ingests at once,
and bookmark writes from two processes at the same moment.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from paperbrowse.search.services import build_services

from tests.fixtures_cli import (
    REPO,
    assert_no_traceback,
    child_env,
    cli_args,
    run_cli,
    wait_for_line,
)
from tests.fixtures_dumps import write_jsonl

OLD, NEW = 120, 3000


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    services = build_services(data)
    services.library.ingest([write_jsonl(tmp_path / "old.jsonl", 0, OLD, marker="oldpaper")])
    services.close()
    return data


def _start_ingest(data: Path, *paths: Path, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    return subprocess.Popen(
        cli_args(data, "ingest", *extra, *map(str, paths)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
    )


def _wait_until_holding_lock(data: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """The ingest lock file names its holder once the flock is taken."""
    lock = data / "ingest.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("ingest ended before it was seen holding the lock")
        try:
            if lock.read_text().strip() == str(proc.pid):
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise AssertionError("ingest never took the lock")


@pytest.mark.parametrize("rebuild", [False, True], ids=["ingest", "rebuild"])
def test_reader_keeps_working_while_ingest_runs(
    tmp_path: Path, library_dir: Path, rebuild: bool
) -> None:
    """A long-lived Library (what the TUI holds) searches in a loop while another process
    ingests: no exception ever, and the new generation and papers show up once it commits."""
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, NEW, marker="newpaper")
    services = build_services(library_dir)
    lib = services.library
    try:
        generation = lib.generation()
        extra = ("--rebuild",) if rebuild else ()
        paths = (tmp_path / "old.jsonl", dump) if rebuild else (dump,)
        proc = _start_ingest(library_dir, *paths, extra=extra)
        rounds = 0
        seen_totals = set()
        while proc.poll() is None or rounds < 3:
            rounds += 1
            result = lib.search("newpaper OR oldpaper", limit=20, snippets=True)
            seen_totals.add(result.total)
            # Every hit a reader gets can be shown, even mid-ingest.
            assert all(h.paper.title for h in result.hits)
            lib.search("", sort="date", limit=50)
            lib.get_many(list(result.ids[:100]))
            lib.facets("kernel")
            lib.generation()
            if proc.poll() is not None:
                time.sleep(0.05)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert_no_traceback(out, err)
        assert lib.generation() != generation
        assert lib.search("newpaper", limit=None).total == NEW
        assert lib.search("oldpaper", limit=None).total == OLD
        assert lib.count() == OLD + NEW
        assert rounds > 3, "the reader did not run while the ingest did"
    finally:
        services.close()


def test_reader_opened_on_an_empty_library_sees_the_first_ingest(tmp_path: Path) -> None:
    """A reader that searched an empty index, then another process's first ingest, then the
    reader's own ingest: each search sees the latest commit (no error from the empty start)."""
    data = tmp_path / "data"
    services = build_services(data)
    try:
        lib = services.library
        assert lib.search("", limit=None).total == 0
        done = run_cli(data, "ingest", str(write_jsonl(tmp_path / "a.jsonl", 0, 5, marker="first")))
        assert done.returncode == 0, done.stderr.decode()
        assert lib.search("first", limit=None).total == 5
        empty = build_services(tmp_path / "other")
        try:
            assert empty.library.search("", limit=None).total == 0
            empty.library.ingest([tmp_path / "a.jsonl"])
            assert empty.library.search("first", limit=None).total == 5
        finally:
            empty.close()
    finally:
        services.close()


def test_a_result_stays_usable_after_another_process_commits(
    tmp_path: Path, library_dir: Path
) -> None:
    """The TUI keeps a result and scrolls it later (ids load lazily past the first page); an
    ingest committing in between, and the next query moving to the new index state, must not
    break the older result."""
    services = build_services(library_dir)
    try:
        lib = services.library
        kept = lib.search("oldpaper", limit=5)
        kept_by_date = lib.search("", sort="date", limit=5)
        for n in range(3):  # several commits: Whoosh merges segments and closes old readers
            more = write_jsonl(tmp_path / f"more{n}.jsonl", 20_000 + 100 * n, 50, marker="oldpaper")
            done = run_cli(library_dir, "ingest", str(more))
            assert done.returncode == 0, done.stderr.decode()
            assert lib.search("oldpaper", limit=5).total == OLD + 50 * (n + 1)  # the new state
        assert len(list(kept.ids)) == OLD  # ... and the old result still scrolls
        assert len(lib.get_many(list(kept.ids))) == OLD
        assert len(list(kept_by_date.ids)) == OLD
    finally:
        services.close()


def test_second_ingest_says_one_is_running_or_waits(tmp_path: Path, library_dir: Path) -> None:
    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, NEW, marker="newpaper")
    small = write_jsonl(tmp_path / "small.jsonl", 50_000, 5, marker="smallone")
    first = _start_ingest(library_dir, dump)
    try:
        _wait_until_holding_lock(library_dir, first)
        refused = run_cli(library_dir, "ingest", str(small))
        assert refused.returncode == 1
        assert_no_traceback(refused.stdout, refused.stderr)
        message = refused.stderr.decode()
        assert "another paperbrowse ingest is running" in message
        assert f"pid {first.pid}" in message
        assert "--wait" in message
        # With --wait the second one queues behind the first and then does its work.
        waited = run_cli(library_dir, "ingest", "--wait", "300", str(small))
        assert waited.returncode == 0, waited.stderr.decode()
        assert_no_traceback(waited.stdout, waited.stderr)
    finally:
        out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
    services = build_services(library_dir)
    try:
        assert services.library.count() == OLD + NEW + 5
        assert services.library.search("smallone", limit=None).total == 5
    finally:
        services.close()


BOOKMARKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from paperbrowse.search.services import build_services

    data, go, tag = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    first, last = int(sys.argv[4]), int(sys.argv[5])
    services = build_services(data)
    ids = services.library.search("", sort="date", limit=None).ids
    papers = services.library.get_many(sorted(ids)[first:last])
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.002)
    store = services.bookmarks
    for paper in papers:
        store.add(paper, tags=[tag])
        store.set_note(paper.id, f"note by {tag}") if tag == "a" else store.set_read(paper.id, True)
        store.tag(paper.id, f"{tag}-extra")
    print("DONE", len(papers), flush=True)
    """
)


def test_bookmark_writes_from_two_processes_all_land(tmp_path: Path, library_dir: Path) -> None:
    """Two processes (think: the TUI and a script) bookmark and tag at once, with overlap, while
    the CLI adds more: every write lands, tags from both sides merge."""
    script = tmp_path / "bookmarker.py"
    script.write_text(BOOKMARKER)
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(library_dir), str(go), tag, str(a), str(b)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            cwd=REPO,
        )
        for tag, a, b in (("a", 0, 80), ("b", 40, 120))
    ]
    reader = build_services(library_dir)
    ids = sorted(reader.library.search("", limit=None).ids)
    reader.close()
    for proc in procs:
        wait_for_line(proc, "READY", timeout=60)
    go.touch()
    cli = subprocess.Popen(
        cli_args(library_dir, "bookmark", "add", *ids[60:70], "--tag", "cli"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
    )
    for proc in [*procs, cli]:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert_no_traceback(out, err)
    services = build_services(library_dir)
    try:
        store = services.bookmarks
        assert len(store.list()) == 120
        assert store.tags() == {"a": 80, "a-extra": 80, "b": 80, "b-extra": 80, "cli": 10}
        for i, pid in enumerate(ids[:120]):
            mark = store.get(pid)
            assert mark is not None
            assert ("a" in mark.tags) == (i < 80) and ("b" in mark.tags) == (i >= 40)
            assert mark.note == ("note by a" if i < 80 else "")
            assert mark.read == (i >= 40)
    finally:
        services.close()


def test_app_open_during_ingest_notices_new_data(tmp_path: Path, library_dir: Path) -> None:
    """The TUI, polling, runs queries while an ingest commits, shows no error, and says
    "library updated"; r then shows the new papers."""
    from paperbrowse.tui.widgets.results_list import ResultsList
    from textual.widgets import Input

    from tests.fixtures_app import make_app, settle

    dump = write_jsonl(tmp_path / "new.jsonl", 10_000, 300, marker="newpaper")

    async def scenario() -> None:
        services = build_services(library_dir)
        app = make_app(services, poll_seconds=0.1)
        try:
            async with app.run_test(size=(120, 36)) as pilot:
                await settle(pilot)
                results = app.screen.query_one(ResultsList)
                assert results.row_count == OLD
                proc = await asyncio.create_subprocess_exec(
                    *cli_args(library_dir, "ingest", str(dump)),
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                    env=child_env(),
                    cwd=REPO,
                )
                # Keep querying while the ingest runs.
                for word in ("kernel", "graph", "newpaper", ""):
                    await pilot.click(Input)
                    app.screen.query_one(Input).value = word
                    await settle(pilot)
                out, err = await proc.communicate()
                assert proc.returncode == 0, err.decode()
                for _ in range(50):
                    await pilot.pause(0.1)
                    if app.screen.has_class("-updated"):
                        break
                assert app.screen.has_class("-updated")
                await pilot.press("escape")
                results.focus()
                await pilot.press("r")
                await settle(pilot)
                assert results.row_count == OLD + 300
        finally:
            services.close()

    asyncio.run(scenario())


def test_ingest_lock_released_by_a_failed_ingest(tmp_path: Path, library_dir: Path) -> None:
    """An ingest that fails (here: nothing to read) leaves no lock behind for the next one."""
    bad = tmp_path / "bad.json"
    bad.write_text("[{broken")
    first = run_cli(library_dir, "ingest", str(bad))
    assert first.returncode == 1
    assert_no_traceback(first.stdout, first.stderr)
    good = write_jsonl(tmp_path / "more.jsonl", 70_000, 3, marker="more")
    second = run_cli(library_dir, "ingest", str(good))
    assert second.returncode == 0, second.stderr.decode()
