"""Papers to and from plain JSON-able dicts: the one format the library store, the bookmark copy
and ``--json`` output share."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from search.models import Paper

_FIELDS = {f.name: f for f in dataclasses.fields(Paper)}
_DATE_FIELDS = {"published", "featured", "updated", "withdrawn"}
_DATE_TUPLE_FIELDS = {"featured_days"}
#: (date, count) pairs, written as ``[["YYYY-MM-DD", n], …]``.
_DATED_COUNT_FIELDS = {"upvote_history"}
_TUPLE_FIELDS = {n for n, f in _FIELDS.items() if str(f.type).startswith("tuple")}


def paper_to_dict(paper: Paper) -> dict[str, Any]:
    """Every field; dates as ``YYYY-MM-DD`` (or None), tuples as lists."""
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(paper, name)
        if name in _DATE_FIELDS:
            value = value.isoformat() if value else None
        elif name in _DATE_TUPLE_FIELDS:
            value = [d.isoformat() for d in value]
        elif name in _DATED_COUNT_FIELDS:
            value = [[d.isoformat(), n] for d, n in value]
        elif name in _TUPLE_FIELDS:
            value = list(value)
        out[name] = value
    return out


def paper_from_dict(data: dict[str, Any]) -> Paper:
    """The inverse of :func:`paper_to_dict`; unknown keys are ignored (older/newer copies)."""
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in _FIELDS:
            continue
        if name in _DATE_FIELDS:
            value = date.fromisoformat(value) if value else None
        elif name in _DATE_TUPLE_FIELDS:
            value = tuple(date.fromisoformat(d) for d in value or ())
        elif name in _DATED_COUNT_FIELDS:
            value = tuple((date.fromisoformat(d), int(n)) for d, n in value or ())
        elif name in _TUPLE_FIELDS:
            value = tuple(value or ())
        kwargs[name] = value
    return Paper(**kwargs)


def paper_to_json(paper: Paper) -> str:
    return json.dumps(paper_to_dict(paper), ensure_ascii=False, separators=(",", ":"))


def paper_from_json(text: str) -> Paper:
    return paper_from_dict(json.loads(text))
