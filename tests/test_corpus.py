"""The labelled corpus and its scorer (tests/corpus/score.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from llmsecops import rulepack
from tests.helpers import REPO


def load_scorer() -> ModuleType:
    path = REPO / "tests" / "corpus" / "score.py"
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_score"] = module
    spec.loader.exec_module(module)
    return module


scorer = load_scorer()


def test_labels_are_valid_and_cover_every_family() -> None:
    labels = scorer.load_labels()
    assert len(labels) >= 150
    families = {(lab["family"], lab["kind"]) for lab in labels}
    for family in scorer.FAMILIES:
        assert (family, "vulnerable") in families
        assert (family, "safe") in families
    apps = {lab["file"].split("/")[0] for lab in labels}
    assert len(apps) >= 15


def test_every_rule_of_the_pack_has_a_family() -> None:
    families = scorer.load_rule_families()
    for rule in rulepack.load():
        assert families.get(rule.meta.id) in scorer.FAMILIES, rule.meta.id


def test_score_counts_hits_misses_and_false_positives() -> None:
    labels = [
        {
            "file": "a/app.py",
            "line": 10,
            "end_line": 12,
            "family": "prompt-injection",
            "kind": "vulnerable",
            "note": "",
        },
        {
            "file": "a/app.py",
            "line": 20,
            "end_line": None,
            "family": "prompt-injection",
            "kind": "vulnerable",
            "note": "",
        },
        {
            "file": "a/app.py",
            "line": 30,
            "end_line": None,
            "family": "prompt-injection",
            "kind": "safe",
            "note": "",
        },
        {
            "file": "a/app.py",
            "line": 40,
            "end_line": None,
            "family": "prompt-injection",
            "kind": "safe",
            "note": "",
        },
    ]
    report = {
        "findings": [
            {
                "rule_id": "llmsecops/x",
                "location": {"path": "a/app.py", "start_line": 11, "end_line": 11},
            },
            {
                "rule_id": "llmsecops/x",
                "location": {"path": "a/app.py", "start_line": 30, "end_line": 30},
            },
            {
                "rule_id": "llmsecops/x",
                "location": {"path": "a/app.py", "start_line": 50, "end_line": 50},
            },
            {
                "rule_id": "llmsecops/y",
                "location": {"path": "a/app.py", "start_line": 20, "end_line": 20},
            },
        ]
    }
    result = scorer.score(
        report, labels, {"llmsecops/x": "prompt-injection", "llmsecops/y": "model-loading"}
    )
    fam = result["families"]["prompt-injection"]
    assert (fam["vulnerable"], fam["detected"], fam["safe"], fam["flagged"]) == (2, 1, 2, 1)
    assert fam["recall"] == 0.5 and fam["fp_rate"] == 0.5
    assert [m["line"] for m in result["missed"]] == [20]
    assert [u["start_line"] for u in result["unlabelled"]] == [20, 50]


def test_bad_labels_are_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "labels.yml"
    bad.write_text("- {file: nope/app.py, line: 1, family: prompt-injection, kind: vulnerable}\n")
    with pytest.raises(scorer.LabelError):
        scorer.load_labels(bad)


def test_merged_findings_count_for_every_class_in_them() -> None:
    labels = [
        {
            "file": "w/app.py",
            "line": 5,
            "end_line": 5,
            "family": fam,
            "kind": "vulnerable",
            "note": "",
        }
        for fam in ("web-command-injection", "tool-output-sinks", "web-weak-crypto")
    ]
    report = {
        "findings": [
            {
                "rule_id": "llmsecops/web-cmd",
                "merged_rule_ids": ["llmsecops/llm-exec", "bandit/B999"],
                "location": {"path": "w/app.py", "start_line": 5, "end_line": 5},
            },
            {"rule_id": "bandit/B324", "location": {"path": "w/app.py", "start_line": 5}},
        ]
    }
    families = {
        "llmsecops/web-cmd": "web-command-injection",
        "llmsecops/llm-exec": "tool-output-sinks",
        **scorer.TOOL_FAMILIES,
    }
    result = scorer.score(report, labels, families)
    for fam in ("web-command-injection", "tool-output-sinks", "web-weak-crypto"):
        figures = result["families"][fam]
        assert (figures["detected"], figures["recall"]) == (1, 1.0), fam
    assert result["families"]["web-xss"]["score"] is None
    assert result["unmapped"] == []


def test_score_is_tpr_minus_fpr_and_is_printed() -> None:
    labels = [
        {"file": "w/a.py", "line": n, "end_line": n, "family": "web-xss", "kind": kind, "note": ""}
        for n, kind in ((1, "vulnerable"), (2, "vulnerable"), (3, "safe"), (4, "safe"))
    ]
    report = {
        "findings": [
            {"rule_id": "llmsecops/web-xss", "location": {"path": "w/a.py", "start_line": n}}
            for n in (1, 2, 3)
        ]
    }
    result = scorer.score(report, labels, {"llmsecops/web-xss": "web-xss"})
    assert result["families"]["web-xss"]["score"] == 0.5
    text = scorer.format_result(result)
    assert "TPR-FPR" in text
    row = next(line for line in text.splitlines() if line.startswith("web-xss "))
    assert row.split()[-1] == "+0.50"


def _corpus_result(tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "scan.json"
    done = scorer.run_scan(out)
    assert out.is_file(), done.stderr[-2000:]
    report = json.loads(out.read_text())
    assert scorer._scanner_problems(report) == []
    result: dict[str, Any] = scorer.score(report, scorer.load_labels(), scorer.load_rule_families())
    return result


@pytest.mark.e2e
def test_the_pack_meets_its_targets_on_the_corpus(tmp_path: Path) -> None:
    """LLM families: recall >= 0.90 and false positives on safe twins <= 0.05.
    Web classes: TPR - FPR >= 0.80."""
    result = _corpus_result(tmp_path)
    figures = {
        fam: (f["recall"], f["fp_rate"])
        for fam, f in result["families"].items()
        if f["vulnerable"] and fam in scorer.LLM_FAMILIES
    }
    assert all(recall >= 0.90 for recall, _ in figures.values()), figures
    assert all(fp <= 0.05 for _, fp in figures.values()), figures
    web = {fam: result["families"][fam]["score"] for fam in scorer.WEB_FAMILIES}
    assert all(s is not None and s >= 0.80 for s in web.values()), web
