"""Baselines: the findings a team has accepted, by line-independent fingerprint.

A baseline file records fingerprints, rule ids and paths, never code or
secret values. ``scan --baseline F`` marks findings whose fingerprint is
recorded as baselined: they stay in the reports and never count for
``--fail-on``. Moving code keeps the fingerprint, so it stays baselined.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from llmsecops.errors import UsageError
from llmsecops.model import Finding, Suppression, SuppressionKind

FORMAT_VERSION = 1


def render(findings: Iterable[Finding], tool_version: str) -> str:
    entries = sorted(
        # Profile-suppressed findings are accepted too: switching to --profile audit
        # or strict later must not present them as new.
        {
            (f.fingerprint, f.rule_id, f.location.path)
            for f in findings
            if f.suppression is None or f.suppression.kind is SuppressionKind.PROFILE
        }
    )
    doc = {
        "llmsecops_baseline": FORMAT_VERSION,
        "tool_version": tool_version,
        "findings": [
            {"fingerprint": fp, "rule_id": rule, "path": path} for fp, rule, path in entries
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def load(path: Path) -> frozenset[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"baseline {path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"baseline {path}: not JSON (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("llmsecops_baseline") != FORMAT_VERSION:
        raise UsageError(
            f"baseline {path}: not an llmsecops baseline "
            f"(expected llmsecops_baseline: {FORMAT_VERSION}; "
            "create one with 'llmsecops baseline create')"
        )
    items = data.get("findings")
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("fingerprint"), str) for i in items
    ):
        raise UsageError(f"baseline {path}: 'findings' must be a list of {{fingerprint, ...}}")
    return frozenset(i["fingerprint"] for i in items)


def apply(findings: Iterable[Finding], known: frozenset[str]) -> list[Finding]:
    return [
        replace(f, suppression=Suppression(SuppressionKind.BASELINE, "in the baseline"))
        if f.suppression is None and f.fingerprint in known
        else f
        for f in findings
    ]
