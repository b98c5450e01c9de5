"""Display safety: dump text is data. It is never read as markup and never reaches a terminal
as a control sequence, in any command's output (plain, --json, errors, progress, BibTeX).

The commands run in real subprocesses with pseudo-terminals as stdout and stderr, so the checks
see the exact bytes a user's terminal would receive (click strips ANSI codes from pipes only, which
would hide a leak). ``--json`` output is checked through pipes, as scripts read it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures_cli import assert_no_traceback, run_cli
from tests.fixtures_dumps import jsonl_record

MARKUP = "[bold red]x[/]"
# ESC-based CSI/OSC, a BEL, an 8-bit CSI, a hyperlink (OSC 8) and a bidi override.
ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x9b2J \x1b]8;;http://evil/\x1b\\link \u202eevil"
# Bytes a terminal would act on: ESC, BEL, CSI as UTF-8 (C2 9B) and as a raw byte, bidi override.
FORBIDDEN = (b"\x1b", b"\x07", b"\xc2\x9b", b"\x9b", "\u202e".encode())
# On a terminal, ingest draws its own progress bar (cursor and erase codes); the dump's codes are
# still forbidden there.
FROM_DUMP = (b"\x1b[31mred", b"\x1b]", b"\x07", b"\xc2\x9b", b"\x9b2J", "\u202e".encode())


def _assert_clean(*streams: bytes, progress_bar: bool = False) -> None:
    for stream in streams:
        for bad in FROM_DUMP if progress_bar else FORBIDDEN:
            assert bad not in stream, (bad, stream[:2000])
    assert_no_traceback(*streams)


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory):
    """A data dir holding papers whose every text field carries markup and escape codes,
    read from each dump format, plus a bookmark of one of them."""
    root = tmp_path_factory.mktemp("hostile")
    dumps = root / "dumps"
    dumps.mkdir()
    record = jsonl_record(
        1,
        title=f"{MARKUP} hostile jsonl {ESCAPES}",
        abstract=f"An abstract {MARKUP} with {ESCAPES} https://github.com/a/b\x1b[0m",
        authors=f"Eve {ESCAPES}, Mallory {MARKUP}",
        comments=f"comment {ESCAPES}",
        categories="cs.CR",
    )
    (dumps / "snapshot.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    hf = [
        {
            "paper": {
                "id": "2407.00009",
                "title": f"{MARKUP} hostile hfjson {ESCAPES}",
                "summary": f"Summary {ESCAPES} {MARKUP}",
                "authors": [{"name": f"Trudy {ESCAPES}"}],
                "publishedAt": "2024-07-04T10:00:00.000Z",
                "upvotes": 5,
                "ai_summary": f"ai {ESCAPES}",
                "githubRepo": f"https://github.com/x/y{ESCAPES}",
            },
            "title": "x",
            "publishedAt": "2024-07-05T10:00:00.000Z",
        }
    ]
    (dumps / "daily.json").write_text(json.dumps(hf), encoding="utf-8")
    page = (
        "Daily Papers\n\n"
        f"{MARKUP} hostile hftext {ESCAPES}\n\n"
        + ("A long abstract about hostile terminals " * 12)
        + f"{ESCAPES}\n\n  • 3 authors\n·\nDec 3\n"
    )
    (dumps / "page.txt").write_text(page, encoding="utf-8")
    # A file whose *name* carries escapes: its problem report names it.
    (dumps / "bad\x1b]0;name\x07\x1b[2J.json").write_text("[{broken", encoding="utf-8")
    data = root / "data"
    ingest = run_cli(data, "ingest", str(dumps), tty=True)
    return data, ingest


def test_ingest_output_is_clean(hostile_library) -> None:
    data, ingest = hostile_library
    assert ingest.returncode == 1  # the broken file is reported ...
    assert b"bad" in ingest.stderr  # ... by name, escapes removed
    _assert_clean(ingest.stdout, ingest.stderr, progress_bar=True)


@pytest.mark.parametrize("query", ["hostile", "evil", "red", "pwned", "bold"])
def test_search_prints_markup_literally_and_no_escapes(hostile_library, query: str) -> None:
    data, _ = hostile_library
    result = run_cli(data, "search", query, tty=True)
    _assert_clean(result.stdout, result.stderr)
    if query == "hostile":
        assert result.returncode == 0
        assert result.stdout.count(MARKUP.encode()) == 3
    result = run_cli(data, "search", query, "--json")
    _assert_clean(result.stdout, result.stderr)
    rows = json.loads(result.stdout)
    if query == "hostile":
        assert len(rows) == 3 and all(MARKUP in row["title"] for row in rows)


def test_show_prints_every_field_without_escapes(hostile_library) -> None:
    data, _ = hostile_library
    hits = json.loads(run_cli(data, "search", "hostile", "--json").stdout)
    for row in hits:
        shown = run_cli(data, "show", row["id"], tty=True)
        assert shown.returncode == 0
        _assert_clean(shown.stdout, shown.stderr)
        assert MARKUP.encode() in shown.stdout
        as_json = run_cli(data, "show", row["id"], "--json")
        _assert_clean(as_json.stdout, as_json.stderr)
        assert json.loads(as_json.stdout)["id"] == row["id"]


def test_errors_echoing_user_input_are_clean(hostile_library) -> None:
    data, _ = hostile_library
    for args in (
        ("show", f"nope{ESCAPES}"),
        ("search", f'title:"{ESCAPES}'),
        ("search", f"{ESCAPES}((("),
        ("stats",),
    ):
        result = run_cli(data, *args, tty=True)
        _assert_clean(result.stdout, result.stderr)


def test_bookmark_list_and_bibtex_export_are_clean(hostile_library) -> None:
    data, _ = hostile_library
    hits = json.loads(run_cli(data, "search", "hostile", "--json").stdout)
    added = run_cli(
        data, "bookmark", "add", *[h["id"] for h in hits], "--tag", f"t{ESCAPES}", tty=True
    )
    _assert_clean(added.stdout, added.stderr)
    assert added.returncode == 0, added.stderr
    for args in (
        ("bookmark", "list"),
        ("bookmark", "list", "--json"),
        ("bookmark", "tags"),
        ("export", "bibtex"),
        ("export", "bibtex", "--unicode"),
    ):
        result = run_cli(data, *args, tty="--json" not in args)
        assert result.returncode == 0, (args, result.stderr)
        _assert_clean(result.stdout, result.stderr)
    listed = json.loads(run_cli(data, "bookmark", "list", "--json").stdout)
    assert all(MARKUP in row["title"] for row in listed)


def test_tui_renders_dump_text_as_literal_text() -> None:
    """The app builds Rich Text from dump text, never markup (tui.widgets.highlight.literal)."""
    from paperbrowse.tui.widgets.highlight import literal

    text = literal(f"{MARKUP} {ESCAPES}")
    assert MARKUP in text.plain
    assert not text.spans
    for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert bad not in text.plain


def test_progress_bar_is_silent_when_not_a_terminal(tmp_path: Path) -> None:
    """Piped ingest output holds no progress-bar escapes (rich draws only on a terminal)."""
    dump = tmp_path / "one.jsonl"
    dump.write_text(json.dumps(jsonl_record(3)) + "\n")
    result = run_cli(tmp_path / "data", "ingest", str(dump))
    assert result.returncode == 0
    _assert_clean(result.stdout, result.stderr)
    assert b"Ingested 1 file" in result.stdout


def test_missing_path_with_escapes_is_reported_cleanly(tmp_path: Path) -> None:
    result = run_cli(tmp_path / "data", "ingest", str(tmp_path / "gone\x1b[2J\x07.json"), tty=True)
    assert result.returncode == 1
    _assert_clean(result.stdout, result.stderr, progress_bar=True)
    assert b"\x1b[2J" not in result.stderr
