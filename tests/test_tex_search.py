"""TeX in titles and abstracts: shown as text, searchable in both forms, kept as written in the
record and in BibTeX."""

from __future__ import annotations

from paperbrowse.search.bibtex import bibtex_entry
from paperbrowse.search.engine.schema import document
from paperbrowse.search.models import Paper
from paperbrowse.search.tex2text import display_text, search_forms, spell_symbols


def test_search_forms_add_only_the_words_the_plain_form_lacks():
    assert search_forms('the Gr\\"obner basis') == 'the Gr\\"obner basis\nGröbner'
    assert search_forms("Koll\\'ar's injectivity") == "Koll\\'ar's injectivity\nKollár"
    assert search_forms('Na\\"{\\i}ve') == 'Na\\"{\\i}ve\nNaïve'
    assert search_forms("Zetta ζ: a harness") == "Zetta ζ: a harness\nzeta"
    assert search_forms("the (k,ℓ)-pebble game") == "the (k,ℓ)-pebble game\nell"
    # TeX math already holds the letter's name as a word: nothing to add, nothing counted twice.
    assert search_forms(r"From dyadic $\Lambda_{\alpha}$") == r"From dyadic $\Lambda_{\alpha}$"
    for plain in ("", "Plain words, 50% fewer FLOPs", "Überall café"):
        assert search_forms(plain) == plain


def test_queries_spell_greek_letters_out():
    assert spell_symbols("ζ function") == " zeta  function"
    assert spell_symbols("(k,ℓ)-pebble") == "(k, ell )-pebble"
    assert spell_symbols("plain") == "plain"
    assert spell_symbols("café") == "café"


def test_display_text_renders_tex_and_leaves_plain_text_alone():
    assert display_text(r"Sparse $(k,\ell)$-Cores for $\zeta$-Regularised Attention") == (
        "Sparse (k,ℓ)-Cores for ζ-Regularised Attention"
    )
    text = "50% fewer FLOPs\n  with  spaces"
    assert display_text(text) is text


def test_the_index_gets_both_forms_and_the_record_and_bibtex_keep_tex():
    paper = Paper(
        id="0704.0019",
        arxiv_id="0704.0019",
        title='Approximation based on the Gr\\"obner basis of $(k,\\ell)$',
        abstract="A ζ-function.",
    )
    doc = document(paper)
    assert doc["title"].endswith("\nGröbner") and doc["abstract"] == "A ζ-function.\nzeta"
    assert paper.title == 'Approximation based on the Gr\\"obner basis of $(k,\\ell)$'
    # BibTeX gets the TeX as written (braced so that bibtex keeps it), never the Unicode text.
    title_line = bibtex_entry(paper).splitlines()[1]
    assert (
        title_line == '  title = {Approximation based on the Gr{\\"o}bner basis of {$(k,\\ell)$}},'
    )


def test_malformed_tex_converts_without_a_word_on_stderr(capfd):
    """pylatexenc warns through logging for each macro missing its arguments; unhandled, that
    went to stderr, i.e. over the app's screen (and 200 lines of `show`)."""
    from paperbrowse.search.tex2text import tex_to_text

    # The converter's unfilled "%s/%s" is no text: the TeX as written is shown instead.
    assert tex_to_text(r"Half of it: \frac \frac") == r"Half of it: \frac \frac"
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")
