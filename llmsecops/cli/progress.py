"""Progress on stderr while scanners run: a live display on a terminal, one
line per finished scanner elsewhere (CI logs)."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from llmsecops.model import RunStatus, ScannerRun
from llmsecops.report._text import printable


class Progress:
    def __init__(self, stream: TextIO, *, enabled: bool) -> None:
        self._stream = stream
        self._enabled = enabled
        self._live = enabled and stream.isatty()
        self._lock = threading.Lock()
        self._tasks: dict[str, TaskID] = {}
        self._rich: RichProgress | None = None
        if self._live:
            self._rich = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(file=stream, highlight=False),
                transient=True,
            )

    def __enter__(self) -> Progress:
        if self._rich is not None:
            self._rich.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._rich is not None:
            self._rich.stop()

    def update(self, scanner: str, run: ScannerRun | None) -> None:
        if not self._enabled:
            return
        with self._lock:
            if self._rich is not None:
                if run is None:
                    self._tasks[scanner] = self._rich.add_task(f"{scanner}: running", total=None)
                else:
                    self._rich.update(
                        self._tasks[scanner], description=f"{scanner}: {run.status.value}"
                    )
                    self._rich.stop_task(self._tasks[scanner])
                return
            if run is not None:
                extra = f": {printable(run.reason)}" if run.status is not RunStatus.OK else ""
                self._stream.write(
                    f"llmsecops: {scanner} {run.status.value} in {run.duration_s:.1f}s{extra}\n"
                )
                self._stream.flush()
