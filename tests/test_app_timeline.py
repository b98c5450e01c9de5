"""The app's time and reading flows with Pilot: the chart (c), the top of a week/month (T),
the featured-day filter, the upvote history in the detail, the rising sort, the PDF and Hugging
Face keys, and TeX shown as text — on the bundled sample and on the real archive."""

from __future__ import annotations

import io
from datetime import date

import pytest
from paperbrowse.search.models import Filters
from paperbrowse.search.periods import months_between
from paperbrowse.search.services import build_services
from paperbrowse.tui.widgets.detail import DetailPane
from paperbrowse.tui.widgets.results_list import ResultsList
from textual.widgets import Input, Sparkline

from tests.dumps_paths import ARCHIVE, DUMPS
from tests.fixtures_app import (
    RELISTED_ID,
    SIZE,
    make_app,
    pilot_test,
    sample_services,
    screen_text,
    settle,
    static_text,
    write_relisted_days,
)


@pytest.fixture
def sample(tmp_path):
    services = sample_services(tmp_path)
    yield services
    services.close()


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory):
    """The real archive, the arXiv snapshot's first 200 papers (TeX) and a made-up paper
    listed on three days, ingested once; each test opens its own services on a copy."""
    if not ARCHIVE.is_dir() or not DUMPS.is_dir():
        pytest.skip("the archive or the dumps are missing")
    root = tmp_path_factory.mktemp("app-archive")
    days = root / "days"
    days.mkdir()
    write_relisted_days(days)
    services = build_services(root / "data")
    services.library.ingest([ARCHIVE, DUMPS / "arxiv-jsonl", days])
    services.close()
    return root / "data"


@pytest.fixture
def archive(archive_dir, tmp_path):
    import shutil

    shutil.copytree(archive_dir, tmp_path / "data")
    services = build_services(tmp_path / "data")
    yield services
    services.close()


def _status(app) -> str:
    return static_text(app.screen.query_one("#status"))


def _chart(app) -> tuple[str, list]:
    caption = static_text(app.screen.query_one("#trend-caption"))
    return caption, list(app.screen.query_one(Sparkline).data or [])


@pilot_test
async def test_chart_shows_papers_per_month_of_the_query(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#trend").display
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one("#trend").display
        counts = sample.library.month_counts("")
        months = months_between(counts)
        caption, data = _chart(app)
        assert data == [n for _, n in months]
        assert caption == (
            f"Papers per month {months[0][0]} → {months[-1][0]} · most 5 (2024-07) · "
            f"{sum(counts.values())} papers"
        )
        await pilot.press("slash", *"transformer", "enter")
        await settle(pilot)
        caption, data = _chart(app)
        expected = months_between(sample.library.month_counts("transformer"))
        assert data == [n for _, n in expected]
        assert caption.endswith(f"· {sum(n for _, n in expected)} papers")
        await pilot.press("c")
        await settle(pilot)
        assert not app.screen.query_one("#trend").display


@pilot_test
async def test_top_on_a_library_without_featured_days_says_so(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        assert "No paper in the library has a featured day." in [
            n.message for n in app._notifications
        ]
        assert app.screen.sort == "relevance"
        assert app.screen.choice.featured_since is None


@pilot_test
async def test_top_of_the_newest_week_then_month_then_off(archive):
    app = make_app(archive)
    library = archive.library
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        results = app.screen.query_one(ResultsList)
        await pilot.press("T")
        await settle(pilot)
        # The newest featured day is 2026-08-20 (the archive's last day is 2026-08-18, the
        # made-up days are of 2025): its ISO week is 2026-W34.
        week = Filters(featured_since=date(2026, 8, 17), featured_until=date(2026, 8, 23))
        assert app.screen.sort == "upvotes"
        assert app.screen.query_one("#featured-since", Input).value == "2026-08-17"
        assert app.screen.query_one("#featured-until", Input).value == "2026-08-23"
        assert list(results._ids) == list(library.search("", week, sort="upvotes", limit=None).ids)
        assert "featured 2026-08-17–2026-08-23" in _status(app)
        await pilot.press("T")
        await settle(pilot)
        month = Filters(featured_since=date(2026, 8, 1), featured_until=date(2026, 8, 31))
        expected = library.search("", month, sort="upvotes", limit=None)
        assert list(results._ids) == list(expected.ids)
        assert expected.total > len(library.search("", week, limit=None).ids)
        await pilot.press("T")
        await settle(pilot)
        assert app.screen.sort == "relevance"
        assert app.screen.query_one("#featured-since", Input).value == ""
        assert results.row_count == library.count()
        # x clears the week T chose: the next T is the week again, not the month.
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.top_mode is None
        await pilot.press("T")
        await settle(pilot)
        assert app.screen.query_one("#featured-until", Input).value == "2026-08-23"


@pilot_test
async def test_chart_on_the_archive(archive):
    app = make_app(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "slash", *"diffusion", "enter")
        await settle(pilot)
        counts = archive.library.month_counts("diffusion")
        caption, data = _chart(app)
        assert data == [n for _, n in months_between(counts)]
        assert caption == (
            "Papers per month 2007-04 → 2026-08 · most 25 (2025-10) · "
            f"{sum(counts.values())} papers"
        )


@pilot_test
async def test_featured_day_fields_filter_apart_from_the_published_date(archive):
    app = make_app(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#featured-since", Input).value = "2024-05-27"
        app.screen.query_one("#featured-until", Input).value = "2024-05"
        await settle(pilot)
        flt = Filters(featured_since=date(2024, 5, 27), featured_until=date(2024, 5, 31))
        expected = archive.library.search("", flt, limit=None)
        assert expected.total == 24
        assert list(app.screen.query_one(ResultsList)._ids) == list(expected.ids)
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.query_one("#featured-until", Input).value == ""
        assert app.screen.query_one(ResultsList).row_count == archive.library.count()


@pilot_test
async def test_detail_shows_the_upvote_history_and_rising_sorts_it_first(archive):
    app = make_app(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(4):  # relevance → date → upvotes → featured → rising
            await pilot.press("s")
        await settle(pilot)
        assert "sort: rising" in _status(app)
        results = app.screen.query_one(ResultsList)
        assert results._ids[0] == RELISTED_ID  # (41 - 12) / 4 days: the only paper rising
        await pilot.press("enter")
        await settle(pilot)
        detail = static_text(app.screen.query_one("#detail-body"))
        assert "upvotes ▁▅█ 11-03 12 · 11-05 30 · 11-07 41 · rising +7.2/day" in detail
        # TeX in the title and abstract is shown as text.
        assert detail.startswith("Sparse (k,ℓ)-Cores for ζ-Regularised Attention\n")
        assert "Attention over (k,ℓ)-cores of the token graph, with a ζ prior." in detail
        assert app.screen.query_one(DetailPane).paper.title.startswith(r"Sparse $(k,\ell)$")


@pilot_test
async def test_results_show_tex_titles_as_text(archive):
    app = make_app(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"dyadic", "enter")
        await settle(pilot)
        assert "From dyadic Λ_α to Λ_α" in screen_text(app)
        assert "$\\Lambda" not in screen_text(app)


@pilot_test
async def test_pdf_and_hugging_face_keys_open_the_papers_pages(archive, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("paperbrowse.tui.browser.open_link", lambda url: opened.append(url) or True)
    app = make_app(archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"VideoRAG", "enter")
        await settle(pilot)
        await pilot.press("p", "H", "o")
        await settle(pilot)
    assert opened == [
        "https://arxiv.org/pdf/2501.05874",
        "https://huggingface.co/papers/2501.05874",
        "https://arxiv.org/abs/2501.05874",
    ]


@pilot_test
async def test_a_paper_without_an_arxiv_id_opens_searches_for_its_title(sample, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("paperbrowse.tui.browser.open_link", lambda url: opened.append(url) or True)
    app = make_app(sample)
    library = sample.library
    # A sample page paper with no link at all (no arXiv id, no code link).
    unlinked = next(p for p in library.records.iter_papers() if not p.urls and not p.arxiv_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.set_current(unlinked.id)
        await settle(pilot)
        await pilot.press("o", "p", "H")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
    from urllib.parse import quote_plus

    words = quote_plus(unlinked.title)
    assert opened == [
        f"https://arxiv.org/search/?query={words}&searchtype=title",
        f"https://arxiv.org/search/?query={words}&searchtype=title",
        f"https://huggingface.co/papers?q={words}",
    ]
    assert "No web link of its own: searching arXiv for the title" in messages
    assert "No arXiv id: searching Hugging Face for the title" in messages
    assert "This paper has no web link." not in messages


@pilot_test
async def test_new_keys_are_in_help_and_the_palette(sample):
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("PDF", "HF page", "Top of week/month", "Chart"):
            assert title in commands
        await pilot.press("question_mark")
        await settle(pilot)
        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-keys").content)
        shown = console.export_text()
        for line in (
            "Open the paper's PDF (arXiv)",
            "Open the paper's Hugging Face page",
            "Top papers of the newest featured week, then month",
            "Show or hide the papers per month of the query",
            "Sort by relevance, date, upvotes, featured day or rising",
        ):
            assert line in shown, line
