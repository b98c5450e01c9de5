"""Fuzzy words (``quantizaton~``) that find the word meant in stemmed and unstemmed fields.

:class:`StemFuzzyTerm` replaces Whoosh's FuzzyTerm in every parsed query (the parser hands it
the word as typed, folded, not stemmed: search/engine/queries.py); queries.py bounds and scores
its expansion like any other.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from paperbrowse.search.engine import whoosh_terms
from paperbrowse.search.engine.schema import VOCABULARY_FIELD, simple_chain
from whoosh import query

#: Expansions remembered per index reader (as queries.EXPANSION_MEMO).
MEMO = 256

#: Longer fuzzy words are matched exactly (a pasted hash or URL with ~ must not cost seconds).
MAX_WORD = 40

#: How much a fuzzy word's stem counts when no real word reaches it (see
#: StemFuzzyTerm.backed_stems): still found, ranked below the stems of words the library uses.
UNSURE_STEM = 0.3


@functools.lru_cache(maxsize=65_536)
def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance of a and b counting a swap of neighbours as one edit (optimal string
    alignment); anything above ``limit`` is reported as ``limit + 1`` (exits early)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


#: What a mistyped letter may have been (and the letters of the word itself are added).
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@functools.lru_cache(maxsize=1024)
def _one_edit(word: str) -> frozenset[str]:
    """``word`` and every word one edit away (a letter deleted, swapped with the next, replaced
    or inserted), the first letter kept (people rarely get that one wrong, as Whoosh's own
    fuzzy ``prefixlength=1`` assumes)."""
    letters = sorted(set(_ALPHABET) | set(word))
    out = {word}
    for i in range(1, len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])
            if len(tail) > 1:
                out.add(head + tail[1] + tail[0] + tail[2:])
        for c in letters:
            out.add(head + c + tail)
            if tail:
                out.add(head + c + tail[1:])
    return frozenset(out)


@functools.lru_cache(maxsize=1024)
def _near_stems(word: str, stem: Callable[[str], str]) -> frozenset[str]:
    """The stems of ``word`` and of every word one edit away from it."""
    return frozenset(stem(w) for w in _one_edit(word))


class StemFuzzyTerm(query.FuzzyTerm):
    """Fuzzy matching that survives stemming.

    The parser hands this the word as typed, folded but not stemmed (:class:`_Parser`). In a
    field that is not stemmed, a term matches within ``maxdist`` edits (as Whoosh's FuzzyTerm).
    A stemmed field holds stems (``quantiz``) while people type whole, misspelt words
    (``quantizaton~``), which are many edits away from the stem; and the stem of a misspelt
    word is no stem at all (``reixforc``). So a term matches when it is the stem of the word or
    of a word one edit away from it (``quantization`` → ``quantiz``, ``boosting`` → ``boost``
    for ``bolsting~``); at ``~2``, also a term within two edits of the word or of its stem.

    At one edit (the usual ``~``) the candidates are looked up, not searched for: the words one
    edit away (their stems in a stemmed field), a thousand or so hashed look-ups whatever the
    size of the index. Scanning every term with the word's first letter and measuring each
    costs a second at 100k papers. ``~2`` scans the terms sharing the first two letters.
    """

    def _btexts(self, ixreader):
        field = self.field()
        word = self.text
        if field not in ixreader.schema or not word:
            return []
        chain = simple_chain(ixreader.schema[field].analyzer)
        stemmer = chain[2] if chain is not None else None
        if len(word) > MAX_WORD:
            # No word is this long: only the word itself (its stem) can match, and its
            # neighbours would be tens of thousands of look-ups.
            exact = stemmer.stemfn(word) if stemmer else word
            return [exact.encode("utf-8")] if (field, exact) in ixreader else []
        if self.maxdist <= 1:
            near = _near_stems(word, stemmer.stemfn) if stemmer else _one_edit(word)
            head = word[: self.prefixlength]
            holds = whoosh_terms.term_membership(ixreader, field)
            found = []
            for term in sorted(near):
                if term.startswith(head):
                    btext = term.encode("utf-8")
                    if holds(btext):
                        found.append(btext)
            return found
        targets = (word, stemmer.stemfn(word)) if stemmer else (word,)
        out = []
        for btext in ixreader.expand_prefix(field, word[: max(2, self.prefixlength)]):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if any(_distance(term, w, self.maxdist) <= self.maxdist for w in targets):
                out.append(btext)
        return out

    def backed_stems(self, ixreader) -> frozenset[str] | None:
        """In a stemmed field, the candidate stems that a real word one edit from the typed
        one stems to (a word of some title: ``seeing`` → ``see`` for ``sjeing~``), as opposed
        to stems only a non-word reaches (``saeing`` → ``sae``, the stem of "SAEs"). None for
        a field where every candidate is a real word (not stemmed), or at ``~2``."""
        if self.maxdist > 1 or VOCABULARY_FIELD not in ixreader.schema:
            return None
        chain = simple_chain(ixreader.schema[self.field()].analyzer)
        if chain is None or chain[2] is None:
            return None
        stem = chain[2].stemfn
        memo = ixreader.__dict__.setdefault("_paperbrowse_backed", {})
        key = (self.text, stem)
        if key not in memo:
            if len(memo) >= MEMO:
                memo.pop(next(iter(memo)))
            words = _one_edit(self.text)
            holds = whoosh_terms.term_membership(ixreader, VOCABULARY_FIELD)
            memo[key] = frozenset(stem(w) for w in sorted(words) if holds(w.encode("utf-8")))
        return memo[key]
