"""The paperbrowse benchmark suite: writes docs/benchmarks.md (issue #5).

    python bench/run.py --sizes 10000,100000            # full runs, regenerates docs/benchmarks.md
    python bench/run.py --sizes 10000 --parse-only 1000000   # plus phase-1 figures for 1M

For each size it generates (once, cached under --workdir) an arXiv-snapshot-shaped dump with
``bench/generate.py`` and measures, each in a fresh child process so that peak RSS and cold
start-up are honest:

- ingest: paperbrowse (``Library.ingest``: parse + record store, then index) against a naive
  baseline (one plain single-process Whoosh writer, same schema and documents, same dump);
- re-ingest of the unchanged dump, and of the same file grown by 1% new papers;
- cold ``paperbrowse search`` processes over a query mix against a bare
  ``python -c "import whoosh.index, typer"``;
- in-process ``Library.search`` latency (top 20 with snippets) over the same mix;
- the TUI under ``run_test()``: first paint, keystroke-to-results (after a pause and while
  typing), key echo, the worker-to-screen hand-over, memory.

Only the tables between the ``bench:begin``/``bench:end`` markers of docs/benchmarks.md are
rewritten; the analysis around them is kept. Raw figures go to bench/results.json.
Timings are wall-clock on a shared machine: the load average is recorded with them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "results.json"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

#: (label, query, sort, filters): the mix the issue asks for. Filters are Filters kwargs.
QUERY_MIX: list[tuple[str, str, str, dict]] = [
    ("single term", "learning", "relevance", {}),
    ("rare term", "magnetization", "relevance", {}),
    ("AND of two", "graph neural", "relevance", {}),
    ("phrase", '"language model"', "relevance", {}),
    ("prefix", "quant*", "relevance", {}),
    ("wide prefix", "re*", "relevance", {}),
    ("fuzzy", "transformr~", "relevance", {}),
    ("field", "title:diffusion", "relevance", {}),
    ("author", "author:wang", "relevance", {}),
    ("sorted by date", "quantum", "date", {}),
    ("filters", "learning", "relevance", {"since": "2020-01-01", "categories": ["cs.LG"]}),
    ("everything, by date", "", "relevance", {}),
]
QUERY_REPS = 5
CLI_REPS = 3
#: (label, query, sort): the cold-CLI mix of issue #18, each run as
#: ``paperbrowse search --json --limit 20`` in a new process, as a user's script meets it.
CLI_MIX: list[tuple[str, str, str]] = [
    ("term", "quantization", "relevance"),
    ("AND of two", "language model", "relevance"),
    ("phrase of common words", '"large language models"', "relevance"),
    ("prefix", "quant*", "relevance"),
    ("wide prefix", "re*", "relevance"),
    ("fuzzy", "quantizaton~", "relevance"),
    ("by date", "attention", "date"),
    ("author, by upvotes", "author:Wang", "upvotes"),
]
TUI_QUERY = "diffusion model"


# -- helpers ---------------------------------------------------------------------------------


def _rss_mb() -> dict[str, float]:
    """Peak RSS of this process and of its biggest waited-for child (Linux: KiB), and the CPU
    seconds both used (on a shared machine CPU time says more than wall time)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    return {
        "rss_mb": round(me.ru_maxrss / 1024, 1),
        "child_rss_mb": round(kids.ru_maxrss / 1024, 1),
        "cpu_s": round(cpu, 2),
    }


def _du_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def _pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _child(*args: str, timeout: float | None = None) -> dict:
    """Run one of this script's probes in a fresh interpreter; its last stdout line is JSON."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def _filters(spec: dict):
    from paperbrowse.search.models import Filters

    kw: dict = {}
    if "since" in spec:
        kw["since"] = date.fromisoformat(spec["since"])
    if "categories" in spec:
        kw["categories"] = frozenset(spec["categories"])
    return Filters(**kw)


# -- probes (run in child processes) ---------------------------------------------------------


def probe_ingest(data_dir: str, dump: str) -> dict:
    """paperbrowse's ingest of ``dump`` into ``data_dir``, with its two phases timed apart."""
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    lib = Library(Locations.resolve(data_dir))
    phases = {"index": 0.0}
    index_pending = lib._index_pending

    def timed_index(progress):
        start = time.perf_counter()
        try:
            return index_pending(progress)
        finally:
            phases["index"] += time.perf_counter() - start

    lib._index_pending = timed_index  # type: ignore[method-assign]
    start = time.perf_counter()
    report = lib.ingest([dump])
    seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "read_seconds": seconds - phases["index"],
        "index_seconds": phases["index"],
        "papers_read": report.papers_read,
        "papers_new": report.papers_new,
        "files_unchanged": report.files_unchanged,
        "problems": len(report.problems),
        "count": lib.count(),
    }
    lib.close()
    return out | _rss_mb()


def probe_parse_only(data_dir: str, dump: str) -> dict:
    """Phase 1 alone (parse + record store), for sizes whose index would not fit the time."""
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    lib = Library(Locations.resolve(data_dir))
    lib._index_pending = lambda progress: None  # type: ignore[method-assign]
    rss: list[float] = []

    def progress(phase, done, total):
        if done % 50_000 < 2000:
            rss.append(_current_rss_mb())

    start = time.perf_counter()
    report = lib.ingest([dump], progress=progress)
    seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "papers_read": report.papers_read,
        "rss_samples_mb": rss,
        "store_mb": round(_du_mb(lib.locations.library_db), 1),
    }
    lib.close()
    return out | _rss_mb()


def probe_parse_alone(dump: str) -> dict:
    """Just the streaming parser over the dump (no store, no index)."""
    from paperbrowse.search.dumps import arxiv_jsonl

    start = time.perf_counter()
    n = sum(1 for _ in arxiv_jsonl.read(Path(dump)))
    return {"seconds": time.perf_counter() - start, "records": n} | _rss_mb()


def _current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def probe_naive(index_dir: str, dump: str) -> dict:
    """The baseline: the same documents through one default single-process Whoosh writer."""
    from paperbrowse.search.dumps import arxiv_jsonl
    from paperbrowse.search.engine import build_stock_index
    from paperbrowse.search.models import Paper

    path = Path(index_dir)
    start = time.perf_counter()
    papers = (item for item in arxiv_jsonl.read(Path(dump)) if isinstance(item, Paper))
    n = build_stock_index(path, papers)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "papers": n, "index_mb": round(_du_mb(path), 1)} | _rss_mb()


def probe_queries(data_dir: str) -> dict:
    """In-process latency of the query mix: top 20 with snippets, a shared searcher."""
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    start = time.perf_counter()
    lib = Library(Locations.resolve(data_dir))
    lib.search("warmup")  # opens the index and the searcher, as any front end does once
    open_ms = (time.perf_counter() - start) * 1000
    rows = []
    every: list[float] = []
    firsts: list[float] = []
    for label, q, sort, spec in QUERY_MIX:
        flt = _filters(spec)
        times = []
        total = 0
        for rep in range(QUERY_REPS + 1):
            t = time.perf_counter()
            # One page, as the CLI asks (all ids: measured apart below).
            result = lib.search(q, flt, sort=sort, limit=20, snippets=True, all_ids=False)
            ms = (time.perf_counter() - t) * 1000
            total = result.total
            if rep == 0:
                first = ms
            else:
                times.append(ms)
        every += times
        firsts.append(first)
        rows.append(
            {
                "label": label,
                "query": q,
                "sort": sort,
                "filters": spec,
                "hits": total,
                "first_ms": first,
                "p50_ms": statistics.median(times),
                "max_ms": max(times),
            }
        )
    # Paging through all ids of a big result (what the TUI's list does when scrolled far).
    t = time.perf_counter()
    result = lib.search("learning", limit=20)
    n_ids = len(list(result.ids))
    ids_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    lib.get_many(list(result.ids[:100]))
    get_many_ms = (time.perf_counter() - t) * 1000
    lib.close()
    return {
        "open_ms": open_ms,
        "queries": rows,
        "p50_ms": statistics.median(every),
        "p95_ms": _pct(every, 95),
        "max_ms": max(every),
        "first_p50_ms": statistics.median(firsts),
        "first_p95_ms": _pct(firsts, 95),
        "all_ids": n_ids,
        "all_ids_ms": ids_ms,
        "get_many_100_ms": get_many_ms,
    } | _rss_mb()


def probe_tui(data_dir: str) -> dict:
    """The app under run_test(): first paint, keystroke-to-results (after a pause, while typing),
    key echo, the worker-to-frame hand-over, the watch list, and memory."""
    t0 = time.perf_counter()
    from paperbrowse.search.services import build_services
    from paperbrowse.tui.app import PaperBrowseApp

    import_ms = (time.perf_counter() - t0) * 1000
    return asyncio.run(_tui(data_dir, t0, import_ms, build_services, PaperBrowseApp))


#: A daily reader's state for the TUI probe's second run (issue 16): this share of the papers
#: read, these bookmarks and watches, and this share of the papers new since the last session.
STATE_READ_EVERY = 20  # 5% read
STATE_BOOKMARKS = 8
STATE_NEW_SHARE = 0.01
#: (name, query, filters): saved searches over the generator's vocabulary, of every kind of
#: query the watch list counts (a term, a phrase, an AND, a prefix, a field with a date filter).
STATE_WATCHES: list[tuple[str, str, dict]] = [
    ("diffusion", "diffusion", {}),
    ("llm", '"language model"', {}),
    ("gnn", "graph neural", {}),
    ("quant", "quant*", {}),
    ("recent transformers", "title:transformer", {"since": "2024-01-01"}),
]


def probe_user_state(data_dir: str) -> dict:
    """Give the library in ``data_dir`` a daily reader's state, as the app and CLI would store
    it: every STATE_READ_EVERY-th paper read, a few bookmarks (tagged), the watches, and a last
    session that ended after all but the newest STATE_NEW_SHARE of the papers had arrived.

    A generated library arrives in one ingest, so its arrival times are moved back (two days
    for the older papers, now for the newest share): the bench library is derived data made for
    this run, and "new since the last session" then counts what a daily reader's would."""
    from datetime import timedelta

    from paperbrowse.search.reading import ReadState, Sessions
    from paperbrowse.search.services import build_services
    from paperbrowse.search.watches import Watch, Watches, filters_from_dict

    services = build_services(data_dir)
    library, store = services.library, services.bookmarks
    db = library.records.db
    ids = [r[0] for r in db.execute("SELECT id FROM arrivals ORDER BY id")]
    now = datetime.now(UTC)
    newest = max(1, round(len(ids) * STATE_NEW_SHARE))
    old_stamp = (now - timedelta(days=2)).isoformat(timespec="microseconds")
    with db:
        db.execute("UPDATE arrivals SET at = ?", (old_stamp,))
        db.executemany(
            "UPDATE arrivals SET at = ? WHERE id = ?",
            [(now.isoformat(timespec="microseconds"), i) for i in ids[-newest:]],
        )
    read = ids[::STATE_READ_EVERY]
    ReadState(store).mark(read, True)
    step = max(1, len(ids) // STATE_BOOKMARKS)
    for k, paper in enumerate(library.get_many(ids[::step][:STATE_BOOKMARKS])):
        store.add(paper, tags=["to-read"] if k % 2 else ["bench", "to-read"])
    watches = Watches(store)
    for name, query, spec in STATE_WATCHES:
        watches.add(Watch(name, query, filters_from_dict(spec)), replace=True)
    sessions = Sessions(store)
    sessions.start(now - timedelta(days=1, hours=1))
    sessions.end(now - timedelta(days=1))
    out = {
        "papers": len(ids),
        "read": len(read),
        "bookmarks": len(store.ids()),
        "watches": len(watches.list()),
        "new": newest,
    }
    services.close()
    return out


#: Seconds between keys when typing slowly: above the app's debounce, so each key runs a query.
SLOW_TYPING_GAP = 0.2


async def _tui(data_dir, t0, import_ms, build_services, app_class) -> dict:
    t1 = time.perf_counter()
    services = build_services(data_dir)
    app = app_class(services, poll_seconds=0)
    debounce = app.settings.debounce
    out: dict = {"import_ms": import_ms, "debounce_ms": debounce * 1000}
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen_stack[0]
        await _until(pilot, lambda: getattr(screen, "result", None) is not None)
        out["first_paint_ms"] = (time.perf_counter() - t1) * 1000
        out["first_paint_from_start_ms"] = (time.perf_counter() - t0) * 1000
        out["first_total"] = screen.result.total
        # The read set and the count of new papers (on the lanes, after the first query): typing
        # is timed once they are in, so that the list draws with the read state.
        await _until(pilot, lambda: screen.new_since != "")
        out["reading_loaded_ms"] = (time.perf_counter() - t1) * 1000
        out["read_loaded"] = len(screen.read_ids)
        out["new_loaded"] = len(screen.new_papers)
        stamps = _stamp_hand_over(app, screen)
        await pilot.press("slash")
        await pilot.pause()
        query = screen.query_one("#query")

        # Keys go in as a terminal sends them, without Pilot's press(), which waits for the
        # whole process to be idle (the query worker included) before it returns.
        async def typed(key: str, text: str) -> float:
            """Send one key; the seconds until the query input shows ``text``."""
            t = time.perf_counter()
            _send_key(app, key)
            await _wait(lambda: query.value == text)
            return time.perf_counter() - t

        async def painted(text: str, since: float) -> float:
            """ms from ``since`` until a frame shows ``text``'s results."""
            await _wait(lambda: stamps.get("query") == text and "painted" in stamps)
            hand_over.append(_hand_over(stamps))
            return (stamps["painted"] - since) * 1000

        async def clear() -> None:
            query.value = ""
            await painted("", time.perf_counter())
            await asyncio.sleep(debounce)  # a real pause: the next key starts a new burst

        after_pause, while_typing, echo, hand_over = [], [], [], []
        for text in (TUI_QUERY, "quantum", "graph neural"):
            keys = ["space" if ch == " " else ch for ch in text]
            # After a pause: all but the last key as a burst, their results on screen, a pause
            # of a debounce interval (a user looking at them), then the last key is timed.
            for i, key in enumerate(keys[:-1]):
                await typed(key, text[: i + 1])
            await painted(text[:-1], time.perf_counter())
            await asyncio.sleep(debounce)
            t = time.perf_counter()
            await typed(keys[-1], text)
            after_pause.append(await painted(text, t))
            await clear()
            # While typing: the whole text as one burst (each key once the input shows the
            # one before), timed from the last key: the trailing debounce is in the figure.
            for i, key in enumerate(keys[:-1]):
                await typed(key, text[: i + 1])
            t = time.perf_counter()
            await typed(keys[-1], text)
            while_typing.append(await painted(text, t))
            await clear()
            # Slow typing, a key every SLOW_TYPING_GAP s: each key runs a query at once, so
            # the next key arrives while a query holds the CPU. Echo = key → input updated.
            for i, key in enumerate(keys):
                echo.append(await typed(key, text[: i + 1]) * 1000)
                await asyncio.sleep(SLOW_TYPING_GAP)
            await painted(text, time.perf_counter())
            await clear()
        out["keystroke_ms"] = after_pause
        out["typing_ms"] = while_typing
        out["key_echo_ms"] = {"p50": statistics.median(echo), "max": max(echo)}
        out["hand_over_ms"] = hand_over
        # The watch list (w): each watch's new unread papers counted on the reads lane, then
        # the list on screen; timed from the key to the screen being shown.
        from paperbrowse.tui.widgets.watches import WatchesScreen

        await pilot.press("escape")
        t = time.perf_counter()
        _send_key(app, "w")
        await _wait(lambda: isinstance(app.screen, WatchesScreen))
        out["watch_list_ms"] = (time.perf_counter() - t) * 1000
        out["watch_rows"] = [r.new_unread for r in app.screen.rows]
        await pilot.press("escape")
        out["rss_now_mb"] = _current_rss_mb()
    services.close()
    return out | _rss_mb()


def _send_key(app, key: str) -> None:
    from textual import events

    char = " " if key == "space" else key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def _wait(cond, timeout: float = 30.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def _stamp_hand_over(app, screen) -> dict:
    """Record when a query worker hands its result to the event loop, when the screen takes it
    (and for which query) and when the next frame is composed (wrappers on these instances)."""
    from paperbrowse.tui.dbwork import Answered

    stamps: dict = {}
    post_message = screen.post_message
    show_result = screen._show_result
    display = app._display

    def handing_over(message):
        # The query worker posts its answer to the screen from its thread (tui/dbwork.py).
        if isinstance(message, Answered) and message.group == "query":
            stamps["handed"] = time.perf_counter()
        return post_message(message)

    def showing(*args, **kwargs):
        showing_at = time.perf_counter()
        before = screen.result
        show_result(*args, **kwargs)
        if screen.result is not before:  # not dropped as stale
            stamps.pop("painted", None)
            stamps.update(showing=showing_at, shown=time.perf_counter(), query=screen.result.query)

    def displaying(*args, **kwargs):
        display(*args, **kwargs)
        if "shown" in stamps and "painted" not in stamps:
            stamps["painted"] = time.perf_counter()

    screen.post_message = handing_over
    screen._show_result = showing
    app._display = displaying
    return stamps


def _hand_over(stamps: dict) -> dict:
    """A result's way to the screen: worker hand-over → taken by the event loop → list
    refreshed (``_show_result``) → the next frame composed."""
    handed, showing, shown, painted = (stamps[k] for k in ("handed", "showing", "shown", "painted"))
    return {
        "queue_ms": (showing - handed) * 1000,
        "show_ms": (shown - showing) * 1000,
        "frame_ms": (painted - shown) * 1000,
        "total_ms": (painted - handed) * 1000,
    }


async def _until(pilot, cond, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.002)


PROBES = {
    "_ingest": probe_ingest,
    "_parse_only": probe_parse_only,
    "_parse_alone": probe_parse_alone,
    "_naive": probe_naive,
    "_queries": probe_queries,
    "_tui": probe_tui,
    "_user_state": probe_user_state,
}


# -- the runner ------------------------------------------------------------------------------


def _timed_run(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall ms, CPU ms of the child: user + system) of one process run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, capture_output=True, env=env, check=True)
    wall = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def _cli_times(data_dir: Path) -> dict:
    """Cold ``paperbrowse search --json --limit 20`` processes over CLI_MIX, and the bare-import
    baseline.

    Each search run is paired with a bare ``import whoosh.index, typer`` run right before it, so
    that both see the same load on a shared machine; CPU time is kept too (less load-sensitive).
    Each query's figure is the median of its CLI_REPS runs, its ratio that over the median of
    the bare runs paired with it.
    """
    exe = Path(sys.executable).with_name("paperbrowse")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "paperbrowse.tui.cli"]
    # Byte-code caching as on any user's machine: this sandbox sets PYTHONDONTWRITEBYTECODE,
    # which made every run compile paperbrowse's own modules from source (~50 ms) while the
    # bare import read whoosh's and typer's .pyc files written by pip. One warm-up run writes
    # the project's .pyc files, then both commands are timed alike.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "100"
    bare_cmd = [sys.executable, "-c", "import whoosh.index, typer"]
    _timed_run([*base, "--data-dir", str(data_dir), "search", "warmup"], env)
    per_query = []
    walls: list[float] = []
    cpus: list[float] = []
    bare_walls: list[float] = []
    bare_cpus: list[float] = []
    for label, q, sort in CLI_MIX:
        args = [*base, "--data-dir", str(data_dir), "search", q, "--json", "--limit", "20"]
        args += ["--sort", sort]
        times, bares, q_cpus, bare_q_cpus = [], [], [], []
        for _ in range(CLI_REPS):
            wall, cpu = _timed_run(bare_cmd, env)
            bare_walls.append(wall)
            bare_cpus.append(cpu)
            bares.append(wall)
            bare_q_cpus.append(cpu)
            wall, cpu = _timed_run(args, env)
            walls.append(wall)
            cpus.append(cpu)
            times.append(wall)
            q_cpus.append(cpu)
        per_query.append(
            {
                "label": label,
                "query": q,
                "sort": sort,
                "p50_ms": statistics.median(times),
                "bare_p50_ms": statistics.median(bares),
                "cpu_p50_ms": statistics.median(q_cpus),
                "bare_cpu_p50_ms": statistics.median(bare_q_cpus),
            }
        )
    return {
        "p50_ms": statistics.median(walls),
        "p95_ms": _pct(walls, 95),
        "cpu_p50_ms": statistics.median(cpus),
        "bare_p50_ms": statistics.median(bare_walls),
        "bare_p95_ms": _pct(bare_walls, 95),
        "bare_cpu_p50_ms": statistics.median(bare_cpus),
        "queries": per_query,
    }


def cli_table(cli: dict) -> list[str]:
    """The per-query table of a cold-CLI run (issue #18's layout)."""
    out = [
        "| query | sort | cold process p50 ms | bare start-up p50 ms | **x bare** | "
        "CPU ms (bare) | CPU x bare |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for q in cli["queries"]:
        if "bare_cpu_p50_ms" not in q:  # figures of an older run: one bare median for all
            continue
        out.append(
            f"| `{q['query']}` | {q['sort']} | {_f(q['p50_ms'])} | {_f(q['bare_p50_ms'])} | "
            f"**{q['p50_ms'] / q['bare_p50_ms']:.1f}x** | {_f(q['cpu_p50_ms'])} "
            f"({_f(q['bare_cpu_p50_ms'])}) | {q['cpu_p50_ms'] / q['bare_cpu_p50_ms']:.1f}x |"
        )
    return out


def run_size(n: int, workdir: Path, *, naive: bool, tui: bool) -> dict:
    from bench.generate import write_dump

    res: dict = {"papers": n, "load_before": _loadavg()}
    dump = workdir / f"arxiv-{n}.jsonl"
    if not dump.exists():
        t = time.perf_counter()
        write_dump(dump, n)
        res["generate_s"] = time.perf_counter() - t
    res["dump_mb"] = round(_du_mb(dump), 1)

    lib_dir = workdir / f"lib-{n}"
    if lib_dir.exists():
        shutil.rmtree(lib_dir)
    lib_dir.mkdir(parents=True)
    # The library reads its own link to the dump, so that the "grown" dump can replace it.
    own = lib_dir / "arxiv.jsonl"
    os.link(dump, own)
    data = lib_dir / "data"
    _say(f"{n}: ingest")
    res["ingest"] = _child("_ingest", str(data), str(own))
    res["ingest"]["index_mb"] = round(_du_mb(data / "index"), 1)
    res["ingest"]["store_mb"] = round(_du_mb(data / "library.sqlite3"), 1)
    if naive:
        _say(f"{n}: naive baseline")
        res["naive"] = _child("_naive", str(lib_dir / "naive-index"), str(dump))
        shutil.rmtree(lib_dir / "naive-index", ignore_errors=True)
    _say(f"{n}: re-ingest unchanged")
    res["reingest_same"] = _child("_ingest", str(data), str(own))
    _say(f"{n}: queries")
    res["queries"] = _child("_queries", str(data))
    _say(f"{n}: cold CLI")
    res["cli"] = _cli_times(data)
    if tui:
        _say(f"{n}: TUI")
        try:
            res["tui"] = _child("_tui", str(data), timeout=600)
        except Exception as exc:  # noqa: BLE001 - the app is young; report, don't abort
            res["tui"] = {"error": str(exc)[-500:]}
        # Again with a daily reader's read state, bookmarks and watches (issue 16), in the same
        # run so that the two rows compare.
        _say(f"{n}: TUI with a user state")
        try:
            state = _child("_user_state", str(data))
            res["tui_state"] = _child("_tui", str(data), timeout=600) | {"state": state}
        except Exception as exc:  # noqa: BLE001
            res["tui_state"] = {"error": str(exc)[-500:]}
    _say(f"{n}: re-ingest with 1% new")
    grown = lib_dir / "grown.tmp"
    write_dump(grown, n, extra=max(1, n // 100))
    os.replace(grown, own)
    res["reingest_grown"] = _child("_ingest", str(data), str(own))
    res["load_after"] = _loadavg()
    return res


def run_parse_only(n: int, workdir: Path) -> dict:
    from bench.generate import write_dump

    res: dict = {"papers": n, "load_before": _loadavg()}
    dump = workdir / f"arxiv-{n}.jsonl"
    if not dump.exists():
        _say(f"{n}: generating")
        t = time.perf_counter()
        write_dump(dump, n)
        res["generate_s"] = time.perf_counter() - t
    res["dump_mb"] = round(_du_mb(dump), 1)
    _say(f"{n}: parser alone")
    res["parse"] = _child("_parse_alone", str(dump))
    data = workdir / f"lib-{n}-store"
    shutil.rmtree(data, ignore_errors=True)
    _say(f"{n}: parse + record store")
    res["store"] = _child("_parse_only", str(data), str(dump))
    shutil.rmtree(data, ignore_errors=True)
    res["load_after"] = _loadavg()
    return res


def _say(text: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def machine() -> dict:
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "whoosh": version("whoosh-reloaded"),
        "textual": version("textual"),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# -- the report ------------------------------------------------------------------------------


def _f(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def render(results: dict) -> str:
    """The generated part of docs/benchmarks.md."""
    m = results["machine"]
    out = [
        BEGIN,
        "",
        f"_Generated by `python bench/run.py {results['argv']}` on {m['date']}._",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; {m['os']}; Python "
        f"{m['python']}, whoosh-reloaded {m['whoosh']}, textual {m['textual']}. Shared with "
        "other work: the load average (1/5/15 min) before and after each size is shown.",
        "",
    ]
    if results.get("kept_from"):
        out += [
            f"Sizes not measured by this command are kept from the run of "
            f"{results['kept_from']} (`--keep`).",
            "",
        ]
    full = sorted((r for r in results["sizes"] if "ingest" in r), key=lambda r: r["papers"])
    if full:
        out += [
            "### Ingest (fresh library)",
            "",
            "| papers | dump MB | paperbrowse papers/s | wall s (read + index) | peak RSS MB "
            "(main / worker) | index MB | store MB | naive papers/s | naive wall s | naive RSS MB "
            "| naive index MB | **speed vs naive** | CPU s: paperbrowse / naive |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in full:
            i = r["ingest"]
            pb_rate = r["papers"] / i["seconds"]
            row = (
                f"| {_f(r['papers'])} | {_f(r['dump_mb'])} | {_f(pb_rate)} | "
                f"{_f(i['seconds'], 1)} ({_f(i['read_seconds'], 1)} + {_f(i['index_seconds'], 1)})"
                f" | {_f(i['rss_mb'])} / {_f(i['child_rss_mb'])} | {_f(i['index_mb'], 1)} | "
                f"{_f(i['store_mb'], 1)} | "
            )
            nv = r.get("naive")
            if nv:
                nv_rate = nv["papers"] / nv["seconds"]
                cpu = (
                    f"{_f(i['cpu_s'])} / {_f(nv['cpu_s'])}"
                    if "cpu_s" in i and "cpu_s" in nv
                    else "–"
                )
                row += (
                    f"{_f(nv_rate)} | {_f(nv['seconds'], 1)} | {_f(nv['rss_mb'])} | "
                    f"{_f(nv['index_mb'], 1)} | **{pb_rate / nv_rate:.2f}x** | {cpu} |"
                )
            else:
                row += "– | – | – | – | – | – |"
            out.append(row)
        out += [
            "",
            "### Re-ingest",
            "",
            "| papers | full ingest s | unchanged s | unchanged / full | +1% new: s | +1% new: "
            "papers new | +1% / full |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in full:
            full_s = r["ingest"]["seconds"]
            same = r["reingest_same"]["seconds"]
            grown = r["reingest_grown"]
            out.append(
                f"| {_f(r['papers'])} | {_f(full_s, 1)} | {same:.3f} | **{same / full_s:.2%}** | "
                f"{_f(grown['seconds'], 1)} ({_f(grown['read_seconds'], 1)} + "
                f"{_f(grown['index_seconds'], 1)}) | {_f(grown['papers_new'])} | "
                f"{grown['seconds'] / full_s:.0%} |"
            )
        out += [
            "",
            "### Cold `paperbrowse search` (a new process per query)",
            "",
            f"{CLI_REPS} runs of each query of the cold mix (`--json --limit 20`), each paired "
            "with a "
            'run of the bare `python -c "import whoosh.index, typer"` just before it.',
            "",
            "| papers | search p50 ms | search p95 ms | bare import p50 ms | **p50 ratio** | "
            "p95 / bare p50 | search CPU p50 ms | bare CPU p50 ms | CPU ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in full:
            c = r["cli"]
            out.append(
                f"| {_f(r['papers'])} | {_f(c['p50_ms'])} | {_f(c['p95_ms'])} | "
                f"{_f(c['bare_p50_ms'])} | **{c['p50_ms'] / c['bare_p50_ms']:.2f}x** | "
                f"{c['p95_ms'] / c['bare_p50_ms']:.2f}x | {_f(c['cpu_p50_ms'])} | "
                f"{_f(c['bare_cpu_p50_ms'])} | {c['cpu_p50_ms'] / c['bare_cpu_p50_ms']:.2f}x |"
            )
        for r in full:
            rows = cli_table(r["cli"])
            if len(rows) > 2:
                out += ["", f"{_f(r['papers'])} papers, per query:", "", *rows]
        out += [
            "",
            "### In-process queries (top 20, snippets, shared searcher)",
            "",
            f"p50/p95 over {QUERY_REPS} runs of each query after a first run (shown apart: "
            "it reads and decodes the query's posting lists from disk; the repeats find them in "
            "the searcher's cache of recent terms, as the app does while a query is typed or "
            "re-run). The queries run in this order in one process, so a first run may find "
            "terms of an earlier query cached (the filtered `learning` does).",
            "",
        ]
        labels = [q[0] for q in QUERY_MIX]
        head = "| query | " + " | ".join(
            f"{_f(r['papers'])}: hits | first ms | p50 ms | max ms" for r in full
        )
        out += [head + " |", "|---|" + "---:|---:|---:|---:|" * len(full)]
        for k, label in enumerate(labels):
            q = full[0]["queries"]["queries"][k]
            shown = q["query"] or "(empty)"
            if q["sort"] != "relevance":
                shown += f" --sort {q['sort']}"
            if q["filters"]:
                shown += " + " + ", ".join(f"{a}={b}" for a, b in q["filters"].items())
            cells = []
            for r in full:
                qq = r["queries"]["queries"][k]
                cells.append(
                    f"{_f(qq['hits'])} | {_f(qq['first_ms'], 1)} | {_f(qq['p50_ms'], 1)} | "
                    f"{_f(qq['max_ms'], 1)}"
                )
            out.append(f"| {label}: `{shown}` | " + " | ".join(cells) + " |")
        out.append(
            "| **whole mix p50 / p95** | "
            + " | ".join(
                f" | | **{_f(r['queries']['p50_ms'], 1)}** | **{_f(r['queries']['p95_ms'], 1)}** "
                f"(p95)"
                for r in full
            )
            + " |"
        )
        out.append(
            "| **first runs p50 / p95** | "
            + " | ".join(
                f" | **{_f(r['queries'].get('first_p50_ms', float('nan')), 1)}** | "
                f"**{_f(r['queries'].get('first_p95_ms', float('nan')), 1)}** (p95) | "
                for r in full
            )
            + " |"
        )
        out.append("")
        for r in full:
            q = r["queries"]
            out.append(
                f"- {_f(r['papers'])}: opening the library + first search "
                f"{_f(q['open_ms'])} ms; all {_f(q['all_ids'])} ids of `learning` "
                f"{_f(q['all_ids_ms'])} ms; `get_many` of 100 papers "
                f"{_f(q['get_many_100_ms'], 1)} ms; peak RSS {_f(q['rss_mb'])} MB."
            )
        out += ["", "### TUI (`run_test()`, 120x36, headless)", ""]
        out += [
            "| papers | import app ms | first paint ms (services + app → first results shown) "
            "| keystroke → results ms, after a pause | keystroke → results ms, while typing "
            "(incl. debounce) | worker → painted ms (median) | key echo ms p50 / max "
            "| debounce ms | RSS MB | read state + new count in ms | w → watch list ms |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        rows = [(r.get("tui"), _f(r["papers"])) for r in full]
        rows += [(r.get("tui_state"), f"{_f(r['papers'])} + reader state") for r in full]
        for t, label in rows:
            if not t:
                continue
            if "error" in t:
                last = t["error"].splitlines()[-1]
                out.append(f"| {label} | failed: {last} ||||||||||")
                continue
            # Runs from before the probe timed these are kept with --keep: shown as –.
            typing = ", ".join(_f(x) for x in t.get("typing_ms", ())) or "–"
            hand_over = t.get("hand_over_ms")
            painted = _f(statistics.median(h["total_ms"] for h in hand_over)) if hand_over else "–"
            echo = t.get("key_echo_ms")
            echo_text = f"{_f(echo['p50'])} / {_f(echo['max'])}" if echo else "–"
            reading = _f(t["reading_loaded_ms"]) if "reading_loaded_ms" in t else "–"
            watch_list = "–"
            if "watch_list_ms" in t:
                counts = ", ".join("?" if n is None else _f(n) for n in t["watch_rows"])
                watch_list = f"{_f(t['watch_list_ms'])} ({counts or 'no watches'})"
            out.append(
                f"| {label} | {_f(t['import_ms'])} | **{_f(t['first_paint_ms'])}** | "
                f"**{', '.join(_f(x) for x in t['keystroke_ms'])}** | {typing} | {painted} | "
                f"{echo_text} | {_f(t['debounce_ms'])} | {_f(t['rss_now_mb'])} | {reading} | "
                f"{watch_list} |"
            )
        for r in full:
            state = (r.get("tui_state") or {}).get("state")
            if state:
                out.append("")
                out.append(
                    f"Reader state of the second {_f(r['papers'])} row: {_f(state['read'])} "
                    f"papers read ({100 / STATE_READ_EVERY:.0f}%), {state['bookmarks']} "
                    f"bookmarks, {state['watches']} watches, {_f(state['new'])} papers new since "
                    "the last session (`probe_user_state`)."
                )
        out += ["", "Load average before → after each size:", ""]
        for r in full:
            out.append(f"- {_f(r['papers'])}: {r['load_before']} → {r['load_after']}")
    parse = sorted((r for r in results["sizes"] if "store" in r), key=lambda r: r["papers"])
    if parse:
        out += [
            "",
            "### Phase 1 only (parse + record store; no index) — for sizes not fully run",
            "",
            "| papers | dump MB | parser alone papers/s | parser RSS MB | parse + store "
            "papers/s | wall s | peak RSS MB | RSS samples during the run MB | store MB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in parse:
            p, s = r["parse"], r["store"]
            rss = s["rss_samples_mb"]
            samples = ", ".join(_f(x) for x in rss[:: max(1, len(rss) // 8)])
            out.append(
                f"| {_f(r['papers'])} | {_f(r['dump_mb'])} | {_f(p['records'] / p['seconds'])} | "
                f"{_f(p['rss_mb'])} | {_f(s['papers_read'] / s['seconds'])} | "
                f"{_f(s['seconds'], 1)} | {_f(s['rss_mb'])} | {samples} | {_f(s['store_mb'])} |"
            )
        for r in parse:
            out.append(f"- {_f(r['papers'])}: load {r['load_before']} → {r['load_after']}")
    out += ["", END]
    return "\n".join(out)


def write_doc(results: dict) -> None:
    generated = render(results)
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            DOC.write_text(head + generated + tail, encoding="utf-8")
            return
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(
        "# Benchmarks\n\nHow fast paperbrowse is at arXiv scale (issue #5). Regenerate the tables "
        "with `python bench/run.py --sizes 10000,100000`.\n\n" + generated + "\n",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_cli":  # the cold-CLI probe alone, over an existing data dir
        cli = _cli_times(Path(argv[1]))
        print(json.dumps(cli), file=sys.stderr)
        print("\n".join(cli_table(cli)))
        return 0
    if argv and argv[0] in PROBES:
        print(json.dumps(PROBES[argv[0]](*argv[1:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="full runs, comma-separated")
    parser.add_argument("--parse-only", default="", help="sizes measured for phase 1 only")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/paperbrowse-bench"))
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--no-tui", action="store_true", help="skip the TUI probe")
    parser.add_argument("--no-doc", action="store_true", help="print, don't write the doc")
    parser.add_argument(
        "--keep", action="store_true", help="keep other sizes' figures from bench/results.json"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    parse_only = [int(s) for s in args.parse_only.split(",") if s]
    args.workdir.mkdir(parents=True, exist_ok=True)

    results = {"machine": machine(), "argv": " ".join(argv), "sizes": []}
    if args.keep and RESULTS.exists():
        # Figures of sizes this run does not measure again stay in the report.
        old = json.loads(RESULTS.read_text(encoding="utf-8"))
        redo = {(n, "full") for n in sizes} | {(n, "store") for n in parse_only}
        results["sizes"] = [
            r
            for r in old["sizes"]
            if (r["papers"], "store" if "store" in r else "full") not in redo
        ]
        results["kept_from"] = old.get("machine", {}).get("date")
    for n in sizes:
        res = run_size(n, args.workdir, naive=not args.no_naive, tui=not args.no_tui)
        results["sizes"].append(res)
        _save(results, args)
    for n in parse_only:
        results["sizes"].append(run_parse_only(n, args.workdir))
        _save(results, args)
    if args.no_doc:
        print(render(results))
    return 0


def _save(results: dict, args) -> None:
    """After each size: a crash later still leaves figures behind."""
    target = RESULTS if not args.no_doc else args.workdir / "results.json"
    target.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if not args.no_doc:
        write_doc(results)


if __name__ == "__main__":
    sys.exit(main())
