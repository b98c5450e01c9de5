"""Read state's one source of truth (schema v4): the reads table and a bookmark's flag agree
on every write path; sessions; the time spans --since takes; arrivals kept by a rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from paperbrowse.search.bookmarks import BookmarkStore
from paperbrowse.search.models import Paper
from paperbrowse.search.reading import ReadState, Sessions, parse_since

PAPER = Paper(id="2407.01906", title="A paper", arxiv_id="2407.01906")


def _agree(store: BookmarkStore, paper_id: str) -> bool:
    """The bookmark's flag (if bookmarked) and the paper's read state."""
    read = ReadState(store).is_read(paper_id)
    mark = store.get(paper_id)
    assert mark is None or mark.read == read
    return read


def test_every_write_path_keeps_the_bookmark_flag_and_read_state_equal(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        state = ReadState(store)
        state.mark([PAPER.id], True)
        store.add(PAPER)  # a new bookmark takes the paper's state
        assert _agree(store, PAPER.id) is True
        store.set_read(PAPER.id, False)  # the bookmark's own command moves the paper's
        assert _agree(store, PAPER.id) is False
        store.set_read(PAPER.id, True)
        assert _agree(store, PAPER.id) is True
        state.mark([PAPER.id], False)
        assert _agree(store, PAPER.id) is False
        state.mark([PAPER.id], True)
        gone = store.pop(PAPER.id)  # unbookmarking does not unread the paper
        assert gone is not None and gone.read is True
        assert state.is_read(PAPER.id)
        store.restore(gone)
        assert _agree(store, PAPER.id) is True


def test_a_bookmark_following_its_paper_to_a_new_id_keeps_its_read_state(tmp_path: Path) -> None:
    titled = Paper(id="t-000000000001", title="Only a title")
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        store.add(titled)
        ReadState(store).mark([titled.id], True)
        # A rebuild gave the paper its arXiv id: the bookmark follows (services.refresh_bookmarks).
        store.refresh([Paper(id="2407.00001", title="Only a title", arxiv_id="2407.00001")])
        assert store.get("2407.00001") is not None
        assert ReadState(store).ids() == {"2407.00001"}
        assert _agree(store, "2407.00001") is True


def test_sessions(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        sessions = Sessions(store)
        one = datetime(2026, 1, 1, 9, tzinfo=UTC)
        assert sessions.start(one) is None  # the first session: none before
        sessions.end(one + timedelta(hours=1))
        assert sessions.start(one + timedelta(days=1)) == one + timedelta(hours=1)
        # A session that never said it ended (killed) counts from its start.
        assert sessions.start(one + timedelta(days=2)) == one + timedelta(days=1)


def test_parse_since() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert parse_since("1d", now) == now - timedelta(days=1)
    assert parse_since(" 12h ", now) == now - timedelta(hours=12)
    assert parse_since("2w", now) == now - timedelta(weeks=2)
    assert parse_since("2026-11-30", now) == datetime(2026, 11, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a time span or date: 'soon'"):
        parse_since("soon", now)


def test_rebuild_keeps_arrivals(tmp_path: Path) -> None:
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations
    from paperbrowse.search.services import sample_paths

    library = Library(Locations(tmp_path))
    try:
        first = datetime.now(UTC)
        library.ingest(sample_paths()[:1], as_of=datetime(2025, 12, 20).date())
        ids = library.records.arrived_since(first)
        assert ids and library.records.last_arrival() >= first
        before_rebuild = datetime.now(UTC)
        library.ingest(sample_paths()[:1], rebuild=True, as_of=datetime(2025, 12, 20).date())
        # Not new again after the rebuild: they keep the time they first came in.
        assert library.records.arrived_since(before_rebuild) == []
        assert sorted(library.records.arrived_since(first)) == sorted(ids)
    finally:
        library.close()


def test_the_watch_count_is_the_number_of_new_unread_papers(tmp_path: Path) -> None:
    """The watch list counts without reading the papers; the count is the list's length."""
    from datetime import date

    from paperbrowse.search.models import Filters, QueryError
    from paperbrowse.search.watches import Watch, count_new_unread, new_unread

    from tests.fixtures_app import sample_services

    services = sample_services(tmp_path)
    try:
        library = services.library
        every = frozenset(library.search("", limit=None).ids)
        read = frozenset(library.search("vision transformer", limit=3).ids[:3])
        watches = [
            Watch("v", "vision transformer"),
            Watch("d", "diffusion", Filters(since=date(2025, 1, 1))),
            Watch("all", ""),
            Watch("none", "title:robot"),
        ]
        for new in (every, frozenset(sorted(every)[:40]), frozenset()):
            for watch in watches:
                expected = len(new_unread(library, watch, new, read))
                assert count_new_unread(library, watch, new, read) == expected
        assert count_new_unread(library, watches[2], every, read) == len(every) - 3
        with pytest.raises(QueryError):
            count_new_unread(library, Watch("bad", "foo:bar"), every, read)
    finally:
        services.close()


def test_a_watch_says_its_date_filter_is_the_published_date() -> None:
    """Shown beside "new unread since your last session", "since 2025-01-01" read as when the
    papers came in; it is their date."""
    from datetime import date

    from paperbrowse.search.models import Filters
    from paperbrowse.search.watches import Watch

    watch = Watch("d", "diffusion", Filters(since=date(2025, 1, 1), until=date(2025, 6, 30)))
    assert watch.describe() == "'diffusion' published 2025-01-01 – 2025-06-30"
    assert Watch("s", "", Filters(since=date(2025, 1, 1))).describe() == (
        "(every paper) published since 2025-01-01"
    )
