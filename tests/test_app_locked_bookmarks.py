"""The UI never waits on SQLite: another process holds the bookmarks file, the app keeps going.

A CLI command or script holding a write transaction on bookmarks.sqlite3 made every bookmark
key freeze the app for up to the 10 s busy timeout (the write ran on the event loop). Now the
write waits on the core's writes lane: the screen says "Saving…", keys keep moving the cursor
and the detail pane follows, and the bookmark lands once the other process lets go.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList

from tests.fixtures_app import SIZE, make_app, pilot_test, settle, static_text

pytestmark = pytest.mark.usefixtures("no_blink")

#: Holds a write transaction on the file in argv[1] until a line arrives on stdin.
HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE bookmarks SET note = note")  # a real write, not just the lock
    print("LOCKED", flush=True)
    sys.stdin.readline()
    db.execute("COMMIT")
    print("RELEASED", flush=True)
    """
)


async def until(pilot, condition, what: str) -> None:
    """Let the app run until ``condition()`` holds (bounded: a hang fails with ``what``).

    Not settle(): that waits for every worker, and the bookmark write's worker is held up.
    """
    for _ in range(3000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the app never got there: {what}")


@pilot_test
async def test_keys_keep_working_while_another_process_holds_the_bookmarks(services):
    store, library = services.bookmarks, services.library
    store.add(library.get(library.search("", limit=None).ids[5]), tags=["old"])
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        results = screen.query_one(ResultsList)
        detail = screen.query_one(DetailPane)
        first = results.highlighted_id
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(services.locations.bookmarks_db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout.readline().strip() == "LOCKED"
            await pilot.press("b")
            await until(pilot, lambda: screen.has_class("-saving"), "the saving state")
            assert static_text(screen.query_one("#saving")).startswith("Saving bookmarks")
            assert screen.query_one("#saving").display
            # The lock is still held: keys are handled, the detail follows the cursor.
            await pilot.press("j", "j")
            second = results.highlighted_id
            assert second != first
            await until(pilot, lambda: detail.paper and detail.paper.id == second, "detail")
            await pilot.press("k")
            third = results.highlighted_id
            await until(pilot, lambda: detail.paper and detail.paper.id == third, "detail")
            assert screen.has_class("-saving")
            assert first not in store.ids()  # it cannot have landed: the file is locked
        finally:
            holder.stdin.write("go\n")
            holder.stdin.flush()
            released = holder.stdout.readline().strip()
            holder.wait(timeout=30)
        assert released == "RELEASED"
        await until(pilot, lambda: not screen.has_class("-saving"), "the write to land")
        await settle(pilot)
        assert first in store.ids()
        assert store.get(library.search("", limit=None).ids[5]).tags == ("old",)
        assert results.row_text(0).startswith("★")


@pilot_test
async def test_a_bookmark_pressed_before_quitting_lands_once_the_lock_is_released(services):
    """Quitting while a write waits for another process's lock: the write still lands (the
    services close after the app, and closing the writes lane lets queued writes finish)."""
    store, library = services.bookmarks, services.library
    first = library.search("", limit=None).ids[0]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(services.locations.bookmarks_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "LOCKED"
        app = make_app(services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.query_one(ResultsList).highlighted_id == first
            await pilot.press("b")
            await until(pilot, lambda: app.screen.has_class("-saving"), "the saving state")
            await pilot.press("q")
        assert first not in store.ids()
    finally:
        holder.stdin.write("go\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    services.writes.close()  # what the CLI does when the app has quit (services.close)
    assert first in store.ids()
