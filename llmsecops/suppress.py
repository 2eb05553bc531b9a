"""Inline suppressions: ``# llmsecops: ignore[rule-id,...] reason``.

The comment waives the named rules on its own line or on the line below
(``//`` works too, for JS/TS). A waiver must say why, and must name rules
that exist: otherwise the comment itself is reported, so a typo never
silently hides a finding. Suppressed findings stay in every report, marked,
and never count for ``--fail-on``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RuleId,
    RuleMeta,
    ScannerName,
    Severity,
    Suppression,
    SuppressionKind,
)

MARKER = re.compile(r"(?:#|//)\s*llmsecops:\s*ignore\[([^\]]*)\]\s*(.*?)\s*(?:\*/|-->)?\s*$")
# Rule ids llmsecops cannot enumerate up front but knows the shape of.
_TOOL_IDS = re.compile(r"^(bandit/B\d{3}|secrets/[a-z0-9-]+|deps/[\w.:\-]+|semgrep/[\w.\-]+)$")

INVALID = RuleMeta(
    id=RuleId("llmsecops/invalid-suppression"),
    scanner=ScannerName("llmsecops"),
    name="Invalid suppression comment",
    short_description="A suppression comment without a reason or naming an unknown rule",
    full_description=(
        "An `llmsecops: ignore[...]` comment must name existing rule ids and give a reason "
        "after the brackets. One that does not is ignored and reported, so a typo never "
        "silently hides a finding."
    ),
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=("CWE-710",),
    fix="Name the rule ids exactly (see `llmsecops rules list`) and say why the finding is "
    "acceptable: `# llmsecops: ignore[bandit/B602] command is a constant`.",
)


@dataclass(frozen=True)
class Waiver:
    line: int  # where the comment is
    rules: tuple[str, ...]
    reason: str


def parse_line(text: str) -> tuple[tuple[str, ...], str] | None:
    """(rule ids, reason) of a suppression comment on this line, or None."""
    match = MARKER.search(text)
    if match is None:
        return None
    rules = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
    return rules, match.group(2).strip()


def waivers(lines: Sequence[str]) -> list[Waiver]:
    out = []
    for number, text in enumerate(lines, start=1):
        if "llmsecops:" not in text:
            continue
        parsed = parse_line(text)
        if parsed is not None:
            out.append(Waiver(number, parsed[0], parsed[1]))
    return out


def is_known(rule_id: str, known: set[str]) -> bool:
    return rule_id in known or bool(_TOOL_IDS.match(rule_id))


def apply(
    findings: Iterable[Finding],
    paths: Iterable[str],
    read_lines: Callable[[str], list[str]],
    known_rules: set[str],
) -> list[Finding]:
    """Mark waived findings and add a finding for every invalid waiver."""
    by_path: dict[str, list[Waiver]] = {}
    invalid: list[Finding] = []
    for path in paths:
        found = waivers(read_lines(path))
        good = []
        for w in found:
            problem = _problem(w, known_rules)
            if problem:
                invalid.append(_invalid(path, w, problem))
            else:
                good.append(w)
        if good:
            by_path[path] = good
    out = []
    for f in findings:
        for w in by_path.get(f.location.path, ()):
            if f.rule_id in w.rules and w.line in (
                f.location.start_line,
                f.location.start_line - 1,
            ):
                f = replace(f, suppression=Suppression(SuppressionKind.INLINE, w.reason))
                break
        out.append(f)
    return out + invalid


def _problem(w: Waiver, known: set[str]) -> str:
    if not w.rules:
        return "names no rule"
    unknown = [r for r in w.rules if not is_known(r, known)]
    if unknown:
        return f"names unknown rule(s) {', '.join(unknown)}"
    if not w.reason:
        return "gives no reason"
    return ""


def _invalid(path: str, w: Waiver, problem: str) -> Finding:
    return Finding.create(
        rule_id=INVALID.id,
        scanner=INVALID.scanner,
        severity=INVALID.severity,
        confidence=INVALID.confidence,
        message=f"Suppression comment {problem}: it is ignored. {INVALID.fix}",
        location=Location(path, w.line),
        cwe=INVALID.cwe,
    )
