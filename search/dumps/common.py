"""Small helpers every dump parser shares: cleaning optional fields and building link lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import clean, find_urls

# Abstracts copied from PDFs break a link after the host: "https://github.com/ owner/repo".
_BROKEN_HOST_LINK = re.compile(
    r"(https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)/)"
    r" ([\w.-]+/[\w./-]*\w)"
)
# LaTeX \href{url}{url} leftovers glue two links with braces: "…/master{https://…/master}".
_BRACES = re.compile(r"[{}]")


def unique_urls(*groups: Iterable[str | None]) -> tuple[str, ...]:
    """Links from several sources in order, each once, empty ones dropped.

    Cleaned like every text field: a link straight from a dump's JSON may carry escape codes.
    The same link spelt twice (``github.com/NVIDIA/cosmos`` in the API's githubRepo and
    ``github.com/nvidia/cosmos`` in the abstract; a project page with and without its final
    ``/``) is kept once, as first spelt.
    """
    seen: dict[str, str] = {}
    for group in groups:
        for url in group:
            if url and isinstance(url, str) and clean(url):
                text = clean(url)
                seen.setdefault(text.rstrip("/").lower(), text)
    return tuple(seen.values())


def abstract_urls(abstract: str) -> list[str]:
    """Links in an abstract, repairing two copy artefacts (a space after the host, braces).

    Skips the regexes for the many abstracts without a link (the snapshot ingest is hot).
    """
    if "http" not in abstract:
        return []
    if "/ " in abstract:
        abstract = _BROKEN_HOST_LINK.sub(r"\1\2", abstract)
    urls: list[str] = []
    for url in find_urls(abstract):
        if "{" in url or "}" in url:
            urls.extend(
                part.rstrip(".,;:") for part in _BRACES.split(url) if part.startswith("http")
            )
        else:
            urls.append(url)
    return urls


def fast_clean(text: str | None) -> str:
    """:func:`search.text.clean`, several times faster on the usual text (hot ingest path).

    Folding whitespace with ``str.split`` and checking ``isprintable`` is cheap; only text that
    still holds a control or format character after folding goes through the regexes.
    """
    if not text:
        return ""
    folded = " ".join(text.split())
    if folded.isprintable():
        return folded
    return clean(text)


def optional(text: object) -> str | None:
    """A cleaned optional text field: None for missing, non-text or empty values."""
    if not isinstance(text, str):
        return None
    return fast_clean(text) or None
