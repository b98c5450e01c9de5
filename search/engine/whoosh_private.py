"""Every read of Whoosh's private attributes, for whoosh-reloaded 2.7.5 only.

paperbrowse reads and writes Whoosh's structures faster than Whoosh's public API does: posting
blocks a block at a time, columns in one read, a new segment's postings a term at a time, its
own worker processes for the multiprocess writer. Those shortcuts use attributes and methods
Whoosh does not promise to keep (``m._data``, ``raw._dbfile``, ``reader._perdoc``,
``weighting._field_B``, ``query._btexts``, the W3 field writer's state…). They are all here,
and this module refuses to load under any other Whoosh version: an upgrade is a change whose
gate is the same-answer tests (tests/test_index_fast_paths.py, tests/test_fast_writer.py,
tests/test_analysis.py), run against the new version before :data:`TESTED_VERSION` moves.

The term dictionaries' hash-file layout is read in :mod:`search.engine.whoosh_terms`, which
imports this module for its version gate.

(Query classes elsewhere in the package *override* the hook Whoosh calls by its private name,
``_btexts``; reading it goes through :func:`expansion_terms` / :func:`stock_expansion`.)
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import pickle
import re
import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, islice
from pickle import loads
from typing import Any

import whoosh
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3Segment,
    W3TermInfo,
    _lenfield,
)
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

#: The Whoosh release whose internals this module was written and tested against.
TESTED_VERSION = (2, 7, 5)

if tuple(whoosh.__version__[:3]) != TESTED_VERSION:
    raise ImportError(
        f"paperbrowse reads internals of whoosh-reloaded {'.'.join(map(str, TESTED_VERSION))}, "
        f"but Whoosh {whoosh.versionstring()} is installed: install the pinned version "
        "(pip install -e .), or port search/engine/whoosh_private.py and pass the same-answer "
        "tests before moving the pin"
    )

__all__ = [
    "LENGTHS_COLUMN",
    "FastW3Codec",
    "byte_to_length",
    "decode_positions",
    "expansion_terms",
    "field_b",
    "id_column_values",
    "length_bytes",
    "mp_writer_class",
    "numeric_column_array",
    "segment_postings",
    "stock_expansion",
]


# -- queries ---------------------------------------------------------------------------------


def expansion_terms(q, reader) -> list:
    """The index terms a multi-term query (prefix, wildcard, fuzzy, range) stands for: Whoosh's
    ``_btexts``, which paperbrowse's bounded expansions override (search/engine/queries.py)."""
    return list(q._btexts(reader))


def stock_expansion(cls: Any, q: Any, reader: Any) -> list:
    """``cls``'s own expansion of ``q`` (the unbounded one a bounded subclass starts from)."""
    return list(cls._btexts(q, reader))


def field_b(weighting, field: str) -> float:
    """BM25F's ``B`` for one field (Whoosh keeps per-field values in ``_field_B``)."""
    return weighting._field_B.get(field, weighting.B)


# -- reading segments ------------------------------------------------------------------------


def id_column_values(column) -> list[str]:
    """Every value of a segment's id column (Whoosh's variable-length bytes column), sliced out
    of one read of its data; any other kind of column is read value by value."""
    raw = column.raw_column() if hasattr(column, "raw_column") else None
    needed = ("_dbfile", "_basepos", "_offsets", "_lengths")
    if raw is None or not all(hasattr(raw, name) for name in needed):
        return list(column)
    offsets, lengths = raw._offsets, raw._lengths
    if not len(lengths):
        return []
    end = max(o + n for o, n in zip(offsets, lengths, strict=True))
    blob = raw._dbfile.get(raw._basepos, end)
    return [blob[o : o + n].decode("utf-8") for o, n in zip(offsets, lengths, strict=True)]


def numeric_column_array(raw) -> array | None:
    """All values of a Whoosh numeric column as an array, straight from its stored bytes (no
    Python int per value until one is read: a million-value column in ~2 ms), or None for
    another kind of column or a type whose array item differs in size from the stored one."""
    needed = ("_typecode", "_dbfile", "_basepos", "_count", "_doccount", "_default", "_fixedlen")
    if not all(hasattr(raw, name) for name in needed):
        return None
    code = raw._typecode
    try:
        values = array(code)
    except (TypeError, ValueError):
        return None
    if values.itemsize != struct.calcsize(f"!{code}") or values.itemsize != raw._fixedlen:
        return None
    values.frombytes(bytes(raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen)))
    if sys.byteorder == "little" and values.itemsize > 1:
        values.byteswap()  # Whoosh writes numeric columns big-endian
    values.extend(array(code, [raw._default]) * (raw._doccount - raw._count))
    return values


def length_bytes(reader, field: str) -> bytes:
    """The field-length byte of every document of one segment (0: none stored), as bytes.

    The column stores one unsigned byte a document, so its stored bytes are the values: kept
    as they are, not unpacked into a list of ints (45 ms of every scored cold query at 1M
    papers, five fields of 1M values; indexing bytes gives the same ints)."""
    count = reader.doc_count_all()
    name = _lenfield(field)
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not perdoc.has_column(name):
        return bytes(count)
    raw = perdoc.column_reader(name, LENGTHS_COLUMN)
    values = numeric_column_array(raw)
    return values.tobytes() if values is not None and values.typecode == "B" else bytes(list(raw))


def segment_postings(
    reader, field: str, btext: bytes, values: bool, offset: int = 0
) -> Iterator[tuple]:
    """(doc numbers, weights, values or None) of a term in one segment, a block at a time; the
    doc numbers plus ``offset`` (the segment's first in a multi-segment index), added while
    the deltas are summed, at C speed (a list comprehension per posting cost ~0.1 s for two
    common words at 1M papers)."""
    m = reader.postings(field, btext)
    if not all(hasattr(m, a) for a in ("_read_ids", "_read_weights", "_next_block", "_lastblock")):
        # A segment with deletions (a filtering wrapper) or a short list stored inline with the
        # term: walk it posting by posting.
        ids = array("I")
        weights = array("f")
        vals: list | None = [] if values else None
        while m.is_active():
            ids.append(m.id() + offset)
            weights.append(m.weight())
            if vals is not None:
                vals.append(m.value())
            m.next()
        if ids:
            yield ids, weights, vals
        return
    # The W3 codec's block matcher: one unpickled tuple per block of postings; its delta-coded
    # doc numbers are summed at C speed (Whoosh's own decoding is a Python generator, a step
    # per posting).
    while m.is_active():
        quick = None if values or m._byteids or m._data is not None else _ids_and_weights(m, offset)
        if quick is not None:
            yield quick
        else:
            if m._data is None:
                m._read_data()
            if m._byteids:
                m._read_ids()
                ids = array("I", m._ids)
                if offset:
                    ids = array("I", [d + offset for d in ids])
            else:
                ids = _summed(m._data[0], offset)
            m._read_weights()
            if values:
                m._read_values()
            yield ids, m._weights, (m._values if values else None)
        if m._lastblock:
            break
        m._next_block()


def segment_values_of(reader, field: str, btext: bytes, wanted: Sequence[int]) -> Iterator[tuple]:
    """(doc numbers, values) of the blocks of a term in one segment that hold one of the
    ``wanted`` doc numbers (sorted, the segment's own): a block whose doc range (after the
    previous block's last doc, up to its own last, both in its header) holds none is skipped
    without reading its data."""
    m = reader.postings(field, btext)
    fields = ("_read_data", "_maxid", "_next_block", "_lastblock")
    if not all(hasattr(m, a) for a in fields) or m._byteids:
        # A segment with deletions or a short inline list: posting by posting.
        want = set(wanted)
        ids: list[int] = []
        vals: list = []
        while m.is_active():
            if m.id() in want:
                ids.append(m.id())
                vals.append(m.value())
            m.next()
        if ids:
            yield ids, vals
        return
    last = -1
    while m.is_active():
        i = bisect.bisect_right(wanted, last)
        if i < len(wanted) and wanted[i] <= m._maxid:
            if m._data is None:
                m._read_data()
            m._read_values()
            yield list(accumulate(m._data[0])), m._values
        last = m._maxid
        if m._lastblock:
            break
        m._next_block()


#: The start of a W3 block's pickle (protocol 2) up to the end of its weights: the outer
#: 3-tuple is written as its items then TUPLE3, so it opens with the ids' MARK, their delta
#: ints (K: 1 byte, M: 2, J: 4), TUPLE and maybe a memo put (q/r); then the weights: None, one
#: float (G), or MARK, floats, TUPLE, memo. Matched op by op (an alternative consumes an op
#: with its argument), so an argument byte is never taken for an op.
_IDS_WEIGHTS = re.compile(
    rb"\x80\x02\((?:K.|M..|J....)*t(?:q.|r....)?(?:N|G.{8}|\((?:G.{8})*t(?:q.|r....)?)",
    re.DOTALL,
)


def _summed(deltas, offset: int) -> array:
    """Delta-coded doc numbers summed from ``offset`` (C-level iterators only)."""
    if not offset:
        return array("I", accumulate(deltas))
    return array("I", islice(accumulate(deltas, initial=offset), 1, None))


def _ids_and_weights(m, offset: int = 0) -> tuple | None:
    """(doc numbers, weights, None) of the block ``m`` stands at, without its values.

    Whoosh decompresses and unpickles a whole block whatever part is wanted; the values
    (pickled positions, most of a block's bytes) come last. Only the stream's start is
    decompressed (ids and weights take at most 14 bytes a posting), cut after the weights,
    closed with TUPLE2 and STOP, and unpickled: a term's doc set and weights at a tenth of
    the cost. None (the caller decodes the whole block) for any block not laid out as above,
    e.g. one of three postings or fewer (pickled with TUPLEn, no MARK).
    """
    n = m._blocklength
    raw = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
    head = zlib.decompressobj().decompress(raw, 14 * n + 64) if m._compression else raw
    found = _IDS_WEIGHTS.match(head)
    if found is None:
        return None
    try:
        deltas, weights = loads(head[: found.end()] + b"\x86.")
    except Exception:  # noqa: BLE001 - an unexpected layout: decode the whole block instead
        return None
    if type(deltas) is not tuple or len(deltas) != n:
        return None
    if weights is None:
        weights = array("f", [1.0]) * n
    elif type(weights) is float:
        weights = array("f", [weights]) * n
    elif type(weights) is not tuple or len(weights) != n:
        return None
    return _summed(deltas, offset), weights, None


def decode_positions(value: bytes) -> list[int]:
    """Positions of a Whoosh ``Positions`` posting value (its own decoding, at C speed):
    4 bytes of count, then a pickled list of deltas."""
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


# -- writing segments ------------------------------------------------------------------------


class FastW3Codec(W3Codec):
    """Whoosh's default codec, writing a new segment's postings with less CPU.

    A commit spends most of its time in ``FieldWriter.add_postings``: a dozen Python calls per
    posting (type asserts, an on-disk look-up of the document's field length, stat() calls for
    fields without lengths) to fill blocks of 128 postings. :class:`_FastFieldWriter` writes the
    same blocks a term at a time from the sorted posting pool; the files are byte for byte
    those of ``W3Codec`` (tests/test_fast_writer.py). Segments record a plain ``W3Codec``, so
    an index written with this codec holds no trace of it.
    """

    def field_writer(self, storage, segment):
        return _FastFieldWriter(self, storage, segment)

    def new_segment(self, storage, indexname):
        plain = W3Codec(self._blocklimit, self._compression, self._inlinelimit)
        return W3Segment(plain, indexname)


class _FastFieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        # The stock loop handles what this one does not reproduce: postings for spelling words
        # (docnum -1), and lengths from anything but one segment's per-document reader.
        if (lengths is not None and type(lengths) is not W3PerDocReader) or any(
            schema[name].separate_spelling() for name in schema.names()
        ):
            return super().add_postings(schema, lengths, items)
        blocklimit = self._codec._blocklimit
        comp = self._codec._compression
        postfile = self._postfile
        # Nothing else writes to the postings file meanwhile: its offset is counted, and a
        # term's blocks go out in one write.
        offset = postfile.tell()
        tindex_add = self._tindex.add
        lastfn = None
        table: list | None = None
        fixedsize = None
        for (fieldname, btext), group in itertools.groupby(items, _FIELD_AND_TERM):
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                fieldobj = schema[fieldname]
                self.start_field(fieldname, fieldobj)
                fieldid = self._fieldid
                fixedsize = fieldobj.format.fixed_value_size()
                table = _length_table(lengths, fieldname)
                lastfn = fieldname
            _, _, docs, weights, values = zip(*group, strict=True)
            n = len(docs)
            parts = [WHOOSH3_HEADER_MAGIC]
            info = W3TermInfo()
            for start in range(0, n, blocklimit):
                end = min(start + blocklimit, n)
                bdocs = docs[start:end]
                bweights = weights[start:end]
                # Whoosh buffers weights in an array of C floats: its sums and the stored
                # weights are of the rounded values.
                farray = array("f", bweights)
                blens: Sequence[int]
                if table is None:
                    blens = ()
                else:
                    blens = [x for x in map(table.__getitem__, bdocs) if x]
                minlength = min(blens) if blens else None
                maxlength = max(blens) if blens else 0
                maxweight = max(bweights)
                if not maxweight > 0:
                    maxweight = 0
                # W3TermInfo.add_block, with this block's statistics.
                info._weight += sum(farray)
                info._df += end - start
                if info._minlength is None:
                    info._minlength = minlength
                else:
                    info._minlength = min(info._minlength, minlength)
                if start == 0:
                    info._minid = bdocs[0]
                info._maxlength = max(info._maxlength, maxlength)
                info._maxweight = max(info._maxweight, maxweight)
                info._maxid = bdocs[-1]
                # W3PostingsWriter._write_block: (delta ids, weights, values), pickled and
                # compressed; before it, the block's statistics, pickled.
                if all(w == 1.0 for w in farray):
                    miniweights = None
                elif all(w == farray[0] for w in farray):
                    miniweights = farray[0]
                else:
                    miniweights = tuple(farray)
                bvalues = [v for v in values[start:end] if v]
                minivalues: tuple | bytes | None
                if fixedsize is None or fixedsize < 0:
                    minivalues = tuple(bvalues)
                elif fixedsize == 0:
                    minivalues = None
                else:
                    minivalues = b"".join(bvalues)
                ids = (bdocs[0], *map(operator.sub, bdocs[1:], bdocs))
                databytes = pickle.dumps((ids, miniweights, minivalues), 2)
                if comp:
                    databytes = zlib.compress(databytes, comp)
                infobytes = pickle.dumps(
                    (
                        end - start,
                        bdocs[-1],
                        maxweight,
                        comp,
                        _length_byte(minlength),
                        _length_byte(maxlength),
                    ),
                    2,
                )
                blocklength = len(infobytes) + len(databytes)
                parts += (pack_int(-blocklength if end == n else blocklength), infobytes, databytes)
            blob = b"".join(parts)
            postfile.write(blob)
            info.set_extent(offset, len(blob))
            offset += len(blob)
            tindex_add(pack_ushort(fieldid) + btext, info.to_bytes())
        if lastfn is not None:
            self.finish_field()


_FIELD_AND_TERM = operator.itemgetter(0, 1)
#: Whoosh's length byte (a bisection in Python) of the few lengths fields have, remembered.
_length_byte = functools.lru_cache(maxsize=4096)(length_to_byte)


def _length_table(lengths, fieldname: str) -> list | None:
    """Every document's length of ``fieldname`` as Whoosh's ``doc_field_length`` reports it
    (None for a stored length byte of 0), or None when the field stores no lengths (Whoosh
    then reports 0 for every document)."""
    if lengths is None:
        return None
    reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    decoded = [None] + [byte_to_length(b) for b in range(1, 256)]
    return [decoded[b] for b in reader]


@functools.cache
def mp_writer_class(
    worker_started: Callable[[], None], new_writer: Callable, forking: Callable
) -> type:
    """Whoosh's multiprocess writer, whose worker processes call ``worker_started()`` first
    and hand each segment writer to ``new_writer`` before its first posting (see
    :func:`search.engine.store.use_fast_pool`); each is forked inside the context manager
    ``forking()`` returns. Its private hooks (``_new_task``, ``_process_file``) are overridden
    here."""
    from whoosh.multiproc import MpWriter, SubWriterTask

    class Task(SubWriterTask):
        def run(self) -> None:
            worker_started()
            super().run()

        def _process_file(self, filename, doc_count):
            # The segment writer is made in run(): it is adjusted before its first posting.
            new_writer(self.writer)
            super()._process_file(filename, doc_count)

    class Writer(MpWriter):
        def _new_task(self):  # MpWriter._new_task, starting a Task
            task = Task(
                self.storage,
                self.indexname,
                self.jobqueue,
                self.resultqueue,
                self.subargs,
                self.multisegment,
            )
            self.tasks.append(task)
            with forking():
                task.start()
            return task

    return Writer
