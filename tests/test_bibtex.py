"""BibTeX export: escaping, keys, names, and entries that real pdflatex + bibtex compile."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paperbrowse.search.bibtex import (
    BibtexExport,
    bibtex_entry,
    escape_text,
    format_author,
    render_bibtex,
)
from paperbrowse.search.bookmarks import Bookmark
from paperbrowse.search.citekeys import base_key, unique_key
from paperbrowse.search.models import FORMATS, Paper

from tests.dumps_paths import DUMPS, needs_dumps
from tests.fixtures_bibtex import compile_bib, needs_tex


def bm(paper: Paper, key: str | None = None) -> Bookmark:
    return Bookmark(paper, (), "", False, datetime(2026, 1, 1, tzinfo=UTC), key)


def parse(text: str) -> dict[str, dict[str, str]]:
    """Entries by key, fields by name, as bibtexparser reads them back."""
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


# -- escaping --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("50% of C#_{x} & {", r"50\% of C\#\_{x} \& {\textbraceleft}"),
        ("a~b^c\\d", r"a{\textasciitilde}b{\textasciicircum}c{\textbackslash}d"),
        ("x < y | z > w", r"x {\textless} y {\textbar} z {\textgreater} w"),
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("unbalanced } then {", r"unbalanced {\textbraceright} then {\textbraceleft}"),
        ("A Note About the {Ki(z)} Functions", "A Note About the {Ki(z)} Functions"),
        ("costs $5 and $10", r"costs \$5 and \$10"),
        ("tab\there\x07bell\x1b[31m", "tab herebell[31m"),
    ],
)
def test_specials_are_escaped(source: str, expected: str) -> None:
    assert escape_text(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"From dyadic $\Lambda_{\alpha}$ to", r"From dyadic {$\Lambda_{\alpha}$} to"),
        (r"CeAg$_2$Ge$_2$ crystal", r"CeAg{$_2$}Ge{$_2$} crystal"),
        (r"the Gr\"obner basis", r"the Gr{\"o}bner basis"),
        (r"Koll\'{a}r and \v{S}r\'amek", r"Koll{\'a}r and {\v{S}}r{\'a}mek"),
        (r"Mikkel {\O}bro", r"Mikkel {{\O}}bro"),
        (r"a \{b\} c}", r"a {\textbraceleft}b{\textbraceright} c{\textbraceright}"),
        (r"$\{x\}$", r"{$\lbrace x\rbrace$}"),
        (r"$x % y$", r"{$x \% y$}"),
        (r"$\mathbb{R}^n$", r"{$\mathbf{R}^n$}"),
        (r"\unknown{x}", r"{\textbackslash}unknown{x}"),
        (r"\emph{}", r"\emph{}"),
        (r"\emph y", r"{\textbackslash}emph y"),
    ],
)
def test_source_tex_is_kept_and_made_safe(source: str, expected: str) -> None:
    assert escape_text(source) == expected


def test_acronyms_are_protected_not_every_word() -> None:
    title = "BERT and GPT-4 meet LLaMA in 3D: Pre-training Transformers"
    assert escape_text(title, protect_acronyms=True) == (
        "{BERT} and {GPT}-4 meet {LLaMA} in {3D}: Pre-training Transformers"
    )


@pytest.mark.parametrize(
    ("source", "latex"),
    [
        ("Balázs", r"Bal{\'a}zs"),
        ("Gödel", r"G{\"o}del"),
        ("Šrámek", r"{\v{S}}r{\'a}mek"),
        ("Øbro straße", r"{\O}bro stra{\ss}e"),
        ("naïve", r"na{\"\i}ve"),
        ("Nguyễn", r"Nguy{\~{\^e}}n"),
        ("α-β ≤ γ", r"{$\alpha$}-{$\beta$} {$\leq$} {$\gamma$}"),
        ("“a” – b — c…", r"``a'' -- b --- c{\ldots}"),
    ],
)
def test_unicode_becomes_latex(source: str, latex: str) -> None:
    assert escape_text(source) == latex
    assert escape_text(source, unicode=True) == source


@pytest.mark.parametrize(
    ("source", "latex", "utf8"),
    [
        (r"the Gr\"obner basis", r"the Gr{\"o}bner basis", "the Gröbner basis"),
        (r"\v{S}r\'amek", r"{\v{S}}r{\'a}mek", "Šrámek"),
        (r"\k{a}", "{a}", "ą"),  # OT1 has no ogonek: dropped, with a warning
        (
            r"\^MARK",
            r"{\textbackslash}{\textasciicircum}MARK",
            r"{\textbackslash}{\textasciicircum}MARK",
        ),
    ],
)
def test_source_accents_follow_the_output_mode(source: str, latex: str, utf8: str) -> None:
    assert escape_text(source) == latex
    assert escape_text(source, unicode=True) == utf8


def test_characters_without_latex_form_warn() -> None:
    p = Paper(id="2401.00001", title="ʕ the bear ʔ and 漢字", arxiv_id="2401.00001")
    export = render_bibtex([bm(p)])
    assert "ʕ" not in export.text and "? the bear ?" in export.text
    assert any(w.startswith("2401.00001: character 'ʕ'") for w in export.warnings)
    assert render_bibtex([bm(p)], unicode=True).text.count("ʕ") == 1
    assert render_bibtex([bm(p)], unicode=True).warnings == ()


# -- names and keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bibtex"),
    [
        ("C.-P. Yuan", "Yuan, C.-P."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Martin Luther King Jr.", "King, Jr., Martin Luther"),
        ("Yuan, C. -P.", "Yuan, C. -P."),
        ("Péter E. Frenkel", r"Frenkel, P{\'e}ter E."),
        (r"Franz G\"ahler (Universit\"at Stuttgart)", r"G{\"a}hler, Franz"),
        ("Yejin", "Yejin"),
    ],
)
def test_author_names(name: str, bibtex: str) -> None:
    assert format_author(name) == bibtex


def test_keys() -> None:
    p = Paper(
        id="0704.0001",
        title="The calculation of prompt diphoton production",
        authors=("C. Balázs", "E. L. Berger"),
        published=date(2007, 4, 2),
    )
    assert base_key(p) == "balazs2007calculation"
    tex_name = Paper(id="x", title="On $p$-adic forms", authors=(r"P\'eter Frenkel",))
    assert base_key(tex_name) == "frenkeladic"
    no_author = Paper(id="t-1", title="Unifying Feature and Cost", published=date(2023, 3, 1))
    assert base_key(no_author) == "unifyingfeature2023"
    assert base_key(Paper(id="t-2", title="漢字")) == "paper"
    assert base_key(Paper(id="t-3", title="x", authors=("王小明",))).isascii()
    assert unique_key("k", {"k"}) == "ka"
    assert unique_key("k", {"k", *(f"k{c}" for c in "abcdefghijklmnopqrstuvwxyz")}) == "kaa"


def test_export_keys_unique_and_stored_keys_kept() -> None:
    p1 = Paper(id="a", title="Deep nets", authors=("Ada Lovelace",), published=date(2024, 1, 1))
    p2 = Paper(id="b", title="Deep nets", authors=("Ada Lovelace",), published=date(2024, 1, 1))
    p3 = Paper(id="c", title="Deep nets", authors=("Ada Lovelace",), published=date(2024, 1, 1))
    export = render_bibtex([bm(p1), bm(p2, key="lovelace2024deep"), bm(p3)])
    assert isinstance(export, BibtexExport)
    # The stored key stays with its bookmark; the others step around it.
    assert export.keys == {
        "a": "lovelace2024deepa",
        "b": "lovelace2024deep",
        "c": "lovelace2024deepb",
    }
    assert list(parse(export.text)) == [
        "lovelace2024deepa",
        "lovelace2024deep",
        "lovelace2024deepb",
    ]


# -- entries ---------------------------------------------------------------------------------------


def test_arxiv_entry_follows_arxiv_export() -> None:
    p = Paper(
        id="0704.0001",
        arxiv_id="0704.0001",
        title="Calculation of prompt diphoton production at LHC energies",
        authors=("C. Balázs", "E. L. Berger"),
        published=date(2007, 4, 2),
        categories=("hep-ph", "hep-ex"),
        doi="https://doi.org/10.1103/PhysRevD.76.013009",
        journal_ref="Phys.Rev.D76:013009,2007",
    )
    text = bibtex_entry(p, "k")
    assert text.startswith("@misc{k,\n")
    fields = parse(text)["k"]
    assert fields["title"] == "Calculation of prompt diphoton production at {LHC} energies"
    assert fields["author"].split("\n    and ") == [r"Bal{\'a}zs, C.", "Berger, E. L."]
    assert fields["year"] == "2007"
    assert fields["eprint"] == "0704.0001"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["primaryClass"] == "hep-ph"
    assert fields["doi"] == "10.1103/PhysRevD.76.013009"
    assert "journal" not in fields  # a @misc has none: the reference is in the note
    assert fields["note"] == "Published in Phys.Rev.D76:013009,2007"
    assert fields["url"] == "https://arxiv.org/abs/0704.0001"


def test_page_copy_entry_says_what_is_known() -> None:
    p = Paper(
        id="t-5cef6cd9e75c",
        title="HBFormer: A Hybrid-Bridge Transformer",
        n_authors=9,
        published=date(2025, 12, 3),
        kinds=("hf-text",),
        urls=("https://github.com/lzeeorno/HBFormer",),
    )
    fields = parse(bibtex_entry(p, "k"))["k"]
    assert "author" not in fields
    assert fields["note"] == "Hugging Face Daily Papers, 9 authors"
    assert fields["url"] == "https://github.com/lzeeorno/HBFormer"
    assert fields["key"] == "Hbformer a hybrid bridge"
    assert "eprint" not in fields


def test_partial_author_list_ends_with_others() -> None:
    p = Paper(id="x", title="T", authors=("Ada Lovelace",), n_authors=12)
    assert parse(bibtex_entry(p, "k"))["k"]["author"] == "Lovelace, Ada\n    and others"


def test_verbatim_fields_untouched() -> None:
    p = Paper(id="x", title="T", urls=("https://example.org/a_b%20c~d#frag",), doi="10.1000/a_b")
    fields = parse(bibtex_entry(p, "k"))["k"]
    assert fields["url"] == "https://example.org/a_b%20c~d#frag"
    assert fields["doi"] == "10.1000/a_b"


# -- real dumps, parsed back and compiled --------------------------------------------------------


def dump_papers() -> list[Paper]:
    from paperbrowse.search.dumps import iter_dump_files, read_dump

    return [p for f in iter_dump_files([DUMPS]) for p in read_dump(f) if isinstance(p, Paper)]


def nasty_papers() -> list[Paper]:
    """Hand-made titles and names that have broken BibTeX exports before."""
    return [
        Paper(id="t-special", title="50% of C#_{x} & { ~ ^ \\ $ <br> |x|", n_authors=1),
        Paper(
            id="t-markup", title="[bold red]x[/] [link=file:///etc]y[/link] \x1b[2J", n_authors=2
        ),
        Paper(
            id="2401.99999",
            arxiv_id="2401.99999",
            title="Über naïve α-nets — ʕ•ᴥ•ʔ 漢字 “quoted” in Zürich",
            authors=("Zoë Ørsted-Nguyễn", "Łukasz Dąbrowski", "Søren Kierkegaard Jr.", "王小明"),
            published=date(2024, 1, 2),
            categories=("cs.LG",),
        ),
        Paper(id="t-none", title="A paper with no authors and no date"),
        Paper(id="t-math", title=r"Unbalanced $\frac{a}{b$ math and $\lesssim 5\%$ \emph{yes}"),
        Paper(id="t-and", title="T", authors=("Anders and Sons", "Bob, Jr., Smith, X")),
    ]


@needs_dumps
def test_dumps_cover_every_kind() -> None:
    kinds = {k for p in dump_papers() for k in p.kinds}
    assert kinds == set(FORMATS)


@needs_dumps
def test_every_dump_paper_parses_back() -> None:
    papers = dump_papers() + nasty_papers()
    export = render_bibtex([bm(p) for p in papers])
    entries = parse(export.text)
    assert len(entries) == len(papers) == len(export.text.split("\n@")) == len(set(entries))
    assert all(k.isascii() and re.fullmatch(r"[a-z0-9]+", k) for k in entries)
    assert all(set(f) >= {"title"} for f in entries.values())
    assert "\x1b" not in export.text and "ʕ" not in export.text


@needs_dumps
@needs_tex
@pytest.mark.parametrize("style", ["plain", "unsrt", "alpha"])
def test_export_compiles_with_pdflatex_and_bibtex(tmp_path: Path, style: str) -> None:
    papers = dump_papers() + nasty_papers()
    export = render_bibtex([bm(p) for p in papers])
    bbl, blg = compile_bib(tmp_path, export.text, style)
    assert bbl.count("\\bibitem") == len(papers)
    assert "error message" not in blg, blg
    # Only authorless entries may warn; styles need nothing else.
    assert "Warning--" not in blg, blg
    assert export.warnings  # ʕ, \lesssim… were reported, not silently changed


#: Surnames that start with a character LaTeX writes as a command.
COMMAND_SURNAMES = ("<Anonymous>", "{Braced", "~Tilde", "^Caret", "\\Backslash", "|Bar", "…Dots")


@needs_tex
@pytest.mark.parametrize("style", ["plain", "alpha", "abbrv", "unsrt", "plainnat", "amsalpha"])
def test_surnames_starting_with_a_command_compile_in_every_style(
    tmp_path: Path, style: str
) -> None:
    """alpha and amsalpha build labels from the surname's first letters: ``\\textless{}Anonymous``
    gave ``\\bibitem[\\te24]`` (an undefined command) and the document did not compile.
    Written ``{\\textless}``, BibTeX takes the command as one letter."""
    papers = [
        Paper(
            id=f"t-cmd{i}",
            title=f"Paper {i}",
            authors=(f"Ann {name}",),
            n_authors=1,
            published=date(2024, 1, 1),
        )
        for i, name in enumerate(COMMAND_SURNAMES)
    ]
    export = render_bibtex([bm(p) for p in papers])
    bbl, blg = compile_bib(tmp_path, export.text, style)
    assert bbl.count("\\bibitem") == len(papers)
    assert "error message" not in blg, blg
    assert "{\\textless}Anonymous" in bbl


@needs_tex
def test_nasty_titles_render_as_written(tmp_path: Path) -> None:
    """What the reader sees in the PDF's bibliography text (.bbl) keeps the words and the math."""
    export = render_bibtex([bm(p) for p in nasty_papers()])
    bbl, _ = compile_bib(tmp_path, export.text, "unsrt")
    assert r"50\% of c\#\_{x} \& {\textbraceleft}" in bbl  # styles lowercase titles
    assert "[bold red]x[/]" in bbl
    assert r"{\"U}ber na{\"\i}ve {$\alpha$}-nets" in bbl
    assert r"{\O}rsted-Nguy{\~{\^e}}n" in bbl


# -- any text at all -------------------------------------------------------------------------------

_ALPHABET = "aZ09 $\\{}%&#_~^<>|[]/.,:;'\"`@=-!?\t\n\x00\x1bαβΣé̈ñøßŁ漢ʕ\u00a0\u200b—“”…"


def _bibtex_balanced(value: str) -> bool:
    """BibTeX's own rule: every brace counts, backslash or not."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


@given(st.text(alphabet=_ALPHABET, max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_balanced_ascii_field(text: str) -> None:
    value = escape_text(text, protect_acronyms=True)
    assert _bibtex_balanced(value)
    assert value.isascii()
    assert re.search(r"(?<!\\)%", value) is None  # a bare % would comment out the rest
    assert not any(ord(c) < 32 for c in value)


@needs_tex
def test_random_titles_and_names_compile(tmp_path: Path) -> None:
    rng = random.Random(4)
    papers = [
        Paper(
            id=f"t-{i}",
            title="".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 50))),
            authors=tuple(
                "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 15)))
                for _ in range(rng.randint(0, 3))
            ),
        )
        for i in range(150)
    ]
    export = render_bibtex([bm(p) for p in papers])
    assert len(parse(export.text)) == len(papers)
    bbl, blg = compile_bib(tmp_path, export.text, "plain")
    assert bbl.count("\\bibitem") == len(papers)
    assert "error message" not in blg, blg
