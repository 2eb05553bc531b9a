from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "insecure-llm-app"
DATA = Path(__file__).resolve().parent / "data"


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent), **(env or {})}
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env=full_env,
    )
    return done.stdout


def deny_reading(monkeypatch: object, suffix: str) -> None:
    """Make the workspace's os.open fail for one file (root can read anything,
    so chmod cannot simulate this)."""
    import pytest

    from llmsecops import workspace

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    real_open = os.open

    def fake_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith(suffix):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(workspace.os, "open", fake_open)
