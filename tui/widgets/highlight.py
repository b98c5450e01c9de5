"""Turning dump text into Rich ``Text`` safely, with the query's words highlighted.

Everything here builds ``rich.text.Text`` objects directly, never markup strings, so a title such
as ``[bold red]x[/]`` is shown as those characters; control characters are stripped first.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from paperbrowse.search.engine import match_spans
from paperbrowse.search.text import clean, strip_controls
from rich.style import Style
from rich.text import Text


def literal(text: str | None, style: str | Style = "") -> Text:
    """Dump text as a one-line ``Text``: controls dropped, whitespace folded, no markup parsed."""
    return Text(clean(text), style=style)


def literal_lines(text: str | None, style: str | Style = "") -> Text:
    """Text the user wrote (a note) as ``Text`` keeping its line breaks: each line cleaned as
    ``literal`` cleans one, runs of blank lines kept as one blank line."""
    lines: list[str] = []
    for line in (text or "").splitlines():
        line = clean(line)
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return Text("\n".join(lines), style=style)


#: A web address in running text (an abstract, a comment): up to the next space, without the
#: punctuation that ends the sentence around it.
URL = re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]']")


def text_style(widget: Any, component: str) -> Style:
    """A component class's style for text drawn over ``widget``'s background: its colour
    resolved as the full style resolves it (``$text-muted`` is ``auto 60%``, a blend with the
    background that a partial style cannot make), without painting a background of its own."""
    partial = widget.get_component_rich_style(component, partial=True)
    if partial.color is None:
        return partial
    return partial + Style(color=widget.get_component_rich_style(component).color)


def link_urls(text: Text, style: Style | None = None) -> Text:
    """Make every web address in ``text`` a terminal link, in ``style`` too (in place)."""
    for match in URL.finditer(text.plain):
        link = Style(link=match.group())
        text.stylize(style + link if style else link, match.start(), match.end())
    return text


def highlight(text: Text, terms: Collection[str], style: str | Style, field: str) -> Text:
    """Style the words of ``text`` (in place) that the core says match the query's ``terms``
    (``SearchResult.terms``) as ``field`` analyses them; return it. The app paints what the core
    matched and decides nothing itself (search.engine.match_spans)."""
    for start, end in match_spans(field, text.plain, terms):
        text.stylize(style, start, end)
    return text


def excerpt(abstract: str, terms: Collection[str], width: int) -> str:
    """About ``width`` characters of the abstract, starting a little before the first match."""
    plain = clean(abstract)
    spans = match_spans("abstract", plain, terms)
    if not spans or spans[0][0] < width // 3:
        return plain[:width]
    start = plain.rfind(" ", 0, spans[0][0] - width // 6) + 1
    return "…" + plain[start : start + width - 1]


def spans_text(snippet: str, spans: Iterable[tuple[int, int]], style: str | Style) -> Text:
    """A library snippet with its highlight spans (indices into ``snippet``) styled."""
    text = Text()
    pos = 0
    # Clean each piece separately so that the spans still line up with the raw snippet.
    for start, end in sorted(spans):
        if start < pos or end > len(snippet):
            continue
        text.append(_flat(snippet[pos:start]))
        text.append(_flat(snippet[start:end]), style=style)
        pos = end
    text.append(_flat(snippet[pos:]))
    return text


def _flat(piece: str) -> str:
    return _WHITESPACE.sub(" ", strip_controls(piece.replace("\n", " ").replace("\t", " ")))


_WHITESPACE = re.compile(r"\s+")
