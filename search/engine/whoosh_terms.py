"""The index's term dictionaries read straight from their memory-mapped files: look-ups, prefix
walks and term frequencies, for whoosh-reloaded 2.7.5 only.

Each segment's ``.trm`` file is a Whoosh ordered hash file: items (key length, value length,
key, value) one after the other, in key order, then 256 hash tables of slots (key hash, item
position). A prefix's expansion walks the items in order; a fuzzy word's candidates and the
similar papers' words are looked up in the tables, thousands at a time. Whoosh answers each
through four layers of reader objects and a seek and a read per step; here the map is read
directly, and a key's hash (md5, in Python) is computed once for every segment that numbers
its field alike. The part of :mod:`search.engine.whoosh_private` (whose version gate it
shares) that reads Whoosh's hash-file layout; the same-answer tests are
tests/test_expansion_reads.py.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable, Iterator
from typing import Any

from paperbrowse.search.engine import whoosh_private  # noqa: F401 - the version gate
from whoosh.codec.whoosh3 import W3TermsReader
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.system import pack_ushort

__all__ = [
    "MappedTermsStorage",
    "key_terms_from_text",
    "prefix_doc_counts",
    "term_frequencies",
    "term_membership",
]


def _field_tables(ixreader: Any, field: str) -> list[tuple[bytes, Any]] | None:
    """(the key prefix that numbers ``field``, the term table) of each segment of ``ixreader``
    holding terms of the field, in segment order, or None when a segment's terms are not
    Whoosh's W3 hash file (another codec, a closed reader)."""
    tables = []
    for reader, _ in ixreader.leaf_readers():
        if reader.segments() is None or field not in reader.schema:
            continue
        terms = getattr(reader, "_terms", None)
        tindex = getattr(terms, "_tindex", None)
        fieldmap = getattr(terms, "_fieldmap", None)
        if tindex is None or not isinstance(fieldmap, dict) or reader.is_closed:
            return None
        if field in fieldmap:  # else the segment has no term of the field
            tables.append((pack_ushort(fieldmap[field]), tindex))
    return tables


def term_membership(ixreader: Any, field: str) -> Callable[[bytes], bool]:
    """A test of whether any segment of ``ixreader`` holds a term (bytes) of ``field``: what
    ``(field, term) in ixreader`` answers, asked of each segment's term table directly (the
    reader layers cost more than the hashed look-up itself, and a fuzzy word asks thousands of
    times), and not at all of a segment without a term of the field (``keywords`` of an arXiv
    library)."""
    tables = _field_tables(ixreader, field)
    if tables is None:
        return lambda btext: (field, btext) in ixreader  # another codec: Whoosh's way
    # Segments grouped by what a look-up hashes (the field's number + the term, and the hash
    # function): the hash is computed once for all of a group's tables, not once per segment
    # (md5 in Python: at 1M papers, 22 segments, most of ``quantizaton~``'s expansion).
    groups: dict[tuple[bytes, Callable], list[Callable[[bytes, int], bool]]] = {}
    for head, tindex in tables:
        find = _hashed_find(tindex)
        if find is None:  # a table read through the file (not mapped): its own look-up
            groups.setdefault((head, _no_hash), []).append(_unhashed(tindex))
        else:
            groups.setdefault((head, tindex.hashfn), []).append(_found(find))

    def holds(btext: bytes) -> bool:
        for (head, hashfn), probes in groups.items():
            key = head + btext
            keyhash = hashfn(key)
            for probe in probes:
                if probe(key, keyhash):
                    return True
        return False

    return holds


def _no_hash(key: bytes) -> int:
    return 0


def _found(find: Callable[[bytes, int], int]) -> Callable[[bytes, int], bool]:
    def probe(key: bytes, keyhash: int) -> bool:
        return find(key, keyhash) >= 0

    return probe


def _unhashed(tindex: Any) -> Callable[[bytes, int], bool]:
    """A table's own look-up (it hashes the key itself), in the probe's shape."""
    has = tindex.__contains__

    def probe(key: bytes, _keyhash: int) -> bool:
        return has(key)

    return probe


_SLOT = struct.Struct("!Iq")  # a hash slot: the key's hash, the item's position (0: empty)
_ITEM_LENGTHS = struct.Struct("!ii")  # an item: its key's length, its value's length


def _hashed_find(tindex: Any) -> Callable[[bytes, int], int] | None:
    """Where the value of a key whose hash is already known starts in a memory-mapped Whoosh
    hash file (-1: not there): ``HashReader.ranges_for_key``'s walk of the key's slot table,
    read from the map; None when the table is not a mapped hash file of that layout."""
    data = getattr(getattr(tindex, "dbfile", None), "_map", None)
    tables = getattr(tindex, "tables", None)
    if data is None or not isinstance(tables, list) or not callable(getattr(tindex, "hashfn", 0)):
        return None
    slot_at = _SLOT.unpack_from
    lengths_at = _ITEM_LENGTHS.unpack_from
    size = _SLOT.size
    skip = _ITEM_LENGTHS.size

    def find(key: bytes, keyhash: int) -> int:
        start, slots = tables[keyhash & 255]
        if not slots:
            return -1
        end = start + slots * size
        pos = start + ((keyhash >> 8) % slots) * size
        for _ in range(slots):
            slothash, itempos = slot_at(data, pos)
            if not itempos:
                return -1
            if slothash == keyhash:
                keylen = lengths_at(data, itempos)[0]
                keypos = itempos + skip
                if keylen == len(key) and data[keypos : keypos + keylen] == key:
                    return keypos + keylen
            pos += size
            if pos == end:
                pos = start
        return -1

    return find


#: A W3 term record: flags (a byte), then the term's total weight (what ``frequency`` reads).
_WEIGHT = struct.Struct("!f")


def term_frequencies(ixreader: Any, field: str) -> Callable[[bytes], float] | None:
    """``ixreader.frequency(field, term)`` (the term's total weight over every segment, summed in
    segment order as Whoosh sums it) read from the mapped term tables, each key hashed once
    per numbering of the field; None when a segment's table is not mapped (ask Whoosh)."""
    tables = _field_tables(ixreader, field)
    if tables is None:
        return None
    segments: list[tuple[bytes, Callable, Callable[[bytes, int], int], Any]] = []
    for head, tindex in tables:
        find = _hashed_find(tindex)
        if find is None:
            return None
        segments.append((head, tindex.hashfn, find, tindex.dbfile._map))
    weight_at = _WEIGHT.unpack_from

    def frequency(btext: bytes) -> float:
        hashes: dict[tuple[bytes, Callable], int] = {}
        total: float = 0
        for head, hashfn, find, data in segments:
            key = head + btext
            keyhash = hashes.get((head, hashfn))
            if keyhash is None:
                keyhash = hashes[head, hashfn] = hashfn(key)
            pos = find(key, keyhash)
            if pos >= 0:
                total += weight_at(data, pos + 1)[0]
        return total

    return frequency


_DOC_COUNT = struct.Struct("!I")
_DOC_COUNT_AT = 5


def prefix_doc_counts(reader, field: str, prefix: bytes) -> Iterator[tuple[bytes, int]]:
    """(term, doc count) of every term of ``field`` starting with ``prefix`` in one segment,
    in order: Whoosh's ``iter_prefix``, without decoding each term's whole record (its inlined
    postings are unpickled: most of a wide prefix's terms are held by one paper)."""
    terms = getattr(reader, "_terms", None)
    tindex = getattr(terms, "_tindex", None)
    fieldmap = getattr(terms, "_fieldmap", None)
    if type(terms) is not W3TermsReader or tindex is None or not isinstance(fieldmap, dict):
        return ((t, info.doc_frequency()) for t, info in reader.iter_prefix(field, prefix))
    if field not in fieldmap:
        return iter(())
    head = pack_ushort(fieldmap[field])
    start = head + prefix
    skip = len(head)
    unpack = _DOC_COUNT.unpack_from
    data = getattr(tindex.dbfile, "_map", None)

    def walk() -> Iterator[tuple[bytes, int]]:
        for key, value in tindex.items_from(start):
            if not key.startswith(start):
                return
            yield key[skip:], unpack(value, _DOC_COUNT_AT)[0]

    def walk_map(data: Any) -> Iterator[tuple[bytes, int]]:
        # The same walk read straight from the mapped file: items lie one after the other
        # (key length, value length, key, value), so each is two slices and two unpacks
        # instead of Whoosh's three generators and four reads (at 1M papers ``re*`` walks
        # 72k items over 22 segments).
        pos = tindex.closest_key_pos(start)
        if pos is None:
            return
        end = tindex.endofdata
        lengths_at = _ITEM_LENGTHS.unpack_from
        step = _ITEM_LENGTHS.size
        width = len(start)
        while pos < end:
            keylen, datalen = lengths_at(data, pos)
            keypos = pos + step
            if data[keypos : keypos + width] != start:
                return
            datapos = keypos + keylen
            yield data[keypos + skip : datapos], unpack(data, datapos + _DOC_COUNT_AT)[0]
            pos = datapos + datalen

    return walk() if data is None or not hasattr(tindex, "closest_key_pos") else walk_map(data)


class MappedTermsStorage(FileStorage):
    """Whoosh's file storage, with each segment's term dictionary (``.trm``) mapped into memory.

    Every term look-up (a prefix's or fuzzy word's expansion is thousands: ``quantizaton~``
    checks ~4,500 candidate stems in each of five fields) reads the dictionary's hash table
    and the term's record with ``StructFile.get``: a seek and a read, two system calls each.
    Mapped, ``get`` is a slice of the map: a third less CPU for ``quant*`` and ``quantizaton~``
    in a new process at 100k papers. Only the term files (a tenth of an index): postings are
    read a whole block per call, and mapping them would count the blocks a process touched in
    its resident memory. Whoosh never rewrites a segment's file in place (a merge writes new
    files and deletes the old ones, which a map survives)."""

    def open_file(self, name, **kwargs):
        if not name.endswith(".trm") or kwargs:
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as f:
            try:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                return super().open_file(name)
        return _MappedFile(mapped, name)


class _MappedFile(StructFile):
    """A read-only StructFile over a memory map (which has read, seek and tell of its own)."""

    def __init__(self, mapped: mmap.mmap, name: str) -> None:
        super().__init__(mapped, name=name)
        self._map = mapped

    def get(self, position: int, length: int) -> bytes:
        return self._map[position : position + length]


class _MappedFrequencies:
    """An index reader as Whoosh's ``Expander`` uses it, whose ``frequency`` and ``in`` for one
    field are read from the mapped term tables (everything else is the reader's own)."""

    def __init__(self, reader: Any, field: str, holds, frequency) -> None:
        self._reader = reader
        self._field = field
        self._holds = holds
        self._frequency = frequency

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        field, btext = term
        return self._holds(btext) if field == self._field else term in self._reader

    def frequency(self, fieldname: str, btext: bytes) -> float:
        if fieldname == self._field:
            return self._frequency(btext)
        return self._reader.frequency(fieldname, btext)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def key_terms_from_text(ixreader: Any, field: str, text: str, numterms: int) -> list:
    """Whoosh's ``Searcher.key_terms_from_text`` (the Bo1 model, normalized weights): the same
    terms and weights, with each word's frequency read from the mapped term tables. Whoosh
    asks every segment for every word of the text through its reader layers: at 1M papers,
    22 segments, a paper's ~160 words took 3,500 look-ups and most of the similar papers'
    0.3 s, on the lane the next query waits for."""
    from whoosh import classify

    frequency = term_frequencies(ixreader, field)
    if frequency is not None:
        ixreader = _MappedFrequencies(ixreader, field, term_membership(ixreader, field), frequency)
    expander = classify.Expander(ixreader, field, model=classify.Bo1Model)
    expander.add_text(text)
    return expander.expanded_terms(numterms, normalize=True)
