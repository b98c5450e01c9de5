"""Known-item relevance: can a researcher find a paper again with what they remember of it?

For a fixed, seeded sample of papers from a real library (by default the 145 real daily-papers
days in ../shared/collections/hf-daily-json-archive/), queries a person would type to find
that paper again, one per kind:

- ``title words``: three distinctive words of its title (rarest in the library's titles);
- ``keywords``: its first two ``ai_keywords`` (papers that have them);
- ``author + word``: the first author's surname and the title's most distinctive word;
- ``fuzzy``: a distinctive title word misspelt by one letter, with ``~``;
- ``phrase``: three consecutive title words in quotes.

Each query runs through paperbrowse (``Library.search``) and, on the same papers, through plain
Whoosh: stock ``TEXT`` fields (standard analyzer, no stemming, no boosts) for title, abstract
and authors, a ``MultifieldParser`` with the fuzzy plugin, scoring as Whoosh ships it
(search/engine/baseline.py). Reported per
kind and engine: success@1, success@10 and MRR (rank counted to 100; a miss scores 0).

    python bench/relevance.py [--sample 400] [--seed 7] [--library DIR] [--write-doc]

Tests run the machinery on a small sample (tests/test_bench_relevance.py); the figures live in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ARCHIVE = REPO.parent / "shared" / "collections" / "hf-daily-json-archive"
KINDS = ("title words", "keywords", "author + word", "fuzzy", "phrase")
#: How deep a result list is read for the reciprocal rank.
DEPTH = 100

# Words a person does not use to find a paper (and Whoosh's stock analyzer drops).
_STOP = frozenset(
    """a an and are as at be by can do for from has have how in into is it its of on or our
    that the their this to towards via vs we what when where which while who why will with
    without your using based new""".split()
)
# Words as a person reads them off a title: "360CityArena" is one word, "Cross-Embodiment" one.
_WORD = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


@dataclass(frozen=True)
class KnownItem:
    paper_id: str
    kind: str
    query: str


def _words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def _title_df(papers: Sequence) -> Counter:
    df: Counter = Counter()
    for p in papers:
        df.update({w.lower() for w in _words(p.title)})
    return df


def _distinctive(title: str, df: Counter, n: int) -> list[str]:
    """The ``n`` rarest usable words of ``title``, in title order."""
    seen: dict[str, str] = {}
    for w in _words(title):
        low = w.lower()
        if low not in _STOP and len(low) >= 3 and "-" not in low and low not in seen:
            seen[low] = w
    rarest = sorted(seen, key=lambda low: (df[low], -len(low), low))[:n]
    return [seen[low] for low in seen if low in rarest]


def _misspelt(word: str, rng: random.Random) -> str:
    """``word`` with one letter changed (never the first: people rarely get that wrong)."""
    i = rng.randrange(1, len(word))
    letters = [c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[i].lower()]
    return word[:i] + rng.choice(letters) + word[i + 1 :]


def _surname(name: str) -> str | None:
    from paperbrowse.search.names import split_name

    last = split_name(name)[1].split()
    return last[-1] if last and _WORD.fullmatch(last[-1]) else None


def _sub_phrase(title: str, rng: random.Random) -> str | None:
    """Three consecutive title words as a person quotes them: no stop word at either end."""
    words = [w.strip(",.:;!?()") for w in title.split()]
    starts = [
        i
        for i in range(len(words) - 2)
        if all(_WORD.fullmatch(w) for w in words[i : i + 3])
        and words[i].lower() not in _STOP
        and words[i + 2].lower() not in _STOP
    ]
    if not starts:
        return None
    i = rng.choice(starts)
    return " ".join(words[i : i + 3])


def known_items(papers: Sequence, sample: int, seed: int) -> list[KnownItem]:
    """The queries for a seeded sample of ``papers`` (the same sample on every run)."""
    df = _title_df(papers)
    rng = random.Random(seed)
    chosen = rng.sample(sorted(papers, key=lambda p: p.id), min(sample, len(papers)))
    items: list[KnownItem] = []
    for p in chosen:
        three = _distinctive(p.title, df, 3)
        if len(three) == 3:
            items.append(KnownItem(p.id, "title words", " ".join(three)))
        keywords = [k for k in p.keywords if _words(k)][:2]
        if keywords:
            items.append(KnownItem(p.id, "keywords", " ".join(keywords)))
        top = _distinctive(p.title, df, 1)
        surname = _surname(p.authors[0]) if p.authors else None
        if top and surname:
            items.append(KnownItem(p.id, "author + word", f"{surname} {top[0]}"))
        long_words = [w for w in _distinctive(p.title, df, 3) if len(w) >= 6 and w.isalpha()]
        if long_words:
            items.append(KnownItem(p.id, "fuzzy", _misspelt(long_words[0], rng).lower() + "~"))
        phrase = _sub_phrase(p.title, rng)
        if phrase:
            items.append(KnownItem(p.id, "phrase", f'"{phrase}"'))
    return items


# -- engines ------------------------------------------------------------------------------------


def paperbrowse_engine(library) -> Callable[[str], list[str]]:
    def run(query: str) -> list[str]:
        from paperbrowse.search.models import QueryError

        try:
            result = library.search(query, limit=DEPTH)
        except QueryError:
            return []
        return [hit.paper.id for hit in result.hits]

    return run


def plain_whoosh_engine(papers: Iterable, folder: Path) -> Callable[[str], list[str]]:
    """Stock Whoosh on the same papers: the naive baseline a user of Whoosh would start from."""
    from paperbrowse.search.engine import stock_searcher

    search = stock_searcher(folder, papers)
    return lambda query: search(query, DEPTH)


# -- scoring ------------------------------------------------------------------------------------


def score(items: Sequence[KnownItem], engine: Callable[[str], list[str]]) -> dict[str, dict]:
    """Per kind: queries, success@1, success@10, MRR (and the ids of the misses at 10)."""
    out: dict[str, dict] = {}
    for kind in KINDS:
        of_kind = [i for i in items if i.kind == kind]
        if not of_kind:
            continue
        ranks = []
        misses = []
        for item in of_kind:
            ids = engine(item.query)
            rank = ids.index(item.paper_id) + 1 if item.paper_id in ids else math.inf
            ranks.append(rank)
            if rank > 10:
                misses.append(item.query)
        n = len(ranks)
        out[kind] = {
            "queries": n,
            "success@1": sum(r <= 1 for r in ranks) / n,
            "success@10": sum(r <= 10 for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks) / n,
            "misses@10": misses[:10],
        }
    return out


def run(library_dir: Path | None, dumps: Sequence[Path], sample: int, seed: int) -> dict:
    """Ingest ``dumps`` (into a temporary library unless ``library_dir``), then measure both."""
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    work = Path(tempfile.mkdtemp(prefix="pb-relevance-"))
    try:
        lib = Library(Locations(library_dir or work / "library"))
        if dumps:
            lib.ingest(list(dumps))
        papers = list(lib.records.iter_papers())
        items = known_items(papers, sample, seed)
        start = time.perf_counter()
        ours = score(items, paperbrowse_engine(lib))
        ours_s = time.perf_counter() - start
        (work / "whoosh").mkdir()
        baseline = plain_whoosh_engine(papers, work / "whoosh")
        start = time.perf_counter()
        plain = score(items, baseline)
        plain_s = time.perf_counter() - start
        lib.close()
        return {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "papers": len(papers),
            "sample": sample,
            "seed": seed,
            "paperbrowse": ours,
            "plain whoosh": plain,
            "seconds": {"paperbrowse": round(ours_s, 1), "plain whoosh": round(plain_s, 1)},
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render(results: dict) -> str:
    lines = [
        f"Known-item relevance, {results['date']}: {results['papers']} papers, a sample of "
        f"{results['sample']} (seed {results['seed']}).",
        "",
        "| query kind | queries | paperbrowse s@1 | s@10 | MRR | plain Whoosh s@1 | s@10 | MRR |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        ours = results["paperbrowse"].get(kind)
        plain = results["plain whoosh"].get(kind)
        if not ours or not plain:
            continue
        lines.append(
            f"| {kind} | {ours['queries']} | {ours['success@1']:.3f} | {ours['success@10']:.3f} "
            f"| **{ours['mrr']:.3f}** | {plain['success@1']:.3f} | {plain['success@10']:.3f} "
            f"| {plain['mrr']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=400, help="papers in the sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--library", type=Path, help="measure this data dir instead")
    parser.add_argument("dumps", nargs="*", type=Path, help=f"dumps to ingest (default {ARCHIVE})")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    dumps = args.dumps or ([] if args.library else [ARCHIVE])
    results = run(args.library, dumps, args.sample, args.seed)
    print(render(results))
    for engine in ("paperbrowse", "plain whoosh"):
        for kind, row in results[engine].items():
            if row["misses@10"]:
                print(f"{engine} / {kind}: missed at 10, e.g. {row['misses@10'][:3]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
