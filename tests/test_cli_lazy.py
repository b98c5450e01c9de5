"""Each `paperbrowse COMMAND` loads only its own CLI module (issue #18), and nothing a user
sees changes for it: every command the help lists has its help, in the same order, typos are
still answered with the names they are close to.

tui/cli/lazy.py says why: building every command cost each cold `paperbrowse search` ~22 ms.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from paperbrowse import search

from tests.fixtures_cli import REPO, pb, run

#: What `paperbrowse --help` and each group's help list, in their order (Typer's: the commands
#: registered as functions, then the groups).
TREE = {
    "": [
        *("ingest", "search", "show", "stats", "cite", "new", "digest", "top", "trend"),
        *("bookmark", "export", "fetch", "mark", "watch"),
    ],
    "bookmark": [
        *("add", "remove", "list", "tags", "tag", "untag", "note", "read", "unread"),
        *("export", "import"),
    ],
    "export": ["bibtex", "ris", "csl-json"],
    "fetch": ["hf", "arxiv"],
    "mark": ["read", "unread"],
    "watch": ["add", "list", "remove"],
}


def listed(help_text: str) -> list[str]:
    """The names in a help's ``Commands:`` section, in order."""
    lines = help_text.split("\nCommands:\n", 1)[1].splitlines()
    return [line.split()[0] for line in lines if line.startswith("  ") and line[2] != " "]


@pytest.mark.parametrize("group", sorted(TREE))
def test_each_help_lists_its_commands_in_order(group):
    result = run(*group.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert listed(result.stdout) == TREE[group]


@pytest.mark.parametrize("group", sorted(TREE))
def test_every_listed_command_has_its_help(group):
    for name in TREE[group]:
        path = " ".join([*group.split(), name])
        result = run(*path.split(), "--help")
        assert result.returncode == 0, (path, result.stderr)
        assert result.stdout.startswith(f"Usage: paperbrowse {path} [OPTIONS]"), result.stdout
        assert result.stderr == ""


def test_a_typo_is_answered_with_the_commands_it_is_close_to():
    """The names come from the table, not from built commands: none is built for them."""
    result = run("serch", "x")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: No such command 'serch'. Did you mean 'search', 'fetch'?"
    )
    assert run("nosuch").stderr.splitlines()[-1] == "Error: No such command 'nosuch'."
    group = run("watch", "lst")
    assert group.returncode == 2
    assert group.stderr.splitlines()[-1] == "Error: No such command 'lst'. Did you mean 'list'?"


#: The CLI modules a `paperbrowse search` has no use for.
NOT_FOR_SEARCH = {
    f"paperbrowse.tui.cli.{name}"
    for name in ("bookmarks", "bookmark_file", "cite", "fetch", "ingest", "timeline", "watch")
}


def loaded_by(*argv: str) -> set[str]:
    """The modules loaded once `paperbrowse ARGV` ran through the entry point's main()."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['paperbrowse', *{list(argv)!r}]\n"
        "from paperbrowse.tui.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return set(json.loads(proc.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def tiny_library(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("lazy") / "data"
    pb(data, "ingest", str(Path(search.__file__).parent / "sample"))
    return data


def test_search_loads_only_the_search_commands_module(tiny_library):
    assert json.loads(pb(tiny_library, "search", "model", "--json", "--limit", "1").stdout)
    loaded = loaded_by("--data-dir", str(tiny_library), "search", "model", "--json")
    assert "paperbrowse.tui.cli.library" in loaded
    assert loaded & NOT_FOR_SEARCH == set()


def test_a_group_loads_only_its_module(tiny_library):
    loaded = loaded_by("--data-dir", str(tiny_library), "bookmark", "list")
    assert {"paperbrowse.tui.cli.bookmarks", "paperbrowse.tui.cli.bookmark_file"} <= loaded
    assert loaded & (NOT_FOR_SEARCH | {"paperbrowse.tui.cli.library"}) == {
        "paperbrowse.tui.cli.bookmarks",
        "paperbrowse.tui.cli.bookmark_file",
    }
