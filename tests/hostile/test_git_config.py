"""A repository whose own git config and attributes try to run programs.

Every hook point git offers a repository (fsmonitor, pager, external diff,
textconv, filter drivers, hooks, ssh, askpass, credential helper, gpg for
signature display, editor) points at a script that leaves a marker file. A
control run of plain git proves the trap works; then a scan, a PR scan
(--diff-base) and a baseline must leave no marker.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import git
from tests.hostile.conftest import (
    assert_no_traceback,
    commit_all,
    init_repo,
    marker_script,
    scan,
)

TRAPS = (
    "fsmonitor",
    "pager",
    "external-diff",
    "diff-command",
    "textconv",
    "filter-clean",
    "filter-smudge",
    "filter-process",
    "ssh",
    "askpass",
    "credential",
    "gpg",
    "editor",
    "proxy",
)
HOOKS = (
    "pre-commit",
    "post-checkout",
    "post-index-change",
    "reference-transaction",
    "fsmonitor-watchman",
    "pre-auto-gc",
    "post-rewrite",
)
# A provider-format token, so the secrets scanner and the history read have work to do.
TOKEN = "ghp_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"


def _booby_trapped(tmp_path: Path, markers: Path) -> Path:
    root = init_repo(tmp_path / "trapped")
    (root / "app.py").write_text("import os\n\nKEY = os.environ.get('K')\n")
    (root / "notes.txt").write_text("nothing\n")
    (root / "README.md").write_text("# readme\n")
    commit_all(root, "first")
    # History with a token removed from HEAD (the history read must see it).
    (root / "old.py").write_text(f'TOKEN = "{TOKEN}"\n')
    commit_all(root, "add token")
    (root / "old.py").unlink()
    commit_all(root, "remove token")
    script = {name: marker_script(markers, name) for name in (*TRAPS, *HOOKS)}
    config = {
        "core.fsmonitor": str(script["fsmonitor"]),
        "core.pager": str(script["pager"]),
        "pager.log": str(script["pager"]),
        "pager.diff": str(script["pager"]),
        "diff.external": str(script["external-diff"]),
        "diff.evil.command": str(script["diff-command"]),
        "diff.evil.textconv": str(script["textconv"]),
        "filter.evil.clean": str(script["filter-clean"]),
        "filter.evil.smudge": str(script["filter-smudge"]),
        "filter.proc.process": str(script["filter-process"]),
        "filter.dots.in.name.clean": str(script["filter-clean"]),
        "core.sshCommand": str(script["ssh"]),
        "core.askPass": str(script["askpass"]),
        "credential.helper": f"!{script['credential']}",
        "gpg.program": str(script["gpg"]),
        "log.showSignature": "true",
        "core.editor": str(script["editor"]),
        "core.gitProxy": str(script["proxy"]),
        "core.hooksPath": str(root / ".githooks"),
    }
    for key, value in config.items():
        git(root, "config", key, value)
    hooks = root / ".githooks"
    hooks.mkdir()
    for name in HOOKS:
        (hooks / name).symlink_to(script[name])
        (root / ".git" / "hooks" / name).symlink_to(script[name])
    (root / ".gitattributes").write_text(
        "*.py diff=evil filter=evil\n*.txt filter=dots.in.name\n*.md filter=proc\n",
        encoding="utf-8",
    )
    # A commit carrying a signature header: log.showSignature would call gpg.
    _signed_commit(root)
    # Uncommitted edits, so a PR scan diffs against the work tree.
    (root / "app.py").write_text("import os\n\nKEY = os.environ.get('K2')\nEXTRA = 1\n")
    (root / "notes.txt").write_text("changed\n")
    (root / "README.md").write_text("# changed\n")
    return root


def _plain_env() -> dict[str, str]:
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}


def _raw_git(root: Path, *args: str) -> None:
    """git as a careless tool would run it: the repository's config in force."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=_plain_env(),
        check=False,
        timeout=60,
    )


def _signed_commit(root: Path) -> None:
    tree = subprocess.run(
        ["git", "write-tree"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=_plain_env(),
    ).stdout.strip()
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env=_plain_env(),
    ).stdout.strip()
    body = (
        f"tree {tree}\nparent {head}\n"
        "author t <t@example.invalid> 1700000000 +0000\n"
        "committer t <t@example.invalid> 1700000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n"
        "\nsigned\n"
    )
    sha = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=root,
        input=body,
        capture_output=True,
        text=True,
        check=True,
        env=_plain_env(),
    ).stdout.strip()
    subprocess.run(
        ["git", "update-ref", "HEAD", sha],
        cwd=root,
        check=True,
        env=_plain_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )


def _clear(markers: Path) -> None:
    for marker in markers.iterdir():
        marker.unlink()


def test_the_traps_fire_under_plain_git(tmp_path: Path, markers: Path) -> None:
    """Control: the same commands without our overrides do run the repository's programs."""
    root = _booby_trapped(tmp_path, markers)
    _clear(markers)
    _raw_git(root, "diff", "HEAD~1", "--", ".")
    _raw_git(root, "log", "-1")
    fired = {m.name for m in markers.iterdir()}
    assert {"fsmonitor", "filter-clean", "filter-process", "gpg"} <= fired, fired
    _clear(markers)
    _raw_git(root, "diff", "HEAD~3", "HEAD~2")
    assert "diff-command" in {m.name for m in markers.iterdir()}
    _clear(markers)
    _raw_git(root, "log", "-p", "-1", "HEAD~2")
    assert "textconv" in {m.name for m in markers.iterdir()}


def test_no_scan_mode_runs_anything_from_the_repository(tmp_path: Path, markers: Path) -> None:
    root = _booby_trapped(tmp_path, markers)
    _clear(markers)
    env = {"GIT_CONFIG_GLOBAL": "/dev/null"}
    # Whole scan with history (workspace listing + git log -p), a PR scan
    # diffing against the work tree, and pre-commit style explicit files.
    full = scan(root, "--only", "secrets", tmp=tmp_path, env=env)
    assert_no_traceback(full)
    assert full.code == 1, full.stderr  # the leaked token in history is found
    rules = {f["rule_id"] for f in full.json()["findings"]}  # type: ignore[union-attr, index]
    assert "llmsecops/leaked-token-in-history" in rules
    pr = scan(root, "--only", "secrets", "--diff-base", "HEAD~1", tmp=tmp_path, env=env)
    assert_no_traceback(pr)
    assert pr.code in (0, 1), pr.stderr
    files = scan(root, "--only", "secrets", tmp=tmp_path, env=env, cwd=root)
    assert files.code in (0, 1), files.stderr
    assert sorted(m.name for m in markers.iterdir()) == []


def test_a_filter_name_git_cannot_override_refuses_the_diff(tmp_path: Path, markers: Path) -> None:
    root = init_repo(tmp_path / "eq")
    (root / "a.py").write_text("x = 1\n")
    commit_all(root)
    clean = marker_script(markers, "filter-eq")
    (root / ".git" / "config").write_text(
        (root / ".git" / "config").read_text() + f'[filter "a=b"]\n\tclean = {clean}\n'
    )
    (root / ".gitattributes").write_text("* filter=a=b\n")
    (root / "a.py").write_text("x = 2\n")
    result = scan(root, "--only", "secrets", "--diff-base", "HEAD", tmp=tmp_path, formats=())
    assert result.code == 2, result.stderr
    assert "filter driver 'a=b' cannot be disabled" in result.stderr
    assert list(markers.iterdir()) == []


@pytest.mark.parametrize("name", ["resource.py", "os.py", "sitecustomize.py", "usercustomize.py"])
def test_the_memory_shim_imports_nothing_from_the_scanned_directory(
    tmp_path: Path, markers: Path, name: str
) -> None:
    """The shim runs with the scanned repository as its cwd: ``-I`` keeps it off sys.path."""
    from llmsecops.scanners import _process

    (tmp_path / name).write_text(f"open({str(markers / name)!r}, 'w').close()\n")
    done = _process.run(["git", "--version"], cwd=tmp_path, timeout_s=60)
    assert done.returncode == 0
    assert list(markers.iterdir()) == []
