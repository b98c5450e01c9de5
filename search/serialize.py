"""Papers to and from plain JSON-able dicts: the one format the library store, the bookmark copy
and ``--json`` output share."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from paperbrowse.search.models import Paper
from paperbrowse.search.text import has_controls, strip_controls

_FIELDS = {f.name: f for f in dataclasses.fields(Paper)}
_DATE_FIELDS = {"published", "featured", "updated", "withdrawn"}
_DATE_TUPLE_FIELDS = {"featured_days"}
#: (date, count) pairs, written as ``[["YYYY-MM-DD", n], …]``.
_DATED_COUNT_FIELDS = {"upvote_history"}
_TUPLE_FIELDS = {n for n, f in _FIELDS.items() if str(f.type).startswith("tuple")}
_TEXT_FIELDS = tuple(n for n, f in _FIELDS.items() if str(f.type) in ("str", "str | None"))
_TUPLES = tuple(sorted(_TUPLE_FIELDS))


def without_controls(paper: Paper) -> Paper:
    """The paper with control characters and bidi overrides dropped from every text field.

    The parsers clean the fields they know; this is the net under them, applied to every
    record before it is stored (a field a parser forgot, or one added later, cannot carry an
    escape sequence to a terminal through ``show --json | jq -r``). Tuples keep their length
    (affiliations are parallel to authors). Costs one regex scan per field.
    """
    changes: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = getattr(paper, name)
        if value and has_controls(value):
            changes[name] = strip_controls(value)
    for name in _TUPLES:
        values = getattr(paper, name)
        if any(isinstance(v, str) and has_controls(v) for v in values):
            changes[name] = tuple(strip_controls(v) if isinstance(v, str) else v for v in values)
    return dataclasses.replace(paper, **changes) if changes else paper


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
