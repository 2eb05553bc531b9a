"""What a user sees when llmsecops itself breaks: one line with a bug-report
hint and exit 3, never a traceback unless --debug asks for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BOOM = (
    "import llmsecops.engine as engine\n"
    "def boom(*a, **k):\n"
    "    raise RecursionError('maximum recursion depth exceeded \\x1b[2J while parsing')\n"
    "engine.scan = boom\n"
    "from llmsecops.cli.main import run\n"
    "run()\n"
)


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_is_one_line_or_a_traceback_with_debug(tmp_path: Path, debug: bool) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    args = ["--debug"] if debug else []
    done = subprocess.run(
        [sys.executable, "-c", BOOM, *args, "scan", "--no-progress", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3
    last = done.stderr.splitlines()[-1]
    assert last.startswith("llmsecops: internal error: RecursionError: maximum recursion")
    assert "please report it at" in last and "--debug" in last
    assert "\x1b" not in last
    if debug:
        assert "Traceback (most recent call last)" in done.stderr
    else:
        assert done.stderr.count("\n") == 1, done.stderr
