"""Export safety: nothing in a title, abstract, author or note can break out of its BibTeX field.

Exports of hostile metadata are parsed back with bibtexparser: the same number of entries, the
keys paperbrowse chose, exactly the fields a harmless paper of the same shape gets, balanced
braces in every value, and the words of each field still inside that field.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import bibtexparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paperbrowse.search.bibtex import bibtex_entry, render_bibtex
from paperbrowse.search.bookmarks import Bookmark
from paperbrowse.search.models import Paper

BREAKOUTS = [
    "}",
    "}}}}",
    "{",
    "@misc{evil,",
    "}, title = {pwned",
    '", title = "pwned',
    "}\n@misc{injected, title={pwned}}\n",
    "\\end{document}",
    "\\input{/etc/passwd}",
    "\\",
    "\\\\",
    "%",
    "#",
    "$x^2$",
    "$",
    "~^_&",
    "@comment{",
    "@string{a = {b}}",
    "\\}",
    "\\{",
    "\u202e\x1b[2J",
]

_ALPHABET = st.sampled_from(list('{}@%\\#$&~^_",=()[] \n\tabcXYZ09é\u00df\u03b1'))
NASTY_TEXT = st.one_of(
    st.sampled_from(BREAKOUTS),
    st.text(_ALPHABET, max_size=30),
    st.lists(st.sampled_from(BREAKOUTS), min_size=1, max_size=4).map("".join),
)


def _paper(i: int, title: str, abstract: str, author: str, journal: str | None = None) -> Paper:
    return Paper(
        id=f"2401.{i:05d}",
        arxiv_id=f"2401.{i:05d}",
        title=title,
        abstract=abstract,
        authors=(author, "Ada Lovelace"),
        published=date(2024, 1, 2),
        categories=("cs.LG",),
        doi="10.1000/xyz" + str(i),
        journal_ref=journal,
        comments="12 pages",
        urls=(f"https://arxiv.org/abs/2401.{i:05d}",),
    )


def _bookmark(paper: Paper) -> Bookmark:
    return Bookmark(
        paper=paper,
        tags=("x",),
        note="",
        read=False,
        created=datetime(2024, 1, 3, tzinfo=UTC),
        key=None,
    )


def _balanced(value: str) -> bool:
    depth = 0
    escaped = False
    for ch in value:
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _check_export(hostile: list[Paper], *, unicode: bool) -> None:
    benign = [
        _paper(i, "Benign title", "Benign abstract.", "Grace Hopper", p.journal_ref and "J")
        for i, p in enumerate(hostile)
    ]
    export = render_bibtex([_bookmark(p) for p in hostile], unicode=unicode)
    expected = bibtexparser.parse_string(
        render_bibtex([_bookmark(p) for p in benign], unicode=unicode).text
    )
    parsed = bibtexparser.parse_string(export.text)
    assert not parsed.failed_blocks, export.text
    assert len(parsed.entries) == len(hostile), export.text
    assert [e.key for e in parsed.entries] == [export.keys[p.id] for p in hostile]
    for entry, safe in zip(parsed.entries, expected.entries, strict=True):
        assert set(entry.fields_dict) == set(safe.fields_dict), export.text
        for field in entry.fields:
            assert _balanced(field.value), (field.key, field.value)
        assert re.fullmatch(r"[A-Za-z0-9_:.\-]+", entry.key), entry.key
        assert "MARKTITLE" in entry["title"]
        if "abstract" in safe.fields_dict:  # exported only by some styles
            assert "MARKABSTRACT" in entry["abstract"]
        assert "\x1b" not in export.text and "\u202e" not in export.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.tuples(NASTY_TEXT, NASTY_TEXT, NASTY_TEXT), min_size=1, max_size=4),
    unicode=st.booleans(),
)
def test_fuzzed_metadata_cannot_break_out(texts, unicode: bool) -> None:
    papers = [
        _paper(
            i,
            f"{a} MARKTITLE {b}",
            f"{b} MARKABSTRACT {c}",
            f"Eve {c}".strip(),
            journal=f"Journal {a}",
        )
        for i, (a, b, c) in enumerate(texts)
    ]
    _check_export(papers, unicode=unicode)


@pytest.mark.parametrize("unicode", [False, True])
@pytest.mark.parametrize("nasty", BREAKOUTS)
def test_each_breakout_stays_inside_its_field(nasty: str, unicode: bool) -> None:
    paper = _paper(1, f"{nasty} MARKTITLE {nasty}", f"MARKABSTRACT {nasty}", f"Eve {nasty}")
    _check_export([paper, _paper(2, "MARKTITLE", "MARKABSTRACT", "Bob")], unicode=unicode)
    # The single entry the TUI copies with `y` is as safe.
    single = bibtexparser.parse_string(bibtex_entry(paper, unicode=unicode))
    assert len(single.entries) == 1 and not single.failed_blocks
