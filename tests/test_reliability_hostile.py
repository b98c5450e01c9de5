"""Hostile and unusual input through the real command (issue 11): files that are not files,
names that are not text, records too deep to parse, encodings without a BOM, control codes in
every field. For each: no hang, no traceback, no silent loss, no control code out.

Every command runs in a subprocess through ``main()`` (``python -m tui.cli``), as a user meets it.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from paperbrowse.search.text import strip_controls

from tests.fixtures_cli import assert_no_traceback, run_cli
from tests.fixtures_dumps import jsonl_record

# Every character class a terminal acts on or that reorders text: ESC sequences (CSI, OSC 52
# clipboard write), BEL, 8-bit CSI (C1), DEL, and the bidi override/isolate controls.
NASTY = "\x1b[31m\x1b]52;c;aGk=\x07\x9b2J\x7f\u202eRLO\u2066iso\u2069\x85"


def has_controls(text: str) -> bool:
    return strip_controls(text) != text


def _stats(data: Path) -> dict:
    done = run_cli(data, "stats", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _show(data: Path, paper_id: str) -> dict:
    done = run_cli(data, "show", paper_id, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _jsonl(path: Path, *lines: str | bytes) -> Path:
    path.write_bytes(b"".join((x.encode() if isinstance(x, str) else x) + b"\n" for x in lines))
    return path


def _rec(i: int, **extra) -> str:
    return json.dumps(jsonl_record(i, marker="hostile", **extra))


def _strings(value) -> list[str]:
    """Every string in a JSON value, keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# -- 1: files that are not regular files -------------------------------------------------------


def test_fifo_device_socket_and_symlink_loops_are_named_and_skipped(tmp_path: Path) -> None:
    """A FIFO hung the ingest for ever in open() (holding the ingest lock, papers read before
    it left unindexed), and /dev/zero was hashed for ever: each non-regular file is now one
    problem line naming what it is, and every good file is ingested and indexed."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    _jsonl(dumps / "a_good.jsonl", _rec(1))
    os.mkfifo(dumps / "b_pipe.jsonl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(dumps / "c_socket.jsonl"))
    (dumps / "d_loop1.jsonl").symlink_to(dumps / "d_loop2.jsonl")
    (dumps / "d_loop2.jsonl").symlink_to(dumps / "d_loop1.jsonl")
    (dumps / "e_dangling.jsonl").symlink_to(dumps / "nowhere.jsonl")
    _jsonl(dumps / "z_good.jsonl", _rec(2))
    data = tmp_path / "data"
    try:
        done = run_cli(data, "ingest", str(dumps), "/dev/zero", timeout=60)
    finally:
        server.close()
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert_no_traceback(done.stdout, done.stderr)
    assert "b_pipe.jsonl: is a named pipe (FIFO), not a dump file" in err
    assert "c_socket.jsonl: is a socket, not a dump file" in err
    assert "/dev/zero: is a character device, not a dump file" in err
    assert "d_loop1.jsonl: cannot read: Too many levels of symbolic links" in err
    assert "e_dangling.jsonl: cannot read: No such file or directory" in err
    stats = _stats(data)
    assert (stats["papers"], stats["pending_index"]) == (2, 0)
    found = run_cli(data, "search", "hostile", "--json")
    assert len(json.loads(found.stdout)) == 2


def test_sparse_and_zero_filled_giants_are_refused_by_their_shape(tmp_path: Path) -> None:
    """A 3 GB sparse file took seconds to be hashed and then called binary; a zero-filled one
    as long: both are refused from stat and three small reads, before any hashing."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    with open(dumps / "holes.jsonl", "wb") as fh:
        fh.truncate(3 << 30)  # 3 GB of holes: no disk used
    (dumps / "zeros.json").write_bytes(bytes(4 << 20))  # 4 MB of real NUL bytes
    with open(dumps / "disk.img", "wb") as fh:  # plainly no dump by its name: counted aside
        fh.truncate(1 << 30)
    _jsonl(dumps / "good.jsonl", _rec(3))
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(dumps), timeout=60)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert_no_traceback(done.stdout, done.stderr)
    assert "holes.jsonl: a sparse file (3.0 GB, almost all holes), not a dump: skipped" in err
    assert "zeros.json: binary file (4.0 MB, mostly NUL bytes), not a dump: skipped" in err
    assert "disk.img" not in err and "1 other file" in done.stdout.decode()
    assert _stats(data)["papers"] == 1


# -- 2: names that are not UTF-8, or hold controls -----------------------------------------------


def test_file_names_that_are_not_utf8_or_hold_controls_are_kept_and_shown_escaped(
    tmp_path: Path,
) -> None:
    """A name with a byte that is not UTF-8 crashed the ingest (UnicodeEncodeError in the
    manifest) and every later file was skipped. Now it is stored by its bytes (re-ingest
    knows it is unchanged) and shown escaped, as are newlines and escape codes in names."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    odd = os.fsdecode(b"bad\xff\x1b[31m\nname\xe2\x80\xae.jsonl")
    _jsonl(dumps / odd, _rec(4, title=f"escaped name {NASTY}"))
    _jsonl(dumps / "z_later.jsonl", _rec(5))
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(dumps))
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stdout, done.stderr)
    shown = _show(data, jsonl_record(4)["id"])
    assert shown["sources"] == [str(dumps / "bad\\xff\\x1b[31m\\nname\\u202e.jsonl")]
    assert _stats(data)["papers"] == 2
    again = run_cli(data, "ingest", str(dumps))
    assert again.returncode == 0, again.stderr
    assert "(2 unchanged)" in again.stdout.decode()
    plain = run_cli(data, "show", jsonl_record(4)["id"])
    assert b"\x1b" not in plain.stdout and b"\xe2\x80\xae" not in plain.stdout
    assert "bad\\xff\\x1b[31m\\nname\\u202e.jsonl" in plain.stdout.decode()


def test_a_problem_in_an_oddly_named_file_names_it_escaped(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    _jsonl(dumps / os.fsdecode(b"x\xfe\x07.jsonl"), _rec(6), "{not json")
    done = run_cli(tmp_path / "data", "ingest", str(dumps))
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "x\\xfe\\x07.jsonl:2: " in err and "\x07" not in err


# -- 3: depth ----------------------------------------------------------------------------------


def test_a_record_nested_too_deeply_costs_that_record_only(tmp_path: Path) -> None:
    """100k nested brackets on one JSON line, or as one item of an HF JSON array, raised
    RecursionError: the file was marked complete with the records after it never read, even
    on re-ingest ("0 records", exit 0). Now the bad record is one problem with its line or
    record number and every other record is ingested."""
    deep = "[" * 100_000 + "]" * 100_000
    jsonl = _jsonl(tmp_path / "deep.jsonl", _rec(7), deep, _rec(8), '{"a":' * 50_000, _rec(9))
    item = {"paper": {"id": "2402.00001", "title": "Before the deep one", "summary": "s"}}
    after = {"paper": {"id": "2402.00002", "title": "After the deep one", "summary": "s"}}
    hf = tmp_path / "daily_papers_2024-02-01.json"
    hf.write_text("[" + json.dumps(item) + ",\n" + deep + ",\n" + json.dumps(after) + "]")
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(jsonl), str(hf))
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert_no_traceback(done.stdout, done.stderr)
    assert "deep.jsonl:2: JSON nested too deeply to read" in err
    assert "deep.jsonl:4: JSON nested too deeply to read" in err
    assert "daily_papers_2024-02-01.json:2 (record 2): JSON nested too deeply to read" in err
    assert _stats(data)["papers"] == 5
    assert _show(data, "2402.00002")["title"] == "After the deep one"


# -- 4 and 11: encodings -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_jsonl_in_utf16_without_bom_keeps_every_record(tmp_path: Path, encoding: str) -> None:
    """Byte lines split UTF-16 characters: the first and last records were lost."""
    text = "\n".join(_rec(i) for i in (10, 11, 12)) + "\n"
    dump = tmp_path / "u16.jsonl"
    dump.write_bytes(text.encode(encoding))
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(dump))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert _stats(data)["papers"] == 3


def test_an_invalid_utf8_line_is_kept_and_said(tmp_path: Path) -> None:
    """Read as a legacy encoding silently before; now the line is named."""
    latin = [_rec(i).encode()[:-1] + b', "x": "caf\xe9"}' for i in (13, 15, 17)]
    dump = _jsonl(tmp_path / "latin.jsonl", _rec(14), latin[0], _rec(16), *latin[1:])
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(dump))
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        f"paperbrowse: {dump}:2: not valid UTF-8: read as cp1252 (accents may be wrong)",
        f"paperbrowse: {dump}: 2 more lines not valid UTF-8, read the same way "
        "(accents may be wrong)",
    ]
    assert _stats(data)["papers"] == 5


# -- 8 and 9: control codes in every stored field, and in every --json ---------------------------


def test_control_codes_are_cleaned_from_every_stored_field(tmp_path: Path) -> None:
    """``categories`` kept ESC/BEL/C1/RLO ("cs.LG \\u001b]52;c;aGk=\\u0007" reached the
    terminal through ``show --json | jq -r``). Every field of every format is now clean."""
    fields = {
        k: f"{k} {NASTY}"
        for k in ("title", "abstract", "comments", "journal-ref", "doi", "report-no", "license")
    }
    fields.update(
        submitter=f"sub {NASTY}",
        authors=f"Ann {NASTY} Bee",
        categories=f"cs.LG {NASTY} stat.ML",
        authors_parsed=[[f"Bee{NASTY}", "Ann", "", f"Uni {NASTY}"]],
    )
    jsonl = _jsonl(tmp_path / "ctl.jsonl", json.dumps(jsonl_record(15, **fields)))
    hf_paper = {
        "id": "2403.00001",
        "title": f"hf {NASTY}",
        "summary": f"sum {NASTY} https://github.com/o/r{NASTY}",
        "authors": [{"name": f"Cy {NASTY}"}],
        "githubRepo": f"https://github.com/o/r{NASTY}",
        "projectPage": f"https://p.example/{NASTY}",
        "ai_summary": f"ai {NASTY}",
        "ai_keywords": [f"kw {NASTY}"],
        "organization": {"fullname": f"Org {NASTY}"},
    }
    hf = tmp_path / "daily_papers_2024-03-01.json"
    hf.write_text(json.dumps([{"paper": hf_paper}]))
    # XML 1.0 forbids C0 controls even as references: C1, DEL and bidi are what a feed holds.
    esc = "".join(c for c in NASTY if ord(c) >= 0x20)
    atom = tmp_path / "feed.xml"
    atom.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom"><entry>'
        "<id>http://arxiv.org/abs/2403.00002v1</id><title>atom title</title>"
        "<summary>s</summary><author><name>Di</name></author>"
        f'<arxiv:primary_category term="cs.AI {esc}"/><category term="math {esc}"/>'
        "</entry></feed>"
    )
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(jsonl), str(hf), str(atom))
    assert done.returncode == 0, done.stderr
    for pid in (jsonl_record(15)["id"], "2403.00001", "2403.00002"):
        record = _show(data, pid)
        dirty = [s for s in _strings(record) if has_controls(s)]
        assert not dirty, (pid, dirty)
    assert _show(data, jsonl_record(15)["id"])["categories"][0] == "cs.LG"


def test_every_json_output_escapes_c1_and_bidi(tmp_path: Path) -> None:
    """``bookmark list --json`` wrote C1 controls and bidi characters from notes raw (its own
    json.dumps); every --json now goes through one writer."""
    dump = _jsonl(tmp_path / "one.jsonl", _rec(16))
    data = tmp_path / "data"
    assert run_cli(data, "ingest", str(dump)).returncode == 0
    pid = jsonl_record(16)["id"]
    note = "see \x9b31m and \u202eevil\u2069 \x85"
    assert run_cli(data, "bookmark", "add", pid, "--note", note).returncode == 0
    for args in (("bookmark", "list", "--json"), ("search", "hostile", "--json")):
        done = run_cli(data, *args)
        assert done.returncode == 0, done.stderr
        out = done.stdout.decode()
        assert not has_controls(out.replace("\n", "")), (args, out)
        assert "\u2069" not in out
    listed = json.loads(run_cli(data, "bookmark", "list", "--json").stdout)
    assert listed[0]["note"] == note


def test_no_command_writes_json_by_itself() -> None:
    """One writer: nothing in tui/ calls json.dumps; search/jsonout.py writes every JSON."""
    tui = Path(__file__).resolve().parents[1] / "tui"
    offenders = [p.name for p in tui.rglob("*.py") if "json.dumps" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_a_file_whose_reading_stopped_early_is_read_again(tmp_path: Path, monkeypatch) -> None:
    """A parser that fails mid-file (a bug, an I/O error) used to leave the file marked
    complete: the records after the failure were never read, even by the next ingest."""
    from paperbrowse.search.dumps import arxiv_jsonl
    from paperbrowse.search.library import Library
    from paperbrowse.search.paths import Locations

    dump = _jsonl(tmp_path / "three.jsonl", _rec(20), _rec(21, title="boom"), _rec(22))
    real = arxiv_jsonl.to_paper

    def failing(record, source):
        if record.get("title") == "boom":
            raise RuntimeError("parser bug")
        return real(record, source)

    library = Library(Locations(tmp_path / "data"))
    try:
        monkeypatch.setattr(arxiv_jsonl, "to_paper", failing)
        report = library.ingest([dump])
        assert [p.message for p in report.problems] == [
            "could not read as arxiv-jsonl: RuntimeError: parser bug"
        ]
        assert library.count() == 1
        monkeypatch.setattr(arxiv_jsonl, "to_paper", real)
        again = library.ingest([dump])
        assert (again.files_unchanged, again.papers_read, library.count()) == (0, 3, 3)
    finally:
        library.close()


# -- 5: prefix and wildcard expansions beyond the bound ----------------------------------------


@pytest.fixture(scope="module")
def zeta_library(tmp_path_factory) -> Path:
    """200 papers, each with its own word zeta000ium … zeta199ium (more than MAX_EXPANSION)."""
    from paperbrowse.search.engine.queries import MAX_EXPANSION

    folder = tmp_path_factory.mktemp("zeta")
    assert MAX_EXPANSION < 200
    dump = _jsonl(
        folder / "zeta.jsonl",
        *(_rec(100 + i, title=f"On zeta{i:03d}ium and more") for i in range(200)),
    )
    data = folder / "data"
    assert run_cli(data, "ingest", str(dump)).returncode == 0
    return data


def test_a_capped_prefix_says_the_answer_may_be_incomplete(zeta_library: Path) -> None:
    """`zeta*` returned 64 papers and said "64 results", as if that were all."""
    from paperbrowse.search.engine.queries import MAX_EXPANSION

    for args in (("zeta*",), ("zeta*", "--json"), ("title:zeta*", "--limit", "500")):
        done = run_cli(zeta_library, "search", *args)
        assert done.returncode == 0, done.stderr
        assert (
            f"paperbrowse: the answer may be incomplete: zeta* ({MAX_EXPANSION} of 200 words)"
            in done.stderr.decode()
        ), args
    complete = run_cli(zeta_library, "search", "zeta01*", "--json")
    assert len(json.loads(complete.stdout)) == 10
    assert b"incomplete" not in complete.stderr


def test_the_app_status_says_a_capped_prefix_may_be_incomplete(zeta_library: Path) -> None:
    import asyncio

    from paperbrowse.search.services import build_services

    from tests.fixtures_app import make_app, settle, static_text

    async def run() -> None:
        services = build_services(zeta_library)
        try:
            app = make_app(services)
            async with app.run_test(size=(120, 36)) as pilot:
                await settle(pilot)
                await pilot.press("slash", *"zeta*")
                await settle(pilot)
                status = static_text(app.screen.query_one("#status"))
                assert "may be incomplete: zeta* (64 of 200 words)" in status
        finally:
            services.close()

    asyncio.run(run())


# -- 6: sizes that made work grow faster than the input ------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a" * 100_000, "query too long (100,000 characters; at most 1,000)"),
        (" OR ".join(["zeta"] * 3_000), "query too long (23,996 characters; at most 1,000)"),
        (" OR ".join(["z"] * 150), "query has too many words (150; at most 100)"),
    ],
    ids=["100 KB word", "3000 OR terms", "150 words"],
)
def test_queries_beyond_the_bounds_get_a_clear_message(
    zeta_library: Path, query: str, message: str
) -> None:
    """A 100 KB word took 72 s in Whoosh's parser, 3,000 OR terms 13 s to rank."""
    done = run_cli(zeta_library, "search", query, timeout=60)
    assert done.returncode == 1
    assert done.stderr.decode() == f"paperbrowse: {message}\n"


def test_an_atom_tag_beyond_the_bound_is_refused_at_once(tmp_path: Path) -> None:
    """A 20 MB attribute took 12 s (expat re-parses an unfinished token at every chunk)."""
    from paperbrowse.search.dumps.arxiv_atom import MAX_TOKEN

    head = '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
    entry = "<entry><id>http://arxiv.org/abs/2404.0000{}v1</id><title>Feed {}</title></entry>\n"
    huge = tmp_path / "huge.xml"
    huge.write_text(head + entry.format(1, 1) + f'<link href="{"x" * (20 << 20)}"/>\n</feed>')
    fine = tmp_path / "fine.xml"
    big_but_fine = f'<link href="{"y" * (MAX_TOKEN - 100)}"/>'
    fine.write_text(head + entry.format(2, 2) + big_but_fine + entry.format(3, 3) + "</feed>")
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(huge), str(fine), timeout=60)
    assert done.returncode == 1
    assert done.stderr.decode() == (
        f"paperbrowse: {huge}:4: XML tag longer than 1 MB: not an arXiv API response\n"
    )
    assert _stats(data)["papers"] == 2


# -- 11: the smaller ones -----------------------------------------------------------------------


def test_upvote_counts_beyond_the_index_range_are_no_crash(tmp_path: Path) -> None:
    """A dump saying 10**12 or -5 upvotes stopped the ingest with Whoosh's traceback, and
    ``--min-upvotes 1e23`` answered in Whoosh's words."""
    hf = tmp_path / "daily_papers_2024-05-01.json"
    items = [
        {"paper": {"id": "2405.00001", "title": "Huge votes", "summary": "s", "upvotes": 10**12}},
        {"paper": {"id": "2405.00002", "title": "Negative votes", "summary": "s", "upvotes": -5}},
    ]
    hf.write_text(json.dumps(items))
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(hf))
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stderr)
    found = run_cli(data, "search", "votes", "--min-upvotes", "1e23", "--json")
    assert found.returncode == 0, found.stderr
    assert [p["id"] for p in json.loads(found.stdout)] == ["2405.00001"]
    thousand = run_cli(data, "search", "votes", "--min-upvotes", "1e3", "--json")
    assert [p["id"] for p in json.loads(thousand.stdout)] == ["2405.00001"]
    bad = run_cli(data, "search", "votes", "--min-upvotes", "1.5")
    assert bad.returncode == 2
    assert bad.stderr.decode() == (
        "paperbrowse: --min-upvotes: expected a whole number such as 10 or 1e3, got '1.5'\n"
    )


def test_no_papers_match_does_not_echo_a_long_query(zeta_library: Path) -> None:
    query = " ".join(["nothingmatches"] * 60)
    done = run_cli(zeta_library, "search", query)
    assert done.returncode == 0
    assert done.stderr.decode() == (
        f"No papers match {query[:80]!r}… ({len(query):,} characters).\n"
    )


def test_a_deep_single_object_and_a_long_array_are_read(tmp_path: Path) -> None:
    """One daily-papers entry saved alone holding 100k nested brackets raised RecursionError
    out of format detection (read_dump promises never to raise); an array of 20,000 items
    took 9 s, counting lines from the start for each item. The work is measured in characters
    scanned for line numbers (not in seconds): at most the text's length, not its square."""
    from paperbrowse.search.dumps import hf_json, read_dump
    from paperbrowse.search.models import Paper, ParseProblem

    deep = tmp_path / "one.json"
    deep.write_text('{"paper": {"title": "x", "summary": "y", "a": ' + "[" * 100_000)
    out = list(read_dump(deep))
    assert [type(x) for x in out] == [ParseProblem]
    assert "nested too deeply" in out[0].message

    scanned = [0]

    class Counted(str):
        def count(self, sub, start=0, end=None):  # type: ignore[override]
            scanned[0] += (len(self) if end is None else end) - start
            return super().count(sub, start, end)

    items = [
        {"paper": {"id": f"2406.{i:05d}", "title": f"T{i}", "summary": "s"}} for i in range(20_000)
    ]
    text = Counted(json.dumps(items, indent=1))
    papers = [p for p in hf_json.parse_text(text, "many.json", None) if isinstance(p, Paper)]
    assert len(papers) == 20_000
    assert scanned[0] <= len(text)


def test_a_huge_line_or_whole_file_is_skipped_without_being_held(
    tmp_path: Path, monkeypatch
) -> None:
    """A JSON line of gigabytes (a file forced with --format arxiv-jsonl) was read into memory
    whole, as was a whole-file format of any size. The bounds are lowered here to keep the
    test small; the reading is the same."""
    from paperbrowse.search.dumps import arxiv_jsonl, read_dump
    from paperbrowse.search.models import Paper, ParseProblem

    monkeypatch.setattr(arxiv_jsonl, "MAX_LINE", 1 << 20)
    longest = []
    real = arxiv_jsonl.iter_records

    def watched(lines, source):
        def measured():
            for line in lines:
                longest.append(len(line) if line is not None else 0)
                yield line

        return real(measured(), source)

    monkeypatch.setattr(arxiv_jsonl, "iter_records", watched)
    dump = _jsonl(tmp_path / "long.jsonl", _rec(30), b"x" * (5 << 20), _rec(31))
    out = list(read_dump(dump, "arxiv-jsonl"))
    assert [type(x) for x in out] == [Paper, ParseProblem, Paper]
    assert (out[1].line, out[1].message) == (2, "line longer than 1 MB: not a record, skipped")
    assert max(longest) < 1 << 20

    from paperbrowse import search

    monkeypatch.setattr(search.dumps, "MAX_WHOLE_FILE", 1 << 20)
    page = tmp_path / "daily_papers_2024-06-01.json"
    page.write_text(json.dumps([{"paper": {"title": "t", "summary": "s" * (2 << 20)}}]))
    (problem,) = read_dump(page)
    assert problem.message == (
        "too large for Hugging Face daily-papers API JSON (more than 1 MB, which are read "
        "whole): skipped"
    )


def test_a_missing_path_is_named_escaped(tmp_path: Path) -> None:
    """Its controls were dropped (``gone[2J.json``), hiding what the name really was."""
    missing = tmp_path / os.fsdecode(b"gone\x1b[2J\n\xff.json")
    done = run_cli(tmp_path / "data", "ingest", str(missing))
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[0] == (
        f"paperbrowse: {tmp_path}/gone\\x1b[2J\\n\\xff.json: no such file or folder"
    )


def test_a_file_with_thousands_of_bad_lines_lists_a_hundred(tmp_path: Path) -> None:
    """Each bad line was a line on stderr and an object in memory: a million for a file of
    the wrong kind forced as JSON lines. The first 100 are listed, the rest counted."""
    dump = _jsonl(tmp_path / "bad.jsonl", _rec(40), *(["{broken"] * 5_000), _rec(41))
    data = tmp_path / "data"
    done = run_cli(data, "ingest", str(dump))
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1
    assert len(lines) == 101
    assert lines[0] == (
        f"paperbrowse: {dump}:2: invalid JSON: Expecting property name enclosed in double "
        "quotes (column 2)"
    )
    assert lines[-1] == f"paperbrowse: {dump}: 4,900 more problems, not listed one by one"
    assert _stats(data)["papers"] == 2
