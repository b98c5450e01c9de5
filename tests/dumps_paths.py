"""Where the example dumps live, for every test that reads them in place.

The dumps in ../shared/dumps come from other projects (see SOURCES.md there) and are never
copied into this repository; tests that need them skip with a clear reason when they are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: The shared example dumps, next to the repository (read in place, never copied).
DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "dumps"

#: This project's own test fixtures.
FIXTURES = Path(__file__).resolve().parent / "fixtures"

needs_dumps = pytest.mark.skipif(
    not DUMPS.is_dir(), reason=f"example dumps not found at {DUMPS} (see SOURCES.md)"
)


def read_split(path: Path, **kwargs):
    """``read_dump`` results as (papers, problems) lists."""
    from search.dumps import read_dump
    from search.models import Paper

    papers, problems = [], []
    for item in read_dump(path, **kwargs):
        (papers if isinstance(item, Paper) else problems).append(item)
    return papers, problems
