"""Report files are written atomically through a temporary file, yet get the
mode an ordinary write would give them (0666 less the umask), not mkstemp's 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmsecops.cli.output import report_outputs, write_outputs
from llmsecops.model import ScanResult, WorkspaceSummary


def _result() -> ScanResult:
    return ScanResult(
        tool_version="1.0",
        workspace=WorkspaceSummary(root="/r", files=0, git=False),
        runs=(),
        findings=(),
        rules=(),
        fail_on=None,
    )


@pytest.fixture
def umask() -> Iterator[None]:
    saved = os.umask(0o022)
    os.umask(saved)
    yield
    os.umask(saved)


def _write_all(folder: Path) -> list[Path]:
    paths = [folder / n for n in ("r.sarif", "r.json", "r.html", "r.md")]
    outputs = report_outputs(
        sarif=str(paths[0]),
        json_file=str(paths[1]),
        html_file=str(paths[2]),
        markdown_file=str(paths[3]),
    )
    write_outputs(outputs, _result())
    return paths


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_reports_get_the_umask_default_mode(tmp_path: Path, mask: int, mode: int) -> None:
    os.umask(mask)
    for path in _write_all(tmp_path):
        assert stat.S_IMODE(path.stat().st_mode) == mode, path.name
    # Nothing else is left behind: the temporary files were renamed.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json", "r.md", "r.sarif"]


@pytest.mark.usefixtures("umask")
def test_an_overwritten_0600_report_gets_the_umask_default_mode(tmp_path: Path) -> None:
    os.umask(0o022)
    old = tmp_path / "r.json"
    old.write_text("{}")
    old.chmod(0o600)
    _write_all(tmp_path)
    assert stat.S_IMODE(old.stat().st_mode) == 0o644
    assert old.read_text() != "{}"
