"""Links out of the root, link loops, FIFOs, sockets and device files: never
read, never named in a finding, each counted; nothing hangs on a FIFO."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from llmsecops.workspace import SkipReason, collect
from tests.hostile.conftest import all_output, assert_no_traceback, commit_all, init_repo, scan

OUTSIDE_TOKEN = "ghp_" + "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8"
INSIDE_TOKEN = "ghp_" + "M1n2B3v4C5x6Z7l8K9j0H1g2F3d4S5a6P7o8"


def _hostile_tree(tmp_path: Path) -> tuple[Path, Path, socket.socket]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f'TOKEN = "{OUTSIDE_TOKEN}"\n')
    (outside / "pkg").mkdir()
    (outside / "pkg" / "mod.py").write_text(f'TOKEN = "{OUTSIDE_TOKEN}"\n')
    root = tmp_path / "repo"
    root.mkdir()
    (root / "app.py").write_text(f'TOKEN = "{INSIDE_TOKEN}"\n')
    (root / "to-outside-file.py").symlink_to(outside / "secret.py")
    (root / "to-outside-dir").symlink_to(outside / "pkg")
    (root / "to-etc-passwd.py").symlink_to("/etc/passwd")
    (root / "dotdot.py").symlink_to("../outside/secret.py")
    (root / "inside-link.py").symlink_to("app.py")
    (root / "loop-a.py").symlink_to("loop-b.py")
    (root / "loop-b.py").symlink_to("loop-a.py")
    (root / "self.py").symlink_to("self.py")
    (root / "dir-loop").symlink_to(".")
    (root / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    os.mkfifo(root / "fifo.py")
    os.mkfifo(root / ".llmsecops.yml")  # a config "file" that would block a reader
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(root / "sock.py"))
    if os.geteuid() == 0:
        os.mknod(root / "null.py", 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null
        os.mknod(root / "zero.py", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
    return root, outside, sock


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_workspace_counts_and_never_reads_escapes(tmp_path: Path, use_git: bool) -> None:
    root, _outside, sock = _hostile_tree(tmp_path)
    try:
        if use_git:
            init_repo(root)
        ws = collect(root, max_file_size=1024 * 1024)
    finally:
        sock.close()
    assert [f.path for f in ws.files] == ["app.py"]
    assert ws.skipped[SkipReason.SYMLINK_OUTSIDE] >= 4  # file, dir, /etc/passwd, ../, dangling
    assert ws.skipped[SkipReason.SYMLINK] >= 3  # inside link, loops, self
    if use_git:
        # git never lists special files, so they are not in the set to skip.
        assert ws.skipped[SkipReason.SPECIAL] == 0
    else:
        assert ws.skipped[SkipReason.SPECIAL] >= 3  # fifo, config fifo, socket
        if os.geteuid() == 0:
            assert ws.skipped[SkipReason.SPECIAL] >= 5  # and the two devices


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_scan_never_reads_or_names_outside_the_root(tmp_path: Path, use_git: bool) -> None:
    root, outside, sock = _hostile_tree(tmp_path)
    try:
        if use_git:
            init_repo(root)
            (root / ".llmsecops.yml").unlink()  # git cannot add a FIFO
            commit_all(root)
            os.mkfifo(root / ".llmsecops.yml")
        result = scan(root, "--only", "secrets", tmp=tmp_path)
    finally:
        sock.close()
    assert_no_traceback(result)
    assert result.code == 1, result.stderr
    data = result.json()
    paths = {f["location"]["path"] for f in data["findings"]}  # type: ignore[index, union-attr]
    assert paths == {"app.py"}
    text = all_output(result)
    assert OUTSIDE_TOKEN[:12] not in text  # neither the value nor a preview of it
    assert str(outside) not in text
    assert "/etc/passwd" not in text
    summary = data["workspace"]["skipped"]  # type: ignore[index]
    assert summary[SkipReason.SYMLINK_OUTSIDE] >= 4
    assert summary.get(SkipReason.SPECIAL, 0) >= (0 if use_git else 3)
    assert "symlink leaving the root" in " ".join(result.stderr.split())  # the console says why


def test_explicit_files_through_a_linked_directory_are_refused(tmp_path: Path) -> None:
    root, _outside, sock = _hostile_tree(tmp_path)
    sock.close()
    init_repo(root)
    result = scan(root / "to-outside-dir" / "mod.py", "--only", "secrets", tmp=tmp_path, cwd=root)
    assert result.code == 2, result.stderr
    assert "outside the scan root" in result.stderr
    assert OUTSIDE_TOKEN[:12] not in all_output(result)


def test_a_fifo_named_as_a_file_to_scan_does_not_hang(tmp_path: Path) -> None:
    root = init_repo(tmp_path / "repo")
    (root / "app.py").write_text("x = 1\n")
    os.mkfifo(root / "pipe.py")
    result = scan(root / "pipe.py", root / "app.py", "--only", "secrets", tmp=tmp_path, cwd=root)
    assert_no_traceback(result)
    assert result.code == 0, result.stderr
    assert "not a regular file: 1" in " ".join(result.stderr.split())
