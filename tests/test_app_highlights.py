"""Pilot tests: every matched word is highlighted, whatever field it matched, and the status
line names the order the results are really in."""

from __future__ import annotations

import pytest
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList

from tests.fixtures_app import SIZE, make_app, pilot_test, settle, static_text

pytestmark = pytest.mark.usefixtures("no_blink")

#: In the sample library "cornerstone" is in two abstracts and no title.
ABSTRACT_ONLY = "cornerstone"


def status(app) -> str:
    return static_text(app.screen.query_one("#status"))


def test_a_word_only_in_abstracts_gives_its_term(services):
    library = services.library
    papers = library.get_many(library.search("", limit=None).ids)
    assert not any(ABSTRACT_ONLY in p.title.lower() for p in papers)
    result = library.search(ABSTRACT_ONLY, snippets=True)
    assert result.total == 2
    assert result.terms == ("cornerston",)
    assert result.order == "relevance"
    for hit in result.hits:
        assert [hit.snippet[s:e].lower() for s, e in hit.highlights] == [ABSTRACT_ONLY]


def test_terms_of_every_leaf_and_none_under_not(services):
    result = services.library.search("cornerstone OR diffusion NOT video")
    assert set(result.terms) == {"cornerston", "diffus"}
    assert "video" not in services.library.search("diffusion NOT video").terms


def test_order_names_the_fallback_to_newest_first(services):
    library = services.library
    assert library.search("").order == "date"
    # Prefix words are scored as the words they expand to (issue 15): ranked, not a fallback.
    assert library.search("quant*").order == "relevance"
    assert library.search("quantization").order == "relevance"
    assert library.search("quantization", sort="upvotes").order == "upvotes"


def _detail_matches(app) -> list[str]:
    """The words the detail pane draws in its match style."""
    match = app.screen.query_one(DetailPane).styles_for_parts()["match"]
    body = app.screen.query_one("#detail-body").content
    return [body.plain[s.start : s.end].lower() for s in body.spans if s.style == match]


@pilot_test
async def test_abstract_only_word_gets_snippet_lines_and_highlights(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *ABSTRACT_ONLY, "enter")
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        assert results.row_count == 2
        assert results.two_line  # a snippet line under each title, with the word in it
        styled = _detail_matches(app)
        assert ABSTRACT_ONLY in styled
        assert "sort: relevance" in status(app)
        assert "newest first" not in status(app)


@pilot_test
async def test_status_says_newest_first_when_relevance_has_nothing_to_rank(services):
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # No query: nothing to rank by relevance, and the label says what the order is.
        assert "newest first" in status(app)
        assert "sort: relevance" not in status(app)
        results = app.screen.query_one(ResultsList)
        expected = services.library.search("", limit=None)
        assert list(results.ids) == list(expected.ids)
        await pilot.press("s")  # date, asked for: the label says so
        await settle(pilot)
        assert "sort: date" in status(app)


@pilot_test
async def test_author_matches_are_highlighted_in_the_detail(extra_services):
    app = make_app(extra_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lovelace", "enter")
        await settle(pilot)
        styled = _detail_matches(app)
        assert "lovelace" in styled
