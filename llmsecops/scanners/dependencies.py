"""Dependency audit of pinned Python requirements through pip-audit.

Nothing from the scanned repository is installed, built or imported: the
adapter parses each ``requirements*.txt`` itself, writes the exact pins
(``name==version``, nothing else) to a private temporary file, and runs
``pip-audit --no-deps --disable-pip`` on that. Editable installs, URLs, local
paths and unpinned lines are never handed to pip-audit; they are counted.

A dependency pip-audit could not look up (the vulnerability service is
unreachable, as behind a firewall) makes the run incomplete: it is never
reported as "no known vulnerabilities".
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

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
from llmsecops.scanners import _process
from llmsecops.scanners.base import ScanContext, failed, one_line, skipped
from llmsecops.workspace import read_text

NAME = ScannerName("dependencies")
CWE = ("CWE-1395",)
NETWORK_TIMEOUT_S = 20
_REQ_NAME = re.compile(r"^requirements[\w.\-]*\.(txt|in)$")


@dataclass(frozen=True)
class Pin:
    name: str  # canonical
    version: str
    path: str
    line: int


@dataclass
class ParsedManifest:
    pins: list[Pin] = field(default_factory=list)
    unpinned: list[str] = field(default_factory=list)  # "path:line name"
    unsupported: list[str] = field(default_factory=list)  # "path:line what"
    includes: list[str] = field(default_factory=list)  # paths named by -r/-c


def is_requirements_file(path: str) -> bool:
    p = PurePosixPath(path)
    if p.suffix != ".txt":
        return False
    return bool(_REQ_NAME.match(p.name)) or (len(p.parts) > 1 and p.parts[-2] == "requirements")


def parse_requirements(path: str, text: str) -> ParsedManifest:
    """Parse one requirements file; pure. Only ``==`` pins are auditable."""
    out = ParsedManifest()
    for number, line in _logical_lines(text):
        stripped = _strip_comment(line).strip()
        if not stripped:
            continue
        where = f"{path}:{number}"
        if stripped.startswith(("-r", "--requirement", "-c", "--constraint")):
            target = stripped.split(None, 1)[1] if " " in stripped else stripped[2:]
            out.includes.append(target.strip())
            continue
        if stripped.startswith(("-e", "--editable")):
            out.unsupported.append(f"{where} editable install")
            continue
        if stripped.startswith("-"):
            continue  # --index-url, --hash on its own line, etc.: options, not packages
        requirement_text = stripped.split(" --hash", 1)[0].strip()
        try:
            req = Requirement(requirement_text)
        except InvalidRequirement:
            out.unsupported.append(f"{where} not a requirement ({requirement_text[:60]})")
            continue
        if req.url:
            out.unsupported.append(f"{where} {req.name} from a URL")
            continue
        pinned = [s for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version]
        if len(pinned) == 1:
            out.pins.append(Pin(canonicalize_name(req.name), pinned[0].version, path, number))
        else:
            out.unpinned.append(f"{where} {req.name}")
    return out


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations; report each logical line at its first line."""
    out: list[tuple[int, str]] = []
    buffer = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        if raw.rstrip().endswith("\\"):
            buffer += raw.rstrip()[:-1] + " "
            continue
        out.append((start, buffer + raw))
        buffer = ""
    if buffer:
        out.append((start, buffer))
    return out


def _strip_comment(line: str) -> str:
    # A comment starts at "#" preceded by whitespace or at the line start.
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


@dataclass(frozen=True)
class Audited:
    findings: tuple[Finding, ...]
    rules: tuple[RuleMeta, ...]
    not_audited: tuple[str, ...]  # "name==version: reason"


def parse_audit(stdout: str, pins: Sequence[Pin]) -> Audited:
    """Turn pip-audit ``-f json`` output into findings at the pinning lines; pure."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise ValueError("pip-audit produced output that is not JSON") from None
    deps = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(deps, list):
        raise ValueError("pip-audit JSON has no 'dependencies' list")
    by_name: dict[tuple[str, str], list[Pin]] = {}
    for pin in pins:
        by_name.setdefault((pin.name, pin.version), []).append(pin)
    findings: list[Finding] = []
    rules: dict[str, RuleMeta] = {}
    not_audited: list[str] = []
    for dep in deps:
        name = canonicalize_name(str(dep.get("name", "")))
        version = str(dep.get("version", ""))
        if "skip_reason" in dep:
            not_audited.append(f"{name}: {one_line(str(dep['skip_reason']), 140)}")
            continue
        sites = by_name.get((name, version)) or [p for p in pins if p.name == name]
        for vuln in dep.get("vulns", []):
            meta = _vuln_meta(vuln)
            rules.setdefault(meta.id, meta)
            for pin in sites:
                findings.append(_finding(meta, vuln, pin))
    return Audited(tuple(findings), tuple(rules[k] for k in sorted(rules)), tuple(not_audited))


def _vuln_meta(vuln: Any) -> RuleMeta:
    vid = str(vuln.get("id", "unknown"))
    description = one_line(str(vuln.get("description") or ""), 600)
    return RuleMeta(
        id=RuleId(f"deps/{vid}"),
        scanner=NAME,
        name=vid,
        short_description=f"Vulnerable dependency: {vid}",
        full_description=description or f"Known vulnerability {vid}.",
        # pip-audit reports no severity: treat a known vulnerability as high
        # until an advisory score says otherwise (docs/severity.md).
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=CWE,
        fix="Upgrade to a fixed version.",
        help_uri=f"https://osv.dev/vulnerability/{vid}",
    )


def _finding(meta: RuleMeta, vuln: Any, pin: Pin) -> Finding:
    aliases = [str(a) for a in vuln.get("aliases", []) if a]
    fixes = [str(v) for v in vuln.get("fix_versions", []) if v]
    alias_text = f" ({', '.join(aliases)})" if aliases else ""
    fix_text = f"; fixed in {', '.join(fixes)}" if fixes else "; no fixed version yet"
    return Finding.create(
        rule_id=meta.id,
        scanner=NAME,
        severity=meta.severity,
        confidence=meta.confidence,
        message=f"{pin.name} {pin.version} has a known vulnerability "
        f"{meta.name}{alias_text}{fix_text}",
        location=Location(pin.path, pin.line),
        cwe=CWE,
        properties={"package": pin.name, "version": pin.version, "aliases": ", ".join(aliases)},
    )


class DependenciesScanner:
    name = NAME
    program = "pip-audit"

    def version(self) -> str | None:
        return _process.tool_version(self.program, ["--version"])

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        manifests = [f.path for f in ctx.workspace.files if is_requirements_file(f.path)]
        if not manifests:
            return skipped(NAME, "no requirements files found")
        if ctx.offline:
            return skipped(NAME, "offline: dependency audit skipped (no vulnerability database)")
        pins: list[Pin] = []
        notes: list[str] = []
        for path in manifests:
            try:
                parsed = parse_requirements(path, read_text(ctx.root, path))
            except OSError as exc:
                return failed(NAME, f"cannot read {path}: {exc.strerror}")
            pins += parsed.pins
            if parsed.unpinned:
                count, first = len(parsed.unpinned), parsed.unpinned[0]
                notes.append(f"{count} unpinned requirement(s) not audited, e.g. {first}")
            if parsed.unsupported:
                notes.append(
                    f"{len(parsed.unsupported)} requirement(s) not audited: {parsed.unsupported[0]}"
                )
        if not pins:
            return ScannerRun(
                scanner=NAME,
                status=RunStatus.SKIPPED,
                reason="no pinned (==) requirements to audit",
                notes=tuple(notes),
            )
        program = _process.find_program(self.program)
        if program is None:
            return failed(
                NAME, "pip-audit is not installed (pip install pip-audit)", notes=tuple(notes)
            )
        version = (
            _process.tool_version(
                self.program, ["--version"], timeout_s=min(timeout_s, _process.VERSION_TIMEOUT_S)
            )
            or ""
        )
        unique = sorted({(p.name, p.version) for p in pins})
        with tempfile.TemporaryDirectory(prefix="llmsecops-deps-") as tmp:
            req_file = Path(tmp) / "requirements.txt"
            req_file.write_text("".join(f"{n}=={v}\n" for n, v in unique), encoding="utf-8")
            argv = [
                program,
                "--requirement",
                str(req_file),
                "--no-deps",
                "--disable-pip",
                "--format",
                "json",
                "--progress-spinner",
                "off",
                "--timeout",
                str(NETWORK_TIMEOUT_S),
                "--cache-dir",
                str(Path(tmp) / "cache"),
            ]
            try:
                done = _process.run(argv, cwd=Path(tmp), timeout_s=timeout_s)
            except (_process.ProcessTimeout, _process.ProcessNotFound) as exc:
                return failed(NAME, str(exc), version=version, notes=tuple(notes))
        try:
            audited = parse_audit(done.stdout, pins)
        except ValueError:
            why = _process.error_line(done.stderr) or f"exit status {done.returncode}"
            return failed(
                NAME,
                f"vulnerability service unreachable or pip-audit failed: {why}",
                version=version,
                notes=tuple(notes),
            )
        if audited.not_audited:
            n, total = len(audited.not_audited), len(unique)
            return failed(
                NAME,
                f"{n} of {total} pinned dependencies could not be audited "
                f"(vulnerability service unreachable?): {audited.not_audited[0]}",
                version=version,
                findings=audited.findings,
                rules=audited.rules,
                notes=tuple(notes),
                files_scanned=len(manifests),
            )
        return ScannerRun(
            scanner=NAME,
            status=RunStatus.OK,
            findings=audited.findings,
            version=version,
            files_scanned=len(manifests),
            notes=tuple(notes),
            rules=audited.rules,
        )
