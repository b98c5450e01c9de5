"""Measuring one process: peak RSS and CPU time, current RSS, sizes on disk, percentiles, load.

Used by the probes (each in its own child process, so that peak RSS is that probe's) and by
the runner, which records the load average with every figure (the machine is shared).
"""

from __future__ import annotations

import resource
from pathlib import Path


def rss_mb() -> dict[str, float]:
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


def du_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def rss_split_mb() -> dict[str, float]:
    """This process's resident memory now, split as Linux counts it: its own (anonymous)
    pages, and pages of mapped files (the index's memory-mapped term files: the kernel's page
    cache, shared and dropped under memory pressure, but counted in RSS)."""
    out = {"rss_anon_mb": 0.0, "rss_file_mb": 0.0}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("RssAnon", "RssFile"):
            out[f"rss_{name[3:].lower()}_mb"] = round(int(value.split()[0]) / 1024, 1)
    return out


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0
