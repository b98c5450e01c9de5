"""The CLI contract scripts rely on, through the real installed entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from paperbrowse.search.dumps import UNRECOGNISED

from tests.dumps_paths import DUMPS, needs_dumps
from tests.fixtures_cli import run


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    if not DUMPS.is_dir():
        pytest.skip(f"example dumps not found at {DUMPS}")
    data = tmp_path_factory.mktemp("cli") / "data"
    result = run("ingest", str(DUMPS), "--as-of", "2025-12-20", data_dir=data)
    assert result.returncode == 0, result.stderr  # SOURCES.md: another file; the error feed: a note
    return data


@needs_dumps
def test_ingest_reports_a_summary_and_each_problem(library):
    # Ingest again into a fresh dir to see the whole output.
    data = library.parent / "again"
    result = run("ingest", str(DUMPS), "--as-of", "2025-12-20", data_dir=data)
    # A folder as people keep it: SOURCES.md beside the dumps is another file, not a failure.
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"Ingested 12 files \(1 other file\) · 765 records: 700 new, 0 updated, 65 merged"
        r" · \d+\.\d s",
        summary,
    ), summary
    assert result.stderr.strip().splitlines() == [
        f"paperbrowse: note: {DUMPS.resolve() / 'arxiv-atom' / 'error_bad_id_2026.xml'}: "
        "arXiv API error response, no papers in it: incorrect id format for abc"
    ]
    # Named on the command line, a file that is not a dump is still an error.
    result = run("ingest", str(DUMPS / "SOURCES.md"), data_dir=data)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"paperbrowse: {DUMPS.resolve() / 'SOURCES.md'}: " + UNRECOGNISED
    ]
    assert result.stdout.strip().startswith(
        "Ingested 1 file · 0 records: 0 new, 0 updated, 0 merged · 1 skipped · 1 problem · "
    )


@needs_dumps
def test_reingest_unchanged_is_quick_and_says_so(library):
    result = run("ingest", str(DUMPS / "arxiv-jsonl"), data_dir=library)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ingested 1 file (1 unchanged) · 0 records")


@needs_dumps
def test_search_json_contract(library):
    result = run("search", "luttinger", "--json", "--limit", "3", data_dir=library)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    for row in rows:
        assert {
            "id",
            "title",
            "authors",
            "n_authors",
            "published",
            "upvotes",
            "categories",
            "urls",
            "sources",
            "score",
        } <= set(row)
        assert row["published"] is None or len(row["published"]) == 10
        assert row["score"] > 0
    first = rows[0]
    assert "Luttinger" in first["title"]
    assert all(Path(s).is_absolute() for s in first["sources"])


@needs_dumps
def test_search_timing_says_where_the_time_went(library):
    result = run("search", "luttinger", "--json", "--timing", data_dir=library)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)  # the output for scripts is untouched: timing is on stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("timing: ")
    total, steps = line.removeprefix("timing: ").split(" ms: ")
    named = dict(step.rsplit(" ", 1) for step in steps.split(", "))
    assert list(named) == [
        "start-up and imports",
        "open library",
        "open index",
        "parse",
        "match and rank",
        "read papers",
        "highlight",
        "print",
    ]
    assert all(ms.isdigit() for ms in named.values())
    assert sum(int(ms) for ms in named.values()) <= int(total) + len(named)  # rounding only
    plain = run("search", "luttinger", "--json", data_dir=library)
    assert "timing" not in plain.stderr


@needs_dumps
def test_search_table_sort_and_filters(library):
    result = run("search", "", "--sort", "upvotes", "--limit", "3", data_dir=library)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "id", "date", "up", "title", "first", "author"]
    assert len(lines) == 4
    assert lines[1].split()[:4] == ["1", "2608.16590", "2026-08-17", "92"]
    assert "Zetta ζ: An Efficient Closed-Loop Embodied Harness" in lines[1]
    assert lines[1].rstrip().endswith("Xin Ding +14")
    assert [line.split()[3] for line in lines[1:]] == ["92", "74", "59"]
    dated = run(
        "search",
        "",
        "--json",
        "--since",
        "2024-07",
        "--until",
        "2024-07",
        "--limit",
        "50",
        data_dir=library,
    )
    rows = json.loads(dated.stdout)
    assert rows and all(r["published"].startswith("2024-07") for r in rows)
    voted = json.loads(
        run(
            "search", "", "--json", "--min-upvotes", "20", "--limit", "100", data_dir=library
        ).stdout
    )
    assert voted and all(r["upvotes"] >= 20 for r in voted)


@needs_dumps
def test_show_whole_record_by_arxiv_id(library):
    result = run("show", "arXiv:0704.0001v1", data_dir=library)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Calculation of prompt diphoton production cross sections")
    assert "C. Balázs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan" in out
    assert "DOI:" in out and "10.1103/PhysRevD.76.013009" in out
    assert "A fully differential calculation in perturbative quantum chromodynamics" in out
    as_json = json.loads(run("show", "0704.0001", "--json", data_dir=library).stdout)
    assert as_json["id"] == "0704.0001" and as_json["journal_ref"] == "Phys.Rev.D76:013009,2007"


@needs_dumps
def test_stats(library):
    data = json.loads(run("stats", "--json", data_dir=library).stdout)
    assert data["papers"] == 700
    assert data["by_kind"]["arxiv-jsonl"] == 200
    assert data["by_year"]["2007"] == 201
    plain = run("stats", data_dir=library).stdout
    assert plain.startswith("700 papers from 11 files")


@needs_dumps
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "9999.99999"), "no paper with id '9999.99999'"),
        (("search", "AND"), "AND needs a word after it"),
        (("search", "the"), "query 'the' has no searchable words"),
        (("search", "x", "--sort", "stars"), "unknown --sort 'stars'"),
        (("search", "x", "--since", "yesterday"), "--since: not a date: 'yesterday'"),
        (("search", "x", "--until", "24"), "--until: not a date: '24': a year has four digits"),
        (("ingest", "/no/such/dump.json"), "/no/such/dump.json: no such file or folder"),
        (("ingest", ".", "--format", "csv"), "unknown --format 'csv'"),
    ],
)
def test_errors_are_one_clear_line(library, args, message):
    result = run(*args, data_dir=library)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_data_dir_from_environment(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Dec 12\n\nA Study of Environment Variables\n\nWe study them.\n\n  • 1 author\n·\nDec 3\n",
        encoding="utf-8",
    )
    env = {"PAPERBROWSE_DATA_DIR": str(tmp_path / "envdata")}
    result = run("ingest", str(page), "--as-of", "2025-12-20", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "envdata" / "library.sqlite3").exists()
    rows = json.loads(run("search", "environment", "--json", env=env).stdout)
    assert [r["published"] for r in rows] == ["2025-12-03"]
    assert rows[0]["n_authors"] == 1


def test_markup_and_control_codes_in_dumps_print_literally(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Dec 12\n\n[bold red]Markup[/] \x1b[31mred\x1b[0m \x1b]0;pwned\x07Title\n\n"
        "An abstract with [link=http://x]markup[/link] and \x1b[2J escapes.\n\n"
        "  • 2 authors\n·\nDec 3\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    assert run("ingest", str(page), "--as-of", "2025-12-20", data_dir=data).returncode == 0
    for args in (("search", "markup"), ("search", "markup", "--json")):
        out = run(*args, data_dir=data).stdout
        assert "\x1b" not in out and "\x07" not in out
        assert "[bold red]Markup[/]" in out
    paper_id = json.loads(run("search", "markup", "--json", data_dir=data).stdout)[0]["id"]
    shown = run("show", paper_id, data_dir=data).stdout
    assert "\x1b" not in shown and "[link=http://x]markup[/link]" in shown


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("ingest", "search", "show", "stats", "bookmark", "export"):
        assert command in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("search", "quantization"),
        ("search", "quantization", "--json"),
        ("show", "2407.01906"),
        ("stats",),
        ("bookmark", "add", "2407.01906"),
        ("bookmark", "list"),
        ("export", "bibtex"),
        ("cite", "2407.01906"),
    ],
)
def test_a_command_on_an_empty_library_says_so_and_how_to_ingest(tmp_path, args):
    from paperbrowse.search.paths import sample_dir

    data = tmp_path / "data"
    result = run(*args, data_dir=data)
    assert result.returncode == 3, (result.stdout, result.stderr)  # EXIT_EMPTY_LIBRARY
    assert "Traceback" not in result.stderr
    said = result.stderr.strip().splitlines()[-1]
    assert said.startswith(f"paperbrowse: the library in {data} is empty")
    assert "paperbrowse ingest PATH" in said and str(sample_dir()) in said
    assert "No papers match" not in result.stderr


def test_stats_json_on_an_empty_library_still_prints_its_counts(tmp_path):
    result = run("stats", "--json", data_dir=tmp_path / "data")
    assert result.returncode == 3
    assert json.loads(result.stdout)["papers"] == 0


def test_a_folder_as_people_keep_it(tmp_path):
    """README, SOURCES.md, a PDF and an image beside the dumps are other files: counted, not
    failures; a broken .json among them is still reported, one reason a line above the summary."""
    folder = tmp_path / "papers"
    (folder / "figures").mkdir(parents=True)
    (folder / "README").write_text("My papers, saved from the daily-papers API.\n")
    (folder / "SOURCES.md").write_text("# Where these came from\n\n* the API\n")
    (folder / "paper.pdf").write_bytes(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)))
    (folder / "figures" / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    day = [{"paper": {"id": "2405.00001", "title": "Kept Beside a README", "summary": "S."}}]
    (folder / "2024-05-27.json").write_text(json.dumps(day))
    data = tmp_path / "data"
    result = run("ingest", str(folder), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(
        "Ingested 5 files (4 other files) · 1 record: 1 new, 0 updated, 0 merged · "
    )
    (folder / "broken.json").write_text('[{"paper": {"id": "2405.00002", "title": "Cut')
    (folder / "shopping.txt").write_text("buy milk\n")
    result = run("ingest", str(folder), data_dir=data)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"paperbrowse: {folder.resolve() / 'broken.json'}:1 (record 1): truncated JSON: "
        "Unterminated string starting at",
        f"paperbrowse: {folder.resolve() / 'shopping.txt'}: {UNRECOGNISED}",
    ]
    summary = result.stdout.strip()
    assert summary.startswith(
        "Ingested 7 files (1 unchanged, 4 other files) · 0 records: 0 new, 0 updated, 0 merged"
        " · 2 skipped · 2 problems · "
    )
    assert len(summary) < 120
    # Named on the command line, a README is not a dump: an error.
    result = run("ingest", str(folder / "README"), data_dir=data)
    assert result.returncode == 1
    assert result.stderr.strip() == f"paperbrowse: {folder.resolve() / 'README'}: {UNRECOGNISED}"


def test_a_rebuild_of_the_index_is_said_before_it_starts(tmp_path):
    """After an upgrade the first command rebuilds the index from the library (23 min at 1M
    papers): it says so on stderr first instead of looking hung, and only that once."""
    from paperbrowse.search.paths import SAMPLE_CAPTURED
    from paperbrowse.search.services import sample_paths

    data = tmp_path / "data"
    pages = [str(p) for p in sample_paths()]
    assert run("ingest", *pages, "--as-of", str(SAMPLE_CAPTURED), data_dir=data).returncode == 0
    (data / "index" / "SCHEMA_VERSION").write_text("0")  # an index another version wrote

    first = run("search", "quantization", "--ids", data_dir=data)
    assert first.returncode == 0, first.stderr
    assert first.stderr == (
        "paperbrowse: the search index is missing or from another version of paperbrowse: "
        "rebuilding it from the library's 462 papers first (once; bookmarks and your other "
        "data are untouched)\n"
    )
    again = run("search", "quantization", "--ids", data_dir=data)
    assert again.returncode == 0 and again.stderr == ""
    assert again.stdout == first.stdout and first.stdout.strip()
