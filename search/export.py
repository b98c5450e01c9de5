"""Exporting bookmarks for citing: the one flow behind ``paperbrowse export bibtex|ris|csl-json``
and the app's ``e`` (bookmarks → stable keys → sorted → rendered → written atomically).

Every format is rendered from the same keyed entries (search/cite.py), so a bookmark is cited
under the same key in BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from paperbrowse.search.atomic import write_atomically

if TYPE_CHECKING:
    from paperbrowse.search.bookmarks import BookmarkStore

#: The file name the app offers for an export.
EXPORT_NAME = "paperbrowse-bookmarks.bib"


class ExportError(ValueError):
    """An export that cannot be made as asked; the message is fit to show a user."""


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export made: the entries' text and how many, and where it went."""

    count: int
    text: str
    #: Characters with no LaTeX form, kept as-is (one line each, naming the paper).
    warnings: tuple[str, ...]
    #: The file written; None when nothing was written (no path asked, or no bookmarks).
    path: Path | None = None

    def summary(self) -> str:
        """``wrote 3 entries to refs.bib`` / ``no bookmarks to export``."""
        if not self.count:
            return "no bookmarks to export"
        entries = f"{self.count} entr{'y' if self.count == 1 else 'ies'}"
        return f"wrote {entries} to {self.path}" if self.path else entries


def export_bookmarks(
    store: BookmarkStore,
    *,
    fmt: str = "bibtex",
    tag: str | None = None,
    unicode: bool = False,
    path: Path | None = None,
) -> Exported:
    """Every bookmark (or those tagged ``tag``) in ``fmt`` (search.cite.FORMATS), by key;
    ``unicode`` keeps UTF-8 in BibTeX (biblatex/biber) instead of LaTeX.

    Keys are stored on first export (unless the data dir is read-only), so a bookmark is cited
    the same way ever after. With ``path`` the text is also written there atomically, unless
    there is nothing to write (an existing file is not replaced by an empty one). Raises
    ExportError for an unknown tag or a folder that does not exist, OSError when the file
    cannot be written.
    """
    from paperbrowse.search.cite import check_format, keyed, render  # loaded only for an export

    try:
        check_format(fmt)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    if tag is not None and tag not in store.tags():
        raise ExportError(f"no bookmark is tagged {tag!r}")
    if path is not None:
        path = Path(path).expanduser()
        if not path.parent.is_dir():
            raise ExportError(f"no such folder: {path.parent}")
        if path.is_dir():
            raise ExportError(f"{path} is a folder, not a file")
    marks = store.list(tag=tag)
    # Not stored in a read-only data dir: the export still works, with the keys it would store.
    if marks and not store.read_only:
        store.assign_keys([m.id for m in marks])
    marks = sorted(store.list(tag=tag), key=lambda m: m.key or "")
    # Keys are stored above; in a read-only data dir they are made for this export only.
    entries = keyed([m.paper for m in marks], {m.id: m.key for m in marks if m.key})
    export = render(entries, fmt, unicode=unicode)
    written = None
    if path is not None and marks:
        write_atomically(path, export.text)
        written = path
    return Exported(len(marks), export.text, tuple(export.warnings), written)


def default_export_path(data_dir: Path, home: Path | None = None) -> Path:
    """Where the app offers to write an export: the home folder, where the user will look for
    it (not the folder the app happened to be started from); the data dir if home is not
    writable."""
    import os

    home = Path.home() if home is None else home
    if home.is_dir() and os.access(home, os.W_OK):
        return home / EXPORT_NAME
    return data_dir / EXPORT_NAME
