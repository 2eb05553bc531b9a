"""Size and render time of the HTML report with many findings.

``python -m benchmarks.html_report [--findings 5000]`` builds a synthetic
result (realistic messages, 3-line snippets, every fifth finding with a
4-step trace) and prints the render time and the file size. With
``--browser``, it also times loading the page and running a search in
headless Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

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
    TraceStep,
    WorkspaceSummary,
)
from llmsecops.report import html

SEVERITIES = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO]


def synthetic(n: int) -> ScanResult:
    rules = tuple(
        RuleMeta(
            id=RuleId(f"llmsecops/rule-{i}"),
            scanner=ScannerName("semgrep"),
            name=f"Rule {i}",
            short_description=f"Rule {i}",
            severity=SEVERITIES[i % 5],
            confidence=Confidence.MEDIUM,
            cwe=("CWE-1427",),
            owasp_llm=(f"LLM{(i % 10) + 1:02d}:2025",),
            fix="Keep instructions in a constant system message.",
            help_uri=f"https://example.invalid/rules/rule-{i}.md",
        )
        for i in range(30)
    )
    findings = []
    for k in range(n):
        rule = rules[k % len(rules)]
        path = f"services/svc{k % 50}/handlers/module_{k % 400}.py"
        line = 10 + k % 300
        f = Finding.create(
            rule_id=rule.id,
            scanner="semgrep",
            severity=rule.severity,
            confidence=Confidence.MEDIUM,
            message=f"Untrusted input reaches an LLM prompt in handler {k}. A user can rewrite "
            "the instructions. Keep instructions in a fixed system message.",
            location=Location(path, line, 5, line + 2, 40),
            cwe=rule.cwe,
            owasp_llm=rule.owasp_llm,
        )
        trace = tuple(
            TraceStep(Location(path, line - 4 + s, 1), f"step {s}: value = transform(value)")
            for s in range(4)
        )
        findings.append(
            replace(
                f,
                snippet=(
                    f'    prompt = f"Answer: {{q{k}}}"\n    reply = client.chat(prompt)\n'
                    "    return reply"
                ),
                fingerprint=f"{k:032x}",
                trace=trace if k % 5 == 0 else (),
            )
        )
    return ScanResult(
        tool_version="bench",
        workspace=WorkspaceSummary(root="/bench", files=5000, git=True),
        runs=(ScannerRun(scanner=ScannerName("semgrep"), status=RunStatus.OK),),
        findings=tuple(findings),
        rules=rules,
        fail_on=Severity.HIGH,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=5000)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    result = synthetic(args.findings)
    html.render(result)  # load templates once
    t0 = time.perf_counter()
    page = html.render(result)
    elapsed = time.perf_counter() - t0
    size = len(page.encode("utf-8"))
    print(f"{args.findings} findings: rendered in {elapsed:.2f} s, {size / 1e6:.1f} MB")  # noqa: T201
    if args.browser:
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium")
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            path = Path(tmp) / "report.html"
            path.write_text(page, encoding="utf-8")
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            tab = browser.new_page()
            t0 = time.perf_counter()
            tab.goto(path.as_uri())
            tab.locator("#count").wait_for()
            loaded = time.perf_counter() - t0
            t0 = time.perf_counter()
            tab.fill("#f-search", "handler 4999")
            # The page's CSP forbids evaluated script, so poll from here.
            shown = tab.locator("#count").inner_text()
            while not shown.startswith("1 of") and time.perf_counter() - t0 < 30:
                shown = tab.locator("#count").inner_text()
            searched = time.perf_counter() - t0
            browser.close()
        print(f"chromium: loaded in {loaded:.2f} s; search in {searched:.3f} s ({shown})")  # noqa: T201


if __name__ == "__main__":
    main()
