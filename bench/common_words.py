"""Writes search/engine/common_words.py: the index terms common enough in real papers that a
phrase of them pays for word-pair terms (the ``*_pairs`` fields of search/engine/schema.py).

A term is common when at least SHARE of the real papers in ../shared (the arXiv snapshot's
first lines, the Daily Papers archive) hold it in their title or abstract, as the index
analyses them: stemmed (title, abstract, keywords) and as written (title_exact, authors). The
list is part of what the index means: changing it is a schema change (SCHEMA_VERSION).

    python bench/common_words.py
"""

from __future__ import annotations

import sys
import textwrap
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
SOURCES = [SHARED / "dumps" / "arxiv-jsonl", SHARED / "collections" / "hf-daily-json-archive"]
TARGET = ROOT / "search" / "engine" / "common_words.py"
#: A term held by at least this share of the papers is common (~500 terms).
SHARE = 0.02


def main() -> int:
    from paperbrowse.search.dumps import iter_dump_files, read_dump
    from paperbrowse.search.engine import index_terms
    from paperbrowse.search.models import Paper

    seen: set[str] = set()
    df: Counter[str] = Counter()
    for path in iter_dump_files(SOURCES):
        for item in read_dump(path):
            if not isinstance(item, Paper) or item.id in seen:
                continue
            seen.add(item.id)
            text = f"{item.title}\n{item.abstract}"
            df.update(index_terms(text))
    # No term holds white space (a pair with one is never made: analysis.pair_term).
    common = sorted(t for t, n in df.items() if n >= SHARE * len(seen) and t.split() == [t])
    body = textwrap.fill(" ".join(common), width=96, break_long_words=False)
    TARGET.write_text(
        '"""Index terms common in real papers (written by bench/common_words.py: held by at '
        f"least\n{SHARE:.0%} of the {len(seen):,} papers of ../shared, stemmed and as written)."
        " Adjacent pairs of them\nget a term of their own (schema.py's ``*_pairs`` fields): "
        'changing this list is a schema change.\n"""\n\n'
        f'COMMON_TERMS = frozenset(\n    """\n{body}\n""".split()\n)\n',
        encoding="utf-8",
    )
    print(f"{len(common)} common terms of {len(seen)} papers -> {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
