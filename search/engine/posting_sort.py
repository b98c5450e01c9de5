"""The index writer's external sort of a segment's postings (Whoosh calls it a posting pool),
with less CPU (``search.engine.store`` installs it in Whoosh's writers).

A Whoosh writer collects a posting — (field, term bytes, doc number, weight, encoded value) — per
distinct term of each field of each document, and at commit needs them sorted. Whoosh's
``PostingPool`` spends a Python call per posting to add it (asserts, a size estimate), one to
write it to a temporary run file once memory is full and one to read it back, and merges the runs
a posting at a time through ``heapq.merge``: at 30k papers (two runs) the pool alone doubled the
CPU of a segment. :class:`FastPostingPool` appends a posting to a list, writes and reads runs a
marshal record of many postings at a time, and merges runs a term at a time.

Merging a term at a time gives the same sequence as merging postings: every document adds at most
one posting per (field, term), and postings arrive in doc number order, so within one term each
run holds an increasing stretch of doc numbers that no other run's stretch overlaps. A term's
postings are therefore its runs' stretches one after the other, ordered by their first doc number.
"""

from __future__ import annotations

import heapq
import itertools
import marshal
import operator
import secrets
from collections.abc import Iterable, Iterator
from typing import Any

#: Whoosh's PostingPool estimates ~200 bytes a posting against its ``limitmb``; this pool holds
#: as many postings in memory before sorting them into a run file.
POSTING_BYTES = 200
#: Postings per marshal record in a run file (a run is read back a record at a time).
RUN_CHUNK = 20_000

_FIELD = operator.itemgetter(0)
_FIELD_AND_TERM = operator.itemgetter(0, 1)


class FastPostingPool:
    """What Whoosh's writers use of ``whoosh.writing.PostingPool``, over the same temporary
    storage (``tempstore``: ``create_file``/``open_file`` returning objects with ``raw_file()``,
    and ``delete_file``)."""

    def __init__(self, tempstore: Any, segment: Any = None, limitmb: int = 128) -> None:
        self.tempstore = tempstore
        self.segment = segment
        self.limit = limitmb * 2**20
        self.maxitems = max(1000, self.limit // POSTING_BYTES)
        self.current: list[tuple] = []
        self.runs: list[str] = []
        self._saved_fields: set[str] = set()

    @property
    def fieldnames(self) -> set[str]:
        """The fields the pool has postings for."""
        return self._saved_fields | set(map(_FIELD, self.current))

    def add(self, item: tuple) -> None:
        current = self.current
        current.append(item)
        if len(current) >= self.maxitems:
            self.save()

    def save(self) -> None:
        """Sort the postings in memory into a new run file."""
        current = self.current
        if current:
            current.sort()
            self._saved_fields.update(map(_FIELD, current))
            self.runs.append(self._write_run(current))
            self.current = []

    def iter_postings(self) -> Iterable[tuple]:
        return self.items()

    def items(self, maxfiles: int = 128) -> Iterable[tuple]:
        """Every posting, sorted (once: the runs are deleted as they are read)."""
        if not self.runs:
            # Sorted in place: the pool is read once, and a copy would double its memory.
            self.current.sort()
            return self.current
        self.save()
        if len(self.runs) > maxfiles:
            self.reduce_to(maxfiles, maxfiles)
        runs, self.runs = self.runs, []
        return self._merge_runs(runs)

    def reduce_to(self, target: int, k: int) -> None:
        """Merge runs, ``k`` at a time, until at most ``target`` remain."""
        if k < 2 or target < 1:
            raise ValueError(f"cannot reduce to {target} runs {k} at a time")
        while len(self.runs) > target:
            merged = self._write_run(self._merge_runs(self.runs[:k]))
            self.runs = [merged, *self.runs[k:]]

    def cleanup(self) -> None:
        for path in self.runs:
            try:
                self.tempstore.delete_file(path)
            except OSError:
                pass
        self.runs = []

    # -- run files -------------------------------------------------------------------------

    def _write_run(self, items: Iterable[tuple]) -> str:
        path = f"{secrets.token_hex(8)}.run"
        f = self.tempstore.create_file(path).raw_file()
        it = iter(items)
        try:
            while chunk := list(itertools.islice(it, RUN_CHUNK)):
                marshal.dump(chunk, f)
        finally:
            f.close()
        return path

    def _read_run(self, path: str) -> Iterator[tuple]:
        return itertools.chain.from_iterable(self._read_chunks(path))

    def _read_chunks(self, path: str) -> Iterator[list[tuple]]:
        f = self.tempstore.open_file(path).raw_file()
        try:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self.tempstore.delete_file(path)

    def _merge_runs(self, paths: list[str]) -> Iterator[tuple]:
        keyed = [_term_stretches(self._read_run(path), i) for i, path in enumerate(paths)]
        # Each term stretch is read to its end before heapq.merge advances its run.
        return itertools.chain.from_iterable(
            part for *_, first, rest in heapq.merge(*keyed) for part in ((first,), rest)
        )


def _term_stretches(postings: Iterator[tuple], run: int) -> Iterator[tuple]:
    """One item per (field, term) of a sorted run, to merge runs by: the key, the first doc
    number, the run, the first posting and an iterator over the term's other postings."""
    for key, rest in itertools.groupby(postings, _FIELD_AND_TERM):
        first = next(rest)
        yield key, first[2], run, first, rest  # noqa: B031 - read once, before the next item
