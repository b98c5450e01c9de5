"""Fetching from the arXiv API against a real local server serving the recorded Atom answers.

arXiv's terms: one request every 3 s at most, one connection at a time. The client runs on a
test clock, so the spacing is measured on it (the server stamps each request with the clock's
time), and no test sleeps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from paperbrowse.search.fetch import arxiv
from paperbrowse.search.fetch.http import HttpSettings
from paperbrowse.search.fetch.run import FetchContext, fetch_arxiv
from paperbrowse.search.library import Library
from paperbrowse.search.paths import Locations

from tests.dumps_paths import needs_dumps
from tests.fetch_server import EMPTY_FEED, HTML_PAGE, FakeApis, Fault, TestClock, atom

pytestmark = needs_dumps

NOW = datetime(2026, 8, 20, 7, 30, tzinfo=UTC)


@pytest.fixture
def clock():
    return TestClock()


@pytest.fixture
def apis(clock):
    with FakeApis(clock.monotonic) as apis:
        apis.arxiv[0] = atom("query_testing_2026.xml")  # 10 entries of 214,881
        apis.arxiv[10] = atom("query_au_del_maestro_2016.xml")  # 10 more
        yield apis


@pytest.fixture
def library(tmp_path):
    library = Library(Locations(tmp_path / "data"))
    yield library
    library.close()


def run(library, apis, clock, query="all:testing", most=20, page_size=10):
    said: list[str] = []
    context = FetchContext(
        arxiv_url=apis.url,
        clock=clock,
        now=NOW,
        say=said.append,
        settings=HttpSettings(read_timeout=0.3),
    )
    report = fetch_arxiv(
        library, library.locations.dumps_dir, query, most, context, page_size=page_size
    )
    return report, said


def saved(library) -> dict[str, bytes]:
    folder = library.locations.dumps_dir / "arxiv"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_pages_are_asked_newest_first_three_seconds_apart_on_one_connection(library, apis, clock):
    report, said = run(library, apis, clock)

    assert [(r.path, r.params) for r in apis.requests] == [
        (
            "/api/query",
            {
                "search_query": "all:testing",
                "start": str(start),
                "max_results": "10",
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            },
        )
        for start in (0, 10)
    ]
    times = [r.at for r in apis.requests]
    assert times[1] - times[0] >= arxiv.MIN_INTERVAL
    assert apis.one_connection_at_a_time()
    assert saved(library) == {
        "20260820T073000Z-all-testing-000000.xml": atom("query_testing_2026.xml"),
        "20260820T073000Z-all-testing-000010.xml": atom("query_au_del_maestro_2016.xml"),
    }
    assert report.ingest.papers_new == 20 and library.count() == 20
    assert library.get("2202.12139") is not None  # the first entry of the 2026 answer
    assert report.summary() == "Fetched 2 pages (2 new) · 20 papers new, 0 updated"
    assert said == [] and not report.failed


def test_retries_keep_the_three_seconds_too(library, apis, clock):
    apis.fault("start=10", Fault(503, {"Content-Type": "text/plain"}, b"busy"))
    report, _ = run(library, apis, clock)
    times = [r.at for r in apis.requests]
    assert [r.params["start"] for r in apis.requests] == ["0", "10", "10"]
    assert all(b - a >= arxiv.MIN_INTERVAL for a, b in zip(times, times[1:], strict=False))
    assert report.new == 2 and library.count() == 20


def test_a_429_retry_after_is_waited_and_said(library, apis, clock):
    apis.fault("start=0", Fault(429, {"Retry-After": "20"}, b"slow down"))
    report, said = run(library, apis, clock, most=10)
    assert said == [f"waiting 20 s: {apis.url.split('//')[1]} asks us to slow down"]
    times = [r.at for r in apis.requests]
    assert times[1] - times[0] >= 20
    assert report.new == 1


def test_an_empty_page_before_the_total_ends_the_fetch_and_is_said(library, apis, clock):
    apis.arxiv = {0: atom("query_au_del_maestro_2016.xml")}  # 10 entries of 31
    report, _ = run(library, apis, clock, query="au:del_maestro", most=50, page_size=10)
    # arXiv now and then answers a page with nothing although more results exist.
    assert [r.params["start"] for r in apis.requests] == ["0", "10"]
    assert report.empty == ["results 11-20"]
    assert list(saved(library)) == ["20260820T073000Z-au-del-maestro-000000.xml"]


def test_an_error_feed_is_reported_and_never_saved(library, apis, clock):
    apis.fault(
        "start=0",
        Fault(400, {"Content-Type": "application/atom+xml"}, atom("error_bad_id_2026.xml")),
    )
    report, _ = run(library, apis, clock, most=10)
    assert report.error == "arXiv API error response, no papers in it: incorrect id format for abc"
    assert saved(library) == {} and len(apis.requests) == 1 and report.failed


def test_an_html_page_or_a_truncated_feed_is_never_saved(library, apis, clock):
    apis.fault("start=0", Fault(200, {"Content-Type": "text/html"}, HTML_PAGE))
    report, _ = run(library, apis, clock, most=10)
    assert report.skipped == [
        ("results 1-10", "an HTML page instead of an Atom feed (a proxy or error page?)")
    ]
    apis.fault("start=0", Fault(200, {}, atom("query_testing_2026.xml")[:9000]))
    report, _ = run(library, apis, clock, most=10)
    [(label, why)] = report.skipped
    assert (label, why) == ("results 1-10", "truncated XML: no element found")
    assert saved(library) == {}


def test_an_empty_answer_is_counted_not_saved(library, apis, clock):
    apis.arxiv = {0: EMPTY_FEED}
    report, _ = run(library, apis, clock, query="all:nothingmatches", most=10)
    assert report.empty == ["results 1-10"] and saved(library) == {} and not report.failed


@pytest.mark.parametrize(
    ("query", "categories", "since", "expected"),
    [
        ("all:testing", (), None, "all:testing"),
        ("graph neural", (), None, "(all:graph AND all:neural)"),
        (None, ("cs.CL",), None, "cat:cs.CL"),
        (
            None,
            ("cs.CL", "cs.LG"),
            date(2026, 8, 1),
            "(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202608010000 TO 202608202359]",
        ),
        ("ti:mamba", ("cs.LG",), None, "ti:mamba AND cat:cs.LG"),
    ],
)
def test_build_query(query, categories, since, expected):
    assert arxiv.build_query(query, categories, since, until=date(2026, 8, 20)) == expected


def test_a_range_without_an_end_ends_today_in_gmt():
    today = datetime.now(UTC).date()
    assert arxiv.build_query("all:x", since=date(2026, 8, 1)) == (
        f"all:x AND submittedDate:[202608010000 TO {today:%Y%m%d}2359]"
    )


def test_build_query_needs_something_to_ask():
    with pytest.raises(ValueError, match="QUERY or at least one --category"):
        arxiv.build_query(None, ())
