"""The index on disk: opening, creating, the shared searcher and its refresh, and writers.

An index records the :data:`SCHEMA_VERSION` it was built with; any other version (or no index)
means "rebuild me" to the library, which re-creates it from its records.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from paperbrowse.search.engine import whoosh_private, whoosh_terms
from paperbrowse.search.engine.cache import SearcherCache
from paperbrowse.search.engine.queries import QueryParser
from paperbrowse.search.engine.schema import (
    PAIRED_FIELDS,
    SCHEMA_VERSION,
    build_schema,
    document,
    pair_field,
)
from paperbrowse.search.models import Paper
from whoosh import index
from whoosh.index import EmptyIndexError, LockError


class IndexBusy(RuntimeError):
    """Another process holds the index's write lock for longer than we wait."""


class IndexStore:
    """One index directory: its searcher (kept current) and the cache that goes with it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ix = None
        #: Which index on disk ``_ix`` is (see :meth:`_identity`).
        self._opened: tuple[int, int] | None = None
        self._searcher = None
        self._cache: SearcherCache | None = None
        self._parser: QueryParser | None = None

    # -- opening -----------------------------------------------------------------------------

    def _version_file(self) -> Path:
        return self.path / "SCHEMA_VERSION"

    def needs_rebuild(self) -> bool:
        """True when there is no usable index of the current schema version."""
        try:
            version = int(self._version_file().read_text().strip())
        except (OSError, ValueError):
            return True
        if version != SCHEMA_VERSION:
            return True
        return not _exists_in(self.path)

    def create(self) -> None:
        """Start an empty index (dropping any old one)."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        index.create_in(str(self.path), build_schema())
        tmp = self._version_file().with_suffix(".tmp")
        tmp.write_text(str(SCHEMA_VERSION))
        os.replace(tmp, self._version_file())

    def _identity(self) -> tuple[int, int] | None:
        """Which index is on disk: :meth:`create` writes a new version file every time."""
        try:
            st = self._version_file().stat()
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns

    def _open(self):
        if self._ix is None:
            if self.needs_rebuild():
                self.create()
            self._ix = whoosh_terms.MappedTermsStorage(str(self.path)).open_index()
            self._opened = self._identity()
        return self._ix

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def searcher(self):
        """A shared searcher, refreshed when another writer has committed since."""
        if self._ix is not None:
            current = self._identity()
            if current is not None and current != self._opened:
                # Another process re-created the index (ingest --rebuild): its generation numbers
                # start again, so up_to_date() could call the deleted index current. Reopen it;
                # the old searcher is left open for results still holding it.
                try:
                    self._ix = whoosh_terms.MappedTermsStorage(str(self.path)).open_index()
                    self._opened = current
                    self._searcher = None
                except (EmptyIndexError, OSError):
                    pass  # caught mid-creation: keep the last good view, retry next time
        ix = self._open()
        if self._searcher is None:
            self._searcher = ix.searcher()
        elif not self._searcher.up_to_date():
            try:
                self._refresh()
            except (EmptyIndexError, OSError):
                pass  # the index is being re-created: keep the last good view meanwhile
        if self._cache is None or self._cache.searcher is not self._searcher:
            self._cache = SearcherCache(self._searcher, self.path)
        return self._searcher

    def cache(self) -> SearcherCache:
        """Doc sets, orders and postings cached for the current searcher."""
        self.searcher()
        return self._cache  # type: ignore[return-value]

    def parser(self) -> QueryParser:
        if self._parser is None:
            self._parser = QueryParser(self._open().schema)
        return self._parser

    def schema(self):
        return self._open().schema

    # -- writing -----------------------------------------------------------------------------

    @contextmanager
    def writer(self, *, procs: int = 1) -> Iterator[IndexWriter]:
        """A writer that commits on normal exit and on KeyboardInterrupt (what was added so far
        stays searchable), and cancels on any other error. Waits up to 30 s for the write lock."""
        ix = self._open()
        # compound=False: Whoosh opens a compound segment by copying each of its parts into
        # memory (BytesIO over the mmap): 160 ms and ~450 MB at 100k papers for every process
        # that searches. Plain segment files are read in place.
        # The codec writes the same bytes as Whoosh's default one, with less CPU (FastW3Codec).
        options = {
            "limitmb": 256,
            "timeout": 30.0,
            "compound": False,
            "codec": whoosh_private.FastW3Codec(),
        }
        try:
            if procs > 1:
                writer_class = whoosh_private.mp_writer_class(
                    _worker_started, use_fast_pool, _interrupts_held
                )
                w = writer_class(ix, procs=procs, multisegment=True, **options)
            else:
                from whoosh.writing import SegmentWriter  # (ix.writer() imports it the same way)

                w = SegmentWriter(ix, **options)
            use_fast_pool(w)
        except LockError as exc:
            raise IndexBusy(
                f"the index in {self.path} stays locked by another paperbrowse process; "
                "try again when it is done"
            ) from exc
        wrapper = IndexWriter(w)
        try:
            yield wrapper
        except KeyboardInterrupt:
            w.commit()
            raise
        except BaseException:
            w.cancel()
            raise
        else:
            try:
                w.commit()
            except BaseException:
                _abandon(w)  # e.g. disk full: the old index stays; the lock must not
                raise
        if self._searcher is not None:
            self._refresh()

    def _refresh(self) -> None:
        """Move the shared searcher to the index's latest commit."""
        # Always a new searcher, never Whoosh's ``refresh()``: it reuses the old segment
        # readers, so papers that an ingest replaced stayed live in their old segment
        # (whoosh-reloaded 2.7.5 compares segments by id, not by their deletions): duplicates in
        # every result until the process restarted. Opening costs a few milliseconds. The old
        # searcher is left to the garbage collector: a result may still read through it.
        self._searcher = self._open().searcher()

    def doc_count(self) -> int:
        return self.searcher().doc_count()


class IndexWriter:
    """Adds, replaces and removes papers; owned by :meth:`IndexStore.writer`."""

    def __init__(self, writer) -> None:
        self._w = writer
        # An index made with stock fields (by an older paperbrowse, same version) has no
        # word-pair fields: it is written without them, and its phrases matched word by word.
        self._pairs = all(pair_field(name) in writer.schema for name in PAIRED_FIELDS)

    def add(self, paper: Paper) -> None:
        """A paper the index has never seen (no look-up for an old copy: twice as fast)."""
        self._w.add_document(**document(paper, self._pairs))

    def replace(self, paper: Paper) -> None:
        self._w.delete_by_term("id", paper.id)
        self._w.add_document(**document(paper, self._pairs))

    def delete(self, ids: Iterable[str]) -> None:
        for paper_id in ids:
            self._w.delete_by_term("id", paper_id)


def build_stock_index(path: Path, papers: Iterable[Paper]) -> int:
    """The benchmark's naive baseline: ``papers`` through one default single-process Whoosh
    writer over stock TEXT fields with the same analyzers (paperbrowse's own schema computes
    the same postings faster: see search/engine/analysis.py). Returns the papers written."""
    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    ix = index.create_in(str(path), build_schema(stock=True))
    writer = ix.writer()
    n = 0
    for paper in papers:
        writer.add_document(**document(paper, pairs=False))
        n += 1
    writer.commit()
    return n


def use_fast_pool(writer) -> None:
    """Give a Whoosh writer that holds no posting yet a :class:`FastPostingPool`."""
    # Here, not at the top: only writers need it, and a cold `paperbrowse search` would pay
    # for its imports (secrets, hmac) for nothing.
    from paperbrowse.search.engine.posting_sort import FastPostingPool

    pool = writer.pool
    if not isinstance(pool, FastPostingPool) and not pool.current and not pool.runs:
        writer.pool = FastPostingPool(pool.tempstore, pool.segment, limitmb=pool.limit // 2**20)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while a writer process is forked, and acted on once the fork is done.

    Two windows lost a Ctrl-C or printed a traceback. (1) Between the fork and the worker's
    first line of code, the worker died of it in multiprocessing's bootstrap: SIGINT is
    blocked here, so the worker is born with it blocked and ignores it first thing
    (_worker_started). (2) A Ctrl-C that lands on another thread (the queue's feeder thread)
    during the fork ran the handler inside a fork callback, where its KeyboardInterrupt is
    printed as "Exception ignored" and lost: meanwhile the handler only takes note, and the
    real one runs after the fork, at a point where it can stop the ingest.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        # Signal handlers run in the main thread only; blocking here still covers window 1.
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        return
    caught: list[int] = []
    handler = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        # A Ctrl-C held by the mask arrives now, to the note-taker, at one of these lines.
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        signal.signal(signal.SIGINT, handler)
    if caught:
        if callable(handler):
            handler(signal.SIGINT, None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


def _worker_started() -> None:
    """First thing in a writer worker process.

    Forked workers inherit the open files that hold the ingest lock and the index's write
    lock. When an ingest was killed (kill -9, OOM killer, a closed terminal), its workers lived
    on, holding both locks: every later ingest reported "another ingest is running" until they
    were found and killed by hand. So a worker dies with its parent.
    """
    _die_with_parent()
    # Ctrl-C in a terminal reaches the whole process group. A worker that died of it left the
    # parent's commit waiting for its results forever; the parent decides (it commits what the
    # workers have, see IndexStore.writer). The worker was forked with SIGINT blocked (see
    # whoosh_private.mp_writer_class): one sent since stays pending until it is ignored here,
    # and is then discarded.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent() -> None:
    """End this process when its parent ends: the kernel's parent-death signal where there is
    one (Linux), else a thread watching the parent's pid."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL) == 0:
            if os.getppid() != parent:  # the parent died before the signal was armed
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _exists_in(path: Path) -> bool:
    """Whoosh's ``exists_in``, safe while another process commits.

    It lists the table-of-contents files and then reads the newest; a commit in between
    replaces that file (FileNotFoundError). A listed TOC means an index: never report "none"
    for that, since the caller would then re-create the index under the writer.
    """
    for _ in range(5):
        try:
            return index.exists_in(str(path))
        except FileNotFoundError:
            continue
        except (ImportError, AttributeError):
            # Its table of contents pickles the schema with the names of the classes in it: an
            # index written when paperbrowse's modules had other names (``search.engine`` before
            # ``paperbrowse.search.engine``) cannot be read. It is derived data: "none", so
            # that it is rebuilt from the record store, rather than a traceback on every run.
            return False
    return True


def _abandon(writer) -> None:
    """Drop a writer whose commit failed, releasing its write lock even if cancel fails."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - half-committed; only the lock matters now
        lock = getattr(writer, "writelock", None)
        if lock is not None and getattr(lock, "fd", None) is not None:
            lock.release()
