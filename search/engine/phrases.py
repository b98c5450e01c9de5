"""Phrase matching over decoded posting blocks: the part of :class:`SearcherCache` that finds
the documents where a phrase's words stand in order.

Candidates come from set intersections of the words' (or word pairs') doc ids, read without
positions; positions are decoded only where a candidate is left. Whoosh's phrase matcher
instead decodes every candidate's positions of every word and builds span objects for each.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from paperbrowse.search.engine import ranking, whoosh_private
from paperbrowse.search.engine.analysis import pair_term
from paperbrowse.search.engine.common_words import COMMON_TERMS
from paperbrowse.search.engine.schema import PairText, pair_field
from whoosh import formats, query


class PhraseMatching:
    """Mixed into :class:`search.engine.cache.SearcherCache`, whose searcher, posting blocks
    (``_postings``, ``_term``) and remembered phrases (``_phrases``) it uses."""

    searcher: Any
    FILTER_CACHE: int
    _phrases: dict[tuple, set[int]]
    _segments: list[tuple[Any, int]]
    _term: Callable[[str, Any], set[int]]
    _postings: Callable[..., list[tuple]]

    def _positional(self, field: str) -> bool:
        schema = self.searcher.schema
        return field in schema and schema[field].format.supports("positions")

    def _phrase_docs(self, q: query.Phrase) -> set[int]:
        """Docs where the phrase's words occur in order, each within ``slop`` of the last
        (remembered: a query asks for its doc set and then for its scores)."""
        key = (q.fieldname, tuple(q.words), q.slop)
        docs = self._phrases.pop(key, None)
        if docs is None:
            docs = self._match_phrase(q)
        self._phrases[key] = docs
        if len(self._phrases) > self.FILTER_CACHE:
            self._phrases.pop(next(iter(self._phrases)))
        return docs

    def _match_phrase(self, q: query.Phrase) -> set[int]:
        """Candidates are the docs holding every word (a set intersection of doc ids read
        without positions). Positions are then decoded rarest word first, and only for the
        candidates still standing: once two neighbouring words of the phrase are decoded, a
        candidate where they never stand within ``slop`` of each other is dropped (the phrase
        cannot be there), so a common word's blocks are decoded only where a candidate is left
        (a block without one is skipped on its header). The survivors are checked whole.
        Whoosh's phrase matcher instead decodes every candidate's positions of every word and
        builds span objects for each."""
        field = q.fieldname
        fieldobj = self.searcher.schema[field]
        try:
            words = [w if isinstance(w, bytes) else fieldobj.to_bytes(w) for w in q.words]
        except ValueError:
            return set()
        if not words:
            return set()
        if len(words) == 1:
            return self._term(field, words[0])
        if q.slop == 1:
            paired = self._match_with_pairs(field, words)
            if paired is not None:
                return paired
        rarest = sorted(set(words), key=lambda w: self.searcher.doc_frequency(field, w))
        # The two rarest words are read with their positions at once (their blocks are decoded
        # whole anyway: every block holds a candidate when words are common); the others'
        # doc ids first, without positions, and their positions later only where needed.
        whole = rarest[:2]
        candidates: set[int] = set()
        for n, word in enumerate(rarest):
            docs: set[int] = set()
            if word in whole:
                for ids, _, _ in self._postings(field, word, values=True):
                    docs.update(ids)
            else:
                docs = self._term(field, word)
            candidates = docs if n == 0 else candidates & docs
            if not candidates:
                return set()
        if type(fieldobj.format) is formats.Positions:
            decode = whoosh_private.decode_positions
        else:
            decode = fieldobj.format.decode_positions
        positions: dict[bytes, dict[int, list[int]]] = {}
        for word in rarest:
            if word in whole:
                found = positions[word] = {}
                for ids, _, values in self._postings(field, word, values=True):
                    for doc, value in zip(ids, values, strict=True):
                        if doc in candidates:
                            found[doc] = decode(value)
            else:
                positions[word] = self._positions(field, word, candidates, decode)
            # Each neighbouring pair of the phrase whose words are both decoded now.
            for a, b in zip(words, words[1:], strict=False):
                if word in (a, b) and a in positions and b in positions and len(rarest) > 2:
                    pa, pb = positions[a], positions[b]
                    candidates = {
                        d for d in candidates if ranking.phrase_at([pa[d], pb[d]], q.slop)
                    }
            if not candidates:
                return set()
        return {
            doc
            for doc in candidates
            if ranking.phrase_at([positions[w][doc] for w in words], q.slop)
        }

    def _match_with_pairs(self, field: str, words: list[bytes]) -> set[int] | None:
        """The docs of the phrase ``words`` (slop 1) found through ``field``'s word pairs, or
        None when the index has none for it (no pair field, or no two neighbouring words of the
        phrase common: rare words make the word-by-word match cheap anyway).

        A pair term stands at the position of its first word, so the phrase is a set of
        anchors, (term, its offset in the phrase): the pair of each two neighbouring common
        words, and each word no pair covers. A doc holds the phrase exactly when some position
        ``i`` has every anchor at ``i + offset``. Candidates are the intersection of the
        anchors' doc ids (no positions read); for a two-word phrase that is the answer. For
        longer ones the anchors' positions are decoded rarest first, only in the blocks that
        hold a candidate still standing, and a candidate is dropped as soon as the anchors
        decoded so far cannot line up in it."""
        schema = self.searcher.schema
        pairs = pair_field(field)
        if pairs not in schema or type(schema[pairs]) is not PairText:
            return None
        try:
            texts = [w.decode("utf-8") for w in words]
        except UnicodeDecodeError:
            return None
        anchors: list[tuple[str, bytes, int]] = []
        covered = [False] * len(words)
        for k in range(len(words) - 1):
            if texts[k] in COMMON_TERMS and texts[k + 1] in COMMON_TERMS:
                pair = pair_term(texts[k], texts[k + 1])
                if pair is not None:
                    anchors.append((pairs, pair.encode("utf-8"), k))
                    covered[k] = covered[k + 1] = True
        if not anchors:
            return None
        anchors += [(field, words[k], k) for k in range(len(words)) if not covered[k]]
        frequency = {(f, t): self.searcher.doc_frequency(f, t) for f, t, _ in anchors}
        anchors.sort(key=lambda a: frequency[a[0], a[1]])
        candidates: set[int] | None = None
        for key in dict.fromkeys((f, t) for f, t, _ in anchors):
            docs = self._term(*key)
            candidates = docs if candidates is None else candidates & docs
            if not candidates:
                return set()
        assert candidates is not None
        if len(anchors) == 1:
            return candidates  # one pair: a two-word phrase, exactly
        decoded: dict[tuple[str, bytes], dict[int, list[int]]] = {}
        lined_up: list[tuple[int, dict[int, list[int]]]] = []
        for f, t, offset in anchors:
            found = decoded.get((f, t))
            if found is None:
                decode = self._decoder(f)
                found = decoded[f, t] = self._positions(f, t, candidates, decode)
            lined_up.append((offset, found))
            if len(lined_up) > 1:
                candidates = {d for d in candidates if _lines_up(lined_up, d)}
                if not candidates:
                    return set()
        return candidates

    def _decoder(self, field: str) -> Callable[[bytes], list[int]]:
        fmt = self.searcher.schema[field].format
        return (
            whoosh_private.decode_positions
            if type(fmt) is formats.Positions
            else (fmt.decode_positions)
        )

    def _positions(
        self, field: str, btext: bytes, docs: set[int], decode: Callable[[bytes], list[int]]
    ) -> dict[int, list]:
        """The positions of a term in each of ``docs`` (global doc numbers), decoded from the
        blocks that hold one of them."""
        found: dict[int, list] = {}
        wanted = sorted(docs)
        for reader, offset in self._segments:
            if (field, btext) not in reader:
                continue
            lo = bisect.bisect_left(wanted, offset)
            hi = bisect.bisect_left(wanted, offset + reader.doc_count_all())
            if lo == hi:
                continue
            local = [d - offset for d in wanted[lo:hi]]
            for ids, values in whoosh_private.segment_values_of(reader, field, btext, local):
                for doc, value in zip(ids, values, strict=True):
                    doc += offset
                    if doc in docs:
                        found[doc] = decode(value)
        return found


def _lines_up(anchors: list[tuple[int, dict[int, list[int]]]], doc: int) -> bool:
    """Whether some position ``i`` has every anchor (offset, positions by doc) at ``i + offset``
    in ``doc``."""
    offset, positions = anchors[0]
    starts = {p - offset for p in positions.get(doc, ())}
    for offset, positions in anchors[1:]:
        if not starts:
            return False
        starts.intersection_update([p - offset for p in positions.get(doc, ())])
    return bool(starts)
