"""BibTeX for bookmarks: entries in arXiv's own export format that compile the first time.

Preprints follow arXiv's export (``@misc`` with ``eprint``, ``archivePrefix``, ``primaryClass``,
``url``), plus ``doi``, and the journal reference in ``note`` when known. Papers without an arXiv
id still get a useful entry: title, year, a link, and a ``note`` naming the source and the author
count when only a count is known (page copies), rather than invented names.

Text fields are escaped for LaTeX, except TeX that came from the source (arXiv titles carry math
such as ``$\\Lambda_{\\alpha}$`` and accents such as ``Gr\\"obner``): that is kept, made safe for
pdflatex without packages, and brace-protected. Acronyms in titles are brace-protected so that
styles which lowercase titles keep them. By default non-ASCII becomes LaTeX (see search.latex);
``unicode=True`` keeps UTF-8 for biblatex/biber users.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from paperbrowse.search.bookmarks import Bookmark
from paperbrowse.search.citekeys import base_key, plain_words, unique_key
from paperbrowse.search.latex import char_to_latex, math_symbol
from paperbrowse.search.models import Paper
from paperbrowse.search.names import split_name
from paperbrowse.search.text import arxiv_abs_url, bare_arxiv_id, clean

__all__ = [
    "BibtexExport",
    "bibtex_entry",
    "escape_text",
    "format_author",
    "render_bibtex",
    "render_entries",
]


@dataclass(frozen=True)
class BibtexExport:
    text: str
    #: paper id -> key used.
    keys: dict[str, str]
    #: e.g. "2401.00001: character 'ʕ' (U+0295) has no LaTeX form; written as '?'".
    warnings: tuple[str, ...]


# -- escaping ------------------------------------------------------------------------------------

# Commands from TeX sources that are safe in pdflatex text mode without packages.
_TEXT_COMMANDS = frozenset(
    "TeX LaTeX ldots dots textendash textemdash emph textit textbf textsc texttt textrm textsf "
    "textsuperscript textsubscript".split()
)

# Math-mode commands the LaTeX kernel defines. Others are rewritten (see _MATH_REWRITES) or
# replaced by their name in roman type, with a warning, so the entry still compiles.
_MATH_COMMANDS = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu
    xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
    Lambda Xi Pi Sigma Upsilon Phi Psi Omega sqrt frac to rightarrow leftarrow Rightarrow
    Leftarrow leftrightarrow Leftrightarrow longrightarrow longleftarrow mapsto uparrow downarrow
    infty partial nabla cdot cdots ldots dots vdots ddots times div pm mp le leq ge geq ne neq
    approx sim simeq cong equiv propto ll gg prec succ preceq succeq in notin ni subset subseteq
    supset supseteq cup cap setminus emptyset forall exists neg lnot wedge vee land lor oplus
    otimes odot circ ast star bullet dagger ddagger sum prod coprod int oint bigcup bigcap
    log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth lim liminf
    limsup max min sup inf det dim ker deg arg hom gcd Pr bmod pmod mathrm mathbf mathit
    mathcal mathsf mathtt mathnormal bar hat tilde vec dot ddot check breve acute grave
    overline underline widetilde widehat overbrace underbrace left right big Big bigg Bigg
    langle rangle lbrace rbrace lfloor rfloor lceil rceil vert Vert mid parallel perp prime
    ell hbar imath jmath wp Re Im aleph quad qquad not over atop choose rm bf it cal sf tt
    mbox hbox textrm textit textbf stackrel overset displaystyle textstyle scriptstyle
    top bot angle triangle backslash surd flat natural sharp clubsuit diamondsuit heartsuit
    spadesuit smile frown models vdash dashv bowtie asymp doteq cdotp colon""".split()
)

_MATH_REWRITES = {
    "mathbb": r"\mathbf",
    "mathbbm": r"\mathbf",
    "boldsymbol": r"\mathbf",
    "bm": r"\mathbf",
    "mathscr": r"\mathcal",
    "mathfrak": r"\mathrm",
    "operatorname": r"\mathrm",
    "text": r"\mbox",
    "textnormal": r"\mbox",
    "dfrac": r"\frac",
    "tfrac": r"\frac",
    "lesssim": r"\stackrel{<}{\sim}",
    "gtrsim": r"\stackrel{>}{\sim}",
    "varnothing": r"\emptyset",
    "coloneqq": ":=",
}

_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    # Not \{ and \}: BibTeX counts those braces too and an unbalanced one breaks the file.
    # Each command in braces: BibTeX takes ``{\command}`` as one "special character" (one
    # letter to text.prefix$ and purify$); a bare ``\textless{}`` at the start of a surname
    # became the label ``\bibitem[\te24]`` in alpha and amsalpha, which does not compile.
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "\\": r"{\textbackslash}",
    # OT1 fonts print these three as other glyphs (¡ ¿ —).
    "<": r"{\textless}",
    ">": r"{\textgreater}",
    "|": r"{\textbar}",
}

# One token of a text field: math, an accent command, a special-letter command, an escaped
# special, another command, a brace, an ASCII word, or any other single character.
_TOKEN = re.compile(
    r"""
    (?P<math>(?<!\\)\$(?=[^\s$])(?:[^$\\]|\\.)*?(?<=[^\s\\])\$)
  | (?P<accent>\\[`'^"~=.]\s*(?:\{\s*(?:\\[ij]|[A-Za-z])\s*\}|\\[ij](?![A-Za-z])|[A-Za-z]))
  | (?P<laccent>\\[uvHcdbrtk](?:\s*\{\s*(?:\\[ij]|[A-Za-z])\s*\}|\s+[A-Za-z](?![A-Za-z])))
  | (?P<letter>\\(?:ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\s*\{\})?)
  | (?P<escaped>\\[&%$\#_{}])
  | (?P<command>\\[A-Za-z]+)
  | (?P<brace>[{}])
  | (?P<word>[A-Za-z0-9]+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class _Escaper:
    """Escapes text fields of one entry, collecting warnings."""

    def __init__(self, unicode: bool) -> None:
        self.unicode = unicode
        self.warnings: list[str] = []

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def text(self, value: str, *, protect_acronyms: bool = False) -> str:
        """A text field: specials escaped, source TeX kept safe, braces balanced."""
        value = clean(value)
        tokens: list[tuple[str | None, str]] = []
        pos = 0
        while pos < len(value):
            m = _TOKEN.match(value, pos)
            assert m is not None  # the last alternative matches any character
            kind, tok = m.lastgroup, m.group()
            if kind in ("accent", "laccent", "letter"):
                char = _tex_letter(tok)
                if char is None:
                    # Not an accent any language uses (\^M): a backslash in plain text.
                    tokens.append(("other", "\\"))
                    pos += 1
                    continue
                # As Unicode, so that one path writes it (LaTeX, or UTF-8 with --unicode).
                kind, tok = "other", char
            tokens.append((kind, tok))
            pos = m.end()
        # Source braces that pair up are TeX grouping (kept); the rest are escaped.
        paired: set[int] = set()
        stack: list[int] = []
        for i, (kind, tok) in enumerate(tokens):
            if kind == "brace" and tok == "{":
                stack.append(i)
            elif kind == "brace" and stack:
                paired.update((stack.pop(), i))
        out: list[str] = []
        depth = 0
        for i, (kind, tok) in enumerate(tokens):
            if kind == "math":
                out.append(self._math(tok[1:-1]))
            elif kind == "escaped":
                out.append(_ESCAPES.get(tok[1], tok))
            elif kind == "command":
                has_group = i + 1 in paired and tokens[i + 1][1] == "{"
                out.append(self._text_command(tok, has_group))
            elif kind == "brace":
                if i in paired:
                    depth += 1 if tok == "{" else -1
                    out.append(tok)
                else:
                    out.append(_ESCAPES[tok])
            elif kind == "word":
                if protect_acronyms and depth == 0 and _is_acronym(tok):
                    out.append("{" + tok + "}")
                else:
                    out.append(tok)
            else:
                out.append(self._char(tok))
        return "".join(out)

    def _char(self, ch: str) -> str:
        if ch in _ESCAPES:
            return _ESCAPES[ch]
        if ch.isascii() or self.unicode:
            return ch
        latex, warning = char_to_latex(ch)
        if warning:
            self._warn(warning)
        return latex

    def _text_command(self, tok: str, has_group: bool) -> str:
        name = tok[1:]
        if name in _TEXT_COMMANDS:
            # Font commands need their {argument}; without one they are not source TeX.
            takes_arg = name.startswith(("text", "emph"))
            if not takes_arg:
                return "{" + tok + "}"  # one special character to BibTeX, as above
            if has_group:
                return tok
        return r"{\textbackslash}" + name

    def _math(self, body: str) -> str:
        """Source math, made safe for pdflatex without packages, or written as text if it is not
        TeX after all (``$5 and $``) or would stop LaTeX (``x^2^3``, ``\\left(`` alone)."""
        warned = len(self.warnings)
        tokens: list[tuple[str, str]] = []
        for m in re.finditer(r"\\[A-Za-z]+|\\.|.", body, re.DOTALL):
            tok = m.group()
            if re.fullmatch(r"\\[A-Za-z]+", tok):
                command = self._math_command(tok[1:])
                tokens.append(_math_token(command))
            elif tok == "\\\\":
                tokens.append(("char", " "))  # a line break means nothing in a title
            elif tok.startswith("\\"):
                if tok in ("\\{", "\\}"):
                    # Not \{ \}: BibTeX counts every brace, escaped or not.
                    tokens.append(("cmd", r"\lbrace" if tok == "\\{" else r"\rbrace"))
                elif tok[1] in _MATH_PUNCT:
                    tokens.append(("cmd", tok))
                else:
                    tokens.append(("cmd", r"\backslash"))
                    tokens.extend(self._math_chars(tok[1]))
            else:
                tokens.extend(self._math_chars(tok))
        if not _math_is_safe(tokens):
            del self.warnings[warned:]
            return _ESCAPES["$"] + self.text(body) + _ESCAPES["$"]
        out = ""
        prev_kind = ""
        for kind, text in tokens:
            if prev_kind == "cmd" and out[-1:].isalpha() and text[:1].isalpha():
                out += " "  # \alpha followed by b: keep them apart
            out += text
            prev_kind = kind
        # Braced so that styles which lowercase titles leave \Lambda alone.
        return "{$" + out.strip() + "$}"

    def _math_chars(self, ch: str) -> list[tuple[str, str]]:
        if ch == "{":
            return [("open", ch)]
        if ch == "}":
            return [("close", ch)]
        if ch in "%#&":
            return [("cmd", "\\" + ch)]
        if ch == "\\":
            return [("cmd", r"\backslash")]
        if ch.isascii():
            return [("char", ch)]
        sym = math_symbol(ch)
        if sym is not None:
            return [_math_token(sym)]
        if self.unicode:
            return [("char", ch)]
        latex, warning = char_to_latex(ch)
        if warning:
            self._warn(warning)
        return [_math_token(r"\mbox{" + latex + "}")]

    def _math_command(self, name: str) -> str:
        if name in _MATH_COMMANDS:
            return "\\" + name
        if name in _MATH_REWRITES:
            sub = _MATH_REWRITES[name]
            self._warn(f"TeX command \\{name} needs a package; written as {sub}")
            return sub
        if len(name) == 1:
            # \R, \Q, \Z: the usual shorthands for number sets.
            self._warn(
                f"TeX command \\{name} is not defined by LaTeX; written as \\mathbf{{{name}}}"
            )
            return r"\mathbf{" + name + "}"
        self._warn(f"TeX command \\{name} needs a package; written as its name")
        return r"\mathrm{" + name + "}"


# Control symbols that are valid in math mode (\, \; \! \: \| \  \> \_ \# \% \& \$).
_MATH_PUNCT = frozenset(",;!:| >_#%&$")
_ONE_ARG = frozenset(
    """sqrt mathrm mathbf mathit mathcal mathsf mathtt mathnormal bar hat tilde vec dot ddot check
    breve acute grave overline underline widetilde widehat overbrace underbrace mbox hbox textrm
    textit textbf not pmod""".split()
)
_TWO_ARGS = frozenset({"frac", "stackrel", "overset"})
_ARG_CHARS = frozenset("+-*/=<>()|.,;:!?[]")
_TEXT_ARG = frozenset({"mbox", "hbox", "textrm", "textit", "textbf"})
_TEXT_SAFE = frozenset({r"\&", r"\%", r"\#", r"\$", r"\_", r"\,"})
_DELIMITED = frozenset({"left", "right", "big", "Big", "bigg", "Bigg"})
_INFIX = frozenset({"over", "atop", "choose"})
_DELIMITERS = frozenset(
    r"""( ) [ ] | . / < > \lbrace \rbrace \langle \rangle \vert \Vert \lfloor \rfloor \lceil
    \rceil \backslash \uparrow \downarrow""".split()
)


_TEX_ACCENTS = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    '"': "\u0308", "u": "\u0306", "r": "\u030a", "H": "\u030b", "v": "\u030c", "c": "\u0327",
    "d": "\u0323", "b": "\u0331", "k": "\u0328", "t": "\u0361",
}  # fmt: skip
_TEX_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
}  # fmt: skip


def _tex_letter(tok: str) -> str | None:
    """The letter a source TeX accent or letter command stands for (``\\"o`` -> ``ö``), or
    None when no language has it (``\\^M``), which means the backslash was plain text."""
    name = re.sub(r"[\s{}]", "", tok[1:])
    if name in _TEX_LETTERS:
        return _TEX_LETTERS[name]
    accent, letter = name[0], name[1:]
    letter = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    composed = unicodedata.normalize("NFC", letter + _TEX_ACCENTS[accent])
    return composed if len(composed) == 1 else None


def _math_token(latex: str) -> tuple[str, str]:
    """A command token, or an atom braced so that it is one argument (``x^{\\mbox{é}}``)."""
    if re.fullmatch(r"\\[A-Za-z]+", latex):
        return ("cmd", latex)
    return ("atom", "{" + latex + "}")


def _math_is_safe(tokens: list[tuple[str, str]]) -> bool:
    """False for math that would stop pdflatex: double scripts, missing arguments, unpaired
    ``\\left``/``\\right``, two ``\\over`` in one group, unbalanced braces."""
    match: dict[int, int] = {}
    opened: list[int] = []
    for i, (kind, _) in enumerate(tokens):
        if kind == "open":
            opened.append(i)
        elif kind == "close":
            if not opened:
                return False
            match[opened.pop()] = i
    if opened:
        return False

    def skip_spaces(j: int) -> int:
        while j < len(tokens) and tokens[j] == ("char", " "):
            j += 1  # TeX skips spaces looking for an argument
        return j

    def unit_end(j: int) -> int | None:
        """Index after the argument starting at j, or None if no argument starts there."""
        j = skip_spaces(j)
        if j >= len(tokens):
            return None
        kind, text = tokens[j]
        if kind == "close" or text in ("^", "_", "'", "["):  # \sqrt[ opens an optional argument
            return None
        if kind == "char" and not (text.isalnum() or text in _ARG_CHARS):
            return None  # ~ and ` are active or odd as arguments: x_~ stops LaTeX
        if kind == "cmd" and text[1:] in _INFIX | _DELIMITED | _ONE_ARG | _TWO_ARGS:
            return None  # a command that wants arguments of its own: too easy to get wrong
        return match[j] + 1 if kind == "open" else j + 1

    # Per open group: [superscript taken, subscript taken, infix seen, \left depth, script arg]
    groups = [[False, False, False, 0, False]]
    script_arg_groups: set[int] = set()
    prev: tuple[str, str] = ("", "")
    for i, (kind, text) in enumerate(tokens):
        if (kind, text) == ("char", " "):
            continue  # math ignores spaces
        after_script = prev in (("char", "^"), ("char", "_"))
        prev = (kind, text)
        state = groups[-1]
        name = text[1:] if kind == "cmd" else ""
        if kind == "open":
            groups.append([False, False, False, 0, i in script_arg_groups])
            continue
        if kind == "close":
            done = groups.pop()
            if done[3]:
                return False
            if not done[4]:
                groups[-1][0] = groups[-1][1] = False  # a group is a new atom
            continue
        if text in ("^", "_"):
            slot = 0 if text == "^" else 1
            end = unit_end(i + 1)
            if state[slot] or end is None:
                return False
            state[slot] = True
            if tokens[skip_spaces(i + 1)][0] == "open":
                script_arg_groups.add(skip_spaces(i + 1))
            continue
        if text == "'":
            if state[0]:
                return False
            continue
        if after_script:
            continue  # the script's own argument, not a new atom
        if name in _INFIX:
            if state[2]:
                return False
            state[2] = True
        elif name in _DELIMITED:
            j = skip_spaces(i + 1)
            if j >= len(tokens) or tokens[j][1] not in _DELIMITERS:
                return False
            if name == "left":
                state[3] += 1
            elif name == "right":
                if not state[3]:
                    return False
                state[3] -= 1
        elif name in _TEXT_ARG:
            # Text inside math: a braced group of plain characters, nothing math-only in it.
            j = skip_spaces(i + 1)
            if j >= len(tokens) or tokens[j][0] != "open":
                return False
            inner = tokens[j + 1 : match[j]]
            if any(k != "char" and t not in _TEXT_SAFE for k, t in inner) or any(
                t in ("^", "_") for _, t in inner
            ):
                return False
        elif name in _ONE_ARG or name in _TWO_ARGS:
            end = unit_end(i + 1)
            if end is None or (name in _TWO_ARGS and unit_end(end) is None):
                return False
        state[0] = state[1] = False
    return not groups[0][3]


def _is_acronym(word: str) -> bool:
    """BERT, GPT4, LLaMA, 3D, iPhone: capitals other than a leading one."""
    return sum(c.isupper() for c in word) >= 2 or any(c.isupper() for c in word[1:])


def escape_text(text: str, *, unicode: bool = False, protect_acronyms: bool = False) -> str:
    """Escape one text value for BibTeX/LaTeX (warnings are dropped; see render_bibtex)."""
    return _Escaper(unicode).text(text, protect_acronyms=protect_acronyms)


# -- names ---------------------------------------------------------------------------------------


def format_author(name: str, escaper: _Escaper | None = None) -> str:
    """One author as BibTeX reads names: ``Last, First`` (``von Last, Jr., First``)."""
    esc = escaper or _Escaper(unicode=False)
    if clean(name).count(",") > 2:
        # BibTeX reads at most "von Last, Jr, First": anything else is kept whole, as one name.
        return "{" + esc.text(name) + "}"
    # A part without letters or digits ("----", "~") reads as empty to BibTeX: a name error.
    parts = [p if re.search(r"[^\W_]", p) else "" for p in split_name(name)]
    # A bare "and" inside a name would split it into two authors.
    first, last, suffix = (
        re.sub(r"\band\b", "{and}", esc.text(p), flags=re.IGNORECASE) for p in parts
    )
    if not last:
        last, first = first or suffix, ""
        suffix = ""
    if not first:
        return f"{last}, {suffix}" if suffix else last
    if suffix:
        return f"{last}, {suffix}, {first}"
    return f"{last}, {first}"


# -- entries -------------------------------------------------------------------------------------


def _verbatim(value: str) -> str:
    """url/doi/eprint: untouched but for what would break the .bib file (braces, spaces)."""
    value = clean(value)
    for ch, code in (("{", "%7B"), ("}", "%7D"), (" ", "%20"), ("\\", "%5C")):
        value = value.replace(ch, code)
    return value


def _bare_doi(doi: str) -> str:
    doi = clean(doi).split()[0] if clean(doi) else ""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)


def _entry(paper: Paper, key: str, esc: _Escaper) -> str:
    fields: list[tuple[str, str]] = []
    fields.append(("title", esc.text(paper.title, protect_acronyms=True)))
    names = [n for n in (format_author(a, esc) for a in paper.authors) if n]
    if names:
        if paper.n_authors and paper.n_authors > len(names):
            names.append("others")  # a listing that names only the first few
        # One name a line (BibTeX limits line length); "and" first so no line starts with "@".
        fields.append(("author", "\n    and ".join(names)))
    else:
        # Without authors, styles sort and label (alpha: "Uni23") by this field; it is not printed.
        words = plain_words(paper.title)[:4]
        fields.append(("key", " ".join(words).capitalize() if words else key))
    if paper.year:
        fields.append(("year", str(paper.year)))
    arxiv = paper.arxiv_id or bare_arxiv_id(paper.id)
    if arxiv:
        fields.append(("eprint", arxiv))
        fields.append(("archivePrefix", "arXiv"))
        if paper.categories:
            fields.append(("primaryClass", _verbatim(paper.categories[0])))
    if paper.doi and _bare_doi(paper.doi):
        fields.append(("doi", _verbatim(_bare_doi(paper.doi))))
    notes: list[str] = []
    if paper.journal_ref and clean(paper.journal_ref):
        # The entry stays arXiv's own @misc e-print (as arXiv's export writes it); the journal
        # reference goes in the note, which every standard style prints for a @misc, and not
        # also in `journal`: a @misc has no journal field (styles ignore it, and biber warns),
        # and the reference is one free-text string, not a journal name. RIS and CSL-JSON carry
        # it the same way (search/ris.py, search/csl.py).
        notes.append(f"Published in {esc.text(paper.journal_ref)}")
    if not arxiv and any(k.startswith("hf-") for k in paper.kinds):
        notes.append("Hugging Face Daily Papers")
    if not names and paper.author_count:
        n = paper.author_count
        notes.append(f"{n} author{'s' if n != 1 else ''}")
    if notes:
        fields.append(("note", ", ".join(notes)))
    url = arxiv_abs_url(arxiv) if arxiv else next(iter(paper.urls), None)
    if url:
        fields.append(("url", _verbatim(url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body},\n}}\n"


def bibtex_entry(paper: Paper, key: str | None = None, *, unicode: bool = False) -> str:
    """One ``@misc`` entry for ``paper`` (key generated when not given), e.g. for copying."""
    return _entry(paper, key or base_key(paper), _Escaper(unicode))


def render_bibtex(bookmarks: Sequence[Bookmark], *, unicode: bool = False) -> BibtexExport:
    """The entries for ``bookmarks`` in order, with unique keys: stored keys are kept, the others
    generated (persist them with ``BookmarkStore.assign_keys`` first to make them stable)."""
    stored = {b.key for b in bookmarks if b.key}
    used: set[str] = set()
    entries: list[tuple[str, Paper]] = []
    for bookmark in bookmarks:
        key = bookmark.key
        if not key or key in used:
            key = unique_key(base_key(bookmark.paper), used | stored)
        used.add(key)
        entries.append((key, bookmark.paper))
    return render_entries(entries, unicode=unicode)


def render_entries(entries: Sequence[tuple[str, Paper]], *, unicode: bool = False) -> BibtexExport:
    """The ``@misc`` entries for ``(key, paper)`` pairs in order, keys as given."""
    warnings: list[str] = []
    texts: list[str] = []
    for key, paper in entries:
        esc = _Escaper(unicode)
        texts.append(_entry(paper, key, esc))
        warnings.extend(f"{paper.id}: {w}" for w in esc.warnings)
    return BibtexExport(
        text="\n".join(texts),
        keys={paper.id: key for key, paper in entries},
        warnings=tuple(warnings),
    )
