"""Hostile and broken dumps, through every parser: never an exception, always a reason.

``search.dumps.read_dump`` is fed fuzzed bytes (hypothesis) and hand-made nasty files, both with
format detection and with each format forced. Whatever the input:

* it yields only papers and problems, and never raises;
* a file that gives no paper gives at least one problem naming the file (the per-file reason);
* papers carry no control characters (no terminal escape can come out of a dump);
* the good records of a partly broken file are all still yielded.

The fuzzing is bounded (small ``max_examples``, no deadline) so this file runs in well under a
minute on a shared two-core machine.
"""

from __future__ import annotations

import codecs
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paperbrowse.search.dumps import read_dump
from paperbrowse.search.models import FORMATS, Paper, ParseNote, ParseProblem
from paperbrowse.search.paths import sample_dir
from paperbrowse.search.services import build_services

from tests.fixtures_dumps import jsonl_record, write_jsonl

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What must never survive into a paper: C0/C1 controls (ESC, CSI, BEL ...) and bidi overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# -- seeds: one small valid dump per format ------------------------------------------------------

HF_JSON = json.dumps(
    [
        {
            "paper": {
                "id": f"2407.0000{i}",
                "title": f"Zebrafish paper {i}",
                "summary": "We study zebrafish with a tiny controller. https://github.com/a/b",
                "authors": [{"name": "Ada Lovelace", "hidden": False}],
                "publishedAt": "2024-07-04T10:00:00.000Z",
                "upvotes": i,
            },
            "title": f"Zebrafish paper {i}",
            "publishedAt": "2024-07-05T10:00:00.000Z",
        }
        for i in range(1, 4)
    ],
    indent=1,
)

ATOM = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/x</id>
  <title>arXiv Query</title>
{entries}
</feed>
"""
ATOM_ENTRY = """  <entry>
    <id>http://arxiv.org/abs/2202.1213{i}v1</id>
    <title>Testing deep models {i}</title>
    <updated>2022-02-24T15:05:19Z</updated>
    <published>2022-02-24T15:05:19Z</published>
    <summary>Deep learning {i} has revolutionized testing.</summary>
    <author><name>Grace Hopper</name></author>
    <arxiv:primary_category term="cs.SE"/>
    <category term="cs.SE"/>
  </entry>
"""


def _atom(n: int = 3, extra: str = "") -> str:
    return ATOM.format(entries="".join(ATOM_ENTRY.format(i=i) for i in range(n)) + extra)


def _jsonl(n: int = 3) -> str:
    return "".join(json.dumps(jsonl_record(i, marker="seed")) + "\n" for i in range(n))


def _hf_text() -> str:
    # The first part of a bundled sample page (the project's own data, shipped in the package).
    page = sorted(sample_dir().glob("*.txt"))[0].read_text(encoding="utf-8")
    return page[:6000]


SEEDS = {
    "hf-json": HF_JSON,
    "arxiv-atom": _atom(),
    "arxiv-jsonl": _jsonl(),
    "hf-text": _hf_text(),
}

HOSTILE = [
    "\x00",
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m",
    "\u202egnp.exe",
    "\u200b\u200c\u200d\ufeff",
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "[bold red]x[/]",
    "\ufffd",
    "\ud800",
    "\r\n\r",
    "}]\"'<>&",
]

# -- the checker ---------------------------------------------------------------------------------


def check(path: Path, fmt: str | None = None) -> tuple[list[Paper], list[ParseProblem]]:
    """read_dump's promises for one file (and format); returns (papers, problems)."""
    papers: list[Paper] = []
    problems: list[ParseProblem] = []
    notes: list[ParseNote] = []
    for item in read_dump(path, fmt):
        if isinstance(item, Paper):
            papers.append(item)
        elif isinstance(item, ParseNote):  # an assumption or repair said, never a failure
            notes.append(item)
        else:
            assert isinstance(item, ParseProblem), item
            problems.append(item)
    for problem in [*problems, *notes]:
        assert problem.source == str(path)
        assert isinstance(problem.message, str) and problem.message.strip()
        assert not _CONTROL.search(problem.message.replace("\n", " ")), problem.message
    if not papers:
        assert problems, f"{path} gave neither a paper nor a reason"
    for paper in papers:
        assert isinstance(paper.id, str) and paper.id
        for text in (paper.title, paper.abstract, *paper.authors, *paper.urls, paper.comments):
            if text:
                assert not _CONTROL.search(text), (paper.id, text)
    return papers, problems


def check_all_formats(path: Path) -> None:
    check(path)
    for fmt in FORMATS:
        check(path, fmt)


def _mutate(data: bytes, position: float, cut: bool, insert: bytes) -> bytes:
    at = int(len(data) * position)
    return data[:at] + insert if cut else data[:at] + insert + data[at:]


# -- fuzzing -------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "dump"
    path.write_bytes(data)
    check_all_formats(path)


@pytest.mark.parametrize("fmt", sorted(SEEDS))
@FUZZ
@given(
    position=st.floats(0, 1),
    cut=st.booleans(),
    insert=st.one_of(
        st.sampled_from(HOSTILE).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.binary(max_size=40),
        st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]),
)
def test_mutated_valid_dumps(
    tmp_path: Path, fmt: str, position: float, cut: bool, insert: bytes, encoding: str
) -> None:
    """A valid dump, re-encoded, then cut short or with junk spliced in anywhere."""
    text = SEEDS[fmt]
    raw = text.encode(encoding, "replace")
    path = tmp_path / f"dump.{fmt}"
    path.write_bytes(_mutate(raw, position, cut, insert))
    check_all_formats(path)


@FUZZ
@given(
    layout=st.lists(
        st.one_of(
            st.integers(0, 10_000).map(lambda i: ("good", i)),
            st.sampled_from(
                [
                    "{",
                    '{"id": 12, "title": []}',
                    '{"id": "0704.0001"}',
                    "[1, 2, 3]",
                    "null",
                    '"just a string"',
                    '{"id": "x", "title": "\\ud800 lone surrogate"}',
                    "\x00\x01\x02",
                    "\u202e\u200b",
                    '{"id": "0704.0002", "title": "cut sho',
                ]
            ).map(lambda s: ("bad", s)),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_jsonl_good_records_survive_bad_lines(tmp_path: Path, layout) -> None:
    lines, good_ids, bad_lines = [], set(), 0
    for kind, value in layout:
        if kind == "good":
            record = jsonl_record(value)
            lines.append(json.dumps(record))
            good_ids.add(record["id"])
        else:
            lines.append(value)
            bad_lines += 1
    # The first line must look like the snapshot for detection; force the format as --format does.
    path = tmp_path / "snapshot.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
    papers, problems = check(path, "arxiv-jsonl")
    assert {p.id for p in papers} >= good_ids
    for problem in problems:
        assert problem.line is not None, "a bad line is reported with its line number"


# -- hand-made nasty files -----------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2202.12139v1</id>
<title>&lol9;</title><summary>x</summary></entry></feed>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE feed [ <!ENTITY secret SYSTEM "file://{target}"> ]>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2202.12139v1</id>
<title>Leak &secret;</title><summary>x</summary></entry></feed>
"""


def _nasty_files(tmp_path: Path) -> dict[str, bytes]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    huge_abstract = json.dumps(jsonl_record(1, abstract="word " * 1_000_000)) + "\n"
    return {
        "empty": b"",
        "blank": b" \n\t\r\n" * 100,
        "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
        "nul-bytes": b"\x00" * 5000,
        "huge-single-line": b"a" * 3_000_000,
        "huge-jsonl-record": huge_abstract.encode(),
        "truncated-hf-json": HF_JSON.encode()[: len(HF_JSON) // 2],
        "truncated-atom": _atom().encode()[:-200],
        "truncated-jsonl": _jsonl(3).encode()[:-40],
        "billion-laughs": BILLION_LAUGHS.encode(),
        "external-entity": EXTERNAL_ENTITY.format(target=secret).encode(),
        "deep-json-array": b"[" * 200_000 + b"]" * 200_000,
        "deep-hf-json": (
            b'[{"paper": {"title": "x", "summary": '
            + b'{"a":' * 100_000
            + b"1"
            + b"}" * 100_000
            + b"}}]"
        ),
        "deep-jsonl": b'{"id": "0704.0001", "title": "t", "abstract": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}\n",
        "utf16-no-bom": _jsonl(2).encode("utf-16-le"),
        "utf16-be-bom": codecs.BOM_UTF16_BE + HF_JSON.encode("utf-16-be"),
        "utf32": _atom().replace("UTF-8", "UTF-32").encode("utf-32"),
        "latin1": _jsonl(2).replace("Ada", "Adé").encode("latin-1"),
        "mixed-encodings": _jsonl(1).encode() + "Ünïcödé\n".encode("latin-1") + _jsonl(1).encode(),
        "nul-in-jsonl": _jsonl(2).encode() + b'{"id": "\x00"}\n' + _jsonl(1).encode(),
        "rtl-zero-width": _atom(1).replace("Testing", "\u202e\u200bTe\u200dsting\u2067").encode(),
        "escape-codes": _jsonl(1)
        .replace("number", "\\u001b[31mred\\u001b]0;title\\u0007\\u009b2J")
        .encode(),
        "not-a-feed": b"<?xml version='1.0'?><html><body>hi</body></html>",
        "xml-bomb-quadratic": (
            '<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "' + "x" * 50_000 + '">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>' + "&a;" * 5000 + "</title></feed>"
        ).encode(),
    }


def test_nasty_files_give_a_reason_never_an_exception(tmp_path: Path) -> None:
    for name, data in _nasty_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(data)
        started = time.monotonic()
        papers, problems = check(path)
        for fmt in FORMATS:
            check(path, fmt)
        # Entity expansion would take minutes and gigabytes; refusing it takes milliseconds.
        assert time.monotonic() - started < 30, name
        for paper in papers:
            assert "TOPSECRET" not in paper.title + paper.abstract, name
            assert "lollol" not in paper.title, name


def test_entity_declarations_are_refused_with_a_reason(tmp_path: Path) -> None:
    for name, text in (("bomb.xml", BILLION_LAUGHS), ("xxe.xml", EXTERNAL_ENTITY)):
        path = tmp_path / name
        path.write_text(text.replace("{target}", "/etc/hostname"))
        papers, problems = check(path, "arxiv-atom")
        assert papers == []
        assert any("refused" in p.message for p in problems), problems


def test_rtl_and_zero_width_titles_keep_their_text_but_lose_bidi_overrides(tmp_path: Path) -> None:
    path = tmp_path / "rtl.xml"
    title = "\u202eTesting \u05e9\u05dc\u05d5\u05dd\u200b models\u2069"
    path.write_text(_atom(1).replace("Testing deep models 0", title), encoding="utf-8")
    papers, _ = check(path)
    assert len(papers) == 1
    assert "\u05e9\u05dc\u05d5\u05dd" in papers[0].title
    assert "\u202e" not in papers[0].title and "\u2069" not in papers[0].title


def test_good_papers_of_broken_files_are_ingested_and_each_bad_file_named(tmp_path: Path) -> None:
    """Through the library: one bad file never stops the others, and says why it was skipped."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    write_jsonl(dumps / "good.jsonl", 5000, 40, marker="goodone")
    broken = dumps / "partly-broken.jsonl"
    broken.write_text(
        _jsonl(0)
        + "".join(
            json.dumps(jsonl_record(i, marker="survivor")) + "\n" + ("{broken\n" if i % 3 else "")
            for i in range(100, 130)
        )
    )
    for name, data in _nasty_files(tmp_path).items():
        if name not in ("huge-single-line", "huge-jsonl-record", "deep-json-array"):
            (dumps / name).write_bytes(data)
    services = build_services(tmp_path / "data")
    try:
        report = services.library.ingest([dumps])
        assert services.library.search("goodone", limit=None).total == 40
        assert services.library.search("survivor", limit=None).total == 30
        skipped = dict(report.files_skipped)
        for name in ("empty", "binary", "nul-bytes", "billion-laughs", "not-a-feed"):
            assert str(dumps / name) in skipped, name
            assert skipped[str(dumps / name)].strip()
        assert report.problems
    finally:
        services.close()


def test_a_dump_bigger_than_one_read_batch_is_ingested_whole(tmp_path: Path) -> None:
    """Every good record is ingested, however many transactions the read takes."""
    from paperbrowse.search.library import READ_BATCH

    n = READ_BATCH * 2 + 17
    dump = write_jsonl(tmp_path / "big.jsonl", 0, n, marker="bulk")
    services = build_services(tmp_path / "data")
    try:
        report = services.library.ingest([dump])
        assert report.papers_read == n
        assert services.library.count() == n
        assert services.library.search("bulk", limit=None).total == n
    finally:
        services.close()


def test_lone_surrogates_are_replaced_and_reported_never_a_crash(tmp_path: Path) -> None:
    """A JSON "\\ud800" escape with no pair decodes to a lone surrogate, which cannot be encoded:
    ingest crashed with a traceback. Now the record is kept with U+FFFD in its place, the spot
    is named (file and record), the rest of the file is read, and the paper prints."""
    lone = "\ud800"
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    jsonl = dumps / "arxiv.jsonl"
    records = [
        jsonl_record(1, title=f"Lone {lone} surrogate", abstract=f"  An abstract {lone}."),
        jsonl_record(2, marker="untouched"),
        jsonl_record(3, marker="authorbroken", authors_parsed=[[f"Love{lone}lace", "Ada", ""]]),
        jsonl_record(4, marker="catbroken", categories=f"cs.LG{lone}"),
    ]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert "\\ud800" in jsonl.read_text()  # the escape as a dump has it
    hf = dumps / "daily.json"
    hf.write_text(
        json.dumps(
            [
                {
                    "paper": {
                        "id": "2501.00007",
                        "title": f"Hugging {lone} face",
                        "summary": "A summary.",
                        "authors": [{"name": f"X{lone}"}],
                        "publishedAt": "2025-01-01T00:00:00.000Z",
                        "upvotes": 3,
                    },
                    "title": f"Hugging {lone} face",
                    "publishedAt": "2025-01-01T00:00:00.000Z",
                }
            ]
        ),
        encoding="utf-8",
    )
    services = build_services(tmp_path / "data")
    try:
        report = services.library.ingest([dumps])
        lib = services.library
        assert lib.count() == 5
        messages = sorted(str(p) for p in report.problems)
        assert messages == sorted(
            [
                f"{jsonl} (record 1): invalid Unicode (a lone surrogate) replaced by U+FFFD",
                f"{jsonl} (record 3): invalid Unicode (a lone surrogate) replaced by U+FFFD",
                f"{jsonl} (record 4): invalid Unicode (a lone surrogate) replaced by U+FFFD",
                f"{hf} (record 1): invalid Unicode (a lone surrogate) replaced by U+FFFD",
            ]
        )
        hit = lib.search("surrogate").hits[0].paper
        assert hit.title == "Lone \ufffd surrogate" and hit.abstract == "An abstract \ufffd."
        assert lib.search("untouched").total == 1
        assert lib.search("authorbroken").hits[0].paper.authors[0] == "Ada Love\ufffdlace"
        assert lib.search("hugging face").hits[0].paper.authors == ("X\ufffd",)
        for paper in lib.get_many(list(lib.search("", limit=None).ids)):
            json.dumps(paper.title).encode("utf-8")  # nothing left that cannot be encoded
    finally:
        services.close()


@pytest.mark.parametrize("data", [b"\x0b", b"\x0c\n\x0b", b"\x0b" + b" " * 70_000, b"\n\n\n"])
def test_a_file_of_blank_lines_of_any_kind_is_said(tmp_path: Path, data: bytes) -> None:
    """Found by the fuzzer: a lone vertical tab, read as JSON lines, gave neither a paper nor a
    reason (only spaces, tabs and newlines counted as blank)."""
    path = tmp_path / "dump"
    path.write_bytes(data)
    check_all_formats(path)
