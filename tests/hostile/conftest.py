"""Builders for hostile repositories and a way to scan them as a user would.

Each scan runs the real CLI in a child process with a wall-clock budget, so
a hang fails the test instead of stalling the suite, and a traceback shows up
in stderr exactly as a user would see it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import git

# Generous: these run beside other agents on two shared cores. A hang is
# minutes, not seconds, so the budget still catches it.
SCAN_BUDGET_S = 240


@dataclass(frozen=True)
class Scan:
    code: int
    stdout: str
    stderr: str
    reports: dict[str, str]  # format -> text written

    def json(self) -> dict[str, object]:
        return json.loads(self.reports["json"])  # type: ignore[no-any-return]


def scan(
    root: Path,
    *args: str | Path,
    tmp: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    formats: tuple[str, ...] = ("json", "sarif", "html", "markdown"),
    budget_s: float = SCAN_BUDGET_S,
) -> Scan:
    """``llmsecops scan ROOT ARGS`` in a child process, writing the reports asked for."""
    out = tmp / f"reports-{len(list(tmp.glob('reports-*')))}"
    out.mkdir()
    argv = [sys.executable, "-c", "from llmsecops.cli.main import run; run()", "scan"]
    argv += ["--no-progress", str(root), *map(str, args)]
    for fmt in formats:
        argv += [f"--{fmt}", str(out / f"report.{fmt}")]
    child_env = {**os.environ, **(env or {})}
    # No test leaves this machine: any vulnerability-service request hits a closed port.
    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        child_env[var] = "http://127.0.0.1:9"
    child_env.pop("NO_PROXY", None)
    child_env.pop("no_proxy", None)
    done = subprocess.run(
        argv,
        cwd=cwd or tmp,
        capture_output=True,
        timeout=budget_s,
        env=child_env,
        check=False,
    )
    reports = {
        fmt: (out / f"report.{fmt}").read_text(encoding="utf-8")
        for fmt in formats
        if (out / f"report.{fmt}").exists()
    }
    return Scan(
        code=done.returncode,
        stdout=done.stdout.decode("utf-8"),
        stderr=done.stderr.decode("utf-8"),
        reports=reports,
    )


def all_output(result: Scan) -> str:
    return "\n".join([result.stdout, result.stderr, *result.reports.values()])


def assert_no_traceback(result: Scan) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr


def commit_all(root: Path, message: str = "c") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", message)


def init_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    return root


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    """A directory where anything the scanned repository manages to run leaves a file."""
    folder = tmp_path / "markers"
    folder.mkdir()
    return folder


def marker_script(markers: Path, name: str) -> Path:
    """An executable that records it ran (and passes stdin through, so git
    drivers that expect output get it)."""
    script = markers.parent / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text(f"#!/bin/sh\ntouch '{markers / name}'\ncat 2>/dev/null\nexit 0\n")
    script.chmod(0o755)
    return script
