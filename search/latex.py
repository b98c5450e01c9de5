"""Unicode to LaTeX that compiles under plain pdflatex (OT1 fonts, no extra packages).

Used by the BibTeX export: accented Latin letters become accent commands (``é`` -> ``{\\'e}``),
Greek letters and mathematical symbols become math (``α`` -> ``{$\\alpha$}``), typographic
punctuation becomes its TeX ligature. Whatever has no form that compiles without extra packages
is replaced, and the caller gets a warning saying so (never silently).
"""

from __future__ import annotations

import unicodedata

# Greek letters in math mode. Capitals that look like Latin letters have no command of their own.
GREEK: dict[str, str] = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta",
    "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi",
    "ο": "o", "π": r"\pi", "ϖ": r"\varpi", "ρ": r"\rho", "ϱ": r"\varrho", "σ": r"\sigma",
    "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi", "ϕ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "Α": r"\mathrm{A}", "Β": r"\mathrm{B}", "Ε": r"\mathrm{E}", "Ζ": r"\mathrm{Z}",
    "Η": r"\mathrm{H}", "Ι": r"\mathrm{I}", "Κ": r"\mathrm{K}", "Μ": r"\mathrm{M}",
    "Ν": r"\mathrm{N}", "Ο": r"\mathrm{O}", "Ρ": r"\mathrm{P}", "Τ": r"\mathrm{T}",
    "Χ": r"\mathrm{X}",
}  # fmt: skip

# Mathematical symbols, as math-mode commands.
MATH_SYMBOLS: dict[str, str] = {
    "×": r"\times", "÷": r"\div", "±": r"\pm", "∓": r"\mp", "≤": r"\leq", "≥": r"\geq",
    "≠": r"\neq", "≈": r"\approx", "∼": r"\sim", "≃": r"\simeq", "≅": r"\cong", "≡": r"\equiv",
    "∝": r"\propto", "≪": r"\ll", "≫": r"\gg", "→": r"\rightarrow", "←": r"\leftarrow",
    "↔": r"\leftrightarrow", "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow",
    "↦": r"\mapsto", "↑": r"\uparrow", "↓": r"\downarrow", "∞": r"\infty", "∂": r"\partial",
    "∇": r"\nabla", "∈": r"\in", "∉": r"\notin", "∋": r"\ni", "⊂": r"\subset",
    "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap",
    "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge",
    "∨": r"\vee", "⊕": r"\oplus", "⊗": r"\otimes", "⊙": r"\odot", "∘": r"\circ",
    "∗": r"\ast", "⋆": r"\star", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "√": r"\surd",
    "ℓ": r"\ell", "ℏ": r"\hbar", "ℵ": r"\aleph", "ℜ": r"\Re", "ℑ": r"\Im", "⟨": r"\langle",
    "⟩": r"\rangle", "⊥": r"\perp", "∥": r"\parallel", "′": r"\prime", "−": "-",
    "⋅": r"\cdot", "∙": r"\cdot", "⋯": r"\cdots", "∣": r"\mid", "≺": r"\prec", "≻": r"\succ",
    "≲": r"\stackrel{<}{\sim}", "≳": r"\stackrel{>}{\sim}",
}  # fmt: skip

# Text-mode forms that the LaTeX kernel provides for OT1 without packages (checked with
# pdflatex). Empty strings drop invisible characters.
TEXT_SYMBOLS: dict[str, str] = {
    "\u00a0": "~", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": "~", "\u3000": " ",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u2060": "",
    "‘": "`", "’": "'", "‚": ",", "“": "``", "”": "''", "„": ",,", "«": "``", "»": "''",
    "‹": "`", "›": "'", "′": "'", "″": "''",
    "‐": "-", "‑": "-", "‒": "--", "–": "--", "—": "---", "―": "---", "…": r"\ldots{}",
    "•": r"\textbullet{}", "·": r"\textperiodcentered{}", "©": r"\copyright{}",
    "®": r"\textregistered{}", "™": r"\texttrademark{}", "§": r"\S{}", "¶": r"\P{}",
    "†": r"\dag{}", "‡": r"\ddag{}", "£": r"\pounds{}", "€": r"\texteuro{}", "¥": r"\textyen{}",
    "¢": r"\textcent{}", "µ": r"\textmu{}", "ª": r"\textordfeminine{}",
    "º": r"\textordmasculine{}", "¡": r"\textexclamdown{}", "¿": r"\textquestiondown{}",
    "°": r"\textdegree{}", "‰": r"\textperthousand{}", "½": r"\textonehalf{}",
    "¼": r"\textonequarter{}", "¾": r"\textthreequarters{}", "℃": r"\textcelsius{}",
    "¹": r"\textsuperscript{1}", "²": r"\textsuperscript{2}", "³": r"\textsuperscript{3}",
    "ø": r"{\o}", "Ø": r"{\O}", "ß": r"{\ss}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}",
    "Œ": r"{\OE}", "å": r"{\aa}", "Å": r"{\AA}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}",
    "ȷ": r"{\j}",
}  # fmt: skip

# Letters OT1 has no glyph for: the nearest ASCII, with a warning.
APPROXIMATIONS: dict[str, str] = {
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ŋ": "ng", "Ŋ": "Ng",
    "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ĸ": "k", "ſ": "s",
}  # fmt: skip

# Combining accents: the command, and whether it takes a braced argument (letter-named accents
# such as \v must: ``\vs`` would be read as a command ``\vs``).
ACCENTS: dict[str, tuple[str, bool]] = {
    "\u0300": ("`", False), "\u0301": ("'", False), "\u0302": ("^", False),
    "\u0303": ("~", False), "\u0304": ("=", False), "\u0307": (".", False),
    "\u0308": ('"', False), "\u0306": ("u", True), "\u030a": ("r", True),
    "\u030b": ("H", True), "\u030c": ("v", True), "\u0327": ("c", True),
    "\u0326": ("c", True),  # comma below (Romanian ș): cedilla is the usual stand-in
    "\u0323": ("d", True), "\u0331": ("b", True),
}  # fmt: skip

_ABOVE = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0304", "\u0306", "\u0307", "\u0308",
          "\u030a", "\u030b", "\u030c"}  # fmt: skip

#: What a character with no LaTeX form is written as.
REPLACEMENT = "?"


def math_symbol(ch: str) -> str | None:
    """The math-mode command for a Greek letter or symbol, or None."""
    return GREEK.get(ch) or MATH_SYMBOLS.get(ch)


def _accented(ch: str) -> tuple[str, str | None] | None:
    """``{\\'e}`` for ``é`` (stacked accents too); None if ``ch`` is no accented letter."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not all(unicodedata.combining(m) for m in marks):
        return None
    warning = None
    if base.isascii() and base.isalpha():
        body = base
    elif base in TEXT_SYMBOLS or base in APPROXIMATIONS:
        body = TEXT_SYMBOLS.get(base) or APPROXIMATIONS[base]
    else:
        return None
    if body in ("i", "j") and any(m in _ABOVE for m in marks):
        body = "\\" + body  # dotless i/j under an accent above, as TeX typesets it
    for mark in marks:
        accent = ACCENTS.get(mark)
        if accent is None:
            warning = f"accent U+{ord(mark):04X} on {base!r} has no LaTeX form; dropped"
            continue
        cmd, braced = accent
        if braced or (body.startswith(("\\", "{")) and body not in ("\\i", "\\j")):
            body = f"\\{cmd}{{{body}}}"
        else:
            body = f"\\{cmd}{body}"
    return "{" + body + "}", warning


def char_to_latex(ch: str) -> tuple[str, str | None]:
    """Text-mode LaTeX for one non-ASCII character, and a warning when it had to be replaced."""
    if ch in TEXT_SYMBOLS:
        symbol = TEXT_SYMBOLS[ch]
        if symbol.startswith("\\") and symbol.endswith("{}"):
            # {\ldots}, not \ldots{}: BibTeX takes a command in braces as one character
            # (alpha labels, purify$), a bare one as its letters (\bibitem[\co24]).
            symbol = "{" + symbol[:-2] + "}"
        return symbol, None
    math = math_symbol(ch)
    if math is not None:
        return "{$" + math + "$}", None
    accented = _accented(ch)
    if accented is not None:
        return accented
    if ch in APPROXIMATIONS:
        sub = APPROXIMATIONS[ch]
        return sub, f"character {ch!r} has no LaTeX form here; written as {sub!r}"
    # Compatibility forms (ligatures, full-width letters, circled digits) have plain spellings.
    compat = unicodedata.normalize("NFKC", ch)
    if compat != ch and compat.isascii() and compat.isprintable():
        return compat, None
    if unicodedata.category(ch).startswith("Z"):
        return " ", None
    if unicodedata.category(ch) in ("Cf", "Mn", "Cc"):
        return "", None
    return REPLACEMENT, (
        f"character {ch!r} (U+{ord(ch):04X}) has no LaTeX form; written as {REPLACEMENT!r}"
        " (--unicode keeps it)"
    )


def to_ascii(text: str) -> str:
    """Plain ASCII for keys: ``Balázs`` -> ``Balazs``, ``Ørsted`` -> ``Orsted``."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        special = TEXT_SYMBOLS.get(ch, "")
        if special.startswith("{\\") and special[2:-1].isalpha():
            out.append(special[2:-1])  # {\o} -> o, {\ss} -> ss
        elif ch in APPROXIMATIONS:
            out.append(APPROXIMATIONS[ch])
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if c.isascii()))
    return "".join(out)
