"""Run the scanners over one file set and post-process what they report.

Scanners run concurrently, each under its own timeout. A scanner that fails,
times out, is missing or raises becomes a failed ScannerRun with a one-line
reason; the others' findings are still reported. Post-processing normalizes
paths to repo-relative POSIX, drops anything outside the file set, applies
rule config, fills snippets and regions from the files themselves (masking
secret spans), fingerprints, dedupes and sorts.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from llmsecops import (
    __version__,
    baseline,
    dedupe,
    fingerprint,
    linehash,
    redact,
    rulepack,
    suppress,
)
from llmsecops import cache as cache_mod
from llmsecops import profile as profile_mod
from llmsecops.classify import Classifier
from llmsecops.config import SCANNER_NAMES, Config
from llmsecops.errors import NothingToScanError, UsageError
from llmsecops.model import (
    Finding,
    Location,
    Redaction,
    RuleMeta,
    RunStatus,
    ScannerRun,
    ScanResult,
    Severity,
    TraceStep,
)
from llmsecops.scanners import _process
from llmsecops.scanners.bandit import keep_strongest
from llmsecops.scanners.base import ScanContext, Scanner, failed, one_line, skipped
from llmsecops.workspace import (
    SourceFile,
    Workspace,
    changed_lines,
    collect,
    in_diff,
    read_text,
)

SNIPPET_MAX_LINES = 5
SNIPPET_MAX_LINE_CHARS = 400

ProgressCallback = Callable[[str, ScannerRun | None], None]
# Scanners whose findings for a file depend only on that file: their results
# are cached per file (cache.py). The secret scan qualifies only with the git
# history check off (its token-age findings depend on history and the clock).
PER_FILE_SCANNERS = frozenset({"semgrep", "bandit", "secrets"})
# Scanners whose notes name files they could not fully analyse: such a run is
# not cached, so the note is not lost on the next scan.
_FILE_NOTES = frozenset({"semgrep", "bandit"})


@dataclass(frozen=True)
class ScanRequest:
    root: Path
    config: Config
    explicit_files: tuple[str, ...] | None = None
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    offline: bool = False
    fail_on: Severity | None = Severity.HIGH
    rules_dir: Path | None = None
    now: datetime | None = None
    baseline: frozenset[str] = frozenset()  # fingerprints from a baseline file
    diff_base: str | None = None  # report only findings on lines changed since this ref
    cache_dir: Path | None = None  # per-file result cache; None: no cache
    shard: tuple[int, int] | None = None  # (K, N): scan only shard K of N


def select(names: Sequence[str], request: ScanRequest) -> dict[str, str]:
    """Map each scanner name to '' (run it) or the reason it is skipped."""
    for name in (*request.only, *request.skip):
        if name not in SCANNER_NAMES:
            raise UsageError(
                f"unknown scanner {name!r} (expected one of {', '.join(SCANNER_NAMES)})"
            )
    decision: dict[str, str] = {}
    for name in names:
        if request.only and name not in request.only:
            decision[name] = "not selected by --only"
        elif name in request.skip:
            decision[name] = "skipped by --skip"
        elif not request.config.scanner(name).enabled:
            decision[name] = f"disabled in {request.config.source or 'config'}"
        else:
            decision[name] = ""
    return decision


def scan(
    request: ScanRequest,
    scanners: Sequence[Scanner],
    on_progress: ProgressCallback | None = None,
) -> ScanResult:
    workspace = collect(
        request.root,
        exclude=request.config.exclude,
        max_file_size=request.config.max_file_size,
        explicit=request.explicit_files,
    )
    if not workspace.files:
        skipped_total = sum(workspace.skipped.values())
        detail = f" ({skipped_total} skipped: {_skip_text(workspace)})" if skipped_total else ""
        raise NothingToScanError(f"nothing to scan in {workspace.root}{detail}")
    if request.shard is not None:
        k, n = request.shard
        files = tuple(f for f in workspace.files if shard_of(f.path, n) == k)
        workspace = replace(workspace, files=files)
    changed = changed_lines(workspace.root, request.diff_base) if request.diff_base else None
    results = cache_mod.ResultCache(request.cache_dir) if request.cache_dir else None
    ctx = ScanContext(
        workspace=workspace,
        config=request.config,
        rules_dir=request.rules_dir or rulepack.rules_dir(),
        offline=request.offline,
        now=request.now or datetime.now(tz=UTC),
        store=results if results is not None and results.enabled else None,
    )
    decisions = select([s.name for s in scanners], request)
    try:
        # Parse the rule pack once, through the cache, before the scanners ask.
        with contextlib.suppress(rulepack.RulePackError):  # semgrep reports it
            rulepack.load(ctx.rules_dir, store=ctx.store)
        runs = _run_all(ctx, [s for s in scanners if not decisions[s.name]], on_progress, results)
    finally:
        if results is not None:
            results.close()
    if results is not None and results.warning:
        for name in sorted(PER_FILE_SCANNERS & runs.keys()):
            runs[name] = replace(runs[name], notes=(*runs[name].notes, results.warning))
    for s in scanners:
        if decisions[s.name]:
            runs[s.name] = skipped(s.name, decisions[s.name])
    ordered = tuple(runs[s.name] for s in scanners)
    rules = (*_rules(ordered, ctx.rules_dir), suppress.INVALID)
    findings = postprocess(ordered, workspace, request.config, known_rules={r.id for r in rules})
    profile = profile_mod.Profile.parse(request.config.profile)
    classifier = Classifier.from_config(request.config.classify)
    findings = profile_mod.apply(findings, workspace.root, profile, classifier)
    findings = baseline.apply(findings, request.baseline)
    if changed is not None:
        findings = [
            f
            for f in findings
            if in_diff(changed, f.location.path, f.location.start_line, f.location.last_line)
        ]
    return ScanResult(
        tool_version=__version__,
        workspace=workspace.summary(),
        runs=tuple(replace(r, findings=()) for r in ordered),
        findings=tuple(findings),
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        fail_on=request.fail_on,
    )


def shard_of(path: str, shards: int) -> int:
    """The shard (1..N) a repo-relative path belongs to: stable across machines and runs."""
    digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def _run_all(
    ctx: ScanContext,
    scanners: Sequence[Scanner],
    on_progress: ProgressCallback | None,
    results: cache_mod.ResultCache | None = None,
) -> dict[str, ScannerRun]:
    runs: dict[str, ScannerRun] = {}
    if not scanners:
        return runs
    hashes = _content_hashes(ctx) if results is not None and results.enabled else None
    cached = (results, hashes) if results is not None and hashes is not None else None
    with ThreadPoolExecutor(max_workers=len(scanners), thread_name_prefix="scanner") as pool:
        futures = {s.name: pool.submit(_run_one, s, ctx, on_progress, cached) for s in scanners}
        for name, future in futures.items():
            runs[name] = future.result()
    return runs


def _run_one(
    scanner: Scanner,
    ctx: ScanContext,
    on_progress: ProgressCallback | None,
    cached: tuple[cache_mod.ResultCache, dict[str, str]] | None = None,
) -> ScannerRun:
    if on_progress:
        on_progress(scanner.name, None)
    start = time.monotonic()
    timeout = ctx.config.scanner(scanner.name).timeout_s
    try:
        with _process.memory_limit(ctx.config.scanner(scanner.name).max_memory_mb):
            if cached is not None and _cacheable(scanner.name, ctx):
                run = _run_cached(scanner, ctx, timeout, *cached)
            else:
                run = scanner.run(ctx, timeout)
    except Exception as exc:  # an adapter bug must not take the other scanners down
        run = failed(
            scanner.name,
            f"internal error in the {scanner.name} adapter: {type(exc).__name__}: {exc}",
        )
    run = replace(run, duration_s=round(time.monotonic() - start, 3))
    if on_progress:
        on_progress(scanner.name, run)
    return run


def _cacheable(name: str, ctx: ScanContext) -> bool:
    if name == "secrets":
        return not ctx.config.history.enabled
    return name in PER_FILE_SCANNERS


def _content_hashes(ctx: ScanContext) -> dict[str, str] | None:
    """SHA-256 of every file's bytes as read for scanning, once for all cached scanners."""
    out: dict[str, str] = {}
    for f in ctx.workspace.files:
        try:
            text = read_text(ctx.root, f.path, keep_bom=True)
        except OSError:
            continue  # not cacheable: the scanners will see it (and report it) themselves
        out[f.path] = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    return out


def _run_cached(
    scanner: Scanner,
    ctx: ScanContext,
    timeout: float,
    results: cache_mod.ResultCache,
    hashes: dict[str, str],
) -> ScannerRun:
    """Run a per-file scanner only on files it has no cached result for."""
    identity = cache_mod.scanner_identity(
        scanner.name,
        _process.find_program(scanner.program),
        [
            rulepack.pack_hash(ctx.rules_dir),
            repr(ctx.config.scanner(scanner.name)),
            str(ctx.offline),
        ],
    )
    keys = {
        f.path: cache_mod.file_key(identity, f.path, hashes[f.path].encode())
        for f in ctx.workspace.files
        if f.path in hashes
    }
    hits = results.get_many(list(keys.values()))
    misses = tuple(f for f in ctx.workspace.files if keys.get(f.path) not in hits)
    reused = [hits[keys[f.path]] for f in ctx.workspace.files if keys.get(f.path) in hits]
    if misses:
        sub = replace(ctx, workspace=replace(ctx.workspace, files=misses))
        run = scanner.run(sub, timeout)
    else:
        run = ScannerRun(scanner=scanner.name, status=RunStatus.OK)
    if run.status is RunStatus.FAILED:
        return run
    if run.status is RunStatus.SKIPPED:
        if not reused:
            return run
        run = ScannerRun(scanner=scanner.name, status=RunStatus.OK, version=run.version)
    if not (run.notes and scanner.name in _FILE_NOTES):
        counts = getattr(scanner, "counts_file", None)
        counted = {f.path for f in misses if counts is None or counts(f)}
        results.put_many(_entries(run, misses, keys, ctx.root, counted))
    if not reused:
        return run
    rules: dict[str, RuleMeta] = {}
    for meta in (*run.rules, *(r for entry in reused for r in entry.rules)):
        keep_strongest(rules, meta)
    return replace(
        run,
        findings=run.findings + tuple(f for entry in reused for f in entry.findings),
        redactions=run.redactions + tuple(r for entry in reused for r in entry.redactions),
        rules=tuple(rules[k] for k in sorted(rules)),
        version=run.version or next((e.version for e in reused if e.version), ""),
        files_scanned=run.files_scanned + sum(entry.counted for entry in reused),
    )


def _entries(
    run: ScannerRun,
    files: Sequence[SourceFile],
    keys: dict[str, str],
    root: Path,
    counted: set[str],
) -> dict[str, cache_mod.Entry]:
    by_path: dict[str, list[Finding]] = {}
    for f in run.findings:
        path = normalize_path(f.location.path, root)
        if path is not None:
            by_path.setdefault(path, []).append(replace(f, location=replace(f.location, path=path)))
    spans: dict[str, list[Redaction]] = {}
    for r in run.redactions:
        path = normalize_path(r.path, root)
        if path is not None:
            spans.setdefault(path, []).append(replace(r, path=path))
    rules = {r.id: r for r in run.rules}
    out: dict[str, cache_mod.Entry] = {}
    for source in files:
        path = source.path
        if path not in keys:
            continue
        found = by_path.get(path, [])
        out[keys[path]] = cache_mod.Entry(
            findings=tuple(found),
            rules=tuple(rules[i] for i in sorted({f.rule_id for f in found}) if i in rules),
            redactions=tuple(spans.get(path, [])),
            version=run.version,
            counted=path in counted,
        )
    return out


def _skip_text(workspace: Workspace) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in sorted(workspace.skipped.items()))


def _rules(runs: Sequence[ScannerRun], rules_dir: Path) -> tuple[RuleMeta, ...]:
    """Every rule of the pack plus every tool rule that reported something."""
    by_id: dict[str, RuleMeta] = {}
    try:
        for rule in rulepack.load(rules_dir):
            by_id[rule.meta.id] = rule.meta
    except rulepack.RulePackError:
        pass  # the semgrep run already reports the broken pack as a failure
    for run in runs:
        for meta in run.rules:
            by_id.setdefault(meta.id, meta)
    return tuple(by_id[k] for k in sorted(by_id))


def postprocess(
    runs: Sequence[ScannerRun],
    workspace: Workspace,
    config: Config,
    known_rules: set[str] | None = None,
) -> list[Finding]:
    files = _FileCache(workspace.root)
    in_set = {f.path for f in workspace.files}
    redactions = [r for run in runs for r in run.redactions]
    secrets = _secret_texts(redactions, files)
    out: list[Finding] = []
    seen: set[tuple[str, str, int, int]] = set()
    for run in runs:
        for finding in run.findings:
            path = normalize_path(finding.location.path, workspace.root)
            if path is None or (path not in in_set and not finding.commit):
                continue  # outside the root or the file set: never reported
            rule_cfg = config.rules.get(finding.rule_id)
            if rule_cfg is not None and not rule_cfg.enabled:
                continue
            if rule_cfg is not None and rule_cfg.severity is not None:
                finding = replace(finding, severity=rule_cfg.severity)
            if finding.commit:  # about history: the adapter supplied region and snippet
                finding = replace(finding, location=replace(finding.location, path=path))
            else:
                finding = _with_region_and_snippet(finding, path, files, redactions, secrets)
            key = (
                finding.rule_id,
                path,
                finding.location.start_line,
                finding.location.start_column,
            )
            if key in seen:
                continue
            seen.add(key)
            out.append(finding)
    known = known_rules if known_rules is not None else {f.rule_id for f in out}
    flagged = {f.location.path for f in out}

    def waiver_lines(path: str) -> list[str]:
        # Files with findings are read anyway; others only if they hold a marker.
        if path in flagged or files.has_marker(path):
            return files.lines(path)
        return []

    out = suppress.apply(out, sorted(in_set), waiver_lines, known | {suppress.INVALID.id})
    out = [
        _with_region_and_snippet(f, f.location.path, files, redactions, secrets)
        if f.rule_id == suppress.INVALID.id
        else f
        for f in out
    ]
    return sorted(fingerprint.assign(dedupe.merge(out)), key=lambda f: f.sort_key)


def normalize_path(raw: str, root: Path) -> str | None:
    """A tool's path as repo-relative POSIX, or None if it is outside the root."""
    path = Path(raw)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            return None
    parts: list[str] = []
    for part in PurePosixPath(path.as_posix()).parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts) if parts else None


class _FileCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lines: dict[str, list[str]] = {}
        self._hashes: dict[str, dict[int, str]] = {}

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            try:
                self._lines[path] = read_text(self.root, path).splitlines()
            except OSError:
                self._lines[path] = []
        return self._lines[path]

    def has_marker(self, path: str) -> bool:
        try:
            return "llmsecops:" in read_text(self.root, path)
        except OSError:
            return False

    def line_hash(self, path: str, line: int) -> str:
        if path not in self._hashes:
            try:
                self._hashes[path] = linehash.line_hashes(read_text(self.root, path, keep_bom=True))
            except OSError:
                self._hashes[path] = {}
        return self._hashes[path].get(line, "")


def _secret_texts(redactions: Sequence[Redaction], files: _FileCache) -> list[str]:
    """The secret strings behind redaction spans, held only to mask them."""
    texts: list[str] = []
    for r in redactions:
        lines = files.lines(r.path)
        if 0 < r.line <= len(lines):
            value = lines[r.line - 1][r.start_column - 1 : r.end_column - 1]
            if len(value) >= 4:
                texts.append(value)
    return texts


def _with_region_and_snippet(
    finding: Finding,
    path: str,
    files: _FileCache,
    redactions: Sequence[Redaction],
    secrets: list[str],
) -> Finding:
    lines = files.lines(path)
    loc = finding.location
    start = min(loc.start_line, max(len(lines), 1))
    end = min(max(loc.last_line, start), max(len(lines), start))
    end_column = loc.end_column
    if end_column is None:
        end_column = len(lines[end - 1]) + 1 if 0 < end <= len(lines) else loc.start_column + 1
    start_column = loc.start_column
    if end == start and end_column <= start_column:
        end_column = start_column + 1
    location = Location(path, start, start_column, end, end_column)
    shown = lines[start - 1 : min(end, start + SNIPPET_MAX_LINES - 1)]
    masked = [
        _mask_spans(text, path, start + i, redactions)[:SNIPPET_MAX_LINE_CHARS]
        for i, text in enumerate(shown)
    ]
    snippet = redact.mask_all("\n".join(masked), secrets)
    message = one_line(redact.mask_all(finding.message, secrets), 1000)
    steps = tuple(
        TraceStep(
            location=replace(step.location, path=path),
            message=redact.mask_all(step.message, secrets),
        )
        for step in finding.trace
        if normalize_path(step.location.path, files.root) == path
    )
    return replace(
        finding,
        location=location,
        snippet=snippet,
        message=message,
        trace=steps,
        line_hash=files.line_hash(path, start),
    )


def _mask_spans(text: str, path: str, line: int, redactions: Sequence[Redaction]) -> str:
    spans = sorted(
        (r for r in redactions if r.path == path and r.line == line),
        key=lambda r: r.start_column,
        reverse=True,
    )
    for r in spans:
        value = text[r.start_column - 1 : r.end_column - 1]
        text = text[: r.start_column - 1] + redact.preview(value) + text[r.end_column - 1 :]
    return text
