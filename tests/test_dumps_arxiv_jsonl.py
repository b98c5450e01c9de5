"""The arXiv metadata snapshot (JSON lines): fields, bad lines, and streaming."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from paperbrowse.search.dumps import arxiv_jsonl, detect_format
from paperbrowse.search.dumps.arxiv_jsonl import iter_records
from paperbrowse.search.dumps.decode import SNIFF_BYTES
from paperbrowse.search.models import Paper, ParseProblem

from tests.dumps_paths import DUMPS, needs_dumps, read_split

SNAPSHOT = DUMPS / "arxiv-jsonl" / "arxiv-metadata-oai-snapshot_first200.jsonl"


@needs_dumps
def test_snapshot_every_field():
    papers, problems = read_split(SNAPSHOT)
    assert problems == []
    assert len(papers) == 200
    assert len({p.id for p in papers}) == 200
    first = papers[0]
    assert first == Paper(
        id="0704.0001",
        title="Calculation of prompt diphoton production cross sections at Tevatron and LHC "
        "energies",
        abstract=first.abstract,
        # authors_parsed (Unicode), not the TeX "C. Bal\\'azs"; "C. -P." rejoined as on the paper.
        authors=("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"),
        n_authors=4,
        published=date(2007, 4, 2),
        categories=("hep-ph",),
        doi="10.1103/PhysRevD.76.013009",
        journal_ref="Phys.Rev.D76:013009,2007",
        comments="37 pages, 15 figures; published version",
        urls=("https://arxiv.org/abs/0704.0001",),
        sources=(str(SNAPSHOT),),
        kinds=("arxiv-jsonl",),
        arxiv_id="0704.0001",
        updated=date(2007, 7, 24),
        report_no="ANL-HEP-PR-07-12",
        submitter="Pavel Nadolsky",
    )
    assert first.abstract.startswith("A fully differential calculation in perturbative quantum")
    assert first.abstract.endswith("can be obtained with judicious selection of events.")

    second = papers[1]
    assert (second.id, second.title) == ("0704.0002", "Sparsity-certifying Graph Decompositions")
    assert second.categories == ("math.CO", "cs.CG")
    assert second.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert (second.published, second.updated) == (date(2007, 3, 31), date(2008, 12, 13))
    assert second.doi is None and second.journal_ref is None and second.report_no is None
    # TeX stays in abstracts and titles.
    assert second.abstract.startswith("We describe a new algorithm, the $(k,\\ell)$-pebble game")

    dyadic = papers[4]
    assert dyadic.title == "From dyadic $\\Lambda_{\\alpha}$ to $\\Lambda_{\\alpha}$"

    suffix = papers[8]
    assert suffix.authors[5] == "Neal J. Evans II"

    quasi = papers[162]
    assert quasi.id == "0704.0163"
    assert quasi.authors == ("Peter Brommer", "Franz Gähler")
    assert (
        quasi.affiliations
        == ("Institut für Theoretische und Angewandte Physik, Universität Stuttgart",) * 2
    )
    assert papers[24].affiliations == ("1 and 2", "1 and 3")
    assert sum(1 for p in papers if p.affiliations) == 18
    # Only authors with a 4th element get one; the rest are "" (parallel to authors).
    assert all(not p.affiliations or len(p.affiliations) == len(p.authors) for p in papers)


def _line(**fields):
    record = {
        "id": "0704.0001",
        "title": "A title",
        "abstract": "  An abstract.\n",
        "categories": "hep-ph",
        "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
        "authors_parsed": [["Doe", "Jane", ""]],
    }
    record.update(fields)
    return json.dumps(record)


def test_bad_line_in_the_middle_does_not_stop_reading(tmp_path):
    lines = [
        _line(id="0704.0001"),
        _line(id="0704.0002"),
        '{"id": "0704.0003", "title": "broken',
        "",
        _line(id="0704.0004", title=None),
        _line(id="0704.0005", versions=[{"created": "garbage"}], authors_parsed=[]),
        "[1, 2]",
        _line(id="hep-th/9901001v2"),
    ]
    path = tmp_path / "snapshot.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    papers, problems = read_split(path)
    assert [p.id for p in papers] == ["0704.0001", "0704.0002", "0704.0005", "hep-th/9901001"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "truncated JSON: Unterminated string starting at"),
        (5, "missing title"),
        (7, "expected a JSON object, got list"),
    ]
    assert papers[2].published is None and papers[2].authors == ()
    assert papers[3].urls == ("https://arxiv.org/abs/hep-th/9901001",)


def test_authors_string_is_the_fallback():
    [paper] = list(
        iter_records(
            [_line(authors_parsed=None, authors="A. One, B. Two and C. Three").encode()], "mem"
        )
    )
    assert paper.authors == ("A. One", "B. Two", "C. Three")


def test_links_in_abstract():
    [paper] = list(
        iter_records([_line(abstract="  Code at\n https://github.com/x/y. More.").encode()], "mem")
    )
    assert paper.urls == ("https://github.com/x/y", "https://arxiv.org/abs/0704.0001")


def test_streams_line_by_line():
    """Papers come out while the input is still being read: nothing loads the whole file."""
    consumed = []

    def lines():
        for n in range(1, 4):
            consumed.append(n)
            yield (_line(id=f"0704.000{n}") + "\n").encode()
        raise AssertionError("read past the third line")

    records = iter_records(lines(), "mem")
    first = next(records)
    assert isinstance(first, Paper) and first.id == "0704.0001"
    assert consumed == [1]
    second = next(records)
    assert second.id == "0704.0002" and consumed == [1, 2]


def test_read_never_calls_read_on_the_whole_file(tmp_path, monkeypatch):
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(_line(id=f"0704.{n:04d}") for n in range(1, 51)) + "\n")

    real_open = open

    class Guard(io.BufferedReader):
        def read(self, size=-1):
            # Only the first bytes that sniff the encoding (a BOM, or UTF-16 without one) may
            # be read in one call.
            assert size is not None and 0 <= size <= SNIFF_BYTES, "whole-file read()"
            return super().read(size)

        def readlines(self, hint=-1):
            raise AssertionError("readlines() loads everything")

    def guarded_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if "b" in mode:
            return Guard(handle.detach())
        return handle

    monkeypatch.setattr(arxiv_jsonl, "open", guarded_open, raising=False)
    papers = [p for p in arxiv_jsonl.read(path) if isinstance(p, Paper)]
    assert len(papers) == 50


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_crlf_and_bom(tmp_path, bom):
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(bom + (_line() + "\r\n" + _line(id="0704.0002") + "\r\n").encode())
    items = list(arxiv_jsonl.read(path))
    assert all(isinstance(i, Paper) for i in items)
    assert [i.id for i in items] == ["0704.0001", "0704.0002"]


def test_problem_has_source_and_line():
    [problem] = list(iter_records([b"not json\n"], "dump.jsonl"))
    assert isinstance(problem, ParseProblem)
    assert (problem.source, problem.line) == ("dump.jsonl", 1)
    assert problem.message.startswith("invalid JSON")


def test_corrupt_nul_line_is_a_bad_line_not_a_binary_file(tmp_path):
    path = tmp_path / "snapshot.jsonl"
    path.write_bytes(
        (_line(id="0704.0001") + "\n").encode()
        + b"\x00\x00\x00\x00\n"
        + (_line(id="0704.0002") + "\n").encode()
    )
    assert detect_format(path) == "arxiv-jsonl"
    for fmt in (None, "arxiv-jsonl"):
        papers, problems = read_split(path, fmt=fmt)
        assert [p.id for p in papers] == ["0704.0001", "0704.0002"]
        assert [p.line for p in problems] == [2]
