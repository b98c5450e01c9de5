"""The CLI as a user runs it, for every test that goes through the entry point.

One runner (:func:`run`) starts the installed ``paperbrowse`` script in a real subprocess, so
what reaches stdout/stderr is exactly what a user's terminal would get, ``main()``'s error
handling included; :func:`pb` is the same run with its exit code checked. :func:`run_cli` is the
byte-exact variant (optionally on pseudo-terminals) the reliability tests need to see every
escape sequence. Nothing here ever points at the user's real home or data dir.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

#: The repository root: subprocesses import ``paperbrowse.search`` and ``.tui`` from here.
REPO = Path(__file__).resolve().parents[1]

#: The installed entry point, beside this interpreter (the venv's ``bin/``).
BIN = shutil.which("paperbrowse", path=str(Path(sys.executable).parent)) or "paperbrowse"


def run(
    *args: str, data_dir: Path | None = None, env: dict | None = None, input: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `paperbrowse ARGS` the way a user does; never against the real home."""
    full_env = {k: v for k, v in os.environ.items() if k != "PAPERBROWSE_DATA_DIR"}
    full_env["HOME"] = str((data_dir or Path("/nonexistent")).parent / "home")
    full_env["COLUMNS"] = "120"
    # UTF-8 whatever the machine's locale, and no colour: the bytes a test compares are text.
    full_env["PYTHONIOENCODING"] = "utf-8"
    full_env["NO_COLOR"] = "1"
    full_env.update(env or {})
    cmd = [BIN] + (["--data-dir", str(data_dir)] if data_dir else []) + list(args)
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        input=input,
        timeout=120,
    )


def pb(
    data_dir: Path, *args: str, stdin: str = "", code: int | None = 0
) -> subprocess.CompletedProcess[str]:
    """``paperbrowse --data-dir DATA_DIR ARGS`` through :func:`run`; the exit code must be
    ``code`` (``None``: not checked, the test looks at it itself)."""
    result = run(*args, data_dir=data_dir, input=stdin)
    if code is not None:
        assert result.returncode == code, result.stderr or result.stdout
    return result


# -- byte-exact runs, for the reliability tests ---------------------------------------------


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
