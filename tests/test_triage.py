"""The triage harness: reproducible samples and precision arithmetic."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from benchmarks.triage import sample, score


def _finding(i: int, suppressed: bool = False) -> dict[str, Any]:
    return {
        "rule_id": f"bandit/B{600 + i % 3}",
        "severity": "high",
        "snippet": f"call({i})\n  more",
        "fingerprint": f"fp{i}",
        "file_class": "production",
        "location": {"path": f"src/m{i:03d}.py", "start_line": i + 1},
        "suppression": {"kind": "profile", "justification": "noise"} if suppressed else None,
    }


REPORT = {"findings": [_finding(i, suppressed=i % 4 == 0) for i in range(40)]}


def test_same_seed_same_sample_other_seed_other_sample() -> None:
    items = sample.candidates(REPORT, "default")
    first = sample.draw(items, 10, seed=1)
    assert first == sample.draw(list(reversed(items))[::-1], 10, seed=1)
    assert first == sample.draw(items, 10, seed=1)
    assert first != sample.draw(items, 10, seed=2)
    assert len(first) == 10 and len({f["fingerprint"] for f in first}) == 10


def test_default_samples_active_findings_and_audit_all() -> None:
    assert len(sample.candidates(REPORT, "default")) == 30
    assert len(sample.candidates(REPORT, "audit")) == 40
    assert all(not f["suppression"] for f in sample.candidates(REPORT, "default"))
    assert len(sample.draw(sample.candidates(REPORT, "default"), 100, seed=1)) == 30


def test_sheet_has_the_columns_and_an_empty_verdict(tmp_path: Path) -> None:
    out = tmp_path / "sheet.csv"
    sample.write_sheet(out, sample.rows(sample.draw(sample.candidates(REPORT, "default"), 3, 1)))
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(sample.COLUMNS)
    assert all(r["verdict"] == "" for r in rows)
    assert rows[0]["snippet"].startswith("call(") and "\n" not in rows[0]["snippet"]


def test_carry_copies_verdicts_only_onto_the_same_path_line_and_rule(tmp_path: Path) -> None:
    earlier = tmp_path / "old.csv"
    old = sample.rows([_finding(1), _finding(2), _finding(3)])
    old[0].update(verdict="tp", reason="real")
    old[1].update(verdict="fp", reason="noise")  # its rule changes below
    sample.write_sheet(earlier, old)
    moved = {**_finding(2), "rule_id": "bandit/B999"}
    sheet = sample.rows([_finding(1), moved, _finding(3), _finding(4)])
    assert sample.carry(sheet, earlier) == 1
    assert [(r["verdict"], r["reason"]) for r in sheet] == [("tp", "real")] + [("", "")] * 3


def test_score_arithmetic(tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    rows = [
        ("bandit/B602", "tp"),
        ("bandit/B602", "FP"),
        ("bandit/B608", "yes"),
        ("secrets/secret-keyword", "fp"),
        ("llmsecops/prompt-concat", "true"),
    ]
    with sheet.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=sample.COLUMNS)
        writer.writeheader()
        for rule, verdict in rows:
            writer.writerow({"path": "a.py", "line": "1", "rule": rule, "verdict": verdict})
    result = score.score(score.read_rows(sheet))
    assert (result.overall.tp, result.overall.fp) == (3, 2)
    assert result.overall.precision == pytest.approx(0.6)
    assert result.families["bandit"].precision == pytest.approx(2 / 3)
    assert result.families["secrets"].precision == 0.0
    assert result.rules["bandit/B602"].precision == 0.5
    assert "overall" in score.format_score(result)
    assert score.main([str(sheet)]) == 0


def test_unfilled_verdict_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("path,line,rule,verdict\na.py,1,bandit/B602,\n")
    assert score.main([str(sheet)]) == 2
    assert "line 2: verdict must be tp or fp" in capsys.readouterr().err
