"""Kill -9 during ``paperbrowse bookmark add`` of thousands of ids: every bookmark or none.

The add ran one transaction per paper, so a kill midway left anything from 0 to all of them
(issue 10 saw 4,631 of 8,000). The driver below runs the real CLI entry point in a child process
with a pause patched in (in the child only) after half the papers were added, waits for it to
announce the pause, and SIGKILLs it.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from paperbrowse.search.services import build_services

from tests.fixtures_cli import REPO, child_env, run_cli, wait_for_line
from tests.fixtures_dumps import write_jsonl

pytestmark = pytest.mark.slow

#: Papers added in one command.
MANY = 3000

DRIVER = textwrap.dedent(
    """
    import sys, time
    import paperbrowse.search.bookmarks as bookmarks

    pause_at = int(sys.argv[1])
    original = bookmarks.BookmarkStore._add
    calls = [0]

    def _add(self, *args, **kwargs):
        calls[0] += 1
        if calls[0] == pause_at:
            print("PAUSE", calls[0], flush=True)
            time.sleep(600)  # the test kills us here
        return original(self, *args, **kwargs)

    bookmarks.BookmarkStore._add = _add
    sys.argv = ["paperbrowse", *sys.argv[2:]]
    from paperbrowse.tui.cli import main
    main()
    """
)


@pytest.fixture
def library(tmp_path: Path):
    """A data dir with MANY papers and one bookmark made earlier; returns (dir, ids, before)."""
    data = tmp_path / "data"
    services = build_services(data)
    services.library.ingest([write_jsonl(tmp_path / "many.jsonl", 0, MANY)])
    ids = list(services.library.search("", limit=None).ids)
    services.bookmarks.add(services.library.get(ids[0]), tags=["keep"], note="precious")
    before = services.bookmarks.list()
    services.close()
    return data, ids, before


def test_kill_during_bookmark_add_of_many_ids_leaves_none_or_all(tmp_path: Path, library):
    data, ids, before = library
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(MANY // 2), "--data-dir", str(data)]
        + ["bookmark", "add", "--tag", "batch", *ids],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=REPO,
    )
    try:
        printed = wait_for_line(proc, "PAUSE", timeout=120)
    except AssertionError:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"driver never paused: {err.decode(errors='replace')}") from None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Nothing was reported as bookmarked before the transaction committed.
    assert not [line for line in printed if line.startswith("bookmarked")]

    with closing(sqlite3.connect(data / "bookmarks.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    services = build_services(data)
    try:
        assert services.bookmarks.list() == before  # none of the batch, the old one untouched
    finally:
        services.close()

    # Run to the end, the same command bookmarks every paper.
    done = run_cli(data, "bookmark", "add", "--tag", "batch", *ids, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().count("bookmarked ") == MANY
    services = build_services(data)
    try:
        assert len(services.bookmarks) == MANY
        assert len(services.bookmarks.ids_with_tag("batch")) == MANY
        kept = services.bookmarks.get(ids[0])
        assert (kept.tags, kept.note) == (("batch", "keep"), "precious")
    finally:
        services.close()
