"""`paperbrowse mark`, `new`, `watch …` and `digest` through the real entry point."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.dumps_paths import DUMPS, HF_JSON
from tests.fixtures_cli import pb

COLLECTION = DUMPS.parent / "collections" / "hf-daily-json-archive"
OLD_DAY = HF_JSON / "daily_papers_2024-07-05.json"
NEW_DAY = HF_JSON / "daily_papers_2026-08-20.json"

pytestmark = pytest.mark.skipif(not HF_JSON.is_dir(), reason=f"dumps not found at {HF_JSON}")


@pytest.fixture
def two_days(tmp_path: Path) -> Path:
    """A library that got one day, then another: the second ingest brought 15 papers."""
    pb(tmp_path, "ingest", str(OLD_DAY))
    pb(tmp_path, "ingest", str(NEW_DAY))
    return tmp_path


def test_mark_read_and_unread_any_paper_and_bookmarks_agree(two_days: Path) -> None:
    out = pb(two_days, "mark", "read", "2608.17253", "https://arxiv.org/abs/2608.18565").stdout
    assert out.strip() == "2 marked read; 0 were read already"
    assert (
        "1 marked read; 1 were read already"
        in pb(two_days, "mark", "read", "2608.17253", "2608.18423").stdout
    )
    # A bookmark made after the paper was read is read: one truth for read state.
    pb(two_days, "bookmark", "add", "2608.17253")
    marks = json.loads(pb(two_days, "bookmark", "list", "--json").stdout)
    assert [m["read"] for m in marks] == [True]
    pb(two_days, "mark", "unread", "2608.17253")
    marks = json.loads(pb(two_days, "bookmark", "list", "--json").stdout)
    assert [m["read"] for m in marks] == [False]
    # ...and the bookmark's own read command moves the paper's state too.
    pb(two_days, "bookmark", "read", "2608.17253")
    rows = json.loads(pb(two_days, "new", "--last-ingest", "--json").stdout)
    read = {r["id"] for r in rows if r["read"]}
    assert read == {"2608.17253", "2608.18565", "2608.18423"}


def test_mark_unknown_id_changes_nothing(two_days: Path) -> None:
    run = pb(two_days, "mark", "read", "2608.17253", "9999.99999", code=1)
    assert "not in the library: 9999.99999 (nothing marked)" in run.stderr
    rows = json.loads(pb(two_days, "new", "--last-ingest", "--json").stdout)
    assert not any(r["read"] for r in rows)


def test_read_state_survives_rebuild(two_days: Path) -> None:
    pb(two_days, "mark", "read", "2608.17253")
    pb(two_days, "ingest", "--rebuild", str(OLD_DAY), str(NEW_DAY))
    rows = json.loads(pb(two_days, "new", "--since", "30d", "--json").stdout)
    assert {r["id"] for r in rows if r["read"]} == {"2608.17253"}
    # A rebuild does not make old papers new: the last ingest still brought the second day's.
    ids = pb(two_days, "new", "--last-ingest", "--ids").stdout.split()
    assert len(ids) == 15 and "2608.17253" in ids


def test_new_since_last_ingest_and_since(two_days: Path) -> None:
    ids = pb(two_days, "new", "--last-ingest", "--ids").stdout.split()
    assert len(ids) == 15
    assert "2608.17253" in ids
    everything = pb(two_days, "new", "--since", "1d", "--ids").stdout.split()
    assert len(everything) == 18  # both days came in today
    text = pb(two_days, "new").stdout  # no session yet: what the last ingest brought
    assert text.splitlines()[0] == "15 new in the last ingest (15 unread)"
    assert "* 2608.17253" in text
    assert json.loads(pb(two_days, "new", "--since", "2999-01-01", "--json").stdout) == []
    bad = pb(two_days, "new", "--since", "yesterday", code=2)
    assert "--since: not a time span or date: 'yesterday'" in bad.stderr


def test_watch_add_list_remove(two_days: Path) -> None:
    out = pb(two_days, "watch", "add", "lang", "language model", "--min-upvotes", "10").stdout
    assert out.strip() == "watching lang: 'language model' ≥10 upvotes"
    dup = pb(two_days, "watch", "add", "lang", "other", code=1)
    assert "a watch named 'lang' exists already" in dup.stderr
    listed = json.loads(pb(two_days, "watch", "list", "--json").stdout)
    assert listed[0]["name"] == "lang" and listed[0]["filters"] == {"min_upvotes": 10}
    count = listed[0]["new"]
    assert count > 0
    # Reading one of its papers lowers the count of new unread papers by one.
    digest = json.loads(pb(two_days, "digest", "--json").stdout)
    first = digest["watches"][0]["papers"][0]["id"]
    pb(two_days, "mark", "read", first)
    assert json.loads(pb(two_days, "watch", "list", "--json").stdout)[0]["new"] == count - 1
    assert "lang  " in pb(two_days, "watch", "list").stdout
    assert pb(two_days, "watch", "remove", "lang").stdout.strip() == "removed watch lang"
    assert "no watch named 'lang'" in pb(two_days, "watch", "remove", "lang", code=1).stderr
    assert "no watches yet" in pb(two_days, "watch", "list").stdout


def test_digest_text_markdown_json(two_days: Path) -> None:
    pb(two_days, "watch", "add", "plc", "PLC")
    text = pb(two_days, "digest").stdout
    assert "plc (1 new)" in text
    assert "* SemaPLC: A Project-Grounded, Verification-Gated Agent Harness for PLC Code" in text
    assert "  https://arxiv.org/abs/2608.18565" in text
    assert "  SemaPLC is a verification-gated agent harness" in text  # the HF summary
    assert "59 upvotes" in text and "2026-08-19" in text
    md = pb(two_days, "digest", "--markdown").stdout
    assert "## plc (1 new)" in md
    assert "- **[SemaPLC: A Project-Grounded" in md
    assert "](https://arxiv.org/abs/2608.18565)**" in md
    data = json.loads(pb(two_days, "digest", "--since", "2d", "--json").stdout)
    (paper,) = data["watches"][0]["papers"]
    assert paper["upvotes"] == 59 and paper["link"] == "https://arxiv.org/abs/2608.18565"
    assert paper["authors"][0] == "Yanlun Tu"
    later = json.loads(pb(two_days, "digest", "--since", "2999-01-01", "--json").stdout)
    assert later["watches"][0]["papers"] == []


def test_v3_file_migrates_read_bookmarks(tmp_path: Path) -> None:
    """A bookmark marked read before v4 is read after: one source of truth, migrated."""
    from paperbrowse.search.bookmark_schema import MIGRATIONS

    tmp_path.mkdir(exist_ok=True)
    db = sqlite3.connect(tmp_path / "bookmarks.sqlite3")
    for steps in MIGRATIONS[:3]:
        for sql in steps:
            db.execute(sql)
    db.execute(
        "INSERT INTO bookmarks(id, paper, arxiv_id, title_key, note, read, created, updated)"
        " VALUES ('2608.17253', ?, '2608.17253', 'co rl', '', 1, '2026-01-01T00:00:00+00:00',"
        " '2026-01-02T00:00:00+00:00')",
        (json.dumps({"id": "2608.17253", "title": "Co-RL"}),),
    )
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    pb(tmp_path, "ingest", str(NEW_DAY))
    rows = json.loads(pb(tmp_path, "new", "--last-ingest", "--json").stdout)
    assert {r["id"] for r in rows if r["read"]} == {"2608.17253"}


@pytest.mark.skipif(not COLLECTION.is_dir(), reason="collection not found")
def test_new_over_the_collection(tmp_path: Path) -> None:
    pb(tmp_path, "ingest", str(COLLECTION))
    ids = pb(tmp_path, "new", "--ids").stdout.split()
    stats = pb(tmp_path, "stats", "--json").stdout
    assert len(ids) == json.loads(stats)["papers"]


def test_export_import_carries_read_state_and_watches(two_days: Path, tmp_path: Path) -> None:
    pb(two_days, "bookmark", "add", "2608.17253")
    pb(two_days, "mark", "read", "2608.17253", "2608.18565")
    pb(two_days, "watch", "add", "plc", "PLC", "--min-upvotes", "3")
    text = pb(two_days, "bookmark", "export").stdout
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["format"] for line in lines] == [
        "paperbrowse-bookmarks/1",
        "paperbrowse-read/1",
        "paperbrowse-watch/1",
    ]
    assert lines[0]["read"] is True and lines[1]["id"] == "2608.18565"
    assert lines[2]["query"] == "PLC" and lines[2]["filters"] == {"min_upvotes": 3}
    assert pb(two_days, "bookmark", "export").stdout == text  # stable
    other = tmp_path / "other"
    pb(other, "ingest", str(NEW_DAY))
    (tmp_path / "file.jsonl").write_text(text)
    run = pb(other, "bookmark", "import", str(tmp_path / "file.jsonl"))
    assert "1 added, 0 merged, 0 unchanged; 1 more read; 1 watch added" in run.stderr
    rows = json.loads(pb(other, "new", "--last-ingest", "--json").stdout)
    assert {r["id"] for r in rows if r["read"]} == {"2608.17253", "2608.18565"}
    assert json.loads(pb(other, "watch", "list", "--json").stdout)[0]["name"] == "plc"
    again = pb(other, "bookmark", "import", str(tmp_path / "file.jsonl"))
    assert "0 added, 0 merged, 1 unchanged" in again.stderr and "more read" not in again.stderr


def test_import_newer_unread_bookmark_unreads_the_paper(two_days: Path, tmp_path: Path) -> None:
    pb(two_days, "bookmark", "add", "2608.17253")
    line = json.loads(pb(two_days, "bookmark", "export").stdout)
    pb(two_days, "mark", "read", "2608.17253")
    line["updated"] = "2999-01-01T00:00:00+00:00"  # a newer copy, unread
    (tmp_path / "f.jsonl").write_text(json.dumps(line) + "\n")
    pb(two_days, "bookmark", "import", str(tmp_path / "f.jsonl"))
    rows = json.loads(pb(two_days, "new", "--last-ingest", "--json").stdout)
    assert not any(r["read"] for r in rows)


def test_import_refuses_a_bad_watch_line(two_days: Path, tmp_path: Path) -> None:
    bad = {"format": "paperbrowse-watch/1", "name": "x", "query": "q", "filters": {"nope": 1}}
    (tmp_path / "f.jsonl").write_text(json.dumps(bad) + "\n")
    run = pb(two_days, "bookmark", "import", str(tmp_path / "f.jsonl"), code=1)
    assert "f.jsonl:1: unknown filter 'nope'; nothing imported" in run.stderr
