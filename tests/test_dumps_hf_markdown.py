"""Markdown / text-browser captures of Daily Papers pages, in the layout dumps/SOURCES.md
describes ("Other captures"): written here from that description (no real capture may be
copied), one a search page cut off mid-paper, one a day page."""

from __future__ import annotations

import os
from datetime import date

from paperbrowse.search.dumps import detect_format
from paperbrowse.search.dumps.hf_text import parse_text
from paperbrowse.search.library import Library
from paperbrowse.search.models import ParseNote
from paperbrowse.search.paths import Locations

from tests.dumps_paths import FIXTURES, read_all

SEARCH = FIXTURES / "hf_capture_search.md"
DAY = FIXTURES / "hf_capture_day.md"

SPARSE = "Sparse Lantern: Lighting Only the Experts a Token Needs"
LONG = (
    "A Deliberately Long Title That a Text Browser Wraps Over Two Heading Lines to Test the Parser"
)


def test_both_captures_are_pages():
    assert detect_format(SEARCH) == detect_format(DAY) == "hf-text"


def test_a_search_page_capture_cut_off_mid_paper():
    papers, problems, notes = read_all(SEARCH)
    assert problems == []
    rows = [(p.title, p.n_authors, p.organization, p.published, p.upvotes) for p in papers]
    # The capture time (2026-06-29) anchors the year-less dates; the comment counts after
    # two dates (6, 2) are not upvotes.
    assert rows == [
        (SPARSE, 3, None, date(2024, 3, 8), 65),
        (LONG, 12, None, date(2026, 6, 2), 7),
        ("Organisation Bylines in Captured Pages", None, "Microsoft", date(2026, 5, 21), 118),
        ("One Author, No Votes", 1, None, date(2025, 12, 30), None),
        ("A Capture Cut Off Mid-Abstract", None, None, None, None),
    ]
    sparse, long_, org, one, cut = papers
    assert sparse.abstract.startswith("We present Sparse Lantern, a fictional method written")
    assert "reaches 41.5\\% of the dense cost" in sparse.abstract
    assert sparse.abstract.endswith("Code is at https://github.com/example/sparse-lantern.")
    assert sparse.urls == ("https://github.com/example/sparse-lantern",)
    assert "\n" not in sparse.abstract and "][" not in sparse.abstract
    assert "SAP^{2} and brackets such as [0, 1) in the text" in long_.abstract
    assert long_.abstract.endswith("is never taken for upvotes.")
    assert org.abstract.startswith("An organisation, not a count of authors")
    assert one.abstract.endswith("which the page shows as a dash.")
    # The partial last paper keeps its title and what was captured of its abstract.
    assert cut.abstract.startswith("This last abstract is cut off by the capture tool")
    assert cut.abstract.endswith("was never saved because the …")
    assert notes == [
        ParseNote(
            str(SEARCH),
            "the capture is truncated ([Content truncated]): its last paper, "
            "'A Capture Cut Off Mid-Abstract', has only what was captured of it",
        )
    ]


def test_a_day_page_capture():
    papers, problems, notes = read_all(DAY)
    assert (problems, notes) == ([], [])
    rows = [(p.title, p.n_authors, p.organization, p.published, p.upvotes) for p in papers]
    # Page date Mar 10 (2026, from the capture time): "Dec 31" is 2025's.
    assert rows == [
        (SPARSE, 3, None, date(2026, 3, 8), 12),
        (
            "Organisation Bylines in Captured Pages",
            None,
            "OpenAI Research",
            date(2025, 12, 31),
            None,
        ),
    ]


def test_truncation_in_a_heading_or_right_after_an_abstract():
    head = "Daily Papers\n\nMar 3\n\n"
    text = head + "### [First][1]\n\n[\n\nAn abstract.\n\n][2]\n\n[Content truncated]\n```\n"
    [paper, note] = list(parse_text(text, "mem", as_of=date(2025, 3, 10)))
    assert (paper.title, paper.abstract) == ("First", "An abstract.")
    assert isinstance(note, ParseNote) and "'First'" in note.message
    text = head + "### [Only a Title][1]\n[Content truncated]\n"
    [paper, _] = list(parse_text(text, "mem", as_of=date(2025, 3, 10)))
    assert (paper.title, paper.abstract) == ("Only a Title", "")


def test_a_link_inside_the_abstract_does_not_close_it():
    text = (
        "Daily Papers\n\n### [Linked][1]\n\n[\n\nSee the demo at [our page][7]\n"
        "and more words after it.\n\n][2]\n\n[\n* 2 authors\n][3]\n\n"
        "·\n\nMar 1, 2025\n\n[\n4\n][4]\n"
    )
    [paper] = list(parse_text(text, "mem", as_of=date(2025, 3, 10)))
    assert paper.abstract == "See the demo at [our page][7] and more words after it."
    assert (paper.n_authors, paper.published, paper.upvotes) == (2, date(2025, 3, 1), 4)


def test_the_two_captures_together_are_one_library(tmp_path):
    lib = Library(Locations(tmp_path / "data"))
    try:
        report = lib.ingest([SEARCH, DAY])
        assert report.problems == []
        assert (report.papers_read, report.papers_new, report.papers_merged) == (7, 5, 2)
        assert lib.count() == 5
    finally:
        lib.close()


def test_a_guessed_date_anchor_is_said_once_per_file(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Daily Papers\n\nDec 12\n\nFirst Paper\n\nAn abstract.\n\n  • 2 authors\n·\nDec 3\n\n"
        "Second Paper\n\nAnother.\n\n  • 1 author\n·\nNov 30\n",
        encoding="utf-8",
    )
    stamp = 1_765_800_000  # 2025-12-15
    os.utime(page, (stamp, stamp))
    anchor = date.fromtimestamp(stamp)
    papers, problems, notes = read_all(page)
    assert problems == [] and [p.published for p in papers] == [
        date(2025, 12, 3),
        date(2025, 11, 30),
    ]
    assert notes == [
        ParseNote(
            str(page),
            "dates without a year resolved against the page's date, read as 2025-12-12 from "
            f"the file's time, {anchor.isoformat()} (the file names no capture date; "
            "--as-of DATE says when it was saved)",
        )
    ]
    # Said by nobody when the date is known: --as-of, or a capture date in the file.
    assert read_all(page, as_of=date(2025, 12, 20))[2] == []
    page.write_text("Captured 2025-12-14\n" + page.read_text(), encoding="utf-8")
    assert read_all(page)[2] == []
    # Without a page date line, the file's time itself is the anchor.
    page.write_text("Daily Papers\n\nFirst Paper\n\nAn abstract.\n\n  • 2 authors\n·\nDec 3\n")
    os.utime(page, (stamp, stamp))
    assert [n.message for n in read_all(page)[2]] == [
        f"dates without a year resolved against the file's time, {anchor.isoformat()} (the file "
        "names no capture date; --as-of DATE says when it was saved)"
    ]
    # Nor when every date has its year.
    page.write_text(
        "Daily Papers\n\nFirst Paper\n\nAn abstract.\n\n  • 2 authors\n·\nDec 3, 2024\n"
    )
    assert read_all(page)[2] == []


def test_upvotes_without_a_date_are_not_a_byline():
    text = "Daily Papers\n\n### [No Date][1]\n\n[\n\nAn abstract.\n\n][2]\n\n[\n9\n][3]\n"
    [paper] = list(parse_text(text, "mem", as_of=date(2025, 3, 10)))
    assert (paper.organization, paper.upvotes, paper.published) == (None, 9, None)


def test_a_day_page_address_dates_the_page():
    """The capture's URL names the day with its year (an old day's page captured a year
    later): its papers' year-less dates follow that day, not the capture time."""
    text = (
        "# Web source\n\n- URL: https://huggingface.co/papers/date/2024-12-30\n"
        "- Captured (UTC): 2026-01-04T09:00:00+00:00\n\n```text\n# Daily Papers\n\nDec 30\n\n"
        "### [Late in the Year][1]\n\n[\n\nAn abstract.\n\n][2]\n\n[\n* 2 authors\n][3]\n\n"
        "·\n\nDec 29\n\n[\n5\n][4]\n```\n"
    )
    [paper] = list(parse_text(text, "mem"))
    assert (paper.published, paper.upvotes, paper.n_authors) == (date(2024, 12, 29), 5, 2)
