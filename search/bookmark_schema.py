"""The bookmark file's schema and its migrations (``PRAGMA user_version`` counts them).

Each migration only ever adds: a user's bookmarks file is never rewritten destructively.
"""

from __future__ import annotations

#: Now, as SQLite writes it: the same ISO 8601 UTC form as Python's ``isoformat()``, in ms. A
#: bookmark's ``updated`` is never before its own creation (microseconds, from Python): such
#: strings compare in time order, "+" sorting below every digit.
_NOW = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"
_UPDATED_NOW = f"max({_NOW}, created)"

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
            BEGIN UPDATE bookmarks SET updated = {_UPDATED_NOW} WHERE id = NEW.id; END""",
        f"""CREATE TRIGGER tag_added AFTER INSERT ON tags
            BEGIN UPDATE bookmarks SET updated = {_UPDATED_NOW} WHERE id = NEW.id; END""",
        f"""CREATE TRIGGER tag_removed AFTER DELETE ON tags
            BEGIN UPDATE bookmarks SET updated = {_UPDATED_NOW} WHERE id = OLD.id; END""",
    ),
    # v4: read state for every paper (not only bookmarks), saved searches ("watches") and the
    # user's sessions (for "new since my last session"). One source of truth for read state:
    # the ``reads`` table (a row: read, and when). ``bookmarks.read`` stays as a copy that
    # triggers keep equal to it in the same statement, so code reading a bookmark's flag and a
    # file written by an older paperbrowse never disagree with it. Bookmarks read before v4
    # move in as read at their last change.
    (
        """CREATE TABLE reads (
            id TEXT PRIMARY KEY,
            at TEXT NOT NULL
        ) WITHOUT ROWID""",
        "INSERT INTO reads(id, at) SELECT id, COALESCE(updated, created) FROM bookmarks"
        " WHERE read != 0",
        # reads -> bookmarks.read (WHEN guards: each trigger acts only on a real difference).
        """CREATE TRIGGER read_marked AFTER INSERT ON reads
            BEGIN UPDATE bookmarks SET read = 1 WHERE id = NEW.id AND read = 0; END""",
        """CREATE TRIGGER read_unmarked AFTER DELETE ON reads
            BEGIN UPDATE bookmarks SET read = 0 WHERE id = OLD.id AND read != 0; END""",
        # bookmarks.read -> reads (older write paths: BookmarkStore.set_read, restore, import).
        f"""CREATE TRIGGER bookmark_read AFTER UPDATE OF read ON bookmarks WHEN NEW.read != 0
            BEGIN INSERT OR IGNORE INTO reads(id, at) VALUES (NEW.id, {_NOW}); END""",
        """CREATE TRIGGER bookmark_unread AFTER UPDATE OF read ON bookmarks WHEN NEW.read = 0
            BEGIN DELETE FROM reads WHERE id = NEW.id; END""",
        # A new bookmark takes the paper's read state; one put back read (undo, import) is read.
        f"""CREATE TRIGGER bookmark_added AFTER INSERT ON bookmarks
            BEGIN
                INSERT OR IGNORE INTO reads(id, at)
                    SELECT NEW.id, {_NOW} WHERE NEW.read != 0;
                UPDATE bookmarks SET read = 1
                    WHERE id = NEW.id AND read = 0
                    AND EXISTS (SELECT 1 FROM reads WHERE id = NEW.id);
            END""",
        # A bookmark following its paper to a new id (after a rebuild) takes its read state along.
        """CREATE TRIGGER bookmark_moved AFTER UPDATE OF id ON bookmarks WHEN NEW.id != OLD.id
            BEGIN UPDATE OR REPLACE reads SET id = NEW.id WHERE id = OLD.id; END""",
        """CREATE TABLE watches (
            name TEXT PRIMARY KEY,
            query TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            created TEXT NOT NULL
        )""",
        # Small facts about the user's use: session_started, session_ended (ISO UTC).
        "CREATE TABLE user_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
)


SCHEMA_VERSION = len(MIGRATIONS)
