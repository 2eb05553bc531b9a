"""Renderers: pure, deterministic, escaping untrusted text, within limits."""

from __future__ import annotations

import json
from dataclasses import replace

from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RuleId,
    RuleMeta,
    RunStatus,
    ScannerName,
    ScannerRun,
    ScanResult,
    Severity,
    WorkspaceSummary,
)
from llmsecops.report import html, markdown, sarif
from llmsecops.report import json as json_report

RULE = RuleMeta(
    id=RuleId("llmsecops/prompt-concat"),
    scanner=ScannerName("semgrep"),
    name="Prompt concat",
    short_description="short",
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=("CWE-1427",),
    owasp_llm=("LLM01:2025",),
    fix="Do not concatenate.",
    help_uri="javascript:alert(1)",
)


def finding(n: int, path: str = "app.py", message: str = "m", snippet: str = "code") -> Finding:
    f = Finding.create(
        rule_id=RULE.id,
        scanner="semgrep",
        severity=Severity.MEDIUM if n % 2 else Severity.HIGH,
        confidence=Confidence.MEDIUM,
        message=message,
        location=Location(path, n + 1, 1, n + 1, 5),
        owasp_llm=("LLM01:2025",),
    )
    return replace(f, snippet=snippet, fingerprint=f"{n:032x}")


def result(findings: tuple[Finding, ...], *, failed: bool = False) -> ScanResult:
    runs = (
        ScannerRun(scanner=ScannerName("semgrep"), status=RunStatus.OK),
        ScannerRun(
            scanner=ScannerName("dependencies"),
            status=RunStatus.FAILED if failed else RunStatus.SKIPPED,
            reason="service unreachable" if failed else "no manifests",
        ),
    )
    return ScanResult(
        tool_version="1.0",
        workspace=WorkspaceSummary(root="/r", files=3, git=True),
        runs=runs,
        findings=findings,
        rules=(RULE,),
        fail_on=Severity.HIGH,
    )


HOSTILE = "<script>alert(1)</script> | `x` [link](javascript:1) **b** \x1b[31m"


def test_renderers_are_pure_functions_of_the_result() -> None:
    r = result((finding(1, message=HOSTILE), finding(2)))
    for render in (html.render, markdown.render, sarif.render, json_report.render):
        assert render(r) == render(r)


def test_html_escapes_untrusted_text_and_forbids_network() -> None:
    r = result((finding(1, path="<b>a</b>.py", message=HOSTILE, snippet=HOSTILE),))
    page = html.render(r)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page
    assert "javascript:alert" not in page  # a non-web help link is dropped
    import html as html_lib

    csp = html_lib.unescape(
        page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    )
    assert csp.startswith("default-src 'none';")
    assert "unsafe-inline" not in csp
    assert page.count("<script>") == 1  # ours, allowed by its hash


def test_html_coverage_marks_unchecked_categories() -> None:
    rows = {row.id: row for row in html.coverage(result((finding(1),)))}
    assert rows["LLM01:2025"].rules == ("llmsecops/prompt-concat",)
    assert rows["LLM01:2025"].findings == 1
    assert rows["LLM09:2025"].rules == ()
    assert "not checked" in html.render(result(()))


def test_markdown_escapes_and_flags_incomplete_scans() -> None:
    text = markdown.render(result((finding(1, message=HOSTILE, path="a|b.py"),), failed=True))
    assert "Scan incomplete" in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    row = next(line for line in text.splitlines() if "prompt-concat" in line)
    assert row.count(" | ") == 3  # the pipes from the repo did not add columns
    assert "\\`x\\`" in row


def test_markdown_stays_under_the_summary_limit() -> None:
    big = tuple(finding(n, message="x" * 3000) for n in range(2000))
    text = markdown.render(result(big))
    assert len(text.encode()) < 1024 * 1024
    assert "more in the SARIF, JSON or HTML report" in text


def test_sarif_category_and_result_limit() -> None:
    r = result((finding(1),))
    assert "automationDetails" not in json.loads(sarif.render(r))["runs"][0]
    run = json.loads(sarif.render(r, category="llm/backend"))["runs"][0]
    assert run["automationDetails"] == {"id": "llm/backend/"}
    many = result(tuple(finding(n) for n in range(sarif.MAX_RESULTS + 10)))
    doc = sarif.to_dict(many)
    kept = doc["runs"][0]["results"]
    assert len(kept) == sarif.MAX_RESULTS
    high = sum(1 for f in many.findings if f.severity is Severity.HIGH)
    assert sum(1 for item in kept if item["level"] == "error") == high  # the least severe went
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["descriptor"]["id"] == "sarif/truncated"
    assert sarif.limit_warning(many) is not None and sarif.limit_warning(r) is None


def test_json_report_matches_its_documented_schema() -> None:
    import jsonschema

    from tests.helpers import REPO

    schema = json.loads((REPO / "docs" / "schema" / "findings-1.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    f = replace(finding(1), trace=(), cwe=("CWE-1427",))
    doc = json.loads(json_report.render(result((f,), failed=True)))
    jsonschema.Draft202012Validator(schema).validate(doc)
    bad = {**doc, "findings": [{**doc["findings"][0], "severity": "severe"}]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
