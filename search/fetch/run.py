"""A whole fetch, for every front end: ask the service, save the answers, ingest the dumps.

The ingest reads all of ``dumps/`` (files unchanged since the last ingest cost one ``stat``), so
dumps saved by a fetch that was interrupted before its ingest are ingested by the next one: that
fetch "continues where it stopped" without any state but the files themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from paperbrowse.search.library import Library
from paperbrowse.search.lock import IngestRunning

from . import arxiv, hf
from .dumpfiles import remove_stale_parts
from .http import Clock, FetchError, HttpClient, HttpSettings
from .report import FetchReport, Progress, Say


@dataclass
class FetchContext:
    """Where and how to fetch; every field has the product's default. Tests inject the clock,
    the day and patience; the CLI and the app the URLs from their options or the environment."""

    hf_url: str | None = None
    arxiv_url: str | None = None
    clock: Clock = field(default_factory=Clock)
    settings: HttpSettings = field(default_factory=HttpSettings)
    today: date | None = None
    now: datetime | None = None
    say: Say | None = None
    progress: Progress | None = None
    #: Seconds to wait for another ingest holding the library before leaving the dumps for later.
    ingest_wait: float = 60.0

    def url(self, service: str) -> str:
        given = self.hf_url if service == "hf" else self.arxiv_url
        module = hf if service == "hf" else arxiv
        return given or os.environ.get(module.ENV_URL) or module.DEFAULT_URL

    def client(self, service: str, min_interval: float) -> HttpClient:
        def announce(seconds: float, status: int) -> None:
            if self.say:
                host = HttpClient.host_of(self.url(service))
                what = "asks us to slow down" if status == 429 else f"answered HTTP {status}"
                self.say(f"waiting {seconds:.0f} s: {host} {what}")

        return HttpClient(
            self.url(service),
            clock=self.clock,
            min_interval=min_interval,
            settings=self.settings,
            on_wait=announce,
        )


def fetch_hf(
    library: Library,
    dumps_dir: Path,
    listings: Sequence[hf.Listing] | None = None,
    context: FetchContext | None = None,
    page_size: int = hf.PAGE_SIZE,
) -> FetchReport:
    """Fetch daily-papers listings (the latest days when ``listings`` is None) into
    ``dumps_dir/hf`` and ingest ``dumps_dir``."""
    ctx = context or FetchContext()
    folder = dumps_dir / "hf"
    report = FetchReport("hf", unit="day")
    if listings is None:
        listings = hf.latest_days(folder, ctx.today or hf.today())
    elif listings and listings[0].param != "date":
        report.unit = listings[0].param
    # No pause between requests: the HF API says when to slow down (429 + RateLimit), and we do.
    client = ctx.client("hf", 0.0)
    wanted = list(listings)
    return _fetch_then_ingest(
        library,
        dumps_dir,
        folder,
        report,
        ctx,
        client,
        lambda: hf.fetch_listings(client, folder, wanted, report, ctx.progress, page_size),
    )


def fetch_arxiv(
    library: Library,
    dumps_dir: Path,
    search_query: str,
    most: int = arxiv.DEFAULT_MAX,
    context: FetchContext | None = None,
    page_size: int = arxiv.PAGE_SIZE,
) -> FetchReport:
    """Fetch up to ``most`` results of an arXiv query into ``dumps_dir/arxiv``, then ingest."""
    ctx = context or FetchContext()
    folder = dumps_dir / "arxiv"
    report = FetchReport("arxiv", unit="page")
    client = ctx.client("arxiv", arxiv.MIN_INTERVAL)
    now = ctx.now or datetime.now(UTC)
    return _fetch_then_ingest(
        library,
        dumps_dir,
        folder,
        report,
        ctx,
        client,
        lambda: arxiv.fetch_pages(
            client, folder, search_query, most, report, now, ctx.progress, page_size
        ),
    )


def _fetch_then_ingest(
    library: Library,
    dumps_dir: Path,
    folder: Path,
    report: FetchReport,
    ctx: FetchContext,
    client: HttpClient,
    fetch: Callable[[], None],
) -> FetchReport:
    """What every source's fetch does around its own requests: the partial files an earlier
    fetch left go, ``fetch`` runs (a service that cannot be reached stops it, its message in
    the report, and what was saved stays saved), the client closes, and the dumps are
    ingested."""
    remove_stale_parts(folder)
    try:
        fetch()
    except FetchError as exc:
        report.error = str(exc)
    finally:
        client.close()
    _ingest(library, dumps_dir, report, ctx)
    return report


def _ingest(library: Library, dumps_dir: Path, report: FetchReport, ctx: FetchContext) -> None:
    if not dumps_dir.is_dir():
        return
    try:
        report.ingest = library.ingest([dumps_dir], progress=ctx.progress, wait=ctx.ingest_wait)
    except IngestRunning as exc:
        report.ingest_error = (
            f"{exc}; the fetched dumps are saved in {dumps_dir} and the next fetch ingests them"
        )
