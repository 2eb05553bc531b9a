"""Cross-tool dedupe: one problem on one line is one finding.

bandit, the semgrep pack and the native checks overlap (bandit B602 and the
command-injection taint rule both flag ``subprocess.run(cmd, shell=True)``).
Findings on the same line of the same file, or on lines of one multi-line
statement (bandit reports a call's whole span, semgrep the argument's line),
are merged when they describe the same class of problem, judged by their CWE
ids; findings of different classes
on one line (SQL injection and a weak hash, say) stay apart. The finding kept
is the most informative one (a data-flow trace first, then severity, then
confidence); the rule ids of the others travel with it in ``merged_rule_ids``
so no tool's verdict is lost and inline waivers keep working per rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from llmsecops.model import Finding, RuleId

# CWE ids that describe the same kind of problem. A CWE not listed here is its
# own class.
CWE_CLASSES: dict[str, str] = {
    "CWE-77": "command-injection",
    "CWE-78": "command-injection",
    "CWE-88": "command-injection",
    "CWE-94": "code-injection",
    "CWE-95": "code-injection",
    "CWE-1336": "code-injection",
    "CWE-89": "sql-injection",
    "CWE-564": "sql-injection",
    "CWE-22": "path-traversal",
    "CWE-23": "path-traversal",
    "CWE-36": "path-traversal",
    "CWE-73": "path-traversal",
    "CWE-79": "xss",
    "CWE-80": "xss",
    "CWE-601": "open-redirect",
    "CWE-643": "xpath-injection",
    "CWE-90": "ldap-injection",
    "CWE-502": "deserialization",
    "CWE-611": "xxe",
    "CWE-776": "xxe",
    "CWE-501": "trust-boundary",
    "CWE-918": "ssrf",
    "CWE-326": "weak-crypto",
    "CWE-327": "weak-crypto",
    "CWE-328": "weak-crypto",
    "CWE-916": "weak-crypto",
    "CWE-330": "weak-random",
    "CWE-338": "weak-random",
    "CWE-614": "insecure-cookie",
    "CWE-295": "tls-verification",
    "CWE-798": "hard-coded-credential",
    "CWE-259": "hard-coded-credential",
    # TAXONOMY.md: "remote code in models, unpinned downloads" (bandit B615,
    # unpinned-model-revision, trust-remote-code on one from_pretrained call).
    "CWE-494": "untrusted-model-code",
    "CWE-829": "untrusted-model-code",
}

# A finding spanning more lines than this (a whole function or class) only
# merges with findings on its first line: its span is not one statement.
MAX_SPAN_LINES = 10

# CWE ids that say where data came from (model output, prompts, input in
# general) rather than what goes wrong: they never make two findings the same.
SOURCE_CWES = frozenset({"CWE-20", "CWE-1426", "CWE-1427"})

# Every advisory on a lock-file line and every secret is a problem of its own,
# even when several share a line and a CWE.
UNMERGED_SCANNERS = frozenset({"dependencies", "secrets"})


def problem_classes(finding: Finding) -> frozenset[str]:
    """The classes of problem a finding reports; a finding without a usable
    CWE is a class of its own rule."""
    if finding.scanner in UNMERGED_SCANNERS:
        return frozenset({f"rule:{finding.rule_id}"})
    cwes = [c.strip().upper() for c in finding.cwe if c.strip()]
    specific = [c for c in cwes if c not in SOURCE_CWES]
    if not specific:
        return frozenset({f"rule:{finding.rule_id}"})
    return frozenset(CWE_CLASSES.get(c, c) for c in specific)


def _rank(finding: Finding) -> tuple[int, int, int, int, str, int, str]:
    """Sort key: the most informative finding first, ties broken stably."""
    return (
        0 if finding.trace else 1,
        -int(finding.severity),
        -int(finding.confidence),
        -len(finding.trace),
        finding.rule_id,
        finding.location.start_column,
        finding.message,
    )


def _group_key(finding: Finding) -> tuple[str, str, bool]:
    return (finding.location.path, finding.commit, finding.suppression is not None)


def _last_line(finding: Finding) -> int:
    """The last line a finding's statement covers, for overlap with others."""
    loc = finding.location
    end = loc.end_line if loc.end_line is not None else loc.start_line
    if end < loc.start_line or end - loc.start_line > MAX_SPAN_LINES:
        return loc.start_line
    return end


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Merge findings of the same problem class on one line or one multi-line
    statement; order-independent."""
    groups: dict[tuple[str, str, bool], list[Finding]] = {}
    for f in findings:
        groups.setdefault(_group_key(f), []).append(f)
    out: list[Finding] = []
    for key in sorted(groups):
        ordered = sorted(groups[key], key=lambda f: (f.location.start_line, _rank(f)))
        cluster: list[Finding] = []
        reach = 0
        for f in ordered:
            if cluster and f.location.start_line > reach:
                out.extend(_merge_line(sorted(cluster, key=_rank)))
                cluster = []
            reach = max(reach, _last_line(f)) if cluster else _last_line(f)
            cluster.append(f)
        if cluster:
            out.extend(_merge_line(sorted(cluster, key=_rank)))
    return out


def _merge_line(ranked: Sequence[Finding]) -> list[Finding]:
    """Findings of one line, best first: join those whose classes overlap."""
    clusters: list[tuple[set[str], list[Finding]]] = []
    for f in ranked:
        classes = set(problem_classes(f))
        touching = [c for c in clusters if c[0] & classes]
        if not touching:
            clusters.append((classes, [f]))
            continue
        # Joining may bridge clusters (CWE-78+94 links a 78 and a 94 finding).
        first = touching[0]
        first[0].update(classes)
        first[1].append(f)
        for other in touching[1:]:
            first[0].update(other[0])
            first[1].extend(other[1])
            clusters.remove(other)
    return [_combine(sorted(members, key=_rank)) for _, members in clusters]


def _combine(members: Sequence[Finding]) -> Finding:
    primary = members[0]
    if len(members) == 1:
        return primary
    others: list[RuleId] = []
    for f in members:
        for rid in (f.rule_id, *f.merged_rule_ids):
            if rid != primary.rule_id and rid not in others:
                others.append(rid)
    for rid in primary.merged_rule_ids:
        if rid not in others:
            others.append(rid)
    cwe: list[str] = []
    for f in members:
        cwe.extend(c for c in f.cwe if c not in cwe)
    owasp: list[str] = []
    for f in members:
        owasp.extend(o for o in f.owasp_llm if o not in owasp)
    return replace(
        primary,
        merged_rule_ids=tuple(sorted(others)),
        cwe=tuple(cwe),
        owasp_llm=tuple(owasp),
    )
