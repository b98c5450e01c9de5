"""One table of query fields feeds the README, ``paperbrowse search --help`` and the app's help;
the CLI as a pipe (ids in the table, ``--ids``, queries starting with ``-``), through the real
entry point; and the app's status line saying what a query cannot mean (issue 15)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from paperbrowse.search.query_fields import FIELDS, help_lines, markdown_table

from tests.fixtures_cli import run
from tests.fixtures_dumps import RECORDS

README = Path(__file__).parents[1] / "README.md"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_readme_shows_the_table() -> None:
    readme = README.read_text(encoding="utf-8")
    block = readme.split("<!-- query-fields:", 1)[1].split("<!-- /query-fields -->", 1)[0]
    assert block.split("\n", 1)[1].strip() == markdown_table()
    for field in FIELDS:
        assert f"`{field.example}`" in block


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli-quality")
    dump = root / "papers.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    data = root / "data"
    result = run("ingest", str(dump), data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def test_search_help_shows_the_table(data_dir: Path) -> None:
    result = run("search", "--help", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    shown = _squash(result.stdout)
    for example, meaning in help_lines():
        assert _squash(f"{example} {meaning}") in shown, example


def test_the_table_shows_ids_and_ids_only_pipes(data_dir: Path) -> None:
    table = run("search", "transformer", data_dir=data_dir)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["#", "id", "date", "up", "title", "first", "author"]
    assert lines[1].split()[:2] == ["1", "2412.00002"]
    ids = run("search", "cs.LG", "--ids", "--sort", "date", data_dir=data_dir)
    assert ids.returncode == 0, ids.stderr
    assert sorted(ids.stdout.splitlines()) == ["2412.00002", "2412.00003"]
    assert ids.stderr == ""
    # Each id is what `show` takes.
    for pid in ids.stdout.split():
        assert run("show", pid, data_dir=data_dir).returncode == 0
    assert run("search", "nothingmatches", "--ids", data_dir=data_dir).stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("-quantization",),
        ("--", "-quantization"),
        ("--ids", "-quantization"),
        ("-quantization", "--ids"),
    ],
)
def test_a_query_starting_with_minus(data_dir: Path, args: tuple[str, ...]) -> None:
    if "--ids" not in args:
        args = ("--ids", *args) if args[0] == "--" else (*args, "--ids")
    result = run("search", *args, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"2412.00001", "2412.00002", "hep-ph/9901001"}


def test_cli_query_messages(data_dir: Path) -> None:
    unknown = run("search", "titl:foo", data_dir=data_dir)
    assert unknown.returncode == 1
    assert "unknown field titl:" in unknown.stderr and "title:, author:" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    typo = run("search", "--limt", "3", "x", data_dir=data_dir)
    assert typo.returncode == 2 and "--limt" in typo.stderr
    late = run("search", "--", "-x", "--limit", "2", data_dir=data_dir)
    assert late.returncode == 2 and "--limit must come before --" in late.stderr
    words = run("search", "state", "space", "--ids", data_dir=data_dir)  # several arguments
    assert words.stdout.split() == ["2412.00002"]


@pytest.mark.parametrize(
    "ref",
    [
        "https://huggingface.co/papers/2412.00002",
        "https://arxiv.org/pdf/2412.00002v1",
        "2412.00002",
    ],
)
def test_show_and_search_take_links(data_dir: Path, ref: str) -> None:
    shown = run("show", ref, data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("A Transformer for State Space Models")
    found = run("search", ref, "--ids", data_dir=data_dir)
    assert found.stdout.split() == ["2412.00002"]


# -- the app --------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_blink")
def test_the_app_help_shows_the_table(services) -> None:
    import asyncio
    import io

    from paperbrowse.tui.screens.help import HelpScreen
    from rich.console import Console

    from tests.fixtures_app import make_app, settle

    async def check() -> None:
        app = make_app(services)
        async with app.run_test(size=(120, 60)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            console = Console(width=200, record=True, file=io.StringIO())
            console.print(app.screen.query_one("#help-query").content)
            text = _squash(console.export_text())
            for example, meaning in help_lines():
                assert _squash(f"{example} {meaning}") in text, example

    asyncio.run(check())


@pytest.mark.usefixtures("no_blink")
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("diffusion titl:foo", "unknown field titl:"),
        ('diffusion "state space', "unclosed quote"),
        ("diffusion title:(", "unclosed ("),
        ("diffusion quant~9", "1 or 2 wrong letters"),
    ],
)
def test_the_app_status_line_says_what_a_query_cannot_mean(services, bad, message) -> None:
    import asyncio

    from paperbrowse.tui.widgets.results_list import ResultsList
    from paperbrowse.tui.widgets.search_bar import SearchBar
    from textual.widgets import Input

    from tests.fixtures_app import make_app, settle, static_text

    async def check() -> None:
        app = make_app(services)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.screen.query_one("#query", Input).value = "diffusion"
            await settle(pilot)
            before = list(app.screen.query_one(ResultsList)._ids)
            assert before
            app.screen.query_one("#query", Input).value = bad
            await settle(pilot)
            bar = app.screen.query_one(SearchBar)
            status = static_text(bar.query_one("#status"))
            assert "⚠" in status and message in status, status
            assert bar.has_class("-error")
            assert list(app.screen.query_one(ResultsList)._ids) == before  # last good results

    asyncio.run(check())


def test_ids_pipe_into_bookmark_add_and_tag_finds_them(tmp_path: Path) -> None:
    dump = tmp_path / "papers.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    data = tmp_path / "data"
    assert run("ingest", str(dump), data_dir=data).returncode == 0
    ids = run("search", "cs.LG", "--ids", data_dir=data).stdout.split()
    assert sorted(ids) == ["2412.00002", "2412.00003"]
    added = run("bookmark", "add", *ids, "--tag", "quant", data_dir=data)  # what xargs runs
    assert added.returncode == 0, added.stderr
    tagged = run("search", "tag:quant", "--ids", data_dir=data)
    assert sorted(tagged.stdout.split()) == ids
    both = run("search", "tag:quant", "quantization", "--ids", data_dir=data)
    assert both.stdout.split() == ["2412.00003"]
