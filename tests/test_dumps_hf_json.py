"""The Hugging Face daily-papers API JSON: both schemas, truncated downloads, bad records."""

from __future__ import annotations

import json
import os
from datetime import date

from paperbrowse.search.dumps.hf_json import parse_text
from paperbrowse.search.models import Paper, ParseNote

from tests.dumps_paths import DUMPS, needs_dumps, read_notes, read_split

OLD = DUMPS / "hf-daily-json" / "daily_papers_2024-07-05.json"
NEW = DUMPS / "hf-daily-json" / "daily_papers_2026-08-20.json"


@needs_dumps
def test_older_schema_every_field():
    papers, problems = read_split(OLD)
    assert problems == []
    assert [p.id for p in papers] == ["2407.01906", "2407.01392", "2407.03321"]
    first = papers[0]
    assert first == Paper(
        id="2407.01906",
        # "…Fine-Tuning for\n  Sparse…" in the file: the hard wrap is folded.
        title="Let the Expert Stick to His Last: Expert-Specialized Fine-Tuning for Sparse "
        "Architectural Large Language Models",
        abstract=first.abstract,
        authors=("Zihan Wang", "Deli Chen", "Damai Dai", "Runxin Xu", "Zhuoshu Li", "Y. Wu"),
        n_authors=6,
        published=date(2024, 7, 2),
        upvotes=18,
        urls=("https://arxiv.org/abs/2407.01906",),
        sources=(str(OLD),),
        kinds=("hf-json",),
        arxiv_id="2407.01906",
        # No submittedOnDailyAt in the old schema: the day in the file name.
        featured=date(2024, 7, 5),
        featured_days=(date(2024, 7, 5),),
    )
    assert first.abstract.startswith("Parameter-efficient fine-tuning (PEFT) is crucial for")
    assert first.abstract.endswith(
        "thereby enhancing both the training efficiency and effectiveness."
    )
    assert "\n" not in first.abstract
    assert papers[2].title.startswith("Planetarium: A Rigorous Benchmark for Translating Text")
    assert papers[2].n_authors == 5


@needs_dumps
def test_newer_schema_every_field():
    papers, problems = read_split(NEW)
    assert problems == []
    assert len(papers) == 15
    corl = papers[1]
    assert corl.id == corl.arxiv_id == "2608.17253"
    assert corl.title == (
        "Co-RL: Unsupervised Reasoning Emerges from Diverse Cohort in Multi-agent RL"
    )
    assert corl.abstract.startswith("Reinforcement learning (RL) has emerged as a power")
    assert corl.abstract.endswith("Code is available at https://github.com/DrStranded/Co-RL.")
    assert corl.authors[:2] == ("Yunhao Yang", "Yuexin Bian")
    assert corl.authors[-1] == "Yijiang Li"
    assert corl.n_authors == 9
    assert corl.published == date(2026, 8, 19)
    assert corl.featured == date(2026, 8, 20)
    assert corl.upvotes == 74
    assert corl.github_stars == 1
    # Abstract link, githubRepo, projectPage, then the arXiv page; the repeated repo link once.
    assert corl.urls == (
        "https://github.com/DrStranded/Co-RL",
        "https://drstranded.github.io/Co-RL",
        "https://arxiv.org/abs/2608.17253",
    )
    assert corl.organization == "University of California at San Diego"
    assert corl.ai_summary.startswith("Co-RL enables unsupervised reasoning via cooperative")
    assert corl.keywords[:3] == (
        "reinforcement learning",
        "self-rewarding RL",
        "cooperative multi-agent training",
    )
    assert len(corl.keywords) == 10
    assert corl.categories == () and corl.doi is None

    zetta = papers[0]
    assert zetta.title == (
        "Zetta ζ: An Efficient Closed-Loop Embodied Harness for Self-Evolving Physical Intelligence"
    )
    assert (zetta.n_authors, zetta.upvotes, zetta.github_stars) == (15, 92, 152)
    assert zetta.authors[0] == "Xin Ding"  # the listed name, not the claimed account's
    assert zetta.published == date(2026, 8, 17)
    assert zetta.organization is None
    assert zetta.urls == (
        "https://github.com/air-embodied-brain/Zetta-Embodiment",
        "https://air-embodied-brain.github.io/zetta/",
        "https://arxiv.org/abs/2608.16590",
    )

    amazon = papers[7]
    assert amazon.id == "2608.14929"
    assert amazon.organization == "Amazon"
    assert amazon.authors == ("Aman Singh Thakur", "Rayan Khoury")
    assert amazon.github_stars is None
    # Its projectPage is the PDF: kept as given, next to the abs page.
    assert amazon.urls == ("https://arxiv.org/pdf/2608.14929", "https://arxiv.org/abs/2608.14929")

    last = papers[-1]
    assert (last.id, last.upvotes) == ("2608.14229", 0)


@needs_dumps
def test_truncated_array_keeps_complete_items(tmp_path):
    text = NEW.read_text(encoding="utf-8")
    # Cut in the middle of the fourth entry.
    cut = text.index('"id": "2608.17426"') if '"id": "2608.17426"' in text else None
    if cut is None:
        cut = text.index("2608.17426")
    path = tmp_path / "daily_papers_2026-08-20.json"
    path.write_text(text[:cut], encoding="utf-8")
    papers, problems = read_split(path)
    assert [p.id for p in papers] == ["2608.16590", "2608.17253", "2608.18565"]
    [problem] = problems
    assert problem.message.startswith("truncated JSON: ")
    assert problem.line == text[:cut].count("\n") + 1
    assert problem.record == "record 4"


def test_truncated_between_items():
    text = '[{"paper": {"id": "2407.01906", "title": "A", "summary": "S"}},\n'
    items = list(parse_text(text, "mem", None))
    assert isinstance(items[0], Paper)
    assert items[1].message == "truncated JSON: the array is not closed"
    assert items[1].line == 2


def test_bad_records_are_problems_and_the_rest_is_read():
    entries = [
        {"paper": {"id": "2407.00001", "title": "Good one", "summary": "x", "authors": []}},
        {"paper": {"id": "2407.00002", "summary": "no title"}},
        "a string",
        {"paper": {"id": "2407.00003", "title": "Bad authors", "authors": 5}},
        {"paper": {"title": "No id at all", "summary": "y", "upvotes": True}},
    ]
    text = json.dumps(entries, indent=1)
    items = list(parse_text(text, "mem", date(2024, 1, 2)))
    papers = [i for i in items if isinstance(i, Paper)]
    problems = [i for i in items if not isinstance(i, Paper)]
    assert [p.title for p in papers] == ["Good one", "No id at all"]
    assert papers[1].id.startswith("t-") and papers[1].arxiv_id is None
    assert papers[1].upvotes is None  # true is not a count
    assert papers[0].featured == date(2024, 1, 2)  # no submittedOnDailyAt, no date in name
    assert [(p.record, p.message) for p in problems][0] == ("record 2", "missing title")
    assert problems[1].record == "record 3"
    # A string that is no Python-literal entry is that entry's problem, named (see
    # test_dumps_hf_json_variants for strings that are).
    assert problems[1].message == "string entry is not a Python-literal entry: 'a string'"
    assert problems[2].record == "record 4"
    assert [p.line for p in problems][0] == text.count("\n", 0, text.index('"2407.00002"')) - 1


def test_featured_falls_back_to_as_of_then_mtime(tmp_path):
    path = tmp_path / "saved.json"
    path.write_text('[{"paper": {"id": "2407.01906", "title": "A", "summary": "S"}}]')
    os.utime(path, (1_700_000_000, 1_700_000_000))
    papers, _ = read_split(path, as_of=date(2024, 7, 9))
    assert papers[0].featured == date(2024, 7, 9)
    assert read_notes(path, as_of=date(2024, 7, 9)) == []
    papers, _ = read_split(path)
    day = date.fromtimestamp(1_700_000_000)
    assert papers[0].featured == day
    # Only the file's time said which day: ingest says so, once for the file.
    assert read_notes(path) == [
        ParseNote(
            str(path),
            f"entries without submittedOnDailyAt read as featured on {day.isoformat()}, the "
            "file's time (its name has no YYYY-MM-DD day; --as-of DATE says which day it is)",
        )
    ]
    # An entry that says its day needs no guess.
    path.write_text(
        '[{"paper": {"id": "2407.01906", "title": "A", "summary": "S",'
        ' "submittedOnDailyAt": "2024-07-03T00:00:00.000Z"}}]'
    )
    assert read_notes(path) == []


def test_api_error_object():
    items = list(parse_text('{"error": "Invalid date"}', "mem", None))
    assert [i.message for i in items] == ["Hugging Face API error: Invalid date"]


def test_not_an_array():
    items = list(parse_text('"just a string"', "mem", None))
    assert items[0].message == "not a Hugging Face daily-papers JSON array"
