"""Entries a scraper saved as ``str(dict)``: the Python repr of an API entry, inside a JSON string.

``"{'paper': {'id': '2412.07730', 'authors': [...], 'hidden': False, …}}"`` is a Python literal,
not JSON (single quotes, ``True``/``False``/``None``). :func:`ast.literal_eval` reads exactly the
literals and nothing that runs; it is still handed only strings of bounded size and nesting,
because parsing a deeply nested or huge literal costs stack and memory before it is refused.
"""

from __future__ import annotations

import ast
import re
from typing import Any

#: The longest entry literal read (a real one with 300 authors is ~120 KB).
MAX_LITERAL_CHARS = 4 * 1024 * 1024
#: The deepest nesting allowed (a real entry: entry > paper > authors > author > user = 5).
MAX_LITERAL_DEPTH = 32

# Quoted strings (so that brackets inside them do not count) or one bracket.
_TOKENS = re.compile(r"'[^'\\]*(?:\\.[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\"|[\[\](){}]")


def literal_entry(text: str) -> dict[str, Any]:
    """The dict a Python-literal string holds. Raises ValueError saying why it is not one."""
    if len(text) > MAX_LITERAL_CHARS:
        raise ValueError(
            f"string entry of {len(text):,} characters is too long to be read as a Python literal"
        )
    stripped = text.strip()
    if not stripped.startswith("{"):
        raise ValueError(f"string entry is not a Python-literal entry: {_preview(stripped)}")
    depth = deepest = 0
    for m in _TOKENS.finditer(stripped):
        token = m.group()
        if token[0] in "'\"":
            continue
        depth += 1 if token in "([{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_LITERAL_DEPTH:
        raise ValueError(f"string entry nests deeper than {MAX_LITERAL_DEPTH} levels")
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) and exc.msg else type(exc).__name__
        raise ValueError(
            f"string entry is not a Python-literal entry ({reason}): {_preview(stripped)}"
        ) from None
    if not isinstance(value, dict):
        raise ValueError(f"string entry holds a {type(value).__name__}, not an entry")
    return value


def _preview(text: str) -> str:
    """The start of a string for a message, with no control characters."""
    short = text[:60] + ("…" if len(text) > 60 else "")
    return repr("".join(c if c.isprintable() else " " for c in short))
