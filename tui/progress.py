"""The ingest progress bar: rich on a terminal, silent when stderr is piped or captured."""

from __future__ import annotations

from typing import IO


class IngestProgress:
    """A context manager that is also the ``progress(phase, done, total)`` callback of ingest."""

    LABELS = {"read": "Reading dumps", "index": "Indexing"}

    def __init__(self, stream: IO[str]) -> None:
        self._enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._stream = stream
        self._progress = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> IngestProgress:
        if self._enabled:
            # rich.progress is imported only for a terminal: scripts and pipes skip its cost.
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TimeElapsedColumn(),
                console=Console(file=self._stream),
                transient=True,
            )
            self._progress.start()
        return self

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if self._progress is None:
            return
        task = self._tasks.get(phase)
        if task is None:
            task = self._progress.add_task(self.LABELS.get(phase, phase), total=total)
            self._tasks[phase] = task
        self._progress.update(task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
