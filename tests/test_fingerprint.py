from __future__ import annotations

from llmsecops.fingerprint import assign
from llmsecops.model import Confidence, Finding, Location, SecretInfo, Severity


def _f(line: int, snippet: str, rule: str = "bandit/B602", path: str = "a.py") -> Finding:
    f = Finding.create(
        rule_id=rule,
        scanner="bandit",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        message="m",
        location=Location(path, line),
    )
    return Finding(**{**f.__dict__, "snippet": snippet})


def test_moving_code_keeps_the_fingerprint() -> None:
    before = assign([_f(10, "subprocess.run(cmd, shell=True)")])[0]
    after = assign([_f(42, "    subprocess.run(cmd,  shell=True)")])[0]
    assert before.fingerprint == after.fingerprint
    assert len(before.fingerprint) == 32


def test_editing_the_line_changes_the_fingerprint() -> None:
    before = assign([_f(10, "subprocess.run(cmd, shell=True)")])[0]
    after = assign([_f(10, "subprocess.run(other, shell=True)")])[0]
    assert before.fingerprint != after.fingerprint


def test_rule_and_path_are_part_of_the_identity() -> None:
    base = assign([_f(1, "x")])[0].fingerprint
    assert assign([_f(1, "x", rule="bandit/B603")])[0].fingerprint != base
    assert assign([_f(1, "x", path="b.py")])[0].fingerprint != base


def test_identical_lines_get_distinct_stable_fingerprints() -> None:
    a, b = assign([_f(5, "eval(x)"), _f(9, "eval(x)")])
    assert a.fingerprint != b.fingerprint
    # Shift both: the occurrence order, not the line, decides.
    c, d = assign([_f(105, "eval(x)"), _f(109, "eval(x)")])
    assert (a.fingerprint, b.fingerprint) == (c.fingerprint, d.fingerprint)


def test_secret_findings_hash_the_digest_not_the_line() -> None:
    secret = SecretInfo(preview="AKIA… (20 chars)", sha1="ab" * 20)
    f1 = Finding(**{**_f(3, "KEY = 'AKIA…'").__dict__, "secret": secret})
    f2 = Finding(**{**_f(30, "key   =   'AKIA…'  # moved").__dict__, "secret": secret})
    assert assign([f1])[0].fingerprint == assign([f2])[0].fingerprint
