"""RIS and CSL-JSON exports, read back by the parsers reference managers use (rispy, citeproc-py).

Real papers from the shared dumps in place: the arXiv snapshot (journal references, DOIs, TeX in
titles), the daily-papers API (names, no journal), page copies (no names, only a count).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as cite_formatter
from citeproc.source.json import CiteProcJSON
from paperbrowse.search.csl import csl_item, render_csl_json
from paperbrowse.search.models import Paper
from paperbrowse.search.ris import render_ris, ris_record
from paperbrowse.search.tex2text import tex_to_text

from tests.dumps_paths import DUMPS, needs_dumps, read_split

SNAPSHOT = DUMPS / "arxiv-jsonl" / "arxiv-metadata-oai-snapshot_first200.jsonl"


def _real_papers() -> list[Paper]:
    papers = read_split(SNAPSHOT)[0]
    for path in sorted((DUMPS / "hf-daily-json").glob("*.json")):
        papers += read_split(path)[0]
    papers += read_split(DUMPS / "hf-papers-text" / "000_749900d1330c4652.txt")[0]
    return papers


@pytest.fixture(scope="module")
def real_papers() -> list[Paper]:
    return _real_papers()


def _entries(papers: list[Paper]) -> list[tuple[str, Paper]]:
    return [(f"key{i}", p) for i, p in enumerate(papers)]


# -- TeX as text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"Scaling $(k,\ell)$-cores", "Scaling (k,ℓ)-cores"),
        (r"The $\zeta$ function", "The ζ function"),
        (r"Gr\"obner bases", "Gröbner bases"),
        (r"over $\Q(\sqrt{5})$ via", "over Q(√(5)) via"),  # an unknown macro keeps its name
        (r"$p$-adic limits, 50% faster", "p-adic limits, 50% faster"),  # % is not a comment
        ("50% fewer FLOPs & 2x speed #1", "50% fewer FLOPs & 2x speed #1"),  # plain text as is
        ("a_b c~d\n  hard-wrapped", "a_b c~d hard-wrapped"),
    ],
)
def test_tex_to_text(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text


# -- RIS --------------------------------------------------------------------------------------


@needs_dumps
def test_ris_of_a_real_snapshot_paper_reads_back_exactly(real_papers: list[Paper]) -> None:
    paper = next(p for p in real_papers if p.id == "0704.0001")
    (record,) = rispy.loads(ris_record(paper, "Balazs2007Calculation"))
    assert record["type_of_reference"] == "UNPB"
    assert record["id"] == "Balazs2007Calculation"
    assert record["title"] == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert record["authors"] == ["Balázs, C.", "Berger, E. L.", "Nadolsky, P. M.", "Yuan, C.-P."]
    assert record["year"] == "2007"
    assert record["date"] == "2007/04/02/"
    assert record["doi"] == "10.1103/PhysRevD.76.013009"
    assert record["accession_number"] == "arXiv:0704.0001"
    assert record["publisher"] == "arXiv"
    assert record["urls"] == ["https://arxiv.org/abs/0704.0001"]
    assert record["file_attachments1"] == "https://arxiv.org/pdf/0704.0001"
    assert record["keywords"] == ["hep-ph"]
    assert record["notes"] == ["Published in Phys.Rev.D76:013009,2007"]
    assert record["abstract"].startswith("A fully differential calculation in perturbative")


@needs_dumps
def test_every_real_paper_is_one_ris_record_that_reads_back(real_papers: list[Paper]) -> None:
    records = rispy.loads(render_ris(_entries(real_papers)))
    assert len(records) == len(real_papers)
    for (key, paper), record in zip(_entries(real_papers), records, strict=True):
        assert record["id"] == key
        assert record["title"] == tex_to_text(paper.title)
        assert len(record.get("authors", [])) == len([a for a in paper.authors if a.strip()])


@needs_dumps
def test_ris_renders_tex_titles_as_text(real_papers: list[Paper]) -> None:
    paper = next(p for p in real_papers if "$\\Lambda_{\\alpha}$" in p.title)
    (record,) = rispy.loads(ris_record(paper, "k"))
    assert record["title"] == "From dyadic Λ_α to Λ_α"


@needs_dumps
def test_a_page_paper_without_names_is_a_web_record_with_its_author_count(
    real_papers: list[Paper],
) -> None:
    paper = next(p for p in real_papers if "hf-text" in p.kinds and p.n_authors)
    (record,) = rispy.loads(ris_record(paper, "k"))
    assert record["type_of_reference"] == "ELEC"
    assert "authors" not in record
    n = paper.n_authors
    assert record["notes"] == [f"{n} author{'s' if n != 1 else ''} (names not in the source)"]


def test_ris_values_cannot_start_a_tag_or_carry_control_codes() -> None:
    paper = Paper(
        id="2401.00001",
        title="Line one\nER  - \nTY  - JOUR\x1b[2J\u202e",
        abstract="para one\n\npara two\x07",
        authors=("Ada\nLovelace", "\x9bGrace Hopper"),
        published=date(2024, 1, 2),
    )
    text = ris_record(paper, "k")
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in text.splitlines())
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")
    (record,) = rispy.loads(text)
    assert record["title"] == "Line one ER - TY - JOUR[2J"
    assert record["authors"] == ["Lovelace, Ada", "Hopper, Grace"]


# -- CSL-JSON ---------------------------------------------------------------------------------


@needs_dumps
def test_csl_item_of_a_real_snapshot_paper(real_papers: list[Paper]) -> None:
    paper = next(p for p in real_papers if p.id == "0704.0001")
    item = csl_item(paper, "Balazs2007Calculation")
    assert item == {
        "id": "Balazs2007Calculation",
        "type": "article",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and "
        "LHC energies",
        "author": [
            {"family": "Balázs", "given": "C."},
            {"family": "Berger", "given": "E. L."},
            {"family": "Nadolsky", "given": "P. M."},
            {"family": "Yuan", "given": "C.-P."},
        ],
        "issued": {"date-parts": [[2007, 4, 2]]},
        "abstract": item["abstract"],
        "publisher": "arXiv",
        "number": "arXiv:0704.0001",
        "DOI": "10.1103/PhysRevD.76.013009",
        "URL": "https://arxiv.org/abs/0704.0001",
        "keyword": "hep-ph",
        "note": "Published in Phys.Rev.D76:013009,2007",
    }


def _bibliography(items: list[dict], style: str) -> list[str]:
    source = CiteProcJSON(items)
    bib = CitationStylesBibliography(
        CitationStylesStyle(style, validate=False), source, cite_formatter.plain
    )
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bib.bibliography()]


@needs_dumps
@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-author-date"])
def test_citeproc_renders_every_real_paper(real_papers: list[Paper], style: str) -> None:
    items = json.loads(render_csl_json(_entries(real_papers)))
    rendered = _bibliography(items, style)
    assert len(rendered) == len(real_papers)
    first = next(r for r in rendered if "Tevatron" in r)
    assert "Balázs" in first and "10.1103/PhysRevD.76.013009" in first


def test_csl_names_organisations_and_suffixes() -> None:
    paper = Paper(
        id="2401.00002",
        title="T",
        authors=("OpenAI", "Jan van der Berg", "Martin Luther King Jr."),
    )
    assert csl_item(paper, "k")["author"] == [
        {"literal": "OpenAI"},
        {"family": "van der Berg", "given": "Jan"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    ]


def test_csl_json_is_plain_text_without_control_codes() -> None:
    paper = Paper(id="2401.00003", title="x\x1b]52;c;aGk=\x07 \u202eevil", authors=("A\x85 B",))
    text = render_csl_json([("k", paper)])
    assert not any(ch in text for ch in "\x1b\x07\x85\u202e")
    assert json.loads(text)[0]["title"] == "x]52;c;aGk= evil"
