from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from llmsecops.cli.main import main
from llmsecops.config import load_file
from tests.pipeline.tools import tool

CONFIG = Path(".llmsecops.yml")
WORKFLOW = Path(".github/workflows/llmsecops.yml")
PRE_COMMIT = Path(".pre-commit-config.yaml")


def test_init_writes_all_three_files_and_the_config_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    for rel in (CONFIG, WORKFLOW, PRE_COMMIT):
        assert (tmp_path / rel).is_file()
        assert f"created {rel.as_posix()}" in err
    cfg = load_file(tmp_path / CONFIG)
    assert cfg.fail_on is not None and cfg.fail_on.label == "high"
    assert set(cfg.scanners) == {"bandit", "semgrep", "secrets", "dependencies"}
    text = (tmp_path / CONFIG).read_text()
    for key in (
        "fail-on",
        "exclude",
        "max-file-size",
        "max-token-age",
        "history",
        "scanners",
        "rules",
        "require-pinned",
    ):
        assert f"\n{key}:" in text or f"  {key}:" in text, key
    workflow = yaml.safe_load((tmp_path / WORKFLOW).read_text())
    steps = workflow["jobs"]["llmsecops"]["steps"]
    assert any(s.get("uses", "").startswith("llmsecops/llmsecops@") for s in steps)
    hooks = yaml.safe_load((tmp_path / PRE_COMMIT).read_text())["repos"]
    assert hooks[0]["repo"] == "https://github.com/llmsecops/llmsecops"
    assert hooks[0]["hooks"] == [{"id": "llmsecops"}]


def test_init_never_overwrites_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    (tmp_path / CONFIG).write_text("fail-on: low\n")
    capsys.readouterr()
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "skipped .llmsecops.yml: already exists" in err
    assert "nothing written" in err
    assert (tmp_path / CONFIG).read_text() == "fail-on: low\n"

    assert main(["init", "--force", str(tmp_path)]) == 0
    assert "overwritten .llmsecops.yml" in capsys.readouterr().err
    assert load_file(tmp_path / CONFIG).fail_on.label == "high"  # type: ignore[union-attr]
    # the pre-commit file is never duplicated, even with --force
    assert (tmp_path / PRE_COMMIT).read_text().count(
        "repo: https://github.com/llmsecops/llmsecops"
    ) == 1


def test_init_writes_what_is_missing_and_reports_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / CONFIG).write_text("fail-on: none\n")
    assert main(["init", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "skipped .llmsecops.yml" in err
    assert "created .github/workflows/llmsecops.yml" in err
    assert (tmp_path / CONFIG).read_text() == "fail-on: none\n"


def test_init_appends_to_an_existing_pre_commit_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = (
        "default_stages: [pre-commit]\n"
        "repos:\n"
        "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "    rev: v0.6.0\n"
        "    hooks:\n"
        "      - id: ruff\n"
    )
    (tmp_path / PRE_COMMIT).write_text(existing)
    assert main(["init", str(tmp_path)]) == 0
    assert "added the llmsecops hook to .pre-commit-config.yaml" in capsys.readouterr().err
    text = (tmp_path / PRE_COMMIT).read_text()
    assert text.startswith(existing)
    repos = yaml.safe_load(text)["repos"]
    assert [r["repo"] for r in repos] == [
        "https://github.com/astral-sh/ruff-pre-commit",
        "https://github.com/llmsecops/llmsecops",
    ]


@pytest.mark.parametrize(
    "existing",
    [
        "repos:\n  - repo: local\n    hooks: []\nci:\n  autofix_prs: false\n",  # repos not last
        "repos: [\n",  # not YAML
    ],
)
def test_init_leaves_a_pre_commit_config_it_cannot_append_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    (tmp_path / PRE_COMMIT).write_text(existing)
    assert main(["init", str(tmp_path)]) == 0
    assert "skipped .pre-commit-config.yaml" in capsys.readouterr().err
    assert (tmp_path / PRE_COMMIT).read_text() == existing


def test_init_on_a_missing_directory_is_a_one_line_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a directory" in err


def test_generated_files_pass_the_validators(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path)]) == 0
    actionlint = tool("actionlint")
    schema = tool("check-jsonschema")
    pre_commit = tool("pre-commit")
    workflow = str(tmp_path / WORKFLOW)
    for argv in (
        [str(actionlint), workflow],
        [str(schema), "--builtin-schema", "vendor.github-workflows", workflow],
        [str(pre_commit), "validate-config", str(tmp_path / PRE_COMMIT)],
    ):
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (argv, done.stdout, done.stderr)
