"""SARIF 2.1.0 for GitHub code scanning: one run, driver ``llmsecops``.

Failed scanners are reported through ``invocations`` (executionSuccessful
false plus a tool execution notification each), so an incomplete scan never
looks like a clean one.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from llmsecops import rulepack
from llmsecops.model import Finding, Location, RuleMeta, RunStatus, ScanResult, SuppressionKind

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/llmsecops/llmsecops"
MAX_TAGS = 20
FINGERPRINT_KEY = "llmsecops/v1"


MAX_RESULTS = 25_000  # GitHub ingests at most this many results per run
MAX_GZIP_BYTES = 10 * 1024 * 1024  # and at most this much, gzipped


def render(result: ScanResult, *, category: str | None = None) -> str:
    """SARIF text, kept within GitHub's limits (see ``limit_warning``)."""
    doc = to_dict(result, category=category)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if len(gzip.compress(text.encode("utf-8"), mtime=0)) > MAX_GZIP_BYTES:
        # Snippets and flows are the bulk; drop them before dropping results.
        for item in doc["runs"][0]["results"]:
            item["locations"][0]["physicalLocation"]["region"].pop("snippet", None)
            item.pop("codeFlows", None)
        text = json.dumps(doc, ensure_ascii=False) + "\n"
    return text


def limit_warning(result: ScanResult) -> str | None:
    """A one-line warning when the SARIF had to be cut down for GitHub, else None."""
    if len(result.findings) > MAX_RESULTS:
        return (
            f"SARIF holds the {MAX_RESULTS} most severe of {len(result.findings)} findings "
            "(GitHub's per-run limit); the JSON and HTML reports have them all"
        )
    return None


def to_dict(result: ScanResult, *, category: str | None = None) -> dict[str, Any]:
    rules = list(result.rules)
    known = {r.id for r in rules}
    for f in result.findings:  # a finding whose rule metadata was lost still needs a rule
        if f.rule_id not in known:
            rules.append(_fallback_rule(f))
            known.add(f.rule_id)
    index = {r.id: i for i, r in enumerate(rules)}
    kept = result.findings
    if len(kept) > MAX_RESULTS:
        kept = tuple(sorted(kept, key=lambda f: (-f.severity, f.sort_key))[:MAX_RESULTS])
        kept = tuple(sorted(kept, key=lambda f: f.sort_key))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "llmsecops",
                "version": result.tool_version,
                "semanticVersion": result.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in rules],
            }
        },
        "invocations": [_invocation(result, truncated=len(result.findings) - len(kept))],
        "results": [_result(f, index[f.rule_id]) for f in kept],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "complete": result.complete,
            "scanners": {
                r.scanner: {"status": r.status.value, "version": r.version, "reason": r.reason}
                for r in result.runs
            },
        },
    }
    if category:
        # Only when asked: a category in the file overrides the upload step's own.
        run["automationDetails"] = {"id": f"{category.strip('/')}/"}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _fallback_rule(f: Finding) -> RuleMeta:
    return RuleMeta(
        id=f.rule_id,
        scanner=f.scanner,
        name=f.rule_id,
        short_description=f.rule_id,
        severity=f.severity,
        confidence=f.confidence,
        cwe=f.cwe,
        owasp_llm=f.owasp_llm,
    )


def _tags(cwe: tuple[str, ...], owasp: tuple[str, ...]) -> list[str]:
    tags = ["security"]
    tags += [f"external/cwe/{c.lower()}" for c in cwe]
    tags += list(owasp)
    return list(dict.fromkeys(tags))[:MAX_TAGS]


def _rule(rule: RuleMeta) -> dict[str, Any]:
    full = rule.full_description or rule.short_description
    help_text = full + (f"\n\nFix: {rule.fix}" if rule.fix else "")
    markdown = rule.help_markdown or _markdown_help(rule)
    props: dict[str, Any] = {
        "tags": _tags(rule.cwe, rule.owasp_llm),
        "precision": rule.confidence.sarif_precision,
        "scanner": rule.scanner,
    }
    if rule.severity.security_severity is not None:
        props["security-severity"] = rule.severity.security_severity
    out: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.name),
        "shortDescription": {"text": rule.short_description},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": props,
    }
    uri = rule.help_uri or (rulepack.help_uri(rule.id) if rule.id.startswith("llmsecops/") else "")
    if uri:
        out["helpUri"] = uri
    return out


def _markdown_help(rule: RuleMeta) -> str:
    parts = [f"**{rule.short_description}**", "", rule.full_description or rule.short_description]
    if rule.fix:
        parts += ["", f"**Fix:** {rule.fix}"]
    if rule.cwe:
        parts += ["", "CWE: " + ", ".join(rule.cwe)]
    if rule.help_uri:
        parts += ["", f"[More information]({rule.help_uri})"]
    return "\n".join(parts)


def _pascal(name: str) -> str:
    words = [w for w in "".join(c if c.isalnum() else " " for c in name).split() if w]
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def _physical(loc: Location, snippet: str = "") -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": loc.start_line,
        "startColumn": loc.start_column,
        "endLine": loc.last_line,
        "endColumn": loc.end_column if loc.end_column is not None else loc.start_column + 1,
    }
    if snippet:
        region["snippet"] = {"text": snippet}
    return {
        "artifactLocation": {"uri": _uri(loc.path), "uriBaseId": "%SRCROOT%"},
        "region": region,
    }


def _code_flow(f: Finding) -> dict[str, Any]:
    steps = [
        {
            "location": {
                "physicalLocation": _physical(step.location),
                "message": {"text": step.message},
            },
            "nestingLevel": 0,
            "executionOrder": i,
        }
        for i, step in enumerate(f.trace)
    ]
    return {
        "message": {"text": "data flow reconstructed by llmsecops from the sink backwards"},
        "threadFlows": [{"locations": steps}],
    }


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    props: dict[str, Any] = {
        "severity": f.severity.label,
        "confidence": f.confidence.label,
        "scanner": f.scanner,
    }
    if f.secret is not None:
        props["secret"] = {"preview": f.secret.preview, "sha1": f.secret.sha1}
    props.update({k: v for k, v in f.properties.items()})
    if f.merged_rule_ids:
        # The same problem on the same line, also reported under these rules.
        props["mergedRuleIds"] = list(f.merged_rule_ids)
    if f.file_class:
        props["fileClass"] = f.file_class
    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level,
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical(f.location, f.snippet)}],
        "partialFingerprints": _fingerprints(f),
        "properties": props,
    }
    if f.trace:
        out["codeFlows"] = [_code_flow(f)]
    if f.suppression is not None:
        kind = "inSource" if f.suppression.kind is SuppressionKind.INLINE else "external"
        out["suppressions"] = [
            {"kind": kind, "status": "accepted", "justification": f.suppression.justification}
        ]
    return out


def _fingerprints(f: Finding) -> dict[str, str]:
    prints = {FINGERPRINT_KEY: f.fingerprint}
    if f.line_hash:
        prints["primaryLocationLineHash"] = f.line_hash
    return prints


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/-_.~")


def _invocation(result: ScanResult, *, truncated: int = 0) -> dict[str, Any]:
    notifications: list[dict[str, Any]] = []
    if truncated:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{truncated} less severe finding(s) left out: GitHub accepts at "
                    f"most {MAX_RESULTS} results per run (see the JSON report)"
                },
                "descriptor": {"id": "sarif/truncated"},
            }
        )
    for run in result.runs:
        if run.status is RunStatus.OK and not run.notes:
            continue
        if run.status is RunStatus.FAILED:
            level, text = "error", f"{run.scanner} failed: {run.reason}"
        elif run.status is RunStatus.SKIPPED:
            level, text = "note", f"{run.scanner} skipped: {run.reason}"
        else:
            level, text = "warning", f"{run.scanner}: {'; '.join(run.notes)}"
        notifications.append(
            {
                "level": level,
                "message": {"text": text},
                "descriptor": {"id": f"scanner/{run.scanner}"},
                "properties": {"scanner": run.scanner, "status": run.status.value},
            }
        )
    if result.workspace.unreadable:
        notifications.append(
            {
                "level": "error",
                "message": {
                    "text": f"{len(result.workspace.unreadable)} file(s) could not be read: "
                    + ", ".join(result.workspace.unreadable[:5])
                },
                "descriptor": {"id": "workspace/unreadable"},
            }
        )
    return {
        "executionSuccessful": result.complete,
        "toolExecutionNotifications": notifications,
    }
