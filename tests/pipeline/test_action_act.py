"""The composite action run end to end by act (nektos/act) in host mode.

Three act runs, started together: a push, a pull request from the same
repository and one from a fork, each on a fixture git repository with a
small vulnerable Python project. The fixture's workflows use the action as
users do, ``llmsecops/llmsecops@v1``, which act's ``--local-repository`` maps
to a snapshot of this work tree; every other ``uses:`` (checkout,
setup-python, upload-sarif, upload-artifact) maps to a local stub that
records its inputs. No Docker, no GitHub.

The action installs llmsecops into a venv under $RUNNER_TEMP as it does on
GitHub; pip is pointed (PIP_NO_INDEX, PIP_FIND_LINKS) at a wheelhouse of the
exact versions installed in this test environment, which
``python -m tests.pipeline.wheelhouse`` downloads before the tests run (the
README's test command does), so this test uses no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import REPO, git
from tests.pipeline import wheelhouse
from tests.pipeline.tools import tool

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ACTION_USES = "llmsecops/llmsecops@v1"
CHECKOUT_USES = "actions/checkout@v6"
ACT_TIMEOUT_S = 1200
REPOSITORY = "acme/app"
CLOSED_PROXIES = {
    v: "http://127.0.0.1:9" for v in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")
}

# The inputs each stubbed action declares: the real actions' input names, so
# a misspelt `with:` key in action.yml reaches no stub and fails a test.
STUB_INPUTS: dict[str, tuple[str, ...]] = {
    "actions/checkout": ("fetch-depth", "persist-credentials"),
    "actions/setup-python": ("python-version",),
    "github/codeql-action/upload-sarif": ("sarif_file", "category"),
    "actions/upload-artifact": ("name", "path", "if-no-files-found", "overwrite"),
}

VULNERABLE_APP = "import subprocess\n" + "".join(
    f"\n\ndef task_{i}(cmd):\n    subprocess.call(cmd, shell=True)\n" for i in range(13)
)  # bandit: B404 on line 1 and 13 x B602 (high): more than 10 annotations
PR_CHANGE = "import subprocess\n\n\ndef deploy(cmd):\n    subprocess.run(cmd, shell=True)\n"
# semgrep's rule loading alone takes 15-30 s here; the action, not the
# scanners, is under test (and the config input is exercised).
# The audit profile reports every finding, so the counts below are the tools' own.
CONFIG = "profile: audit\nscanners:\n  semgrep: {enabled: false}\n"
ALL_FINDINGS = 16  # app.py: 14, feature.py (the pull request's change): 2

# The last step of each fixture job: the action's outputs and reports, kept
# where the test can read them (act deletes the runner's folders).
COLLECT = """\
import json, os, shutil
steps = json.loads(os.environ["STEPS"])
results = os.environ["RESULTS"]
for sid, step in steps.items():
    for key in ("sarif-file", "html-file"):
        if step["outputs"].get(key):
            shutil.copy(step["outputs"][key], os.path.join(results, f"{sid}.{key}"))
with open(os.path.join(results, "steps.json"), "w") as fh:
    json.dump(steps, fh)
"""


def _job(*uses_steps: dict[str, Any]) -> dict[str, Any]:
    checkout = {"uses": CHECKOUT_USES, "with": {"fetch-depth": 0, "persist-credentials": False}}
    collect = {
        "name": "collect",
        "if": "always()",
        "env": {"STEPS": "${{ toJSON(steps) }}"},
        "run": f"python3 - <<'PY'\n{COLLECT}PY\n",
    }
    steps = [checkout, *({"uses": ACTION_USES, **s} for s in uses_steps), collect]
    return {"jobs": {"scan": {"runs-on": "ubuntu-latest", "steps": steps}}}


WORKFLOWS: dict[str, tuple[str, dict[str, Any]]] = {
    # run name: (event, workflow)
    "push": (
        "push",
        _job(
            {
                "id": "lenient",
                "with": {
                    "config": "ci/llmsecops.yml",
                    "fail-on": "none",
                    "category": "lenient",
                    "html-file": "reports/lenient.html",
                },
            },
            {
                "id": "strict",
                "with": {"config": "ci/llmsecops.yml", "category": "strict", "python-version": ""},
            },
        ),
    ),
    "pr": (
        "pull_request",
        _job({"id": "pr", "with": {"config": "ci/llmsecops.yml", "python-version": ""}}),
    ),
    "fork": (
        "pull_request",
        _job(
            {
                "id": "fork",
                "with": {
                    "config": "ci/llmsecops.yml",
                    "fail-on": "none",
                    "diff-base": "none",
                    "python-version": "",
                    "summary": "false",
                },
            }
        ),
    ),
}


@dataclass
class ActRun:
    returncode: int
    log: list[dict[str, Any]]
    stubs: list[dict[str, Any]]
    steps: dict[str, Any]
    results: Path
    text: str  # act's output, for assertion messages

    def job_result(self) -> str | None:
        return next((e["jobResult"] for e in self.log if "jobResult" in e), None)

    def entries(self, *step_id: str) -> list[dict[str, Any]]:
        return [e for e in self.log if e.get("stepID", [])[: len(step_id)] == list(step_id)]

    def annotations(self, *step_id: str) -> list[dict[str, Any]]:
        kinds = ("error", "warning", "notice")
        return [e for e in self.entries(*step_id) if e.get("command") in kinds]

    def stdout(self, *step_id: str) -> str:
        return "".join(e["msg"] for e in self.entries(*step_id) if e.get("raw_output"))

    def outputs(self, step_id: str) -> dict[str, str]:
        outputs = self.steps[step_id]["outputs"]
        assert isinstance(outputs, dict)
        return outputs

    def calls(self, stub: str) -> list[dict[str, str]]:
        return [s["inputs"] for s in self.stubs if s["stub"] == stub]

    def sarif(self, step_id: str) -> dict[str, Any]:
        data = json.loads((self.results / f"{step_id}.sarif-file").read_text())
        assert isinstance(data, dict)
        return data


# ---------------------------------------------------------------- set-up


def _wheelhouse() -> Path:
    house = wheelhouse.location()
    if not house.is_dir():
        pytest.fail(
            "the action's wheels are not downloaded: run 'python -m tests.pipeline.wheelhouse' "
            "first (the README's test command does)"
        )
    return house


def _snapshot(dest: Path) -> Path:
    """This work tree as the action's checkout: tracked and untracked files."""
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _stub(root: Path, uses: str) -> str:
    """A local action that appends its inputs to $STUB_RECORD, as act's
    --local-repository argument for `uses`."""
    name, ref = uses.split("@")
    assert name in STUB_INPUTS, f"{uses}: add a stub (act would fetch it from GitHub)"
    owner, repo, *sub = name.split("/")
    folder = root / f"{owner}+{repo}@{ref}"
    action = {
        "name": f"stub {name}",
        "description": "Records its inputs.",
        "inputs": {i: {"description": i, "required": False} for i in STUB_INPUTS[name]},
        "runs": {
            "using": "composite",
            "steps": [
                {
                    "shell": "bash",
                    "env": {"STUB": name, "INPUTS": "${{ toJSON(inputs) }}"},
                    "run": 'python3 -c \'import json, os; print(json.dumps({"stub": '
                    'os.environ["STUB"], "inputs": json.loads(os.environ["INPUTS"])}))\''
                    ' >> "$STUB_RECORD"\n',
                }
            ],
        },
    }
    (folder / "/".join(sub)).mkdir(parents=True, exist_ok=True)
    (folder / "/".join(sub) / "action.yml").write_text(yaml.safe_dump(action, sort_keys=False))
    return f"{owner}/{repo}@{ref}={folder}"


def _remote_uses() -> set[str]:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    return {s["uses"] for s in action["runs"]["steps"] if "uses" in s} | {CHECKOUT_USES}


def _fixture(root: Path) -> tuple[Path, str, str]:
    """A git repository: main with a vulnerable app, a pull-request branch
    `feature` adding one more risky file, origin/main fetched."""
    repo = root / "app"
    (repo / "ci").mkdir(parents=True)
    (repo / "app.py").write_text(VULNERABLE_APP)
    (repo / "ci" / "llmsecops.yml").write_text(CONFIG)
    workflows = repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for name, (event, workflow) in WORKFLOWS.items():
        (workflows / f"{name}.yml").write_text(
            yaml.safe_dump({"name": name, "on": event, **workflow}, sort_keys=False)
        )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "remote", "add", "origin", f"https://github.com/{REPOSITORY}.git")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "app")
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-ref", "refs/remotes/origin/main", base)
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "feature.py").write_text(PR_CHANGE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    return repo, base, git(repo, "rev-parse", "HEAD").strip()


def _event(name: str, base: str, head: str) -> dict[str, Any]:
    repository = {"full_name": REPOSITORY, "name": "app", "owner": {"login": "acme"}}
    if name == "push":
        return {"ref": "refs/heads/feature", "before": base, "after": head,
                "repository": repository}  # fmt: skip
    head_repo = REPOSITORY if name == "pr" else "mallory/app"
    return {
        "action": "opened",
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"ref": "main", "sha": base, "repo": {"full_name": REPOSITORY}},
            "head": {"ref": "feature", "sha": head, "repo": {"full_name": head_repo}},
        },
        "repository": repository,
    }


def _act_env(root: Path, wheelhouse: Path) -> dict[str, str]:
    # The runner's python3 is the interpreter running these tests (the
    # wheelhouse matches it), never a venv's.
    bin_dir = root / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(os.path.realpath(sys.executable))
    home = root / "home"
    home.mkdir()
    inherited = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "RUNNER_", "ACTIONS_", "INPUT_", "ACT_", "PIP_"))
    }  # fmt: skip
    return {
        **inherited,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),  # no ~/.actrc, no user pip config
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
        **CLOSED_PROXIES,  # nothing in the job may reach the network
    }


def _finished(code: int, work: Path, log: Path) -> ActRun:
    text = log.read_text(errors="replace")
    entries = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    record = work / "stubs.jsonl"
    stubs = [json.loads(x) for x in record.read_text().splitlines()] if record.exists() else []
    steps_file = work / "results" / "steps.json"
    steps = json.loads(steps_file.read_text()) if steps_file.exists() else {}
    return ActRun(code, entries, stubs, steps, work / "results", text[-20000:])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ActRun]]:
    act = tool("act")
    root = tmp_path_factory.mktemp("act")
    house = _wheelhouse()
    snapshot = _snapshot(root / "llmsecops")
    local = [f"{ACTION_USES}={snapshot}"] + [_stub(root / "stubs", u) for u in _remote_uses()]
    repo, base, head = _fixture(root)
    env = _act_env(root, house)

    started: dict[str, tuple[subprocess.Popen[bytes], Path, Path]] = {}
    try:
        for name, (event, _) in WORKFLOWS.items():
            work = root / f"run-{name}"
            results = work / "results"
            results.mkdir(parents=True)
            payload = work / "event.json"
            payload.write_text(json.dumps(_event(name, base, head)))
            argv = [
                str(act), event, "--json", "-W", f".github/workflows/{name}.yml",
                "-e", str(payload), "-P", "ubuntu-latest=-self-hosted",
                "--action-cache-path", str(work / "cache"), "--no-cache-server",
                "--env", f"STUB_RECORD={work / 'stubs.jsonl'}", "--env", f"RESULTS={results}",
                *(a for spec in local for a in ("--local-repository", spec)),
            ]  # fmt: skip
            log = work / "act.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(argv, cwd=repo, env=env, stdout=out, stderr=out)
            started[name] = (proc, work, log)
        yield {
            name: _finished(proc.wait(timeout=ACT_TIMEOUT_S), work, log)
            for name, (proc, work, log) in started.items()
        }
    finally:
        for proc, _, _ in started.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


# ---------------------------------------------------------------- tests


def test_push_sets_the_outputs_and_fails_the_job_with_the_scan_exit_code(
    runs: dict[str, ActRun],
) -> None:
    run = runs["push"]
    assert run.returncode != 0 and run.job_result() == "failure", run.text
    lenient, strict = run.outputs("lenient"), run.outputs("strict")
    assert run.steps["lenient"]["outcome"] == "success", run.text
    assert lenient["exit-code"] == "0" and lenient["findings"] == str(ALL_FINDINGS)
    assert run.steps["strict"]["outcome"] == "failure"
    assert strict["exit-code"] == "1" and strict["findings"] == str(ALL_FINDINGS)
    # The last step exits with the scan's code; nothing earlier failed.
    failed = [e["stepID"] for e in run.log if e.get("stepResult") == "failure"]
    assert failed == [["strict", "exit"], ["strict"]], failed
    assert any(e.get("msg") == "exit status 1" for e in run.entries("strict", "exit"))
    assert "scan exited with code 1" in run.annotations("strict", "exit")[0]["arg"]
    assert run.annotations("lenient", "exit") == []
    # The reports exist where the outputs say (the collect step copied them),
    # each use of the action in its own folder.
    assert lenient["html-file"] == "reports/lenient.html"
    assert strict["html-file"].endswith("/report.html") and os.path.isabs(strict["html-file"])
    assert lenient["sarif-file"] != strict["sarif-file"]
    for sid in ("lenient", "strict"):
        results = run.sarif(sid)["runs"][0]["results"]
        assert len(results) == ALL_FINDINGS
        assert "<html" in (run.results / f"{sid}.html-file").read_text().lower()


def test_job_summary_and_at_most_10_annotations_then_a_count(runs: dict[str, ActRun]) -> None:
    run = runs["push"]
    for sid in ("lenient", "strict"):
        summaries = [e["content"] for e in run.entries(sid) if e.get("command") == "summary"]
        assert len(summaries) == 1, run.text
        assert summaries[0].startswith("## llmsecops scan")
        assert f"{ALL_FINDINGS} in total" in summaries[0]
        notes = run.annotations(sid, "report")
        assert len(notes) == 10, notes
        # Most severe first: the 14 high findings fill all 10.
        assert {n["command"] for n in notes} == {"error"}
        assert {n["kvPairs"]["file"] for n in notes} <= {"app.py", "feature.py"}
        assert all(n["kvPairs"]["title"] == "bandit/B602 (high)" for n in notes)
        count = f"llmsecops: {ALL_FINDINGS} finding(s); 10 annotated here"
        assert count in run.stdout(sid, "report")
    strict = next(e["content"] for e in run.entries("strict") if e.get("command") == "summary")
    assert "14 finding(s) at or above `high`" in strict


def test_push_passes_the_reports_to_upload_sarif_and_upload_artifact(
    runs: dict[str, ActRun],
) -> None:
    run = runs["push"]
    out = {sid: run.outputs(sid) for sid in ("lenient", "strict")}
    assert run.calls("github/codeql-action/upload-sarif") == [
        {"sarif_file": out["lenient"]["sarif-file"], "category": "lenient"},
        {"sarif_file": out["strict"]["sarif-file"], "category": "strict"},
    ]
    assert run.calls("actions/upload-artifact") == [
        {"name": f"llmsecops-report-{sid}", "path": out[sid]["html-file"],
         "if-no-files-found": "ignore", "overwrite": "true"}
        for sid in ("lenient", "strict")
    ]  # fmt: skip
    # python-version defaults to 3.12; "" keeps the runner's python3.
    assert run.calls("actions/setup-python") == [{"python-version": "3.12"}]


def test_pull_request_scans_only_the_change_since_the_base_branch(
    runs: dict[str, ActRun],
) -> None:
    run = runs["pr"]
    assert run.returncode != 0 and run.job_result() == "failure", run.text
    out = run.outputs("pr")
    assert out["exit-code"] == "1" and out["findings"] == "2", run.text
    paths = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in run.sarif("pr")["runs"][0]["results"]
    }
    assert paths == {"feature.py"}
    assert run.annotations("pr", "scan") == []  # origin/main was there: no warning
    assert run.calls("github/codeql-action/upload-sarif") == [
        {"sarif_file": out["sarif-file"], "category": "llmsecops"}
    ]


def test_fork_pull_request_skips_the_sarif_upload_and_passes_with_fail_on_none(
    runs: dict[str, ActRun],
) -> None:
    run = runs["fork"]
    assert run.returncode == 0 and run.job_result() == "success", run.text
    out = run.outputs("fork")
    assert out["exit-code"] == "0" and out["findings"] == str(ALL_FINDINGS)  # diff-base: none
    assert run.calls("github/codeql-action/upload-sarif") == []
    assert [c["path"] for c in run.calls("actions/upload-artifact")] == [out["html-file"]]
    assert len(run.annotations("fork", "report")) == 10
    assert [e for e in run.log if e.get("command") == "summary"] == []  # summary: false
