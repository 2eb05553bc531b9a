from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import git


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads or fills the user's vulnerability-database cache."""
    import os

    os.environ["LLMSECOPS_CACHE_DIR"] = str(tmp_path_factory.mktemp("llmsecops-cache"))


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
