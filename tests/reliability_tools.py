"""Shared helpers for the reliability tests (tests/test_reliability_*.py).

Generated dumps, the CLI run in a real subprocess (so that what reaches stdout/stderr is exactly
what a user's terminal would get, ``main()``'s error handling included), and a check that a
process printed no traceback.
"""

from __future__ import annotations

import json
import os
import random
import select
import subprocess
import sys
import time
from pathlib import Path

#: The repository root: subprocesses import ``search`` and ``tui`` from here.
REPO = Path(__file__).resolve().parents[1]

_WORDS = (
    "quantum graph neural network language model diffusion attention sparse tensor robust "
    "learning optimal transport kernel bayesian inference"
).split()


def jsonl_record(i: int, *, marker: str = "", title: str | None = None, **extra) -> dict:
    """One arXiv snapshot record with a unique id; ``marker`` is a word put in every title."""
    rnd = random.Random(i)
    words = " ".join(rnd.choice(_WORDS) for _ in range(6))
    record = {
        "id": f"{2101 + i // 90000:04d}.{i % 90000:05d}",
        "submitter": "Ada Lovelace",
        "authors": "Ada Lovelace, Alan Turing",
        "title": title if title is not None else f"{marker} {words} number {i}".strip(),
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": "cs.LG stat.ML",
        "license": None,
        "abstract": "  " + " ".join(rnd.choice(_WORDS) for _ in range(60)),
        "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
        "update_date": "2008-11-13",
        "authors_parsed": [["Lovelace", "Ada", ""], ["Turing", "Alan", ""]],
    }
    record.update(extra)
    return record


def write_jsonl(path: Path, start: int, count: int, *, marker: str = "") -> Path:
    """An arXiv snapshot dump of ``count`` papers with ids from number ``start`` on."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + count):
            f.write(json.dumps(jsonl_record(i, marker=marker)) + "\n")
    return path


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PAPERBROWSE_DATA_DIR", None)
    env.update(extra)
    return env


def cli_args(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "paperbrowse.tui.cli", "--data-dir", str(data_dir), *args]


def run_cli(
    data_dir: Path, *args: str, timeout: float = 120, tty: bool = False
) -> subprocess.CompletedProcess:
    """``paperbrowse --data-dir DATA_DIR ARGS`` in a subprocess; stdout/stderr as bytes.

    With ``tty``, stdout and stderr are pseudo-terminals, as for a user at a terminal: click
    strips ANSI sequences from piped output only, so pipes alone would hide an escape that a
    terminal receives. Line ends then arrive as CRLF.
    """
    if not tty:
        return subprocess.run(
            cli_args(data_dir, *args),
            capture_output=True,
            env=child_env(COLUMNS="200"),
            cwd=REPO,
            timeout=timeout,
        )
    import pty
    import threading

    masters, slaves = zip(*(pty.openpty() for _ in range(2)), strict=True)
    outputs: list[bytearray] = [bytearray(), bytearray()]

    def drain(fd: int, sink: bytearray) -> None:
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed its end
                return
            if not chunk:
                return
            sink.extend(chunk)

    readers = [
        threading.Thread(target=drain, args=(m, out), daemon=True)
        for m, out in zip(masters, outputs, strict=True)
    ]
    for reader in readers:
        reader.start()
    try:
        proc = subprocess.Popen(
            cli_args(data_dir, *args),
            stdin=subprocess.DEVNULL,
            stdout=slaves[0],
            stderr=slaves[1],
            env=child_env(COLUMNS="200", TERM="xterm-256color"),
            cwd=REPO,
        )
        for fd in slaves:
            os.close(fd)
        returncode = proc.wait(timeout=timeout)
        for reader in readers:
            reader.join(timeout=10)
    finally:
        for fd in masters:
            os.close(fd)
    return subprocess.CompletedProcess(proc.args, returncode, bytes(outputs[0]), bytes(outputs[1]))


def assert_no_traceback(*streams: bytes | str) -> None:
    for stream in streams:
        text = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else stream
        assert "Traceback" not in text, text
        assert 'File "' not in text, text


def wait_for_line(proc: subprocess.Popen, wanted: str, timeout: float) -> list[str]:
    """Lines the process printed on stdout up to and including one starting with ``wanted``."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    buffer = b""
    fd = proc.stdout.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            text = line.decode("utf-8", "replace")
            seen.append(text)
            if text.startswith(wanted):
                return seen
    raise AssertionError(f"no {wanted!r} line within {timeout} s; got {seen!r}")
