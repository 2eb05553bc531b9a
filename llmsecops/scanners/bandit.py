"""bandit: classic Python SAST.

Severity and confidence map one to one (HIGH/MEDIUM/LOW; UNDEFINED -> low),
see docs/severity.md. Hard-coded password findings (B105-B107) quote the
value in bandit's message: the adapter redacts it before it goes anywhere.
"""

from __future__ import annotations

import contextvars
import json
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RuleId,
    RuleMeta,
    RunStatus,
    ScannerName,
    ScannerRun,
    Severity,
)
from llmsecops.redact import preview
from llmsecops.scanners import _process
from llmsecops.scanners.base import (
    ScanContext,
    chunks,
    cpu_count,
    failed,
    one_line,
    skipped,
    split_by_size,
)
from llmsecops.workspace import SourceFile

NAME = ScannerName("bandit")
ARGV_CHUNK = 2000
# bandit is single-threaded: from this many files on, one process per core,
# each on a share of the files of similar total size. Below it a second
# process's start-up (about half a second) costs more than it saves.
PARALLEL_MIN_FILES = 200

_SEVERITY = {"HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM, "LOW": Severity.LOW}
_CONFIDENCE = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}
_PASSWORD_TESTS = frozenset({"B105", "B106", "B107"})
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def processes(files: int) -> int:
    """How many bandit processes share ``files`` Python files."""
    return cpu_count() if files >= PARALLEL_MIN_FILES else 1


def _run_part(
    program: str, files: Sequence[str], ctx: ScanContext, deadline: float, budget_s: float
) -> list[Parsed] | str:
    """bandit over ``files``, in argv-sized batches one after another: each
    batch's parsed output, or why it failed."""
    out: list[Parsed] = []
    for batch in chunks(files, ARGV_CHUNK):
        # "--" ends options: a file named like a flag stays a file.
        argv = [program, "-f", "json", "-q", "--exit-zero", "--", *batch]
        try:
            done = _process.run(
                argv, cwd=ctx.root, timeout_s=max(deadline - time.monotonic(), 0.001)
            )
        except (_process.ProcessOutOfMemory, _process.ProcessNotFound) as exc:
            return str(exc)
        except _process.ProcessTimeout:
            return f"bandit timed out after {budget_s:g}s"
        if done.returncode != 0:
            why = _process.error_line(done.stderr) or f"exit status {done.returncode}"
            return f"bandit failed: {why}"
        try:
            out.append(parse(done.stdout))
        except BanditOutputError as exc:
            return str(exc)
    return out


class BanditOutputError(ValueError):
    pass


@dataclass(frozen=True)
class Parsed:
    findings: tuple[Finding, ...]
    rules: tuple[RuleMeta, ...]
    errors: tuple[str, ...]  # files bandit could not analyse


def parse(stdout: str) -> Parsed:
    """Turn bandit's ``-f json`` output into findings; pure."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise BanditOutputError("bandit produced output that is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise BanditOutputError("bandit JSON has no 'results' list")
    findings: list[Finding] = []
    rules: dict[str, RuleMeta] = {}
    for item in data["results"]:
        finding, meta = _finding(item)
        findings.append(finding)
        keep_strongest(rules, meta)
    errors = tuple(
        f"{e.get('filename', '?')}: {one_line(str(e.get('reason', 'error')), 120)}"
        for e in data.get("errors", [])
        if isinstance(e, dict)
    )
    return Parsed(tuple(findings), tuple(rules[k] for k in sorted(rules)), errors)


def keep_strongest(rules: dict[str, RuleMeta], meta: RuleMeta) -> None:
    """One RuleMeta per check, whatever order bandit (or the cache) lists findings in:
    bandit rates each finding, so the rule gets its most severe rating."""
    held = rules.get(meta.id)
    if held is None or (meta.severity, meta.confidence) > (held.severity, held.confidence):
        rules[meta.id] = meta


def _finding(item: Any) -> tuple[Finding, RuleMeta]:
    if not isinstance(item, dict):
        raise BanditOutputError("bandit result is not an object")
    try:
        test_id = str(item["test_id"])
        path = str(item["filename"])
        line = int(item["line_number"])
        text = str(item["issue_text"])
    except (KeyError, TypeError, ValueError):
        raise BanditOutputError(
            "bandit result lacks test_id, filename, line_number or issue_text"
        ) from None
    severity = _SEVERITY.get(str(item.get("issue_severity", "")).upper(), Severity.LOW)
    confidence = _CONFIDENCE.get(str(item.get("issue_confidence", "")).upper(), Confidence.LOW)
    cwe_id = (item.get("issue_cwe") or {}).get("id")
    cwe = (f"CWE-{cwe_id}",) if cwe_id else ()
    if test_id in _PASSWORD_TESTS:
        text = _QUOTED.sub(lambda m: f"'{preview(m.group(1) or m.group(2) or '')}'", text)
    line_range = item.get("line_range") or [line]
    end_line = max(int(x) for x in line_range) if line_range else line
    col = item.get("col_offset")
    end_col = item.get("end_col_offset")
    location = Location(
        path=path,
        start_line=line,
        start_column=int(col) + 1 if isinstance(col, int) and col >= 0 else 1,
        end_line=max(end_line, line),
        end_column=int(end_col) + 1 if isinstance(end_col, int) and end_col > 0 else None,
    )
    rule_id = f"bandit/{test_id}"
    test_name = str(item.get("test_name", test_id))
    meta = RuleMeta(
        id=RuleId(rule_id),
        scanner=NAME,
        name=test_name,
        short_description=f"bandit {test_id}: {test_name.replace('_', ' ')}",
        full_description=f"bandit check {test_id} ({test_name}).",
        severity=severity,
        confidence=confidence,
        cwe=cwe,
        help_uri=str(item.get("more_info", "")),
    )
    finding = Finding.create(
        rule_id=rule_id,
        scanner=NAME,
        severity=severity,
        confidence=confidence,
        message=text,
        location=location,
        cwe=cwe,
        properties={"bandit.test_name": test_name},
    )
    return finding, meta


class BanditScanner:
    name = NAME
    program = "bandit"

    def version(self) -> str | None:
        return _process.tool_version(self.program, ["--version"])

    def counts_file(self, f: SourceFile) -> bool:
        """Whether a run over ``f`` counts it as scanned (the result cache asks)."""
        return f.language == "python" and f.path.endswith(".py")

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        sources = [
            (f.path, f.size) for f in ctx.workspace.by_language("python") if f.path.endswith(".py")
        ]
        if not sources:
            return skipped(NAME, "no Python files to scan")
        program = _process.find_program(self.program)
        if program is None:
            return failed(NAME, "bandit is not installed (pip install bandit)")
        version = (
            _process.tool_version(
                self.program, ["--version"], timeout_s=min(timeout_s, _process.VERSION_TIMEOUT_S)
            )
            or ""
        )
        deadline = time.monotonic() + timeout_s
        parts = split_by_size(sources, processes(len(sources)))
        with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="bandit") as pool:
            # Each thread starts its bandit under this thread's memory ceiling.
            futures = [
                pool.submit(
                    contextvars.copy_context().run,
                    _run_part,
                    program,
                    part,
                    ctx,
                    deadline,
                    timeout_s,
                )
                for part in parts
            ]
            outcomes = [future.result() for future in futures]
        findings: list[Finding] = []
        rules: dict[str, RuleMeta] = {}
        errors: list[str] = []
        for outcome in outcomes:
            if isinstance(outcome, str):
                return failed(NAME, outcome, version=version)
            for parsed in outcome:
                findings += parsed.findings
                errors += parsed.errors
                for meta in parsed.rules:
                    keep_strongest(rules, meta)
        notes = (f"bandit could not parse {len(errors)} file(s): {errors[0]}",) if errors else ()
        return ScannerRun(
            scanner=NAME,
            status=RunStatus.OK,
            findings=tuple(findings),
            version=version,
            files_scanned=len(sources),
            notes=notes,
            rules=tuple(rules[k] for k in sorted(rules)),
        )
