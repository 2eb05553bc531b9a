"""A non-editable install finds the bundled rules and docs inside the wheel."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

VULNERABLE = """
from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI()


@app.get("/ask")
def ask(question: str):
    prompt = "Answer like a pirate: " + question
    return client.chat.completions.create(
        model="m", max_tokens=300, messages=[{"role": "user", "content": prompt}]
    )
"""


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=600, **kwargs)  # type: ignore[call-overload,no-any-return]


def test_wheel_install_scans_with_bundled_rules(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(REPO),
        ]
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = dist.glob("llmsecops-*.whl")

    venv = tmp_path / "fresh"
    assert run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    py = venv / "bin" / "python"
    installed = run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)])
    assert installed.returncode == 0, installed.stderr[-2000:]
    # Dependencies come from the test environment; the package itself only from the wheel.
    fresh_site = Path(
        run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    deps = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (fresh_site / "test-deps.pth").write_text("\n".join(deps) + "\n")

    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(VULNERABLE)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)

    where = run(
        [str(py), "-c", "from llmsecops import rulepack; print(rulepack.rules_dir())"],
        cwd=app,
        env=env,
    )
    assert where.stdout.strip() == str(fresh_site / "llmsecops" / "_rules")

    scanned = run(
        [
            str(py),
            "-m",
            "llmsecops",
            "scan",
            ".",
            "--only",
            "semgrep",
            "--json",
            "-",
            "--no-progress",
        ],
        cwd=app,
        env=env,
    )
    assert scanned.returncode == 0, scanned.stderr  # medium finding, fail-on high
    report = json.loads(scanned.stdout)
    assert [
        (f["rule_id"], f["location"]["path"], f["location"]["start_line"])
        for f in report["findings"]
    ] == [("llmsecops/prompt-concat", "main.py", 13)]
    explained = run(
        [str(venv / "bin" / "llmsecops"), "rules", "explain", "llmsecops/prompt-concat"],
        cwd=app,
        env=env,
    )
    assert explained.returncode == 0 and "CWE-1427" in explained.stdout
