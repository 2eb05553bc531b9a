"""Combine the JSON results of several scans (``scan --shard K/N`` jobs) into one.

Shards split the file set, so file counts and per-scanner file counts add up;
what every shard sees alike (the skip counts of the one walk of the tree) is
taken once. A scanner failed if it failed in any shard; its duration is the
longest shard's (shards run side by side). Findings are deduplicated by
fingerprint and location: checks that read the whole repository, such as the
git history, report the same finding from every shard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from llmsecops.errors import UsageError
from llmsecops.model import (
    Finding,
    RuleMeta,
    RunStatus,
    ScannerName,
    ScannerRun,
    ScanResult,
    WorkspaceSummary,
)


def merge(results: Sequence[ScanResult]) -> ScanResult:
    if not results:
        raise UsageError("nothing to merge")
    versions = sorted({r.tool_version for r in results})
    if len(versions) > 1:
        raise UsageError(
            f"the results come from different llmsecops versions ({', '.join(versions)})"
        )
    return ScanResult(
        tool_version=versions[0],
        workspace=_workspace([r.workspace for r in results]),
        runs=_runs([run for r in results for run in r.runs]),
        findings=_findings([f for r in results for f in r.findings]),
        rules=_rules([rule for r in results for rule in r.rules]),
        fail_on=results[0].fail_on,
    )


def _workspace(parts: Sequence[WorkspaceSummary]) -> WorkspaceSummary:
    skipped: dict[str, int] = {}
    for ws in parts:
        for reason, count in ws.skipped.items():
            skipped[reason] = max(skipped.get(reason, 0), count)
    return WorkspaceSummary(
        root="",
        files=sum(ws.files for ws in parts),
        git=any(ws.git for ws in parts),
        skipped=dict(sorted(skipped.items())),
        unreadable=tuple(sorted({p for ws in parts for p in ws.unreadable})),
    )


def _runs(runs: Sequence[ScannerRun]) -> tuple[ScannerRun, ...]:
    names: list[ScannerName] = []
    for run in runs:
        if run.scanner not in names:
            names.append(run.scanner)
    return tuple(_run(name, [r for r in runs if r.scanner == name]) for name in names)


def _run(name: ScannerName, runs: Sequence[ScannerRun]) -> ScannerRun:
    statuses = {r.status for r in runs}
    if RunStatus.FAILED in statuses:
        status = RunStatus.FAILED
    elif RunStatus.OK in statuses:
        status = RunStatus.OK
    else:
        status = RunStatus.SKIPPED
    reasons = _unique(r.reason for r in runs if r.reason and r.status is status)
    return ScannerRun(
        scanner=name,
        status=status,
        reason="; ".join(reasons),
        version=next((r.version for r in runs if r.version), ""),
        duration_s=max(r.duration_s for r in runs),
        files_scanned=sum(r.files_scanned for r in runs),
        notes=tuple(_unique(n for r in runs for n in r.notes)),
    )


def _findings(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    seen: set[tuple[str, str, str, int, int]] = set()
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        key = (
            f.fingerprint,
            f.rule_id,
            f.location.path,
            f.location.start_line,
            f.location.start_column,
        )
        if key not in seen:
            seen.add(key)
            out.append(f)
    return tuple(out)


def _rules(rules: Sequence[RuleMeta]) -> tuple[RuleMeta, ...]:
    by_id: dict[str, RuleMeta] = {}
    for rule in rules:
        by_id.setdefault(rule.id, rule)
    return tuple(by_id[k] for k in sorted(by_id))


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
