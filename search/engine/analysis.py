"""Indexing analysis for the text fields without Whoosh's token stream.

Whoosh analyses a text field through a chain of generators (tokenizer | lowercase | stop
[| stem]) that passes one mutable Token object along per word, then groups the tokens into
postings (``formats.Positions.word_values``): about a fifth of the CPU an ingest spends per
paper. :class:`PostingsAnalyzer` computes the same postings — term bytes, frequency, weight and
encoded positions, in the same order — with one regex pass and a C-level stem cache.
``search.engine.schema`` builds it from the schema's own analyzer objects and uses it only when
the chain is exactly that one (anything else keeps Whoosh's path); tests/test_analysis.py proves
the output identical to Whoosh's on every real dump and on arbitrary text.
"""

from __future__ import annotations

import functools
import pickle
import re
import struct
import unicodedata
from collections.abc import Callable

#: Default token patterns of Whoosh (2.7; whoosh-reloaded adds ``*`` to the word characters),
#: each with the same pattern without its capturing group, which ``findall`` needs to return
#: whole matches. A group never changes what a regex matches, only what it reports.
_WITHOUT_GROUP = {
    r"\w+(\.?\w+)*": re.compile(r"\w+(?:\.?\w+)*"),
    r"[\w\*]+(\.?[\w\*]+)*": re.compile(r"[\w\*]+(?:\.?[\w\*]+)*"),
}

#: Distinct words whose stems are remembered (Whoosh's StemFilter keeps 50,000 in a
#: pure-Python LFU cache; ``functools.lru_cache`` is C code). A generated 100k-paper corpus has
#: ~130k distinct words; 200k entries cost ~30 MB per writer process at most.
STEM_CACHE = 200_000

#: Positions below this whose pickled one-position list is remembered (abstracts are shorter).
SINGLE_CACHE = 4096

#: Letters that carry no combining mark in Unicode but that a reader types without their stroke
#: (NFKD leaves ``ł``, ``ø``, ``đ`` whole); ``ß`` becomes ``ss`` by case folding.
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ħ": "h", "ı": "i"}
)


def fold(word: str) -> str:
    """A word as the index and the query both compare it: lower case, compatibility forms
    unfolded (``ﬁ`` → ``fi``, full-width → ASCII, ``ß`` → ``ss``) and diacritics dropped
    (``Balázs`` → ``balazs``). ASCII words (nearly all of them) only lose their case."""
    if word.isascii():
        return word.lower()
    text = unicodedata.normalize("NFKD", word.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_FOLD_EXTRA)


#: Between the two terms of a word pair. No term holds a space (the tokenizer's words have
#: none); :func:`pair_term` refuses a term that does anyway (a folded compatibility form).
PAIR_SEPARATOR = " "

#: The last analysis per analyser settings (see PostingsAnalyzer.__init__).
_LAST_ANALYSIS: dict[tuple, list] = {}


def pair_term(a: str, b: str) -> str | None:
    """The term of two neighbouring terms in a ``*_pairs`` field, or None when either holds
    the separator (the pair would be ambiguous: such a pair is never indexed nor looked up)."""
    if PAIR_SEPARATOR in a or PAIR_SEPARATOR in b:
        return None
    return a + PAIR_SEPARATOR + b


# Whoosh's Positions format encodes a posting's positions as the count (``whoosh.system.pack_uint``,
# big-endian unsigned int) followed by the pickled list (protocol 2) of position deltas.
_pack_count = struct.Struct("!I").pack
_dumps = pickle.dumps


class PostingsAnalyzer:
    """The postings of a text for a field analysed by tokenizer | lowercase or fold | stop
    [| stem].

    ``pattern`` is the tokenizer's compiled regex (its matches are the words), ``stops`` /
    ``minsize`` / ``maxsize`` the StopFilter's settings (with ``renumber=True``), ``stem`` the
    StemFilter's stem function or None, ``field_boost`` the field format's boost; ``lower`` is
    what the second filter does to a word (``str.lower`` or :func:`fold`).
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        stops: frozenset[str],
        minsize: int,
        maxsize: int | None,
        stem: Callable[[str], str] | None,
        field_boost: float,
        lower: Callable[[str], str] = str.lower,
    ) -> None:
        self._lower = lower
        one_pass = pattern.groups == 0 and pattern
        if not one_pass and pattern.pattern in _WITHOUT_GROUP and pattern.flags == re.UNICODE:
            one_pass = _WITHOUT_GROUP[pattern.pattern]
        #: Whether the words come from one ``findall`` (the fast case), not from match objects.
        self.one_pass = bool(one_pass)
        self._words: Callable[[str], list[str]]
        if one_pass:
            self._words = one_pass.findall
        else:
            # findall would return the groups, not the matches: walk the matches instead.
            self._words = lambda text: [m.group() for m in pattern.finditer(text)]
        self._stops = stops
        self._minsize = minsize
        self._maxsize = maxsize
        self._stem = functools.lru_cache(maxsize=STEM_CACHE)(stem) if stem else None
        self._boost = field_boost
        # Most words occur once in a text; their pickled position lists repeat across papers.
        self._single: dict[int, bytes] = {}
        self._one = _pack_count(1)
        # The last text analysed by any analyser of the same settings, its first position and
        # its kept terms in order: a field's word pairs (:meth:`pair_postings`) are made from
        # the same text right after the field's own postings, without a second analysis.
        config = (pattern.pattern, stops, minsize, maxsize, stem, lower)
        self._last = _LAST_ANALYSIS.setdefault(config, [None, 0, []])

    def sequence(self, text: str) -> tuple[int, list[str]]:
        """(position of the first kept word, the kept terms in order): what :meth:`postings`
        numbers (consecutive positions from the first)."""
        last = self._last
        if last[0] is not text and last[0] != text:
            self.postings(text)
        return last[1], last[2]

    def terms(self, text: str) -> list[str]:
        """The kept terms of ``text`` in order (stop words out, stemmed as the field does)."""
        return self.sequence(text)[1]

    def pair_postings(
        self, text: str, common: frozenset[str]
    ) -> list[tuple[bytes, int, float, bytes]]:
        """The postings of ``text``'s word pairs: for each two neighbouring kept terms that are
        both in ``common``, the term :func:`pair_term` of them at the first one's position
        (positions as the words' own, so a phrase can be checked with pairs and words alike)."""
        first, seq = self.sequence(text)
        positions: dict[str, list[int]] = {}
        for k in range(len(seq) - 1):
            a = seq[k]
            b = seq[k + 1]
            if a in common and b in common:
                pair = pair_term(a, b)
                if pair is not None:
                    found = positions.get(pair)
                    if found is None:
                        positions[pair] = [first + k]
                    else:
                        found.append(first + k)
        return self._encode(positions)

    def postings(self, text: str) -> list[tuple[bytes, int, float, bytes]]:
        """(term bytes, frequency, weight, encoded positions) for each distinct term of
        ``text``, in order of first occurrence: what ``fields.TEXT.index`` yields."""
        stops = self._stops
        minsize = self._minsize
        maxsize = self._maxsize
        stem = self._stem
        lower = self._lower
        positions: dict[str, list[int]] = {}
        seq: list[str] = []
        add = seq.append
        # Whoosh's StopFilter (renumber=True) gives the first kept word its index among all
        # the words, stop words included, and numbers the kept words after it consecutively.
        pos = -1
        for index, word in enumerate(self._words(text)):
            word = lower(word)
            size = len(word)
            if size < minsize or word in stops or (maxsize is not None and size > maxsize):
                continue
            pos = index if pos < 0 else pos + 1
            if stem is not None:
                word = stem(word)
            add(word)
            found = positions.get(word)
            if found is None:
                positions[word] = [pos]
            else:
                found.append(pos)
        last = self._last
        last[0] = text
        last[1] = pos - len(seq) + 1
        last[2] = seq
        return self._encode(positions)

    def _encode(self, positions: dict[str, list[int]]) -> list[tuple[bytes, int, float, bytes]]:
        """Postings of terms at positions (in the dict's order), as Whoosh's Positions format
        encodes them."""
        single = self._single
        boost = self._boost
        out = []
        for word, poslist in positions.items():
            count = len(poslist)
            if count == 1:
                first = poslist[0]
                pickled = single.get(first)
                if pickled is None:
                    pickled = _dumps(poslist, 2)
                    if first < SINGLE_CACHE:
                        single[first] = pickled
                # A new bytes object each time, as Whoosh makes: the writer pickles a block's
                # values, and pickle would write a shared object once and refer to it after
                # (the same positions, other bytes on disk).
                encoded = self._one + pickled
            else:
                deltas = [poslist[0]]
                deltas.extend([b - a for a, b in zip(poslist, poslist[1:], strict=False)])
                encoded = _pack_count(count) + _dumps(deltas, 2)
            # Whoosh sums a boost of 1.0 per token, then multiplies by the field's boost.
            out.append((word.encode("utf-8"), count, float(count) * boost, encoded))
        return out
