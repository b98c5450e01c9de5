"""Hugging Face Daily Papers pages copied as text: the three plain layouts and markdown captures."""

from __future__ import annotations

import os
from datetime import date

from paperbrowse.search.dumps.hf_text import parse_text
from paperbrowse.search.models import Paper, ParseProblem

from tests.dumps_paths import DUMPS, FIXTURES, needs_dumps, read_split

PAGES = DUMPS / "hf-papers-text"
AS_OF = date(2025, 12, 20)


def by_title(papers, prefix):
    [paper] = [p for p in papers if p.title.startswith(prefix)]
    return paper


@needs_dumps
def test_page_with_bylines_every_field():
    path = PAGES / "000_749900d1330c4652.txt"
    papers, problems = read_split(path, as_of=AS_OF)
    assert problems == []
    assert len(papers) == 53
    first = papers[0]
    assert first == Paper(
        id="t-5cef6cd9e75c",
        title="HBFormer: A Hybrid-Bridge Transformer for Microtumor and Miniature Organ "
        "Segmentation",
        abstract=first.abstract,
        n_authors=9,
        published=date(2025, 12, 3),  # "Dec 3" on the page of Dec 12 (2025)
        urls=("https://github.com/lzeeorno/HBFormer",),
        sources=(str(path),),
        kinds=("hf-text",),
    )
    assert first.abstract.startswith("Medical image segmentation is a cornerstone of modern")
    assert first.abstract.endswith(
        "Code and models are available at: https://github.com/lzeeorno/HBFormer."
    )
    assert first.authors == () and first.arxiv_id is None

    battle = papers[2]
    assert battle.title == (
        "Battle of the Backbones: A Large-Scale Comparison of Pretrained Models across "
        "Computer Vision Tasks"
    )
    assert battle.id == "t-36c45e8f8fc2"
    assert battle.n_authors == 13
    assert battle.published == date(2023, 10, 30)  # "Oct 30, 2023 1"
    assert battle.upvotes == 1
    assert battle.urls == ("https://github.com/hsouri/Battle-of-the-Backbones",)

    chain = by_title(papers, "Chain-of-Model Learning")
    assert (chain.id, chain.n_authors, chain.published, chain.upvotes) == (
        "t-1b735f567e15",
        17,
        date(2025, 5, 17),  # "May 17 8": no year, then the upvote count
        8,
    )
    assert chain.abstract.startswith("In this paper, we propose a novel learning paradig")
    assert chain.abstract.endswith("the future at: https://github.com/microsoft/CoLM.")

    # No byline and no date on the page: nothing invented.
    omni = by_title(papers, "Omni-AVSR")
    assert omni.title == (
        "Omni-AVSR: Towards Unified Multimodal Speech Recognition with Large Language Models"
    )
    assert (omni.n_authors, omni.published, omni.upvotes, omni.urls) == (None, None, None, ())
    assert omni.abstract.endswith("the trade-off between performance and efficiency.")

    lwga = by_title(papers, "LWGANet")
    assert lwga.published == date(2025, 1, 17)  # "Jan 17", the page's year
    fedloge = by_title(papers, "FedLoGe")
    assert fedloge.published == date(2024, 1, 17)  # "Jan 17, 2024"


@needs_dumps
def test_link_artefacts_in_abstracts_are_repaired():
    papers, _ = read_split(PAGES / "000_749900d1330c4652.txt", as_of=AS_OF)
    # "https://github.com/ altair199797/LowFormer." (a space after the host, from a PDF copy)
    assert by_title(papers, "LowFormer").urls == ("https://github.com/altair199797/LowFormer",)
    # "…/tree/master{https://…/tree/master}" (a LaTeX \href leftover)
    assert by_title(papers, "Feature Coding in the Era").urls == (
        "https://github.com/chansongoal/FCM-LM/tree/master",
    )


@needs_dumps
def test_page_date_anchors_yearless_dates():
    path = PAGES / "004_61fb1cd1b8cc20b0.txt"
    # The page says "Oct 10"; with as_of 2026-10-05 that is 2025-10-10, so "Sep 16" is 2025-09-16
    # (resolving against as_of directly would wrongly give 2026-09-16).
    papers, problems = read_split(path, as_of=date(2026, 10, 5))
    assert problems == []
    assert len(papers) == 53
    first = papers[0]
    assert first.title == "ResidualViT for Efficient Temporally Dense Video Encoding"
    assert first.id == "t-b291a8b6287a"
    assert (first.n_authors, first.published, first.upvotes) == (5, date(2025, 9, 16), None)
    assert first.abstract.startswith("Several video understanding tasks, such as natural")
    assert first.abstract.endswith("ing the accuracy of the original foundation model.")
    kalm = by_title(papers, "KaLM-Embedding-V2")
    assert (kalm.n_authors, kalm.published) == (17, date(2025, 6, 25))
    assert by_title(papers, "Poincaré ResNet").published == date(2023, 3, 24)
    shape = by_title(papers, "Rethinking the shape convention of an MLP")
    assert (shape.n_authors, shape.published) == (None, None)
    hyper = by_title(papers, "HyperZ")
    assert (hyper.n_authors, hyper.upvotes) == (1, 1)  # "1 author" singular


@needs_dumps
def test_with_the_file_mtime_no_date_is_in_the_future():
    for path in sorted(PAGES.iterdir()):
        mtime = date.fromtimestamp(os.stat(path).st_mtime)
        papers, problems = read_split(path)
        assert problems == []
        dated = [p.published for p in papers if p.published]
        assert all(d <= mtime for d in dated), path.name


@needs_dumps
def test_pages_without_bylines():
    for name, count, first_title, last_title in (
        (
            "001_dc328557879a1cd0.txt",
            94,
            "FrozenSeg: Harmonizing Frozen Foundation Models for Open-Vocabulary Segmentation",
            "iTransformer: Inverted Transformers Are Effective for Time Series Forecasting",
        ),
        (
            "003_6f96a1003d4bdb3d.txt",
            101,
            "Research on Optimizing Real-Time Data Processing in High-Frequency Trading "
            "Algorithms using Machine Learning",
            "Learning to Prompt for Vision-Language Models",
        ),
    ):
        path = PAGES / name
        papers, problems = read_split(path, as_of=AS_OF)
        assert problems == []
        assert len(papers) == count
        assert papers[0].title == first_title
        assert papers[-1].title == last_title
        assert all(p.published is None and p.n_authors is None for p in papers)
    papers, _ = read_split(PAGES / "001_dc328557879a1cd0.txt")
    assert papers[0].id == "t-f24f6a65be41"
    assert papers[0].urls == ("https://github.com/chenxi52/FrozenSeg",)
    assert papers[0].abstract.startswith("Open-vocabulary segmentation poses significant cha")
    assert papers[0].abstract.endswith("vailable at https://github.com/chenxi52/FrozenSeg.")


@needs_dumps
def test_page_without_blank_lines_and_glued_header():
    path = PAGES / "002_d843eee6621cdd13.txt"
    papers, problems = read_split(path, as_of=AS_OF)
    assert problems == []
    assert len(papers) == 226
    first = papers[0]
    # "SubscribeUnifying Feature …": the header word is not part of the title.
    assert first.title == (
        "Unifying Feature and Cost Aggregation with Transformers for Semantic and Visual "
        "Correspondence"
    )
    assert first.id == "t-caea9f608b14"
    assert first.abstract.startswith("This paper introduces a Transformer-based integrat")
    assert first.abstract.endswith("ificant improvements compared to existing methods.")
    last = papers[-1]
    assert (last.title, last.id) == ("M3PT: A Multi-Modal Model for POI Tagging", "t-7ad859fa26f1")
    assert last.abstract.endswith("ng DIE, TIF and the contrastive learning strategy.")
    assert not any(p.title.lower().startswith(("subscribe", "get trending")) for p in papers)


@needs_dumps
def test_same_paper_same_id_across_pages():
    ids = {}
    for path in sorted(PAGES.iterdir()):
        papers, _ = read_split(path, as_of=AS_OF)
        for p in papers:
            ids.setdefault(p.title, set()).add(p.id)
    assert all(len(v) == 1 for v in ids.values())
    assert "Stitchable Neural Networks" in ids


def test_markdown_capture():
    # A simpler layout than the real captures dumps/SOURCES.md describes (abstract on the "["
    # line, bylines without brackets, no capture header): such captures must read too. The
    # described layout: tests/test_dumps_hf_markdown.py.
    path = FIXTURES / "hf_papers_markdown.md"
    # No as_of: the capture date in the header (2025-12-14) anchors "Dec 12", not the mtime.
    papers, problems = read_split(path)
    assert problems == []
    assert [p.title for p in papers] == [
        "HBFormer: A Hybrid-Bridge Transformer for Microtumor and Miniature Organ Segmentation",
        "Battle of the Backbones: A Large-Scale Comparison of Pretrained Models across "
        "Computer Vision Tasks",
        "Tuning Pre-trained Model via Moment Probing",
        "Omni-AVSR: Towards Unified Multimodal Speech Recognition with Large Language Models",
        "A Fictional Paper for Testing Markdown Captures",
    ]
    hb, battle, tuning, omni, fictional = papers
    # The same paper as in the plain copy: same id, same abstract.
    plain, _ = read_split(DUMPS / "hf-papers-text" / "000_749900d1330c4652.txt", as_of=AS_OF)
    if plain:
        assert hb.abstract == plain[0].abstract
        assert omni.abstract == by_title(plain, "Omni-AVSR").abstract
    assert hb.id == "t-5cef6cd9e75c"
    assert (hb.n_authors, hb.published, hb.upvotes) == (9, date(2025, 12, 3), None)
    assert hb.urls == ("https://github.com/lzeeorno/HBFormer",)
    assert hb.abstract.startswith("Medical image segmentation is a cornerstone")
    assert (battle.n_authors, battle.published, battle.upvotes) == (13, date(2023, 10, 30), 1)
    assert battle.abstract.endswith("https://github.com/hsouri/Battle-of-the-Backbones")
    assert (tuning.n_authors, tuning.organization, tuning.upvotes) == (None, "Example Lab", 3)
    assert tuning.published == date(2023, 7, 21)
    assert (omni.n_authors, omni.published, omni.upvotes) == (None, None, None)
    # A link to the paper's page gives the arXiv id; "Feb 29" goes back to a leap year.
    assert fictional.id == fictional.arxiv_id == "2512.99999"
    assert fictional.urls == (
        "https://github.com/example/fictional-paper",
        "https://arxiv.org/abs/2512.99999",
    )
    assert (fictional.n_authors, fictional.published, fictional.upvotes) == (
        1,
        date(2024, 2, 29),
        12,
    )


def test_markdown_capture_as_of_overrides_capture_date():
    path = FIXTURES / "hf_papers_markdown.md"
    papers, _ = read_split(path, as_of=date(2026, 12, 1))
    # "Dec 12" is now 2025-12-12 still (2026-12-12 is after as_of); "Dec 3" likewise.
    assert papers[0].published == date(2025, 12, 3)
    papers, _ = read_split(path, as_of=date(2027, 1, 5))
    assert papers[0].published == date(2026, 12, 3)


def test_organisation_byline_in_plain_layout():
    text = (
        "Daily Papers\n\nMar 3\n\nA Paper From A Lab\n\n" + "Abstract words. " * 30 + "\n\n"
        "  • Some Research Lab\n·\nFeb 29 5\n\nSecond Paper\n\nShort abstract.\n\n"
        "  • 1 author\n·\nMar 4\n"
    )
    items = list(parse_text(text, "mem", as_of=date(2025, 3, 10)))
    assert all(isinstance(p, Paper) for p in items)
    lab, second = items
    assert (lab.organization, lab.n_authors, lab.upvotes) == ("Some Research Lab", None, 5)
    # The page is Mar 3 (2025), so Feb 29 is 2024's.
    assert lab.published == date(2024, 2, 29)
    # "Mar 4" is after the page date: the previous year's.
    assert (second.n_authors, second.published) == (1, date(2024, 3, 4))


def test_no_date_after_as_of_even_without_page_date():
    text = "Title One\n\n" + "Words. " * 50 + "\n\n  • 3 authors\n·\nDec 31\n"
    [paper] = list(parse_text(text, "mem", as_of=date(2025, 6, 1)))
    assert paper.published == date(2024, 12, 31)


def test_text_without_papers_is_a_problem():
    items = list(parse_text("new\n\nSubscribe\n\nDaily Papers\n", "mem", as_of=AS_OF))
    assert items == [ParseProblem("mem", "no papers found in this page copy")]


def test_hard_wrapped_paragraphs_are_joined():
    text = (
        "Daily Papers\n\nDec 1\n\nA Wrapped\nTitle\n\nAn abstract that was\nwrapped by a tool.\n\n"
        "  • 2 authors\n·\nNov 30\n"
    )
    [paper] = list(parse_text(text, "mem", as_of=date(2025, 12, 5)))
    assert paper.title == "A Wrapped Title"
    assert paper.abstract == "An abstract that was wrapped by a tool."
    assert paper.published == date(2025, 11, 30)


@needs_dumps
def test_windows_line_endings(tmp_path):
    source = PAGES / "000_749900d1330c4652.txt"
    copy = tmp_path / "page.txt"
    copy.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    expected, _ = read_split(source, as_of=AS_OF)
    papers, problems = read_split(copy, as_of=AS_OF)
    assert problems == []
    assert [(p.title, p.abstract, p.published, p.n_authors, p.upvotes) for p in papers] == [
        (p.title, p.abstract, p.published, p.n_authors, p.upvotes) for p in expected
    ]


def test_glued_subscribe_without_other_header_lines():
    text = "SubscribeA Glued Title\n" + "An abstract. " * 30 + "\nSecond Title\n" + "More. " * 60
    papers = list(parse_text(text, "mem", as_of=AS_OF))
    assert [p.title for p in papers] == ["A Glued Title", "Second Title"]
    # "Subscribe to …" or "Subscriber …" is a title of its own, not a glued header.
    text = "Subscriber Networks\n" + "An abstract. " * 30 + "\nOther\n" + "More. " * 60
    assert [p.title for p in parse_text(text, "mem", as_of=AS_OF)][0] == "Subscriber Networks"
