"""Markdown for PR comments and ``$GITHUB_STEP_SUMMARY``.

GitHub renders HTML inside Markdown, and every path, message and snippet
comes from the scanned repository, so untrusted text is escaped for both.
The output stays under GitHub's 1 MiB summary limit: findings are listed
most severe first until the budget is spent, then counted.
"""

from __future__ import annotations

import re
from collections import Counter

from llmsecops.model import RunStatus, ScanResult, Severity
from llmsecops.report.console import headline

MAX_BYTES = 1024 * 1024 - 4096  # GitHub's step-summary limit, with room for a footer
MAX_LISTED = 100
_ICON = {
    Severity.CRITICAL: "🟥",
    Severity.HIGH: "🟧",
    Severity.MEDIUM: "🟨",
    Severity.LOW: "🟦",
    Severity.INFO: "⬜",
}


def text(value: str) -> str:
    """Escape untrusted text for a Markdown table cell (no HTML, no markup, one line)."""
    flat = " ".join(value.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|~])", r"\\\1", flat)


def code(value: str) -> str:
    """Untrusted text as inline code: no backtick can close it, no pipe can split a table."""
    flat = " ".join(value.split()).replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def render(result: ScanResult) -> str:
    counts = result.counts_by_severity()
    blocking = len(result.blocking())
    out: list[str] = ["## llmsecops scan", ""]
    if not result.complete:
        failed = ", ".join(r.scanner for r in result.failed_runs) or "the workspace"
        out += [
            f"> [!CAUTION]\n> **Scan incomplete**: {text(failed)} could not run fully. "
            "These results are partial: do not treat them as clean.",
            "",
        ]
    verdict = (
        f"**{blocking} finding(s) at or above `{result.fail_on.label}`**"
        if result.fail_on is not None
        else "**No fail threshold set**"
    )
    out += [
        f"{verdict} · {len(result.active)} in total · {len(result.suppressed)} suppressed · "
        f"{result.workspace.files} file(s) scanned",
        "",
        "| severity | findings |",
        "|---|---:|",
    ]
    out += [f"| {_ICON[s]} {s.label} | {counts[s]} |" for s in sorted(Severity, reverse=True)]
    out += ["", "| scanner | status | findings | details |", "|---|---|---:|---|"]
    per_scanner = Counter(f.scanner for f in result.active)
    for run in result.runs:
        details = run.reason if run.status is not RunStatus.OK else "; ".join(run.notes)
        status = "❌ failed" if run.status is RunStatus.FAILED else run.status.value
        count = "-" if run.status is RunStatus.SKIPPED else str(per_scanner.get(run.scanner, 0))
        out.append(f"| {text(run.scanner)} | {status} | {count} | {text(details)} |")
    if result.active:
        out += ["", "### Findings", "", "| | rule | location | message |", "|---|---|---|---|"]
        ordered = sorted(result.active, key=lambda f: (-f.severity, f.sort_key))
        budget = MAX_BYTES - len("\n".join(out).encode())
        listed = 0
        for f in ordered[:MAX_LISTED]:
            loc = f"{f.location.path}:{f.location.start_line}"
            message = text(headline(f.message))
            row = f"| {_ICON[f.severity]} | {code(f.rule_id)} | {code(loc)} | {message} |"
            size = len(row.encode()) + 1
            if size > budget:
                break
            out.append(row)
            budget -= size
            listed += 1
        if listed < len(ordered):
            out += ["", f"…and {len(ordered) - listed} more in the SARIF, JSON or HTML report."]
    return "\n".join(out) + "\n"
