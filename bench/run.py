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
sys.path.insert(0, str(ROOT))  # run as a script: ``bench`` and the product import from here

# The runner measures; the report (bench/report.py), the TUI probe (bench/tui_probe.py), the
# workload and the measuring helpers are modules of their own.
from bench.measure import current_rss_mb, du_mb, loadavg, pct, rss_mb  # noqa: E402
from bench.report import cli_table, render, write_doc  # noqa: E402
from bench.tui_probe import probe_tui  # noqa: E402
from bench.workload import CLI_MIX, CLI_REPS, QUERY_MIX, QUERY_REPS  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"

# -- helpers ---------------------------------------------------------------------------------


def _child(*args: str, timeout: float | None = None) -> dict:
    """Run one of this script's probes in a fresh interpreter; its last stdout line is JSON."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


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
    return out | rss_mb()


def probe_parse_only(data_dir: str, dump: str) -> dict:
    """Phase 1 alone (parse + record store), for sizes whose index would not fit the time."""
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    lib = Library(Locations.resolve(data_dir))
    lib._index_pending = lambda progress: None  # type: ignore[method-assign]
    rss: list[float] = []

    def progress(phase, done, total):
        if done % 50_000 < 2000:
            rss.append(current_rss_mb())

    start = time.perf_counter()
    report = lib.ingest([dump], progress=progress)
    seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "papers_read": report.papers_read,
        "rss_samples_mb": rss,
        "store_mb": round(du_mb(lib.locations.library_db), 1),
    }
    lib.close()
    return out | rss_mb()


def probe_parse_alone(dump: str) -> dict:
    """Just the streaming parser over the dump (no store, no index)."""
    from paperbrowse.search.dumps import arxiv_jsonl

    start = time.perf_counter()
    n = sum(1 for _ in arxiv_jsonl.read(Path(dump)))
    return {"seconds": time.perf_counter() - start, "records": n} | rss_mb()


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
    return {"seconds": seconds, "papers": n, "index_mb": round(du_mb(path), 1)} | rss_mb()


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
        "p95_ms": pct(every, 95),
        "max_ms": max(every),
        "first_p50_ms": statistics.median(firsts),
        "first_p95_ms": pct(firsts, 95),
        "all_ids": n_ids,
        "all_ids_ms": ids_ms,
        "get_many_100_ms": get_many_ms,
    } | rss_mb()


PROBES = {
    "_ingest": probe_ingest,
    "_parse_only": probe_parse_only,
    "_parse_alone": probe_parse_alone,
    "_naive": probe_naive,
    "_queries": probe_queries,
    "_tui": probe_tui,
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
        "p95_ms": pct(walls, 95),
        "cpu_p50_ms": statistics.median(cpus),
        "bare_p50_ms": statistics.median(bare_walls),
        "bare_p95_ms": pct(bare_walls, 95),
        "bare_cpu_p50_ms": statistics.median(bare_cpus),
        "queries": per_query,
    }


def run_size(n: int, workdir: Path, *, naive: bool, tui: bool) -> dict:
    from bench.generate import write_dump

    res: dict = {"papers": n, "load_before": loadavg()}
    dump = workdir / f"arxiv-{n}.jsonl"
    if not dump.exists():
        t = time.perf_counter()
        write_dump(dump, n)
        res["generate_s"] = time.perf_counter() - t
    res["dump_mb"] = round(du_mb(dump), 1)

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
    res["ingest"]["index_mb"] = round(du_mb(data / "index"), 1)
    res["ingest"]["store_mb"] = round(du_mb(data / "library.sqlite3"), 1)
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
    _say(f"{n}: re-ingest with 1% new")
    grown = lib_dir / "grown.tmp"
    write_dump(grown, n, extra=max(1, n // 100))
    os.replace(grown, own)
    res["reingest_grown"] = _child("_ingest", str(data), str(own))
    res["load_after"] = loadavg()
    return res


def run_parse_only(n: int, workdir: Path) -> dict:
    from bench.generate import write_dump

    res: dict = {"papers": n, "load_before": loadavg()}
    dump = workdir / f"arxiv-{n}.jsonl"
    if not dump.exists():
        _say(f"{n}: generating")
        t = time.perf_counter()
        write_dump(dump, n)
        res["generate_s"] = time.perf_counter() - t
    res["dump_mb"] = round(du_mb(dump), 1)
    _say(f"{n}: parser alone")
    res["parse"] = _child("_parse_alone", str(dump))
    data = workdir / f"lib-{n}-store"
    shutil.rmtree(data, ignore_errors=True)
    _say(f"{n}: parse + record store")
    res["store"] = _child("_parse_only", str(data), str(dump))
    shutil.rmtree(data, ignore_errors=True)
    res["load_after"] = loadavg()
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
