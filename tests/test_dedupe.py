"""Cross-tool dedupe: one problem on one line is one finding, whoever reports it."""

from __future__ import annotations

import itertools
import json

from llmsecops import dedupe
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    Severity,
    Suppression,
    SuppressionKind,
    TraceStep,
)
from llmsecops.report import json as json_report


def make(
    rule_id: str,
    line: int = 10,
    cwe: tuple[str, ...] = (),
    severity: Severity = Severity.HIGH,
    confidence: Confidence = Confidence.MEDIUM,
    path: str = "app.py",
    trace: bool = False,
    column: int = 1,
) -> Finding:
    f = Finding.create(
        rule_id=rule_id,
        scanner=rule_id.split("/")[0],
        severity=severity,
        confidence=confidence,
        message=f"{rule_id} says so",
        location=Location(path, line, column),
        cwe=cwe,
    )
    if trace:
        step = TraceStep(Location(path, line - 3), "source")
        f = Finding(**{**f.__dict__, "trace": (step, TraceStep(Location(path, line), "sink"))})
    return f


BANDIT_SHELL = make("bandit/B602", cwe=("CWE-78",), severity=Severity.HIGH, column=5)
SEMGREP_CMDI = make(
    "llmsecops/web-command-injection", cwe=("CWE-78",), severity=Severity.CRITICAL, trace=True
)


def test_same_problem_on_one_line_is_one_finding_keeping_both_rule_ids() -> None:
    merged = dedupe.merge([BANDIT_SHELL, SEMGREP_CMDI])
    assert len(merged) == 1
    kept = merged[0]
    assert kept.rule_id == "llmsecops/web-command-injection"  # it has the trace
    assert kept.merged_rule_ids == ("bandit/B602",)
    assert kept.trace == SEMGREP_CMDI.trace


def test_the_finding_with_a_trace_wins_over_a_more_severe_one_without() -> None:
    plain = make("bandit/B608", cwe=("CWE-89",), severity=Severity.CRITICAL)
    traced = make(
        "llmsecops/web-sql-injection", cwe=("CWE-89",), severity=Severity.MEDIUM, trace=True
    )
    assert dedupe.merge([plain, traced])[0].rule_id == "llmsecops/web-sql-injection"


def test_without_traces_the_higher_severity_then_confidence_wins() -> None:
    low = make("bandit/B324", cwe=("CWE-327",), severity=Severity.MEDIUM)
    high = make("semgrep/md5", cwe=("CWE-328",), severity=Severity.HIGH)
    assert dedupe.merge([low, high])[0].rule_id == "semgrep/md5"
    sure = make("b/x", cwe=("CWE-327",), confidence=Confidence.HIGH)
    unsure = make("a/x", cwe=("CWE-327",), confidence=Confidence.LOW)
    kept = dedupe.merge([unsure, sure])[0]
    assert kept.rule_id == "b/x" and kept.merged_rule_ids == ("a/x",)
    assert set(kept.cwe) == {"CWE-327"}


def test_different_problems_on_one_line_stay_apart() -> None:
    sqli = make("llmsecops/web-sql-injection", cwe=("CWE-89",), trace=True)
    weak_hash = make("bandit/B324", cwe=("CWE-327",))
    merged = dedupe.merge([sqli, weak_hash])
    assert sorted(f.rule_id for f in merged) == ["bandit/B324", "llmsecops/web-sql-injection"]
    assert all(f.merged_rule_ids == () for f in merged)


def test_other_lines_files_and_cweless_rules_stay_apart() -> None:
    findings = [
        make("bandit/B602", line=10, cwe=("CWE-78",)),
        make("bandit/B602", line=11, cwe=("CWE-78",)),
        make("bandit/B602", line=10, cwe=("CWE-78",), path="other.py"),
        make("native/a", line=10),
        make("native/b", line=10),
    ]
    assert len(dedupe.merge(findings)) == 5


def test_source_cwes_do_not_join_findings_but_sink_cwes_do() -> None:
    llm_exec = make(
        "llmsecops/llm-output-to-exec", cwe=("CWE-1426", "CWE-78", "CWE-94"), trace=True
    )
    prompt = make("llmsecops/prompt-concat", cwe=("CWE-1427",))
    prompt_too = make("llmsecops/other-prompt", cwe=("CWE-1426",))
    code = make("llmsecops/web-code-injection", cwe=("CWE-95",))
    merged = dedupe.merge([llm_exec, prompt, prompt_too, code])
    ids = {f.rule_id: f.merged_rule_ids for f in merged}
    assert ids == {
        "llmsecops/llm-output-to-exec": ("llmsecops/web-code-injection",),
        "llmsecops/prompt-concat": (),
        "llmsecops/other-prompt": (),
    }


def test_a_finding_spanning_two_classes_bridges_them() -> None:
    cmd = make("bandit/B602", cwe=("CWE-78",))
    code = make("bandit/B307", cwe=("CWE-95",))
    both = make("llmsecops/llm-output-to-exec", cwe=("CWE-78", "CWE-94"), trace=True)
    merged = dedupe.merge([cmd, code, both])
    assert len(merged) == 1
    assert merged[0].merged_rule_ids == ("bandit/B307", "bandit/B602")


def test_suppressed_and_active_findings_are_not_merged() -> None:
    waived = Finding(
        **{**BANDIT_SHELL.__dict__, "suppression": Suppression(SuppressionKind.INLINE, "ok")}
    )
    merged = dedupe.merge([waived, SEMGREP_CMDI])
    assert len(merged) == 2


def test_merge_is_deterministic_whatever_the_input_order() -> None:
    findings = [
        BANDIT_SHELL,
        SEMGREP_CMDI,
        make("semgrep/other-shell", cwe=("CWE-77",), severity=Severity.CRITICAL),
        make("bandit/B324", cwe=("CWE-327",)),
        make("bandit/B303", cwe=("CWE-328",), severity=Severity.MEDIUM),
        make("bandit/B602", line=12, cwe=("CWE-78",)),
    ]
    results = {repr(dedupe.merge(list(p))) for p in itertools.permutations(findings)}
    assert len(results) == 1
    result = dedupe.merge(findings)
    assert [(f.location.start_line, f.rule_id, f.merged_rule_ids) for f in result] == [
        (10, "llmsecops/web-command-injection", ("bandit/B602", "semgrep/other-shell")),
        (10, "bandit/B324", ("bandit/B303",)),
        (12, "bandit/B602", ()),
    ]


def test_merged_rule_ids_survive_the_json_report() -> None:
    (kept,) = dedupe.merge([BANDIT_SHELL, SEMGREP_CMDI])
    data = json_report._finding(kept)
    assert data["merged_rule_ids"] == ["bandit/B602"]
    assert json_report._finding_from(json.loads(json.dumps(data))) == kept
    old = {k: v for k, v in data.items() if k != "merged_rule_ids"}
    assert json_report._finding_from(old).merged_rule_ids == ()


def test_advisories_and_secrets_on_one_line_stay_apart() -> None:
    advisories = [
        make("deps/PYSEC-2021-66", cwe=("CWE-1395",)),
        make("deps/GHSA-p6mc-m468-83gw", cwe=("CWE-1395",)),
    ]
    secrets = [
        make("secrets/aws-key", cwe=("CWE-798",)),
        make("secrets/openai-key", cwe=("CWE-798",)),
    ]
    scanners = {"deps": "dependencies", "secrets": "secrets"}
    findings = [
        Finding(**{**f.__dict__, "scanner": scanners[f.rule_id.split("/")[0]]})
        for f in advisories + secrets
    ]
    assert len(dedupe.merge(findings)) == 4


def spanning(f: Finding, end_line: int) -> Finding:
    loc = f.location
    return Finding(**{**f.__dict__, "location": Location(loc.path, loc.start_line, 1, end_line)})


def test_a_multi_line_call_and_a_finding_on_its_argument_line_are_one_finding() -> None:
    # bandit B615 spans snapshot_download(...) over lines 31-36; the pack's
    # unpinned-model-revision points at the repo_id argument on line 32.
    b615 = spanning(make("bandit/B615", line=31, cwe=("CWE-494",), severity=Severity.MEDIUM), 36)
    unpinned = make("llmsecops/unpinned-model-revision", line=32, cwe=("CWE-829",))
    later = make("llmsecops/unpinned-model-revision", line=37, cwe=("CWE-829",))
    for order in itertools.permutations([b615, unpinned, later]):
        merged = dedupe.merge(order)
        assert sorted((f.rule_id, f.location.start_line, f.merged_rule_ids) for f in merged) == [
            ("llmsecops/unpinned-model-revision", 32, ("bandit/B615",)),
            ("llmsecops/unpinned-model-revision", 37, ()),
        ]


def test_a_finding_spanning_a_whole_function_does_not_absorb_the_lines_inside() -> None:
    whole = spanning(make("llmsecops/x", line=10, cwe=("CWE-78",)), 10 + dedupe.MAX_SPAN_LINES + 1)
    inside = make("bandit/B602", line=12, cwe=("CWE-78",))
    assert len(dedupe.merge([whole, inside])) == 2
    near = spanning(make("llmsecops/x", line=10, cwe=("CWE-78",)), 10 + dedupe.MAX_SPAN_LINES)
    assert len(dedupe.merge([near, inside])) == 1
