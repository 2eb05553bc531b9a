"""The validators from ECOSYSTEM.md live in .venv-tools (created by .ci/run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO

TOOLS_BIN = REPO / ".venv-tools" / "bin"


def tool(name: str) -> Path:
    """The validator's path, or skip the test naming how to install it."""
    candidate = TOOLS_BIN / name
    if candidate.is_file():
        return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    pytest.skip(f"{name} is not installed: run .ci/run (it creates .venv-tools) to validate")
