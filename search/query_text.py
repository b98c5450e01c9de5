"""What a person typed in the search box, as the engine's query syntax: paper ids and links,
the fields of :mod:`search.query_fields`, ``-word``, typography; and a clear QueryError for what
it cannot mean (an unknown field, an unclosed quote or bracket, a fuzzy distance Whoosh would
quietly change) instead of a silent reinterpretation.

Pure text in, text out: the engine (``search.engine``) parses the result; the library resolves
tags (bookmarks live outside the index) and paper ids.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from paperbrowse.search.models import FORMATS, QueryError
from paperbrowse.search.query_fields import BY_NAME, known_fields_text
from paperbrowse.search.text import bare_arxiv_id, strip_controls

#: Typographic quotes and dashes as the query syntax spells them (pasted titles have them).
_TYPOGRAPHY = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)

_HF_PAPER = re.compile(
    r"^(?:https?://)?(?:www\.)?huggingface\.co/papers/([^\s/?#]+)/?(?:[?#]\S*)?$"
)

#: arXiv archives whose categories people type bare: ``cs.LG``, ``hep-ph``, ``astro-ph.GA``.
ARCHIVES = frozenset(
    """cs math stat eess econ physics q-bio q-fin nlin astro-ph cond-mat gr-qc hep-ex hep-lat
    hep-ph hep-th math-ph nucl-ex nucl-th quant-ph""".split()
)
_CATEGORY = re.compile(r"^([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z]+(?:-[A-Za-z]+)?))?$", re.IGNORECASE)

# A query's pieces: a closed phrase (with its ~slop), an opening quote left unclosed, a
# bracket, or a run of anything else.
_PIECE = re.compile(
    r'(?P<space>\s+)|(?P<phrase>"[^"]*"(?:~\d*)?)|(?P<quote>")|(?P<paren>[()])|(?P<word>[^\s()"]+)'
)
_FIELD = re.compile(r"^([A-Za-z_]+):(.*)$", re.DOTALL)
_FUZZY = re.compile(r"~(\d*)$")
_FUZZY_WORD = re.compile(r"^[^~]+~\d*$")
_OPERATORS = ("AND", "OR", "NOT")
_YEARS = re.compile(r"^(\d{4})(?:(?:-|\.\.)(\d{4}))?$")


@dataclass(frozen=True, slots=True)
class Interpreted:
    #: The query in the engine's syntax ("" for every paper).
    text: str
    #: Bookmark tags the papers must carry (``tag:``).
    tags: tuple[str, ...] = ()
    #: The query was a paper's id or link: the id to look up (an arXiv id or a stable id).
    paper: str | None = None


def paper_ref(text: str) -> str | None:
    """The arXiv id a whole query names (``2407.01906``, ``arXiv:2407.01906v2``,
    ``hep-th/9901001``, an arxiv.org abs/pdf or huggingface.co/papers link), else None."""
    s = text.strip()
    m = _HF_PAPER.match(s)
    if m:
        return bare_arxiv_id(m.group(1))
    return bare_arxiv_id(s)


def category_value(value: str) -> str | None:
    """An arXiv category spelt as the dumps spell it (``cs.lg`` → ``cs.LG``,
    ``cond-mat.mes-hall`` stays), or None when ``value`` is not one."""
    m = _CATEGORY.match(value)
    if not m or m.group(1).lower() not in ARCHIVES:
        return None
    archive, subject = m.group(1).lower(), m.group(2)
    if subject is None:
        return archive
    # Two-letter subjects are upper case (cs.LG, math.AG, astro-ph.GA); longer ones lower case
    # (physics.optics, cond-mat.mes-hall).
    return f"{archive}.{subject.upper() if len(subject) == 2 else subject.lower()}"


def interpret(text: str) -> Interpreted:
    """The engine query, tags and paper id ``text`` stands for; QueryError when it cannot be
    read as the user meant it (the message says what is wrong and how to write it)."""
    # Control characters mean nothing in a query, and a message quoting one must not carry it
    # to a terminal.
    text = strip_controls(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)).strip()
    if not text:
        return Interpreted("")
    ref = paper_ref(text)
    if ref is not None:
        return Interpreted("", paper=ref)
    pieces = [(m.lastgroup, m.group()) for m in _PIECE.finditer(text)]
    out: list[str] = []
    tags: list[str] = []
    depth = 0
    i = 0
    while i < len(pieces):
        kind, piece = pieces[i]
        following = pieces[i + 1] if i + 1 < len(pieces) else (None, "")
        i += 1
        if kind == "quote":
            rest = text[text.rindex('"') + 1 :].strip()
            raise QueryError(f'unclosed quote: "{rest} (add the closing ")')
        if kind == "paren":
            depth += 1 if piece == "(" else -1
            if depth < 0:
                raise QueryError("a ) closes nothing: remove it or add a ( before it")
            out.append(piece)
            continue
        if kind != "word":
            out.append(piece)
            continue
        negate = piece.startswith("-") and len(piece) > 1
        if piece == "-" and following[0] in ("phrase", "paren", "quote"):
            out.append("NOT ")  # -"a phrase", -(a OR b)
            continue
        if negate:
            piece = piece[1:]
        m = _FIELD.match(piece)
        if m is None:
            _check_fuzzy(piece)
            if ("." in piece or "-" in piece) and category_value(piece):
                piece = _fielded("category", piece)
            out.append(("NOT " if negate else "") + piece)
            continue
        name, value = m.group(1).lower(), m.group(2)
        field = BY_NAME.get(name)
        if field is None and not value and following[0] in ("space", None):
            # "Mamba: Linear-Time…" pasted from a title: a word and its colon, not a field.
            out.append(("NOT " if negate else "") + m.group(1))
            continue
        if field is None and value.startswith("//"):
            raise QueryError("a link finds its paper when it is the whole query")
        if field is None:
            raise QueryError(f"unknown field {m.group(1)}: — the fields are {known_fields_text()}")
        if not value and following[0] == "phrase":
            value = following[1]
            i += 1
        elif not value and following[1] == "(" and field.name in _ENGINE_FIELD:
            out.append(("NOT " if negate else "") + _ENGINE_FIELD[field.name] + ":")
            continue
        if not value:
            raise QueryError(f"{field.name}: needs something after it, e.g. {field.example}")
        if field.name == "tag":
            if negate:
                raise QueryError("-tag: (papers without a tag) is not supported")
            tags.append(value.strip('"'))
            continue
        out.append(("NOT " if negate else "") + _fielded(field.name, value))
    if depth > 0:
        raise QueryError("unclosed ( — add the closing )")
    words = [piece for kind, piece in pieces if kind != "space"]
    if words and words[-1] in _OPERATORS:
        raise QueryError(f"{words[-1]} needs a word after it")
    if words and words[0] in ("AND", "OR"):
        raise QueryError(f"{words[0]} needs a word before it")
    if tags and "OR" in words:
        # A tag narrows the whole search (bookmarks are not in the index): "tag:x OR y" would
        # silently mean "tag:x AND y".
        raise QueryError("tag: narrows the whole search; it cannot be combined with OR")
    engine = "".join(out).strip()
    return Interpreted(engine, tuple(tags))


_ENGINE_FIELD = {
    "title": "title",
    "author": "authors",
    "abstract": "abstract",
    "keyword": "keywords",
}


def _fielded(name: str, value: str) -> str:
    """One ``name:value`` in the engine's syntax (value as typed: a word, a phrase, a prefix)."""
    if name in _ENGINE_FIELD:
        _check_fuzzy(value)
        return f"{_ENGINE_FIELD[name]}:{value}"
    value = value.strip('"')
    if name == "category":
        category = category_value(value)
        if category is None:
            raise QueryError(f"category:{value} is not an arXiv category (e.g. cs.LG, hep-ph)")
        if "." in category:
            return f"category:{category}"
        # An archive alone (category:cs): any of its categories, and the archive itself.
        return f"(category:{category} OR category:{category}.*)"
    if name == "year":
        m = _YEARS.match(value)
        if not m:
            raise QueryError(f"year:{value} is not a year (e.g. year:2024 or year:2023-2025)")
        if m.group(2):
            return f"year:[{m.group(1)} TO {m.group(2)}]"
        return f"year:{m.group(1)}"
    if name == "source":
        if value.lower() not in FORMATS:
            raise QueryError(f"source:{value} is not a kind of dump; one of {', '.join(FORMATS)}")
        return f"kind:{value.lower()}"
    if name == "has":
        if value.lower() != "code":
            raise QueryError(f"has:{value} is not known; has:code is")
        return "has_code:true"
    raise AssertionError(name)  # every field of the table is handled above


def _check_fuzzy(word: str) -> None:
    if "~" in word and not _FUZZY_WORD.match(word):
        raise QueryError(
            f"{word}: ~ goes at the end of a word (quantizaton~, or ~2 for two letters)"
        )
    m = _FUZZY.search(word)
    if m and m.group(1) and int(m.group(1)) > 2:
        raise QueryError(
            f"{word}: a ~ word allows 1 or 2 wrong letters (~ or ~2), not {m.group(1)}"
        )
