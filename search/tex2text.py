"""TeX in titles and abstracts as plain Unicode text, for formats and displays that take no TeX.

arXiv titles and abstracts carry TeX (``$(k,\\ell)$-cores``, ``Gr\\"obner``, ``\\emph{…}``);
RIS and CSL-JSON readers (Zotero, Mendeley, citeproc) and the terminal want ``(k,ℓ)-cores``,
``Gröbner``. pylatexenc's LaTeX-to-text converter does the TeX; this module only decides when to
use it and protects plain text from being read as TeX: most dump text is not TeX at all ("50%
fewer FLOPs" would lose everything after the ``%``, a comment in TeX).
"""

from __future__ import annotations

import logging
import re
import unicodedata
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

    # pylatexenc logs a warning per malformed macro ("\frac" without arguments) through the
    # logging module, which without a handler of ours writes to stderr: in the app, straight
    # over the screen; in `show`, hundreds of lines. The text is still converted as well as
    # it can be: the warnings say nothing a reader can act on.
    quiet = logging.getLogger("pylatexenc")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False

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
    if "%s" in converted and "%s" not in text:
        # A macro missing its arguments ("\frac" alone) comes out as its unfilled pattern,
        # "%s/%s": the TeX as written says more.
        return text
    return clean(converted.replace("\xa0", " ")) or text


# -- both forms searchable --------------------------------------------------------------------
#
# The index holds a title's and an abstract's own text (TeX and all: ``$\zeta$`` is the word
# "zeta" there) plus, after it, the words only the plain form has: ``Gr\"obner`` adds
# "Gröbner", a literal "ζ" adds "zeta". A query's Greek letters are spelt out the same way
# (:func:`spell_symbols`), so "ζ" and "zeta" find both ``$\zeta$`` and "ζ". Single letters
# are no index words (the analyzer drops one-character words), hence the names. Indexing does
# not run pylatexenc (4 ms a TeX abstract: a minute more per 100k arXiv papers): accents
# and symbols are what a reader types differently, and these few rules cover them.

_WORD = re.compile(r"\w+")
# \"o  \'{e}  \`a  \^o  \~n  \=a  \.z  \c c  \v s  \u a  \H o  (one letter, braced or not)
_ACCENT = re.compile(r"""\\([`'^"~=.]|[cvuH](?=[\s{]))\s*\{?\s*(?:\\([ij])\b|([A-Za-z]))\}?""")
_COMBINING = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    '"': "\u0308",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
}
#: Letters that are not Greek but read as a TeX name (``\ell``), and Greek letters whose
#: Unicode name is not the TeX one.
_SYMBOL_NAMES = {"ℓ": "ell", "ϵ": "epsilon", "ϑ": "theta", "ϕ": "phi", "ϱ": "rho", "ς": "sigma"}


def _symbol_name(char: str) -> str | None:
    if char in _SYMBOL_NAMES:
        return _SYMBOL_NAMES[char]
    if "\u0370" <= char <= "\u03ff":
        name = unicodedata.name(char, "")
        if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")):
            word = name.rsplit(" ", 1)[-1].lower()
            return word if word.isalpha() and len(word) > 1 else None
    return None


def _accented(text: str) -> str:
    def letter(m: re.Match) -> str:
        # \i and \j are the dotless letters accents go on: the accented i is "i" + accent.
        base = m.group(2) or m.group(3)
        return unicodedata.normalize("NFC", base + _COMBINING[m.group(1)])

    return _ACCENT.sub(letter, text)


def spell_symbols(text: str) -> str:
    """``text`` with each Greek letter (and ℓ) written as its TeX name, set apart by spaces:
    "ζ-function" → "zeta -function"."""
    if text.isascii():
        return text
    out = []
    for char in text:
        name = _symbol_name(char)
        out.append(f" {name} " if name else char)
    return "".join(out)


def search_forms(text: str) -> str:
    """``text`` followed by the words its plain form has and it lacks (see above)."""
    if not text or (text.isascii() and "\\" not in text):
        return text
    have = {w.lower() for w in _WORD.findall(text)}
    plain = spell_symbols(_accented(text)) if "\\" in text else spell_symbols(text)
    extra = [w for w in dict.fromkeys(_WORD.findall(plain)) if w.lower() not in have]
    return f"{text}\n{' '.join(extra)}" if extra else text


@lru_cache(maxsize=4096)
def display_text(text: str) -> str:
    """``text`` for the screen: TeX rendered as text, anything else exactly as it is (the
    app redraws rows often; a TeX title is converted once)."""
    return tex_to_text(text) if _LOOKS_LIKE_TEX.search(text) else text
