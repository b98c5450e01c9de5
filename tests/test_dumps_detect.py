"""Finding dump files, telling formats apart by content, encodings and bad input."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from paperbrowse.search.dumps import detect_format, iter_dump_files, read_dump
from paperbrowse.search.models import Paper, ParseProblem

from tests.dumps_paths import DUMPS, FIXTURES, needs_dumps, read_split

HF_TEXT = DUMPS / "hf-papers-text" / "000_749900d1330c4652.txt"
HF_JSON = DUMPS / "hf-daily-json" / "daily_papers_2024-07-05.json"
JSONL = DUMPS / "arxiv-jsonl" / "arxiv-metadata-oai-snapshot_first200.jsonl"
ATOM = DUMPS / "arxiv-atom" / "query_au_del_maestro_2016.xml"

#: Papers per example dump file (and the one file that is not a dump).
EXPECTED_COUNTS = {
    "SOURCES.md": 0,
    "arxiv-atom/error_bad_id_2026.xml": 0,
    "arxiv-atom/query_au_del_maestro_2016.xml": 10,
    "arxiv-atom/query_testing_2026.xml": 10,
    "arxiv-jsonl/arxiv-metadata-oai-snapshot_first200.jsonl": 200,
    "hf-daily-json/daily_papers_2024-07-05.json": 3,
    "hf-daily-json/daily_papers_2026-08-20.json": 15,
    "hf-papers-text/000_749900d1330c4652.txt": 53,
    "hf-papers-text/001_dc328557879a1cd0.txt": 94,
    "hf-papers-text/002_d843eee6621cdd13.txt": 226,
    "hf-papers-text/003_6f96a1003d4bdb3d.txt": 101,
    "hf-papers-text/004_61fb1cd1b8cc20b0.txt": 53,
}


@needs_dumps
def test_every_example_file_reads_with_the_expected_count():
    files = list(iter_dump_files([DUMPS]))
    assert [f.relative_to(DUMPS).as_posix() for f in files] == sorted(EXPECTED_COUNTS)
    for path in files:
        papers, problems = read_split(path, as_of=date(2026, 11, 23))
        name = path.relative_to(DUMPS).as_posix()
        assert len(papers) == EXPECTED_COUNTS[name], name
        if name == "SOURCES.md":
            assert len(problems) == 1, name  # named on its own, a non-dump is an error
        else:
            assert problems == [], (
                name
            )  # the error feed's answer is a note, see test_dumps_arxiv_atom
        for paper in papers:
            assert paper.sources == (str(path),)
            assert len(paper.kinds) == 1


@needs_dumps
@pytest.mark.parametrize(
    ("source", "fmt"),
    [(HF_TEXT, "hf-text"), (HF_JSON, "hf-json"), (JSONL, "arxiv-jsonl"), (ATOM, "arxiv-atom")],
)
def test_detection_uses_content_not_extension(tmp_path, source, fmt):
    assert detect_format(source) == fmt
    for wrong in ("dump.xml", "dump.json", "dump.txt", "dump"):
        copy = tmp_path / wrong
        shutil.copyfile(source, copy)
        assert detect_format(copy) == fmt, wrong
    papers, problems = read_split(tmp_path / "dump.xml")
    assert papers and not problems


def test_markdown_fixture_is_hf_text():
    assert detect_format(FIXTURES / "hf_papers_markdown.md") == "hf-text"


@needs_dumps
def test_sources_md_is_not_a_dump():
    assert detect_format(DUMPS / "SOURCES.md") is None
    papers, problems = read_split(DUMPS / "SOURCES.md")
    assert papers == []
    assert problems[0].message.startswith("not a recognised dump format (expected ")


@needs_dumps
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("latin-1", b""),
        ("cp1252", b""),
    ],
)
def test_encodings_give_the_same_papers(tmp_path, encoding, bom):
    """A page copy with non-ASCII titles ("Poincaré ResNet") re-saved in each encoding."""
    source = DUMPS / "hf-papers-text" / "004_61fb1cd1b8cc20b0.txt"
    text = source.read_text(encoding="utf-8")
    if encoding in ("latin-1", "cp1252"):
        # "•" and "·" have no Latin-1 form; keep what the encoding can hold, as a legacy tool would.
        text = text.encode(encoding, errors="replace").decode(encoding)
    copy = tmp_path / "page.txt"
    copy.write_bytes(bom + text.encode(encoding))
    expected, _ = read_split(source, as_of=date(2025, 12, 20))
    papers, problems = read_split(copy, as_of=date(2025, 12, 20))
    assert problems == []
    assert [p.title for p in papers] == [p.title for p in expected]
    assert "Poincaré ResNet" in [p.title for p in papers]
    assert [p.abstract for p in papers] == [p.abstract for p in expected]


@needs_dumps
@pytest.mark.parametrize("source", [HF_JSON, JSONL, ATOM])
def test_utf16_and_bom_for_structured_formats(tmp_path, source):
    expected, _ = read_split(source)
    for name, data in (
        ("bom8", b"\xef\xbb\xbf" + source.read_bytes()),
        ("utf16", source.read_text(encoding="utf-8").encode("utf-16")),
    ):
        copy = tmp_path / name
        copy.write_bytes(data)
        papers, problems = read_split(copy)
        assert problems == [], name
        assert [(p.id, p.title, p.authors) for p in papers] == [
            (p.id, p.title, p.authors) for p in expected
        ], name


def test_latin1_json_lines(tmp_path):
    line = (
        '{"id":"0704.0001","title":"Caf\xe9 physics","abstract":"  A study.","categories":"hep-ph",'
        '"versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}],'
        '"authors_parsed":[["M\xfcller","Thomas",""]]}\n'
    )
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(line.encode("latin-1"))
    papers, problems = read_split(path)
    # Kept, and said: the accents of a line in a legacy encoding may be wrong.
    assert [(p.line, p.message) for p in problems] == [
        (1, "not valid UTF-8: read as cp1252 (accents may be wrong)")
    ]
    assert papers[0].title == "Café physics"
    assert papers[0].authors == ("Thomas Müller",)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.json"
    path.write_bytes(content)
    assert detect_format(path) is None
    assert list(read_dump(path)) == [ParseProblem(str(path), "empty file")]


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert detect_format(path) is None
    assert list(read_dump(path)) == [ParseProblem(str(path), "binary file (NUL bytes)")]
    # Forcing a format does not make it text.
    assert list(read_dump(path, fmt="hf-text")) == [
        ParseProblem(str(path), "binary file (NUL bytes)")
    ]


@pytest.mark.parametrize(
    "content",
    [
        "just a note to myself\nbuy milk\n",
        '{"name": "not a paper"}\n',
        "[1, 2, 3]\n",
        "<html><body>hello</body></html>",
        "id,title\n1,foo\n",
    ],
)
def test_unknown_shape(tmp_path, content):
    path = tmp_path / "mystery.txt"
    path.write_text(content, encoding="utf-8")
    assert detect_format(path) is None
    papers, problems = read_split(path)
    assert papers == []
    assert len(problems) == 1
    assert problems[0].message.startswith("not a recognised dump format (expected ")


def test_missing_file_and_folder_are_problems_not_exceptions(tmp_path):
    missing = tmp_path / "nope.json"
    [problem] = list(read_dump(missing))
    assert problem.source == str(missing)
    assert problem.message.startswith("cannot read file")
    [problem] = list(read_dump(tmp_path))
    assert "folder" in problem.message


def test_unknown_forced_format(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("hello", encoding="utf-8")
    [problem] = list(read_dump(path, fmt="csv"))
    assert problem.message.startswith("unknown format 'csv'")


def test_forcing_the_wrong_parser_reports_problems(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Title\n\n" + "An abstract. " * 40 + "\n", encoding="utf-8")
    papers, problems = read_split(path, fmt="hf-json")
    assert papers == []
    assert problems and "JSON" in problems[0].message
    papers, problems = read_split(path, fmt="arxiv-atom")
    assert papers == [] and problems


def test_iter_dump_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.json").write_text("[]")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "b" / "1.xml").write_text("x")
    given = tmp_path / ".explicit.txt"
    given.write_text("x")
    assert list(iter_dump_files([tmp_path, given, tmp_path / "missing.txt"])) == [
        tmp_path / "a.txt",
        tmp_path / "b" / "1.xml",
        tmp_path / "b" / "2.json",
        given,
        tmp_path / "missing.txt",
    ]


def test_read_dump_accepts_str_paths(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text('{"id":"0704.0001","title":"T","abstract":"A","versions":[]}\n')
    [paper] = list(read_dump(str(path)))  # type: ignore[arg-type]
    assert isinstance(paper, Paper) and paper.id == "0704.0001"


def test_control_characters_never_reach_the_paper(tmp_path):
    path = tmp_path / "evil.jsonl"
    path.write_text(
        '{"id":"0704.0001","title":"Evil \\u001b[31mred\\u001b[0m \\u202etitle",'
        '"abstract":"[bold]not markup[/bold]\\u0007","versions":[]}\n',
        encoding="utf-8",
    )
    [paper] = list(read_dump(path))
    assert isinstance(paper, Paper)
    assert "\x1b" not in paper.title and "\u202e" not in paper.title
    assert paper.title == "Evil [31mred[0m title"
    # Text is data: square brackets are kept verbatim (front ends must not treat them as markup).
    assert paper.abstract == "[bold]not markup[/bold]"


def test_directory_read_is_sorted_and_recursive(tmp_path):
    root = tmp_path / "dumps"
    (root / "z").mkdir(parents=True)
    (root / "z" / "a.txt").write_text("x")
    (root / "b.txt").write_text("x")
    assert [p.relative_to(root).as_posix() for p in iter_dump_files([root])] == [
        "b.txt",
        "z/a.txt",
    ]


def test_detection_of_edge_shapes(tmp_path):
    cases = {
        "empty_day.json": ("[]\n", "hf-json"),
        "one_entry.json": (
            '{\n  "paper": {"id": "2407.01906", "title": "A", "summary": "S"},\n'
            '  "title": "A"\n}\n',
            "hf-json",
        ),
        # A snapshot record whose author list alone is longer than the detection sample.
        "huge_first_line.jsonl": (
            '{"id":"0704.0001","submitter":"X","authors":"'
            + "A. Author, " * 3000
            + '","title":"T","abstract":"A","versions":[]}\n',
            "arxiv-jsonl",
        ),
    }
    for name, (content, fmt) in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        assert detect_format(path) == fmt, name
    assert list(read_dump(tmp_path / "empty_day.json")) == []
    # (and a note: the file's name gives no day, so the file's time did)
    [one], [] = read_split(tmp_path / "one_entry.json")
    assert isinstance(one, Paper) and one.id == "2407.01906"
    [huge] = list(read_dump(tmp_path / "huge_first_line.jsonl"))
    assert isinstance(huge, Paper) and len(huge.authors) == 3000


def test_page_fragment_is_recognised_by_its_byline(tmp_path):
    path = tmp_path / "fragment.txt"
    path.write_text(
        "Dec 12\n\nA Study of Environment Variables\n\nWe study them.\n\n  • 1 author\n·\nDec 3\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "hf-text"
    [paper] = list(read_dump(path, as_of=date(2025, 12, 20)))
    assert isinstance(paper, Paper)
    assert (paper.title, paper.abstract) == ("A Study of Environment Variables", "We study them.")
    assert (paper.n_authors, paper.published) == (1, date(2025, 12, 3))


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("README", True),
        ("README.md", True),
        ("SOURCES.md", True),
        ("LICENSE.txt", True),
        ("notes.txt", True),
        ("paper.pdf", True),
        ("figure.png", True),
        ("capture.md", True),  # asked only once detection found no capture in it
        ("notes-2024.json", False),  # a broken dump by its name: reported
        ("2024-05-27.json", False),
        ("dump.jsonl", False),
        ("feed.xml", False),
        ("page.txt", False),
        ("snapshot", False),
    ],
)
def test_what_is_plainly_not_a_dump(name, other):
    from paperbrowse.search.dumps import is_plainly_other

    assert is_plainly_other(Path(name)) is other
