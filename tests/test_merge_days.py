"""One paper listed on several days: one record, the latest upvotes, every featured day, a
stable id; and a withdrawn paper stays marked withdrawn."""

from __future__ import annotations

import json
from datetime import date

from paperbrowse.search.library import Library
from paperbrowse.search.merge import merge_records
from paperbrowse.search.models import Paper
from paperbrowse.search.paths import Locations
from paperbrowse.search.serialize import paper_from_json, paper_to_json


def _day(folder, day: str, upvotes: int, **extra) -> None:
    paper = {
        "id": "2405.00001",
        "title": "Streaming Mixtures of Experts",
        "summary": "We stream experts.",
        "authors": [{"name": "A. Author"}],
        "publishedAt": "2024-05-20T00:00:00.000Z",
        "upvotes": upvotes,
        **extra,
    }
    (folder / f"{day}.json").write_text(json.dumps([{"paper": paper}]), encoding="utf-8")


def test_one_paper_on_three_days(tmp_path):
    dumps = tmp_path / "days"
    dumps.mkdir()
    _day(dumps, "2024-05-27", 30)
    _day(dumps, "2024-05-31", 12)  # votes can go down: the latest count is the true one
    _day(dumps, "2024-05-29", 45)
    lib = Library(Locations(tmp_path / "data"))
    try:
        report = lib.ingest([dumps])
        assert (report.papers_new, report.papers_merged) == (1, 2)
        [paper] = lib.get_many(["2405.00001"])
        assert paper.featured_days == (date(2024, 5, 27), date(2024, 5, 29), date(2024, 5, 31))
        assert paper.featured == date(2024, 5, 27)
        assert paper.upvotes == 12
        # Removing the latest day makes the day before it the latest seen.
        (dumps / "2024-05-31.json").unlink()
        lib.records.forget_file(str((dumps / "2024-05-31.json").resolve()))
        paper = lib.get("2405.00001")
        assert paper.upvotes == 45
        assert paper.featured_days == (date(2024, 5, 27), date(2024, 5, 29))
    finally:
        lib.close()


def test_a_page_paper_keeps_its_id_when_an_api_day_names_it(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Daily Papers\n\nStreaming Mixtures of Experts\n\nWe stream experts.\n\n"
        "  • 1 author\n·\nMay 20, 2024 3\n",
        encoding="utf-8",
    )
    dumps = tmp_path / "days"
    dumps.mkdir()
    _day(dumps, "2024-05-27", 30)
    lib = Library(Locations(tmp_path / "data"))
    try:
        lib.ingest([page])
        [first] = lib.search("", limit=5).hits
        assert first.paper.id.startswith("t-")
        lib.ingest([dumps])
        paper = lib.get(first.paper.id)
        assert paper is not None and lib.count() == 1
        assert paper.arxiv_id == "2405.00001"
        # The dated API count wins over the page's undated one.
        assert paper.upvotes == 30
    finally:
        lib.close()


def test_withdrawn_in_any_listing_is_withdrawn():
    base = Paper(id="x", title="T", featured_days=(date(2025, 1, 2),), upvotes=5)
    later = Paper(
        id="x", title="T", featured_days=(date(2025, 1, 9),), upvotes=1, withdrawn=date(2025, 1, 8)
    )
    merged = merge_records("x", [base, later])
    assert merged.withdrawn == date(2025, 1, 8)
    assert merged.upvotes == 1
    assert paper_from_json(paper_to_json(merged)) == merged


def test_records_stored_before_featured_days_still_count_their_day():
    old = paper_from_json('{"id": "x", "title": "T", "featured": "2024-07-05", "upvotes": 3}')
    assert old.featured_days == ()
    new = Paper(id="x", title="T", featured_days=(date(2024, 7, 9),), upvotes=9)
    merged = merge_records("x", [old, new])
    assert merged.featured_days == (date(2024, 7, 5), date(2024, 7, 9))
    assert merged.upvotes == 9
