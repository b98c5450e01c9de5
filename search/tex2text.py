"""TeX in titles and abstracts as plain Unicode text, for formats and displays that take no TeX.

arXiv titles and abstracts carry TeX (``$(k,\\ell)$-cores``, ``Gr\\"obner``, ``\\emph{…}``);
RIS and CSL-JSON readers (Zotero, Mendeley, citeproc) and the terminal want ``(k,ℓ)-cores``,
``Gröbner``. pylatexenc's LaTeX-to-text converter does the TeX; this module only decides when to
use it and protects plain text from being read as TeX: most dump text is not TeX at all ("50%
fewer FLOPs" would lose everything after the ``%``, a comment in TeX).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from paperbrowse.search.text import clean

# Signs that a text was written as TeX: math between dollars, a command, an accent command.
_LOOKS_LIKE_TEX = re.compile(r"\$[^$]+\$|\\[A-Za-z]+|\\[`'^\"~=.]")
# Characters TeX treats specially that plain text uses literally; escaped unless already so.
_PLAIN_SPECIALS = re.compile(r"(?<!\\)([%&#])")


@lru_cache(maxsize=1)
def _converter() -> Any:  # pylatexenc's LatexNodes2Text (untyped)
    # Imported here: only exports and display of TeX-bearing text need it.
    from pylatexenc import latex2text

    context = latex2text.get_default_latex_context_db().filter_context()
    # A macro the converter does not know (an author's own \\Q for the rationals) keeps its
    # name rather than vanishing: "over Q(√5)" says more than "over (√5)".
    context.set_unknown_macro_spec(
        latex2text.MacroTextSpec("", simplify_repl=lambda node, l2tobj=None: node.macroname)
    )
    return latex2text.LatexNodes2Text(
        latex_context=context, math_mode="text", strict_latex_spaces=False
    )


def tex_to_text(text: str | None) -> str:
    """``text`` with its TeX rendered as Unicode, whitespace folded; plain text is unchanged."""
    text = clean(text)
    if not _LOOKS_LIKE_TEX.search(text):
        return text
    try:
        converted = _converter().latex_to_text(_PLAIN_SPECIALS.sub(r"\\\1", text))
    except Exception:  # noqa: BLE001 - a converter failure must never lose the text itself
        return text
    return clean(converted.replace("\xa0", " ")) or text
