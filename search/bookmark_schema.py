"""The bookmark file's schema and its migrations (``PRAGMA user_version`` counts them).

Each migration only ever adds: a user's bookmarks file is never rewritten destructively.
"""

from __future__ import annotations

#: Now, as SQLite writes it: the same ISO 8601 UTC form as Python's ``isoformat()`` (ms).
_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"

#: Each migration takes the schema from version i to i + 1 (index i in this list).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: bookmarks with a metadata copy, the keys that re-match a paper after a rebuild, tags.
    (
        """CREATE TABLE bookmarks (
            id TEXT PRIMARY KEY,
            paper TEXT NOT NULL,
            arxiv_id TEXT,
            title_key TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            read INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX bookmarks_arxiv_id ON bookmarks(arxiv_id)",
        "CREATE INDEX bookmarks_title_key ON bookmarks(title_key)",
        """CREATE TABLE tags (
            id TEXT NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE ON UPDATE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (id, tag)
        )""",
        "CREATE INDEX tags_tag ON tags(tag)",
    ),
    # v2: the BibTeX key, assigned on first export and kept (unique across the store).
    (
        "ALTER TABLE bookmarks ADD COLUMN bibkey TEXT",
        "CREATE UNIQUE INDEX bookmarks_bibkey ON bookmarks(bibkey) WHERE bibkey IS NOT NULL",
    ),
    # v3: when the user last changed a bookmark (note, read state, tags), so that merging two
    # copies (bookmark import) knows which note is newer. Triggers keep it, so no write path
    # can forget to; refreshing the paper's metadata after an ingest is not a change of the
    # user's. A bookmark from before v3 counts as changed when it was made.
    (
        "ALTER TABLE bookmarks ADD COLUMN updated TEXT",
        "UPDATE bookmarks SET updated = created",
        f"""CREATE TRIGGER bookmarks_changed AFTER UPDATE OF note, read ON bookmarks
            BEGIN UPDATE bookmarks SET updated = {_NOW} WHERE id = NEW.id; END""",
        f"""CREATE TRIGGER tag_added AFTER INSERT ON tags
            BEGIN UPDATE bookmarks SET updated = {_NOW} WHERE id = NEW.id; END""",
        f"""CREATE TRIGGER tag_removed AFTER DELETE ON tags
            BEGIN UPDATE bookmarks SET updated = {_NOW} WHERE id = OLD.id; END""",
    ),
)


SCHEMA_VERSION = len(MIGRATIONS)
