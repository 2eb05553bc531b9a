"""Dependency audit: Python and npm manifests against known vulnerabilities.

Nothing from the scanned repository is installed, built, imported or run.
Manifests and lock files are parsed as text (``llmsecops.deps.manifests``);
every dependency keeps the line that declares it. Then, per ecosystem:

- a local OSV database (``--vuln-db``, or the cache ``db update`` fills)
  serves it offline, and its date is a note on the run (every report shows
  notes);
- otherwise, online, PyPI pins go to pip-audit (exact pins written to a
  private temporary file, ``--no-deps --disable-pip``) and npm packages to
  OSV's query API;
- with ``--offline`` and no database the audit is skipped with a notice.

A service that cannot be reached makes the run incomplete (failed): it is
never reported as "no known vulnerabilities". Unpinned dependencies cannot be
audited reproducibly and are findings of their own (``deps/unpinned``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from llmsecops.deps import manifests, online, osv
from llmsecops.deps.manifests import NPM, PYPI, Dependency, Kind, Parsed
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
from llmsecops.scanners.base import ScanContext, failed, one_line
from llmsecops.workspace import read_text

NAME = ScannerName("dependencies")
CWE = ("CWE-1395",)
UNPINNED_CWE = ("CWE-829",)  # TAXONOMY: unpinned downloads
OWASP = ("LLM03:2025",)  # Supply Chain
UNPINNED_RULE = RuleId("deps/unpinned")
NETWORK_TIMEOUT_S = 20
# pip-audit and some OSV records carry no score: a known vulnerability counts
# as high until an advisory score says otherwise (docs/severity.md).
UNSCORED = Severity.HIGH
STALE_DAYS = 7

# Kept for callers of the old module: the requirements file-name test.
is_requirements_file = manifests.is_requirements_file


# --- collecting manifests -----------------------------------------------------


@dataclass(frozen=True)
class Collected:
    parsed: Mapping[str, Parsed]  # path -> what it declares
    dependencies: tuple[Dependency, ...]  # after lock files replaced manifest entries
    notes: tuple[str, ...]


def collect(files: Iterable[str], read: Callable[[str], str]) -> Collected:
    """Find and parse every manifest in the file set, following ``-r``/``-c``
    includes that stay inside it. ``read`` returns a file's text or raises
    OSError. Broken files become notes, never exceptions."""
    in_set = set(files)
    todo: list[tuple[str, Kind]] = sorted(
        (p, k) for p in in_set if (k := manifests.kind_of(p)) is not None
    )
    parsed: dict[str, Parsed] = {}
    problems: list[str] = []
    outside: list[str] = []
    while todo:
        path, kind = todo.pop(0)
        if path in parsed:
            continue
        try:
            result = manifests.parse(path, read(path), kind)
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        except manifests.ManifestError as exc:
            problems.append(one_line(str(exc), 200))
            continue
        except (RecursionError, ValueError, TypeError) as exc:  # defence: never a traceback
            problems.append(f"{path}: {type(exc).__name__}: {one_line(str(exc), 150)}")
            continue
        parsed[path] = result
        for include in result.includes:
            target = manifests.resolve_include(include)
            where = f"{include.path}:{include.line}"
            if target is None:
                outside.append(f"{where} {include.target} (outside the workspace)")
            elif target not in in_set:
                outside.append(f"{where} {include.target} (not in the scanned file set)")
            elif target not in parsed:
                todo.append((target, Kind.REQUIREMENTS))
    overrides = manifests.apply_lock_overrides(parsed)
    notes: list[str] = []
    if problems:
        notes.append(f"{len(problems)} manifest(s) could not be parsed: {problems[0]}")
    if outside:
        notes.append(f"{len(outside)} requirements include(s) not read: {outside[0]}")
    not_auditable = [n for p in parsed.values() for n in p.not_auditable]
    if not_auditable:
        notes.append(
            f"{len(not_auditable)} dependencies not auditable (URL, VCS or local path), "
            f"e.g. {not_auditable[0]}"
        )
    if overrides.replaced:
        notes.append(
            f"{overrides.replaced} manifest entries replaced by the lock file's version "
            f"(in {', '.join(overrides.by)})"
        )
    return Collected(parsed, overrides.kept, tuple(notes))


# --- findings -----------------------------------------------------------------


def unpinned_rule(require_pinned: bool) -> RuleMeta:
    return RuleMeta(
        id=UNPINNED_RULE,
        scanner=NAME,
        name="unpinned-dependency",
        short_description="Dependency not pinned to one version",
        full_description=(
            "The manifest allows a range of versions, so which release gets installed "
            "changes over time and cannot be audited reproducibly. Pin an exact version "
            "or commit a lock file. With --require-pinned this is reported as high."
        ),
        severity=Severity.HIGH if require_pinned else Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=UNPINNED_CWE,
        owasp_llm=OWASP,
        fix="Pin an exact version (name==1.2.3) or commit a lock file.",
    )


def unpinned_findings(deps: Sequence[Dependency], require_pinned: bool) -> list[Finding]:
    rule = unpinned_rule(require_pinned)
    suffix = " (--require-pinned)" if require_pinned else ""
    return [
        Finding.create(
            rule_id=rule.id,
            scanner=NAME,
            severity=rule.severity,
            confidence=rule.confidence,
            message=f"{d.name} is not pinned to one version ({d.spec}), so it cannot be "
            f"audited reproducibly; pin it or use a lock file{suffix}",
            location=Location(d.path, d.line),
            cwe=rule.cwe,
            owasp_llm=rule.owasp_llm,
            properties={"package": d.name, "ecosystem": d.ecosystem, "spec": d.spec},
        )
        for d in deps
        if not d.pinned
    ]


@dataclass
class Report:
    """Findings and rule metadata accumulated over the audit's sources."""

    findings: list[Finding] = field(default_factory=list)
    rules: dict[str, RuleMeta] = field(default_factory=dict)

    def add_merged(
        self, group: osv.Merged, sites: Sequence[Dependency], ecosystem: str, source: str
    ) -> None:
        scored = group.severity()
        severity = scored.severity if scored.severity is not None else UNSCORED
        rule_id = RuleId(f"deps/{group.primary}")
        summary = one_line(group.summary, 200)
        details = one_line(str(group.matches[0].advisory.raw.get("details") or ""), 600)
        self.rules.setdefault(
            rule_id,
            RuleMeta(
                id=rule_id,
                scanner=NAME,
                name=group.primary,
                short_description=f"Vulnerable dependency: {summary or group.primary}",
                full_description=details or summary or f"Known vulnerability {group.primary}.",
                severity=severity,
                confidence=Confidence.HIGH,
                cwe=CWE,
                owasp_llm=OWASP,
                fix="Upgrade to a fixed version.",
                help_uri=f"https://osv.dev/vulnerability/{group.primary}",
            ),
        )
        for site in sites:
            self.findings.append(
                vulnerability_finding(
                    rule_id,
                    site,
                    severity=severity,
                    aliases=group.aliases,
                    fixed=group.fixed,
                    last_affected=group.last_affected,
                    summary=summary,
                    extra={"ecosystem": ecosystem, "source": source, "score": scored.source},
                )
            )


def vulnerability_finding(
    rule_id: RuleId,
    site: Dependency,
    *,
    severity: Severity,
    aliases: Sequence[str],
    fixed: Sequence[str],
    last_affected: Sequence[str] = (),
    summary: str = "",
    extra: Mapping[str, str] | None = None,
) -> Finding:
    vid = rule_id.removeprefix("deps/")
    alias_text = f" (aliases {', '.join(aliases)})" if aliases else ""
    if fixed:
        fix_text = f"; fixed in {', '.join(fixed)}"
    elif last_affected:
        fix_text = f"; no fixed version (last affected {', '.join(last_affected)})"
    else:
        fix_text = "; no fixed version yet"
    about = f": {summary}" if summary else ""
    return Finding.create(
        rule_id=rule_id,
        scanner=NAME,
        severity=severity,
        confidence=Confidence.HIGH,
        message=f"{site.name} {site.version} has a known vulnerability {vid}{alias_text}"
        f"{about}{fix_text}",
        location=Location(site.path, site.line),
        cwe=CWE,
        owasp_llm=OWASP,
        properties={
            "package": site.name,
            "version": site.version or "",
            "aliases": ", ".join(aliases),
            "fixed": ", ".join(fixed),
            **{k: v for k, v in (extra or {}).items() if v},
        },
    )


def _sites(deps: Iterable[Dependency]) -> dict[tuple[str, str, str], list[Dependency]]:
    out: dict[tuple[str, str, str], list[Dependency]] = {}
    for d in deps:
        if d.version is not None:
            out.setdefault((d.ecosystem, d.name, d.version), []).append(d)
    return out


def audit_offline(
    db: osv.Database, deps: Sequence[Dependency], report: Report, source: str
) -> None:
    for (eco, name, version), sites in sorted(_sites(deps).items()):
        for group in db.lookup(eco, name, version):
            report.add_merged(group, sites, eco, source)


# --- pip-audit (online, PyPI) ---------------------------------------------------


@dataclass(frozen=True)
class Audited:
    findings: tuple[Finding, ...]
    rules: tuple[RuleMeta, ...]
    not_audited: tuple[str, ...]  # "name: reason"


def parse_audit(stdout: str, pins: Sequence[Dependency]) -> Audited:
    """Turn pip-audit ``-f json`` output into findings at the pinning lines; pure."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise ValueError("pip-audit produced output that is not JSON") from None
    deps = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(deps, list):
        raise ValueError("pip-audit JSON has no 'dependencies' list")
    by_name: dict[tuple[str, str], list[Dependency]] = {}
    for pin in pins:
        by_name.setdefault((pin.name, pin.version or ""), []).append(pin)
    report = Report()
    not_audited: list[str] = []
    for dep in deps:
        if not isinstance(dep, dict):
            continue
        name = canonicalize_name(str(dep.get("name", "")))
        version = str(dep.get("version", ""))
        if "skip_reason" in dep:
            not_audited.append(f"{name}: {one_line(str(dep['skip_reason']), 140)}")
            continue
        sites = by_name.get((name, version)) or [p for p in pins if p.name == name]
        for vuln in dep.get("vulns", []):
            _add_pip_audit_vuln(report, vuln, sites)
    return Audited(
        tuple(report.findings),
        tuple(report.rules[k] for k in sorted(report.rules)),
        tuple(not_audited),
    )


def _add_pip_audit_vuln(report: Report, vuln: Any, sites: Sequence[Dependency]) -> None:
    vid = str(vuln.get("id", "unknown"))
    rule_id = RuleId(f"deps/{vid}")
    description = one_line(str(vuln.get("description") or ""), 600)
    report.rules.setdefault(
        rule_id,
        RuleMeta(
            id=rule_id,
            scanner=NAME,
            name=vid,
            short_description=f"Vulnerable dependency: {vid}",
            full_description=description or f"Known vulnerability {vid}.",
            severity=UNSCORED,
            confidence=Confidence.HIGH,
            cwe=CWE,
            owasp_llm=OWASP,
            fix="Upgrade to a fixed version.",
            help_uri=f"https://osv.dev/vulnerability/{vid}",
        ),
    )
    aliases = [str(a) for a in vuln.get("aliases", []) if a]
    fixes = [str(v) for v in vuln.get("fix_versions", []) if v]
    for site in sites:
        report.findings.append(
            vulnerability_finding(
                rule_id,
                site,
                severity=UNSCORED,
                aliases=aliases,
                fixed=fixes,
                extra={"ecosystem": PYPI, "source": "pip-audit"},
            )
        )


# --- the scanner ----------------------------------------------------------------


class DependenciesScanner:
    name = NAME
    program = "pip-audit"

    def version(self) -> str | None:
        return _process.tool_version(self.program, ["--version"])

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        files = [f.path for f in ctx.workspace.files]
        collected = collect(files, lambda p: read_text(ctx.root, p))
        notes = list(collected.notes)
        if not collected.parsed:
            reason = "no dependency manifests found"
            if notes:
                reason = f"no dependency manifest could be read ({notes[0]})"
            return ScannerRun(scanner=NAME, status=RunStatus.SKIPPED, reason=reason, notes=())
        cfg = ctx.config.dependencies
        report = Report()
        deps = collected.dependencies
        unpinned = unpinned_findings(deps, cfg.require_pinned)
        report.findings += unpinned
        if unpinned:
            report.rules[UNPINNED_RULE] = unpinned_rule(cfg.require_pinned)
            notes.append(f"{len(unpinned)} unpinned dependencies not audited (deps/unpinned)")
        pinned = [d for d in deps if d.pinned]
        n_manifests = len(collected.parsed)

        def done(status: RunStatus, reason: str = "", version: str = "") -> ScannerRun:
            return ScannerRun(
                scanner=NAME,
                status=status,
                reason=one_line(reason),
                findings=tuple(report.findings),
                rules=tuple(report.rules[k] for k in sorted(report.rules)),
                notes=tuple(notes),
                files_scanned=n_manifests,
                version=version,
            )

        if not pinned:
            return done(RunStatus.SKIPPED, "no pinned dependencies to audit")

        db_paths = _database_paths(ctx)
        db: osv.Database | None = None
        if db_paths:
            wanted: dict[str, set[str]] = {}
            for d in pinned:
                wanted.setdefault(d.ecosystem, set()).add(d.name)
            try:
                db = osv.load(db_paths, wanted=wanted)
            except osv.DatabaseError as exc:
                return failed(NAME, str(exc), findings=tuple(report.findings), notes=tuple(notes))
            notes.append(db.describe())
            if db.problems:
                notes.append(
                    f"{len(db.problems)} database record(s) could not be read, "
                    f"e.g. {db.problems[0]}"
                )
            stale = _stale(db, ctx.now)
            if stale:
                notes.append(stale)
        elif ctx.offline:
            return done(
                RunStatus.SKIPPED,
                "offline: dependency audit skipped (no vulnerability database: "
                "pass --vuln-db or run 'llmsecops db update')",
            )

        by_eco: dict[str, list[Dependency]] = {}
        for d in pinned:
            by_eco.setdefault(d.ecosystem, []).append(d)
        errors: list[str] = []
        version = ""
        for eco in sorted(by_eco):
            eco_deps = by_eco[eco]
            if db is not None and eco in db.ecosystems:
                audit_offline(db, eco_deps, report, f"OSV database {db.date}")
            elif ctx.offline:
                notes.append(
                    f"{eco}: {len(_sites(eco_deps))} package(s) not audited: --offline and the "
                    f"vulnerability database has no {eco} records"
                )
            elif eco == PYPI:
                version, error = self._pip_audit(eco_deps, report, timeout_s)
                if error:
                    errors.append(error)
            elif eco == NPM:
                error = _osv_api(cfg.osv_api_url, eco, eco_deps, report, timeout_s)
                if error:
                    errors.append(error)
        if errors:
            return done(RunStatus.FAILED, "; ".join(errors), version)
        return done(RunStatus.OK, version=version)

    def _pip_audit(
        self, deps: Sequence[Dependency], report: Report, timeout_s: float
    ) -> tuple[str, str]:
        """Audit PyPI pins with pip-audit; returns (its version, error or '')."""
        program = _process.find_program(self.program)
        if program is None:
            return "", "pip-audit is not installed (pip install pip-audit)"
        version = (
            _process.tool_version(
                self.program, ["--version"], timeout_s=min(timeout_s, _process.VERSION_TIMEOUT_S)
            )
            or ""
        )
        unique = sorted({(d.name, d.version) for d in deps})
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
                completed = _process.run(argv, cwd=Path(tmp), timeout_s=timeout_s)
            except (_process.ProcessTimeout, _process.ProcessNotFound) as exc:
                return version, str(exc)
        try:
            audited = parse_audit(completed.stdout, deps)
        except ValueError:
            why = _process.error_line(completed.stderr) or f"exit status {completed.returncode}"
            return version, f"vulnerability service unreachable or pip-audit failed: {why}"
        report.findings += audited.findings
        for meta in audited.rules:
            report.rules.setdefault(meta.id, meta)
        if audited.not_audited:
            n = len(audited.not_audited)
            return version, (
                f"{n} of {len(unique)} pinned PyPI dependencies could not be audited "
                f"(vulnerability service unreachable?): {audited.not_audited[0]}"
            )
        return version, ""


def _database_paths(ctx: ScanContext) -> list[Path]:
    cfg = ctx.config.dependencies
    if cfg.vuln_db:
        return [Path(cfg.vuln_db)]
    if cfg.cache_dir:
        return osv.cached_database_paths(Path(cfg.cache_dir))
    return []


def _stale(db: osv.Database, now: datetime) -> str:
    if not db.downloaded:
        return ""
    try:
        fetched = datetime.fromisoformat(db.downloaded)
    except ValueError:
        return ""
    if fetched.tzinfo is None or now.tzinfo is None:
        return ""
    days = (now - fetched).days
    if days <= STALE_DAYS:
        return ""
    return f"the vulnerability database is {days} days old: run 'llmsecops db update'"


def _osv_api(
    base: str, ecosystem: str, deps: Sequence[Dependency], report: Report, timeout_s: float
) -> str:
    sites = _sites(deps)
    packages = sorted({(name, version) for (_, name, version) in sites})
    try:
        answer = online.query(base, ecosystem, packages, min(timeout_s, NETWORK_TIMEOUT_S))
    except online.ServiceError as exc:
        return f"{len(packages)} {ecosystem} package(s) could not be audited: {exc}"
    for (name, version), advisories in sorted(answer.items()):
        matches = []
        for advisory in advisories:
            if advisory.withdrawn:
                continue
            # OSV said "affected"; our own match only adds the fix versions.
            m = osv.match(advisory, ecosystem, name, version)
            matches.append(m if m is not None else osv.Match(advisory, (), ()))
        for group in osv.merge(ecosystem, matches):
            report.add_merged(group, sites[(ecosystem, name, version)], ecosystem, "OSV API")
    return ""
