"""The benchmark's TUI probe runs against the app as it is, and its figures reach the report.

Only what was measured is checked (which figures, how many), never how fast: timings belong in
docs/benchmarks.md, not in tests.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench import run, tui_probe  # noqa: E402

pytestmark = pytest.mark.usefixtures("no_blink")


@pytest.mark.slow  # the app driven through every figure of the benchmark
def test_tui_probe_measures_every_figure(tmp_path):
    from paperbrowse.search.services import build_services
    from paperbrowse.tui.app import PaperBrowseApp

    from tests.fixtures_app import sample_services

    services = sample_services(tmp_path)
    data_dir = services.locations.data_dir
    services.close()  # the probe opens the library itself, as in its own process
    out = asyncio.run(
        tui_probe.tui_figures(str(data_dir), 0.0, 0.0, build_services, PaperBrowseApp)
    )
    texts = 3  # diffusion model, quantum, graph neural
    assert len(out["keystroke_ms"]) == texts
    assert len(out["typing_ms"]) == texts
    assert all(ms > 0 for ms in out["keystroke_ms"] + out["typing_ms"])
    assert set(out["key_echo_ms"]) == {"p50", "max"}
    # One hand-over per result waited for, per text: the burst before the pause, after the
    # pause, while typing, slow typing, and the three clears of the query in between.
    assert len(out["hand_over_ms"]) == texts * 7
    for hand_over in out["hand_over_ms"]:
        # The stamps belong to one result, in order: handed over, taken, refreshed, painted.
        assert min(hand_over["queue_ms"], hand_over["show_ms"], hand_over["frame_ms"]) >= 0
    assert out["debounce_ms"] == 150
    # Resident memory split: the app's own pages and the mapped index files' (Linux).
    assert out["rss_anon_mb"] > 0 and out["rss_file_mb"] > 0
    assert out["rss_anon_mb"] + out["rss_file_mb"] <= out["rss_now_mb"] + 1


def _results_with_tui(tui: dict) -> dict:
    results = json.loads(run.RESULTS.read_text(encoding="utf-8"))
    full = [r for r in results["sizes"] if "ingest" in r]
    for size in full:
        size["tui"] = dict(size["tui"])
    full[0]["tui"] = full[0]["tui"] | tui
    return results


def _tui_row(text: str, papers: str) -> list[str]:
    table = text[text.index("### TUI") :]
    row = next(line for line in table.splitlines() if line.startswith(f"| {papers} |"))
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_report_shows_both_keystroke_figures_and_the_hand_over():
    results = _results_with_tui(
        {
            "keystroke_ms": [91.0, 52.4, 60.0],
            "typing_ms": [250.0, 240.0, 262.0],
            "key_echo_ms": {"p50": 4.2, "max": 12.0},
            "hand_over_ms": [{"total_ms": 30.0}, {"total_ms": 40.0}, {"total_ms": 90.0}],
        }
    )
    first = min(r["papers"] for r in results["sizes"] if "ingest" in r)
    cells = _tui_row(run.render(results), f"{first:,}")
    assert cells[3:8] == ["**91, 52, 60**", "250, 240, 262", "40", "4 / 12", "150"]


def test_report_splits_the_apps_memory_where_measured():
    results = _results_with_tui({"rss_now_mb": 601.0, "rss_anon_mb": 295.0, "rss_file_mb": 270.0})
    first = min(r["papers"] for r in results["sizes"] if "ingest" in r)
    assert _tui_row(run.render(results), f"{first:,}")[8] == "601 (295 + 270)"
    for size in results["sizes"]:
        size.get("tui", {}).pop("rss_anon_mb", None)
    assert _tui_row(run.render(results), f"{first:,}")[8] == "601"


def test_report_keeps_runs_measured_before_the_typing_figures():
    """--keep carries older sizes' figures along: the columns they lack show a dash."""
    results = _results_with_tui({"keystroke_ms": [283.0, 234.0, 219.0]})
    for size in results["sizes"]:
        for key in ("typing_ms", "key_echo_ms", "hand_over_ms"):
            size.get("tui", {}).pop(key, None)
    first = min(r["papers"] for r in results["sizes"] if "ingest" in r)
    cells = _tui_row(run.render(results), f"{first:,}")
    assert cells[3:7] == ["**283, 234, 219**", "–", "–", "–"]


@pytest.mark.slow  # the app driven through every figure, over a reader's state
def test_tui_probe_runs_again_over_a_reader_state(tmp_path):
    """The second TUI run of the benchmark (issue 16): read state, bookmarks, watches and a
    last session are in place, and the app under the probe really starts with them."""
    from paperbrowse.search.services import build_services
    from paperbrowse.tui.app import PaperBrowseApp

    from tests.fixtures_app import sample_services

    services = sample_services(tmp_path)
    data_dir = services.locations.data_dir
    papers = services.library.count()
    services.close()
    state = run.probe_user_state(str(data_dir))
    assert state["papers"] == papers
    assert state["read"] == len(range(0, papers, run.STATE_READ_EVERY))
    assert state["watches"] == len(run.STATE_WATCHES)
    assert state["new"] == max(1, round(papers * run.STATE_NEW_SHARE))
    out = asyncio.run(
        tui_probe.tui_figures(str(data_dir), 0.0, 0.0, build_services, PaperBrowseApp)
    )
    assert out["read_loaded"] == state["read"]
    assert out["new_loaded"] == state["new"]
    assert len(out["watch_rows"]) == len(run.STATE_WATCHES)
    assert all(n is not None for n in out["watch_rows"])
    assert out["watch_list_ms"] > 0 and out["reading_loaded_ms"] > 0


def test_report_shows_the_reader_state_row_beside_the_plain_one():
    results = _results_with_tui(
        {"reading_loaded_ms": 420.0, "watch_list_ms": 35.0, "watch_rows": [0, 3]}
    )
    full = [r for r in results["sizes"] if "ingest" in r]
    full[0]["tui_state"] = full[0]["tui"] | {
        "first_paint_ms": 500.0,
        "watch_rows": [2, None],
        "state": {"papers": 100000, "read": 5000, "bookmarks": 8, "watches": 2, "new": 1000},
    }
    first = f"{min(r['papers'] for r in full):,}"
    text = run.render(results)
    assert _tui_row(text, first)[9:] == ["420", "35 (0, 3)"]
    state_row = _tui_row(text, f"{first} + reader state")
    assert state_row[2] == "**500**"
    assert state_row[10] == "35 (2, ?)"
    assert "5,000 papers read (5%), 8 bookmarks, 2 watches, 1,000 papers new" in text
