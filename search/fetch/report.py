"""What one fetch did: responses fetched and saved, what was skipped and why, and the ingest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from paperbrowse.search.models import IngestReport

from .dumpfiles import CHANGED, NEW, UNCHANGED, save_dump

#: progress(phase, done, total), the shape ingest's progress callback has: phase "hf" or "arxiv".
Progress = Callable[[str, int, int | None], None]
#: A line for the user while the fetch runs ("waiting 42 s: huggingface.co asks us to slow down").
Say = Callable[[str], None]


@dataclass
class FetchReport:
    """Filled in as the fetch goes; ``error`` is the one line that stopped it early, if any."""

    source: str
    #: What one response is: "day", "week", "month" or "page".
    unit: str = "day"
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    #: Labels of the answers that held no paper (a weekend, a day not yet published).
    empty: list[str] = field(default_factory=list)
    #: (label, why) for each answer that was not saved.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    saved: list[Path] = field(default_factory=list)
    error: str | None = None
    ingest: IngestReport | None = None
    #: Set when the ingest could not run (another ingest held the library).
    ingest_error: str | None = None

    def save(self, path: Path, body: bytes) -> None:
        """Save one good answer verbatim at ``path`` (unchanged bytes are not rewritten) and
        count what that was."""
        self.count_save(save_dump(path, body), path)

    def count_save(self, outcome: str, path: Path) -> None:
        if outcome == NEW:
            self.new += 1
        elif outcome == CHANGED:
            self.changed += 1
        elif outcome == UNCHANGED:
            self.unchanged += 1
        if outcome != UNCHANGED:
            self.saved.append(path)

    @property
    def failed(self) -> bool:
        ingest_failed = self.ingest is not None and self.ingest.failed
        return bool(self.error or self.skipped or self.ingest_error or ingest_failed)

    @property
    def papers_new(self) -> int:
        return self.ingest.papers_new if self.ingest else 0

    def summary(self) -> str:
        """The one line ``paperbrowse fetch`` ends with."""
        unit = self.unit if self.fetched == 1 else self.unit + "s"
        saved = []
        if self.new:
            saved.append(f"{self.new} new")
        if self.changed:
            saved.append(f"{self.changed} changed")
        if self.unchanged:
            saved.append(f"{self.unchanged} unchanged")
        parts = [f"Fetched {self.fetched} {unit}" + (f" ({', '.join(saved)})" if saved else "")]
        if self.ingest is not None:
            r = self.ingest
            parts.append(f"{r.papers_new} papers new, {r.papers_updated} updated")
        if self.empty:
            # A long range holds many weekends: name a few, count the rest.
            named = self.empty if len(self.empty) <= 5 else [*self.empty[:3], "…"]
            more = f" and {len(self.empty) - 3} more" if len(self.empty) > 5 else ""
            parts.append(f"{len(self.empty)} empty ({', '.join(named)}{more})")
        if self.skipped:
            why = "; ".join(f"{label}: {reason}" for label, reason in self.skipped)
            parts.append(f"{len(self.skipped)} skipped ({why})")
        return " · ".join(parts)
