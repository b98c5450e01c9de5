"""Search finds what a researcher means, and says so when it cannot (issue 15): folding of
accents and typography, ids and links, the query fields, exact forms and title matches first,
fuzzy words that find the word meant, and clear messages for what a query cannot mean."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from paperbrowse.search.bookmarks import BookmarkStore
from paperbrowse.search.engine.analysis import fold
from paperbrowse.search.library import Library
from paperbrowse.search.models import Filters, QueryError
from paperbrowse.search.paths import Locations
from paperbrowse.search.query_text import category_value, interpret, paper_ref
from paperbrowse.search.services import build_services

from tests.dumps_paths import DUMPS, needs_dumps
from tests.fixtures_dumps import RECORDS, arxiv_record


@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> Library:
    root = tmp_path_factory.mktemp("quality")
    dump = root / "papers.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    library = Library(Locations(root / "data"))
    library.ingest([dump])
    yield library
    library.close()


def _ids(lib: Library, text: str, **kwargs) -> list[str]:
    return [h.paper.id for h in lib.search(text, limit=None, **kwargs).hits]


# -- folding ----------------------------------------------------------------------------------


def test_fold_drops_case_accents_and_compatibility_forms() -> None:
    assert fold("Balázs") == "balazs"
    assert fold("Straße") == "strasse"
    assert fold("ﬁne") == "fine"
    assert fold("Ｋｅｎｊｉ") == "kenji"
    assert fold("Łukasz") == "lukasz"
    assert fold("Wiśniewski") == "wisniewski"
    assert fold("Transformer") == "transformer"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("author:balazs", ["2412.00002"]),
        ("Balazs", ["2412.00002"]),
        ("BALÁZS", ["2412.00002"]),
        ("author:Balázs", ["2412.00002"]),
        ("author:lukasz wisniewski", ["2412.00002"]),
        ("author:strasse", ["2412.00001"]),
        ("author:Straße", ["2412.00001"]),
        ("author:kenji", ["2412.00001"]),
        ("author:Ｋｅｎｊｉ", ["2412.00001"]),
        ("fine-tuning", ["2412.00002"]),  # the abstract has the ﬁ ligature
        ("\u201cstate space\u201d", ["2412.00002"]),  # curly quotes are a phrase
        ("state\u2013space", ["2412.00002"]),  # an en dash is a hyphen
    ],
)
def test_folding_at_index_and_query_time(lib: Library, text: str, expected: list[str]) -> None:
    assert _ids(lib, text) == expected


def test_display_keeps_the_original_unicode(lib: Library) -> None:
    paper = lib.search("author:balazs").hits[0].paper
    assert paper.authors[0] == "C. Balázs"
    assert "ﬁne-tuning" in paper.abstract


# -- ids and links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2412.00002",
        "arXiv:2412.00002v2",
        "https://arxiv.org/abs/2412.00002",
        "https://arxiv.org/pdf/2412.00002v1",
        "https://arxiv.org/pdf/2412.00002.pdf",
        "https://huggingface.co/papers/2412.00002",
        " huggingface.co/papers/2412.00002 ",
    ],
)
def test_an_id_or_link_goes_straight_to_the_paper(lib: Library, text: str) -> None:
    result = lib.search(text)
    assert [h.paper.id for h in result.hits] == ["2412.00002"] and result.total == 1
    assert lib.get(text).id == "2412.00002"  # what `show` looks up


def test_old_style_ids_and_unknown_ids(lib: Library) -> None:
    assert _ids(lib, "hep-ph/9901001") == ["hep-ph/9901001"]
    assert paper_ref("hep-th/9901001") == "hep-th/9901001"
    assert lib.search("2412.99999").total == 0  # an id the library does not have: no hits
    # A filter still applies to the paper named.
    assert lib.search("2412.00002", Filters(categories=frozenset({"cs.CV"}))).total == 0


# -- fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("category:cs.LG", {"2412.00002", "2412.00003"}),
        ("category:cs.lg", {"2412.00002", "2412.00003"}),
        ("cs.LG", {"2412.00002", "2412.00003"}),
        ("cs.lg quantization", {"2412.00003"}),
        ("hep-ph", {"hep-ph/9901001"}),
        ("category:cs", {"2412.00002", "2412.00003", "2412.00004"}),
        ("cat:stat.ML", {"2412.00002"}),
        ("-cs.LG quantized", {"2412.00004"}),
        ("year:2024 quantization", {"2412.00003", "2412.00004"}),
        ("year:2023-2025 pruning", {"2412.00004"}),
        ("year:2019 quantization", set()),
        ("source:arxiv-jsonl transformer", {"2412.00002", "2412.00001"}),
        ("kind:hf-json", set()),
        ("keyword:quantization", set()),
    ],
)
def test_fields(lib: Library, text: str, expected: set[str]) -> None:
    assert set(_ids(lib, text)) == expected


def test_has_code(tmp_path) -> None:
    library = Library(Locations(tmp_path / "data"))
    assert interpret("has:code diffusion").text == "has_code:true diffusion"
    with pytest.raises(QueryError, match="has:code"):
        interpret("has:pdf")
    library.close()


@needs_dumps
def test_has_code_on_real_pages(tmp_path) -> None:
    library = Library(Locations(tmp_path / "data"))
    library.ingest([DUMPS / "hf-daily-json"])
    coded = library.search("has:code", limit=None)
    assert 0 < coded.total < library.count()
    assert all(h.paper.has_code for h in coded.hits)
    assert coded.total == library.search("", Filters(has_code=True)).total
    library.close()


def test_tags_come_from_the_bookmark_store(tmp_path, lib: Library) -> None:
    services = build_services(tmp_path / "data")
    try:
        services.library.ingest([_dump(tmp_path)])
        paper = services.library.get("2412.00003")
        services.bookmarks.add(paper, tags=["to-read"])
        found = services.library.search("tag:to-read")
        assert [h.paper.id for h in found.hits] == ["2412.00003"]
        assert services.library.search("tag:to-read pruning").total == 0
        assert services.library.search("tag:nothing").total == 0
        assert services.library.facets("tag:to-read")["category"] == {"cs.LG": 1}
    finally:
        services.close()
    # A library without the bookmarks says so rather than ignoring the tag.
    with pytest.raises(QueryError, match="tag:"):
        lib.search("tag:to-read")


def _dump(tmp_path):
    dump = tmp_path / "papers.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return dump


def test_category_spelling() -> None:
    assert category_value("cs.lg") == "cs.LG"
    assert category_value("astro-ph.ga") == "astro-ph.GA"
    assert category_value("cond-mat.Mes-Hall") == "cond-mat.mes-hall"
    assert category_value("physics.Optics") == "physics.optics"
    assert category_value("state-space") is None
    assert category_value("e.g") is None


# -- ranking ----------------------------------------------------------------------------------


def test_the_exact_word_in_a_title_beats_a_shared_stem(lib: Library) -> None:
    # "Transforms" shares the stem of "transformer"; the title with the word itself comes first.
    assert _ids(lib, "transformer")[0] == "2412.00002"
    assert _ids(lib, "transforms")[0] == "2412.00001"


def test_title_above_abstract_for_fuzzy_and_prefix_words(lib: Library) -> None:
    # 2412.00004 has "quantized" twice, in its abstract only; 2412.00003 has "Quantization" in
    # its title. Before, both scored the same constant and came newest first.
    for text in ("quantizaton~", "quantization~", "quantiz*", "quant*"):
        result = lib.search(text, limit=None)
        assert [h.paper.id for h in result.hits][:2] == ["2412.00003", "2412.00004"], text
        assert result.hits[0].score > result.hits[1].score > 0, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bolsting~", "boost"),  # stem of a word one edit away
        ("quantizaton~", "quantiz"),
        ("fastwr~", "faster"),
        ("termcnal~", "termin"),
        ("rltrospective~", "retrospect"),  # a wrong second letter
    ],
)
def test_fuzzy_words_find_the_stem_of_the_word_meant(tmp_path, text: str, expected: str) -> None:
    records = [
        arxiv_record("2412.1000" + str(i), title, "Nothing else.", "A. Writer", "cs.LG")
        for i, title in enumerate(
            [
                "Boosting Agents",
                "Quantization Now",
                "Faster Search",
                "Terminal Agents",
                "Retrospective Study",
                "Fast Terms of Bolts",  # near misses that must not crowd out the word meant
            ]
        )
    ]
    dump = tmp_path / "p.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    library = Library(Locations(tmp_path / "data"))
    library.ingest([dump])
    result = library.search(text)
    assert expected in result.terms
    assert expected.capitalize()[:4] in result.hits[0].paper.title
    library.close()


def test_a_very_long_fuzzy_word_is_matched_exactly(lib: Library) -> None:
    from paperbrowse.search.engine import fuzzy

    calls = fuzzy._one_edit.cache_info().misses
    assert lib.search("q" * 900 + "~").total == 0  # under the query bound (1,000 chars)
    assert fuzzy._one_edit.cache_info().misses == calls  # no neighbours were made


# -- saying so when it cannot ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("titl:foo", "unknown field titl: — the fields are title:, author:, abstract:"),
        ("title:(", "unclosed ("),
        ('"state space', 'unclosed quote: "state space'),
        ("quant~9", "1 or 2 wrong letters"),
        ("title:", "title: needs something after it"),
        ("a) b", ") closes nothing"),
        ("year:24", "year:24 is not a year"),
        ("category:foo", "not an arXiv category"),
        ("source:web", "hf-text, hf-json, arxiv-jsonl, arxiv-atom"),
        ("-tag:x", "not supported"),
        ("tag:x OR models", "cannot be combined with OR"),
        ("quant~x", "~ goes at the end of a word"),
        ("diffusion AND", "AND needs a word after it"),
        ("OR models", "OR needs a word before it"),
    ],
)
def test_what_a_query_cannot_mean_is_a_message(lib: Library, text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        lib.search(text)
    assert message in str(caught.value)
    with pytest.raises(QueryError):
        lib.facets(text)  # the app's counts say the same


@pytest.mark.parametrize("text", ["year:\x1b[31mred", "titl:\x1b]0;x\x07foo", '"\x1b[2Jopen'])
def test_messages_never_carry_control_characters(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        interpret(text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in str(caught.value))


def test_minus_means_not(lib: Library) -> None:
    assert set(_ids(lib, "-quantization")) == {"2412.00001", "2412.00002", "hep-ph/9901001"}
    assert set(_ids(lib, "quantized -pruning")) == {"2412.00003"}  # quantized: stem quantiz
    assert set(_ids(lib, 'models -"state space"')) == {"2412.00003", "2412.00004"}
    assert interpret("a -(b OR c)").text == "a NOT (b OR c)"
    assert interpret("well-known").text == "well-known"  # a hyphen inside a word is not NOT


def test_a_pasted_title_with_a_colon_is_words_not_a_field(lib: Library) -> None:
    assert interpret("Pruning: Networks").text == "Pruning Networks"
    assert _ids(lib, "Pruning: Networks") == ["2412.00004"]
    with pytest.raises(QueryError, match="whole query"):
        lib.search("see https://arxiv.org/abs/2412.00002")


def test_interpret_passes_the_engine_syntax_through() -> None:
    assert interpret('title:"state space" OR author:turing').text == (
        'title:"state space" OR authors:turing'
    )
    assert interpret("abstract:(a b)").text == "abstract:(a b)"
    assert interpret('"a b"~3').text == '"a b"~3'
    assert interpret("quant~2").text == "quant~2"
    assert interpret("").text == "" and interpret("   ").paper is None
    assert interpret("tag:to-read x").tags == ("to-read",)
    assert interpret('tag:"to read" x').tags == ("to read",)


def test_published_dates_in_the_fixture(lib: Library) -> None:
    assert {h.paper.published for h in lib.search("", limit=None).hits} <= {
        date(2024, 12, 2),
        date(2024, 12, 3),
    }


def test_an_index_of_schema_4_is_rebuilt_with_folding(tmp_path) -> None:
    """An index of version 4 (no folding, no exact-title field) is never searched as if it had
    them: it rebuilds itself from library.sqlite3, and the bookmarks are not touched."""
    from paperbrowse.search.engine import SCHEMA_VERSION
    from paperbrowse.search.engine.schema import document
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    assert SCHEMA_VERSION >= 5  # folding came with 5; later versions keep it
    library = Library(Locations(tmp_path / "data"))
    library.ingest([_dump(tmp_path)])
    papers = [library.get(r["id"]) for r in RECORDS]
    locations = library.locations
    library.close()
    with BookmarkStore(locations.bookmarks_db) as store:
        store.add(papers[1], tags=["kept"])
    bookmarks_before = locations.bookmarks_db.read_bytes()
    # What version 4 wrote: stock lower-casing analyzers, keywords as a comma list.
    old = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        arxiv_id=fields.ID,
        title=fields.TEXT(analyzer=StemmingAnalyzer(), field_boost=2.5, phrase=True),
        abstract=fields.TEXT(analyzer=StemmingAnalyzer(), phrase=True),
        authors=fields.TEXT(phrase=True),
        keywords=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        published=fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        upvotes=fields.NUMERIC(int, sortable=True, signed=False, bits=32),
        year=fields.ID(sortable=True),
        kind=fields.KEYWORD,
        category=fields.KEYWORD(lowercase=False),
        has_code=fields.BOOLEAN,
    )
    index_dir = locations.index_dir
    for f in index_dir.iterdir():
        if f.is_dir():  # orders/: derived files beside the index (search/engine/order_files)
            shutil.rmtree(f)
        elif f.name != "SCHEMA_VERSION":
            f.unlink()
    ix = index.create_in(str(index_dir), old)
    with ix.writer() as w:
        for paper in papers:
            # Only the fields version 4 had (later versions added more than title_exact).
            doc = {k: v for k, v in document(paper).items() if k in old.names()}
            doc["keywords"] = ",".join(paper.keywords)
            w.add_document(**doc)
    ix.close()
    (index_dir / "SCHEMA_VERSION").write_text("4")
    library = Library(locations)
    assert library.index.needs_rebuild()
    assert _ids(library, "author:balazs") == ["2412.00002"]  # folded: the index was rebuilt
    assert (index_dir / "SCHEMA_VERSION").read_text() == str(SCHEMA_VERSION)
    library.close()
    assert locations.bookmarks_db.read_bytes() == bookmarks_before


def test_folded_words_are_highlighted_in_the_original_text(lib: Library) -> None:
    from paperbrowse.search.engine import match_spans

    text = "Straße of Balázs, a ﬁne-tuning Ｔｒａｎｓｆｏｒｍｅｒ"
    spans = match_spans("abstract", text, {"strass", "balaz", "fine", "transform"})
    assert [text[s:e] for s, e in spans] == ["Straße", "Balázs", "ﬁne", "Ｔｒａｎｓｆｏｒｍｅｒ"]
    result = lib.search("balazs transformer", snippets=True)
    hit = result.hits[0]
    assert hit.paper.id == "2412.00002"


def test_excluded_words_are_not_matched_words_and_exclusions_come_newest_first(
    lib: Library,
) -> None:
    result = lib.search("quantized -pruning")
    assert "prune" not in result.terms and "quantiz" in result.terms
    only_not = lib.search("-pruning", limit=None)
    assert only_not.terms == ()
    newest_first = lib.search("", limit=None).ids  # the empty query's order
    assert list(only_not.ids) == [p for p in newest_first if p != "2412.00004"]
    assert only_not.sort == "relevance"


def test_a_fuzzy_stem_no_real_word_reaches_ranks_below_one_a_title_word_reaches(tmp_path) -> None:
    # "sjeing~": "seeing" (a title word) stems to "see"; "saeing" (no word) stems to "sae",
    # the stem of "SAEs". Both are found; the paper about seeing comes first.
    records = [
        arxiv_record("2412.20001", "SAEs and SAEs", "About SAEs.", "A. Writer", "cs.LG"),
        arxiv_record("2412.20002", "Fast Vision", "Seeing things.", "B. Writer", "cs.CV"),
        arxiv_record("2412.20003", "Seeing Far", "Far away.", "C. Writer", "cs.CV"),
    ]
    dump = tmp_path / "p.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    library = Library(Locations(tmp_path / "data"))
    library.ingest([dump])
    result = library.search("sjeing~", limit=None)
    assert {"see", "sae"} <= set(result.terms)
    # A title's "SAEs" used to outrank an abstract's "Seeing".
    assert [h.paper.id for h in result.hits] == ["2412.20003", "2412.20002", "2412.20001"]
    library.close()


def test_a_capped_expansion_is_still_reported_once_scored(tmp_path, monkeypatch) -> None:
    from paperbrowse.search.engine import queries

    monkeypatch.setattr(queries, "MAX_EXPANSION", 1)
    library = Library(Locations(tmp_path / "data"))
    library.ingest([_dump(tmp_path)])
    result = library.search("pr*", limit=None)  # prune, product, prompt: one is kept
    assert result.capped and all(c.startswith("pr* (1 of") for c in result.capped)
    assert result.total >= 1 and result.hits[0].score > 0
    library.close()
