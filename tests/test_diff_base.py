"""PR scans: --diff-base reports only findings on lines changed since the merge base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmsecops.cli.main import main
from llmsecops.workspace import changed_lines
from tests.helpers import git

OLD = "import subprocess\n\n\ndef old(cmd):\n    subprocess.call(cmd, shell=True)\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "a.py").write_text(OLD)
    (root / "requirements.txt").write_text("requests==2.19.1\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    (root / "a.py").write_text(OLD + "\n\ndef new(code):\n    eval(code)\n")
    git(root, "commit", "-q", "-am", "feature")
    (root / "b.py").write_text("import os\nos.system(input())\n")  # untracked: all new
    return root


def test_changed_lines_include_commits_edits_and_untracked_files(repo: Path) -> None:
    changed = changed_lines(repo, "main")
    assert changed["a.py"] == {6, 7, 8, 9}
    assert changed["b.py"] == {0}
    assert "requirements.txt" not in changed


def test_only_findings_on_changed_lines_are_reported(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "scan",
        str(repo),
        "--only",
        "bandit",
        "--json",
        "-",
        "-q",
        "--no-progress",
        "--fail-on",
        "none",
    ]
    main(args)
    everything = {
        (f["location"]["path"], f["rule_id"])
        for f in json.loads(capsys.readouterr().out)["findings"]
    }
    assert ("a.py", "bandit/B602") in everything
    main([*args, "--diff-base", "main"])
    report = json.loads(capsys.readouterr().out)
    found = {
        (f["location"]["path"], f["rule_id"], f["location"]["start_line"])
        for f in report["findings"]
    }
    assert ("a.py", "bandit/B307", 9) in found
    assert ("b.py", "bandit/B605", 2) in found
    assert not any(rule == "bandit/B602" for _, rule, _ in found)  # old line, not reported


def test_unknown_ref_and_shallow_clone_are_usage_errors(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(repo), "--diff-base", "nope", "--no-progress"]) == 2
    assert "--diff-base: unknown ref 'nope'" in capsys.readouterr().err
    shallow = tmp_path / "shallow"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "feature",
        f"file://{repo}",
        str(shallow),
    )
    assert main(["scan", str(shallow), "--diff-base", "HEAD~1", "--no-progress"]) == 2
    assert "shallow" in capsys.readouterr().err
