"""Our own JSON format, versioned, complete enough to re-render any report.

``render`` and ``load`` are inverses: ``load(render(r)) == r``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from llmsecops.errors import UsageError
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RuleId,
    RuleMeta,
    RunStatus,
    ScannerName,
    ScannerRun,
    ScanResult,
    SecretInfo,
    Severity,
    Suppression,
    SuppressionKind,
    TraceStep,
    WorkspaceSummary,
)

SCHEMA = "https://llmsecops.dev/schema/findings-1.json"
SCHEMA_VERSION = 1


def render(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def to_dict(result: ScanResult) -> dict[str, Any]:
    counts = result.counts_by_severity()
    return {
        "$schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "llmsecops", "version": result.tool_version},
        "complete": result.complete,
        "fail_on": result.fail_on.label if result.fail_on is not None else "none",
        "summary": {
            "findings": len(result.findings),
            "blocking": len(result.blocking()),
            "suppressed": len(result.suppressed),
            "suppressed_by_kind": _suppressed_by_kind(result),
            "by_severity": {s.label: counts[s] for s in sorted(Severity, reverse=True)},
        },
        "workspace": {
            "files": result.workspace.files,
            "git": result.workspace.git,
            "skipped": dict(result.workspace.skipped),
            "unreadable": list(result.workspace.unreadable),
        },
        "scanners": [_run(r) for r in result.runs],
        "rules": [_rule(r) for r in result.rules],
        "findings": [_finding(f) for f in result.findings],
    }


def _suppressed_by_kind(result: ScanResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in result.suppressed:
        if f.suppression is not None:
            counts[f.suppression.kind.value] = counts.get(f.suppression.kind.value, 0) + 1
    return dict(sorted(counts.items()))


def _run(run: ScannerRun) -> dict[str, Any]:
    return {
        "name": run.scanner,
        "status": run.status.value,
        "reason": run.reason,
        "version": run.version,
        "duration_s": run.duration_s,
        "files_scanned": run.files_scanned,
        "notes": list(run.notes),
    }


def _rule(rule: RuleMeta) -> dict[str, Any]:
    return {
        "id": rule.id,
        "scanner": rule.scanner,
        "name": rule.name,
        "short_description": rule.short_description,
        "full_description": rule.full_description,
        "severity": rule.severity.label,
        "confidence": rule.confidence.label,
        "cwe": list(rule.cwe),
        "owasp_llm": list(rule.owasp_llm),
        "fix": rule.fix,
        "help_uri": rule.help_uri,
        "help_markdown": rule.help_markdown,
        "references": list(rule.references),
    }


def _finding(f: Finding) -> dict[str, Any]:
    loc = f.location
    return {
        "rule_id": f.rule_id,
        "scanner": f.scanner,
        "severity": f.severity.label,
        "confidence": f.confidence.label,
        "message": f.message,
        "location": _location(loc),
        "snippet": f.snippet,
        "fingerprint": f.fingerprint,
        "line_hash": f.line_hash,
        "cwe": list(f.cwe),
        "owasp_llm": list(f.owasp_llm),
        "secret": {"preview": f.secret.preview, "sha1": f.secret.sha1} if f.secret else None,
        "commit": f.commit,
        "suppression": (
            {"kind": f.suppression.kind.value, "justification": f.suppression.justification}
            if f.suppression
            else None
        ),
        "trace": [
            {"message": step.message, "location": _location(step.location)} for step in f.trace
        ],
        "properties": dict(f.properties),
        "merged_rule_ids": list(f.merged_rule_ids),
        "file_class": f.file_class,
    }


def _location(loc: Location) -> dict[str, Any]:
    return {
        "path": loc.path,
        "start_line": loc.start_line,
        "start_column": loc.start_column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
    }


def load(text: str, source: str = "findings file") -> ScanResult:
    """Read a result written by ``render``; errors name the file."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("top level is not an object")
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise UsageError(
                f"{source}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION})"
            )
        return _from_dict(data)
    except UsageError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise UsageError(
            f"{source}: not an llmsecops JSON report ({type(exc).__name__}: {exc})"
        ) from None


def _from_dict(data: Mapping[str, Any]) -> ScanResult:
    ws = data["workspace"]
    fail_on = data.get("fail_on", "high")
    return ScanResult(
        tool_version=str(data["tool"]["version"]),
        workspace=WorkspaceSummary(
            root="",
            files=int(ws["files"]),
            git=bool(ws["git"]),
            skipped={str(k): int(v) for k, v in ws.get("skipped", {}).items()},
            unreadable=tuple(ws.get("unreadable", [])),
        ),
        runs=tuple(
            ScannerRun(
                scanner=ScannerName(r["name"]),
                status=RunStatus(r["status"]),
                reason=r.get("reason", ""),
                version=r.get("version", ""),
                duration_s=float(r.get("duration_s", 0.0)),
                files_scanned=int(r.get("files_scanned", 0)),
                notes=tuple(r.get("notes", [])),
            )
            for r in data["scanners"]
        ),
        findings=tuple(_finding_from(f) for f in data["findings"]),
        rules=tuple(_rule_from(r) for r in data["rules"]),
        fail_on=None if fail_on == "none" else Severity.parse(fail_on),
    )


def _rule_from(r: Mapping[str, Any]) -> RuleMeta:
    return RuleMeta(
        id=RuleId(r["id"]),
        scanner=ScannerName(r["scanner"]),
        name=r["name"],
        short_description=r["short_description"],
        full_description=r.get("full_description", ""),
        severity=Severity.parse(r["severity"]),
        confidence=Confidence.parse(r["confidence"]),
        cwe=tuple(r.get("cwe", [])),
        owasp_llm=tuple(r.get("owasp_llm", [])),
        fix=r.get("fix", ""),
        help_uri=r.get("help_uri", ""),
        help_markdown=r.get("help_markdown", ""),
        references=tuple(r.get("references", [])),
    )


def _finding_from(f: Mapping[str, Any]) -> Finding:
    secret = f.get("secret")
    return Finding(
        rule_id=RuleId(f["rule_id"]),
        scanner=ScannerName(f["scanner"]),
        severity=Severity.parse(f["severity"]),
        confidence=Confidence.parse(f["confidence"]),
        message=f["message"],
        location=_location_from(f["location"]),
        snippet=f.get("snippet", ""),
        fingerprint=f.get("fingerprint", ""),
        line_hash=f.get("line_hash", ""),
        cwe=tuple(f.get("cwe", [])),
        owasp_llm=tuple(f.get("owasp_llm", [])),
        secret=SecretInfo(preview=secret["preview"], sha1=secret["sha1"]) if secret else None,
        commit=f.get("commit", ""),
        suppression=(
            Suppression(
                SuppressionKind(f["suppression"]["kind"]), f["suppression"]["justification"]
            )
            if f.get("suppression")
            else None
        ),
        trace=tuple(
            TraceStep(location=_location_from(s["location"]), message=s["message"])
            for s in f.get("trace", [])
        ),
        properties={str(k): str(v) for k, v in f.get("properties", {}).items()},
        merged_rule_ids=tuple(RuleId(str(r)) for r in f.get("merged_rule_ids", [])),
        file_class=str(f.get("file_class", "")),
    )


def _location_from(loc: Mapping[str, Any]) -> Location:
    return Location(
        path=loc["path"],
        start_line=int(loc["start_line"]),
        start_column=int(loc.get("start_column", 1)),
        end_line=loc.get("end_line"),
        end_column=loc.get("end_column"),
    )


# The same encodings, for the result cache (cache.py).
finding_to_dict = _finding
finding_from_dict = _finding_from
rule_to_dict = _rule
rule_from_dict = _rule_from
