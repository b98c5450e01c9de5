"""Dumps written by the tests themselves: records built in code where a test needs exact,
small or hostile input that the shared example dumps (read in place, tests/dumps_paths.py) do
not hold. Every test that writes a dump takes its records and writers from here, so the shape of
an arXiv snapshot record is written down once.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.dumps_paths import ARCHIVE

# -- arXiv snapshot records -------------------------------------------------------------------

_WORDS = (
    "quantum graph neural network language model diffusion attention sparse tensor robust "
    "learning optimal transport kernel bayesian inference"
).split()


def snapshot_record(**fields) -> dict:
    """One record with every key the arXiv metadata snapshot has, in its order (null or empty
    where ``fields`` gives nothing), so that a written dump looks like the real one."""
    record = {
        "id": None,
        "submitter": None,
        "authors": "",
        "title": "",
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": "",
        "license": None,
        "abstract": "",
        "versions": [],
        "update_date": None,
        "authors_parsed": [],
    }
    unknown = set(fields) - set(record)
    assert not unknown, f"not a snapshot field: {unknown}"
    record.update(fields)
    return record


def jsonl_record(i: int, *, marker: str = "", title: str | None = None, **extra) -> dict:
    """One arXiv snapshot record with a unique id; ``marker`` is a word put in every title."""
    rnd = random.Random(i)
    words = " ".join(rnd.choice(_WORDS) for _ in range(6))
    record = snapshot_record(
        id=f"{2101 + i // 90000:04d}.{i % 90000:05d}",
        submitter="Ada Lovelace",
        authors="Ada Lovelace, Alan Turing",
        title=title if title is not None else f"{marker} {words} number {i}".strip(),
        categories="cs.LG stat.ML",
        abstract="  " + " ".join(rnd.choice(_WORDS) for _ in range(60)),
        versions=[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
        update_date="2008-11-13",
        authors_parsed=[["Lovelace", "Ada", ""], ["Turing", "Alan", ""]],
    )
    record.update(extra)
    return record


def write_records(path: Path, records) -> Path:
    """An arXiv snapshot dump: ``records``, one JSON object a line (written as they come, so a
    large generated dump is never held in memory)."""
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
    return path


def write_jsonl(path: Path, start: int, count: int, *, marker: str = "") -> Path:
    """An arXiv snapshot dump of ``count`` papers with ids from number ``start`` on."""
    return write_records(
        path, (jsonl_record(i, marker=marker) for i in range(start, start + count))
    )


# -- a few papers with words chosen for the search-quality tests --------------------------------


def arxiv_record(arxiv_id: str, title: str, abstract: str, authors: str, categories: str) -> dict:
    return snapshot_record(
        id=arxiv_id,
        authors=authors,
        title=title,
        categories=categories,
        abstract=abstract,
        versions=[{"version": "v1", "created": "Mon, 2 Dec 2024 10:00:00 GMT"}],
        update_date="2024-12-03",
    )


RECORDS = [
    arxiv_record(
        "2412.00001",
        "Generalized Cosine Transforms for Signals",
        "We transform signals with cosine transforms and transformations.",
        "Zoë Straße, Ｋｅｎｊｉ Sato",
        "eess.SP",
    ),
    arxiv_record(
        "2412.00002",
        "A Transformer for State Space Models",
        "A transformer meets state space models; the ﬁne-tuning is cheap.",
        "C. Balázs, Łukasz Wiśniewski",
        "cs.LG stat.ML",
    ),
    arxiv_record(
        "2412.00003",
        "Quantization of Large Models",
        "Quantization, done well.",
        "Ada Lovelace",
        "cs.LG",
    ),
    arxiv_record(
        "2412.00004",
        "Pruning Networks",
        "Quantized weights and pruned networks: a quantized model is small.",
        "Alan Turing",
        "cs.CV",
    ),
    arxiv_record(
        "hep-ph/9901001",
        "Diphoton Production at Colliders",
        "Prompt diphoton production cross sections.",
        "A. Physicist",
        "hep-ph",
    ),
]


# -- an HF papers page copy and the arXiv record of one of its papers (merging) ------------------


PAGE = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Dec 12

Equivariant Flows on SE(n): Learning Rigid Motions

We learn flows on the group SE(n). Code: https://github.com/example/seflows.

  • 3 authors
·
Dec 3 12

A Paper Only Pages Know

Nothing more to say about it.

  • 1 author
·
Jul 21, 2023
"""

JSONL = snapshot_record(
    id="2412.01234",
    submitter="A. Author",
    authors="A. Author, B. Writer",
    title="Equivariant flows on SE$(n)$:\n  learning rigid motions",
    categories="cs.LG stat.ML",
    abstract="  We learn flows on the group SE(n), with more detail\nthan the page shows.\n",
    versions=[{"version": "v1", "created": "Mon, 2 Dec 2024 10:00:00 GMT"}],
    update_date="2024-12-03",
    authors_parsed=[["Author", "A.", ""], ["Writer", "B.", ""]],
)


def write_page(path, text=PAGE):
    path.write_text(text, encoding="utf-8")
    return path


# -- a real archive day listed again with more upvotes (rising) ---------------------------------

DAY = "2025-01-13.json"
#: A listing day three days later (the file named for it) where the first three papers of
#: 2025-01-13 are listed again, with more upvotes.
LATER = "2025-01-16.json"
GAINS = (21, 5, 0)


def relisted(tmp_path: Path) -> Path:
    """The real 2025-01-13 listing (read in place) and, beside it, the same papers listed again
    three days later: the first three entries with GAINS more upvotes."""
    later = tmp_path / "later"
    later.mkdir()
    entries = json.loads((ARCHIVE / DAY).read_text(encoding="utf-8"))[:3]
    for entry, gain in zip(entries, GAINS, strict=True):
        entry["paper"]["upvotes"] += gain
    (later / LATER).write_text(json.dumps(entries), encoding="utf-8")
    return later


def segmented_library(root: Path, seed: int):
    """A library over generated papers in several index segments with deletions (two dumps,
    then the first grown: its papers replaced), for tests that compare the engine's reads
    with Whoosh's own across segments. The caller closes it."""
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    from bench.generate import write_dump  # the tests put the repository root on sys.path

    lib = Library(Locations.resolve(root / "data"))
    first = write_dump(root / "a.jsonl", 300, seed=seed)
    lib.ingest([first])
    lib.ingest([write_dump(root / "b.jsonl", 200, seed=seed + 1)])
    write_dump(first, 300, extra=20, seed=seed)  # grown: its papers replaced (deletions)
    lib.ingest([first])
    return lib


def real_dumps_library(root: Path):
    """A library over every example dump in ../shared (all four kinds, Daily Papers with their
    keywords), read in place; the test is skipped where they are missing. The caller closes it."""
    import pytest
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    from tests.dumps_paths import DUMPS

    if not DUMPS.is_dir():
        pytest.skip(f"example dumps not found at {DUMPS}")
    lib = Library(Locations.resolve(root / "data"))
    lib.ingest([DUMPS])
    return lib
