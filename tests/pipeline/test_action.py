"""action.yml, the workflows and the pre-commit manifest, checked by the real
validators and by running the action's report step on a saved JSON report."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import REPO, git
from tests.pipeline import wheelhouse
from tests.pipeline.tools import tool

ACTION = REPO / "action.yml"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
HOOKS = REPO / ".pre-commit-hooks.yaml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
# How GitHub runs a `shell: bash` step: errexit is on whatever the script sets.
GITHUB_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]


def _run(argv: list[str | Path], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, check=False
    )


def _action() -> dict[str, Any]:
    data = yaml.safe_load(ACTION.read_text())
    assert isinstance(data, dict)
    return data


def test_action_inputs_and_outputs() -> None:
    action = _action()
    assert set(action["inputs"]) == {
        "path", "config", "fail-on", "sarif-file", "html-file", "category", "baseline",
        "diff-base", "upload-sarif", "summary", "python-version",
    }  # fmt: skip
    assert set(action["outputs"]) == {"sarif-file", "html-file", "findings", "exit-code"}
    assert action["runs"]["using"] == "composite"


def test_action_scripts_take_inputs_only_through_env_and_pin_uses() -> None:
    steps = _action()["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", step.get("name")
            assert "${{" not in step["run"], step.get("name")
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "always()" in upload["if"] and "head.repo.full_name" in upload["if"]
    assert steps[-1]["if"] == "always()" and "exit" in steps[-1]["run"]


def test_workflows_pin_third_party_actions() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "scan.yml"}
    for path in WORKFLOWS:
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for step in job["steps"]:
                uses = step.get("uses")
                if uses and uses != "./":
                    assert PINNED.match(uses), (path.name, uses)


def test_action_yml_passes_the_schema_and_zizmor() -> None:
    done = _run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", ACTION])
    assert done.returncode == 0, done.stdout + done.stderr
    done = _run([tool("zizmor"), "--offline", ACTION])
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_would_catch_an_input_inside_run(tmp_path: Path) -> None:
    bad = ACTION.read_text().replace(
        'echo "exit-code=$code"', 'echo "exit-code=$code ${{ inputs.path }}"'
    )
    assert bad != ACTION.read_text()
    (tmp_path / "action.yml").write_text(bad)
    done = _run([tool("zizmor"), "--offline", tmp_path / "action.yml"])
    assert done.returncode != 0 and "template-injection" in done.stdout + done.stderr


def test_workflows_pass_actionlint_and_the_schema() -> None:
    done = _run([tool("actionlint"), *WORKFLOWS])
    assert done.returncode == 0, done.stdout + done.stderr
    done = _run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *WORKFLOWS]
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_manifest_is_valid() -> None:
    done = _run([tool("pre-commit"), "validate-manifest", HOOKS])
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text())}
    assert hooks["llmsecops"]["entry"].startswith("llmsecops scan")
    assert "--no-history" in hooks["llmsecops"]["entry"]
    assert hooks["llmsecops"]["require_serial"] is True
    assert hooks["llmsecops-repo"]["pass_filenames"] is False


def _finding(i: int, severity: str, **extra: Any) -> dict[str, Any]:
    return {
        "rule_id": f"llmsecops/rule-{i}",
        "severity": severity,
        "message": f"bad: thing, {i}\nsecond line",
        "location": {"path": f"src/f{i}.py", "start_line": i, "end_line": i},
        **extra,
    }


def test_report_step_writes_summary_at_most_10_annotations_and_the_count(
    tmp_path: Path,
) -> None:
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "report")
    findings = [_finding(i, "low") for i in range(1, 12)] + [
        _finding(20, "critical"),
        _finding(21, "high", suppression={"kind": "inline", "justification": "reviewed"}),
    ]
    report = tmp_path / "results.json"
    report.write_text(json.dumps({"findings": findings}))
    summary_src = tmp_path / "summary.md"
    summary_src.write_text("## llmsecops\n")
    out, summary = tmp_path / "out", tmp_path / "summary"
    env = {
        "PATH": os.environ["PATH"],
        "LLMSECOPS_BIN": str(Path(shutil.which("python3") or "python3").parent),
        "JSON_FILE": str(report),
        "SUMMARY_FILE": str(summary_src),
        "INPUT_PATH": "app",
        "INPUT_SUMMARY": "true",
        "GITHUB_OUTPUT": str(out),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = subprocess.run(
        [*GITHUB_BASH, step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 10
    assert annotations[0] == (
        "::error file=app/src/f20.py,line=20,endLine=20,"
        "title=llmsecops/rule-20 (critical)::bad: thing, 20%0Asecond line"
    )
    assert all(a.startswith("::notice ") for a in annotations[1:])
    assert "12 finding(s); 10 annotated" in lines[-1]
    assert out.read_text() == "findings=12\n"
    assert summary.read_text() == "## llmsecops\n"


# Stands in for the installed CLI: records its arguments, writes the reports
# it is asked for, exits with $FAKE_EXIT.
FAKE_LLMSECOPS = """#!/usr/bin/env bash
printf '%s\\n' "$@" >> "$ARGS_FILE"
while [[ $# -gt 0 ]]; do
  case "$1" in --sarif|--html|--json|--markdown) echo '{}' > "$2"; shift;; esac
  shift
done
exit "${FAKE_EXIT:-0}"
"""


def _run_scan_step(
    tmp_path: Path, exit_code: int = 0, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], list[str]]:
    """The action's Scan step, run as GitHub runs it, on a fake llmsecops.
    Returns the step's result, its outputs and the arguments llmsecops got."""
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "scan")
    bin_dir = tmp_path / "venv-bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "llmsecops"
    fake.write_text(FAKE_LLMSECOPS)
    fake.chmod(0o755)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    out, args = tmp_path / "github-output", tmp_path / "args"
    for f in (out, args):
        f.write_text("")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_OUTPUT": str(out),
        "LLMSECOPS_BIN": str(bin_dir),
        "ARGS_FILE": str(args),
        "FAKE_EXIT": str(exit_code),
        **{k: "" for k in step["env"] if k != "LLMSECOPS_BIN"},
        "INPUT_PATH": ".",
        **inputs,
    }
    done = subprocess.run(
        [*GITHUB_BASH, step["run"]], cwd=tmp_path / "repo", env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines())
    return done, outputs, args.read_text().splitlines()


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("x = 1\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    return repo


@pytest.mark.parametrize("code", [0, 1, 2, 3, 4])
def test_scan_step_saves_the_exit_code_and_report_paths_under_bash_e(
    tmp_path: Path, pr_repo: Path, code: int
) -> None:
    done, outputs, args = _run_scan_step(tmp_path, exit_code=code)
    assert done.returncode == 0, done.stderr
    assert outputs["exit-code"] == str(code)
    assert Path(outputs["sarif-file"]).is_file() and Path(outputs["html-file"]).is_file()
    assert args[:3] == ["scan", ".", "--no-progress"]
    assert "--diff-base" not in args and "--fail-on" not in args


def test_scan_step_gives_each_use_its_own_folder_and_creates_asked_for_ones(
    tmp_path: Path, pr_repo: Path
) -> None:
    _, first, _ = _run_scan_step(tmp_path)
    _, second, _ = _run_scan_step(tmp_path, INPUT_HTML_FILE="reports/a/r.html")
    assert Path(first["sarif-file"]).parent != Path(second["sarif-file"]).parent
    assert first["json-file"] != second["json-file"]
    assert second["html-file"] == "reports/a/r.html"
    assert (pr_repo / "reports" / "a" / "r.html").is_file()


def test_scan_step_diff_base_defaults_to_the_fetched_pr_base(tmp_path: Path, pr_repo: Path) -> None:
    pr = {"EVENT_NAME": "pull_request", "PR_BASE_REF": "main"}
    # Base branch not fetched: a warning, and the whole repository.
    done, _, args = _run_scan_step(tmp_path, **pr)
    assert "--diff-base" not in args
    assert "::warning title=llmsecops::origin/main is not fetched" in done.stdout
    git(pr_repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    for inputs, expected in [
        (pr, "origin/main"),
        ({**pr, "EVENT_NAME": "pull_request_target"}, "origin/main"),
        ({**pr, "INPUT_DIFF_BASE": "v1.0"}, "v1.0"),
        ({**pr, "INPUT_DIFF_BASE": "none"}, None),
        ({"EVENT_NAME": "push", "PR_BASE_REF": ""}, None),
        ({"EVENT_NAME": "push", "INPUT_DIFF_BASE": "main"}, "main"),
    ]:
        done, _, args = _run_scan_step(tmp_path, **inputs)
        assert done.returncode == 0, done.stderr
        got = args[args.index("--diff-base") + 1] if "--diff-base" in args else None
        assert got == expected, inputs


@pytest.mark.slow
@pytest.mark.e2e
def test_pre_commit_try_repo_end_to_end(tmp_path: Path) -> None:
    """Install the hook from a snapshot of this work tree (try-repo only sees
    commits) and run it on a fixture repository with one risky file."""
    pre_commit = tool("pre-commit")
    snapshot = tmp_path / "llmsecops-src"
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            dest = snapshot / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-q", "-m", "snapshot")

    fixture = tmp_path / "fixture"
    fixture.mkdir()
    (fixture / "app.py").write_text(
        "import subprocess\n\n\ndef f(cmd):\n    subprocess.call(cmd, shell=True)\n"
    )
    (fixture / "clean.py").write_text("import json\n\n\ndef g(x):\n    return json.dumps(x)\n")
    git(fixture, "init", "-q", "-b", "main")
    git(fixture, "add", "-A")
    git(fixture, "commit", "-q", "-m", "init")
    house = wheelhouse.location()
    if not house.is_dir():
        pytest.fail(
            "run 'python -m tests.pipeline.wheelhouse' first (the README's test command does)"
        )
    # pre-commit pip-installs the hook: from the local wheelhouse, never the network.
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(house),
    }

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(snapshot), *args],
            cwd=fixture, env=env, capture_output=True, text=True, timeout=1200, check=False,
        )  # fmt: skip

    risky = try_repo("llmsecops", "--files", "app.py")
    assert risky.returncode == 1, risky.stdout + risky.stderr
    assert "app.py:5 bandit/B602" in risky.stdout
    assert "scanned 1 file(s)" in risky.stdout

    clean = try_repo("llmsecops", "--files", "clean.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    whole = try_repo("llmsecops-repo", "--all-files")
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert "scanned 2 file(s)" in whole.stdout
