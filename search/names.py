"""Author names split into their parts, the one way every citation format reads them.

BibTeX (``Last, Jr, First``), RIS (``AU  - Last, First, Jr``) and CSL-JSON (``family`` /
``given`` / ``suffix``) all need the same split of a display name such as ``Jan van der Berg``;
one function gives it so the three exports never disagree about who is who.
"""

from __future__ import annotations

import re

from paperbrowse.search.text import clean

_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def split_name(name: str) -> tuple[str, str, str]:
    """(first, von + last, suffix) of a display name (``Ludwig van Beethoven``)."""
    name = re.sub(r"\s*\([^()]*\)\s*$", "", clean(name))  # arXiv appends affiliations so
    if "," in name:
        last, _, rest = name.partition(",")
        rest, _, first = rest.rpartition(",") if rest.count(",") else ("", "", rest)
        return first.strip(), last.strip(), rest.strip()
    words = name.split()
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop()
    if len(words) <= 1:
        return "", " ".join(words), suffix
    # Lowercase particles start the "von" part: "Jan van der Berg" -> "van der Berg", "Jan".
    split = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i][:1].islower():
            split = i
            break
    return " ".join(words[:split]), " ".join(words[split:]), suffix
