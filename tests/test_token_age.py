"""Token age from git history, on real repositories with backdated commits."""

from __future__ import annotations

import json
import random
import string
import time
from pathlib import Path
from typing import Any

import pytest

from llmsecops.cli.main import main
from tests.helpers import git

pytestmark = pytest.mark.e2e
_rng = random.Random(90210)  # noqa: S311 - test data
DAY = 86400


def key() -> str:
    return "sk-proj-" + "".join(
        _rng.choice(string.ascii_letters + string.digits) for _ in range(64)
    )


def commit(repo: Path, message: str, days_ago: int) -> None:
    stamp = f"@{int(time.time()) - days_ago * DAY} +0000"
    git(repo, "add", "-A")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        message,
        env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
    )


def scan(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code = main(
        ["scan", str(repo), "--only", "secrets", "--json", "-", "--no-progress", "-q", *extra]
    )
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


def by_rule(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule_id"] == rule]


def secrets_notes(report: dict[str, Any]) -> list[str]:
    return next(s for s in report["scanners"] if s["name"] == "secrets")["notes"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("# app\n")
    commit(root, "init", 400)
    return root


def test_an_old_secret_still_in_the_tree_is_unrotated(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = key()
    (repo / "settings.py").write_text(f'import os\nOPENAI_KEY = "{old}"\n')
    commit(repo, "add settings", 200)
    report = scan(repo, capsys)
    (hard_coded,) = by_rule(report, "secrets/openai-api-key")
    (unrotated,) = by_rule(report, "llmsecops/unrotated-token")
    assert unrotated["location"] == hard_coded["location"]
    assert unrotated["location"]["path"] == "settings.py"
    assert unrotated["location"]["start_line"] == 2
    assert unrotated["severity"] == "high"
    assert "first committed 200 days ago" in unrotated["message"]
    assert old not in json.dumps(report)
    assert "git history: 2 commit(s) read for token age" in secrets_notes(report)


def test_a_fresh_secret_is_only_a_hard_coded_secret(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "settings.py").write_text(f'KEY = "{key()}"\n')
    commit(repo, "add settings", 10)
    report = scan(repo, capsys)
    assert len(by_rule(report, "secrets/openai-api-key")) == 1
    assert by_rule(report, "llmsecops/unrotated-token") == []
    assert by_rule(report, "llmsecops/leaked-token-in-history") == []


def test_max_token_age_comes_from_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "settings.py").write_text(f'KEY = "{key()}"\n')
    (repo / ".llmsecops.yml").write_text("max-token-age: 5\n")
    commit(repo, "add settings", 10)
    assert len(by_rule(scan(repo, capsys), "llmsecops/unrotated-token")) == 1


def test_a_secret_removed_from_the_tree_is_leaked_in_history(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = key()
    (repo / "old_config.py").write_text(f'API_KEY = "{gone}"\n')
    commit(repo, "add config", 120)
    (repo / "old_config.py").unlink()
    commit(repo, "remove key", 100)
    report = scan(repo, capsys)
    (leaked,) = by_rule(report, "llmsecops/leaked-token-in-history")
    assert leaked["location"]["path"] == "old_config.py"
    assert leaked["location"]["start_line"] == 1
    assert "no longer in the working tree" in leaked["message"]
    assert gone not in json.dumps(report)
    assert gone[:4] in leaked["message"]


def test_history_bounds_and_opt_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = key()
    (repo / "a.py").write_text(f'K = "{gone}"\n')
    commit(repo, "add", 50)
    (repo / "a.py").write_text("K = None\n")
    commit(repo, "remove", 40)
    for _ in range(3):
        (repo / "README.md").write_text(f"# app {_rng.random()}\n")
        commit(repo, "docs", 5)
    assert len(by_rule(scan(repo, capsys), "llmsecops/leaked-token-in-history")) == 1
    assert (
        by_rule(scan(repo, capsys, "--history-depth", "3"), "llmsecops/leaked-token-in-history")
        == []
    )
    assert (
        by_rule(
            scan(repo, capsys, "--history-since", "20 days ago"),
            "llmsecops/leaked-token-in-history",
        )
        == []
    )
    report = scan(repo, capsys, "--no-history")
    assert by_rule(report, "llmsecops/leaked-token-in-history") == []
    assert "git history not read (disabled): token age not checked" in secrets_notes(report)


def test_a_shallow_clone_reports_history_unavailable(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "a.py").write_text("x = 1\n")
    commit(repo, "more", 3)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    report = scan(clone, capsys)
    notes = secrets_notes(report)
    assert any(
        "git history unavailable (shallow clone" in n and "fetch-depth: 0" in n for n in notes
    )


def test_bad_history_since_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(repo), "--history-since", "$(touch x)", "--no-progress"]) == 2
    assert "--history-since: expected a date" in capsys.readouterr().err


def test_a_rescan_with_no_new_commit_reuses_the_history_read(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from llmsecops.checks import token_age

    monkeypatch.setenv("LLMSECOPS_CACHE_DIR", str(tmp_path / "cache"))
    reads: list[str] = []
    real = token_age._read_log

    def counting(root: Path, *args: Any, **kwargs: Any) -> token_age.History:
        reads.append(str(root))
        return real(root, *args, **kwargs)

    monkeypatch.setattr(token_age, "_read_log", counting)
    old, gone = key(), key()
    (repo / "settings.py").write_text(f'OPENAI_KEY = "{old}"\n')
    (repo / "old.py").write_text(f'K = "{gone}"\n')
    commit(repo, "add keys", 200)
    (repo / "old.py").unlink()
    commit(repo, "remove one", 150)

    def age_findings(report: dict[str, Any]) -> list[tuple[str, str, int, str]]:
        return sorted(
            (f["rule_id"], f["location"]["path"], f["location"]["start_line"], f["message"])
            for f in report["findings"]
            if f["rule_id"].startswith("llmsecops/")
        )

    first = scan(repo, capsys)
    assert [r for r, *_ in age_findings(first)] == [
        "llmsecops/leaked-token-in-history",
        "llmsecops/unrotated-token",
    ]
    again = scan(repo, capsys)
    assert len(reads) == 1  # the same HEAD and secrets: the stored read
    assert age_findings(again) == age_findings(first)
    assert secrets_notes(again) == secrets_notes(first)
    # The store holds previews and digests, never a value.
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert old.encode() not in stored and gone.encode() not in stored
    # A new commit, or a new secret in the tree, means a new read.
    (repo / "notes.md").write_text("more\n")
    commit(repo, "notes", 1)
    scan(repo, capsys)
    assert len(reads) == 2
    (repo / "more.py").write_text(f'K2 = "{key()}"\n')
    scan(repo, capsys)
    assert len(reads) == 3
    # --no-cache reads it afresh.
    scan(repo, capsys, "--no-cache")
    assert len(reads) == 4


def test_a_stored_history_read_round_trips_and_junk_is_ignored() -> None:
    from llmsecops.checks import token_age

    seen = token_age.Sighting("ab12", "sk-p… (72 chars)", "c0ffee", 1700000000, "a.py", 3, "K = …")
    history = token_age.History(True, "", 7, {"ab12": seen}, {"ab12": seen})
    assert token_age.load(token_age.dump(history)) == history
    assert token_age.load("not json") is None
    assert token_age.load('{"commits": 1}') is None
    assert token_age.store_key("h1", ["a"], None, None) != token_age.store_key(
        "h2", ["a"], None, None
    )
    assert token_age.store_key("h1", ["a", "b"], None, None) == token_age.store_key(
        "h1", ["b", "a", "a"], None, None
    )
    assert "secret-value" not in token_age.store_key("h1", ["secret-value"], None, None)
