"""One self-contained HTML report: inline CSS and JS, no network.

Every path, message and snippet comes from the scanned repository, so the
template is rendered with autoescaping on and nothing is marked safe except
our own stylesheet and script, whose hashes are the only ones the
Content-Security-Policy allows. Without JavaScript everything is shown; with
it, filters and search narrow the list.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
import markupsafe

from llmsecops.model import Finding, RuleMeta, RunStatus, ScanResult, Severity, TraceStep
from llmsecops.report._text import printable
from llmsecops.report.console import headline

OWASP_LLM_2025: tuple[tuple[str, str], ...] = (
    ("LLM01:2025", "Prompt Injection"),
    ("LLM02:2025", "Sensitive Information Disclosure"),
    ("LLM03:2025", "Supply Chain"),
    ("LLM04:2025", "Data and Model Poisoning"),
    ("LLM05:2025", "Improper Output Handling"),
    ("LLM06:2025", "Excessive Agency"),
    ("LLM07:2025", "System Prompt Leakage"),
    ("LLM08:2025", "Vector and Embedding Weaknesses"),
    ("LLM09:2025", "Misinformation"),
    ("LLM10:2025", "Unbounded Consumption"),
)


@dataclass(frozen=True)
class _Row:
    id: str
    name: str
    rules: tuple[str, ...]
    findings: int


@dataclass(frozen=True)
class _View:
    """What the template shows for one finding (display strings only)."""

    fingerprint: str
    severity: Severity
    confidence: str
    scanner: str
    rule_id: str
    headline: str
    message: str
    path: str
    line: int
    cwe: tuple[str, ...]
    owasp: tuple[str, ...]
    lines: tuple[tuple[int, str, bool], ...]
    trace: tuple[TraceStep, ...]
    fix: str
    help_uri: str
    commit: str
    suppression: str  # "" or e.g. "inline: the command is a constant"
    file_class: str = ""  # production, test, fixture, example, generated


@lru_cache(maxsize=1)
def _assets() -> tuple[jinja2.Template, str, str]:
    base = resources.files("llmsecops.report") / "templates"
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    template = env.from_string(base.joinpath("report.html.j2").read_text(encoding="utf-8"))
    css = base.joinpath("report.css").read_text(encoding="utf-8")
    js = base.joinpath("report.js").read_text(encoding="utf-8")
    return template, css, js


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def coverage(result: ScanResult) -> list[_Row]:
    """Each OWASP LLM category: which rules check it and how many findings it has."""
    found = Counter(o for f in result.findings for o in f.owasp_llm)
    rows = []
    for cat, name in OWASP_LLM_2025:
        rules = tuple(sorted(r.id for r in result.rules if cat in r.owasp_llm))
        rows.append(_Row(cat, name, rules, found.get(cat, 0)))
    return rows


def _view(f: Finding, rules: dict[str, RuleMeta]) -> _View:
    rule = rules.get(f.rule_id)
    loc = f.location
    snippet_lines = f.snippet.splitlines() if f.snippet else []
    lines = tuple(
        (loc.start_line + i, printable(text), loc.start_line + i <= loc.last_line)
        for i, text in enumerate(snippet_lines)
    )
    return _View(
        fingerprint=f.fingerprint,
        severity=f.severity,
        confidence=f.confidence.label,
        scanner=f.scanner,
        rule_id=f.rule_id,
        headline=printable(headline(f.message)),
        message=printable(f.message),
        path=printable(loc.path),
        line=loc.start_line,
        cwe=f.cwe,
        owasp=f.owasp_llm,
        lines=lines,
        trace=tuple(TraceStep(location=s.location, message=printable(s.message)) for s in f.trace),
        fix=rule.fix if rule else "",
        help_uri=_safe_uri(rule.help_uri if rule else ""),
        commit=f.commit,
        suppression=(
            f"{f.suppression.kind.value}: {printable(f.suppression.justification)}"
            if f.suppression
            else ""
        ),
        file_class=f.file_class,
    )


def _safe_uri(uri: str) -> str:
    # Only web links: a rule from a user's rule pack must not smuggle javascript: URLs.
    return uri if uri.startswith(("https://", "http://")) else ""


def render(result: ScanResult) -> str:
    template, css, js = _assets()
    csp = (
        "default-src 'none'; "
        f"style-src '{_sha256(css)}'; "
        f"script-src '{_sha256(js)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    rules: dict[str, RuleMeta] = {r.id: r for r in result.rules}
    ordered = sorted(result.findings, key=lambda f: (-f.severity, f.sort_key))
    context: dict[str, Any] = {
        "result": result,
        "csp": csp,
        "css": markupsafe.Markup(css),  # noqa: S704 - our own stylesheet
        "js": markupsafe.Markup(js),  # noqa: S704 - our own script
        "severities": sorted(Severity, reverse=True),
        "counts": result.counts_by_severity(),
        "blocking": len(result.blocking()),
        "per_scanner": Counter(f.scanner for f in result.findings),
        "scanners": [r.scanner for r in result.runs],
        "failed": [r for r in result.runs if r.status is RunStatus.FAILED],
        "skipped": [r for r in result.runs if r.status is RunStatus.SKIPPED],
        "skipped_files": sum(result.workspace.skipped.values()),
        "coverage": coverage(result),
        "findings": [_view(f, rules) for f in ordered],
    }
    return template.render(**context)
