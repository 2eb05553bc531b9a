"""detect-secrets over every file of the workspace (``--all-files`` semantics:
the file list is ours, tracked or not), run in-process by _secrets_fast: the
same detectors and filters as its CLI, without the CLI's per-line cost.

detect-secrets reports a SHA-1 of each secret, never the value. At this
boundary the adapter re-reads the flagged line, finds the substring with that
hash, and keeps only a preview (first 4 characters and the length) plus the
span, which the engine masks in every snippet and message. The value itself
goes no further than this module.

Severity/confidence by detector (docs/severity.md): known token formats are
high/high; keyword and entropy guesses are medium/low.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llmsecops import redact
from llmsecops.checks import deploy_secrets, token_age
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    Redaction,
    RuleId,
    RuleMeta,
    RunStatus,
    ScannerName,
    ScannerRun,
    SecretInfo,
    Severity,
)
from llmsecops.scanners import _secrets_fast
from llmsecops.scanners.base import ScanContext, failed, skipped
from llmsecops.workspace import read_text

NAME = ScannerName("secrets")
CWE = ("CWE-798",)
# Detectors that guess from shape rather than a known token format.
GUESSING_TYPES = frozenset(
    {"Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String"}
)
MAX_SEARCH_LINE = 4096
# Our detectors for LLM-provider keys, loaded into detect-secrets as a plugin file.
LLM_DETECTORS = _secrets_fast.LLM_DETECTORS
_PLACEHOLDER = re.compile(
    r"\.\.\.|…|x{4,}|X{4,}|\*{3,}|your[_-]|_here\b|placeholder|changeme|example|dummy|redacted",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\s'\"`=:,;(){}\[\]<>]+")


class SecretsOutputError(ValueError):
    pass


# Set on a finding whose match is a slice of a long base64 run (binary data).
EMBEDDED_PROPERTY = "llmsecops.in-encoded-blob"


@dataclass(frozen=True)
class RawSecret:
    path: str
    line: int
    type: str
    hashed_secret: str
    embedded: bool = False  # inside a long base64 run (see _secrets_fast.in_encoded_blob)


def parse(stdout: str) -> list[RawSecret]:
    """Turn ``detect-secrets scan`` output into raw hits; pure."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise SecretsOutputError("detect-secrets produced output that is not JSON") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise SecretsOutputError("detect-secrets JSON has no 'results' mapping")
    out: list[RawSecret] = []
    for path, items in results.items():
        if not isinstance(items, list):
            raise SecretsOutputError("detect-secrets results are not lists")
        for item in items:
            out.append(_raw(path, item))
    return out


def _raw(path: str, item: Any) -> RawSecret:
    try:
        return RawSecret(
            path=str(path),
            line=int(item["line_number"]),
            type=str(item["type"]),
            hashed_secret=str(item["hashed_secret"]),
        )
    except (KeyError, TypeError, ValueError):
        raise SecretsOutputError(
            "detect-secrets result lacks line_number, type or hashed_secret"
        ) from None


def rule_id(secret_type: str) -> str:
    return "secrets/" + re.sub(r"[^a-z0-9]+", "-", secret_type.lower()).strip("-")


def locate(line_text: str, sha1: str) -> tuple[int, int] | None:
    """Find the 0-based [start, end) span of the substring whose SHA-1 is ``sha1``."""
    line_text = line_text[:MAX_SEARCH_LINE]
    for match in _TOKEN.finditer(line_text):
        if redact.sha1(match.group(0)) == sha1:
            return match.start(), match.end()
    # Some detectors hash part of a token (a URL's password, a key's header, or
    # only the "ghp" prefix of a GitHub token): try every substring of a short line.
    if len(line_text) <= 512:
        for start in range(len(line_text)):
            for end in range(start + 3, min(len(line_text), start + 256) + 1):
                if redact.sha1(line_text[start:end]) == sha1:
                    return start, end
    return None


def is_placeholder(value: str) -> bool:
    """Values nobody should rotate: ``sk-...``, ``YOUR_KEY``, ``xxxx``, ``<token>``."""
    core = value.strip("'\"`<>{}[]()$")
    if len(set(core)) < 6:
        return True
    return bool(_PLACEHOLDER.search(core))


def widen(line_text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Grow a span to the whole token around it, so no part of a secret is left showing."""
    for match in _TOKEN.finditer(line_text):
        if match.start() <= span[0] and span[1] <= match.end():
            return match.start(), match.end()
    return span


def _whole_line(line_text: str) -> tuple[int, int]:
    stripped = line_text.lstrip()
    return len(line_text) - len(stripped), len(line_text)


@dataclass(frozen=True)
class Converted:
    findings: tuple[Finding, ...]
    redactions: tuple[Redaction, ...]
    rules: tuple[RuleMeta, ...]
    # The located values, for the history check in this module only; never reported.
    values: tuple[str, ...] = ()


@dataclass
class _Hit:
    path: str
    line: int
    start: int  # 0-based, in the line
    end: int
    types: set[str]
    sha1: str  # of the masked value; detect-secrets' hash if it could not be located
    located: bool
    embedded: set[str] = field(default_factory=set)  # types matched inside an encoded blob


def to_findings(
    raws: Sequence[RawSecret], read_line: Callable[[str, int], str | None]
) -> Converted:
    """Locate each hit, merge hits on one secret (e.g. GitHub Token + entropy),
    and build findings plus the spans the engine must mask."""
    hits: list[_Hit] = []
    for raw in raws:
        text = read_line(raw.path, raw.line) or ""
        span = locate(text, raw.hashed_secret)
        if span is not None:
            span = widen(text, span)
            value = text[span[0] : span[1]]
            if raw.type in GUESSING_TYPES and is_placeholder(value):
                continue
            sha1 = redact.sha1(value)
            hit = _Hit(raw.path, raw.line, *span, {raw.type}, sha1, True)
            hit.embedded = {raw.type} if raw.embedded else set()
            hits.append(hit)
        else:
            # Not found on the line (e.g. a multi-line value): mask the whole line.
            start, end = _whole_line(text)
            unlocated = _Hit(raw.path, raw.line, start, end, {raw.type}, raw.hashed_secret, False)
            unlocated.embedded = {raw.type} if raw.embedded else set()
            hits.append(unlocated)
    merged: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.path, h.line, h.start, -h.end)):
        last = merged[-1] if merged else None
        if last and (last.path, last.line) == (hit.path, hit.line) and hit.start < last.end:
            if hit.end - hit.start > last.end - last.start:  # keep the widest span
                hit.types |= last.types
                hit.embedded |= last.embedded
                merged[-1] = hit
            else:
                last.types |= hit.types
                last.embedded |= hit.embedded
            continue
        merged.append(hit)

    findings: list[Finding] = []
    redactions: list[Redaction] = []
    rules: dict[str, RuleMeta] = {}
    values: list[str] = []
    for hit in merged:
        specific = sorted(t for t in hit.types if t not in GUESSING_TYPES)
        chosen = (specific or sorted(hit.types))[0]
        meta = rules.setdefault(rule_id(chosen), rule_meta(chosen))
        text = read_line(hit.path, hit.line) or ""
        shown = redact.preview(text[hit.start : hit.end]) if hit.located else "(value not shown)"
        if hit.located and not any(c.isspace() for c in text[hit.start : hit.end]):
            # Only single tokens are tracked through history: a multi-word match
            # (a private key's header line) is the same for every key.
            values.append(text[hit.start : hit.end])
        info = SecretInfo(preview=shown, sha1=hit.sha1)
        if hit.end > hit.start:
            redactions.append(Redaction(hit.path, hit.line, hit.start + 1, hit.end + 1))
            location = Location(hit.path, hit.line, hit.start + 1, hit.line, hit.end + 1)
        else:
            location = Location(hit.path, hit.line)
        findings.append(
            Finding.create(
                rule_id=meta.id,
                scanner=NAME,
                severity=meta.severity,
                confidence=meta.confidence,
                message=f"{chosen} committed to the repository: {info.preview}. Remove it, "
                "rotate it, and inject it at deploy time.",
                location=location,
                cwe=CWE,
                secret=info,
                properties={
                    "detect-secrets.types": ", ".join(sorted(hit.types)),
                    **({EMBEDDED_PROPERTY: "true"} if chosen in hit.embedded else {}),
                },
            )
        )
    return Converted(
        tuple(findings),
        tuple(redactions),
        tuple(rules[k] for k in sorted(rules)),
        tuple(values),
    )


def rule_meta(secret_type: str) -> RuleMeta:
    guess = secret_type in GUESSING_TYPES
    return RuleMeta(
        id=RuleId(rule_id(secret_type)),
        scanner=NAME,
        name=secret_type,
        short_description=f"Hard-coded secret: {secret_type}",
        full_description=(
            f"detect-secrets' {secret_type} detector matched a value that looks like a "
            "credential committed to the repository."
        ),
        severity=Severity.MEDIUM if guess else Severity.HIGH,
        confidence=Confidence.LOW if guess else Confidence.HIGH,
        cwe=CWE,
        fix="Remove the value, rotate it, and load it from the environment or a secret store.",
        help_uri="https://github.com/Yelp/detect-secrets#viewing-results",
    )


class SecretsScanner:
    name = NAME
    program = "detect-secrets"

    def version(self) -> str | None:
        try:
            from detect_secrets.__version__ import VERSION
        except ImportError:
            return None
        return str(VERSION)

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        files = [(f.path, f.size) for f in ctx.workspace.files]
        if not files:
            return skipped(NAME, "no files to scan")
        version = self.version()
        if version is None:
            return failed(NAME, "detect-secrets is not installed (pip install detect-secrets)")
        try:
            outcome = _secrets_fast.scan_files(ctx.root, files, timeout_s=timeout_s)
        except _secrets_fast.ScanTimeout:
            return failed(NAME, f"secret scan timed out after {timeout_s:g} s", version=version)
        except Exception as exc:  # any crash is a failed run, never "no secrets"
            return failed(NAME, f"secret scan failed: {type(exc).__name__}: {exc}", version=version)
        raws = [
            RawSecret(h.path, h.line, h.type, h.hashed_secret, h.embedded) for h in outcome.hits
        ]
        reader = _LineReader(ctx)
        converted = to_findings(raws, reader.get)
        extra, notes = _token_age(ctx, converted, timeout_s)
        deploy = [
            deploy_secrets.finding(f, where)
            for f in converted.findings
            if f.secret is not None
            and (
                where := deploy_secrets.context(
                    f.location.path, reader.lines(f.location.path), f.location.start_line
                )
            )
        ]
        return ScannerRun(
            scanner=NAME,
            status=RunStatus.OK,
            findings=converted.findings + tuple(extra) + tuple(deploy),
            version=version,
            files_scanned=outcome.files_scanned,
            notes=tuple(skip_notes(outcome.skipped)) + tuple(notes),
            rules=converted.rules
            + (token_age.rules() if extra else ())
            + ((deploy_secrets.rule(),) if deploy else ()),
            redactions=converted.redactions,
        )


def skip_notes(counts: Mapping[str, int]) -> list[str]:
    """One note per reason files were not scanned for secrets."""
    return [
        f"secrets: {n} {why} file{'s' if n != 1 else ''} not scanned"
        for why, n in sorted(counts.items())
        if n
    ]


def _token_age(
    ctx: ScanContext, converted: Converted, timeout_s: float
) -> tuple[list[Finding], list[str]]:
    """Unrotated and leaked tokens from one read of the git history."""
    opts = ctx.config.history
    if not opts.enabled:
        return [], ["git history not read (disabled): token age not checked"]
    history = token_age.read(
        ctx.root,
        converted.values,
        since=opts.since,
        depth=opts.depth,
        timeout_s=timeout_s,
        store=ctx.store,
    )
    if not history.available:
        return [], [f"git history unavailable ({history.reason}): token age not checked"]
    current = {
        f.secret.sha1: f.location
        for f in converted.findings
        if f.secret is not None and f.secret.preview != "(value not shown)"
    }
    found = token_age.findings(
        history, current, now=ctx.now, max_age_days=ctx.config.max_token_age_days
    )
    return found, [f"git history: {history.commits} commit(s) read for token age"]


class _LineReader:
    """Reads each flagged file once, lazily."""

    def __init__(self, ctx: ScanContext) -> None:
        self._ctx = ctx
        self._cache: dict[str, list[str]] = {}

    def lines(self, path: str) -> list[str]:
        if path not in self._cache:
            try:
                self._cache[path] = read_text(self._ctx.root, path).splitlines()
            except OSError:
                self._cache[path] = []
        return self._cache[path]

    def get(self, path: str, line: int) -> str | None:
        lines = self.lines(path)
        return lines[line - 1] if 0 < line <= len(lines) else None
