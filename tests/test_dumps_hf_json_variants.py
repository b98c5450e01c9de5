"""Daily-papers API files as real collections hold them: wrapped days, entries saved as Python
literals, a first paper with hundreds of authors; and the detection that finds them by structure.

Built from dumps/SOURCES.md ("../collections/hf-daily-json-archive/"); the real archive itself is
read in place in tests/test_collections.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from paperbrowse.search.dumps import detect_format, read_dump
from paperbrowse.search.dumps.decode import SNIFF_BYTES
from paperbrowse.search.dumps.literal import MAX_LITERAL_DEPTH, literal_entry
from paperbrowse.search.dumps.sniff import Head, json_kind
from paperbrowse.search.models import Paper, ParseNote, ParseProblem

from tests.dumps_paths import read_all


def _entry(n: int, *, authors: int = 2, **paper) -> dict:
    body = {
        "id": f"2412.{n:05d}",
        "authors": [
            {"_id": f"a{i}", "name": f"Author {n}-{i}", "hidden": False} for i in range(authors)
        ],
        "publishedAt": "2024-12-12T00:00:00.000Z",
        "title": f"Paper number {n}",
        "summary": f"Abstract of paper {n}.",
        "upvotes": n,
    }
    body.update(paper)
    return {"paper": body, "title": body["title"], "numComments": 0}


def _write(tmp_path: Path, name: str, data: object, indent: int | None = 2) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=indent), encoding="utf-8")
    return path


def test_a_first_paper_with_hundreds_of_authors_is_found_by_structure(tmp_path):
    day = [_entry(1, authors=600), _entry(2)]
    path = _write(tmp_path, "2026-01-26.json", day, indent=4)
    # The old 16 KB sniff window ends long before the first "title".
    assert path.read_text().index('"title"') > 4 * SNIFF_BYTES
    assert detect_format(path) == "hf-json"
    papers, problems, notes = read_all(path)
    assert (problems, notes) == ([], [])
    assert [p.id for p in papers] == ["2412.00001", "2412.00002"]
    assert papers[0].n_authors == 600 and papers[0].authors[599] == "Author 1-599"


def test_a_wrapped_day_of_literal_strings(tmp_path):
    entries = [str(_entry(1, submittedOnDailyAt="2025-01-10T00:00:00.000Z")), str(_entry(2))]
    wrapped = {"status": "success", "date": "2025-01-10", "count": 2, "data": entries}
    path = _write(tmp_path, "wrapped.json", wrapped)
    assert detect_format(path) == "hf-json"
    papers, problems, notes = read_all(path)
    assert problems == []
    assert [(p.id, p.title, p.upvotes) for p in papers] == [
        ("2412.00001", "Paper number 1", 1),
        ("2412.00002", "Paper number 2", 2),
    ]
    # The day the wrapper names is the day listed (the file name has none).
    assert [p.featured_days for p in papers] == [(date(2025, 1, 10),)] * 2
    assert papers[0].authors == ("Author 1-0", "Author 1-1")
    assert notes == [
        ParseNote(
            str(path),
            "2 entries read from Python-literal strings (the file holds str() of each entry, "
            "not JSON objects)",
            recovered=2,
        )
    ]


def test_a_wrapped_day_of_objects(tmp_path):
    wrapped = {"status": "success", "date": "2025-01-10", "count": 1, "data": [_entry(7)]}
    path = _write(tmp_path, "day.json", wrapped, indent=None)
    assert detect_format(path) == "hf-json"
    papers, problems, notes = read_all(path)
    assert ([p.id for p in papers], problems, notes) == (["2412.00007"], [], [])


def test_literal_strings_keep_python_values(tmp_path):
    """True/False/None and quotes inside titles survive; nothing in them runs."""
    entry = _entry(3, githubStars=None, hidden=True)
    entry["paper"]["title"] = 'It\'s "quoted" {braces} [and] (parens)'
    path = _write(tmp_path, "2024-12-13.json", [str(entry)], indent=4)
    text = path.read_text()
    assert "'hidden': True" in text and "'githubStars': None" in text
    [paper] = [p for p in read_dump(path) if isinstance(p, Paper)]
    assert paper.title == 'It\'s "quoted" {braces} [and] (parens)'
    assert paper.github_stars is None
    assert paper.featured_days == (date(2024, 12, 13),)


def test_a_string_that_is_no_literal_is_one_problem_naming_the_entry(tmp_path):
    entries = [
        str(_entry(1)),
        "{'paper': __import__('os').system('echo hacked')}",
        "not even a dict",
        str(_entry(4)),
    ]
    path = _write(tmp_path, "2024-12-19.json", entries)
    assert detect_format(path) == "hf-json"
    papers, problems, notes = read_all(path)
    assert [p.id for p in papers] == ["2412.00001", "2412.00004"]
    assert [(p.source, p.record) for p in problems] == [
        (str(path), "record 2"),
        (str(path), "record 3"),
    ]
    assert problems[0].message.startswith("string entry is not a Python-literal entry (")
    assert problems[1].message == "string entry is not a Python-literal entry: 'not even a dict'"
    assert problems[0].line == 3 and problems[1].line == 4
    assert [n.recovered for n in notes] == [2]


def test_literals_are_bounded_in_depth_and_size():
    deep = "{'paper': " + "[" * (MAX_LITERAL_DEPTH + 5) + "]" * (MAX_LITERAL_DEPTH + 5) + "}"
    with pytest.raises(ValueError, match="nests deeper than"):
        literal_entry(deep)
    # Brackets inside quoted strings are text, not nesting.
    assert literal_entry("{'title': '" + "[" * 500 + "'}") == {"title": "[" * 500}
    with pytest.raises(ValueError, match="too long"):
        literal_entry("{'title': '" + "x" * (5 * 1024 * 1024) + "'}")
    with pytest.raises(ValueError, match="holds a list|not a Python-literal"):
        literal_entry("['a', 'list']")


def test_the_first_strings_decide_and_one_bad_first_string_does_not_hide_the_day(tmp_path):
    path = _write(tmp_path, "day.json", ["garbage", str(_entry(1))])
    assert detect_format(path) == "hf-json"
    path = _write(tmp_path, "words.json", ["just", "some", "words"])
    assert detect_format(path) is None


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"status": "success", "date": "2025-01-10", "count": 0, "data": []}, "hf-json"),
        ({"status": "success", "data": [{"name": "not a paper"}]}, None),
        ({"data": [1, 2]}, None),
        ({"paper": {"id": "2407.01906", "title": "A"}, "title": "A"}, "hf-json"),
        ({"id": "2407.01906", "title": "A", "summary": "S"}, "hf-json"),
        ({"id": "0704.0001", "title": "T", "abstract": "A", "versions": []}, "arxiv-jsonl"),
        ([{"title": "T", "summary": "S"}], "hf-json"),
        ([{"id": "0704.0001", "title": "T", "abstract": "A"}], None),
    ],
)
def test_structures(tmp_path, data, kind):
    path = _write(tmp_path, "x.json", data)
    assert detect_format(path) == kind


def test_detection_reads_only_what_the_first_record_needs(tmp_path):
    """A snapshot of many lines is judged on its first: the window never grows past it."""
    line = json.dumps({"id": "0704.0001", "title": "T", "abstract": "A" * 100, "versions": []})
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for _ in range(40_000):  # ~6 MB
            fh.write(line + "\n")
    with path.open("rb") as fh:
        first = fh.read(SNIFF_BYTES)
    head = Head(path, first, first.decode(), eof=False)
    assert json_kind(head) == "arxiv-jsonl"
    assert len(head.data) == SNIFF_BYTES
    # A first record longer than the window grows it just past that record.
    huge = json.dumps({"id": "0704.0002", "submitter": "X", "authors": "A. B., " * 20_000})
    path.write_text(huge + "\n" + line + "\n")
    with path.open("rb") as fh:
        first = fh.read(SNIFF_BYTES)
    head = Head(path, first, first.decode(), eof=False)
    assert json_kind(head) == "arxiv-jsonl"
    assert len(huge) < len(head.data) < 4 * len(huge)


def test_markdown_starting_with_a_bracket_is_not_json(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("[Hugging Face][1]\n\n### [A title][2]\n\n* 3 authors\n·\nDec 3\n")
    assert detect_format(path) == "hf-text"


def test_cut_off_day_is_still_named_and_read_to_where_it_broke(tmp_path):
    text = json.dumps([_entry(1), _entry(2, authors=400)], indent=2)
    path = tmp_path / "2024-06-01.json"
    path.write_text(text[: len(text) // 2])
    assert detect_format(path) == "hf-json"
    papers, problems, _ = read_all(path)
    assert [p.id for p in papers] == ["2412.00001"]
    assert [p.record for p in problems] == ["record 2"]
    assert isinstance(problems[0], ParseProblem) and problems[0].message.startswith("truncated")


def test_withdrawn_and_the_fields_a_reader_wants(tmp_path):
    entry = _entry(
        5,
        withdrawnAt="2025-02-03T10:00:00.000Z",
        projectPage="https://example.org/p5",
        githubRepo="https://github.com/o/p5",
        githubStars=42,
        ai_keywords=["diffusion", "  video  "],
        organization={"_id": "x", "name": "nvidia", "fullname": "NVIDIA"},
    )
    path = _write(tmp_path, "2025-02-01.json", [entry])
    [paper] = [p for p in read_dump(path) if isinstance(p, Paper)]
    assert paper.withdrawn == date(2025, 2, 3)
    assert paper.urls == (
        "https://github.com/o/p5",
        "https://example.org/p5",
        "https://arxiv.org/abs/2412.00005",
    )
    assert (paper.github_stars, paper.keywords, paper.organization) == (
        42,
        ("diffusion", "video"),
        "NVIDIA",
    )


def test_entries_saved_one_a_line(tmp_path):
    """Entries as JSON lines: every one is read (not only the first), a bad line is named."""
    path = tmp_path / "2024-12-12.jsonl"
    lines = [json.dumps(_entry(n)) for n in (1, 2, 3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert detect_format(path) == "hf-json"
    papers, problems, _ = read_all(path)
    assert ([p.id for p in papers], problems) == (["2412.00001", "2412.00002", "2412.00003"], [])
    path.write_text(lines[0] + "\n" + lines[1][:40] + "\n" + lines[2] + "\n", encoding="utf-8")
    papers, problems, _ = read_all(path)
    assert [p.id for p in papers] == ["2412.00001", "2412.00003"]
    assert [(p.line, p.record) for p in problems] == [(2, "record 2")]
    assert problems[0].message.startswith("invalid JSON: ")
