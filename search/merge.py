"""One paper, one record: merging what several dumps say about the same paper.

The merged record is recomputed from every source record of the paper (not folded incrementally),
so that re-ingesting a changed dump replaces exactly what that dump contributed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

from paperbrowse.search.models import FORMATS, Paper
from paperbrowse.search.rising import upvote_history

T = TypeVar("T")

# Which dump is most trusted for bibliographic fields: arXiv's own metadata first, then the HF API,
# then page copies (which have no ids, no author names and year-less dates).
_PRIORITY = {kind: rank for rank, kind in enumerate(FORMATS[::-1])}


def _rank(paper: Paper) -> tuple[int, str]:
    best = min((_PRIORITY.get(k, 99) for k in paper.kinds), default=99)
    return best, paper.sources[0] if paper.sources else ""


def _first(values: Iterable[T | None]) -> T | None:
    for value in values:
        if value:
            return value
    return None


def _union(groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def _max(values: Iterable[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _days(paper: Paper) -> tuple[date, ...]:
    # Records stored before featured_days existed carry only ``featured``.
    return paper.featured_days or ((paper.featured,) if paper.featured else ())


def _latest_upvotes(records: Sequence[Paper]) -> int | None:
    """The count of the most recent listing that gives one.

    A daily-papers file is dated (its latest featured day): the record of the latest day wins,
    so a count that went down on a later day (votes withdrawn) is not overruled by an older,
    higher one. Records with no date (page copies) only count when no dated record has a count;
    among those, and among records of one day, the highest.
    """
    dated = [(max(_days(p)), p.upvotes) for p in records if p.upvotes is not None and _days(p)]
    if dated:
        return max(dated)[1]
    return _max(p.upvotes for p in records)


def merge_records(paper_id: str, records: Sequence[Paper]) -> Paper:
    """The one record for ``paper_id`` built from all ``records`` read for it.

    Scalar fields come from the most trusted dump that has them (arXiv snapshot, then arXiv API,
    then HF API, then page copies); the author list is the longest one; upvotes are the latest
    seen (see :func:`_latest_upvotes`) and stars the highest; every featured day is kept (the
    earliest is ``featured``) and so is every day's count (``upvote_history``, see
    :mod:`search.rising`); a paper withdrawn in any listing stays withdrawn; lists and
    sources are united.
    """
    if not records:
        raise ValueError("merge_records needs at least one record")
    ordered = sorted(records, key=_rank)
    authors_src = max(ordered, key=lambda p: len(p.authors))
    authors = authors_src.authors
    counts = [p.n_authors for p in ordered] + [len(authors) if authors else None]
    days = tuple(sorted({day for p in ordered for day in _days(p)}))
    return Paper(
        id=paper_id,
        title=_first(p.title for p in ordered) or "",
        abstract=_first(p.abstract for p in ordered) or "",
        authors=authors,
        n_authors=_max(counts),
        published=_first(p.published for p in ordered),
        upvotes=_latest_upvotes(ordered),
        categories=_union(p.categories for p in ordered),
        doi=_first(p.doi for p in ordered),
        journal_ref=_first(p.journal_ref for p in ordered),
        comments=_first(p.comments for p in ordered),
        urls=_union(p.urls for p in ordered),
        sources=tuple(sorted(set(_union(p.sources for p in ordered)))),
        kinds=tuple(k for k in FORMATS if any(k in p.kinds for p in ordered)),
        arxiv_id=_first(p.arxiv_id for p in ordered),
        featured=days[0] if days else None,
        updated=max((p.updated for p in ordered if p.updated), default=None),
        organization=_first(p.organization for p in ordered),
        ai_summary=_first(p.ai_summary for p in ordered),
        keywords=_union(p.keywords for p in ordered),
        github_stars=_max(p.github_stars for p in ordered),
        license=_first(p.license for p in ordered),
        report_no=_first(p.report_no for p in ordered),
        submitter=_first(p.submitter for p in ordered),
        affiliations=authors_src.affiliations,
        featured_days=days,
        withdrawn=min((p.withdrawn for p in ordered if p.withdrawn), default=None),
        upvote_history=upvote_history(ordered),
    )
