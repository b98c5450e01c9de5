"""`paperbrowse fetch` through its entry point, against a real local server playing the APIs.

Runs that would wait (a 429, the backoffs of an unreachable host) go through a small driver that
starts the same entry point with the fetch clock's sleep replaced by a virtual one that logs what
it was asked to sleep: the product has no test hooks, and no test sleeps.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.dumps_paths import needs_dumps
from tests.fetch_server import FakeApis, Fault, archive_day, atom, refused_url
from tests.fixtures_cli import BIN, REPO, child_env, run_cli

pytestmark = needs_dumps


#: The entry point with a virtual clock: sleeps are logged to $FAKE_SLEEPS, never slept.
DRIVER = """
import os, sys
from paperbrowse.search.fetch import http

def sleep(self, seconds):
    if seconds > 0:
        with open(os.environ["FAKE_SLEEPS"], "a") as log:
            log.write(f"{seconds:g}\\n")

http.Clock.sleep = sleep
from paperbrowse.tui.cli import main
sys.argv = ["paperbrowse", *sys.argv[1:]]
main()
"""


def paperbrowse(data: Path, *args: str, env: dict | None = None, virtual_clock: Path | None = None):
    cmd = [BIN] if virtual_clock is None else [sys.executable, "-c", DRIVER]
    extra = dict(env or {}, COLUMNS="200")
    if virtual_clock is not None:
        extra["FAKE_SLEEPS"] = str(virtual_clock)
    return subprocess.run(
        [*cmd, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=child_env(**extra),
        cwd=REPO,
        timeout=120,
    )


@pytest.fixture
def apis():
    with FakeApis() as apis:
        apis.hf["2026-08-18"] = archive_day("2026-08-18")
        apis.hf["2026-08-20"] = archive_day("2026-08-20")
        apis.arxiv[0] = atom("query_testing_2026.xml")
        yield apis


def stats(data: Path) -> dict:
    return json.loads(paperbrowse(data, "stats", "--json").stdout)


def test_fetch_hf_one_day_saves_the_answer_and_the_papers_are_searchable(tmp_path, apis):
    data = tmp_path / "data"
    result = paperbrowse(data, "fetch", "hf", "--date", "2026-08-20", "--hf-url", apis.url)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Fetched 1 day (1 new) · 15 papers new, 0 updated\n"
    assert apis.hf_requests() == [{"date": "2026-08-20", "limit": "100"}]
    assert (data / "dumps" / "hf" / "2026-08-20.json").read_bytes() == archive_day("2026-08-20")
    assert stats(data)["papers"] == 15
    found = paperbrowse(data, "show", "2608.16590")
    assert found.returncode == 0, found.stderr


def test_fetch_hf_range_from_the_environment_url_and_again_unchanged(tmp_path, apis):
    data = tmp_path / "data"
    env = {"PAPERBROWSE_HF_URL": apis.url}
    args = ("fetch", "hf", "--since", "2026-08-18", "--until", "2026-08-20")
    first = paperbrowse(data, *args, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        "Fetched 3 days (2 new) · 44 papers new, 0 updated · 1 empty (2026-08-19)\n"
    )
    again = paperbrowse(data, *args, env=env)
    assert again.stdout == (
        "Fetched 3 days (2 unchanged) · 0 papers new, 0 updated · 1 empty (2026-08-19)\n"
    )
    assert [r["date"] for r in apis.hf_requests()] == ["2026-08-18", "2026-08-19", "2026-08-20"] * 2


def test_fetched_dumps_survive_an_ingest_rebuild_of_other_dumps(tmp_path, apis):
    data = tmp_path / "data"
    paperbrowse(data, "fetch", "hf", "--date", "2026-08-20", "--hf-url", apis.url)
    other = tmp_path / "other.json"
    other.write_bytes(archive_day("2026-08-18"))
    rebuilt = paperbrowse(data, "ingest", "--rebuild", str(other))
    assert rebuilt.returncode == 0, rebuilt.stderr
    # The rebuild read the fetched dumps too: they are the user's data, not a cache.
    assert stats(data)["papers"] == 44
    assert (data / "dumps" / "hf" / "2026-08-20.json").exists()


def test_offline_is_one_line_and_exit_1(tmp_path):
    url = refused_url()
    sleeps = tmp_path / "sleeps"
    result = paperbrowse(
        tmp_path / "data",
        "fetch",
        "hf",
        "--date",
        "2026-08-20",
        "--hf-url",
        url,
        virtual_clock=sleeps,
    )
    assert result.returncode == 1
    assert result.stderr == f"paperbrowse: cannot reach {url.split('//')[1]}: Connection refused\n"
    assert result.stdout == ""
    assert sleeps.read_text().split() == ["4", "8"]  # it tried again, backing off


def test_a_429_says_it_is_waiting_then_goes_on(tmp_path, apis):
    apis.fault("date=2026-08-20", Fault(429, {"RateLimit": '"api";r=0;t=42'}, b"{}"))
    sleeps = tmp_path / "sleeps"
    result = paperbrowse(
        tmp_path / "data",
        "fetch",
        "hf",
        "--date",
        "2026-08-20",
        "--hf-url",
        apis.url,
        virtual_clock=sleeps,
    )
    assert result.returncode == 0
    host = apis.url.split("//")[1]
    assert result.stderr == f"paperbrowse: waiting 42 s: {host} asks us to slow down\n"
    assert result.stdout == "Fetched 1 day (1 new) · 15 papers new, 0 updated\n"
    assert sleeps.read_text().split() == ["42"]


def test_a_skipped_day_is_named_and_exits_1(tmp_path, apis):
    apis.fault("date=2026-08-18", Fault(200, {"Content-Type": "text/html"}, b"<html></html>"))
    result = paperbrowse(
        tmp_path / "data",
        "fetch",
        "hf",
        "--since",
        "2026-08-18",
        "--until",
        "2026-08-20",
        "--hf-url",
        apis.url,
    )
    assert result.returncode == 1
    assert result.stdout == (
        "Fetched 3 days (1 new) · 15 papers new, 0 updated · 1 empty (2026-08-19) · 1 skipped "
        "(2026-08-18: an HTML page instead of the daily-papers JSON (a proxy or login page?))\n"
    )


def test_fetch_arxiv_one_page(tmp_path, apis):
    data = tmp_path / "data"
    result = paperbrowse(
        data, "fetch", "arxiv", "all:testing", "--max", "10", "--arxiv-url", apis.url
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Fetched 1 page (1 new) · 10 papers new, 0 updated\n"
    [request] = apis.requests
    assert request.path == "/api/query"
    assert request.params["search_query"] == "all:testing"
    assert request.params["max_results"] == "10"
    assert [p.suffix for p in (data / "dumps" / "arxiv").iterdir()] == [".xml"]


def test_fetch_arxiv_categories_since_from_the_environment(tmp_path, apis):
    env = {"PAPERBROWSE_ARXIV_URL": apis.url}
    result = paperbrowse(
        tmp_path / "data",
        "fetch",
        "arxiv",
        "-c",
        "cs.CL",
        "-c",
        "cs.LG",
        "--since",
        "2026-08-01",
        "--max",
        "5",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    today = datetime.now(UTC).date()
    assert apis.requests[0].params["search_query"] == (
        f"(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202608010000 TO {today:%Y%m%d}2359]"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hf", "--date", "yesterday"), "--date: not a date: 'yesterday'"),
        (("hf", "--date", "2026-08-20", "--week", "2026-W34"), "choose one of --date / --week"),
        (("hf", "--until", "2026-08-20"), "--until goes with --since"),
        (("hf", "--week", "2026-34"), "not an ISO week: '2026-34'"),
        (("hf", "--month", "2026-13"), "not a month: '2026-13'"),
        (("arxiv",), "give a QUERY or at least one --category"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(tmp_path, args, message):
    result = paperbrowse(tmp_path / "data", "fetch", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"paperbrowse: {message}")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


def test_progress_bar_on_a_terminal_and_none_when_piped(tmp_path, apis, monkeypatch):
    monkeypatch.setenv("PAPERBROWSE_HF_URL", apis.url)
    args = ("fetch", "hf", "--since", "2026-08-18", "--until", "2026-08-20")
    on_tty = run_cli(tmp_path / "tty", *args, tty=True)
    assert on_tty.returncode == 0
    assert b"Fetching" in on_tty.stderr and b"3/3" in on_tty.stderr
    assert on_tty.stdout.strip().startswith(b"Fetched 3 days (2 new)")
    piped = run_cli(tmp_path / "pipe", *args)
    assert piped.stderr == b"" and b"\x1b" not in piped.stdout


def _start(data: Path, url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [BIN, "--data-dir", str(data), "fetch", "hf", "--hf-url", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(COLUMNS="200"),
        cwd=REPO,
    )


def _visible_and_hidden(folder: Path) -> tuple[list[str], list[str]]:
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return [n for n in names if not n.startswith(".")], [n for n in names if n.startswith(".")]


@pytest.mark.parametrize("how", ["kill -9", "ctrl-c"])
def test_killed_mid_fetch_leaves_whole_dumps_only_and_the_next_fetch_finishes(tmp_path, apis, how):
    data = tmp_path / "data"
    apis.fault("date=2026-08-20", Fault(stall=True))
    proc = _start(data, apis.url, "--since", "2026-08-18", "--until", "2026-08-20")
    assert apis.stalling.wait(60), "the fetch never reached the third day"
    os.kill(proc.pid, signal.SIGKILL if how == "kill -9" else signal.SIGINT)
    out, err = proc.communicate(timeout=60)

    if how == "ctrl-c":
        assert proc.returncode == 130
        assert err == (
            "paperbrowse: interrupted: every answer saved so far is whole and kept; "
            "the next fetch ingests it and goes on from there\n"
        )
    else:
        assert proc.returncode == -signal.SIGKILL
    assert _visible_and_hidden(data / "dumps" / "hf") == (["2026-08-18.json"], [])
    assert stats(data)["papers"] == 0  # stopped before its ingest: nothing half-ingested

    again = _start(data, apis.url, "--since", "2026-08-18", "--until", "2026-08-20")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert out == (
        "Fetched 3 days (1 new, 1 unchanged) · 44 papers new, 0 updated · 1 empty (2026-08-19)\n"
    )
    assert stats(data)["papers"] == 44


def test_search_never_loads_the_http_client_or_the_fetch_code(tmp_path):
    code = (
        "import sys, json\n"
        f"sys.argv = ['paperbrowse', '--data-dir', {str(tmp_path)!r}, 'search', 'x', '--json']\n"
        "from paperbrowse.tui.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        # search no longer loads the fetch commands (tests/test_cli_lazy.py), `--help` does:
        # loaded here, so the check below can fail if that module pulls in the client.
        "import paperbrowse.tui.cli.fetch\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    assert not {
        m
        for m in loaded
        if m.split(".")[0] == "urllib3" or m.startswith("paperbrowse.search.fetch")
    }


def test_a_cancelled_clock_stops_waiting_at_once():
    """A closing app must not hang on a long 429 wait in its fetch worker."""
    from paperbrowse.search.fetch.http import Clock, FetchCancelled

    clock = Clock()
    clock.cancel()
    with pytest.raises(FetchCancelled):
        clock.sleep(600)


#: The fetch command with a pause patched into its ingest (the product has no test hooks): it
#: announces the point on stdout and waits there to be killed.
KILL_DRIVER = """
import sys, time
from paperbrowse.search import library, records

point = sys.argv.pop(1)

def pause_here(name):
    print(name, flush=True)
    time.sleep(120)

if point == "mid-file":
    finish = records.RecordStore.finish_file
    def finish_file(self, db, file_id, papers):
        finish(self, db, file_id, papers)
        pause_here("mid-file")  # inside the transaction that completes the first file
    records.RecordStore.finish_file = finish_file
else:
    def index_pending(self, progress):
        pause_here("before-index")  # every record stored, none indexed yet
    library.Library._index_pending = index_pending

from paperbrowse.tui.cli import main
sys.argv = ["paperbrowse", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("point", ["mid-file", "before-index"])
def test_killed_during_the_ingest_of_a_fetch_nothing_is_half_done(tmp_path, apis, point):
    from tests.fixtures_cli import wait_for_line

    data = tmp_path / "data"
    args = ["fetch", "hf", "--since", "2026-08-18", "--until", "2026-08-20", "--hf-url", apis.url]
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_DRIVER, point, "--data-dir", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(COLUMNS="200"),
        cwd=REPO,
    )
    try:
        wait_for_line(proc, point, timeout=60)
    finally:
        proc.kill()
        proc.communicate(timeout=60)

    import sqlite3

    with sqlite3.connect(data / "library.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _visible_and_hidden(data / "dumps" / "hf") == (
        ["2026-08-18.json", "2026-08-20.json"],
        [],
    )
    again = paperbrowse(data, *args)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Fetched 3 days (2 unchanged) · ")
    found = json.loads(paperbrowse(data, "search", "", "--json", "--limit", "1000").stdout)
    ids = [paper["id"] for paper in found]
    assert len(ids) == len(set(ids)) == stats(data)["papers"] == 44


def test_the_latest_days_are_utc_days_whatever_the_local_time_zone(tmp_path, apis):
    # A zone whose date differs from UTC's right now: UTC+14 from 10:00 UTC, else UTC-12.
    now = datetime.now(UTC)
    zone = "Etc/GMT-14" if now.hour >= 10 else "Etc/GMT+12"
    result = paperbrowse(tmp_path / "data", "fetch", "hf", "--hf-url", apis.url, env={"TZ": zone})
    assert result.returncode == 0, result.stderr
    asked = [r["date"] for r in apis.hf_requests()]
    assert asked[-1] == datetime.now(UTC).date().isoformat() and len(asked) == 7
