"""The console summary (stderr). Untrusted strings are rich ``Text``, never
markup, and control characters are escaped, so a file named ``[bold]x`` or a
snippet holding ANSI escapes prints as itself. So are line breaks (a file
name holding a newline cannot forge a line of the summary) and the invisible
Unicode format characters (bidi overrides, zero-width) that make text read
differently from what it is."""

from __future__ import annotations

import io
import re
from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from llmsecops.model import RunStatus, ScanResult, Severity
from llmsecops.report._text import printable

# Bidi embeddings/overrides/isolates, zero-width and other invisible format
# characters, line and paragraph separators.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def safe(text: str) -> str:
    """One terminal line that shows exactly what ``text`` holds."""
    text = printable(text).replace("\n", "\\n").replace("\t", "\\t")
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


MAX_LISTED = 50
_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_STATUS_STYLE = {RunStatus.OK: "green", RunStatus.SKIPPED: "dim", RunStatus.FAILED: "bold red"}


def headline(message: str, limit: int = 160) -> str:
    """The first sentence of a message: the console lists, the reports explain."""
    cut = message.find(". ")
    text = message[: cut + 1] if 0 < cut < limit else message
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(
    result: ScanResult, *, color: bool = False, width: int = 100, show_suppressed: bool = False
) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    ws = result.workspace
    skipped = sum(ws.skipped.values())
    header = Text(f"llmsecops {result.tool_version}: scanned {ws.files} file(s)")
    header.append(" (git work tree)" if ws.git else " (directory walk)")
    if skipped:
        detail = ", ".join(f"{reason}: {n}" for reason, n in ws.skipped.items())
        header.append(f", skipped {skipped} ({detail})")
    console.print(header)

    per_scanner = Counter(f.scanner for f in result.active)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("scanner", "status", "findings", "time", "details"):
        table.add_column(col)
    for run in result.runs:
        details = run.reason if run.status is not RunStatus.OK else "; ".join(run.notes)
        version = f"{run.version} " if run.version and run.status is RunStatus.OK else ""
        table.add_row(
            Text(run.scanner),
            Text(run.status.value.upper(), style=_STATUS_STYLE[run.status]),
            Text(
                str(per_scanner.get(run.scanner, 0)) if run.status is not RunStatus.SKIPPED else "-"
            ),
            Text(f"{run.duration_s:.1f}s" if run.status is not RunStatus.SKIPPED else "-"),
            Text(safe(f"{version}{details}".strip())),
        )
    console.print(table)

    if result.active:
        ordered = sorted(result.active, key=lambda f: (-f.severity, f.sort_key))
        by_severity = Counter(f.severity for f in ordered)
        current: Severity | None = None
        for f in ordered[:MAX_LISTED]:
            if f.severity is not current:
                current = f.severity
                console.print()
                console.print(
                    Text(
                        f"{current.label.upper()} ({by_severity[current]})",
                        style=_SEVERITY_STYLE[current],
                    )
                )
            line = Text("  ")
            line.append(safe(f"{f.location.path}:{f.location.start_line}"), style="bold")
            line.append(f" {safe(f.rule_id)}  ")
            if f.file_class and f.file_class != "production":
                line.append(f"[{safe(f.file_class)}] ", style="dim")
            line.append(safe(headline(f.message)))
            console.print(line, overflow="fold")
        if len(ordered) > MAX_LISTED:
            console.print(
                Text(f"... and {len(ordered) - MAX_LISTED} more (see the JSON or SARIF report)")
            )

    console.print()
    counts = result.counts_by_severity()
    summary = Text(f"{len(result.active)} finding(s): ")
    summary.append(", ".join(f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True)))
    if result.fail_on is not None:
        summary.append(f"; {len(result.blocking())} at or above --fail-on {result.fail_on.label}")
    if result.suppressed:
        kinds = Counter(f.suppression.kind.value for f in result.suppressed if f.suppression)
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        summary.append(f"; {len(result.suppressed)} suppressed ({detail})")
        if not show_suppressed:
            summary.append("; --show-suppressed lists them")
    console.print(summary)
    if show_suppressed and result.suppressed:
        _print_suppressed(console, result)
    if not result.complete:
        failed = [r.scanner for r in result.failed_runs]
        reasons = []
        if failed:
            reasons.append(f"{', '.join(failed)} failed")
        if ws.unreadable:
            reasons.append(f"{len(ws.unreadable)} file(s) unreadable")
        console.print(
            Text(
                f"SCAN INCOMPLETE: {'; '.join(reasons)}. "
                "Results are partial; do not treat them as clean.",
                style="bold red",
            )
        )
    return buffer.getvalue()


def _print_suppressed(console: Console, result: ScanResult) -> None:
    """Every suppressed finding, under its reason: nothing the profile hides is silent."""
    groups: dict[str, list[str]] = {}
    for f in sorted(result.suppressed, key=lambda f: f.sort_key):
        if f.suppression is None:
            continue
        reason = f"{f.suppression.kind.value}: {f.suppression.justification}".rstrip(": ")
        groups.setdefault(reason, []).append(
            f"{f.location.path}:{f.location.start_line} {f.rule_id}"
            + (f" [{f.file_class}]" if f.file_class else "")
        )
    console.print()
    console.print(Text(f"SUPPRESSED ({len(result.suppressed)})", style="bold"))
    for reason in sorted(groups, key=lambda r: (-len(groups[r]), r)):
        console.print(Text(printable(f"{reason} ({len(groups[reason])})"), style="dim"))
        for entry in groups[reason]:
            console.print(Text("  " + printable(entry)), overflow="fold")
