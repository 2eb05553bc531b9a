"""What a scanner adapter is, and what it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from llmsecops.config import Config
from llmsecops.model import Finding, RuleMeta, RunStatus, ScannerName, ScannerRun
from llmsecops.workspace import Workspace


@dataclass(frozen=True)
class ScanContext:
    workspace: Workspace
    config: Config
    rules_dir: Path
    offline: bool = False
    # The scan's clock, read once by the CLI so every check agrees on "now".
    now: datetime = field(default_factory=lambda: datetime.now(tz=UTC))

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
