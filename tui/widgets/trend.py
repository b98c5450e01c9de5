"""The chart pane: papers per month for the current query and filters, as Textual's own
Sparkline (drawn by Textual, not by hand) under a caption that gives the figures."""

from __future__ import annotations

from collections.abc import Mapping

from paperbrowse.search.periods import months_between
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static


class TrendPane(Vertical):
    """Shows what ``show`` is given; asks for nothing itself (the screen runs the counts)."""

    DEFAULT_CSS = """
    TrendPane { height: 5; padding: 0 1; border-bottom: hkey $panel; }
    TrendPane #trend-caption { height: 1; color: $text-muted; }
    TrendPane Sparkline { height: 3; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Papers per month: counting…"), id="trend-caption")
        yield Sparkline([], id="trend-spark")

    def show(self, counts: Mapping[str, int], matching: int = 0) -> None:
        """Draw ``counts`` (``YYYY-MM`` → papers; months in between count 0) of the
        ``matching`` papers (those without a date are in no month)."""
        months = months_between(counts)
        self.query_one(Sparkline).data = [n for _, n in months]
        self.query_one("#trend-caption", Static).update(caption(months, matching))


def caption(months: list[tuple[str, int]], matching: int = 0) -> Text:
    """``Papers per month · 2,485 papers · 2024-05 → 2026-08 · most 46 (2024-12)``; when some
    of the ``matching`` papers have no date (they are in no month), ``36 of 118 dated``. The
    count comes first: in a narrow pane the end of the line is cut."""
    if not months:
        return Text("Papers per month: no matching paper has a date")
    total = sum(n for _, n in months)
    peak_month, peak = max(months, key=lambda m: (m[1], m[0]))
    counted = f"{total:,} paper{'s' if total != 1 else ''}"
    if matching > total:
        counted = f"{total:,} of {matching:,} dated"
    return Text.assemble(
        ("Papers per month", "bold"),
        (" · ", "dim"),
        counted,
        (" · ", "dim"),
        f"{months[0][0]} → {months[-1][0]}",
        (" · ", "dim"),
        f"most {peak:,} ({peak_month})",
    )
