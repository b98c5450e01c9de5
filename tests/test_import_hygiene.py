"""The headless core never imports Textual or Typer, and `paperbrowse search` never loads Textual.

Each check runs in a fresh interpreter so that nothing another test imported can hide a leak.
"""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import search

CORE_MODULES = sorted(m.name for m in pkgutil.walk_packages(search.__path__, prefix="search."))


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_core_modules_are_found():
    assert {"search.library", "search.index", "search.bookmarks", "search.dumps"} <= set(
        CORE_MODULES
    )


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_never_imports_textual_or_typer(module):
    loaded = loaded_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "typer", "click")}


def test_only_search_index_imports_whoosh():
    """The engine stays swappable: the product's code touches Whoosh in one module only."""
    root = Path(search.__file__).resolve().parents[1]
    leaking = []
    for path in sorted([*root.glob("search/**/*.py"), *root.glob("tui/**/*.py")]):
        if path == root / "search" / "index.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from)\s+whoosh\b", source, re.MULTILINE):
            leaking.append(str(path.relative_to(root)))
    assert leaking == []


def test_search_command_never_imports_textual(tmp_path):
    code = (
        "import sys\n"
        f"sys.argv = ['paperbrowse', '--data-dir', {str(tmp_path)!r}, 'search', 'x', '--json']\n"
        "from tui.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = loaded_after(code)
    assert "tui.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "textual"}
