"""The headless core never imports Textual or Typer, and `paperbrowse search` never loads Textual.

Each check runs in a fresh interpreter so that nothing another test imported can hide a leak.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from paperbrowse import search

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(search.__path__, prefix="paperbrowse.search.")
)


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_core_modules_are_found():
    assert {
        "paperbrowse.search.library",
        "paperbrowse.search.engine",
        "paperbrowse.search.bookmarks",
        "paperbrowse.search.dumps",
    } <= set(CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_never_imports_textual_or_typer(module):
    loaded = loaded_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "typer", "click")}


ROOT = Path(search.__file__).resolve().parents[1]
ENGINE = ROOT / "search" / "engine"


def _product_modules() -> list[Path]:
    """Every module of the product and its tools (tests compare against Whoosh on purpose)."""
    found = [*ROOT.glob("search/**/*.py"), *ROOT.glob("tui/**/*.py")]
    found += [*ROOT.glob("bench/*.py"), *ROOT.glob("screenshots/*.py")]
    assert len(found) > 30
    return sorted(found)


def _outside_engine() -> list[Path]:
    return [p for p in _product_modules() if not p.is_relative_to(ENGINE)]


def test_only_the_engine_package_imports_whoosh():
    """The engine stays swappable: the product's code touches Whoosh in search/engine/ only."""
    leaking = []
    for path in _outside_engine():
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import|from)\s+whoosh\b", source, re.MULTILINE):
            leaking.append(str(path.relative_to(ROOT)))
    assert leaking == []
    inside = [p for p in ENGINE.glob("*.py") if "import whoosh" in p.read_text(encoding="utf-8")]
    assert inside  # the check above looks for the way the engine does import it


#: What encoding Whoosh's formats looks like: its pickled positions and posting blocks (pickle,
#: marshal, struct), its scoring, pool and facet interfaces, its private query hook, and the
#: engine's own modules reached past its public API (search/engine/__init__.py).
WHOOSH_FORMATS = re.compile(
    r"^\s*(import|from)\s+(pickle|marshal|struct)\b"
    r"|\b(BM25F?|PostingPool|FieldFacet|_btexts|W3Codec)\b"
    r"|^\s*(import|from)\s+(?:paperbrowse\.)?search\.engine\.\w+"
    r"|^\s*from\s+(?:paperbrowse\.)?search\.engine\s+import\s+_",
    re.MULTILINE,
)


def test_no_module_outside_the_engine_encodes_whoosh_formats():
    leaking = {}
    for path in _outside_engine():
        found = [m.group(0).strip() for m in WHOOSH_FORMATS.finditer(path.read_text("utf-8"))]
        if found:
            leaking[str(path.relative_to(ROOT))] = found
    assert leaking == {}


def test_the_format_check_can_fail():
    assert WHOOSH_FORMATS.search("from paperbrowse.search.engine.schema import document")
    assert WHOOSH_FORMATS.search("import pickle")
    assert WHOOSH_FORMATS.search("scores = BM25F()")
    assert not WHOOSH_FORMATS.search("from paperbrowse.search.engine import PaperIndex")


def _core_imports() -> dict[str, set[str]]:
    """Which core modules each core module imports (at the top or inside a function)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(ROOT.glob("search/**/*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = "paperbrowse." + ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from search.engine import store`` imports the module search.engine.store.
                subs = [f"{node.module}.{a.name}" for a in node.names]
                targets = [t for t in subs if t in CORE_MODULES] or [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found |= {t for t in targets if t in CORE_MODULES} - {name}
        graph[name] = found
    return graph


def test_core_modules_import_each_other_without_cycles():
    """A cycle (bibtex <-> bookmarks did it, hidden in a function-level import) means two
    modules that cannot be understood or tested apart."""
    graph = _core_imports()
    assert graph["paperbrowse.search.bookmarks"] >= {"paperbrowse.search.citekeys"}
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.append([*path, nxt])
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def test_search_command_never_imports_textual(tmp_path):
    code = (
        "import sys\n"
        f"sys.argv = ['paperbrowse', '--data-dir', {str(tmp_path)!r}, 'search', 'x', '--json']\n"
        "from paperbrowse.tui.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = loaded_after(code)
    assert "paperbrowse.tui.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "textual"}


def test_the_engine_refuses_a_whoosh_it_was_not_tested_with():
    """Its reads of Whoosh internals are checked against one release: another one fails at
    import with a message saying what to do, not later with a wrong answer."""
    code = "import whoosh\nwhoosh.__version__ = (2, 7, 6)\nimport paperbrowse.search.engine\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "ImportError: paperbrowse reads internals of whoosh-reloaded 2.7.5" in proc.stderr
    assert "same-answer tests" in proc.stderr
    assert (
        subprocess.run([sys.executable, "-c", "import paperbrowse.search.engine"]).returncode == 0
    )


#: What a cold `paperbrowse search` must not load (issue #18): each costs start-up for nothing.
#: morph_en compiles hundreds of regexes for a query our parser never builds; the
#: ``cached_property`` package pulls in asyncio; concurrent.futures is the app's lanes' pool;
#: posting_sort is the writer's.
NOT_FOR_SEARCH = {
    "whoosh.lang.morph_en",
    "whoosh.automata.fsa",
    "asyncio",
    "cached_property",
    "concurrent.futures",
    "paperbrowse.search.engine.posting_sort",
}


def test_search_command_loads_nothing_it_does_not_use(tmp_path):
    code = (
        "import sys\n"
        f"sys.argv = ['paperbrowse', '--data-dir', {str(tmp_path)!r}, 'search', 'x', '--json']\n"
        "from paperbrowse.tui.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )
    loaded = loaded_after(code)
    assert {
        "paperbrowse.tui.cli",
        "paperbrowse.search.engine",
        "whoosh.query",
        "whoosh.reading",
    } <= loaded
    assert loaded & NOT_FOR_SEARCH == set()


def test_whoosh_works_whole_after_the_lean_import():
    """The stand-ins leave nothing behind: Variations still expands words (its module loaded on
    first use), and a later importer gets the real cached_property package."""
    code = (
        "import paperbrowse.search.engine, sys\n"
        "from whoosh.query import Variations, terms\n"
        "assert 'whoosh.lang.morph_en' not in sys.modules\n"
        "assert 'rendered' in terms.variations('render')\n"
        "from whoosh.lang import morph_en\n"
        "assert morph_en.variations is not terms.variations\n"
        "import cached_property\n"
        "assert hasattr(cached_property, 'threaded_cached_property')\n"
        "import whoosh.reading, functools\n"
        "assert whoosh.reading.cached_property is functools.cached_property\n"
        "assert 'whoosh.automata.fsa' not in sys.modules\n"
        "from whoosh.codec.base import Automata\n"
        "dfa = Automata.levenshtein_dfa('render', 1)\n"
        "assert 'whoosh.automata.fsa' in sys.modules and dfa.accept('rendr')\n"
        "from whoosh.automata import lev\n"
        "assert lev.__file__.endswith('lev.py')  # the real module, not the stand-in\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_cli_modules_keep_real_annotations():
    """Typer evaluates string annotations (``from __future__ import annotations``) one eval a
    parameter at every start: ~20 ms of CPU of each cold command (tui/cli/__init__.py)."""
    cli = ROOT / "tui" / "cli"
    stringly = [
        p.name
        for p in sorted(cli.glob("*.py"))
        if re.search(r"^from __future__ import annotations", p.read_text("utf-8"), re.M)
    ]
    assert stringly == []
