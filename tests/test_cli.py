"""The CLI end to end with the real scanners: the exit-code matrix and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from llmsecops.cli.main import main
from llmsecops.scanners import _process
from tests.helpers import deny_reading

Maker = Callable[..., Path]
CLEAN = {"app.py": "import json\n\n\ndef f(x):\n    return json.dumps(x)\n"}
RISKY = {"app.py": "import subprocess\n\n\ndef f(cmd):\n    subprocess.call(cmd, shell=True)\n"}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any vulnerability-service request goes to a closed local port: the
    # firewalled-CI situation, and no test ever leaves this machine.
    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["scan", "--no-progress", *args] if args and args[0] != "--" else args[1:])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, fragment: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("llmsecops: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in err


def test_clean_repo_exits_0(make_tree: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_tree(CLEAN)
    code, _, err = run_cli([str(root)], capsys)
    assert code == 0, err
    assert "0 finding(s)" in err


def test_findings_at_threshold_exit_1_and_exit_zero_overrides(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree(RISKY)
    code, _, err = run_cli([str(root), "--only", "bandit"], capsys)
    assert code == 1, err
    assert "bandit/B602" in err
    assert run_cli([str(root), "--only", "bandit", "--exit-zero"], capsys)[0] == 0
    assert run_cli([str(root), "--only", "bandit", "--fail-on", "critical"], capsys)[0] == 0
    assert run_cli([str(root), "--only", "bandit", "--fail-on", "none"], capsys)[0] == 0


def test_config_fail_on_is_used_and_flag_overrides_it(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({**RISKY, ".llmsecops.yml": "fail-on: critical\n"})
    assert run_cli([str(root), "--only", "bandit"], capsys)[0] == 0
    assert run_cli([str(root), "--only", "bandit", "--fail-on", "high"], capsys)[0] == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--fail-on", "severe"], "--fail-on: expected one of"),
        (["--only", "gitleaks"], "unknown scanner 'gitleaks'"),
        (["--no-such-flag"], "No such option"),
        (["--config", "missing.yml"], "config missing.yml: file not found"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    fragment: str,
) -> None:
    root = make_tree(CLEAN)
    monkeypatch.chdir(root)
    code, out, err = run_cli([".", *args], capsys)
    assert code == 2
    assert out == ""
    assert_one_line_error(err, fragment)


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli([str(tmp_path / "nope")], capsys)
    assert code == 2
    assert_one_line_error(err, "path not found")


def test_file_outside_the_repo_exits_2(
    make_tree: Maker,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_tree(CLEAN)
    stray = tmp_path / "stray.py"
    stray.write_text("x = 1\n")
    monkeypatch.chdir(root)
    code, _, err = run_cli([str(stray)], capsys)
    assert code == 2
    assert_one_line_error(err, "outside the scan root")


def test_malformed_config_exits_2(make_tree: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_tree({**CLEAN, ".llmsecops.yml": "scanners:\n  bandit:\n    timout: 5\n"})
    code, _, err = run_cli([str(root)], capsys)
    assert code == 2
    assert_one_line_error(err, "config .llmsecops.yml: scanners.bandit.timout: unknown key")


def test_nothing_to_scan_exits_4(make_tree: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_tree({"image.py": b"\x89PNG\x00\x00"})
    code, _, err = run_cli([str(root)], capsys)
    assert code == 4
    assert_one_line_error(err, "nothing to scan")
    assert "1 binary" in err


def test_unreachable_vulnerability_service_exits_3_and_keeps_other_findings(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({**RISKY, "requirements.txt": "requests==2.19.1\n"})
    out_json = tmp_path / "r.json"
    code, _, err = run_cli([str(root), "--json", str(out_json)], capsys)
    assert code == 3
    assert "SCAN INCOMPLETE" in err
    report = json.loads(out_json.read_text())
    assert report["complete"] is False
    deps = next(s for s in report["scanners"] if s["name"] == "dependencies")
    assert deps["status"] == "failed"
    assert "could not be audited" in deps["reason"] or "unreachable" in deps["reason"]
    assert "bandit/B602" in {f["rule_id"] for f in report["findings"]}


def test_offline_skips_the_audit_visibly(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({**CLEAN, "requirements.txt": "requests==2.19.1\n"})
    code, _, err = run_cli([str(root), "--offline"], capsys)
    assert code == 0
    assert "offline: dependency audit skipped" in err


def _fake_tool(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"fake-{name}"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _use_fake(monkeypatch: pytest.MonkeyPatch, program: str, fake: Path | None) -> None:
    real = _process.find_program

    def find(name: str) -> str | None:
        if name == program:
            return str(fake) if fake else None
        return real(name)

    monkeypatch.setattr(_process, "find_program", find)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "bandit is not installed"),
        ("echo 'this is not json'", "bandit produced output that is not JSON"),
        (
            "echo 'Traceback (most recent call last):' >&2; echo 'RuntimeError: boom' >&2; exit 2",
            "bandit failed",
        ),
    ],
)
def test_a_broken_scanner_makes_the_scan_incomplete_but_not_silent(
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    body: str | None,
    reason: str,
) -> None:
    root = make_tree({**RISKY, "k.py": 'GH = "ghp_Zk3X9qL0vTb7Wm2Np8Rs4Yd6Fh1Jc5Ae0GuI"\n'})
    _use_fake(monkeypatch, "bandit", _fake_tool(tmp_path, "bandit", body) if body else None)
    out_json = tmp_path / "r.json"
    code, _, err = run_cli([str(root), "--only", "bandit,secrets", "--json", str(out_json)], capsys)
    assert code == 3
    assert reason in err
    assert "Traceback" not in err
    report = json.loads(out_json.read_text())
    bandit = next(s for s in report["scanners"] if s["name"] == "bandit")
    assert bandit["status"] == "failed" and reason in bandit["reason"]
    rule_ids = {f["rule_id"] for f in report["findings"]}
    assert "secrets/github-token" in rule_ids
    assert all(r.startswith("secrets/") for r in rule_ids)


def test_a_hanging_scanner_times_out(
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    root = make_tree({**CLEAN, ".llmsecops.yml": "scanners:\n  bandit: {timeout: 1}\n"})
    _use_fake(monkeypatch, "bandit", _fake_tool(tmp_path, "bandit", "sleep 30"))
    code, _, err = run_cli([str(root), "--only", "bandit"], capsys)
    assert code == 3
    assert "timed out after 1s" in err


def test_internal_errors_are_one_line_with_a_bug_hint(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from llmsecops import engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unexpected state")

    monkeypatch.setattr(engine, "scan", boom)
    root = make_tree(CLEAN)
    code, _, err = run_cli([str(root)], capsys)
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "internal error: RuntimeError: unexpected state" in lines[0]
    assert "--debug" in lines[0]
    code = main(["--debug", "scan", "--no-progress", str(root)])
    assert code == 3
    assert "Traceback" in capsys.readouterr().err


def test_stdout_carries_only_the_requested_report(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree(RISKY)
    code, out, err = run_cli([str(root), "--only", "bandit", "--sarif", "-"], capsys)
    assert code == 1
    assert json.loads(out)["version"] == "2.1.0"
    assert "bandit/B602" in err


def test_two_reports_on_stdout_is_a_usage_error(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree(CLEAN)
    code, _, err = run_cli([str(root), "--sarif", "-", "--json", "-"], capsys)
    assert code == 2
    assert_one_line_error(err, "only one report can be written to stdout")


def test_version_rules_and_doctor(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("llmsecops ")
    assert main(["rules", "list", "--json"]) == 0
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rules["llmsecops/prompt-concat"]["owasp_llm"] == ["LLM01:2025"]
    assert rules["llmsecops/unrotated-token"]["cwe"] == ["CWE-324", "CWE-798"]
    assert main(["rules", "explain", "llmsecops/prompt-concat"]) == 0
    assert "CWE-1427" in capsys.readouterr().out
    assert main(["rules", "explain", "nope"]) == 2
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for tool in ("bandit", "semgrep", "detect-secrets", "pip-audit"):
        assert tool in out


def test_an_unreadable_file_makes_the_scan_incomplete(
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    root = make_tree({**CLEAN, "locked.py": "x = 1\n"})
    deny_reading(monkeypatch, "locked.py")
    out_sarif = tmp_path / "r.sarif"
    code, _, err = run_cli([str(root), "--only", "bandit", "--sarif", str(out_sarif)], capsys)
    assert code == 3
    assert "1 file(s) unreadable" in err
    invocation = json.loads(out_sarif.read_text())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "locked.py" in invocation["toolExecutionNotifications"][-1]["message"]["text"]
