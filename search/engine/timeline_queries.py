"""What the index answers about time, as plain values: papers per month (dict of ``YYYY-MM``
to count) and the first and last featured day. Mixed into
:class:`~search.engine.searching.PaperIndex`."""

from __future__ import annotations

from datetime import date

from paperbrowse.search.engine.queries import sets_answer
from paperbrowse.search.engine.timeline import from_datenum
from paperbrowse.search.models import Filters
from whoosh import query, sorting


class TimelineQueries:
    """What :class:`~search.engine.searching.PaperIndex` answers about time (mixed into it)."""

    def month_counts(self, text: str, filters: Filters) -> dict[str, int]:
        """Papers matching a query and filters per month of their date (``YYYY-MM``), in month
        order; papers without a date are left out."""
        q = self.parser().parse(text)  # type: ignore[attr-defined]
        if filters.ids is not None and not filters.ids:
            return {}
        cache = self.cache()  # type: ignore[attr-defined]
        flt = cache.filter_set(filters)
        if sets_answer(q):
            docs = None if isinstance(q, query.Every) else cache.query_docs(q)
            if docs is not None and flt is not None:
                docs &= flt
            elif docs is None:
                docs = flt
            counts = cache.facet_counts("month", docs)
        else:
            facet = sorting.FieldFacet("month", maptype=sorting.Count)
            results = self.searcher().search(  # type: ignore[attr-defined]
                q, filter=flt, limit=1, groupedby={"month": facet}
            )
            counts = {
                (k.decode() if isinstance(k, bytes) else str(k)): v
                for k, v in results.groups("month").items()
                if k is not None
            }
        return {m: n for m, n in sorted(counts.items()) if m != "unknown"}

    def featured_bounds(self) -> tuple[date | None, date | None]:
        """The earliest and the latest day any paper was featured on (None, None: no paper was)."""
        reader = self.searcher().reader()  # type: ignore[attr-defined]
        if reader.segments() is None or "featured_day" not in reader.schema:
            return None, None
        cache = self.cache()  # type: ignore[attr-defined]
        # The lexicon keeps the days of deleted papers until segments merge: the first and
        # the last day some live paper holds.
        days = sorted(int(t) for t in reader.lexicon("featured_day") if int(t))

        def held(day: int) -> bool:
            return bool(cache.docs(query.Term("featured_day", str(day))))

        first = next((d for d in days if held(d)), None)
        if first is None:
            return None, None
        last = next(d for d in reversed(days) if held(d))
        return from_datenum(first), from_datenum(last)
