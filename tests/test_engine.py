"""The engine with in-process fake scanners: concurrency, isolation of
failures, path normalization, rule config, redaction, ordering."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from llmsecops import engine
from llmsecops.config import Config, RuleConfig, ScannerConfig
from llmsecops.errors import NothingToScanError, UsageError
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    Redaction,
    RunStatus,
    ScannerName,
    ScannerRun,
    Severity,
)
from llmsecops.scanners.base import ScanContext

Maker = Callable[..., Path]


class Fake:
    def __init__(self, name: str, behaviour: Callable[[ScanContext], ScannerRun]) -> None:
        self.name = ScannerName(name)
        self.program = name
        self._behaviour = behaviour

    def version(self) -> str | None:
        return "1.0"

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        return self._behaviour(ctx)


def finding(path: str, line: int, rule: str = "bandit/B602", message: str = "shell") -> Finding:
    return Finding.create(
        rule_id=rule,
        scanner=rule.split("/")[0],
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        message=message,
        location=Location(path, line),
    )


def ok(name: str, *findings: Finding, redactions: tuple[Redaction, ...] = ()) -> ScannerRun:
    return ScannerRun(
        scanner=ScannerName(name), status=RunStatus.OK, findings=findings, redactions=redactions
    )


def request(root: Path, **kwargs: object) -> engine.ScanRequest:
    return engine.ScanRequest(root=root, config=kwargs.pop("config", Config()), **kwargs)  # type: ignore[arg-type]


def test_scanners_run_concurrently(make_tree: Maker) -> None:
    root = make_tree({"a.py": "x = 1\n"})
    barrier = threading.Barrier(2, timeout=10)

    def meet(name: str) -> Callable[[ScanContext], ScannerRun]:
        def run(ctx: ScanContext) -> ScannerRun:
            barrier.wait()  # raises BrokenBarrierError unless both run at once
            return ok(name)

        return run

    result = engine.scan(
        request(root), [Fake("bandit", meet("bandit")), Fake("semgrep", meet("semgrep"))]
    )
    assert [r.status for r in result.runs] == [RunStatus.OK, RunStatus.OK]


def test_a_crashing_adapter_is_a_failed_run_and_others_still_report(make_tree: Maker) -> None:
    root = make_tree({"a.py": "import os\nos.system(x)\n"})

    def crash(ctx: ScanContext) -> ScannerRun:
        raise KeyError("boom")

    result = engine.scan(
        request(root),
        [Fake("bandit", lambda ctx: ok("bandit", finding("a.py", 2))), Fake("semgrep", crash)],
    )
    bandit_run, semgrep_run = result.runs
    assert bandit_run.status is RunStatus.OK
    assert semgrep_run.status is RunStatus.FAILED
    assert semgrep_run.reason == "internal error in the semgrep adapter: KeyError: 'boom'"
    assert [f.rule_id for f in result.findings] == ["bandit/B602"]
    assert not result.complete


def test_paths_are_normalized_and_outside_paths_dropped(make_tree: Maker) -> None:
    root = make_tree({"app/a.py": "x = 1\ny = 2\n"})
    resolved = root.resolve()
    findings = (
        finding("./app/a.py", 1),
        finding(str(resolved / "app" / "a.py"), 2),
        finding("../outside.py", 1),
        finding("/etc/passwd", 1),
        finding("app/not-in-set.py", 1),
    )
    result = engine.scan(request(root), [Fake("bandit", lambda ctx: ok("bandit", *findings))])
    assert [(f.location.path, f.location.start_line) for f in result.findings] == [
        ("app/a.py", 1),
        ("app/a.py", 2),
    ]


def test_regions_and_snippets_come_from_the_file(make_tree: Maker) -> None:
    root = make_tree({"a.py": "import os\n    os.system(cmd)  # run\n"})
    result = engine.scan(
        request(root), [Fake("bandit", lambda ctx: ok("bandit", finding("a.py", 2)))]
    )
    (f,) = result.findings
    assert f.snippet == "    os.system(cmd)  # run"
    assert (f.location.start_column, f.location.end_line, f.location.end_column) == (1, 2, 26)
    assert f.fingerprint


def test_rule_config_disables_and_overrides_severity(make_tree: Maker) -> None:
    root = make_tree({"a.py": "a\nb\n"})
    cfg = Config(
        rules={
            "bandit/B101": RuleConfig(enabled=False),
            "bandit/B602": RuleConfig(severity=Severity.CRITICAL),
        }
    )
    findings = (finding("a.py", 1, rule="bandit/B101"), finding("a.py", 2))
    result = engine.scan(
        request(root, config=cfg), [Fake("bandit", lambda ctx: ok("bandit", *findings))]
    )
    assert [(f.rule_id, f.severity) for f in result.findings] == [
        ("bandit/B602", Severity.CRITICAL)
    ]


def test_secret_spans_are_masked_in_every_finding(make_tree: Maker) -> None:
    secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    root = make_tree({"a.py": f'stripe_key = "{secret}"\n'})
    start = 15
    span = Redaction("a.py", 1, start, start + len(secret))
    other = finding(
        "a.py", 1, rule="bandit/B105", message=f"Possible hardcoded password: '{secret}'"
    )
    result = engine.scan(
        request(root),
        [
            Fake("bandit", lambda ctx: ok("bandit", other)),
            Fake("secrets", lambda ctx: ok("secrets", redactions=(span,))),
        ],
    )
    (f,) = result.findings
    assert secret not in f.snippet and secret not in f.message
    assert "sk_l… (32 chars)" in f.snippet


def test_selection_by_only_skip_and_config(make_tree: Maker) -> None:
    root = make_tree({"a.py": "x\n"})
    scanners = [Fake(n, lambda ctx, n=n: ok(n)) for n in ("bandit", "semgrep", "secrets")]  # type: ignore[misc]
    cfg = Config(scanners={"secrets": ScannerConfig(enabled=False)})
    result = engine.scan(request(root, config=cfg, skip=("semgrep",)), scanners)
    assert [(r.scanner, r.status, r.reason) for r in result.runs] == [
        ("bandit", RunStatus.OK, ""),
        ("semgrep", RunStatus.SKIPPED, "skipped by --skip"),
        ("secrets", RunStatus.SKIPPED, "disabled in config"),
    ]
    result = engine.scan(request(root, only=("semgrep",)), scanners)
    assert [r.status for r in result.runs] == [RunStatus.SKIPPED, RunStatus.OK, RunStatus.SKIPPED]
    with pytest.raises(UsageError, match="unknown scanner 'trufflehog'"):
        engine.scan(request(root, only=("trufflehog",)), scanners)


def test_empty_file_set_is_nothing_to_scan(make_tree: Maker) -> None:
    root = make_tree({"node_modules/x.js": "1\n"})
    with pytest.raises(NothingToScanError, match="nothing to scan"):
        engine.scan(request(root), [Fake("bandit", lambda ctx: ok("bandit"))])


def test_results_are_sorted_and_deduplicated(make_tree: Maker) -> None:
    root = make_tree({"a.py": "1\n2\n3\n", "b.py": "1\n"})
    findings = (finding("b.py", 1), finding("a.py", 3), finding("a.py", 1), finding("a.py", 1))
    result = engine.scan(request(root), [Fake("bandit", lambda ctx: ok("bandit", *findings))])
    assert [(f.location.path, f.location.start_line) for f in result.findings] == [
        ("a.py", 1),
        ("a.py", 3),
        ("b.py", 1),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a.py", "a.py"),
        ("./src/../a.py", "a.py"),
        ("../a.py", None),
        ("src/./b.py", "src/b.py"),
    ],
)
def test_normalize_path(raw: str, expected: str | None, tmp_path: Path) -> None:
    assert engine.normalize_path(raw, tmp_path) == expected
    assert engine.normalize_path(str(tmp_path / "x.py"), tmp_path) == "x.py"
    assert engine.normalize_path("/elsewhere/x.py", tmp_path) is None
