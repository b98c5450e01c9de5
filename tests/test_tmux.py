"""The real `paperbrowse` binary in a real terminal (tmux): search, bookmark, quit, then the CLI
sees the bookmark. Skipped when tmux is not installed (CI installs it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TMUX = shutil.which("tmux")
# The script installed next to this Python first: a `paperbrowse` on PATH may be another install.
_BESIDE = Path(sys.executable).parent / "paperbrowse"
BINARY = str(_BESIDE) if _BESIDE.exists() else (shutil.which("paperbrowse") or str(_BESIDE))


class Terminal:
    """One tmux session on a private server socket, so no user session is ever touched."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=30,
        )
        return done.stdout

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-x", "120", "-y", "36", "-s", "pb", command)
        self.tmux("set-option", "-t", "pb", "remain-on-exit", "on")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "pb")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "pb", *(["-l"] if literal else []), *keys)

    def wait_for(self, test, what: str, timeout: float = 45.0) -> str:
        """Poll the screen until ``test(screen)`` holds; fail with the screen shown if never."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}; the terminal shows:\n{screen}")

    def exited(self) -> bool:
        return self.tmux("display-message", "-p", "-t", "pb", "#{pane_dead}").strip() == "1"

    def quit(self) -> None:
        """Press q and wait for the app to exit (fail, showing the screen, if it does not)."""
        self.keys("q")
        deadline = time.monotonic() + 20
        while not self.exited() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert self.exited(), f"q did not quit; the terminal shows:\n{self.screen()}"

    def close(self) -> None:
        self.tmux("kill-server")


def _bookmarks_listed(env: dict[str, str]) -> list[dict]:
    """What `paperbrowse bookmark list --json` says, run in the app's environment."""
    listed = subprocess.run(
        [BINARY, "bookmark", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def _terminal_env(data: Path) -> dict[str, str]:
    """The app's environment in the terminal: the data dir, and the size read from the terminal
    itself. COLUMNS and LINES would override it (pytest-xdist's workers carry COLUMNS=80
    LINES=24: the app drew 80x24 in a 120x36 pane and hid the detail pane)."""
    env = {**os.environ, "PAPERBROWSE_DATA_DIR": str(data), "TERM": "xterm-256color"}
    for name in ("TMUX", "COLUMNS", "LINES"):
        env.pop(name, None)
    return env


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")
@pytest.mark.skipif(not Path(BINARY).exists(), reason="the paperbrowse script is not installed")
def test_search_bookmark_quit_in_a_real_terminal(tmp_path):
    data = tmp_path / "data"
    env = _terminal_env(data)
    term = Terminal(f"paperbrowse-test-{os.getpid()}", env)
    try:
        # A new user: the app opens over the bundled sample.
        term.start(f"{BINARY}")
        term.wait_for(lambda s: "results" in s and "bundled sample" in s, "the first paint")
        # Keys are paced like a person's (tmux would otherwise deliver them all at once).
        for step in ("/", "quantization"):
            term.keys(step, literal=True)
            time.sleep(0.3)
        term.wait_for(
            lambda s: "sort: relevance" in s and "Quantization" in s, "results while typing"
        )
        term.keys("Enter")
        time.sleep(0.5)
        term.keys("b")
        screen = term.wait_for(lambda s: "★" in s, "the bookmark mark")
        term.quit()
    finally:
        term.close()

    bookmarks = _bookmarks_listed(env)
    assert len(bookmarks) == 1
    title = bookmarks[0]["title"]
    # The bookmarked paper is the first result, the one the terminal showed with its mark.
    marked = next(line for line in screen.splitlines() if "★" in line)
    assert title[:20] in marked


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it)")
@pytest.mark.skipif(not Path(BINARY).exists(), reason="the paperbrowse script is not installed")
def test_the_bookmark_loss_sequence_in_a_real_terminal(tmp_path):
    """Issue 10's sequence, key by key, in a real terminal: the three bookmarks keep their tags
    and notes, and every b acts on the paper the list shows (it removed the next bookmark)."""
    from paperbrowse.search.services import build_services, sample_paths

    from tests.fixtures_app import AS_OF, bookmark_a_few

    data = tmp_path / "data"
    services = build_services(data)
    services.library.ingest(sample_paths(), as_of=AS_OF)
    bookmark_a_few(services)
    before = {b.id: (b.tags, b.note) for b in services.bookmarks.list()}
    services.close()
    assert len(before) == 3
    env = _terminal_env(data)
    term = Terminal(f"paperbrowse-loss-{os.getpid()}", env)
    try:
        term.start(f"{BINARY}")
        term.wait_for(lambda s: "results" in s, "the first paint")
        # Keys are paced like a person's (tmux would otherwise deliver them all at once).
        steps = [
            ("B", False),
            ("Down", False),
            ("Down", False),
            ("Enter", False),  # opens the 2nd bookmark
            ("B", False),  # closes the pane
            ("/", True),
            ("quantization", True),
            ("Enter", False),
            ("G", True),
            ("t", True),
        ]
        for key, literal in steps:
            term.keys(key, literal=literal)
            time.sleep(0.3)
        screen = term.wait_for(lambda s: "Tags now" in s, "the tag editor")
        assert "Bookmarks (3)" not in screen
        term.keys("quant", literal=True)
        term.keys("Enter")
        marks = term.wait_for(lambda s: "#quant" in s, "the new tag in the detail").count("★")
        for press in range(3):
            term.keys("b")
            screen = term.wait_for(
                lambda s, marks=marks: s.count("★") != marks and "Saving" not in s,
                f"b number {press + 1} to land",
            )
            marks = screen.count("★")
        term.quit()
    finally:
        term.close()

    after = {b["id"]: (tuple(b["tags"]), b["note"]) for b in _bookmarks_listed(env)}
    # The tagged paper was toggled off, on and off again; nothing else changed.
    assert after == before
