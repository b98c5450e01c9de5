"""One answer of an API, the same for every source: asked for, checked, then saved or skipped.

Each source knows what a good answer is (``hf.check_answer``, ``arxiv.check_answer`` raise
:class:`BadAnswer` saying why one is not); what happens to an answer is the same for both: one
that is not good is never saved, and the report names the page it was and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from .http import HttpClient, Response
from .report import FetchReport

T = TypeVar("T")


class BadAnswer(ValueError):
    """An answer that is not what the API was asked for (never saved); the message says why."""


def ask(
    client: HttpClient,
    path: str,
    params: Mapping[str, str | int],
    check: Callable[[Response], T],
    label: str,
    report: FetchReport,
) -> tuple[Response, T] | None:
    """The response and what ``check`` read from it; None when it was a bad answer, which is
    then in ``report.skipped`` under ``label`` (a service that cannot be reached raises
    FetchError from the client, as before)."""
    response = client.get(path, params)
    try:
        return response, check(response)
    except BadAnswer as exc:
        report.skipped.append((label, str(exc)))
        return None
