"""Suite-wide settings.

Tests that need something from outside the project (the shared example dumps, pdflatex and
bibtex, tmux) skip with a reason on a developer's machine that lacks it. CI sets
``PAPERBROWSE_STRICT=1`` (see .ci/run): there a skip means CI failed to provide something, so it
is reported as a failure instead of passing silently.
"""

from __future__ import annotations

import os
import signal

import pytest

STRICT = os.environ.get("PAPERBROWSE_STRICT") == "1"

# Ctrl-C tests send SIGINT to CLI processes the suite starts, as a terminal does to its foreground
# job. A shell without job control starts a background job (`pytest &`, some CI runners) with
# SIGINT ignored, and an ignored signal stays ignored across exec: those processes would never
# see the Ctrl-C (a fetch "interrupted" that went on and exited 0). A handled signal is reset to
# the default in a child, so handling it here gives every child a terminal's default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under PAPERBROWSE_STRICT=1 (CI must provide it): {reason}"


@pytest.fixture(autouse=True)
def _no_real_home(monkeypatch, tmp_path_factory):
    """No test may touch the user's real data dir: the default points into a temp dir."""
    monkeypatch.setenv("PAPERBROWSE_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))


@pytest.fixture
def services(tmp_path):
    """The app tests' fixed data: the bundled sample library in a temp data dir."""
    from tests.fixtures_app import sample_services  # Textual loads only for the tests using it

    services = sample_services(tmp_path)
    yield services
    services.close()


@pytest.fixture
def extra_services(tmp_path):
    """The sample library plus the extra API dump (arXiv ids, authors, a hostile title)."""
    from tests.fixtures_app import sample_services, write_extra_dump

    services = sample_services(tmp_path)
    services.library.ingest([write_extra_dump(tmp_path)])
    yield services
    services.close()


@pytest.fixture
def no_blink(monkeypatch):
    """A blinking cursor would make screens differ from one frame to the next."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def fixed_terminal(no_blink, monkeypatch):
    """A snapshot the same on every machine: no blinking cursor, and the working dir the
    repository (dump paths are shown relative to it)."""
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
