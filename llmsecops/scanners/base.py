"""What a scanner adapter is, and what it is given."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from llmsecops.config import Config
from llmsecops.model import Finding, RuleMeta, RunStatus, ScannerName, ScannerRun
from llmsecops.workspace import Workspace

if TYPE_CHECKING:
    from llmsecops.checks.token_age import HistoryStore


@dataclass(frozen=True)
class ScanContext:
    workspace: Workspace
    config: Config
    rules_dir: Path
    offline: bool = False
    # The scan's clock, read once by the CLI so every check agrees on "now".
    now: datetime = field(default_factory=lambda: datetime.now(tz=UTC))
    # Where whole-repository results that outlive a scan are kept (the token-age
    # history read); None without the result cache.
    store: HistoryStore | None = None

    @property
    def root(self) -> Path:
        return self.workspace.root


class Scanner(Protocol):
    name: ScannerName
    program: str  # executable we look for (for doctor and "missing" reasons)

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        """Scan and return a run; never raise for tool failures (model them)."""
        ...

    def version(self) -> str | None:
        """The tool's version, or None if it is not installed."""
        ...


def failed(
    name: ScannerName,
    reason: str,
    *,
    version: str = "",
    findings: tuple[Finding, ...] = (),
    rules: tuple[RuleMeta, ...] = (),
    notes: tuple[str, ...] = (),
    files_scanned: int = 0,
) -> ScannerRun:
    """A run that did not complete; any findings it did produce are kept."""
    return ScannerRun(
        scanner=name,
        status=RunStatus.FAILED,
        reason=one_line(reason),
        version=version,
        findings=findings,
        rules=rules,
        notes=notes,
        files_scanned=files_scanned,
    )


def skipped(name: ScannerName, reason: str) -> ScannerRun:
    return ScannerRun(scanner=name, status=RunStatus.SKIPPED, reason=one_line(reason))


def one_line(text: str, limit: int = 300) -> str:
    """Collapse a message to one printable line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    """Split long argv file lists so no command line exceeds the OS limit."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def cpu_count() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def split_by_size(files: Sequence[tuple[str, int]], parts: int) -> list[list[str]]:
    """Deal files (path, size) into at most ``parts`` lists of similar total size,
    largest first; deterministic for the same input."""
    bins: list[list[str]] = [[] for _ in range(max(1, parts))]
    loads = [0] * len(bins)
    for path, size in sorted(files, key=lambda f: (-f[1], f[0])):
        i = loads.index(min(loads))
        bins[i].append(path)
        loads[i] += size + 256
    return [b for b in bins if b]
