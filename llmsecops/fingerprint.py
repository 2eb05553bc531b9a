"""Line-independent fingerprints.

A fingerprint hashes the rule id, the path, the flagged code with whitespace
normalized, and the occurrence index of that (rule, path, code) triple. Moving
code up or down leaves it unchanged; editing the flagged code changes it.
Secret findings hash the secret's digest instead of the code, so the value
never enters the computation in clear and reformatting the line keeps it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from llmsecops.model import Finding

FINGERPRINT_VERSION = "1"


def normalize_code(code: str) -> str:
    return " ".join(code.split())


def _identity(finding: Finding) -> str:
    if finding.secret is not None:
        return "secret:" + finding.secret.sha1
    return "code:" + normalize_code(finding.snippet)


def assign(findings: Sequence[Finding]) -> list[Finding]:
    """Return findings with ``fingerprint`` set; input order does not matter."""
    ordered = sorted(
        findings,
        key=lambda f: (f.location.path, f.location.start_line, f.location.start_column, f.rule_id),
    )
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[Finding] = []
    for f in ordered:
        key = (f.rule_id, f.location.path, _identity(f))
        index = seen[key]
        seen[key] += 1
        payload = "\0".join([FINGERPRINT_VERSION, *key, str(index)])
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        out.append(replace(f, fingerprint=digest))
    return out
