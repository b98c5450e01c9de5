"""`paperbrowse top`, `trend`, the featured-day options and sorts of `search`, and TeX shown as
text in `show` — through the installed entry point, on the real archive and dumps."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from paperbrowse.search.periods import week_of

from tests.dumps_paths import ARCHIVE, DUMPS
from tests.fixtures_cli import run
from tests.fixtures_dumps import DAY, relisted


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    if not ARCHIVE.is_dir() or not DUMPS.is_dir():
        pytest.skip("the archive or the dumps are missing")
    folder = tmp_path_factory.mktemp("timeline") / "data"
    result = run("ingest", str(ARCHIVE), str(DUMPS), "--as-of", "2025-12-20", data_dir=folder)
    assert result.returncode == 0, result.stderr
    return folder


def test_top_of_a_week_by_upvotes(data):
    result = run("top", "--week", "2024-W22", "--limit", "3", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Top papers featured in 2024-W22 (2024-05-27 – 2024-06-02), by upvotes",
        "1  32  2024-05-27  ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large "
        "Multimodal Models",
        "2  28  2024-05-27  Meteor: Mamba-based Traversal of Rationale for Large Language and "
        "Vision Models",
        "3  19  2024-05-27  Grokked Transformers are Implicit Reasoners: A Mechanistic Journey "
        "to the Edge of Generalization",
    ]
    assert result.stderr == "3 of 24 papers (--limit for more)\n"


def test_top_of_a_month_as_json(data):
    result = run("top", "--month", "2025-01", "--limit", "2", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {k: out[k] for k in ("period", "first", "last", "total")} == {
        "period": "2025-01",
        "first": "2025-01-01",
        "last": "2025-01-31",
        "total": 37,
    }
    assert [(p["id"], p["upvotes"], p["featured"]) for p in out["papers"]] == [
        ("2501.09891", 71, "2025-01-20"),
        ("2501.02976", 35, "2025-01-07"),
    ]
    # A bare period names its kind by its form.
    same = run("top", "2025-01", "--limit", "2", "--json", data_dir=data)
    assert json.loads(same.stdout) == out


def test_top_defaults_to_the_current_week_and_says_where_papers_are(data):
    result = run("top", data_dir=data)
    assert result.returncode == 0
    assert result.stdout == ""
    this_week = week_of(date.today())
    assert result.stderr == (
        f"No papers featured in {this_week.name} ({this_week.first.isoformat()} – "
        f"{this_week.last.isoformat()}); the latest featured day is 2026-08-20 "
        "(top 2026-W34).\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "--month"), "paperbrowse: --week and --month: choose one\n"),
        (("2024-W60",), "paperbrowse: 2024-W60 is no ISO week (weeks run 1 to 52 or 53)\n"),
        (
            ("--week", "2024-05"),
            "paperbrowse: '2024-05' is not a week YYYY-Www (e.g. 2024-W22, 2024-05)\n",
        ),
    ],
)
def test_top_rejects_bad_periods_in_one_line(data, args, message):
    result = run("top", *args, data_dir=data)
    assert (result.returncode, result.stderr) == (2, message)


def test_trend_draws_a_bar_per_month_in_a_pipe(data):
    result = run("trend", "diffusion", data_dir=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # The arXiv snapshot's 2007 papers first, then the months in between as empty bars, then
    # 2024-05 … 2026-08 from the archive and the dumps.
    assert lines[0] == "2007-04   5  ██████████"
    assert lines[1] == "2007-05   0"
    assert "2024-12  23  ██████████████████████████████████████████████" in lines
    assert lines[-1].startswith("2026-08  ")
    assert len(lines) == (2026 - 2007) * 12 + 5
    as_json = json.loads(run("trend", "diffusion", "--json", data_dir=data).stdout)
    assert list(as_json) == [line[:7] for line in lines]
    assert as_json["2024-12"] == 23
    assert result.stderr == f"{sum(as_json.values())} papers in {len(lines)} months\n"


def test_trend_of_the_whole_library_fills_empty_months(data):
    out = json.loads(run("trend", "--json", data_dir=data).stdout)
    months = list(out)
    assert (months[0], out["2004-12"]) == ("2004-12", 1)  # the oldest paper's month
    assert out["2005-01"] == 0  # a month with no paper is drawn empty, not skipped
    assert months == sorted(months)


def test_trend_between_two_dates(data):
    result = run("trend", "diffusion", "--since", "2024-11", "--until", "2025-01", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [
        ["2024-11", "16"],
        ["2024-12", "23"],
        ["2025-01", "7"],
    ]


def test_trend_of_a_bad_query_is_one_line(data):
    result = run("trend", "AND", data_dir=data)
    assert (result.returncode, result.stderr) == (
        1,
        "paperbrowse: query 'AND' has no searchable words\n",
    )


def test_search_by_featured_day_apart_from_the_arxiv_date(data):
    args = ("search", "", "--featured-since", "2024-05-27", "--featured-until", "2024-06-02")
    result = run(*args, "--limit", "100", "--json", "--sort", "featured", data_dir=data)
    assert result.returncode == 0, result.stderr
    papers = json.loads(result.stdout)
    assert len(papers) == 24
    days = [p["featured"] for p in papers]
    assert days == sorted(days, reverse=True) and days[0] == "2024-05-31"
    table = run(*args, "--sort", "featured", "--limit", "1", data_dir=data).stdout
    assert table.splitlines()[0].split()[:4] == ["#", "id", "featured", "up"]
    bad = run("search", "x", "--featured-since", "someday", data_dir=data)
    assert bad.returncode == 2 and bad.stderr.startswith("paperbrowse: --featured-since: ")


def test_search_sorts_by_rising(data):
    result = run("search", "video", "--sort", "rising", "--limit", "3", "--json", data_dir=data)
    assert result.returncode == 0, result.stderr
    # One observation each in these dumps: all rise by 0, the most upvoted first.
    assert [p["upvotes"] for p in json.loads(result.stdout)] == [166, 160, 145]


def test_show_prints_tex_as_text_and_json_keeps_the_original(data):
    shown = run("show", "0704.0002", data_dir=data).stdout
    assert "the (k,ℓ)-pebble game with colors" in shown
    raw = json.loads(run("show", "0704.0002", "--json", data_dir=data).stdout)
    assert "the $(k,\\ell)$-pebble game with colors" in raw["abstract"]
    title = run("show", "0704.0005", data_dir=data).stdout.splitlines()[0]
    assert title == "From dyadic Λ_α to Λ_α"


@pytest.mark.parametrize(
    ("query", "paper"),
    [
        ("ζ", "2608.16590"),  # "Zetta ζ: …" (HF, Unicode)
        ("zeta", "2608.16590"),
        ("α", "0704.0005"),  # "$\Lambda_{\alpha}$" (arXiv, TeX)
        ("alpha", "0704.0005"),
        ("Gröbner", "0704.0019"),  # 'Gr\"obner' (arXiv, TeX accent)
        ("ℓ-pebble", "0704.0002"),  # "(k,ℓ)-pebble": main's query reading ranks it lower now
    ],
)
def test_both_forms_of_tex_are_searchable(data, query, paper):
    result = run("search", query, "--json", "--limit", "50", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert paper in [p["id"] for p in json.loads(result.stdout)]


def test_show_prints_the_upvote_history_and_rising_rate(tmp_path):
    data = tmp_path / "data"
    later = relisted(tmp_path)
    assert run("ingest", str(ARCHIVE / DAY), str(later), data_dir=data).returncode == 0
    shown = run("show", "2501.05874", data_dir=data).stdout.splitlines()
    assert "Upvotes:    40" in shown
    assert "History:    2025-01-13 19, 2025-01-16 40 (rising +7.0/day)" in shown
    raw = json.loads(run("show", "2501.05874", "--json", data_dir=data).stdout)
    assert raw["upvote_history"] == [["2025-01-13", 19], ["2025-01-16", 40]]
    # One observation: no history line.
    single = run("show", "2501.06186", data_dir=data).stdout
    assert "History:" not in single and "Upvotes:    5" in single
    rising = run("search", "", "--sort", "rising", "--limit", "2", "--json", data_dir=data)
    assert [p["id"] for p in json.loads(rising.stdout)] == ["2501.05874", "2501.05727"]
