"""The app's fetch key: the latest Hugging Face days, fetched in a worker thread.

:func:`fetch_latest` runs off the event loop and never touches the DOM: it reports by posting
messages (``post_message`` is thread-safe), which the main screen turns into the status line,
a notice and a refreshed list. It ingests through a Library of its own, as another process
would, so the queries of the app's library never wait on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from paperbrowse.search.services import Services

PHASES = {"hf": "Fetching Hugging Face days", "read": "Reading dumps", "index": "Indexing"}


@dataclass
class FetchProgressed(Message):
    """A fetch moved on: the line for the status bar."""

    text: str


@dataclass
class FetchFinished(Message):
    """A fetch ended: the notice to show, and whether the list has new papers to show."""

    text: str
    papers_new: int
    failed: bool
    #: The user's library's generation after the fetch's ingest (None if it failed early): the
    #: app's poll then knows this change is the one the screen is about to show.
    generation: int | None = None


def fetch_latest(services: Services, post: Callable[[Message], object]) -> None:
    """Fetch the days since the last fetch (and the last few again) and ingest them.

    Runs in a Textual thread worker, but does the work in a daemon thread of its own: Textual's
    thread workers run in asyncio's default executor, which the app waits for when it exits,
    and a read stuck on the network would hold the app's exit for up to the read timeout. When
    the worker is cancelled (the app closes), the clock's waits end at once and a request still
    in flight is abandoned with its thread; saved dumps are whole and the ingest is crash-safe,
    so the next fetch goes on from there.
    """
    from paperbrowse.search.fetch.http import Clock  # urllib3 loads on the first fetch only
    from textual.worker import get_current_worker

    worker = get_current_worker()
    clock = Clock()
    finished = threading.Event()

    def run() -> None:
        try:
            _fetch(services, post, clock)
        finally:
            finished.set()

    threading.Thread(target=run, name="paperbrowse-fetch", daemon=True).start()
    while not finished.wait(0.1):
        if worker.is_cancelled:
            clock.cancel()
            return


def _fetch(services: Services, post: Callable[[Message], object], clock) -> None:
    from paperbrowse.search.fetch.run import FetchContext, fetch_hf

    def progress(phase: str, done: int, total: int | None) -> None:
        of = f"/{total}" if total else ""
        post(FetchProgressed(f"{PHASES.get(phase, phase)}… {done}{of}"))

    def say(text: str) -> None:
        post(FetchProgressed(text))

    post(FetchProgressed("Fetching Hugging Face days…"))
    context = FetchContext(clock=clock, say=say, progress=progress)
    library = services.open_user_library()
    try:
        report = fetch_hf(library, services.locations.dumps_dir, None, context)
        generation = library.generation()
    except Exception as exc:  # noqa: BLE001 - a failed fetch is a notice, never a crash
        post(FetchFinished(f"Fetch failed: {type(exc).__name__}: {exc}", 0, True))
        return
    finally:
        library.close()
    post(FetchFinished(_notice(report), report.papers_new, report.failed, generation))


def _notice(report) -> str:
    new = report.papers_new
    days = f"{report.fetched} day{'s' if report.fetched != 1 else ''} fetched"
    if report.skipped:
        days += "; skipped " + "; ".join(f"{label}: {why}" for label, why in report.skipped)
    text = f"{new} new paper{'s' if new != 1 else ''} from Hugging Face ({days})"
    if report.error:
        text = f"Fetch stopped: {report.error}. {text}"
    elif report.ingest_error:
        text = f"{text}. {report.ingest_error}"
    return text
