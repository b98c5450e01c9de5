"""Citation keys: ``lastname`` + ``year`` + first significant title word, ASCII, unique.

Pure string functions over a paper's title and first author. The bookmark store gives each
bookmark a key once (``BookmarkStore.assign_keys``) and the BibTeX writer uses it; both import
this module, neither imports the other for it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from paperbrowse.search.latex import to_ascii
from paperbrowse.search.models import Paper
from paperbrowse.search.names import split_name

__all__ = ["base_key", "plain_words", "unique_key"]

# -- keys ---------------------------------------------------------------------------------------

_STOP_WORDS = frozenset(
    """a an the of on in for to and or with without from by at as into onto via is are be do does
    can how what why when where which who we our your its their towards toward beyond using
    about over under through between vs versus not no all any new""".split()
)

_TEX_ACCENT = re.compile(r"\\[`'^\"~=.uvHcdbrtk]\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_TEX_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])")
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")
_MATH = re.compile(r"(?<!\\)\$(?=[^\s$])((?:[^$\\]|\\.)*?)(?<=[^\s\\])\$")


def plain_words(text: str) -> list[str]:
    """ASCII words of a title or name, with TeX accents and math stripped."""
    text = _MATH.sub(" ", text)
    text = _TEX_ACCENT.sub(lambda m: (m.group(1) or m.group(2)).lstrip("\\"), text)
    text = _TEX_LETTER.sub(lambda m: m.group(1), text)
    text = _TEX_COMMAND.sub(" ", text)
    return re.findall(r"[a-z0-9]+", to_ascii(text).lower())


def _significant_words(title: str) -> list[str]:
    return [w for w in plain_words(title) if w not in _STOP_WORDS and not w.isdigit()]


def base_key(paper: Paper) -> str:
    """``lastname`` + ``year`` + first significant title word, ASCII: ``balazs2007calculation``.

    Without a usable author name the key is built from the title alone (``unifyingfeature2023``).
    """
    year = str(paper.year) if paper.year else ""
    words = _significant_words(paper.title)
    last = ""
    if paper.authors:
        _, von_last, _ = split_name(paper.authors[0])
        parts = plain_words(von_last.split()[-1]) if von_last else []
        last = "".join(parts)
    if last:
        key = last + year + (words[0] if words else "")
    else:
        key = "".join(words[:2]) + year
    return key[:48] or "paper"


def unique_key(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base`` + ``a``, ``b``, … ``z``, ``aa``, … : the first not in ``taken``."""
    if base not in taken:
        return base
    n = 0
    while True:
        suffix, i = "", n
        while True:
            suffix = chr(ord("a") + i % 26) + suffix
            i = i // 26 - 1
            if i < 0:
                break
        if base + suffix not in taken:
            return base + suffix
        n += 1
