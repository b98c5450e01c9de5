"""Where the example dumps live, for every test that reads them in place.

The dumps in ../shared/dumps come from other projects (see SOURCES.md there) and are never
copied into this repository; tests that need them skip with a clear reason when they are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: The shared example dumps, next to the repository (read in place, never copied).
DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "dumps"

#: The daily-papers API days among them (the folder most CLI tests ingest).
HF_JSON = DUMPS / "hf-daily-json"

#: This project's own test fixtures.
FIXTURES = Path(__file__).resolve().parent / "fixtures"

needs_dumps = pytest.mark.skipif(
    not DUMPS.is_dir(), reason=f"example dumps not found at {DUMPS} (see SOURCES.md)"
)


#: The archive of real daily-papers API days, read in place like the dumps.
COLLECTIONS = DUMPS.parent / "collections"
ARCHIVE = COLLECTIONS / "hf-daily-json-archive"

needs_collections = pytest.mark.skipif(
    not ARCHIVE.is_dir(), reason=f"collections not found at {ARCHIVE} (see dumps/SOURCES.md)"
)


def read_split(path: Path, **kwargs):
    """``read_dump`` results as (papers, problems) lists; notes (never failures) are left out,
    see :func:`read_notes`."""
    papers, problems, _ = read_all(path, **kwargs)
    return papers, problems


def read_notes(path: Path, **kwargs):
    return read_all(path, **kwargs)[2]


def read_all(path: Path, **kwargs):
    """``read_dump`` results as (papers, problems, notes) lists."""
    from paperbrowse.search.dumps import read_dump
    from paperbrowse.search.models import Paper, ParseProblem

    papers, problems, notes = [], [], []
    for item in read_dump(path, **kwargs):
        if isinstance(item, Paper):
            papers.append(item)
        elif isinstance(item, ParseProblem):
            problems.append(item)
        else:
            notes.append(item)
    return papers, problems, notes
