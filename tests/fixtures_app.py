"""Fixed data and helpers for the app's Pilot tests, snapshots and the screenshot script.

One builder so that what the tests check and what the screenshots show are the same library:
the bundled sample pages ingested into a fresh data dir with a pinned "today".
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import json
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from paperbrowse.search.paths import SAMPLE_CAPTURED
from paperbrowse.search.services import Services, build_services, sample_paths

#: The sample pages print dates without a year ("Dec 12"); pin the day they are read against.
AS_OF = SAMPLE_CAPTURED

#: The terminal size the Pilot tests and the snapshots run at, unless a test is about another.
SIZE = (120, 36)

#: A title that would be styled if it were ever treated as markup, with a control sequence in it.
MARKUP_TITLE = "[bold red]Markup[/] in a title \x1b[31mstays literal"


def sample_services(tmp_path: Path, *, sample: bool = False) -> Services:
    """Services over a new data dir under ``tmp_path`` holding the ingested sample pages.

    ``sample=True`` marks the library as the bundled sample, as the CLI does for a new user.
    """
    data_dir = Path(tmp_path) / "data"
    shutil.copytree(_template(), data_dir)
    services = build_services(data_dir)
    services.sample = sample
    return services


_TEMPLATE: list[Path] = []


def _template() -> Path:
    """The sample ingested once per test session; each test gets a copy (ingest takes a while)."""
    if not _TEMPLATE:
        root = Path(tempfile.mkdtemp(prefix="paperbrowse-app-fixture-"))
        atexit.register(shutil.rmtree, root, True)
        folder = root / "data"
        services = build_services(folder)
        services.library.ingest(sample_paths(), as_of=AS_OF)
        services.close()  # closing checkpoints SQLite's WAL, so a plain file copy is complete
        _TEMPLATE.append(folder)
    return _TEMPLATE[0]


def write_extra_dump(folder: Path) -> Path:
    """A small Daily Papers API dump (made up here) with arXiv ids, authors, upvotes and code.

    The sample pages have none of those, and one title is hostile (markup and an escape code).
    """

    def entry(arxiv_id: str, title: str, summary: str, upvotes: int, **extra: Any) -> dict:
        paper = {
            "id": arxiv_id,
            "title": title,
            "summary": summary,
            "authors": [{"name": "Ada Lovelace", "hidden": False}, {"name": "Alan Turing"}],
            "publishedAt": "2025-11-03T10:00:00.000Z",
            "upvotes": upvotes,
            **extra,
        }
        return {"paper": paper, "title": title, "publishedAt": "2025-11-04T10:00:00.000Z"}

    items = [
        entry(
            "2511.00001",
            MARKUP_TITLE,
            "We study zebrafish navigation with a tiny recurrent controller.",
            42,
            githubRepo="https://github.com/example/zebra",
        ),
        entry(
            "2511.00002",
            "Quokka Retrieval for Long Documents",
            "Quokka indexes long documents for retrieval with sparse zebrafish-free features.",
            7,
        ),
    ]
    path = Path(folder) / "daily_papers_2025-11-04.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def make_app(services: Services, **options: Any):
    """The app as tests drive it: no clock in the status, no polling, a short debounce, and no
    paper marked read by being looked at (a slow machine would make that depend on timing;
    tests of it pass ``seen_delay=0``)."""
    from paperbrowse.tui.app import PaperBrowseApp

    settings: dict[str, Any] = {
        "show_timings": False,
        "poll_seconds": 0,
        "debounce": 0.01,
        "seen_delay": 1e9,
    }
    settings.update(options)
    return PaperBrowseApp(services, **settings)


@asynccontextmanager
async def started(
    services: Services, *, size: tuple[int, int] = SIZE, **options: Any
) -> AsyncIterator[tuple[Any, Any]]:
    """``async with started(services) as (app, pilot)``: the app of :func:`make_app` running
    at ``size`` with its first results on the screen (settled), ready for keys."""
    app = make_app(services, **options)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


async def search_for(pilot: Any, text: str) -> None:
    """Type ``text`` into the search bar as a user does (``/``, the text, Enter) and settle."""
    await pilot.press("slash", *text, "enter")
    await settle(pilot)


async def settle(pilot: Any, rounds: int = 3) -> None:
    """Let debounce timers fire and every worker finish, and their results reach the screen."""
    for _ in range(rounds):
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text lines."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def static_text(widget: Any) -> str:
    """The plain text a Static shows."""
    content = widget.content
    return content.plain if hasattr(content, "plain") else str(content)


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an ``async def`` test on its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def notices(app: Any) -> list[str]:
    """The messages of the notifications the app has shown, oldest first."""
    return [n.message for n in app._notifications]


def posted_once(messages: list[Any], kind: type) -> list[Any]:
    """Messages of ``kind`` from a ``message_hook`` log, each once (the hook sees a message at
    every node it bubbles through)."""
    seen: dict[int, Any] = {}
    for message in messages:
        if isinstance(message, kind):
            seen.setdefault(id(message), message)
    return list(seen.values())


# -- scenes: the states the snapshot tests check and the screenshot script draws ----------------


def bookmark_a_few(services: Services) -> None:
    """Three bookmarks with tags and notes, always the same papers."""
    library, store = services.library, services.bookmarks
    ids = list(library.search("", limit=None).ids)
    store.add(library.get(ids[1]), tags=["video", "to-read"], note="Compare with TimeSformer.")
    store.add(library.get(ids[4]), tags=["ml"])
    store.add(library.get(ids[0]), note="Segmentation baseline for the [lab] meeting")


async def scene_search(pilot: Any) -> None:
    """Results for a query typed in the search bar, focus on the results."""
    await settle(pilot)
    await search_for(pilot, "diffusion")


async def scene_detail(pilot: Any) -> None:
    """A paper opened from the results of a query."""
    await settle(pilot)
    await search_for(pilot, "quantization")
    await pilot.press("j", "enter")
    await settle(pilot)


async def scene_filters(pilot: Any) -> None:
    """The filters pane open, with a minimum upvote count set."""
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    pilot.app.screen.query_one("#min-upvotes").value = "1"
    await settle(pilot)


async def scene_bookmarks(pilot: Any) -> None:
    """The bookmarks pane open (call bookmark_a_few on the services first)."""
    await settle(pilot)
    await pilot.press("B")
    await settle(pilot)


async def scene_help(pilot: Any) -> None:
    """The help screen."""
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


#: A made-up paper listed on three days with growing upvotes, its title in TeX.
RELISTED_ID = "2511.00042"
RELISTED_TITLE = r"Sparse $(k,\ell)$-Cores for $\zeta$-Regularised Attention"


def write_relisted_days(folder: Path) -> list[Path]:
    """Three Daily Papers API days (made up here) listing RELISTED_ID with 12, 30 and 41
    upvotes: a history that rises by (41 - 12) / 4 = 7.25 upvotes a day over its last week."""
    paths = []
    for day, upvotes in (("2025-11-03", 12), ("2025-11-05", 30), ("2025-11-07", 41)):
        paper = {
            "id": RELISTED_ID,
            "title": RELISTED_TITLE,
            "summary": r"Attention over $(k,\ell)$-cores of the token graph, with a $\zeta$ prior.",
            "authors": [{"name": "Grace Hopper"}, {"name": "Edsger Dijkstra"}],
            "publishedAt": "2025-11-02T10:00:00.000Z",
            "upvotes": upvotes,
        }
        path = Path(folder) / f"daily_papers_{day}.json"
        path.write_text(json.dumps([{"paper": paper}]), encoding="utf-8")
        paths.append(path)
    return paths


async def scene_chart(pilot: Any) -> None:
    """The papers-per-month chart over the results of a query."""
    await settle(pilot)
    await pilot.press("c", "slash", *"transformer", "enter")
    await settle(pilot)


async def scene_history(pilot: Any) -> None:
    """A paper listed on three days opened (call write_relisted_days and ingest first)."""
    await settle(pilot)
    await pilot.press("slash", *"cores", "enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    # The similar papers arrive after the paper (their own lane): the pane's height, and so its
    # scrollbar, is final only once they are listed.
    similar = pilot.app.screen.query_one("#similar")
    for _ in range(200):
        if similar.option_count:
            break
        await pilot.pause(0.02)
    await settle(pilot)


async def scene_reader(pilot: Any) -> None:
    """A paper opened from the results, in the full-width reader (z)."""
    await scene_detail(pilot)
    await pilot.press("z")
    await settle(pilot)


async def scene_theme(pilot: Any) -> None:
    """A light theme, the bookmarks pane open and a bookmark with tags and a note opened
    (call bookmark_a_few on the services first)."""
    await settle(pilot)
    pilot.app.theme = "textual-light"
    await pilot.press("B")
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
