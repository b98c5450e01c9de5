"""`paperbrowse cite` through the real entry point: any papers, three formats, ids from a pipe."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import rispy
from paperbrowse.search.bookmarks import BookmarkStore

from tests.dumps_paths import DUMPS, needs_dumps
from tests.fixtures_cli import pb

pytestmark = needs_dumps


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cite")
    pb(data, "ingest", str(DUMPS / "arxiv-jsonl"), str(DUMPS / "hf-daily-json"))
    return data


def test_cite_writes_each_format_for_papers_that_are_not_bookmarked(library: Path) -> None:
    ids = ("0704.0001", "https://arxiv.org/abs/0704.0002v1")
    bib = bibtexparser.parse_string(pb(library, "cite", *ids).stdout)
    assert [e.key for e in bib.entries] == ["balazs2007calculation", "streinu2007sparsity"]
    assert bib.entries[0].fields_dict["eprint"].value == "0704.0001"

    ris = rispy.loads(pb(library, "cite", *ids, "--format", "ris").stdout)
    assert [r["accession_number"] for r in ris] == ["arXiv:0704.0001", "arXiv:0704.0002"]
    assert [r["id"] for r in ris] == ["balazs2007calculation", "streinu2007sparsity"]

    csl = json.loads(pb(library, "cite", *ids, "-f", "csl-json").stdout)
    assert [i["id"] for i in csl] == ["balazs2007calculation", "streinu2007sparsity"]
    assert csl[1]["title"] == "Sparsity-certifying Graph Decompositions"


def test_cite_reads_ids_from_a_pipe_and_names_the_ones_it_cannot_find(library: Path) -> None:
    run = pb(
        library,
        "cite",
        "-",
        "-f",
        "ris",
        stdin="0704.0001\n\n# a comment\nnope\n0704.0001\n",
        code=1,
    )
    assert [r["id"] for r in rispy.loads(run.stdout)] == ["balazs2007calculation"]  # once
    assert run.stderr.strip() == "paperbrowse: no paper with id 'nope'"


def test_a_bookmarked_paper_keeps_its_key_and_no_other_paper_takes_it(library: Path) -> None:
    pb(library, "bookmark", "add", "0704.0002")
    with BookmarkStore(library / "bookmarks.sqlite3") as store:
        # The key 0704.0001 would be given, taken by another paper's bookmark.
        store.set_key("0704.0002", "balazs2007calculation")
    try:
        csl = json.loads(pb(library, "cite", "0704.0001", "0704.0002", "-f", "csl-json").stdout)
        keys = {i["number"]: i["id"] for i in csl}
        assert keys["arXiv:0704.0002"] == "balazs2007calculation"
        assert keys["arXiv:0704.0001"] not in ("balazs2007calculation", "")
    finally:
        pb(library, "bookmark", "remove", "0704.0002")


def test_cite_to_a_file_and_its_errors(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "refs.ris"
    run = pb(library, "cite", "0704.0001", "-f", "ris", "-o", str(out))
    assert run.stdout == "" and "wrote 1 citation to" in run.stderr
    assert rispy.loads(out.read_text(encoding="utf-8"))[0]["doi"] == "10.1103/PhysRevD.76.013009"
    run = pb(library, "cite", "0704.0001", "-f", "endnote", code=2)
    assert "unknown --format 'endnote'; choose one of bibtex, ris, csl-json" in run.stderr
    run = pb(library, "cite", "-", stdin="\n", code=2)
    assert "no paper ids given" in run.stderr


def test_export_ris_and_csl_json_of_bookmarks_with_a_tag(library: Path) -> None:
    pb(library, "bookmark", "add", "0704.0001", "--tag", "physics")
    pb(library, "bookmark", "add", "0704.0002")
    try:
        bib = bibtexparser.parse_string(pb(library, "export", "bibtex", "--tag", "physics").stdout)
        ris = rispy.loads(pb(library, "export", "ris", "--tag", "physics").stdout)
        csl = json.loads(pb(library, "export", "csl-json", "-t", "physics").stdout)
        assert [e.key for e in bib.entries] == [r["id"] for r in ris] == [i["id"] for i in csl]
        assert [r["accession_number"] for r in ris] == ["arXiv:0704.0001"]
        everything = json.loads(pb(library, "export", "csl-json").stdout)
        assert sorted(i["number"] for i in everything) == ["arXiv:0704.0001", "arXiv:0704.0002"]
        run = pb(library, "export", "ris", "--tag", "nope", code=1)
        assert "no bookmark is tagged 'nope'" in run.stderr
    finally:
        pb(library, "bookmark", "remove", "0704.0001", "0704.0002")
