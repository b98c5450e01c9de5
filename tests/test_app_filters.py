"""Pilot tests: each filter, their combination with the query, facets, clearing them."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest
from paperbrowse.search.datearg import parse_date_arg
from paperbrowse.search.models import Filters
from paperbrowse.tui.widgets import filters as filters_module
from paperbrowse.tui.widgets.filters import FilterChoice, FiltersPane
from paperbrowse.tui.widgets.results_list import ResultsList
from textual.widgets import Checkbox, Input, Select, SelectionList

from tests.fixtures_app import (
    pilot_test,
    search_for,
    settle,
    started,
    static_text,
)


@pytest.fixture
def services(extra_services):
    return extra_services


# Cursor blink off: the fixture is in tests/conftest.py.
pytestmark = pytest.mark.usefixtures("no_blink")


def shown_papers(app, services):
    return services.library.get_many(list(app.screen.query_one(ResultsList).ids))


async def open_filters(pilot):
    """The filters pane of an app already settled (see :func:`started`), opened by its key."""
    await pilot.press("f")
    await settle(pilot)
    return pilot.app.screen.query_one(FiltersPane)


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.press(*text)
    await settle(pilot)


def test_one_date_parser_for_the_cli_and_the_pane():
    assert parse_date_arg("2024") == date(2024, 1, 1)
    assert parse_date_arg("2024", end=True) == date(2024, 12, 31)
    assert parse_date_arg("2024-02", end=True) == date(2024, 2, 29)
    assert parse_date_arg(" 2024-05-17 ") == date(2024, 5, 17)
    for junk in ("20x4", "2024-13", "2024-1-1-1", "24", "224", "24-05", "2023-02-29", "٢٠٢٤"):
        with pytest.raises(ValueError, match="not a date"):
            parse_date_arg(junk)
    with pytest.raises(ValueError, match="a year has four digits"):
        parse_date_arg("24")
    # The pane keeps no parser of its own (its copy read "to 2024" as 2024-01-01).
    assert not hasattr(filters_module, "parse_date")


def test_filter_choice_describes_itself():
    choice = FilterChoice(min_upvotes=10, years=frozenset({2024}), has_code=True, tag="ml")
    assert choice.active
    assert choice.describe() == "≥10▲ · 2024 · code · #ml"
    assert not FilterChoice().active


def test_filter_choice_is_the_cores_filters_plus_the_panes_own():
    """FilterChoice derives from Filters instead of copying its fields: a filter added to the
    core is in the pane's choice, and in what the choice hands back, without a second list."""
    core = {f.name for f in fields(Filters)}
    assert core <= {f.name for f in fields(FilterChoice)}
    choice = FilterChoice(
        since=date(2024, 1, 1),
        until=date(2024, 12, 31),
        min_upvotes=3,
        years=frozenset({2024}),
        kinds=frozenset({"hf-json"}),
        categories=frozenset({"cs.LG"}),
        has_code=True,
        bookmarked_only=True,
        tag="ml",
    )
    filters = choice.to_filters(frozenset({"2401.00001"}))
    assert type(filters) is Filters
    assert filters == Filters(
        since=date(2024, 1, 1),
        until=date(2024, 12, 31),
        min_upvotes=3,
        years=frozenset({2024}),
        kinds=frozenset({"hf-json"}),
        categories=frozenset({"cs.LG"}),
        has_code=True,
        ids=frozenset({"2401.00001"}),
    )
    assert FilterChoice(tag="ml").to_filters() == Filters()


@pilot_test
async def test_f_shows_filters_with_facet_counts(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        assert app.screen.has_class("-show-filters")
        assert pane.is_on_screen
        facets = services.library.facets("")
        years = pane.query_one("#years", SelectionList)
        labels = [str(years.get_option_at_index(i).prompt) for i in range(years.option_count)]
        year, count = max((y, n) for y, n in facets["year"].items() if y.isdigit())
        assert f"{year}  ({count})" in labels
        kinds = pane.query_one("#kinds", SelectionList)
        assert kinds.option_count == len(facets["kind"])
        await pilot.press("f")
        assert not app.screen.has_class("-show-filters")


@pilot_test
async def test_date_range_filter(services):
    async with started(services) as (app, pilot):
        await open_filters(pilot)
        await type_into(pilot, "#since", "2025-06")
        papers = shown_papers(app, services)
        assert papers and all(p.published and p.published >= date(2025, 6, 1) for p in papers)
        await type_into(pilot, "#until", "2025-10-31")
        papers = shown_papers(app, services)
        assert papers
        assert all(date(2025, 6, 1) <= p.published <= date(2025, 10, 31) for p in papers)
        assert "2025-06-01–2025-10-31" in static_text(app.screen.query_one("#status"))


def problems_text(pane) -> str:
    return static_text(pane.query_one("#problems"))


@pilot_test
async def test_bad_date_is_marked_said_and_not_used(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        await type_into(pilot, "#since", "20x5")
        assert pane.query_one("#since").has_class("-invalid")
        assert app.screen.query_one(ResultsList).row_count == services.library.count()
        # Not silently: a message under the fields, and the status line says it is not used.
        assert pane.query_one("#problems").display
        assert "from: not a date: '20x5'" in problems_text(pane)
        assert "not used" in problems_text(pane)
        assert "⚠ from not used" in static_text(app.screen.query_one("#status"))
        await pilot.press("ctrl+a", "ctrl+k", *"2025")
        await settle(pilot)
        assert not pane.query_one("#since").has_class("-invalid")
        assert not pane.query_one("#problems").display
        assert "⚠" not in static_text(app.screen.query_one("#status"))


@pilot_test
async def test_two_digit_year_is_not_the_year_24(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        await type_into(pilot, "#since", "24")
        assert pane.choice.since is None
        assert pane.query_one("#since").has_class("-invalid")
        assert "a year has four digits" in problems_text(pane)
        assert app.screen.query_one(ResultsList).row_count == services.library.count()


@pilot_test
async def test_to_a_year_means_through_its_last_day(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        await type_into(pilot, "#until", "2025")
        assert pane.choice.until == date(2025, 12, 31)
        papers = shown_papers(app, services)
        expected = services.library.search("", Filters(until=date(2025, 12, 31)), limit=None)
        assert [p.id for p in papers] == list(expected.ids)
        # The sample pages are from December 2025: all of them are "to 2025".
        assert any(p.published and p.published >= date(2025, 12, 1) for p in papers)
        assert "…–2025-12-31" in static_text(app.screen.query_one("#status"))


@pilot_test
async def test_from_after_to_is_said_and_not_used(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        await type_into(pilot, "#since", "2025-10")
        await type_into(pilot, "#until", "2025-06")
        assert "2025-10-01 is after 2025-06-30" in problems_text(pane)
        assert pane.query_one("#until").has_class("-invalid")
        assert app.screen.query_one(ResultsList).row_count == services.library.count()


def year_labels(pane) -> list[str]:
    years = pane.query_one("#years", SelectionList)
    return [str(years.get_option_at_index(i).prompt) for i in range(years.option_count)]


def kind_labels(pane) -> list[str]:
    kinds = pane.query_one("#kinds", SelectionList)
    return [str(kinds.get_option_at_index(i).prompt) for i in range(kinds.option_count)]


@pilot_test
async def test_facet_counts_follow_the_other_filters(services):
    library = services.library
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        # A source picked: the year counts are those of that source's papers...
        pane.query_one("#kinds", SelectionList).select("hf-json")
        await settle(pilot)
        json_years = library.facets("", Filters(kinds=frozenset({"hf-json"})))["year"]
        assert json_years != library.facets("")["year"]
        assert year_labels(pane) == [f"{y}  ({n})" for y, n in sorted(json_years.items())[::-1]]
        # ...while the source counts still offer every source (under the other filters).
        assert len(kind_labels(pane)) == len(library.facets("")["kind"])
        # A year picked too: the source counts follow it.
        year = max(int(y) for y in json_years)
        pane.query_one("#years", SelectionList).select(year)
        await settle(pilot)
        kinds_that_year = library.facets("", Filters(years=frozenset({year})))["kind"]
        assert f"HF API JSON  ({kinds_that_year['hf-json']})" in kind_labels(pane)
        assert f"HF page text  ({kinds_that_year.get('hf-text', 0)})" in kind_labels(pane)
        # And a date filter: both facets count only the papers in the range.
        await type_into(pilot, "#since", "2025-08")
        in_range = library.facets("", Filters(since=date(2025, 8, 1), years=frozenset({year})))
        assert in_range["kind"] != kinds_that_year
        assert f"HF page text  ({in_range['kind']['hf-text']})" in kind_labels(pane)
        in_range = library.facets("", Filters(since=date(2025, 8, 1), kinds=frozenset({"hf-json"})))
        assert f"{year}  ({in_range['year'][str(year)]})" in year_labels(pane)


@pilot_test
async def test_minimum_upvotes_filter(services):
    async with started(services) as (app, pilot):
        await open_filters(pilot)
        await type_into(pilot, "#min-upvotes", "5")
        papers = shown_papers(app, services)
        assert papers and all((p.upvotes or 0) >= 5 for p in papers)
        assert "≥5▲" in static_text(app.screen.query_one("#status"))


@pilot_test
async def test_year_filter(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        years = pane.query_one("#years", SelectionList)
        years.focus()
        years.highlighted = 0
        await pilot.press("space")  # toggles the highlighted (newest) year
        await settle(pilot)
        chosen = pane.choice.years
        assert len(chosen) == 1
        papers = shown_papers(app, services)
        assert papers and all(p.year in chosen for p in papers)


@pilot_test
async def test_source_filter(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        pane.query_one("#kinds", SelectionList).select("hf-json")
        await settle(pilot)
        papers = shown_papers(app, services)
        assert len(papers) == 2
        assert all("hf-json" in p.kinds for p in papers)


@pilot_test
async def test_has_code_filter(services):
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        pane.query_one("#has-code", Checkbox).focus()
        await pilot.press("space")
        await settle(pilot)
        papers = shown_papers(app, services)
        assert papers and all(p.has_code for p in papers)
        assert len(papers) < services.library.count()


@pilot_test
async def test_bookmarked_only_and_tag_filters(services):
    library, store = services.library, services.bookmarks
    ids = list(library.search("", limit=None).ids)
    store.add(library.get(ids[3]), tags=["ml"])
    store.add(library.get(ids[7]), tags=["ml", "later"])
    store.add(library.get(ids[9]))
    async with started(services) as (app, pilot):
        pane = await open_filters(pilot)
        pane.query_one("#bookmarked-only", Checkbox).value = True
        await settle(pilot)
        assert {p.id for p in shown_papers(app, services)} == {ids[3], ids[7], ids[9]}
        pane.query_one("#tag", Select).value = "later"
        await settle(pilot)
        assert [p.id for p in shown_papers(app, services)] == [ids[7]]
        pane.query_one("#bookmarked-only", Checkbox).value = False
        pane.query_one("#tag", Select).value = "ml"
        await settle(pilot)
        assert {p.id for p in shown_papers(app, services)} == {ids[3], ids[7]}


@pilot_test
async def test_filters_combine_with_the_query_and_x_clears_them(services):
    async with started(services) as (app, pilot):
        await search_for(pilot, "zebrafish")
        everything = services.library.search("zebrafish", limit=None).total
        assert everything == 2
        await pilot.press("f")
        await type_into(pilot, "#min-upvotes", "10")
        papers = shown_papers(app, services)
        assert [p.upvotes for p in papers] == [42]
        app.screen.query_one(ResultsList).focus()
        await pilot.press("x")
        await settle(pilot)
        assert not app.screen.query_one(FiltersPane).choice.active
        assert app.screen.query_one("#min-upvotes", Input).value == ""
        assert app.screen.query_one(ResultsList).row_count == everything
        assert "filters" not in static_text(app.screen.query_one("#status"))
