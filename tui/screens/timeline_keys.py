"""The main screen's time keys: ``T`` the top papers of a week, then of a month, and ``c``
the papers-per-month chart of the current query.

``T`` takes the week (then the month) of the newest day a paper of the library was featured
on: today's, for a reader who fetches every morning; the last one there is, for an archive.
It fills the filter pane's featured-day fields and sorts by upvotes; a third ``T`` clears
them and puts the sort back.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from paperbrowse.search.periods import month_of, week_of
from paperbrowse.tui.dbwork import ask
from paperbrowse.tui.widgets.filters import FiltersPane
from paperbrowse.tui.widgets.trend import TrendPane
from textual.binding import Binding
from textual.timer import Timer

BINDINGS = [
    Binding(
        "T",
        "top_period",
        "Top of week/month",
        key_display="T",
        show=False,
        tooltip="Top papers of the newest featured week, then month, by upvotes; again: off",
    ),
    Binding(
        "c",
        "toggle_chart",
        "Chart",
        show=False,
        tooltip="Show or hide the papers per month of the query",
    ),
]

_TOP_MODES = (None, "week", "month")


class TimelineActions:
    """Mixed into the main screen (it provides the services and their lanes, the query text
    and filter choice, ``sort``, ``query_in_flight`` and the widgets)."""

    top_mode: str | None = None
    chart_shown: bool = False
    _sort_before_top: str | None = None
    _trend_timer: Timer | None = None
    _trend_seq: int = 0

    # -- top of a week or month ----------------------------------------------------------------

    def action_top_period(self) -> None:
        mode = _TOP_MODES[(_TOP_MODES.index(self.top_mode) + 1) % len(_TOP_MODES)]
        self.top_mode = mode
        if mode is None:
            self.query_one(FiltersPane).set_featured(None, None)  # type: ignore[attr-defined]
            if self._sort_before_top is not None:
                self.sort = self._sort_before_top  # type: ignore[attr-defined]
                self._sort_before_top = None
            self.notify("Top papers: off")  # type: ignore[attr-defined]
            return
        library = self.services.library  # type: ignore[attr-defined]

        def newest() -> date | None:
            return library.featured_bounds()[1] if not library.is_empty() else None

        ask(
            self,  # type: ignore[arg-type]
            self.services.reads,  # type: ignore[attr-defined]
            newest,
            partial(self._show_top, mode),
            group="top",
            # The index may be missing or unreadable: then there is nothing to rank.
            failed=lambda _: self._show_top(mode, None),
        )

    def _show_top(self, mode: str, latest: date | None) -> None:
        if mode != self.top_mode:
            return  # T was pressed again meanwhile
        if latest is None:
            self.top_mode = None
            self.notify("No paper in the library has a featured day.", severity="warning")  # type: ignore[attr-defined]
            return
        period = week_of(latest) if mode == "week" else month_of(latest)
        if self.sort != "upvotes":  # type: ignore[attr-defined]
            if self._sort_before_top is None:
                self._sort_before_top = self.sort  # type: ignore[attr-defined]
            self.sort = "upvotes"  # type: ignore[attr-defined]
        self.query_one(FiltersPane).set_featured(period.first, period.last)  # type: ignore[attr-defined]
        self.notify(  # type: ignore[attr-defined]
            f"Top papers of {period.name} ({period.first.isoformat()} – "
            f"{period.last.isoformat()}), by upvotes · T again: "
            + ("the month" if mode == "week" else "off")
        )

    def featured_choice_changed(self, choice) -> None:
        """The filter pane changed: once its featured-day fields are empty (``x``, or typed
        away), ``T`` starts again from the week."""
        if choice.featured_since is None and choice.featured_until is None:
            self.top_mode = None
            self._sort_before_top = None

    # -- papers per month ----------------------------------------------------------------------

    def action_toggle_chart(self) -> None:
        self.chart_shown = not self.chart_shown
        self.set_class(self.chart_shown, "-show-chart")  # type: ignore[attr-defined]
        if self.chart_shown:
            self._run_trend()
        elif self._trend_timer is not None:
            self._trend_timer.stop()

    def results_shown(self) -> None:
        """Called when new results are on screen: the chart follows them once typing pauses
        (counting months holds the library, like the facet counts)."""
        if not self.chart_shown:
            return
        if self._trend_timer is not None:
            self._trend_timer.stop()
        self._trend_timer = self.set_timer(self.settings.debounce, self._trend_due)  # type: ignore[attr-defined]

    def _trend_due(self) -> None:
        if self.chart_shown and not self.query_in_flight:  # type: ignore[attr-defined]
            self._run_trend()

    def _run_trend(self) -> None:
        from paperbrowse.tui.screens.query_actions import (
            filters_for,  # the query mixin, beside this one on the screen
        )

        self._trend_seq += 1
        seq, query = self._trend_seq, self.query_text  # type: ignore[attr-defined]
        choice, services = self.choice, self.services  # type: ignore[attr-defined]
        # The papers the list shows: the pane's filters and what a watch or N adds to them.
        restrict = self.restrict_now()  # type: ignore[attr-defined]

        def count() -> tuple[dict[str, int], int]:
            library = services.library
            if library.is_empty():
                return {}, 0
            filters = restrict(filters_for(services, choice))
            # With how many papers match, so that the caption can say how many lack a date.
            total = library.search(query, filters, sort="date", limit=0, all_ids=False).total
            return library.month_counts(query, filters), total

        ask(
            self,  # type: ignore[arg-type]
            services.reads,
            count,
            partial(self._show_trend, seq),
            group="trend",
            # A bad query is the search bar's to explain: the chart draws nothing.
            failed=lambda _: self._show_trend(seq, ({}, 0)),
        )

    def _show_trend(self, seq: int, answer: tuple[dict[str, int], int]) -> None:
        if seq == self._trend_seq:
            self.query_one(TrendPane).show(*answer)  # type: ignore[attr-defined]
