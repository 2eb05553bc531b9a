from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import git


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Create files under a fresh directory from {relative path: content}."""

    def _make(files: dict[str, str | bytes], *, name: str = "repo") -> Path:
        root = tmp_path / name
        root.mkdir(exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return _make


@pytest.fixture
def git_repo(make_tree: Callable[..., Path]) -> Callable[[dict[str, str | bytes]], Path]:
    def _make(files: dict[str, str | bytes]) -> Path:
        root = make_tree(files)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "init")
        return root

    return _make
