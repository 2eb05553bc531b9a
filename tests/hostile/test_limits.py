"""Bounded resources and a clean environment for every child process.

A scanner past its memory ceiling or its timeout is a failed run (exit 3)
while the other scanners' results are kept; no child sees a credential from
our environment; and only ``scanners/_process.py`` starts processes.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from llmsecops import engine
from llmsecops.config import Config, ScannerConfig
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RunStatus,
    ScannerName,
    ScannerRun,
    Severity,
)
from llmsecops.scanners import _process
from llmsecops.scanners.base import ScanContext, failed
from tests.hostile.conftest import assert_no_traceback, scan

PACKAGE = Path(__file__).resolve().parents[2] / "llmsecops"
HOG = "x = bytearray(2 * 1024 ** 3)\nprint('allocated')\n"


class PythonScanner:
    """A scanner whose tool is a Python one-liner run through _process."""

    def __init__(self, name: str, code: str) -> None:
        self.name = ScannerName(name)
        self.program = sys.executable
        self.code = code

    def version(self) -> str | None:
        return None

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        try:
            _process.run([sys.executable, "-c", self.code], cwd=ctx.root, timeout_s=timeout_s)
        except _process.ProcessTimeout as exc:  # what every adapter does
            return failed(self.name, str(exc))
        finding = Finding.create(
            rule_id=f"{self.name}/R1",
            scanner=self.name,
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            message="kept",
            location=Location("a.py", 1),
        )
        return ScannerRun(scanner=self.name, status=RunStatus.OK, findings=(finding,))


def _request(root: Path, scanners: dict[str, ScannerConfig]) -> engine.ScanRequest:
    return engine.ScanRequest(root=root, config=Config(scanners=scanners))


def test_a_scanner_past_its_memory_ceiling_fails_and_the_rest_are_kept(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    scanners = {
        "bandit": ScannerConfig(max_memory_mb=256),
        "semgrep": ScannerConfig(max_memory_mb=4096),
    }
    result = engine.scan(
        _request(tmp_path, scanners),
        [PythonScanner("bandit", HOG), PythonScanner("semgrep", "print('small')")],
    )
    runs = {r.scanner: r for r in result.runs}
    assert runs["bandit"].status is RunStatus.FAILED
    assert runs["bandit"].reason.endswith("exceeded its memory ceiling of 256 MiB")
    assert runs["semgrep"].status is RunStatus.OK
    assert [f.rule_id for f in result.findings] == ["semgrep/R1"]
    assert not result.complete


def test_a_scanner_past_its_timeout_fails_and_the_rest_are_kept(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    scanners = {"bandit": ScannerConfig(timeout_s=2), "semgrep": ScannerConfig()}
    sleeper = "import subprocess, sys, time\n" + (
        # A grandchild too: the whole process group is killed.
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "time.sleep(600)\n"
    )
    result = engine.scan(
        _request(tmp_path, scanners),
        [PythonScanner("bandit", sleeper), PythonScanner("semgrep", "print(1)")],
    )
    runs = {r.scanner: r for r in result.runs}
    assert runs["bandit"].status is RunStatus.FAILED
    assert "timed out after 2s" in runs["bandit"].reason
    assert runs["bandit"].duration_s < 60
    assert [f.rule_id for f in result.findings] == ["semgrep/R1"]


def test_memory_ceiling_from_config_end_to_end(tmp_path: Path) -> None:
    """A real scanner (bandit) under an 8 MiB ceiling from the repository's
    config is reported failed, exit 3; the secrets scanner's findings stay."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "app.py").write_text("import subprocess\nsubprocess.call('x', shell=True)\n")
    (root / "conf.py").write_text('T = "ghp_' + "Z1x2C3v4B5n6M7a8S9d0F1g2H3j4K5l6P7o8" + '"\n')
    (root / ".llmsecops.yml").write_text("scanners:\n  bandit:\n    max-memory: 8\n")
    result = scan(root, "--only", "bandit,secrets", tmp=tmp_path, formats=("json",))
    assert_no_traceback(result)
    assert result.code == 3, result.stderr
    data = json.loads(result.reports["json"])
    runs = {r["name"]: r for r in data["scanners"]}
    assert runs["bandit"]["status"] == "failed"
    assert "exceeded its memory ceiling of 8 MiB" in runs["bandit"]["reason"]
    assert runs["secrets"]["status"] == "ok"
    assert {f["rule_id"] for f in data["findings"]} == {"secrets/github-token"}
    assert "SCAN INCOMPLETE" in result.stderr


def test_the_ceiling_is_set_in_the_child_not_in_us(tmp_path: Path) -> None:
    probe = "import resource; print(resource.getrlimit(resource.RLIMIT_DATA)[0])"
    with _process.memory_limit(300):
        done = _process.run([sys.executable, "-c", probe], cwd=tmp_path, timeout_s=60)
    assert int(done.stdout) == 300 * 1024 * 1024
    import resource

    assert resource.getrlimit(resource.RLIMIT_DATA)[0] != 300 * 1024 * 1024


CREDENTIALS = {
    "GITHUB_TOKEN": "ghs_x",
    "GH_TOKEN": "x",
    "ACTIONS_RUNTIME_TOKEN": "x",
    "ACTIONS_ID_TOKEN_REQUEST_URL": "http://x",
    "AWS_ACCESS_KEY_ID": "AKIAX",
    "AWS_SECRET_ACCESS_KEY": "x",
    "AWS_SESSION_TOKEN": "x",
    "AZURE_CLIENT_SECRET": "x",
    "GOOGLE_APPLICATION_CREDENTIALS": "/k.json",
    "OPENAI_API_KEY": "sk-x",
    "ANTHROPIC_API_KEY": "x",
    "HF_TOKEN": "x",
    "NPM_TOKEN": "x",
    "CI_JOB_TOKEN": "x",
    "TWINE_PASSWORD": "x",
    "DATABASE_PASSWORD": "x",
    "MY_SERVICE_KEY": "x",
    "STRIPE_SECRET": "x",
    "SEMGREP_APP_TOKEN": "x",
    "SSH_AUTH_SOCK": "/tmp/agent",
    "PYTHONPATH": "/tmp/evil",
    "GIT_DIR": "/tmp/elsewhere",
    "LD_PRELOAD": "/tmp/evil.so",
}


@pytest.mark.parametrize("mode", ["default", "scanner-extras", "caller-passes-everything"])
def test_children_never_see_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    import os

    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    env: dict[str, str] | None
    if mode == "default":
        env = None
    elif mode == "scanner-extras":
        env = _process.scrubbed_env({"SEMGREP_SEND_METRICS": "off", "SEMGREP_APP_TOKEN": "x"})
    else:
        env = dict(os.environ)
    dump = "import json, os; print(json.dumps(dict(os.environ)))"
    done = _process.run([sys.executable, "-c", dump], cwd=tmp_path, timeout_s=60, env=env)
    seen = json.loads(done.stdout)
    leaked = sorted(k for k in CREDENTIALS if k in seen and mode != "caller-passes-everything")
    assert leaked == []
    if mode == "caller-passes-everything":
        # A caller handing over the whole environment still cannot pass a credential.
        assert sorted(k for k in seen if _process.is_credential(k)) == []
    else:
        assert "PATH" in seen
        assert seen["GIT_CONFIG_NOSYSTEM"] == "1"
    if mode == "scanner-extras":
        assert seen["SEMGREP_SEND_METRICS"] == "off"  # what the scanner needs passes


def test_only_the_process_module_starts_processes() -> None:
    spawners = {"subprocess", "multiprocessing", "pty", "pexpect"}
    calls = {"system", "popen", "spawnl", "spawnv", "spawnvp", "execv", "execvp", "fork"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "_process.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if any(n.split(".")[0] in spawners for n in [*names, module or ""]):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in calls
                and isinstance(node.value, ast.Name)
                and node.value.id == "os"
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} os.{node.attr}")
    assert offenders == []
