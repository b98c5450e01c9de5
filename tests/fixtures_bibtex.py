"""Exported BibTeX compiled for real: pdflatex, bibtex, pdflatex, the way a user's paper is built.

Every test that checks a bibliography compiles takes the runner and its skip marker from here
(the marker names the packages to install; under PAPERBROWSE_STRICT=1 a skip is a failure).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_tex = pytest.mark.skipif(
    not (shutil.which("pdflatex") and shutil.which("bibtex")),
    reason="pdflatex and bibtex not installed (apt: texlive-latex-base texlive-binaries)",
)


def compile_bib(tmp_path: Path, bib: str, style: str) -> tuple[str, str]:
    """Run pdflatex, bibtex, pdflatex on a document citing every entry; return (.bbl, .blg)."""
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    natbib = "\\usepackage{natbib}\n" if style.endswith("nat") else ""
    (tmp_path / "doc.tex").write_text(
        f"\\documentclass{{article}}\n{natbib}\\begin{{document}}\n\\nocite{{*}}\n"
        f"\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n\\end{{document}}\n"
    )
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    for cmd in (latex, ["bibtex", "doc"], latex):
        run = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, errors="replace")
        # -halt-on-error: any LaTeX error is a non-zero exit; bibtex exits 2 on errors.
        assert run.returncode == 0, f"{cmd[0]} failed:\n{run.stdout[-3000:]}"
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "Missing character" not in log
    return (tmp_path / "doc.bbl").read_text(), (tmp_path / "doc.blg").read_text()
