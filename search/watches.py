"""Saved searches ("watches"): a name, a query and filters, kept with the user's data.

A watch's "new" papers are those that came into the library since a moment (the user's last
session, or a ``--since``) and match its query and filters; "new unread" leaves out what the user
has read. Stored in the bookmarks file (schema v4 ``watches``), so a rebuild never loses them and
``bookmark export`` carries them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from paperbrowse.search.bookmarks import BookmarkStore
from paperbrowse.search.jsonout import json_line
from paperbrowse.search.models import Filters, Paper

if TYPE_CHECKING:
    from paperbrowse.search.library import Library

#: The filters a watch keeps (an id set is not a saved search's business).
_FILTER_FIELDS = ("since", "until", "min_upvotes", "years", "kinds", "has_code")


@dataclass(frozen=True)
class Watch:
    name: str
    query: str
    filters: Filters = field(default_factory=Filters)
    created: datetime | None = None

    def describe(self) -> str:
        parts = [repr(self.query) if self.query else "(every paper)"]
        f = self.filters
        # "published": beside "new since your last session", a bare "since" read as that.
        if f.since and f.until:
            parts.append(f"published {f.since} – {f.until}")
        elif f.since:
            parts.append(f"published since {f.since}")
        elif f.until:
            parts.append(f"published until {f.until}")
        if f.min_upvotes is not None:
            parts.append(f"≥{f.min_upvotes} upvotes")
        if f.years:
            parts.append("years " + ",".join(map(str, sorted(f.years))))
        if f.kinds:
            parts.append("from " + ",".join(sorted(f.kinds)))
        if f.has_code:
            parts.append("with code")
        return " ".join(parts)


def filters_to_dict(filters: Filters) -> dict:
    out: dict = {}
    for name in _FILTER_FIELDS:
        value = getattr(filters, name)
        if isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, frozenset):
            if value:
                out[name] = sorted(value)
        elif value not in (None, False):
            out[name] = value
    return out


def filters_from_dict(data: object) -> Filters:
    """Raises ValueError for anything that is not a watch's filters."""
    if not isinstance(data, dict):
        raise ValueError("filters must be an object")
    unknown = set(data) - set(_FILTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown filter {sorted(unknown)[0]!r}")
    try:
        return Filters(
            since=date.fromisoformat(data["since"]) if data.get("since") else None,
            until=date.fromisoformat(data["until"]) if data.get("until") else None,
            min_upvotes=int(data["min_upvotes"]) if data.get("min_upvotes") is not None else None,
            years=frozenset(int(y) for y in data.get("years", ())),
            kinds=frozenset(str(k) for k in data.get("kinds", ())),
            has_code=bool(data.get("has_code", False)),
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad filters: {exc}") from None


class Watches:
    """The saved searches, over the bookmark store's connections."""

    def __init__(self, store: BookmarkStore) -> None:
        self.store = store

    def list(self) -> list[Watch]:
        with self.store.user_read() as db:
            rows = db.execute("SELECT name, query, filters, created FROM watches ORDER BY name")
            return [
                Watch(n, q, filters_from_dict(json.loads(f)), datetime.fromisoformat(c))
                for n, q, f, c in rows
            ]

    def get(self, name: str) -> Watch | None:
        return next((w for w in self.list() if w.name == name), None)

    def add(self, watch: Watch, *, replace: bool = False) -> Watch:
        """Save a watch; an existing name raises ValueError unless ``replace``."""
        name = " ".join(watch.name.split())
        if not name:
            raise ValueError("a watch needs a name")
        from paperbrowse.search.library import check_query_size

        check_query_size(watch.query)
        created = watch.created or datetime.now(UTC)
        saved = Watch(name, watch.query, watch.filters, created)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        with self.store.user_write() as db:
            exists = db.execute("SELECT 1 FROM watches WHERE name = ?", (name,)).fetchone()
            if exists and not replace:
                raise ValueError(f"a watch named {name!r} exists already")
            db.execute(
                f"{verb} INTO watches(name, query, filters, created) VALUES (?, ?, ?, ?)",
                (name, saved.query, json_line(filters_to_dict(saved.filters)), created.isoformat()),
            )
        return saved

    def remove(self, name: str) -> bool:
        with self.store.user_write() as db:
            return db.execute("DELETE FROM watches WHERE name = ?", (name,)).rowcount > 0


def matches(library: Library, watch: Watch, among: frozenset[str]) -> list[Paper]:
    """The papers among ``among`` (ids) that match the watch, newest first.

    Raises ``search.models.QueryError`` for a query the index cannot parse."""
    if not among or library.is_empty():
        return []
    filters = Filters(**{n: getattr(watch.filters, n) for n in _FILTER_FIELDS}, ids=among)
    result = library.search(watch.query, filters, sort="date", limit=len(among))
    return [hit.paper for hit in result.hits]


def new_unread(
    library: Library, watch: Watch, new: frozenset[str], read: frozenset[str]
) -> list[Paper]:
    """The watch's new papers the user has not read."""
    return matches(library, watch, new - read)


def count_new_unread(
    library: Library, watch: Watch, new: frozenset[str], read: frozenset[str]
) -> int:
    """How many of the watch's new papers the user has not read: the count alone, without
    reading the papers (the watch list shows only the number).

    Raises ``search.models.QueryError`` for a query the index cannot parse."""
    among = new - read
    if not among or library.is_empty():
        return 0
    filters = Filters(**{n: getattr(watch.filters, n) for n in _FILTER_FIELDS}, ids=among)
    return library.search(watch.query, filters, sort="date", limit=0, all_ids=False).total
