"""Installed, paperbrowse is one package: paperbrowse.search and paperbrowse.tui, nothing else.

The folders keep their short names (search/, tui/); pyproject.toml maps them under paperbrowse
so that installing it never puts a generic top-level ``search`` or ``tui`` into anyone's
environment. Running pytest from the repository root still puts the root on sys.path, where
``import search`` would quietly work: these tests catch code that relies on that.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _package_folders() -> list[str]:
    found = []
    for top in ("search", "tui"):
        for init in sorted((REPO / top).rglob("__init__.py")):
            parts = init.parent.relative_to(REPO).parts
            if "__pycache__" not in parts:
                found.append("paperbrowse." + ".".join(parts))
    return sorted(found)


def test_pyproject_names_every_package_folder() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert sorted(config["tool"]["setuptools"]["packages"]) == _package_folders()
    assert config["project"]["scripts"]["paperbrowse"] == "paperbrowse.tui.cli:main"


def test_the_app_and_the_cli_never_import_the_short_names(tmp_path: Path) -> None:
    # From a folder that is not the repository: only the installed names can be imported.
    code = (
        "import sys\n"
        "import paperbrowse.tui.app, paperbrowse.tui.cli, paperbrowse.search.services\n"
        "short = sorted(m for m in sys.modules if m.split('.')[0] in ('search', 'tui'))\n"
        "print(short)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert run.stdout.strip() == "[]"


def test_in_the_repository_no_module_is_loaded_under_its_short_name() -> None:
    # This very process (pytest from the root) has the root on sys.path: anything that imported
    # `search.x` or `tui.x` instead of `paperbrowse.…` would show up here as a second copy.
    import paperbrowse.tui.app  # noqa: F401

    assert not [m for m in sys.modules if m.split(".")[0] in ("search", "tui")]


def test_a_wheel_holds_only_the_paperbrowse_package(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("paperbrowse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"paperbrowse"}
    assert "paperbrowse/search/sample/000_749900d1330c4652.txt" in names
    assert "paperbrowse/tui/app.tcss" in names
