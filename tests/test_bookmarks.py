"""The bookmark store: contract, durability (killed writer, concurrent writers) and migrations."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date
from pathlib import Path

import pytest
from paperbrowse.search.bookmarks import (
    SCHEMA_VERSION,
    Bookmark,
    BookmarkStore,
    StoreTooNew,
    UnknownBookmark,
)
from paperbrowse.search.models import Paper
from paperbrowse.search.text import title_id

REPO = Path(__file__).parents[1]


def paper(n: int = 1, **kw) -> Paper:
    defaults = dict(
        id=f"2401.{n:05d}",
        arxiv_id=f"2401.{n:05d}",
        title=f"Paper number {n}",
        authors=("Ada Lovelace", "Alan Turing"),
        published=date(2024, 1, n % 28 + 1),
        categories=("cs.CL",),
    )
    defaults.update(kw)
    return Paper(**defaults)


@pytest.fixture
def store(tmp_path: Path):
    with BookmarkStore(tmp_path / "bookmarks.sqlite3") as s:
        yield s


def test_add_get_list_newest_first(store: BookmarkStore) -> None:
    a = store.add(paper(1), tags=["nlp", " to  read "], note="first")
    store.add(paper(2))
    assert isinstance(a, Bookmark)
    assert a.id == "2401.00001"
    assert a.tags == ("nlp", "to read")
    assert a.note == "first" and a.read is False and a.key is None
    assert a.created.tzinfo is not None and a.created.utcoffset() == UTC.utcoffset(None)
    assert [b.id for b in store.list()] == ["2401.00002", "2401.00001"]
    assert store.ids() == {"2401.00001", "2401.00002"}
    assert store.get("2401.00001") == a
    assert store.get("nope") is None


def test_add_is_idempotent_merges_tags_and_refreshes_metadata(store: BookmarkStore) -> None:
    first = store.add(paper(1), tags=["a"], note="keep me")
    again = store.add(paper(1, title="Paper number 1, revised"), tags=["b"])
    assert len(store) == 1
    assert again.tags == ("a", "b")
    assert again.note == "keep me"  # note=None keeps the note
    assert again.created == first.created
    assert again.paper.title == "Paper number 1, revised"
    assert store.add(paper(1), note="").note == ""


def test_get_accepts_arxiv_id_forms(store: BookmarkStore) -> None:
    store.add(paper(7))
    for form in ("2401.00007v3", "arXiv:2401.00007", "https://arxiv.org/abs/2401.00007"):
        assert store.get(form) is not None, form


def test_tags_notes_read(store: BookmarkStore) -> None:
    store.add(paper(1), tags=["x"])
    store.add(paper(2), tags=["x", "y"])
    assert store.tags() == {"x": 2, "y": 1}
    assert store.ids_with_tag("y") == {"2401.00002"}
    assert [b.id for b in store.list(tag="x")] == ["2401.00002", "2401.00001"]
    assert store.tag("2401.00001", "z", "x").tags == ("x", "z")
    assert store.untag("2401.00002", "x", "absent").tags == ("y",)
    assert store.set_note("2401.00001", "line one\nline two").note == "line one\nline two"
    assert store.set_read("2401.00001", True).read is True
    assert store.set_read("2401.00001", False).read is False


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.tag("9999.99999", "x"),
        lambda s: s.untag("9999.99999", "x"),
        lambda s: s.set_note("9999.99999", "x"),
        lambda s: s.set_read("9999.99999", True),
        lambda s: s.set_key("9999.99999", "key"),
    ],
)
def test_unknown_ids_raise_keyerror(store: BookmarkStore, call) -> None:
    with pytest.raises(UnknownBookmark) as err:
        call(store)
    assert isinstance(err.value, KeyError)
    assert "9999.99999" in str(err.value)


def test_remove_and_toggle(store: BookmarkStore) -> None:
    store.add(paper(1), tags=["x"])
    assert store.remove("2401.00001") is True
    assert store.remove("2401.00001") is False
    assert store.tags() == {}  # tags go with their bookmark
    made = store.toggle(paper(3))
    assert made.added and made.bookmark.id == "2401.00003"
    assert "2401.00003" in store.ids()
    gone = store.toggle(paper(3))
    assert not gone.added and gone.bookmark == made.bookmark
    assert store.ids() == frozenset()


def test_a_removed_bookmark_is_restored_exactly(store: BookmarkStore) -> None:
    store.add(paper(1))
    store.add(paper(2), tags=["ml", "to-read"], note="line one\nline two")
    store.set_read("2401.00002", True)
    store.assign_keys()
    store.add(paper(3))
    before = store.list()
    gone = store.pop("2401.00002")
    assert gone == before[1]
    assert store.pop("2401.00002") is None
    assert store.restore(gone) == gone
    assert store.list() == before  # same place too: the creation time is the old one
    # Bookmarked again (and tagged) meanwhile: the old bookmark comes back with both tag sets.
    gone = store.toggle(paper(2)).bookmark
    store.add(paper(2), tags=["new"])
    back = store.restore(gone)
    assert back.tags == ("ml", "new", "to-read")
    assert (back.note, back.read, back.key, back.created) == (
        gone.note,
        gone.read,
        gone.key,
        gone.created,
    )
    assert len(store) == 3


def test_metadata_copy_survives_without_library(tmp_path: Path) -> None:
    """A bookmark keeps the whole paper: reopened from disk, it equals what was stored."""
    rich = paper(
        5,
        title="Über $\\alpha$-nets: [bold]not markup[/]",
        abstract="x" * 500,
        doi="10.1/abc",
        urls=("https://github.com/a/b",),
        kinds=("arxiv-jsonl", "hf-json"),
    )
    with BookmarkStore(tmp_path / "b.sqlite3") as s:
        s.add(rich)
    with BookmarkStore(tmp_path / "b.sqlite3") as s:
        assert s.get(rich.id).paper == rich


def test_rematch_after_rebuild_gives_a_new_id(store: BookmarkStore) -> None:
    """A paper first known by title gets its arXiv id as stable id after a rebuild: the
    bookmark is found again by title and moves to the new id, keeping tags and note."""
    title = "Unifying Feature and Cost Aggregation"
    old = Paper(id=title_id(title), title=title, n_authors=4, kinds=("hf-text",))
    store.add(old, tags=["seg"], note="mine")
    new = Paper(id="2303.11797", arxiv_id="2303.11797", title=title + ".", authors=("S. Cho",))
    assert store.match(new).id == old.id
    moved = store.add(new)
    assert moved.id == "2303.11797" and moved.tags == ("seg",) and moved.note == "mine"
    assert store.ids() == {"2303.11797"}
    # refresh() does the same for papers seen in an ingest, ignoring non-bookmarked ones.
    assert store.refresh([paper(9), new]) == 1


def test_same_title_different_arxiv_ids_stay_apart(store: BookmarkStore) -> None:
    store.add(paper(1, title="Introduction"))
    store.add(paper(2, title="Introduction"))
    assert len(store) == 2
    # A page copy of the same title never takes over (or downgrades) an arXiv bookmark.
    copy = Paper(id=title_id("Introduction"), title="Introduction", kinds=("hf-text",))
    assert store.match(copy) is None


def test_keys_are_assigned_once_and_unique(store: BookmarkStore) -> None:
    store.add(paper(1, title="Deep nets"))
    store.add(paper(2, title="Deep nets again", published=date(2024, 1, 2)))
    keys = store.assign_keys()
    assert sorted(keys.values()) == ["lovelace2024deep", "lovelace2024deepa"]
    assert keys["2401.00001"] == "lovelace2024deep"  # the older bookmark gets the bare key
    store.add(paper(1, title="Renamed: shallow nets"))  # metadata changes, the key does not
    assert store.assign_keys() == keys
    assert store.get("2401.00001").key == "lovelace2024deep"
    with pytest.raises(ValueError):
        store.set_key("2401.00002", "lovelace2024deep")
    assert store.set_key("2401.00002", "mine").key == "mine"


def test_deleting_the_index_leaves_bookmarks(tmp_path: Path) -> None:
    from paperbrowse.search.services import build_services

    svc = build_services(tmp_path)
    try:
        svc.bookmarks.add(paper(1), tags=["keep"])
        index_dir, library_db = svc.locations.index_dir, svc.locations.library_db
    finally:
        svc.close()
    import shutil

    if index_dir.exists():
        shutil.rmtree(index_dir)
    library_db.unlink(missing_ok=True)
    svc = build_services(tmp_path)
    try:
        assert [b.id for b in svc.bookmarks.list(tag="keep")] == ["2401.00001"]
    finally:
        svc.close()


# -- schema migrations -----------------------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE bookmarks (id TEXT PRIMARY KEY, paper TEXT NOT NULL, arxiv_id TEXT,
    title_key TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', read INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL);
CREATE INDEX bookmarks_arxiv_id ON bookmarks(arxiv_id);
CREATE INDEX bookmarks_title_key ON bookmarks(title_key);
CREATE TABLE tags (id TEXT NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE ON UPDATE CASCADE,
    tag TEXT NOT NULL, PRIMARY KEY (id, tag));
CREATE INDEX tags_tag ON tags(tag);
PRAGMA user_version = 1;
"""


def test_migrates_a_v1_store_keeping_everything(tmp_path: Path) -> None:
    """A store written by the first release (no BibTeX key column) opens, upgrades, keeps data."""
    path = tmp_path / "bookmarks.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    paper_json = json.dumps({"id": "0704.0001", "title": "Old one", "published": "2007-04-02"})
    db.execute(
        "INSERT INTO bookmarks VALUES ('0704.0001', ?, '0704.0001', 'oldone', 'n', 1, ?)",
        (paper_json, "2020-01-02T03:04:05+00:00"),
    )
    db.execute("INSERT INTO tags VALUES ('0704.0001', 'old')")
    db.commit()
    db.close()

    with BookmarkStore(path) as s:
        assert s.schema_version == SCHEMA_VERSION >= 2
        b = s.get("0704.0001")
        assert b.paper.title == "Old one" and b.paper.published == date(2007, 4, 2)
        assert b.tags == ("old",) and b.note == "n" and b.read and b.key is None
        assert s.assign_keys() == {"0704.0001": "oldone2007"}


def test_refuses_a_store_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "bookmarks.sqlite3"
    with BookmarkStore(path):
        pass
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreTooNew):
        BookmarkStore(path)


def test_fresh_store_uses_wal(store: BookmarkStore) -> None:
    db = sqlite3.connect(store.path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


# -- durability across processes -------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from paperbrowse.search.bookmarks import BookmarkStore
    from paperbrowse.search.models import Paper

    store = BookmarkStore(sys.argv[1])
    prefix, count = sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    for i in range(count):
        p = Paper(id=f"{prefix}-{i}", title=f"{prefix} paper {i}", abstract="a" * 2000,
                  authors=tuple(f"Author {j}" for j in range(30)), published=date(2024, 1, 1))
        store.add(p, tags=[prefix, f"t{i % 7}", f"u{i % 5}"], note="n" * 300)
        print(i, flush=True)
    """
)


def _writer(db: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), prefix, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def test_killed_writer_leaves_whole_bookmarks_only(tmp_path: Path) -> None:
    db = tmp_path / "bookmarks.sqlite3"
    BookmarkStore(db).close()
    proc = _writer(db, "k", 100_000)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    # Let it commit a good number of bookmarks, then kill it mid-stream without warning.
    done = 0
    while done < 40:
        done = int(proc.stdout.readline()) + 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()

    with BookmarkStore(db) as s:
        ok = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
        assert ok == "ok"
        marks = s.list()
        assert len(marks) >= done  # every acknowledged bookmark is there
        for b in marks:  # and none is half-written: all three tags and the note, or nothing
            i = int(b.id.split("-")[1])
            assert b.tags == tuple(sorted({"k", f"t{i % 7}", f"u{i % 5}"}))
            assert b.note == "n" * 300 and len(b.paper.authors) == 30
        assert sorted(int(b.id.split("-")[1]) for b in marks) == list(range(len(marks)))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bookmarks.sqlite3"
    count = 60
    procs = [_writer(db, prefix, count) for prefix in ("p", "q", "r")]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    with BookmarkStore(db) as s:
        assert len(s) == 3 * count
        assert s.tags()["p"] == s.tags()["q"] == s.tags()["r"] == count
        assert s.tags()["t0"] == 3 * len(range(0, count, 7))


def test_store_and_reader_in_one_process_share_writes(tmp_path: Path) -> None:
    """The TUI and the CLI hold separate connections: each sees the other's commits."""
    path = tmp_path / "b.sqlite3"
    with BookmarkStore(path) as tui, BookmarkStore(path) as cli:
        cli.add(paper(1))
        assert tui.ids() == {"2401.00001"}
        tui.tag("2401.00001", "x")
        assert cli.get("2401.00001").tags == ("x",)


def test_title_key_is_the_same_with_and_without_the_ascii_shortcut() -> None:
    import unicodedata

    from paperbrowse.search.text import title_key

    def slow(title: str) -> str:  # the key without the ASCII shortcut
        import re

        text = unicodedata.normalize("NFKD", title)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = re.sub(r"\\[a-zA-Z]+", "", text)
        return re.sub(r"[\W_]+", "", text.casefold())

    titles = [
        "Attention Is All You Need",
        "SE$(n)$ equivariant \\mathcal{L} networks",
        "Über die Élan vital: naïve café",
        "ﬁne-tuning ½ of a model",  # compatibility forms: ligature, fraction
        "",
        "   ",
        "Ǆ and ß casefold",
    ]
    for title in titles:
        assert title_key(title) == slow(title)
    assert title_key("Über naïve") == title_key("Uber naive")
