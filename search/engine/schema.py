"""The index's fields, what a paper puts into them, and the fast indexing of its text fields.

The index stores no text (the library's SQLite store holds the records); it keeps the paper id
as a column so that result ids come out of a hit list without reading stored documents.
"""

from __future__ import annotations

import functools
from datetime import date

from paperbrowse.search.engine.analysis import PostingsAnalyzer, fold
from paperbrowse.search.engine.common_words import COMMON_TERMS
from paperbrowse.search.engine.timeline import timeline_fields, timeline_values
from paperbrowse.search.models import Paper
from paperbrowse.search.tex2text import search_forms
from whoosh import fields, formats
from whoosh.analysis import (
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)

#: Bump whenever the schema or what goes into a field changes: an index built with another version
#: is rebuilt from the library's records (which the dumps can always re-create).
#: 4: FastText moved from ``search.index`` to ``search.engine.schema``; the schema pickled in an
#: index names the class by its module, so an index of version 3 cannot be opened any more.
#: 6: the time fields (featured, rising, month, featured_day: engine/timeline.py) and the
#: plain-text forms of TeX in titles and abstracts (tex2text.search_forms).
#: 5: every text field folds accents and compatibility forms (:class:`FoldFilter`); a
#: ``title_exact`` field holds the title's words unstemmed (exact forms rank first); keywords are
#: text (stemmed words), searched with every unfielded word. (Also: the classes moved to
#: ``paperbrowse.search.engine.schema`` with the one installed package, so a version-4 index
#: names classes that no longer exist: it is rebuilt, never opened.)
#: 7: word-pair fields (``title_pairs``, ``abstract_pairs``…: :class:`PairText`), so that a
#: phrase of common words is an intersection of pair terms first.
SCHEMA_VERSION = 7

#: The fields the filters pane counts papers by.
FACETS = ("year", "kind", "category")

#: Fields a query searches when it names none, and the names users may type for them.
DEFAULT_FIELDS = ("title", "abstract", "authors")
#: Also searched for every unfielded word (along with DEFAULT_FIELDS), but not reported as what
#: matched (the title and abstract are what is shown and highlighted): ``title_exact``, so that
#: a title holding the word as typed (``transformer``) outranks one that only shares its stem
#: (``transforms``), and the paper's keywords (Daily Papers' ``ai_keywords``).
EXTRA_FIELDS = ("title_exact", "keywords")
#: The field whose terms are words as written (not stems): which words exist, for fuzzy words.
VOCABULARY_FIELD = "title_exact"
FIELD_ALIASES = {"author": "authors", "summary": "abstract", "cat": "category"}

#: The text fields that have a word-pair field (:func:`pair_field` names it).
PAIRED_FIELDS = ("title", "title_exact", "abstract", "authors", "keywords")


def pair_field(field: str) -> str:
    """The name of ``field``'s word-pair field."""
    return field + "_pairs"


class FoldFilter(Filter):
    """Lower case with accents and compatibility forms folded (``analysis.fold``): ``Balázs``,
    ``BALAZS`` and ``balazs`` are one term, at index and at query time alike. Only the terms
    change: a token's characters still point into the original text, which is what is shown.
    The schema pickled in an index names this class: keep it importable here."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def folding_analyzer(stem: bool) -> CompositeAnalyzer:
    """Whoosh's standard chain (tokenizer | lowercase | stop [| stem]) with folding in place of
    lower-casing: the shape :func:`simple_chain` recognises, so indexing keeps the fast path."""
    chain = RegexTokenizer() | FoldFilter() | StopFilter()
    return chain | StemFilter() if stem else chain


class FastText(fields.TEXT):
    """Whoosh's TEXT field, with the postings of a document computed without Whoosh's chain of
    token generators (:mod:`search.engine.analysis`): the same terms, frequencies, weights and
    positions at a fraction of the CPU. Only indexing changes: queries, highlighting and
    more-like-this still run the field's analyzer, which is the stock one.

    The schema is pickled into the index, so this class must stay importable under this name
    (moving it means bumping SCHEMA_VERSION: old indexes are then rebuilt, never opened).
    """

    def __getstate__(self) -> dict:
        # The analyzer built from the field is a cache (with an unpicklable stem cache): the
        # index's table of contents stores the field without it.
        state = self.__dict__.copy()
        state.pop("_postings", None)
        return state

    def index(self, value, **kwargs):
        # None: not looked at yet; False: a field Whoosh must index itself.
        postings: PostingsAnalyzer | bool | None = self.__dict__.get("_postings")
        if postings is None:
            postings = self._postings = postings_analyzer(self) or False
        if not isinstance(postings, PostingsAnalyzer) or kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        return postings.postings(value)


class PairText(fields.TEXT):
    """The word pairs of a text field: a term for each two neighbouring kept words of the field
    that are both common (:data:`COMMON_TERMS`), at the first word's position. A phrase of
    common words (``"large language models"``) is then first an intersection of a few pair
    terms, each held by far fewer papers than its words (search/engine/cache.py), instead of
    the positions of words that 40% of the papers hold. Never searched by itself (not in any
    parser's fields), never scored (no length column).

    It is given the same text as its field and must analyse it as the field does: it is made
    with the field's analyzer, whose shape :func:`postings_analyzer` must reproduce.
    """

    def __init__(self, analyzer) -> None:
        super().__init__(analyzer=analyzer, phrase=True)
        self.scorable = False

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_postings", None)
        return state

    def index(self, value, **kwargs):
        postings = self.__dict__.get("_postings")
        if postings is None:
            postings = self._postings = postings_analyzer(self)
            if postings is None:
                raise TypeError("a word-pair field needs an analyzer postings_analyzer reproduces")
        return postings.pair_postings(value, COMMON_TERMS)


def simple_chain(analyzer) -> tuple | None:
    """(tokenizer, stop filter, stem filter or None) when ``analyzer`` is exactly Whoosh's
    tokenizer | lowercase (or :class:`FoldFilter`) | stop [| stem] chain with a word-matching
    (not gap) tokenizer and a stemmer that stems; else None. Indexing (:class:`FastText`) and
    highlighting (:mod:`search.engine.spans`) reproduce that chain without Whoosh's token stream."""
    if type(analyzer) is not CompositeAnalyzer:
        return None
    items = analyzer.items
    kinds = [type(i) for i in items]
    if len(kinds) not in (3, 4) or kinds[0] is not RegexTokenizer:
        return None
    if kinds[1] not in (LowercaseFilter, FoldFilter) or kinds[2] is not StopFilter:
        return None
    if len(kinds) == 4 and kinds[3] is not StemFilter:
        return None
    tokenizer, _, stop = items[:3]
    stemmer = items[3] if len(items) == 4 else None
    if tokenizer.gaps or (stemmer is not None and stemmer.ignore):
        return None
    return tokenizer, stop, stemmer


def postings_analyzer(field: fields.FieldType) -> PostingsAnalyzer | None:
    """A :class:`PostingsAnalyzer` reproducing ``field``'s indexing exactly, or None when the
    field's analysis or format is one it does not reproduce (Whoosh's own path is used)."""
    if type(field.format) is not formats.Positions or field.vector:
        return None
    chain = simple_chain(field.analyzer)
    if chain is None:
        return None
    tokenizer, stop, stemmer = chain
    lower = fold if type(field.analyzer.items[1]) is FoldFilter else str.lower
    # Positions must be renumbered past stop words; a language stemmer is not reproduced.
    if not stop.renumber or (stemmer is not None and stemmer.lang):
        return None
    return PostingsAnalyzer(
        tokenizer.expression,
        stop.stops,
        stop.min,
        stop.max,
        stemmer.stemfn if stemmer is not None else None,
        field.format.field_boost,
        lower,
    )


def build_schema(stock: bool = False) -> fields.Schema:
    """The index's fields. ``stock=True`` gives plain Whoosh TEXT fields with the same analyzers
    and options (the benchmark's naive baseline indexes through those)."""
    stem = folding_analyzer(stem=True)
    text = fields.TEXT if stock else FastText
    plain = folding_analyzer(stem=False)
    # The word pairs (paperbrowse's own device for phrases: the naive baseline has none).
    pairs = (
        {}
        if stock
        else {
            pair_field("title"): PairText(stem),
            pair_field("title_exact"): PairText(plain),
            pair_field("abstract"): PairText(stem),
            pair_field("authors"): PairText(plain),
            pair_field("keywords"): PairText(stem),
        }
    )
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        arxiv_id=fields.ID,
        title=text(analyzer=stem, field_boost=2.5, phrase=True),
        # The title's words as written (folded, not stemmed): scored with the title for every
        # unfielded word, it adds to the papers whose title has the exact form.
        title_exact=text(analyzer=plain, field_boost=2.5, phrase=True),
        abstract=text(analyzer=stem, phrase=True),
        authors=text(analyzer=plain, phrase=True),
        # Words, as the abstract's (the keywords are phrases a reader may remember a paper by).
        keywords=text(analyzer=stem, field_boost=0.5, phrase=True),
        published=fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        upvotes=fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        year=fields.ID(sortable=True),
        kind=fields.KEYWORD,
        category=fields.KEYWORD(lowercase=False),
        has_code=fields.BOOLEAN,
        **timeline_fields(),
        **pairs,
    )


@functools.cache
def code_schema() -> fields.Schema:
    """The schema as this code defines it (an index of SCHEMA_VERSION holds the same one): for
    what needs the fields' analysis without opening an index (highlighting)."""
    return build_schema()


def index_terms(text: str) -> set[str]:
    """The terms the index makes of ``text``: stemmed (as in titles and abstracts) and as
    written (as in ``title_exact`` and author names). For bench/common_words.py."""
    schema = code_schema()
    out: set[str] = set()
    for name in ("abstract", "title_exact"):
        postings = postings_analyzer(schema[name])
        assert postings is not None  # the schema's own chains are the ones it reproduces
        out.update(postings.terms(text))
    return out


def datenum(d: date | None) -> int:
    """A date as the ``published`` field holds it (YYYYMMDD; 0 for none)."""
    return d.year * 10000 + d.month * 100 + d.day if d else 0


#: The range of the upvotes field (unsigned, 32 bits). A dump may say anything (10**12, -5):
#: Whoosh refuses a value outside the range with an exception that stopped the whole ingest,
#: so counts are clamped into it, and so is a filter's minimum (``--min-upvotes 1e23``).
UPVOTES_MAX = 2**32 - 1


def upvotes_value(n: int | None) -> int:
    """An upvote count as the index holds it: clamped into 0 … UPVOTES_MAX."""
    return min(max(n or 0, 0), UPVOTES_MAX)


def document(paper: Paper, pairs: bool = True) -> dict:
    """The field values of one paper (``pairs=False``: without the word-pair fields, which
    the stock schema has not)."""
    text = {
        "title": search_forms(paper.title),
        "title_exact": paper.title,
        "abstract": search_forms(paper.abstract),
        "authors": " ; ".join(paper.authors),
        "keywords": " ; ".join(paper.keywords),
    }
    if pairs:
        # The same string objects: a pair field reuses its field's analysis of them.
        text |= {pair_field(name): text[name] for name in PAIRED_FIELDS}
    return {
        "id": paper.id,
        "arxiv_id": paper.arxiv_id or "",
        **text,
        "published": datenum(paper.published),
        "upvotes": upvotes_value(paper.upvotes),
        "year": str(paper.published.year) if paper.published else "unknown",
        "kind": " ".join(paper.kinds),
        "category": " ".join(paper.categories),
        "has_code": paper.has_code,
        **timeline_values(paper),
    }
