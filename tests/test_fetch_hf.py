"""Fetching Hugging Face Daily Papers against a real local server playing the API.

The server answers with the recorded real responses (``../shared``) at the real URL shapes and
injects the faults of a real network; the client runs on a test clock, so waits (a 429's, the
backoffs) are measured, never slept. Days used for exact counts are ones today's parser reads
(2026-07-31, 2026-08-18 from the collection; 2026-08-20 from hf-daily-json): they share no paper.
"""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from paperbrowse.search.fetch import dumpfiles, hf
from paperbrowse.search.fetch.http import HttpSettings, rate_limit_reset
from paperbrowse.search.fetch.run import FetchContext, fetch_hf
from paperbrowse.search.library import Library
from paperbrowse.search.paths import Locations

from tests.dumps_paths import needs_dumps
from tests.fetch_server import HTML_PAGE, FakeApis, Fault, TestClock, archive_day, refused_url

pytestmark = needs_dumps

TODAY = date(2026, 8, 20)
FIRST_WEEK = [f"2026-08-{d}" for d in range(14, 21)]


@pytest.fixture
def clock():
    return TestClock()


@pytest.fixture
def apis(clock):
    with FakeApis(clock.monotonic) as apis:
        apis.hf["2026-08-18"] = archive_day("2026-08-18")
        apis.hf["2026-08-20"] = archive_day("2026-08-20")
        yield apis


@pytest.fixture
def library(tmp_path):
    library = Library(Locations(tmp_path / "data"))
    yield library
    library.close()


def run(library, apis, clock, listings=None, today=TODAY, url=None, **settings):
    said: list[str] = []
    context = FetchContext(
        hf_url=url or apis.url,
        clock=clock,
        today=today,
        say=said.append,
        settings=HttpSettings(**({"read_timeout": 0.3} | settings)),
    )
    report = fetch_hf(library, library.locations.dumps_dir, listings, context)
    return report, said


def saved(library) -> dict[str, bytes]:
    folder = library.locations.dumps_dir / "hf"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_first_fetch_asks_for_the_last_seven_days_saves_them_verbatim_and_ingests(
    library, apis, clock
):
    report, said = run(library, apis, clock)

    assert apis.hf_requests() == [{"date": d, "limit": "100"} for d in FIRST_WEEK]
    assert {r.path for r in apis.requests} == {"/api/daily_papers"}
    assert apis.one_connection_at_a_time()
    assert saved(library) == {
        "2026-08-18.json": archive_day("2026-08-18"),
        "2026-08-20.json": archive_day("2026-08-20"),
    }
    assert (report.fetched, report.new, report.empty) == (
        7,
        2,
        ["2026-08-14", "2026-08-15", "2026-08-16", "2026-08-17", "2026-08-19"],
    )
    assert report.ingest.papers_new == 44 and library.count() == 44
    assert library.get("2608.16590") is not None  # the first paper of 2026-08-20
    assert not report.failed and said == [] and clock.sleeps == []
    assert report.summary() == (
        "Fetched 7 days (2 new) · 44 papers new, 0 updated · "
        "5 empty (2026-08-14, 2026-08-15, 2026-08-16, 2026-08-17, 2026-08-19)"
    )


def test_next_fetch_goes_on_after_the_last_day_and_asks_again_for_the_last_few(
    library, apis, clock
):
    apis.hf["2026-08-12"] = archive_day("2026-08-12")
    run(library, apis, clock, [hf.Listing.day(date(2026, 8, 12))])
    run(library, apis, clock)
    stamps = {p.name: p.stat().st_mtime_ns for p in (library.locations.dumps_dir / "hf").iterdir()}
    apis.requests.clear()

    report, _ = run(library, apis, clock, today=date(2026, 8, 23))

    # The last three days it has, then every day after the last one up to today.
    asked = [r["date"] for r in apis.hf_requests()]
    assert asked == [
        "2026-08-12",
        "2026-08-18",
        "2026-08-20",
        "2026-08-21",
        "2026-08-22",
        "2026-08-23",
    ]
    assert (report.unchanged, report.new, report.changed) == (3, 0, 0)
    # An unchanged answer is not rewritten: the next ingest skips the file without reading it.
    after = {p.name: p.stat().st_mtime_ns for p in (library.locations.dumps_dir / "hf").iterdir()}
    assert after == stamps
    assert report.ingest.papers_new == 0 and report.ingest.files_unchanged == 3


def test_a_day_whose_list_grew_replaces_its_file_and_updates_the_library(library, apis, clock):
    full = archive_day("2026-08-20")
    apis.hf["2026-08-20"] = json.dumps(json.loads(full)[:5], indent=2).encode()
    run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert library.count() == 5
    apis.hf["2026-08-20"] = full

    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])

    assert report.changed == 1 and saved(library) == {"2026-08-20.json": full}
    assert report.ingest.papers_new == 10 and library.count() == 15


def test_a_day_longer_than_a_page_is_paged_with_p_and_limit(library, apis, clock):
    apis.hf["2026-07-31"] = archive_day("2026-07-31")  # 34 papers
    context = FetchContext(hf_url=apis.url, clock=clock, settings=HttpSettings())
    report = fetch_hf(
        library,
        library.locations.dumps_dir,
        [hf.Listing.day(date(2026, 7, 31))],
        context,
        page_size=10,
    )

    assert apis.hf_requests() == [
        {"date": "2026-07-31", "limit": "10"},
        {"date": "2026-07-31", "limit": "10", "p": "1"},
        {"date": "2026-07-31", "limit": "10", "p": "2"},
        {"date": "2026-07-31", "limit": "10", "p": "3"},
    ]
    assert list(saved(library)) == [
        "2026-07-31.json",
        "2026-07-31.p2.json",
        "2026-07-31.p3.json",
        "2026-07-31.p4.json",
    ]
    assert report.fetched == 1 and report.ingest.papers_new == 34 and library.count() == 34


def test_week_and_month_are_asked_as_such(library, apis, clock):
    apis.hf["2026-W34"] = archive_day("2026-08-18")
    apis.hf["2026-08"] = archive_day("2026-08-20")
    run(library, apis, clock, [hf.Listing.week("2026-W34")])
    report, _ = run(library, apis, clock, [hf.Listing.month("2026-08")])

    assert apis.hf_requests() == [
        {"week": "2026-W34", "limit": "100"},
        {"month": "2026-08", "limit": "100"},
    ]
    assert list(saved(library)) == ["month-2026-08.json", "week-2026-W34.json"]
    assert report.summary().startswith("Fetched 1 month (1 new) · 15 papers new")
    assert library.count() == 44
    with pytest.raises(ValueError, match="ISO week"):
        hf.Listing.week("2026-34")
    with pytest.raises(ValueError, match="month"):
        hf.Listing.month("2026-13")


def test_429_waits_as_the_ratelimit_header_says_and_says_so(library, apis, clock):
    apis.fault(
        "date=2026-08-20",
        Fault(429, {"RateLimit": '"api";r=0;t=42', "RateLimit-Policy": '"api";q=500;w=300'}, b"{}"),
    )
    report, said = run(library, apis, clock, [hf.Listing.day(TODAY)])

    assert clock.sleeps == [42]
    assert said == [f"waiting 42 s: {apis.url.split('//')[1]} asks us to slow down"]
    times = [r.at for r in apis.requests]
    assert times[1] - times[0] == 42  # the retry came exactly when the quota was back
    assert report.new == 1 and library.count() == 15 and not report.failed


def test_429_with_retry_after_waits_that_long(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(429, {"Retry-After": "7"}, b"slow down"))
    report, said = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert clock.sleeps == [7] and len(said) == 1 and "waiting 7 s" in said[0]
    assert report.new == 1


def test_a_429_with_a_retry_after_that_is_no_time_backs_off_instead(library, apis, clock):
    apis.fault("date=2026-08-20", *[Fault(429, {"Retry-After": "soon"}, b"slow down")] * 2)
    report, said = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert clock.sleeps == [4] and said == []  # urllib3's backoff (the first retry is at once)
    assert report.new == 1 and not report.failed


def test_a_429_that_never_ends_stops_the_fetch(library, apis, clock):
    apis.fault("date=2026-08-18", *[Fault(429, {"RateLimit": '"api";r=0;t=600'}, b"{}")] * 5)
    report, said = run(library, apis, clock, hf.days_between(date(2026, 8, 18), TODAY))
    host = apis.url.split("//")[1]
    assert report.error == f"{host} keeps answering 429 (too many requests); try later"
    assert clock.sleeps == [300] * 4  # a wait is capped at five minutes
    assert len(said) == 4 and len(apis.requests) == 5  # and no other day was asked for
    assert saved(library) == {}


def test_rate_limit_header_parsing():
    assert rate_limit_reset('"api";r=0;t=42') == 42
    assert rate_limit_reset('"default";r=50;t=30') == 30
    assert rate_limit_reset("limit=10, remaining=0, reset=5") is None
    assert rate_limit_reset(None) is None


def test_500_then_success_retries_and_saves_the_good_answer(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(500, body=b"Internal Server Error"))
    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert [r["date"] for r in apis.hf_requests()] == ["2026-08-20", "2026-08-20"]
    assert saved(library) == {"2026-08-20.json": archive_day("2026-08-20")}
    assert report.new == 1 and not report.failed


def test_a_day_that_keeps_failing_is_skipped_after_backing_off_and_the_rest_goes_on(
    library, apis, clock
):
    apis.fault("date=2026-08-18", *[Fault(503, body=b"busy")] * 5)
    report, _ = run(library, apis, clock, hf.days_between(date(2026, 8, 18), TODAY))

    assert [r["date"] for r in apis.hf_requests()].count("2026-08-18") == 5
    # urllib3's exponential backoff (factor 2), taken on the test clock.
    assert clock.sleeps == [4, 8, 16]
    assert report.skipped == [("2026-08-18", "HTTP 503")]
    assert list(saved(library)) == ["2026-08-20.json"] and library.count() == 15
    assert report.failed


def test_an_answer_held_past_the_read_timeout_stops_the_fetch_with_one_line(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(stall=True), Fault(stall=True))
    report, _ = run(library, apis, clock, hf.days_between(date(2026, 8, 18), TODAY), read_retries=1)

    host = apis.url.split("//")[1]
    assert report.error == f"{host} did not answer within 0.3 s (2 tries)"
    # What came before is saved and ingested; the stalled day is not saved at all.
    assert list(saved(library)) == ["2026-08-18.json"] and library.count() == 29
    assert report.failed


def test_a_body_cut_short_is_retried_and_never_saved_cut(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(cut=4000))
    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert len(apis.hf_requests()) == 2
    assert saved(library) == {"2026-08-20.json": archive_day("2026-08-20")}

    apis.fault("date=2026-08-20", *[Fault(cut=4000)] * 3)
    apis.hf["2026-08-20"] = archive_day("2026-08-18")  # would change the file if saved
    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert report.error.startswith(f"the answer from {apis.url.split('//')[1]} was cut short")
    assert saved(library) == {"2026-08-20.json": archive_day("2026-08-20")}


def test_a_truncated_body_without_a_length_is_refused_by_its_json(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(body=archive_day("2026-08-20")[:5000]))
    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert report.skipped == [("2026-08-20", "truncated JSON (the answer ends after 5000 bytes)")]
    assert saved(library) == {} and report.failed


def test_an_html_page_with_status_200_is_never_saved(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(200, {"Content-Type": "text/html"}, HTML_PAGE))
    report, _ = run(library, apis, clock, hf.days_between(date(2026, 8, 18), TODAY))
    assert report.skipped == [
        ("2026-08-20", "an HTML page instead of the daily-papers JSON (a proxy or login page?)")
    ]
    assert list(saved(library)) == ["2026-08-18.json"] and library.count() == 29


def test_an_api_error_object_is_reported(library, apis, clock):
    apis.fault("date=2026-08-20", Fault(400, body=b'{"error":"\\"date\\" must be in the past"}'))
    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert report.skipped == [("2026-08-20", 'HTTP 400: "date" must be in the past')]


def test_an_empty_day_is_counted_never_saved(library, apis, clock):
    report, _ = run(library, apis, clock, [hf.Listing.day(date(2026, 8, 16))])
    assert apis.hf_requests() == [{"date": "2026-08-16", "limit": "100"}]
    assert report.empty == ["2026-08-16"] and saved(library) == {} and not report.failed


def test_offline_is_one_line_and_nothing_is_saved(library, clock):
    url = refused_url()
    report, said = run(library, None, clock, [hf.Listing.day(TODAY)], url=url)
    assert report.error == f"cannot reach {url.split('//')[1]}: Connection refused"
    assert saved(library) == {} and report.fetched == 0 and said == []
    assert clock.sleeps == [4, 8]  # connection retries back off too (the first is at once)


def test_stale_temporary_files_of_a_killed_fetch_are_removed_and_never_ingested(
    library, apis, clock
):
    folder = library.locations.dumps_dir / "hf"
    folder.mkdir(parents=True)
    part = folder / ".2026-08-20.json.part-4242"
    part.write_bytes(archive_day("2026-08-20")[:3000])
    report, _ = run(library, apis, clock, [hf.Listing.day(date(2026, 8, 18))])
    assert not part.exists()
    assert list(saved(library)) == ["2026-08-18.json"] and library.count() == 29
    assert not report.ingest.problems


def test_dumps_saved_by_an_interrupted_fetch_are_ingested_by_the_next(library, apis, clock):
    # A fetch killed after saving, before its ingest: the file is there, the library empty.
    folder = library.locations.dumps_dir / "hf"
    folder.mkdir(parents=True)
    (folder / "2026-08-18.json").write_bytes(archive_day("2026-08-18"))
    report, _ = run(library, apis, clock, [hf.Listing.day(TODAY)])
    assert report.unchanged == 0 and report.new == 1
    assert report.ingest.papers_new == 44 and library.count() == 44


def test_ctrl_c_while_saving_leaves_no_partial_dump(tmp_path, monkeypatch):
    target = tmp_path / "hf" / "2026-08-20.json"
    dumpfiles.save_dump(target, b"[]")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dumpfiles.save_dump(target, archive_day("2026-08-20"))
    assert sorted(p.name for p in target.parent.iterdir()) == ["2026-08-20.json"]
    assert target.read_bytes() == b"[]"


def test_days_planning():
    assert [x.value for x in hf.days_between(date(2026, 8, 30), date(2026, 9, 2))] == [
        "2026-08-30",
        "2026-08-31",
        "2026-09-01",
        "2026-09-02",
    ]
    with pytest.raises(ValueError, match="after"):
        hf.days_between(date(2026, 9, 2), date(2026, 9, 1))


def test_latest_days_on_first_use_and_when_up_to_date(tmp_path):
    assert [x.value for x in hf.latest_days(tmp_path, TODAY)] == FIRST_WEEK
    for day in ("2026-08-10", "2026-08-17", "2026-08-19", "2026-08-20"):
        (tmp_path / f"{day}.json").write_bytes(b"[]")
    (tmp_path / "2026-08-20.p2.json").write_bytes(b"[]")  # a later page is not a day
    assert [x.value for x in hf.latest_days(tmp_path, TODAY)] == [
        "2026-08-17",
        "2026-08-19",
        "2026-08-20",
    ]


def test_a_long_range_names_a_few_empty_days_and_counts_the_rest():
    from paperbrowse.search.fetch.report import FetchReport

    report = FetchReport("hf", fetched=9, empty=[f"2026-08-0{d}" for d in range(1, 10)])
    assert report.summary() == (
        "Fetched 9 days · 9 empty (2026-08-01, 2026-08-02, 2026-08-03, … and 6 more)"
    )
