"""Shared test helpers live in fixtures modules, never in another test file.

Importing from a ``test_*`` module makes pytest's collection of one file depend on another,
hides where a helper lives, and invites a second copy of it beside the first. Helpers shared by
more than one test file live in the modules named for what they hold (``fixtures_app``,
``fixtures_cli``, ``fixtures_dumps``, ``fixtures_bibtex``, ``dumps_paths``, ``fetch_server``).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def imported_test_modules(source: str) -> list[str]:
    """The ``test_*`` modules that ``source`` imports, however it spells the import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [n for n in names if n and n.split(".")[-1].startswith("test_")]
    return found


def test_no_test_file_imports_from_another_test_file() -> None:
    files = sorted(TESTS.glob("*.py"))
    assert len(files) > 50  # the scan reads the real folder
    offenders = {
        path.name: modules
        for path in files
        if (modules := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_scan_sees_every_spelling() -> None:
    assert imported_test_modules("from tests.test_cli import run") == ["tests.test_cli"]
    assert imported_test_modules("import tests.test_library as lib") == ["tests.test_library"]
    assert imported_test_modules("from tests import test_bibtex") == ["tests.test_bibtex"]
    assert imported_test_modules("from .test_rising import DAY") == ["test_rising"]
    # Inside a function too: a late import is still an import.
    assert imported_test_modules("def f():\n    from tests.test_x import y\n") == ["tests.test_x"]
    assert imported_test_modules("from tests.fixtures_cli import run") == []
