"""The domain model every scanner, post-processor and renderer speaks.

Everything here is immutable: scanners build findings, the engine derives new
ones (normalized path, fingerprint, snippet) with ``dataclasses.replace``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NewType

RuleId = NewType("RuleId", str)
ScannerName = NewType("ScannerName", str)


class Severity(enum.IntEnum):
    """One scale for every tool (see docs/severity.md)."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"expected one of {', '.join(s.label for s in cls)}, got {text!r}"
            ) from None

    @property
    def sarif_level(self) -> str:
        match self:
            case Severity.CRITICAL | Severity.HIGH:
                return "error"
            case Severity.MEDIUM:
                return "warning"
            case Severity.LOW | Severity.INFO:
                return "note"

    @property
    def security_severity(self) -> str | None:
        """GitHub's numeric score; info carries none."""
        match self:
            case Severity.CRITICAL:
                return "9.5"
            case Severity.HIGH:
                return "8.0"
            case Severity.MEDIUM:
                return "5.5"
            case Severity.LOW:
                return "2.0"
            case Severity.INFO:
                return None


class Confidence(enum.IntEnum):
    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Confidence:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"expected one of {', '.join(c.label for c in cls)}, got {text!r}"
            ) from None

    @property
    def sarif_precision(self) -> str:
        match self:
            case Confidence.HIGH:
                return "high"
            case Confidence.MEDIUM:
                return "medium"
            case Confidence.LOW:
                return "low"


class RunStatus(enum.Enum):
    OK = "ok"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Location:
    """A region in a file; ``path`` is repo-relative POSIX once normalized.

    Lines and columns are 1-based; ``end_column`` is one past the last
    character, as SARIF wants it.
    """

    path: str
    start_line: int
    start_column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __post_init__(self) -> None:
        if not self.path:
            raise ValueError("a location needs a path")
        if self.start_line < 1 or self.start_column < 1:
            raise ValueError(
                f"location {self.path}:{self.start_line}: lines and columns are 1-based"
            )
        if self.end_line is not None and self.end_line < self.start_line:
            raise ValueError(f"location {self.path}:{self.start_line}: end before start")

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line is not None else self.start_line


@dataclass(frozen=True)
class SecretInfo:
    """What a report may know about a secret: never the value itself."""

    preview: str  # first 4 characters and the length, e.g. "AKIA… (20 chars)"
    sha1: str  # hex digest, as detect-secrets baselines store it


@dataclass(frozen=True)
class TraceStep:
    """One hop of a data-flow trace: source first, sink last."""

    location: Location
    message: str


class SuppressionKind(enum.Enum):
    INLINE = "inline"  # a `llmsecops: ignore[...]` comment in the code
    BASELINE = "baseline"  # known before, recorded in a baseline file
    PROFILE = "profile"  # near-certain noise under the scan profile (profile.py)


@dataclass(frozen=True)
class Suppression:
    kind: SuppressionKind
    justification: str = ""


@dataclass(frozen=True)
class RuleMeta:
    id: RuleId
    scanner: ScannerName
    name: str
    short_description: str
    severity: Severity
    confidence: Confidence
    full_description: str = ""
    cwe: tuple[str, ...] = ()
    owasp_llm: tuple[str, ...] = ()
    fix: str = ""
    help_uri: str = ""
    help_markdown: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule_id: RuleId
    scanner: ScannerName
    severity: Severity
    confidence: Confidence
    message: str
    location: Location
    snippet: str = ""
    fingerprint: str = ""
    cwe: tuple[str, ...] = ()
    owasp_llm: tuple[str, ...] = ()
    secret: SecretInfo | None = None
    trace: tuple[TraceStep, ...] = ()
    # Set for findings about git history: the location is in this commit's
    # version of the file, which may no longer exist in the working tree.
    commit: str = ""
    # GitHub's primaryLocationLineHash for the start line (see linehash.py).
    line_hash: str = ""
    # Set when the finding is known or waived: it is still reported, never blocking.
    suppression: Suppression | None = None
    # Tool passthrough and llmsecops annotations (llmsecops.*) copied into
    # JSON/SARIF properties; only the profile reads the llmsecops.* ones.
    properties: Mapping[str, str] = field(default_factory=dict)
    # Rules of other tools (or of the pack) that reported the same problem on
    # the same line and were merged into this finding (see dedupe.py).
    merged_rule_ids: tuple[RuleId, ...] = ()
    # production, test, fixture, example or generated (classify.py); "" if unknown.
    file_class: str = ""

    @classmethod
    def create(
        cls,
        *,
        rule_id: str,
        scanner: str,
        severity: Severity,
        confidence: Confidence,
        message: str,
        location: Location | None,
        cwe: tuple[str, ...] = (),
        owasp_llm: tuple[str, ...] = (),
        secret: SecretInfo | None = None,
        properties: Mapping[str, str] | None = None,
    ) -> Finding:
        """The one way scanners build findings: no location, no finding."""
        if location is None:
            raise ValueError(f"finding {rule_id} has no primary location")
        if "/" not in rule_id:
            raise ValueError(f"rule id {rule_id!r} is not namespaced (expected '<tool>/<id>')")
        if not message.strip():
            raise ValueError(f"finding {rule_id} has an empty message")
        return cls(
            rule_id=RuleId(rule_id),
            scanner=ScannerName(scanner),
            severity=severity,
            confidence=confidence,
            message=message.strip(),
            location=location,
            cwe=cwe,
            owasp_llm=owasp_llm,
            secret=secret,
            properties=dict(properties or {}),
        )

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.start_line, loc.start_column, self.rule_id, self.fingerprint)


@dataclass(frozen=True)
class Redaction:
    """A span in a file that holds a secret; the engine masks it everywhere."""

    path: str
    line: int
    start_column: int  # 1-based
    end_column: int  # one past the last character


@dataclass(frozen=True)
class ScannerRun:
    """What one scanner did: findings, or why it could not (fully) run."""

    scanner: ScannerName
    status: RunStatus
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # one line; required unless status is OK
    version: str = ""
    duration_s: float = 0.0
    files_scanned: int = 0
    notes: tuple[str, ...] = ()  # non-fatal, e.g. "3 unpinned requirements not audited"
    rules: tuple[RuleMeta, ...] = ()  # metadata for rules this run reported
    redactions: tuple[Redaction, ...] = ()

    def __post_init__(self) -> None:
        if self.status is not RunStatus.OK and not self.reason:
            raise ValueError(f"scanner {self.scanner}: a {self.status.value} run needs a reason")

    @property
    def complete(self) -> bool:
        return self.status is not RunStatus.FAILED


@dataclass(frozen=True)
class WorkspaceSummary:
    root: str  # absolute path of the scan root, for the console only
    files: int
    git: bool
    skipped: Mapping[str, int] = field(default_factory=dict)  # reason -> count
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanResult:
    tool_version: str
    workspace: WorkspaceSummary
    runs: tuple[ScannerRun, ...]
    findings: tuple[Finding, ...]
    rules: tuple[RuleMeta, ...]
    fail_on: Severity | None

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.runs) and not self.workspace.unreadable

    @property
    def failed_runs(self) -> tuple[ScannerRun, ...]:
        return tuple(r for r in self.runs if r.status is RunStatus.FAILED)

    def blocking(self) -> tuple[Finding, ...]:
        """Findings at or above the fail threshold."""
        if self.fail_on is None:
            return ()
        threshold = self.fail_on
        return tuple(f for f in self.active if f.severity >= threshold)

    @property
    def active(self) -> tuple[Finding, ...]:
        """Findings not suppressed inline or by a baseline."""
        return tuple(f for f in self.findings if f.suppression is None)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppression is not None)

    def counts_by_severity(self) -> dict[Severity, int]:
        """Counts of active findings (suppressed ones are counted separately)."""
        counts = dict.fromkeys(Severity, 0)
        for f in self.active:
            counts[f.severity] += 1
        return counts
