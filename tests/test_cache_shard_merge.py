"""The per-file result cache, --shard and `llmsecops merge`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from llmsecops import engine, merge
from llmsecops.cache import Entry, ResultCache
from llmsecops.cli.main import main as cli
from llmsecops.cli.scan import parse_shard
from llmsecops.errors import UsageError
from llmsecops.model import RunStatus, ScannerName, ScannerRun
from llmsecops.report import json as json_report
from llmsecops.scanners.base import ScanContext
from tests.test_engine import Fake, finding, ok, request

Maker = Callable[..., Path]


def counting(name: str, calls: list[list[str]]) -> Fake:
    """A per-file fake scanner that flags every line holding 'BAD' in .py files
    and records the files it was given."""

    def run(ctx: ScanContext) -> ScannerRun:
        calls.append(sorted(f.path for f in ctx.workspace.files))
        found = []
        py = [f for f in ctx.workspace.files if f.path.endswith(".py")]
        for f in py:
            for number, line in enumerate((ctx.root / f.path).read_text().splitlines(), 1):
                if "BAD" in line:
                    found.append(finding(f.path, number, rule=f"{name}/B1"))
        return replace(ok(name, *found), files_scanned=len(py))

    fake = Fake(name, run)
    fake.counts_file = lambda f: f.path.endswith(".py")  # type: ignore[attr-defined]
    return fake


def test_a_warm_scan_reruns_only_changed_files(make_tree: Maker, tmp_path: Path) -> None:
    root = make_tree({"a.py": "BAD\n", "b.py": "ok\n", "c.py": "x\nBAD\n", "d.md": "BAD\n"})
    calls: list[list[str]] = []
    req = request(root, cache_dir=tmp_path / "cache")
    cold = engine.scan(req, [counting("bandit", calls)])
    warm = engine.scan(req, [counting("bandit", calls)])
    assert calls == [["a.py", "b.py", "c.py", "d.md"]]  # the warm scan ran nothing
    assert [f.fingerprint for f in warm.findings] == [f.fingerprint for f in cold.findings]
    assert [(f.location.path, f.location.start_line) for f in warm.findings] == [
        ("a.py", 1),
        ("c.py", 2),
    ]
    assert warm.runs[0].files_scanned == cold.runs[0].files_scanned == 3  # d.md not counted
    assert warm.runs[0].notes == cold.runs[0].notes  # the reports do not change

    (root / "b.py").write_text("BAD\n")
    changed = engine.scan(req, [counting("bandit", calls)])
    assert calls[-1] == ["b.py"]
    assert [f.location.path for f in changed.findings] == ["a.py", "b.py", "c.py"]


def test_no_cache_without_a_folder_and_never_for_history_scanners(
    make_tree: Maker, tmp_path: Path
) -> None:
    root = make_tree({"a.py": "BAD\n"})
    calls: list[list[str]] = []
    engine.scan(request(root), [counting("bandit", calls)])
    engine.scan(request(root), [counting("bandit", calls)])
    assert len(calls) == 2
    deps: list[list[str]] = []
    req = request(root, cache_dir=tmp_path / "c")
    engine.scan(req, [counting("dependencies", deps)])
    engine.scan(req, [counting("dependencies", deps)])
    assert len(deps) == 2  # not a per-file scanner
    secrets: list[list[str]] = []
    engine.scan(req, [counting("secrets", secrets)])  # history on by default: not cached
    engine.scan(req, [counting("secrets", secrets)])
    assert len(secrets) == 2


def test_a_failed_run_is_not_cached(make_tree: Maker, tmp_path: Path) -> None:
    root = make_tree({"a.py": "BAD\n"})
    req = request(root, cache_dir=tmp_path / "c")
    broken = Fake(
        "bandit", lambda ctx: ScannerRun(ScannerName("bandit"), RunStatus.FAILED, reason="boom")
    )
    assert engine.scan(req, [broken]).runs[0].status is RunStatus.FAILED
    calls: list[list[str]] = []
    result = engine.scan(req, [counting("bandit", calls)])
    assert calls == [["a.py"]] and len(result.findings) == 1


def test_a_corrupt_cache_is_reported_and_ignored(make_tree: Maker, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "results-1.sqlite").write_bytes(b"this is not a database" * 100)
    root = make_tree({"a.py": "BAD\n"})
    calls: list[list[str]] = []
    result = engine.scan(request(root, cache_dir=folder), [counting("bandit", calls)])
    assert calls == [["a.py"]] and len(result.findings) == 1
    assert any("result cache disabled" in n for n in result.runs[0].notes)


def test_cache_entries_never_hold_more_than_the_json_report(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    store.put_many({"k": Entry(findings=(finding("a.py", 3),), version="1.2")})
    assert store.get_many(["k", "missing"])["k"].findings[0].location.start_line == 3
    store.close()
    rows = sqlite3.connect(tmp_path / "results-1.sqlite").execute("SELECT value FROM results")
    (value,) = rows.fetchone()
    assert json.loads(value)["findings"][0]["rule_id"] == "bandit/B602"


def test_shards_partition_the_file_set(make_tree: Maker) -> None:
    files = {f"pkg/m{i}.py": "BAD\n" for i in range(40)}
    root = make_tree(files)
    seen: list[str] = []
    for k in (1, 2, 3):
        calls: list[list[str]] = []
        engine.scan(request(root, shard=(k, 3)), [counting("bandit", calls)])
        seen += calls[0] if calls else []
    assert sorted(seen) == sorted(files)  # every file in exactly one shard
    assert engine.shard_of("pkg/m1.py", 3) == engine.shard_of("pkg/m1.py", 3)


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0", "/"])
def test_bad_shard_specs_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="--shard"):
        parse_shard(text)


def test_merge_of_shards_equals_the_unsharded_scan(make_tree: Maker, tmp_path: Path) -> None:
    root = make_tree({f"m{i}.py": ("BAD\n" if i % 3 else "ok\n") for i in range(30)})
    scanners = lambda: [counting("bandit", []), counting("semgrep", [])]  # noqa: E731
    whole = engine.scan(request(root), scanners())
    parts = [engine.scan(request(root, shard=(k, 4)), scanners()) for k in range(1, 5)]
    merged = merge.merge([json_report.load(json_report.render(p)) for p in parts])
    assert [f.fingerprint for f in merged.findings] == [f.fingerprint for f in whole.findings]
    assert merged.workspace.files == whole.workspace.files
    assert [(r.scanner, r.status, r.files_scanned) for r in merged.runs] == [
        (r.scanner, r.status, r.files_scanned) for r in whole.runs
    ]


def test_merge_keeps_a_failure_and_refuses_mixed_versions(make_tree: Maker) -> None:
    root = make_tree({"a.py": "BAD\n", "b.py": "BAD\n"})
    good = engine.scan(request(root), [counting("bandit", [])])
    bad = engine.scan(
        request(root),
        [
            Fake(
                "bandit",
                lambda ctx: ScannerRun(ScannerName("bandit"), RunStatus.FAILED, reason="x"),
            )
        ],
    )
    assert not merge.merge([good, bad]).complete

    with pytest.raises(UsageError, match="different llmsecops versions"):
        merge.merge([good, replace(bad, tool_version="0.0.1")])


def test_merge_command_writes_one_sarif_run(
    make_tree: Maker, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({f"m{i}.py": "BAD\n" for i in range(6)})
    paths = []
    for k in (1, 2):
        part = engine.scan(request(root, shard=(k, 2)), [counting("bandit", [])])
        path = tmp_path / f"shard{k}.json"
        path.write_text(json_report.render(part))
        paths.append(str(path))
    out = tmp_path / "all.sarif"
    code = cli(["merge", *paths, "--sarif", str(out), "--json", str(tmp_path / "all.json"), "-q"])
    assert code == 1  # six high findings, default fail-on high
    sarif = json.loads(out.read_text())
    assert len(sarif["runs"]) == 1 and len(sarif["runs"][0]["results"]) == 6
    assert cli(["merge", str(tmp_path / "missing.json"), "-q"]) == 2
    assert "cannot read" in capsys.readouterr().err
