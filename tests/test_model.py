from __future__ import annotations

import pytest

from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RunStatus,
    ScannerRun,
    ScanResult,
    Severity,
    WorkspaceSummary,
)


def _finding(severity: Severity = Severity.HIGH, path: str = "a.py", line: int = 1) -> Finding:
    return Finding.create(
        rule_id="bandit/B602",
        scanner="bandit",
        severity=severity,
        confidence=Confidence.HIGH,
        message="subprocess call with shell=True",
        location=Location(path, line),
    )


def test_severity_is_ordered_and_parses_case_insensitively() -> None:
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM > Severity.LOW > Severity.INFO
    assert Severity.parse(" High ") is Severity.HIGH
    with pytest.raises(ValueError, match="expected one of info, low, medium, high, critical"):
        Severity.parse("severe")


def test_severity_maps_to_sarif_levels_and_scores() -> None:
    assert [s.sarif_level for s in Severity] == ["note", "note", "warning", "error", "error"]
    assert [s.security_severity for s in Severity] == [None, "2.0", "5.5", "8.0", "9.5"]


def test_confidence_parse_and_precision() -> None:
    assert Confidence.parse("low") is Confidence.LOW
    assert Confidence.HIGH.sarif_precision == "high"
    with pytest.raises(ValueError):
        Confidence.parse("certain")


def test_finding_requires_a_location() -> None:
    with pytest.raises(ValueError, match="no primary location"):
        Finding.create(
            rule_id="bandit/B602",
            scanner="bandit",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            message="x",
            location=None,
        )


def test_finding_requires_a_namespaced_rule_id_and_a_message() -> None:
    with pytest.raises(ValueError, match="not namespaced"):
        Finding.create(
            rule_id="B602",
            scanner="bandit",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            message="x",
            location=Location("a.py", 1),
        )
    with pytest.raises(ValueError, match="empty message"):
        Finding.create(
            rule_id="bandit/B602",
            scanner="bandit",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            message="  ",
            location=Location("a.py", 1),
        )


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"path": "", "start_line": 1}, "needs a path"),
        ({"path": "a.py", "start_line": 0}, "1-based"),
        ({"path": "a.py", "start_line": 3, "end_line": 2}, "end before start"),
    ],
)
def test_location_rejects_impossible_regions(kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        Location(**kwargs)  # type: ignore[arg-type]


def test_a_failed_run_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        ScannerRun(scanner="bandit", status=RunStatus.FAILED)  # type: ignore[arg-type]


def _result(
    findings: tuple[Finding, ...], runs: tuple[ScannerRun, ...], fail_on: Severity | None
) -> ScanResult:
    return ScanResult(
        tool_version="0",
        workspace=WorkspaceSummary(root="/r", files=1, git=False),
        runs=runs,
        findings=findings,
        rules=(),
        fail_on=fail_on,
    )


def test_blocking_uses_the_threshold_and_none_never_blocks() -> None:
    findings = (
        _finding(Severity.MEDIUM),
        _finding(Severity.HIGH, line=2),
        _finding(Severity.LOW, line=3),
    )
    ok = (ScannerRun(scanner="bandit", status=RunStatus.OK),)  # type: ignore[arg-type]
    assert [f.severity for f in _result(findings, ok, Severity.MEDIUM).blocking()] == [
        Severity.MEDIUM,
        Severity.HIGH,
    ]
    assert _result(findings, ok, Severity.CRITICAL).blocking() == ()
    assert _result(findings, ok, None).blocking() == ()


def test_a_failed_run_or_unreadable_file_makes_the_result_incomplete() -> None:
    ok = ScannerRun(scanner="bandit", status=RunStatus.OK)  # type: ignore[arg-type]
    skipped = ScannerRun(scanner="semgrep", status=RunStatus.SKIPPED, reason="no files")  # type: ignore[arg-type]
    bad = ScannerRun(scanner="dependencies", status=RunStatus.FAILED, reason="offline")  # type: ignore[arg-type]
    assert _result((), (ok, skipped), None).complete
    assert not _result((), (ok, bad), None).complete
    unreadable = ScanResult(
        tool_version="0",
        workspace=WorkspaceSummary(root="/r", files=1, git=False, unreadable=("x.py",)),
        runs=(ok,),
        findings=(),
        rules=(),
        fail_on=None,
    )
    assert not unreadable.complete
