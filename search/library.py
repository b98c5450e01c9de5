"""The library: what front ends talk to. Ingest, search, look-ups, facets, similar papers.

It ties the record store (SQLite: merged papers, the ingest manifest) to the full-text index
(``search.engine``, which alone knows Whoosh). Ingest runs in two phases so that a crash at any
point leaves both usable: (1) dumps are parsed and merged into the record store in
transactions, each paper flagged for the index; (2) the flagged papers are written to the
index, and unflagged only after the index has committed them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from paperbrowse.search.engine import IndexBusy, PaperIndex, match_spans
from paperbrowse.search.ingest_files import (
    Problems,
    Scan,
    detect_quietly,
    digest_and_lines,
    file_key,
    guarded,
    under_name,
    without_surrogates,
)
from paperbrowse.search.lock import IngestLock
from paperbrowse.search.models import (
    Filters,
    IngestReport,
    Paper,
    ParseNote,
    ParseProblem,
    QueryError,
    SearchHit,
    SearchResult,
)
from paperbrowse.search.paths import Locations
from paperbrowse.search.query_text import Interpreted, interpret, paper_ref
from paperbrowse.search.records import NEW, KnownFile, RecordStore
from paperbrowse.search.serialize import without_controls
from paperbrowse.search.tex2text import spell_symbols
from paperbrowse.search.text import path_text

#: progress(phase, done, total): phase is "read" (records parsed) or "index" (papers indexed).
Progress = Callable[[str, int, int | None], None]

#: Records per record-store transaction while parsing.
READ_BATCH = 2000
#: Papers per index commit: a killed ingest loses at most this much indexing work.
INDEX_COMMIT_EVERY = 100_000
#: From this many papers to index, two writer processes (one segment each) finish sooner than
#: one: on an idle 2-core machine 10k papers took 11.7 s instead of 18.0 s, 2k papers 2.9 s
#: instead of 4.4 s (~10% more CPU). Smaller ingests, the usual incremental ones, keep to one
#: process and one new segment.
MULTIPROCESS_FROM = 5_000

SNIPPET_CHARS = 220

#: Bounds of a query. Whoosh's query parser and ranking take time that grows faster than the
#: query (a 100 KB word: 72 s; 3,000 OR terms: 13 s to rank); below these a query runs in a
#: tenth of a second or less at 100k papers. Nobody types more; a script gets a clear error.
MAX_QUERY_CHARS = 1_000
MAX_QUERY_WORDS = 100
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

__all__ = ["Library", "IndexBusy"]


class Library:
    """The paper library in one data directory."""

    def __init__(self, locations: Locations) -> None:
        self.locations = locations
        locations.data_dir.mkdir(parents=True, exist_ok=True)
        self.records = RecordStore(locations.library_db)
        self.index = PaperIndex(locations.index_dir)
        #: tag -> ids of the papers bookmarked with it, for ``tag:`` in a query. Bookmarks are
        #: not the library's: services (search/services.py) hand in the bookmark store's.
        self.tag_ids: Callable[[str], frozenset[str]] | None = None

    def close(self) -> None:
        self.index.close()
        self.records.close()

    # -- reading -----------------------------------------------------------------------------

    def count(self) -> int:
        return self.records.count()

    def is_empty(self) -> bool:
        return not self.records.has_papers()

    def generation(self) -> int:
        """Bumps whenever an ingest commits; poll it to notice new data."""
        return self.records.generation()

    def get(self, paper_id: str) -> Paper | None:
        """A paper by its id, its arXiv id (any version, ``arXiv:`` prefix), its arxiv.org abs
        or pdf link or its huggingface.co/papers link."""
        found = self.records.get(paper_id.strip())
        if found is None:
            ref = paper_ref(paper_id)
            found = self.records.get(ref) if ref else None
        return found

    def get_many(self, ids: Sequence[str]) -> list[Paper]:
        return self.records.get_many(ids)

    def find_by_title(self, title: str) -> Paper | None:
        return self.records.find_by_title(title)

    def search(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008 - frozen, safe as a default
        sort: str = "relevance",
        limit: int | None = 20,
        snippets: bool = False,
        *,
        all_ids: bool = True,
    ) -> SearchResult:
        """Run a query ("" = every paper; the syntax of :mod:`search.query_fields`: words,
        phrases, fields, ``-word``, a paper's id or link). Raises QueryError for a query it
        cannot read as meant, with a message fit for the user.

        ``limit`` hits come with their papers; ``ids`` holds every match in order, or with
        ``all_ids=False`` (a front end that shows one page) only the hits' ids, which spares
        sorting the whole list.
        """
        clock = _Stopwatch()
        check_query_size(query)
        meant = interpret(query)
        filters = self._narrowed(filters, meant)
        self._ensure_index()
        clock.lap("open index")
        found = self.index.search(
            spell_symbols(meant.text), filters, sort, limit, all_ids=all_ids, lap=clock.lap
        )
        papers = {p.id: p for p in self.records.get_many([i for i, _ in found.first])}
        clock.lap("read papers")
        stems = {text for field, text in found.terms if field in ("title", "abstract")}
        hits = []
        for pid, score in found.first:
            paper = papers.get(pid)
            if paper is None:  # index ahead of the store for a moment (ingest mid-way)
                continue
            snippet, spans = self._snippet(paper.abstract, stems) if snippets else ("", ())
            hits.append(SearchHit(paper, score, snippet, spans))
        clock.lap("highlight")
        words = tuple(dict.fromkeys(text for _, text in found.terms))
        return SearchResult(
            query=query,
            sort=sort,
            filters=filters,
            total=found.total,
            hits=tuple(hits),
            ids=found.ids,
            terms=words,
            order=found.order,
            elapsed_ms=clock.total_ms(),
            timings=tuple(clock.laps),
            capped=found.capped,
        )

    def _narrowed(self, filters: Filters, meant: Interpreted) -> Filters:
        """``filters`` narrowed to the paper a query names, or to the papers with its tags."""
        allowed: frozenset[str] | None = None
        if meant.paper is not None:
            paper = self.records.get(meant.paper)
            allowed = frozenset({paper.id}) if paper else frozenset()
        for tag in meant.tags:
            if self.tag_ids is None:
                raise QueryError("tag: needs the bookmarks, which this search was not given")
            tagged = self.tag_ids(tag)
            allowed = tagged if allowed is None else allowed & tagged
        if allowed is None:
            return filters
        if filters.ids is not None:
            allowed &= filters.ids
        return replace(filters, ids=allowed)

    def _snippet(self, text: str, stems: set[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The stretch of ``text`` with the most matched words, and their spans in it."""
        if not text:
            return "", ()
        matches = match_spans("abstract", text, stems)
        if not matches:
            cut = _cut(text, 0, SNIPPET_CHARS)
            return cut, ()
        best_start, best_count = matches[0][0], 0
        for i, (s, _) in enumerate(matches):
            count = sum(1 for s2, e2 in matches[i:] if e2 <= s + SNIPPET_CHARS - 40)
            if count > best_count:
                best_start, best_count = s, count
        start = max(0, text.rfind(" ", 0, max(0, best_start - 40)) + 1) if best_start > 40 else 0
        snippet = _cut(text, start, SNIPPET_CHARS)
        prefix = "…" if start > 0 else ""
        spans = tuple(
            (s - start + len(prefix), e - start + len(prefix))
            for s, e in matches
            if s >= start and e <= start + len(snippet.rstrip("…"))
        )
        return prefix + snippet, spans

    def similar(self, paper_id: str, limit: int = 5) -> list[Paper]:
        """Papers like this one (more-like-this over title and abstract)."""
        paper = self.get(paper_id)
        if paper is None:
            return []
        self._ensure_index()
        return self.records.get_many(self.index.similar(paper, limit))

    def facets(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008
    ) -> dict[str, dict[str, int]]:
        """Counts by year, dump kind and category over the papers matching query and filters."""
        check_query_size(query)
        meant = interpret(query)
        filters = self._narrowed(filters, meant)
        self._ensure_index()
        return self.index.facets(spell_symbols(meant.text), filters)

    def month_counts(
        self,
        query: str,
        filters: Filters = Filters(),  # noqa: B008
    ) -> dict[str, int]:
        """Papers matching query and filters per month of their date (``YYYY-MM`` → count, in
        month order; months without papers are absent). Raises QueryError for a bad query.

        The query is read as :meth:`search` reads it (fields, ids, ``tag:``, the same errors),
        so that a chart counts what the search shows."""
        check_query_size(query)
        meant = interpret(query)
        filters = self._narrowed(filters, meant)
        self._ensure_index()
        return self.index.month_counts(spell_symbols(meant.text), filters)

    def featured_bounds(self) -> tuple[date | None, date | None]:
        """The first and the last day Hugging Face featured any paper of the library on."""
        self._ensure_index()
        return self.index.featured_bounds()

    def stats(self) -> dict:
        counts = self.facets("")
        return {
            "papers": self.count(),
            "files": self.records.file_count(),
            "by_kind": counts["kind"],
            "by_year": dict(sorted(counts["year"].items(), reverse=True)),
            "top_categories": dict(list(counts["category"].items())[:20]),
            "pending_index": self.records.pending_count(),
            "data_dir": str(self.locations.data_dir),
        }

    def index_outdated(self) -> bool:
        """Whether the next read rebuilds the index from the records first (an index written
        by another version, or none): at a million papers that is many minutes, so front ends
        say so before they start."""
        return self.index.needs_rebuild() and self.records.has_papers()

    def _ensure_index(self) -> None:
        """An index of an old schema (or none) is rebuilt from the records before use."""
        if self.index_outdated():
            self.reindex()

    # -- writing -----------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        fmt: str | None = None,
        as_of: date | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
        wait: float = 0.0,
    ) -> IngestReport:
        """Read dumps into the library. Unchanged files are skipped without being read.

        Raises ``search.lock.IngestRunning`` when another ingest holds the library for longer
        than ``wait`` seconds, and ``IndexBusy`` if the index stays locked.
        """
        # Parsers load only for ingest.
        from paperbrowse.search.dumps import iter_dump_files

        started = time.perf_counter()
        report = IngestReport()
        with IngestLock(self.locations.lock_file, wait=wait):
            self.records.begin_ingest()  # papers new to the library arrive now
            if rebuild:
                self.records.clear()
                self.index.create()
                # Fetched dumps are part of the library's sources, whatever else is named.
                if self.locations.dumps_dir.is_dir():
                    paths = [*paths, self.locations.dumps_dir]
            elif self.index.needs_rebuild():
                self.index.create()
                self.records.mark_all_new()
            # A previous ingest may have died after the index committed but before the store
            # heard of it: papers it added are then replaced rather than added twice.
            self.records.assume_possibly_indexed()
            # Absolute paths: a paper's sources must name its dumps from anywhere.
            given = [Path(p).resolve() for p in paths]
            named = {p for p in given if not p.is_dir()}
            for path in iter_dump_files(given):
                report.files += 1
                self._ingest_file(path, fmt, as_of, report, progress, named=path in named)
            self._index_pending(progress)
            # The app's first screen, made now rather than by its next start (derived data: a
            # disk that fails it fails nothing else).
            try:
                self.index.prepare_first_screen()
            except OSError:
                pass
        self.records.bump_generation()
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(
        self,
        path: Path,
        forced: str | None,
        as_of: date | None,
        report: IngestReport,
        progress: Progress | None,
        *,
        named: bool,
    ) -> None:
        """One file; ``named``: given on the command line (not met walking a folder)."""
        from paperbrowse.search.dumps import is_plainly_other, read_dump
        from paperbrowse.search.dumps.filekind import not_a_dump_file, refused_by_shape

        # The name shown and stored in papers (escaped), and the key the manifest finds the
        # file by: its text, or its bytes when the name is not UTF-8 (SQLite cannot hold lone
        # surrogates as text; a BLOB keeps the name exactly).
        name = path_text(path)
        key = file_key(path)
        try:
            st = os.stat(path)
        except OSError as exc:
            self._skip(report, name, f"cannot read: {exc.strerror or exc}")
            return
        # Before anything opens the file: a FIFO would block the open (holding the ingest
        # lock) and a device or a sparse giant would be hashed for ever.
        refused = not_a_dump_file(st)
        if refused:
            self._skip(report, name, refused)
            return
        shape = refused_by_shape(path, st)
        if shape:
            if not named and is_plainly_other(path):  # a disk image kept beside the dumps
                report.files_other.append(name)
            else:
                self._skip(report, name, shape)
            return
        detected = forced or detect_quietly(path)
        if detected is None and not named and is_plainly_other(path):
            # A README or a PDF kept beside the dumps: counted, not a failure. A file named on
            # the command line is still an error if it is not a dump.
            report.files_other.append(name)
            return
        known = self.records.file_row(key)
        if (
            known is not None
            and known.complete
            and known.size == st.st_size
            and known.mtime_ns == st.st_mtime_ns
        ):
            report.files_unchanged += 1
            return
        # A complete file that is longer now may only have grown (a newer arXiv snapshot keeps
        # the older one's lines and adds papers at the end): the digest pass also digests the
        # part it had, to read on from there instead of reading it all again.
        grown = known is not None and known.complete and st.st_size > known.size
        try:
            scan = digest_and_lines(path, prefix=known.size if grown and known else None)
        except OSError as exc:
            self._skip(report, name, f"cannot read: {exc.strerror or exc}")
            return
        digest, lines = scan.digest, scan.lines
        if known is not None and known.complete and known.digest == digest:
            self.records.touch_file(known.id, st.st_size, st.st_mtime_ns)
            report.files_unchanged += 1
            return
        # (offset, first line, next record position, papers so far) to read on from, or None.
        resume = None
        if grown and known is not None:
            resume = self._resume_point(path, known, scan, detected, forced)

        problems = Problems()
        notes: list[ParseNote] = []
        papers_in_file = 0
        with self.records.transaction() as db:
            # Marked incomplete until its last record is in: a crash while reading (or reading
            # on) leaves a file the next ingest reads again from the start.
            file_id = self.records.begin_file(
                db, key, st.st_size, st.st_mtime_ns, digest, detected or "unknown"
            )
            if resume is None:
                # Kept in SQLite, not in sets: memory stays flat however long the file is.
                self.records.remember_old_papers(db, file_id)
                self.records.drop_records(db, file_id)
            else:
                self.records.no_old_papers(db)
        # One guarded iterator for the whole file: a fresh guarded() per batch would close the
        # parser when the previous wrapper is collected (yield from forwards close()), silently
        # ending the file after the first batch.
        if resume is None:
            dump = read_dump(path, forced, as_of)
            seq = 0
        else:
            from paperbrowse.search.dumps.arxiv_jsonl import read_appended

            offset, first_line, seq, papers_in_file = resume
            dump = read_appended(path, offset, first_line)
            lines = scan.lines_after
        items = iter(guarded(dump, name, problems))
        if name != str(path):
            items = under_name(items, name)
        # JSON lines hold one paper a line: the count gives the bar a total, hence an ETA.
        read_total = report.papers_read + lines if detected == "arxiv-jsonl" else None
        finished = False
        while not finished:
            with self.records.transaction() as db:
                for item in items:
                    if isinstance(item, ParseProblem):
                        problems.append(item)
                        continue
                    if isinstance(item, ParseNote):
                        notes.append(item)
                        continue
                    item = without_controls(item)  # whatever field a parser left uncleaned
                    try:
                        pid, what = self.records.add_record(db, file_id, seq, item)
                    except UnicodeEncodeError:
                        # A lone surrogate (a JSON "\\ud800" escape with no pair) cannot be
                        # stored or shown: mark the spot and keep the record. Nothing was
                        # written before the failure (text is encoded before each statement).
                        item = without_surrogates(item)
                        problems.append(
                            ParseProblem(
                                name,
                                "invalid Unicode (a lone surrogate) replaced by U+FFFD",
                                record=f"record {seq + 1}",
                            )
                        )
                        pid, what = self.records.add_record(db, file_id, seq, item)
                    # A paper new to the library cannot have been seen earlier in this file.
                    first = what == "new" or not self.records.seen_in_file(db, file_id, pid, seq)
                    seq += 1
                    report.papers_read += 1
                    if first:
                        papers_in_file += 1
                        if what == "new":
                            report.papers_new += 1
                        elif self.records.fed_before(db, pid):
                            report.papers_updated += what == "changed"
                        else:
                            report.papers_merged += 1
                    if seq % READ_BATCH == 0:
                        break
                else:
                    # The file is done: papers it no longer mentions lose its contribution.
                    for pid in self.records.no_longer_fed(db, file_id):
                        self.records.recompute(db, pid)
                    # A file that gave nothing but problems, or whose reading stopped early
                    # (a parser bug, a record too deep to read), stays unfinished: the next
                    # ingest reads it again and reports it again.
                    skipped = seq == 0 and problems
                    if not skipped and not any(p.stopped for p in problems):
                        self.records.finish_file(db, file_id, papers_in_file)
                    finished = True
            if progress:
                progress("read", report.papers_read, read_total)
        if problems.unlisted:
            list.append(
                problems,
                ParseProblem(name, f"{problems.unlisted:,} more problems, not listed one by one"),
            )
        report.problems.extend(problems)
        report.notes.extend(notes)
        if seq == 0 and problems:
            report.files_skipped.append((name, problems[0].message))

    def _resume_point(
        self,
        path: Path,
        known: KnownFile,
        scan: Scan,
        detected: str | None,
        forced: str | None,
    ) -> tuple[int, int, int, int] | None:
        """Where to read a grown snapshot on from: (byte offset, its line number, the next
        record position, papers the file gave so far), or None to read it all. Only JSON lines
        of bytes, only when the part read last time is byte for byte the same (its digest) and
        ended at a line's end (else its last line grew)."""
        from paperbrowse.search.dumps.decode import SNIFF_BYTES, line_encoding

        if detected != "arxiv-jsonl" or forced not in (None, "arxiv-jsonl"):
            return None
        if scan.prefix_digest != known.digest or not scan.prefix_ends_line:
            return None
        fmt, papers, next_seq = self.records.appended_state(known.id)
        if fmt != "arxiv-jsonl":
            return None
        with path.open("rb") as f:
            if line_encoding(f.read(SNIFF_BYTES)) is not None:  # UTF-16/32: decoded whole
                return None
        return known.size, scan.prefix_lines + 1, next_seq, papers

    @staticmethod
    def _skip(report: IngestReport, name: str, reason: str) -> None:
        """A file not read at all: one problem line, and a place in the summary's skipped."""
        report.problems.append(ParseProblem(name, reason))
        report.files_skipped.append((name, reason))

    def _index_pending(self, progress: Progress | None) -> None:
        """Phase 2: write every flagged paper to the index; unflag what the index committed."""
        removed = self.records.removed_ids()
        total = self.records.pending_count()
        if not total and not removed:
            return
        procs = 2 if total >= MULTIPROCESS_FROM and (os.cpu_count() or 1) > 1 else 1
        done = 0
        batches = self.records.pending_batches(1000)
        exhausted = False
        first = True
        while not exhausted:
            committed: list[str] = []
            with self.index.writer(procs=procs) as w:
                if first:
                    w.delete(removed)
                    first = False
                for batch in batches:
                    for paper, state in batch:
                        if state == NEW:
                            w.add(paper)
                        else:
                            w.replace(paper)
                        committed.append(paper.id)
                    done += len(batch)
                    if progress:
                        progress("index", done, total)
                    if len(committed) >= INDEX_COMMIT_EVERY:
                        break
                else:
                    exhausted = True
            self.records.mark_indexed(committed)
        self.records.clear_removed(removed)

    def reindex(self) -> None:
        """Re-create the index from the record store (no dump is read)."""
        with IngestLock(self.locations.lock_file, wait=60.0):
            self.index.create()
            self.records.mark_all_new()
            self._index_pending(None)
        self.records.bump_generation()


def check_query_size(query: str) -> None:
    """Raise QueryError for a query beyond MAX_QUERY_CHARS or MAX_QUERY_WORDS (the message
    does not echo the query: it may be 100 KB)."""
    text = query.strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})")
    words = sum(1 for w in text.split() if w not in _OPERATORS)
    if words > MAX_QUERY_WORDS:
        raise QueryError(f"query has too many words ({words:,}; at most {MAX_QUERY_WORDS})")


class _Stopwatch:
    """Milliseconds spent in each step of a call, in order."""

    def __init__(self) -> None:
        self.start = self._last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.laps.append((step, (now - self._last) * 1000))
        self._last = now

    def total_ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000


def _cut(text: str, start: int, length: int) -> str:
    """``length`` characters of ``text`` from ``start``, ending at a word boundary."""
    piece = text[start : start + length]
    if start + length >= len(text):
        return piece
    space = piece.rfind(" ")
    return (piece[:space] if space > length // 2 else piece) + "…"
