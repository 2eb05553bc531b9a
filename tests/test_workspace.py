from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from llmsecops import workspace as ws
from llmsecops.errors import UsageError
from llmsecops.workspace import SkipReason, collect, resolve_targets
from tests.helpers import deny_reading, git

Maker = Callable[..., Path]


def paths(w: ws.Workspace) -> list[str]:
    return [f.path for f in w.files]


def test_walk_skips_default_excluded_dirs(make_tree: Maker) -> None:
    root = make_tree(
        {
            "app/main.py": "x = 1\n",
            "node_modules/lib/index.js": "x\n",
            ".venv/lib/site.py": "x\n",
            "app/__pycache__/main.cpython-311.pyc": "x\n",
            "build/out.py": "x\n",
        }
    )
    w = collect(root, max_file_size=10_000)
    assert paths(w) == ["app/main.py"]
    assert not w.git


def test_config_excludes_are_counted(make_tree: Maker) -> None:
    root = make_tree({"a.py": "1\n", "tests/fixtures/b.py": "2\n", "gen/c_pb2.py": "3\n"})
    w = collect(root, max_file_size=10_000, exclude=["tests/fixtures", "*_pb2.py"])
    assert paths(w) == ["a.py"]
    assert w.skipped[SkipReason.EXCLUDED] == 2


def test_links_leaving_the_root_are_never_read(make_tree: Maker, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("password = 'x'\n")
    root = make_tree({"a.py": "1\n"})
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(outside, root / "linkdir")
    os.symlink(root / "a.py", root / "inside.py")
    w = collect(root, max_file_size=10_000)
    assert paths(w) == ["a.py"]
    assert w.skipped[SkipReason.SYMLINK_OUTSIDE] == 2
    assert w.skipped[SkipReason.SYMLINK] == 1


def test_binary_large_and_special_files_are_skipped(make_tree: Maker) -> None:
    root = make_tree(
        {
            "ok.py": "print(1)\n",
            "blob.py": b"\x00\x01\x02binary",
            "big.py": "x = 1\n" * 1000,
        }
    )
    os.mkfifo(root / "pipe.py")
    w = collect(root, max_file_size=1000)
    assert paths(w) == ["ok.py"]
    assert w.skipped[SkipReason.BINARY] == 1
    assert w.skipped[SkipReason.TOO_LARGE] == 1
    assert w.skipped[SkipReason.SPECIAL] == 1


def test_git_mode_lists_tracked_and_untracked_but_not_ignored(git_repo: Maker) -> None:
    root = git_repo({"a.py": "1\n", ".gitignore": "ignored.py\n"})
    (root / "new.py").write_text("2\n")
    (root / "ignored.py").write_text("3\n")
    w = collect(root, max_file_size=10_000)
    assert w.git
    assert paths(w) == [".gitignore", "a.py", "new.py"]


def test_git_mode_in_a_subdirectory_gives_paths_relative_to_it(git_repo: Maker) -> None:
    root = git_repo({"svc/app.py": "1\n", "other/b.py": "2\n"})
    w = collect(root / "svc", max_file_size=10_000)
    assert paths(w) == ["app.py"]


def test_git_repo_config_cannot_run_code(git_repo: Maker, tmp_path: Path) -> None:
    root = git_repo({"a.py": "1\n"})
    marker = tmp_path / "pwned"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\necho 0\n")
    hook.chmod(0o755)
    git(root, "config", "core.fsmonitor", str(hook))
    collect(root, max_file_size=10_000)
    assert not marker.exists()


def test_unreadable_files_are_reported(make_tree: Maker, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree({"a.py": "1\n", "locked.py": "2\n"})
    deny_reading(monkeypatch, "locked.py")
    w = collect(root, max_file_size=10_000)
    assert paths(w) == ["a.py"]
    assert w.unreadable == ("locked.py",)
    assert w.summary().unreadable == ("locked.py",)


def test_resolve_targets_directory_and_files(tmp_path: Path, make_tree: Maker) -> None:
    root = make_tree({"a.py": "1\n", "b/c.py": "2\n"})
    assert resolve_targets([root], tmp_path) == (root.resolve(), None)
    got_root, files = resolve_targets([Path("a.py"), Path("b/c.py")], root)
    assert got_root == root.resolve()
    assert files == ("a.py", "b/c.py")


def test_resolve_targets_errors(tmp_path: Path, make_tree: Maker) -> None:
    root = make_tree({"a.py": "1\n"})
    with pytest.raises(UsageError, match="path not found"):
        resolve_targets([root / "missing"], root)
    outside = tmp_path / "elsewhere.py"
    outside.write_text("1\n")
    with pytest.raises(UsageError, match="outside the scan root"):
        resolve_targets([outside], root)
    with pytest.raises(UsageError, match="not both"):
        resolve_targets([root, root / "a.py"], root)


def test_explicit_files_still_pass_every_filter(make_tree: Maker) -> None:
    root = make_tree({"a.py": "1\n", "blob.py": b"\x00"})
    w = collect(root, max_file_size=10_000, explicit=["a.py", "blob.py", "gone.py"])
    assert paths(w) == ["a.py"]
    assert w.skipped[SkipReason.BINARY] == 1
    assert w.skipped[SkipReason.MISSING] == 1


def test_paths_that_climb_or_are_absolute_are_outside(make_tree: Maker) -> None:
    root = make_tree({"a.py": "1\n", "sub/b.py": "2\n"})
    w = collect(
        root,
        max_file_size=10_000,
        explicit=["a.py", "../a.py", "sub/../a.py", "/etc/passwd", "./a.py"],
    )
    assert paths(w) == ["a.py"]
    assert w.skipped[SkipReason.OUTSIDE] == 4


def test_a_file_name_that_is_not_utf8_is_counted_not_scanned(make_tree: Maker) -> None:
    import os

    root = make_tree({"a.py": "1\n"})
    (root / os.fsdecode(b"b\xff.py")).write_text("2\n")
    w = collect(root, max_file_size=10_000)
    assert paths(w) == ["a.py"]
    assert w.skipped[SkipReason.BAD_NAME] == 1
