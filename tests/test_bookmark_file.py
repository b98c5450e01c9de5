"""Bookmarks as a portable file: export, import, merge rules, refusals, and ``updated``."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from paperbrowse.search.bookmark_io import (
    EARLIER_NOTE,
    FORMAT,
    BookmarkFileError,
    export_lines,
    import_bookmarks,
    merge,
    parse_lines,
)
from paperbrowse.search.bookmarks import Bookmark, BookmarkStore
from paperbrowse.search.models import Paper

from tests.dumps_paths import DUMPS, needs_dumps
from tests.fixtures_cli import pb

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 2, 1, tzinfo=UTC)
PAPER = Paper(id="2401.00001", arxiv_id="2401.00001", title="Deep Quokkas")


def mark(**kw) -> Bookmark:
    base = Bookmark(PAPER, ("a",), "", False, T0, None, T0)
    return replace(base, **kw)


# -- merge rules ------------------------------------------------------------------------------


def test_a_new_paper_is_added_as_it_was() -> None:
    theirs = mark(tags=("x",), note="n", read=True, key="k1")
    assert merge(None, theirs) is theirs


def test_tags_are_united_and_the_newer_note_is_kept_first_with_the_older_below() -> None:
    ours = mark(tags=("a", "b"), note="ours, written first", updated=T0, key="ours2026")
    theirs = mark(tags=("b", "c"), note="theirs, later", updated=T1, read=True, key="x")
    merged = merge(ours, theirs)
    assert merged is not None
    assert merged.tags == ("a", "b", "c")
    assert merged.note == f"theirs, later\n\n{EARLIER_NOTE}\nours, written first"
    assert merged.read is True  # the newer copy's read state
    assert merged.key == "ours2026"  # a key given here is kept
    assert merged.updated == T1


def test_merging_the_merged_note_again_changes_nothing() -> None:
    ours = mark(note="old", updated=T0)
    theirs = mark(note="new", updated=T1)
    merged = merge(ours, theirs)
    assert merge(merged, theirs) is None
    assert merge(merged, ours) is None
    assert merge(ours, mark(note="", updated=T1)) is None  # an empty note adds nothing


# -- the store and the file -------------------------------------------------------------------


def test_export_is_sorted_and_stable_and_parses_back_exactly(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        store.add(replace(PAPER, id="2401.00009", arxiv_id="2401.00009"), ["z"], "line 1\nline 2")
        store.add(PAPER, ["b", "a"], "\u202eevil\x85")
        store.set_key("2401.00001", "quokka2024")
        marks = store.list()
    text = export_lines(marks)
    assert text == export_lines(list(reversed(marks)))
    lines = text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["2401.00001", "2401.00009"]
    assert "\u202e" not in text and "\x85" not in text  # escaped, as every JSON we write
    assert all(json.loads(line)["format"] == FORMAT for line in lines)
    back = parse_lines(text, "f")
    assert sorted(back, key=lambda m: m.id) == sorted(marks, key=lambda m: m.id)


def test_import_is_one_transaction_and_reports_what_it_did(tmp_path: Path) -> None:
    source = BookmarkStore(tmp_path / "a.sqlite3")
    source.add(PAPER, ["t"], "theirs")
    source.set_key(PAPER.id, "taken")
    other = replace(PAPER, id="2401.00002", arxiv_id="2401.00002", title="Other")
    source.add(other, [], "")
    text = export_lines(source.list())
    with BookmarkStore(tmp_path / "b.sqlite3") as here:
        third = replace(PAPER, id="2401.00003", arxiv_id="2401.00003", title="Third")
        here.add(third)
        here.set_key(third.id, "taken")  # the imported bookmark's key is already used here
        report = import_bookmarks(here, parse_lines(text, "f"), lambda p: p.id == other.id)
        assert (report.added, report.merged, report.unchanged) == (2, 0, 0)
        assert report.not_in_library == 1 and report.keys_dropped == ("taken",)
        assert here.get(PAPER.id).key is None and here.get(third.id).key == "taken"
        again = import_bookmarks(here, parse_lines(text, "f"), lambda p: True)
        assert (again.added, again.merged, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ('{"format": "other/1"}', "not a paperbrowse bookmark"),
        (f'{{"format": "{FORMAT}"}}', "'paper' is missing"),
        ("[1, 2]", "not a JSON object"),
        ("[" * 100_000, "not JSON"),
    ],
)
def test_a_malformed_line_is_named_and_nothing_is_parsed(line: str, message: str) -> None:
    good = export_lines([mark(note="fine")])
    with pytest.raises(BookmarkFileError) as err:
        parse_lines(good + line + "\n", "backup.jsonl")
    assert err.value.line == 2 and message in str(err.value)
    assert str(err.value).startswith("backup.jsonl:2: ")


def test_bad_fields_and_duplicates_are_refused() -> None:
    record = json.loads(export_lines([mark()]))
    for field, value, message in (
        ("tags", "a", "'tags' must be a list"),
        ("read", "yes", "'read' must be true or false"),
        ("created", "yesterday", "'created' is not an ISO date"),
        ("updated", "2026-01-01T00:00:00", "'updated' has no time zone"),
    ):
        with pytest.raises(BookmarkFileError, match=message):
            parse_lines(json.dumps({**record, field: value}), "f")
    with pytest.raises(BookmarkFileError, match="already on line 1"):
        parse_lines(json.dumps(record) + "\n" + json.dumps(record), "f")


def test_updated_follows_the_users_changes_only(tmp_path: Path) -> None:
    with BookmarkStore(tmp_path / "b.sqlite3") as store:
        first = store.add(PAPER, ["a"])
        assert first.updated is not None and first.updated >= first.created
        db = sqlite3.connect(tmp_path / "b.sqlite3")
        db.execute("UPDATE bookmarks SET updated = '2020-01-01T00:00:00+00:00'")
        db.commit()
        store.refresh([replace(PAPER, title="Deep Quokkas, v2")])  # metadata: not the user's
        assert store.get(PAPER.id).updated == datetime(2020, 1, 1, tzinfo=UTC)
        for change in (
            lambda: store.set_note(PAPER.id, "n"),
            lambda: store.set_read(PAPER.id, True),
            lambda: store.tag(PAPER.id, "b"),
            lambda: store.untag(PAPER.id, "a"),
        ):
            db.execute("UPDATE bookmarks SET updated = '2020-01-01T00:00:00+00:00'")
            db.commit()
            change()
            assert store.get(PAPER.id).updated > datetime(2025, 1, 1, tzinfo=UTC)
        gone = store.pop(PAPER.id)
        assert store.restore(gone).updated == gone.updated  # undo keeps it exactly
        db.close()


def test_a_file_from_before_updated_counts_as_changed_when_made(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with BookmarkStore(path) as store:
        store.add(PAPER, ["a"], "n")
    db = sqlite3.connect(path)
    # Back to v2: without what v4 (read state, watches) and v3 (``updated``) added.
    for trigger in ("bookmark_read", "bookmark_unread", "bookmark_added", "bookmark_moved"):
        db.execute(f"DROP TRIGGER {trigger}")
    for table in ("reads", "watches", "user_meta"):
        db.execute(f"DROP TABLE {table}")
    for trigger in ("bookmarks_changed", "tag_added", "tag_removed"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("ALTER TABLE bookmarks DROP COLUMN updated")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with BookmarkStore(path) as store:
        upgraded = store.get(PAPER.id)
        assert upgraded.updated == upgraded.created and upgraded.note == "n"


# -- through the entry point ------------------------------------------------------------------


@needs_dumps
def test_export_wipe_import_is_identical_and_twice_is_no_change(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    pb(home, "ingest", str(DUMPS / "arxiv-jsonl"))
    pb(home, "bookmark", "add", "0704.0001", "0704.0002", "--tag", "physics", "--note", "§3")
    pb(home, "bookmark", "read", "0704.0002")
    pb(home, "export", "bibtex", "-o", str(tmp_path / "refs.bib"))  # gives the keys
    out = tmp_path / "bookmarks.jsonl"
    run = pb(home, "bookmark", "export", "-o", str(out))
    assert run.stderr.strip() == f"exported 2 bookmarks to {out}"
    exported = out.read_bytes()
    assert pb(home, "bookmark", "export").stdout.encode() == exported

    run = pb(elsewhere, "bookmark", "import", str(out))
    assert run.stderr.strip() == (
        f"imported {out}: 2 added, 0 merged, 0 unchanged; 2 not in the library (kept)"
    )
    assert pb(elsewhere, "bookmark", "export").stdout.encode() == exported
    listing = pb(elsewhere, "bookmark", "list").stdout.splitlines()
    assert all(line.endswith("(not in the library)") for line in listing)
    run = pb(elsewhere, "bookmark", "import", str(out))
    assert "0 added, 0 merged, 2 unchanged" in run.stderr
    assert pb(elsewhere, "bookmark", "export").stdout.encode() == exported

    pb(home, "bookmark", "import", str(out))  # into the library it came from: nothing new
    listed = json.loads(pb(home, "bookmark", "list", "--json").stdout)
    assert {m["id"]: m["in_library"] for m in listed} == {"0704.0001": True, "0704.0002": True}


def test_a_malformed_file_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    good = export_lines([mark(note="kept?")])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good + "{oops\n", encoding="utf-8")
    run = pb(data, "bookmark", "import", str(bad), code=1)
    assert run.stderr.startswith(f"paperbrowse: {bad}:2: not JSON")
    assert run.stderr.rstrip().endswith("; nothing imported")
    assert json.loads(pb(data, "bookmark", "list", "--json").stdout) == []
    bad.write_bytes(b"\xff\xfe\x00")
    assert "not UTF-8 text" in pb(data, "bookmark", "import", str(bad), code=1).stderr
    missing = tmp_path / "nope.jsonl"
    assert "cannot read" in pb(data, "bookmark", "import", str(missing), code=1).stderr
