"""Inline suppressions and baselines, through the engine and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from llmsecops import suppress
from llmsecops.cli.main import main

Maker = Callable[..., Path]
RISKY = "import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "x()  # llmsecops: ignore[bandit/B602] cmd is a constant",
            (("bandit/B602",), "cmd is a constant"),
        ),
        (
            "// llmsecops: ignore[llmsecops/prompt-concat, bandit/B101] reviewed",
            (("llmsecops/prompt-concat", "bandit/B101"), "reviewed"),
        ),
        ("x()  # llmsecops: ignore[bandit/B602]", (("bandit/B602",), "")),
        ("x()  # llmsecops ignore[bandit/B602] typo", None),
        ("x()  # nothing here", None),
    ],
)
def test_parse_line(line: str, expected: tuple[tuple[str, ...], str] | None) -> None:
    assert suppress.parse_line(line) == expected


def scan(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(
        [
            *("scan", str(root), "--only", "bandit", "--json", "-", "-q", "--no-progress"),
            *("--profile", "audit"),  # these tests count inline and baseline suppressions
            *extra,
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def test_inline_suppression_on_the_line_or_above(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    same = RISKY.replace(
        "shell=True)", "shell=True)  # llmsecops: ignore[bandit/B602] admin-only tool"
    )
    above = RISKY.replace(
        "    subprocess.call",
        "    # llmsecops: ignore[bandit/B602] admin-only tool\n    subprocess.call",
    )
    for text in (same, above):
        root = make_tree({"a.py": text}, name=f"r{len(text)}")
        code, report = scan(root, capsys)
        assert code == 0  # the only high finding is suppressed
        (b602,) = [f for f in report["findings"] if f["rule_id"] == "bandit/B602"]
        assert b602["suppression"] == {"kind": "inline", "justification": "admin-only tool"}
        assert report["summary"]["suppressed"] == 1


def test_invalid_suppressions_are_reported_and_do_not_suppress(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    no_reason = RISKY.replace("shell=True)", "shell=True)  # llmsecops: ignore[bandit/B602]")
    root = make_tree({"a.py": no_reason, "b.py": "x = 1  # llmsecops: ignore[bandit/B999x] typo\n"})
    code, report = scan(root, capsys)
    assert code == 1
    invalid = sorted(
        (f["location"]["path"], f["message"].split(":")[0])
        for f in report["findings"]
        if f["rule_id"] == "llmsecops/invalid-suppression"
    )
    assert invalid == [
        ("a.py", "Suppression comment gives no reason"),
        ("b.py", "Suppression comment names unknown rule(s) bandit/B999x"),
    ]
    (b602,) = [f for f in report["findings"] if f["rule_id"] == "bandit/B602"]
    assert b602["suppression"] is None


def test_baseline_marks_known_findings_and_survives_moving_code(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({"a.py": RISKY})
    base = tmp_path / "baseline.json"
    assert main(["baseline", "create", str(root), "-o", str(base), "--offline"]) == 0
    capsys.readouterr()
    recorded = json.loads(base.read_text())
    assert {e["rule_id"] for e in recorded["findings"]} >= {"bandit/B602"}
    assert "subprocess" not in base.read_text()  # fingerprints, not code

    (root / "a.py").write_text("# a new header\n\n\n" + RISKY)  # moved down three lines
    code, report = scan(root, capsys, "--baseline", str(base))
    assert code == 0
    assert all(f["suppression"]["kind"] == "baseline" for f in report["findings"])

    (root / "b.py").write_text("import os\n\n\ndef go(c):\n    os.system(c)\n    eval(c)\n")
    code, report = scan(root, capsys, "--baseline", str(base), "--fail-on", "medium")
    assert code == 1
    new = {f["rule_id"] for f in report["findings"] if f["suppression"] is None}
    assert new >= {"bandit/B605", "bandit/B307"}


def test_bad_baseline_is_a_usage_error(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({"a.py": RISKY})
    bad = tmp_path / "b.json"
    bad.write_text('{"findings": []}')
    assert main(["scan", str(root), "--baseline", str(bad), "--no-progress"]) == 2
    assert "not an llmsecops baseline" in capsys.readouterr().err


def test_sarif_marks_suppressed_results(
    make_tree: Maker, capsys: pytest.CaptureFixture[str]
) -> None:
    text = RISKY.replace("shell=True)", "shell=True)  # llmsecops: ignore[bandit/B602] reviewed")
    root = make_tree({"a.py": text})
    assert main(["scan", str(root), "--only", "bandit", "--sarif", "-", "-q", "--no-progress"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    (b602,) = [r for r in results if r["ruleId"] == "bandit/B602"]
    assert b602["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "reviewed"}
    ]
