"""What is rising: the upvote history of a paper listed on several days, the rising rate, the
featured-day filter and sort, top of a week/month and papers per month — on the real archive
of daily-papers days, read in place, with exact values."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from datetime import date

import pytest
from paperbrowse.search.library import Library
from paperbrowse.search.merge import merge_records
from paperbrowse.search.models import Filters, Paper
from paperbrowse.search.paths import Locations
from paperbrowse.search.periods import month, months_between, parse_period, week, week_of
from paperbrowse.search.rising import describe_history, rising, sparkline, upvote_history
from paperbrowse.search.serialize import paper_from_json, paper_to_json

from tests.dumps_paths import ARCHIVE, needs_collections, read_all
from tests.fixtures_dumps import DAY, LATER, relisted

D = date


def test_rising_is_the_gain_per_day_over_the_week_before_the_latest_observation():
    assert rising(()) == 0.0
    assert rising(((D(2025, 1, 13), 19),)) == 0.0  # one observation rises by 0
    # The earliest observation within 7 days before the latest is the base: (40-19)/3.
    assert rising(((D(2025, 1, 13), 19), (D(2025, 1, 16), 40))) == 7.0
    history = ((D(2025, 1, 1), 2), (D(2025, 1, 9), 10), (D(2025, 1, 12), 30), (D(2025, 1, 16), 40))
    assert rising(history) == pytest.approx(30 / 7)  # 01-01 is outside the week: base 01-09
    # Exactly seven days back still counts; eight does not.
    assert rising(((D(2025, 1, 9), 10), (D(2025, 1, 16), 24))) == 2.0
    assert rising(((D(2025, 1, 8), 10), (D(2025, 1, 16), 24))) == 0.0
    assert rising(((D(2025, 1, 14), 30), (D(2025, 1, 16), 20))) == -5.0  # votes withdrawn


def test_history_keeps_one_count_per_listing_day_the_highest():
    def rec(day, upvotes, **kw):
        return Paper(id="x", title="T", featured_days=(day,), upvotes=upvotes, **kw)

    records = [
        rec(D(2024, 5, 29), 45),
        rec(D(2024, 5, 27), 30),
        rec(D(2024, 5, 27), 33),  # the day saved twice
        rec(D(2024, 5, 31), None),  # a listing without a count is no observation
        Paper(id="x", title="T", upvotes=99),  # a page copy: no listing day
    ]
    assert upvote_history(records) == ((D(2024, 5, 27), 33), (D(2024, 5, 29), 45))
    merged = merge_records("x", records)
    assert merged.upvote_history == ((D(2024, 5, 27), 33), (D(2024, 5, 29), 45))
    # It survives the store's JSON.
    assert paper_from_json(paper_to_json(merged)).upvote_history == merged.upvote_history


def test_sparkline_and_short_list():
    history = ((D(2025, 1, 13), 19), (D(2025, 1, 16), 40), (D(2025, 1, 18), 61))
    assert sparkline(history) == "▁▅█"
    assert sparkline(history[:1]) == "▅"
    assert describe_history(history) == "01-13 19 · 01-16 40 · 01-18 61"
    long = tuple((D(2024, 12, 20 + i), i) for i in range(8))
    assert describe_history(long, most=2) == "… 12-26 6 · 12-27 7"
    # Days of two years carry the year.
    across = ((D(2024, 12, 30), 3), (D(2025, 1, 2), 9))
    assert describe_history(across) == "2024-12-30 3 · 2025-01-02 9"


def test_periods():
    assert week(2024, 22) == parse_period("2024-W22")
    assert (week(2024, 22).first, week(2024, 22).last) == (D(2024, 5, 27), D(2024, 6, 2))
    assert parse_period("2024-02") == month(2024, 2)
    assert month(2024, 2).last == D(2024, 2, 29)
    assert month(2024, 12).last == D(2024, 12, 31)
    assert week_of(D(2026, 12, 1)).name == "2026-W49"
    for bad, kind in (("2024-W60", None), ("2024-13", None), ("2024-05", "week"), ("soon", None)):
        with pytest.raises(ValueError):
            parse_period(bad, kind)
    assert months_between({"2024-11": 2, "2025-02": 1}) == [
        ("2024-11", 2),
        ("2024-12", 0),
        ("2025-01", 0),
        ("2025-02", 1),
    ]


# -- the archive ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    if not ARCHIVE.is_dir():
        pytest.skip(f"collections not found at {ARCHIVE}")
    lib = Library(Locations(tmp_path_factory.mktemp("rising") / "data"))
    lib.ingest([ARCHIVE])
    yield lib
    lib.close()


@needs_collections
def test_on_the_archive_every_paper_has_one_observation_and_rises_by_zero(archive):
    papers = list(archive.records.iter_papers())
    assert len(papers) == 2485
    # The archive's days never list a paper twice: one observation each, its day and count.
    assert all(p.upvote_history == ((p.featured, p.upvotes),) for p in papers)
    assert all(rising(p.upvote_history) == 0.0 for p in papers)
    videorag = archive.get("2501.05874")
    assert videorag.upvote_history == ((D(2025, 1, 13), 19),)
    # Rising ties everywhere at 0: then the most upvoted first, as the upvotes sort.
    by_rising = archive.search("video", sort="rising", limit=None).ids
    upvotes = [p.upvotes or 0 for p in archive.get_many(list(by_rising))]
    assert len(upvotes) == archive.search("video").total == 458
    assert upvotes == sorted(upvotes, reverse=True)


@needs_collections
def test_a_day_listed_again_later_gives_a_history_and_a_rising_order(tmp_path):
    later = relisted(tmp_path)
    lib = Library(Locations(tmp_path / "data"))
    try:
        lib.ingest([ARCHIVE / DAY, later])
        first = json.loads((ARCHIVE / DAY).read_text(encoding="utf-8"))[:3]
        ids = [e["paper"]["id"] for e in first]
        assert ids == ["2501.05874", "2501.05727", "2501.03841"]
        [a, b, c] = lib.get_many(ids)
        assert a.upvote_history == ((D(2025, 1, 13), 19), (D(2025, 1, 16), 40))
        assert b.upvote_history == ((D(2025, 1, 13), 13), (D(2025, 1, 16), 18))
        assert c.upvote_history == ((D(2025, 1, 13), 10), (D(2025, 1, 16), 10))
        assert (rising(a.upvote_history), rising(b.upvote_history)) == (7.0, 5 / 3)
        assert a.upvotes == 40  # the latest listing's count
        # 7.0 and 1.67 a day, then the day's best of those rising by 0: 2501.03841 with 10.
        top = lib.search("", sort="rising", limit=3, all_ids=False).ids
        assert list(top) == ids
        # Removing the later day takes its observations away again.
        lib.records.forget_file(str((later / LATER).resolve()))
        assert lib.get("2501.05874").upvote_history == ((D(2025, 1, 13), 19),)
    finally:
        lib.close()


@needs_collections
def test_a_version_1_store_is_remerged_with_histories(tmp_path):
    later = relisted(tmp_path)
    locations = Locations(tmp_path / "data")
    lib = Library(locations)
    lib.ingest([ARCHIVE / DAY, later])
    lib.close()
    # What version 1 stored: merged papers without a history.
    db = sqlite3.connect(locations.library_db)
    for pid, blob in db.execute("SELECT id, data FROM papers").fetchall():
        data = json.loads(zlib.decompress(blob))
        data.pop("upvote_history")
        packed = zlib.compress(json.dumps(data).encode())
        db.execute("UPDATE papers SET data=?, state=0 WHERE id=?", (packed, pid))
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    lib = Library(locations)
    try:
        history = lib.get("2501.05874").upvote_history
        assert history == ((D(2025, 1, 13), 19), (D(2025, 1, 16), 40))
        # Re-merged papers are re-indexed: the rising order knows them.
        assert lib.search("", sort="rising", limit=1).ids[0] == "2501.05874"
    finally:
        lib.close()


def _featured_in(first: date, last: date) -> set[str]:
    """Papers of the archive featured on a day in [first, last], read from the files."""
    found = set()
    for path in sorted(ARCHIVE.glob("*.json")):
        papers, _, _ = read_all(path)
        found.update(p.id for p in papers if any(first <= d <= last for d in p.featured_days))
    return found


@needs_collections
def test_featured_day_filter_and_sort_are_apart_from_the_arxiv_date(archive):
    w = week(2024, 22)
    expected = _featured_in(w.first, w.last)
    assert len(expected) == 24
    result = archive.search("", Filters(featured_since=w.first, featured_until=w.last), limit=None)
    assert set(result.ids) == expected
    # The arXiv date of these papers is earlier than their featured day: a published-date
    # filter on the same week finds other papers.
    published = archive.search("", Filters(since=w.first, until=w.last), limit=None)
    assert set(published.ids) != expected
    ordered = archive.search("", sort="featured", limit=None).ids
    days = [p.featured for p in archive.get_many(list(ordered))]
    assert days == sorted(days, reverse=True)
    assert days[0] == D(2026, 8, 18) and days[-1] == D(2024, 5, 27)
    assert archive.featured_bounds() == (D(2024, 5, 27), D(2026, 8, 18))


@needs_collections
def test_top_of_a_week_is_the_weeks_featured_papers_by_upvotes(archive):
    w = week(2024, 22)
    result = archive.search(
        "", Filters(featured_since=w.first, featured_until=w.last), sort="upvotes", limit=3
    )
    assert [(h.paper.id, h.paper.upvotes) for h in result.hits] == [
        ("2405.15738", 32),
        ("2405.15574", 28),
        ("2405.15071", 19),
    ]


@needs_collections
def test_month_counts_are_the_papers_per_month_of_their_date(archive):
    expected: Counter[str] = Counter()
    matching: Counter[str] = Counter()
    seen = set()
    for path in sorted(ARCHIVE.glob("*.json")):
        papers, _, _ = read_all(path)
        for p in papers:
            if p.id in seen or p.published is None:
                continue
            seen.add(p.id)
            expected[p.published.strftime("%Y-%m")] += 1
    assert archive.month_counts("") == dict(sorted(expected.items()))
    diffusion = archive.month_counts("diffusion")
    ids = archive.search("diffusion", limit=None).ids
    for p in archive.get_many(list(ids)):
        matching[p.published.strftime("%Y-%m")] += 1
    assert diffusion == dict(sorted(matching.items()))
    assert sum(diffusion.values()) == 399
    # A phrase is counted by Whoosh's own grouping; the same figures.
    phrase = archive.month_counts('"diffusion model"')
    ids = archive.search('"diffusion model"', limit=None).ids
    assert sum(phrase.values()) == len(ids)


@needs_collections
def test_featured_bounds_forget_a_removed_paper(tmp_path):
    """The index keeps a deleted paper's terms until its segments merge: the bounds are of
    live papers only (regression: they used to read the terms alone)."""
    import shutil

    days = tmp_path / "days"
    days.mkdir()
    for name in ("2025-01-13.json", "2025-01-20.json"):
        shutil.copy(ARCHIVE / name, days / name)  # a copy: this test deletes one
    lib = Library(Locations(tmp_path / "data"))
    try:
        lib.ingest([days])
        assert lib.featured_bounds() == (D(2025, 1, 13), D(2025, 1, 20))
        gone = days / "2025-01-20.json"
        gone.unlink()
        lib.records.forget_file(str(gone.resolve()))
        lib.ingest([days])  # the index learns of the removed papers
        assert lib.search("", Filters(featured_since=D(2025, 1, 20))).total == 0
        assert lib.featured_bounds() == (D(2025, 1, 13), D(2025, 1, 13))
    finally:
        lib.close()
