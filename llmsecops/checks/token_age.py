"""Token age from git history: unrotated and leaked tokens.

The history is read once per scan, as one streamed ``git log -p`` of the
lines each commit added (never one git call per secret). For every added
line that holds a token in a known format, the first commit that added it
is recorded by the token's hash. Then:

- a secret in the working tree first committed longer ago than
  ``max-token-age`` is an unrotated token;
- a token found in history but no longer in the working tree is a leaked
  token: deleting it from the code did not revoke it.

Only known token formats count for leaks (not keyword or entropy guesses),
so a leaked-token finding is something to rotate, not something to triage.
Token values stay in this module's memory; findings carry a preview and a
hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

from llmsecops import __version__, redact, rulepack
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RuleId,
    RuleMeta,
    ScannerName,
    SecretInfo,
    Severity,
)
from llmsecops.scanners import _process
from llmsecops.scanners.llm_key_detectors import looks_real

SCANNER = ScannerName("secrets")
UNROTATED = RuleMeta(
    id=RuleId("llmsecops/unrotated-token"),
    scanner=SCANNER,
    name="Unrotated token",
    short_description="A committed secret has not been rotated within max-token-age",
    full_description=(
        "A secret in the working tree was first committed longer ago than the configured "
        "max-token-age. Everyone who could read the repository since then could have copied "
        "it, so it must be rotated, not just removed."
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=("CWE-324", "CWE-798"),
    owasp_llm=("LLM02:2025",),
    fix="Rotate the credential, remove it from the code, and inject it at deploy time.",
)
LEAKED = RuleMeta(
    id=RuleId("llmsecops/leaked-token-in-history"),
    scanner=SCANNER,
    name="Leaked token in git history",
    short_description="A token deleted from the code is still in git history",
    full_description=(
        "A token in a known provider format was committed and later removed from the working "
        "tree. It is still readable in the repository's history and in every clone: removing "
        "it did not revoke it."
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=("CWE-798", "CWE-324"),
    owasp_llm=("LLM02:2025",),
    fix="Revoke and rotate the token at its provider; rewriting history alone is not enough.",
)
RULES = (LEAKED, UNROTATED)


def rules() -> tuple[RuleMeta, ...]:
    """The native rules with their help pages (read when a scan reports them)."""
    return tuple(
        replace(r, help_uri=rulepack.help_uri(r.id), help_markdown=rulepack.doc_text(r.id))
        for r in RULES
    )


_CANDIDATE = re.compile(r"[A-Za-z0-9_\-+/=.]{16,}")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\s'\"`=:,;(){}\[\]<>]+")
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
COMMIT_MARK = "\x00commit "


@dataclass(frozen=True)
class Sighting:
    sha1: str
    preview: str
    commit: str
    timestamp: int  # committer time, seconds since the epoch
    path: str
    line: int
    masked_line: str


@dataclass(frozen=True)
class History:
    available: bool
    reason: str  # why not, when unavailable
    commits: int
    first_seen: Mapping[str, Sighting]  # sha1 -> earliest commit that added it
    last_seen: Mapping[str, Sighting]  # sha1 -> latest commit that added it


class HistoryStore(Protocol):
    """Where a history read is kept between scans (the result cache)."""

    def get_value(self, key: str) -> str | None: ...

    def put_value(self, key: str, value: str) -> None: ...


# Bump when what read() records changes: a stored read from before is then ignored.
_STORE_FORMAT = "token-age-history/1"


def store_key(head: str, values: Iterable[str], since: str | None, depth: int | None) -> str:
    """What a history read depends on: HEAD's commit (its history is fixed), the
    bounds, and the current secret values (hashed: the key never holds one)."""
    digest = hashlib.sha256()
    for part in (_STORE_FORMAT, _detectors_fingerprint(), head, repr(since), repr(depth)):
        digest.update(part.encode() + b"\0")
    for value in sorted(set(values)):
        digest.update(hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest())
    return "history:" + digest.hexdigest()


def _detectors_fingerprint() -> str:
    try:
        ds = version("detect-secrets")
    except PackageNotFoundError:
        ds = ""
    return f"{__version__}/{ds}"


def dump(history: History) -> str:
    return json.dumps(
        {
            "commits": history.commits,
            "first": [asdict(s) for s in history.first_seen.values()],
            "last": [asdict(s) for s in history.last_seen.values()],
        }
    )


def load(text: str) -> History | None:
    """A stored read, or None if it does not parse (then the history is read again)."""
    try:
        data = json.loads(text)
        first = {s["sha1"]: Sighting(**s) for s in data["first"]}
        last = {s["sha1"]: Sighting(**s) for s in data["last"]}
        return History(True, "", int(data["commits"]), first, last)
    except (ValueError, KeyError, TypeError):
        return None


def known_format_detectors() -> list[object]:
    """detect-secrets' provider-format detectors plus ours (no keyword/entropy guesses)."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    from llmsecops.scanners import llm_key_detectors

    # Guessing detectors, and keyword-driven ones that match identifiers in diffs
    # ("key: RealtimeServerEventConversationItemCreated" looks like an IBM IAM key).
    skip = {
        "Secret Keyword",
        "Base64 High Entropy String",
        "Hex High Entropy String",
        "Public IP (ipv4)",
        "IBM Cloud IAM Key",
        "IBM COS HMAC Credentials",
        "Cloudant Credentials",
        "SoftLayer Credentials",
    }
    mapping: dict[str, type] = dict(get_mapping_from_secret_type_to_class())
    classes = [plugin for name, plugin in mapping.items() if name not in skip]
    ours = [
        obj
        for obj in vars(llm_key_detectors).values()
        if isinstance(obj, type)
        and issubclass(obj, llm_key_detectors._LlmKeyDetector)
        and obj is not llm_key_detectors._LlmKeyDetector
    ]
    return [plugin() for plugin in [*classes, *ours]]


def tokens_in(
    line: str,
    detectors: Iterable[object],
    known: re.Pattern[str] | None,
) -> Iterator[str]:
    """Whole tokens on ``line`` that a detector matches or that are known secrets."""
    if known is not None:
        for match in known.finditer(line):
            yield match.group(0)
    if not any(_DIGIT.search(m.group(0)) for m in _CANDIDATE.finditer(line)):
        return  # no long token with a digit in it: nothing key-like on this line
    for detector in detectors:
        for hit in detector.analyze_string(line):  # type: ignore[attr-defined]
            start = line.find(hit)
            if start < 0:
                continue
            for token in _TOKEN.finditer(line):
                if token.start() <= start and start + len(hit) <= token.end():
                    # Key material mixes letters and digits; identifiers do not.
                    if looks_real(token.group(0), 0):
                        yield token.group(0)
                    break


def read(
    root: Path,
    known_values: Iterable[str],
    *,
    since: str | None,
    depth: int | None,
    timeout_s: float,
    store: HistoryStore | None = None,
) -> History:
    """Read the history of HEAD once; record where each token was first and last added.

    With a ``store``, a read of the same HEAD, bounds and secret values is
    reused (a re-scan with no new commit reads no history)."""
    try:
        inside = _process.git(["rev-parse", "--is-inside-work-tree"], cwd=root, timeout_s=30)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return History(False, "not a git repository", 0, {}, {})
        shallow = _process.git(["rev-parse", "--is-shallow-repository"], cwd=root, timeout_s=30)
        if shallow.stdout.strip() == "true":
            return History(
                False,
                "shallow clone: fetch the full history (actions/checkout fetch-depth: 0)",
                0,
                {},
                {},
            )
        head = _process.git(["rev-parse", "--verify", "-q", "HEAD"], cwd=root, timeout_s=30)
        if head.returncode != 0:
            return History(False, "no commits yet", 0, {}, {})
    except (_process.ProcessNotFound, _process.ProcessTimeout, OSError) as exc:
        return History(False, f"git unavailable: {exc}", 0, {}, {})
    known_values = list(known_values)
    key = store_key(head.stdout.strip(), known_values, since, depth)
    stored = store.get_value(key) if store is not None else None
    if stored is not None and (history := load(stored)) is not None:
        return history
    history = _read_log(root, known_values, since=since, depth=depth, timeout_s=timeout_s)
    if store is not None and history.available:
        store.put_value(key, dump(history))
    return history


def _read_log(
    root: Path,
    known_values: Iterable[str],
    *,
    since: str | None,
    depth: int | None,
    timeout_s: float,
) -> History:

    args = [
        "log",
        "--reverse",
        "--no-color",
        "--no-textconv",
        "--no-ext-diff",
        "--no-renames",
        "--diff-filter=AM",
        "--format=%x00commit %H %ct",
        "-p",
        "-U0",
    ]
    if since:
        args.append(f"--since={since}")
    if depth:
        args.append(f"--max-count={depth}")
    args += ["HEAD", "--", "."]
    values = sorted({v for v in known_values if len(v) >= 8}, key=len, reverse=True)
    known = re.compile("|".join(map(re.escape, values))) if values else None
    detectors = known_format_detectors()
    first: dict[str, Sighting] = {}
    last: dict[str, Sighting] = {}
    commits = 0
    commit, stamp, path, new_line = "", 0, "", 0
    try:
        for line in _process.stream_lines(_process.git_argv(args), cwd=root, timeout_s=timeout_s):
            if line.startswith(COMMIT_MARK):
                _, commit, raw_stamp = line.split(" ", 2)
                stamp = int(raw_stamp)
                commits += 1
            elif line.startswith("+++ "):
                path = line[6:] if line.startswith("+++ b/") else ""
            elif line.startswith("@@"):
                match = _HUNK.match(line)
                new_line = int(match.group(1)) if match else 0
            elif line.startswith("+") and path:
                text = line[1:]
                for token in set(tokens_in(text, detectors, known)):
                    digest = redact.sha1(token)
                    seen = Sighting(
                        sha1=digest,
                        preview=redact.preview(token),
                        commit=commit,
                        timestamp=stamp,
                        path=path,
                        line=new_line,
                        masked_line=redact.mask_all(text.strip(), [token])[:400],
                    )
                    first.setdefault(digest, seen)
                    last[digest] = seen
                new_line += 1
    except _process.ProcessTimeout as exc:
        return History(False, f"history read {exc}", commits, {}, {})
    except _process.ProcessFailed as exc:
        return History(False, f"history read failed: {exc}", commits, {}, {})
    return History(True, "", commits, first, last)


def findings(
    history: History,
    current: Mapping[str, Location],
    *,
    now: datetime,
    max_age_days: int,
) -> list[Finding]:
    """Unrotated tokens among ``current`` (sha1 -> location) and leaked ones in history."""
    out: list[Finding] = []
    for digest, location in sorted(current.items(), key=lambda kv: (kv[1].path, kv[1].start_line)):
        seen = history.first_seen.get(digest)
        if seen is None:
            continue
        age_days = int((now.timestamp() - seen.timestamp) // 86400)
        if age_days <= max_age_days:
            continue
        out.append(
            Finding.create(
                rule_id=UNROTATED.id,
                scanner=SCANNER,
                severity=UNROTATED.severity,
                confidence=UNROTATED.confidence,
                message=(
                    f"Secret {seen.preview} was first committed {age_days} days ago "
                    f"({_date(seen.timestamp)}, commit {seen.commit[:12]}), longer than "
                    f"max-token-age ({max_age_days} days). Rotate it."
                ),
                location=location,
                cwe=UNROTATED.cwe,
                owasp_llm=UNROTATED.owasp_llm,
                secret=SecretInfo(preview=seen.preview, sha1=digest),
                properties={"first_commit": seen.commit, "first_committed": _date(seen.timestamp)},
            )
        )
    for digest, seen in sorted(history.last_seen.items(), key=lambda kv: (kv[1].path, kv[1].line)):
        if digest in current:
            continue
        first = history.first_seen[digest]
        leaked = Finding.create(
            rule_id=LEAKED.id,
            scanner=SCANNER,
            severity=LEAKED.severity,
            confidence=LEAKED.confidence,
            message=(
                f"Token {seen.preview} is no longer in the working tree but is in git history "
                f"(added {_date(first.timestamp)} in commit {first.commit[:12]}, last added "
                f"in {seen.commit[:12]}). Removing it did not revoke it: rotate it."
            ),
            location=Location(seen.path, max(seen.line, 1)),
            cwe=LEAKED.cwe,
            owasp_llm=LEAKED.owasp_llm,
            secret=SecretInfo(preview=seen.preview, sha1=digest),
            properties={"commit": seen.commit, "first_commit": first.commit},
        )
        out.append(replace(leaked, commit=seen.commit, snippet=seen.masked_line))
    return out


def _date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")
