"""semgrep: runs the bundled rule pack (never the registry), metrics and
version check off, no git calls of its own.

Severity comes from each rule's ``metadata.severity``; a rule without it maps
ERROR -> high, WARNING -> medium, INFO -> low (docs/severity.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from llmsecops import rulepack, trace
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RunStatus,
    ScannerName,
    ScannerRun,
    Severity,
)
from llmsecops.scanners import _process
from llmsecops.scanners.base import ScanContext, chunks, failed, one_line, skipped
from llmsecops.workspace import read_text

NAME = ScannerName("semgrep")
ARGV_CHUNK = 2000
PER_FILE_TIMEOUT_S = 30
MAX_TARGET_BYTES = 2_000_000

_LEVEL = {"ERROR": Severity.HIGH, "WARNING": Severity.MEDIUM, "INFO": Severity.LOW}
# semgrep language names -> our workspace language names
_LANGUAGES = {
    "python": "python",
    "py": "python",
    "javascript": "javascript",
    "js": "javascript",
    "typescript": "typescript",
    "ts": "typescript",
}
# semgrep exit codes that still come with a complete JSON report
_OK_CODES = frozenset({0, 1})


class SemgrepOutputError(ValueError):
    pass


@dataclass(frozen=True)
class Parsed:
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]  # target files semgrep could not fully analyse
    fatal: str  # a rule or engine error that invalidates the run; "" if none


def parse(stdout: str) -> Parsed:
    """Turn ``semgrep --json`` output into findings; pure."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise SemgrepOutputError("semgrep produced output that is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SemgrepOutputError("semgrep JSON has no 'results' list")
    findings = tuple(_finding(item) for item in data["results"])
    notes: list[str] = []
    fatal = ""
    for err in data.get("errors", []):
        if not isinstance(err, dict):
            continue
        kind = str(err.get("type", "error"))
        if isinstance(err.get("type"), list):
            kind = str(err["type"][0])
        message = one_line(str(err.get("message", kind)), 160)
        path = err.get("path")
        if path:
            # A target semgrep could not parse or timed out on: the run goes on.
            notes.append(f"{path}: {kind}")
        elif err.get("level") == "error" and not fatal:
            fatal = f"semgrep {kind}: {message}"
    return Parsed(findings, tuple(notes), fatal)


def _finding(item: Any) -> Finding:
    if not isinstance(item, dict):
        raise SemgrepOutputError("semgrep result is not an object")
    try:
        check_id = str(item["check_id"])
        path = str(item["path"])
        start = item["start"]
        end = item["end"]
        extra = item.get("extra") or {}
    except (KeyError, TypeError):
        raise SemgrepOutputError("semgrep result lacks check_id, path, start or end") from None
    meta = extra.get("metadata") or {}
    ours = meta.get("llmsecops-id")
    rule_id = str(ours) if ours else f"semgrep/{check_id.rsplit('.', 1)[-1]}"
    try:
        severity = Severity.parse(str(meta["severity"]))
    except (KeyError, ValueError):
        severity = _LEVEL.get(str(extra.get("severity", "")).upper(), Severity.MEDIUM)
    try:
        confidence = Confidence.parse(str(meta["confidence"]))
    except (KeyError, ValueError):
        confidence = Confidence.MEDIUM
    cwe = tuple(_cwe_ids(meta.get("cwe", [])))
    owasp = tuple(str(x) for x in meta.get("owasp-llm", []) if isinstance(x, str))
    location = Location(
        path=path,
        start_line=int(start["line"]),
        start_column=max(1, int(start.get("col", 1))),
        end_line=int(end["line"]),
        end_column=max(1, int(end.get("col", 1))),
    )
    return Finding.create(
        rule_id=rule_id,
        scanner=NAME,
        severity=severity,
        confidence=confidence,
        message=" ".join(str(extra.get("message", rule_id)).split()),
        location=location,
        cwe=cwe,
        owasp_llm=owasp,
        properties={"semgrep.check_id": check_id},
    )


def _cwe_ids(raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        text = str(item)
        head = text.split(":", 1)[0].strip()
        if head.upper().startswith("CWE-"):
            out.append(head.upper())
    return out


class SemgrepScanner:
    name = NAME
    program = "semgrep"

    def version(self) -> str | None:
        return _process.tool_version(
            self.program, ["--version", "--disable-version-check"], env=_env()
        )

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        try:
            pack = rulepack.load(ctx.rules_dir)
        except rulepack.RulePackError as exc:
            return failed(NAME, str(exc))
        languages = {
            _LANGUAGES[lang] for rule in pack for lang in rule.languages if lang in _LANGUAGES
        }
        files = [f.path for f in ctx.workspace.files if f.language in languages]
        if not pack:
            return skipped(NAME, "the rule pack is empty")
        if not files:
            return skipped(
                NAME, f"no files in the rule pack's languages ({', '.join(sorted(languages))})"
            )
        program = _process.find_program(self.program)
        if program is None:
            return failed(NAME, "semgrep is not installed (pip install semgrep)")
        env = _env()
        findings: list[Finding] = []
        notes: list[str] = []
        version = ""
        for batch in chunks(files, ARGV_CHUNK):
            argv = [
                program,
                "scan",
                "--config",
                str(ctx.rules_dir),
                "--json",
                "--quiet",
                "--metrics=off",
                "--disable-version-check",
                "--no-git-ignore",
                "--timeout",
                str(PER_FILE_TIMEOUT_S),
                "--max-target-bytes",
                str(MAX_TARGET_BYTES),
                "--",
                *batch,
            ]
            try:
                done = _process.run(argv, cwd=ctx.root, timeout_s=timeout_s, env=env)
            except (_process.ProcessTimeout, _process.ProcessNotFound) as exc:
                return failed(NAME, str(exc))
            try:
                parsed = parse(done.stdout)
                version = version or _json_version(done.stdout)
            except SemgrepOutputError as exc:
                why = _process.error_line(done.stderr)
                detail = (
                    f" (exit {done.returncode}: {why})" if why else f" (exit {done.returncode})"
                )
                return failed(NAME, f"{exc}{detail}")
            if done.returncode not in _OK_CODES or parsed.fatal:
                why = (
                    parsed.fatal
                    or _process.error_line(done.stderr)
                    or f"exit status {done.returncode}"
                )
                return failed(NAME, f"semgrep failed: {why}", version=version)
            findings += parsed.findings
            notes += parsed.notes
        findings = with_traces(findings, {r.meta.id for r in pack if r.taint}, ctx)
        run_notes = (
            (f"semgrep could not fully analyse {len(notes)} file(s): {notes[0]}",) if notes else ()
        )
        return ScannerRun(
            scanner=NAME,
            status=RunStatus.OK,
            findings=tuple(findings),
            version=version,
            files_scanned=len(files),
            notes=run_notes,
            rules=tuple(r.meta for r in pack),
        )


def with_traces(findings: list[Finding], taint_rules: set[str], ctx: ScanContext) -> list[Finding]:
    """Attach a reconstructed data-flow trace to Python taint findings."""
    sources: dict[str, str | None] = {}
    out = []
    for f in findings:
        path = f.location.path
        if f.rule_id in taint_rules and path.endswith((".py", ".pyi")):
            if path not in sources:
                try:
                    sources[path] = read_text(ctx.root, path)
                except OSError:
                    sources[path] = None
            text = sources[path]
            if text is not None:
                f = replace(f, trace=trace.build(text, path, f.location))
        out.append(f)
    return out


def _env() -> dict[str, str]:
    # Metrics and the version check would phone home; behind a firewall the
    # version check alone stalls semgrep for a minute and a half.
    return _process.scrubbed_env(
        {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    )


def _json_version(stdout: str) -> str:
    try:
        return str(json.loads(stdout).get("version", ""))
    except (json.JSONDecodeError, AttributeError):
        return ""
