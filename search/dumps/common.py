"""Small helpers every dump parser shares: building link lists and problems."""

from __future__ import annotations

from collections.abc import Iterable

from ..text import clean, find_urls


def unique_urls(*groups: Iterable[str | None]) -> tuple[str, ...]:
    """Links from several sources in order, each once, empty ones dropped."""
    seen: dict[str, None] = {}
    for group in groups:
        for url in group:
            if url and isinstance(url, str):
                seen.setdefault(url.strip(), None)
    return tuple(u for u in seen if u)


def abstract_urls(abstract: str) -> list[str]:
    """Links in an abstract; skips the regex for the many abstracts without one."""
    return find_urls(abstract) if "http" in abstract else []


def optional(text: object) -> str | None:
    """A cleaned optional text field: None for missing, non-text or empty values."""
    if not isinstance(text, str):
        return None
    return clean(text) or None
