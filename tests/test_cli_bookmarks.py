"""`paperbrowse bookmark …` and `paperbrowse export bibtex` through the real entry point."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import bibtexparser
import pytest

from tests.dumps_paths import DUMPS, HF_JSON
from tests.fixtures_bibtex import compile_bib, needs_tex
from tests.fixtures_cli import pb

JSONL = DUMPS / "arxiv-jsonl"
HF_TEXT = DUMPS / "hf-papers-text"

pytestmark = pytest.mark.skipif(not DUMPS.is_dir(), reason=f"example dumps not found at {DUMPS}")


def listing(data_dir: Path, *args: str) -> list[dict]:
    return json.loads(pb(data_dir, "bookmark", "list", "--json", *args).stdout)


MARKUP_DUMP = [
    {
        "paper": {
            "id": "2501.00042",
            "title": "[bold red]Not markup[/] & 100% {unbalanced \x1b[31m",
            "summary": "Abstract.",
            "authors": [{"name": "Zoë Ørsted", "hidden": False}],
            "publishedAt": "2025-01-02T00:00:00.000Z",
            "upvotes": 3,
        },
        "title": "[bold red]Not markup[/]",
        "publishedAt": "2025-01-03T00:00:00.000Z",
        "numComments": 0,
    }
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the arXiv snapshot, the HF API days and a crafted dump ingested once."""
    base = tmp_path_factory.mktemp("lib")
    markup = base / "dumps" / "markup.json"
    markup.parent.mkdir()
    markup.write_text(json.dumps(MARKUP_DUMP), encoding="utf-8")
    data = base / "data"
    pb(data, "ingest", str(JSONL), str(HF_JSON), str(markup))
    return data


@pytest.fixture
def data(library: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested library for one test."""
    copy = tmp_path / "data"
    shutil.copytree(library, copy)
    return copy


def test_add_and_list_json(data: Path) -> None:
    run = pb(data, "bookmark", "add", "0704.0001", "arXiv:2407.01906v2", "-t", "x", "--tag", "y")
    assert "0704.0001" in run.stdout and "2407.01906" in run.stdout
    pb(data, "bookmark", "add", "0704.0002", "--note", "read this first")
    marks = listing(data)
    assert [m["id"] for m in marks] == ["0704.0002", "2407.01906", "0704.0001"]  # newest first
    first = marks[2]
    assert {"id", "title", "authors", "published", "tags", "note", "created", "read"} <= set(first)
    assert first["title"].startswith("Calculation of prompt diphoton production")
    assert first["authors"][0] == "C. Balázs"
    assert first["published"] == "2007-04-02"
    assert first["tags"] == ["x", "y"] and first["note"] == "" and first["read"] is False
    assert datetime.fromisoformat(first["created"]).tzinfo is not None
    assert marks[0]["note"] == "read this first"
    assert [m["id"] for m in listing(data, "--tag", "y")] == ["2407.01906", "0704.0001"]


def test_tag_untag_note_read(data: Path) -> None:
    pb(data, "bookmark", "add", "0704.0001")
    pb(data, "bookmark", "tag", "0704.0001", "b", "a")
    pb(data, "bookmark", "untag", "https://arxiv.org/abs/0704.0001", "b")
    pb(data, "bookmark", "note", "0704.0001v2", "line one")
    pb(data, "bookmark", "read", "0704.0001")
    (mark,) = listing(data)
    assert mark["tags"] == ["a"] and mark["note"] == "line one" and mark["read"] is True
    pb(data, "bookmark", "unread", "0704.0001")
    assert listing(data)[0]["read"] is False
    assert "a" in pb(data, "bookmark", "tags").stdout


def test_remove_says_what_it_removed(data: Path) -> None:
    pb(data, "bookmark", "add", "0704.0001", "-t", "to-read", "-t", "hep", "--note", "two\nlines")
    pb(data, "bookmark", "add", "0704.0002")
    run = pb(data, "bookmark", "remove", "0704.0001", "0704.0002")
    assert run.stdout.splitlines() == [
        "removed 0704.0001: Calculation of prompt diphoton production cross sections at Tevatron"
        " and LHC energies",
        "  tags: #hep #to-read",
        "  note: two",
        "        lines",
        "removed 0704.0002: Sparsity-certifying Graph Decompositions",
    ]
    assert listing(data) == []


@pytest.mark.parametrize(
    "args",
    [
        ("add", "0704.0001", "9999.99999", "nope", "--tag", "t"),
        ("remove", "0704.0003", "9999.99999"),
        ("tag", "9999.99999", "t"),
        ("untag", "9999.99999", "x"),
        ("note", "9999.99999", "text"),
        ("read", "0704.0003", "9999.99999"),
    ],
)
def test_unknown_ids_fail_and_change_nothing(data: Path, args: tuple[str, ...]) -> None:
    pb(data, "bookmark", "add", "0704.0003", "--tag", "x", "--note", "n")
    before = listing(data)
    run = pb(data, "bookmark", *args, code=1)
    assert run.returncode == 1
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 1 and "9999.99999" in errors[0], run.stderr
    assert "Traceback" not in run.stderr
    if "nope" in args:
        assert "nope" in errors[0]
    assert listing(data) == before


def test_known_but_not_bookmarked_is_an_error(data: Path) -> None:
    run = pb(data, "bookmark", "tag", "0704.0005", "x", code=1)
    assert run.stderr.strip() == "paperbrowse: not bookmarked: 0704.0005"
    assert listing(data) == []


def test_titles_are_printed_as_plain_text(data: Path) -> None:
    pb(data, "bookmark", "add", "2501.00042")
    out = pb(data, "bookmark", "list").stdout
    assert "[bold red]Not markup[/] & 100% {unbalanced" in out
    assert "\x1b" not in out


def test_bookmarks_survive_rebuild_and_index_deletion(data: Path) -> None:
    pb(data, "bookmark", "add", "0704.0001", "2407.01906", "--tag", "keep", "--note", "mine")
    # Rebuild from other dumps only: both papers vanish from the library, not from bookmarks.
    pb(data, "ingest", "--rebuild", str(HF_TEXT / "000_749900d1330c4652.txt"))
    assert pb(data, "show", "0704.0001", code=None).returncode != 0
    marks = listing(data)
    assert {m["id"] for m in marks} == {"0704.0001", "2407.01906"}
    assert all(m["tags"] == ["keep"] and m["note"] == "mine" for m in marks)
    shutil.rmtree(data / "index")
    (data / "library.sqlite3").unlink()
    assert len(listing(data)) == 2
    bib = pb(data, "export", "bibtex").stdout
    assert "eprint = {0704.0001}" in bib
    # Ids only the bookmark store still knows work for every command.
    pb(data, "bookmark", "tag", "0704.0001", "still")
    pb(data, "bookmark", "add", "0704.0001", "--tag", "again")
    pb(data, "bookmark", "remove", "2407.01906")
    assert [m["tags"] for m in listing(data)] == [["again", "keep", "still"]]


def test_export_bibtex(data: Path, tmp_path: Path) -> None:
    pb(data, "bookmark", "add", "0704.0001", "0704.0011", "2501.00042", "-t", "cite")
    pb(data, "bookmark", "add", "2407.01906")
    run = pb(data, "export", "bibtex")
    entries = {e.key: e for e in bibtexparser.parse_string(run.stdout).entries}
    assert set(entries) == {
        "balazs2007calculation",
        "cunningham2007computing",
        "orsted2025bold",  # the title really starts with "[bold red]"
        "wang2024let",
    }
    assert run.stdout.isascii()
    assert "\\mathbf" in run.stderr and "0704.0011" in run.stderr  # \Q had to change: warned
    # -o writes the file (atomically) and says so on stderr; --tag narrows the export.
    out = tmp_path / "refs.bib"
    run = pb(data, "export", "bibtex", "-o", str(out), "--tag", "cite")
    assert run.stdout == ""
    assert "3 entries" in run.stderr
    text = out.read_text(encoding="utf-8")
    assert len(bibtexparser.parse_string(text).entries) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "refs.bib"]  # no temp file
    # --unicode keeps UTF-8.
    assert "Ørsted, Zoë" in pb(data, "export", "bibtex", "--unicode").stdout
    # Keys are stored on first export, so the same paper keeps its key later on.
    keys = {m["id"]: m["key"] for m in listing(data)}
    assert keys["0704.0001"] == "balazs2007calculation"
    pb(data, "bookmark", "remove", "0704.0011")
    again = pb(data, "export", "bibtex").stdout
    assert "@misc{balazs2007calculation," in again and "@misc{wang2024let," in again


def test_export_unknown_tag_and_empty_store(data: Path, tmp_path: Path) -> None:
    run = pb(data, "export", "bibtex", "--tag", "nothing", code=1)
    assert "nothing" in run.stderr
    run = pb(data, "export", "bibtex")
    assert run.stdout == "" and "no bookmarks" in run.stderr
    run = pb(data, "export", "bibtex", "-o", str(tmp_path / "missing" / "x.bib"), code=1)
    assert "missing" in run.stderr and "Traceback" not in run.stderr


@needs_tex
def test_exported_file_compiles(data: Path, tmp_path: Path) -> None:
    ids = ["0704.0001", "0704.0011", "0704.0010", "2501.00042", "2407.01906"]
    pb(data, "bookmark", "add", *ids)
    pb(data, "export", "bibtex", "-o", str(tmp_path / "refs.bib"))
    bbl, _ = compile_bib(tmp_path, (tmp_path / "refs.bib").read_text(), "plain")
    assert bbl.count("\\bibitem") == len(ids)
