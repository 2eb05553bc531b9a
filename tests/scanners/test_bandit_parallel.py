"""bandit over many files: one process per core, each on a share of the files,
with the same findings as one process and the same limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from llmsecops.config import Config
from llmsecops.model import RunStatus, ScannerRun
from llmsecops.scanners import _process, bandit
from llmsecops.scanners.base import ScanContext, split_by_size
from llmsecops.workspace import collect

TREE = {
    f"pkg/mod{n}.py": (
        "import subprocess\n\n\n"
        f"def run_{n}(cmd):\n"
        "    return subprocess.call(cmd, shell=True)\n"
        + (
            f"\n\ndef load_{n}(blob):\n    import pickle\n\n    return pickle.loads(blob)\n"
            * (n % 3)
        )
    )
    for n in range(9)
}


def run_bandit(root: Path) -> ScannerRun:
    ctx = ScanContext(
        workspace=collect(root, max_file_size=1 << 20), config=Config(), rules_dir=root
    )
    return bandit.BanditScanner().run(ctx, timeout_s=300)


def key(run: ScannerRun) -> list[tuple[str, str, int]]:
    return sorted((f.rule_id, f.location.path, f.location.start_line) for f in run.findings)


@pytest.fixture
def argvs(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str]]:
    """The bandit command lines the adapter runs."""
    seen: list[Sequence[str]] = []
    real = _process.run

    def spy(argv: Sequence[str], **kwargs: Any) -> Any:
        if "--" in argv and Path(argv[0]).name == "bandit":
            seen.append(argv)
        return real(argv, **kwargs)

    monkeypatch.setattr(_process, "run", spy)
    return seen


def test_two_processes_find_what_one_finds(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, argvs: list[Sequence[str]]
) -> None:
    root = make_tree(TREE)
    alone = run_bandit(root)
    assert len(argvs) == 1  # 9 files: below PARALLEL_MIN_FILES
    monkeypatch.setattr(bandit, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(bandit, "cpu_count", lambda: 2)
    argvs.clear()
    shared = run_bandit(root)
    assert len(argvs) == 2
    files = [set(argv[argv.index("--") + 1 :]) for argv in argvs]
    assert files[0] and files[1] and not files[0] & files[1]
    assert files[0] | files[1] == set(TREE)
    assert shared.status is alone.status is RunStatus.OK
    assert key(shared) == key(alone)
    assert {rule for rule, _, _ in key(alone)} >= {"bandit/B602", "bandit/B301", "bandit/B403"}
    assert shared.files_scanned == alone.files_scanned == len(TREE)
    assert [r.id for r in shared.rules] == [r.id for r in alone.rules]


def test_each_process_gets_the_memory_ceiling(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(TREE)
    monkeypatch.setattr(bandit, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(bandit, "cpu_count", lambda: 2)
    with _process.memory_limit(8):
        run = run_bandit(root)
    assert run.status is RunStatus.FAILED
    assert run.reason.endswith("exceeded its memory ceiling of 8 MiB")


def test_split_by_size_balances_and_keeps_every_file() -> None:
    files = [("a", 900), ("b", 500), ("c", 400), ("d", 100), ("e", 0)]
    parts = split_by_size(files, 2)
    assert sorted(p for part in parts for p in part) == ["a", "b", "c", "d", "e"]
    assert parts == [["a", "d"], ["b", "c", "e"]]
    assert split_by_size(files, 9) == [["a"], ["b"], ["c"], ["d"], ["e"]]
    assert split_by_size([], 2) == []
