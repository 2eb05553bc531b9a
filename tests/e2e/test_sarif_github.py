"""SARIF checked by Microsoft's SARIF Multitool with GitHub's ingestion rules
(GH1001-GH1007 switched on), and our primaryLocationLineHash checked against
the Multitool's own computation. The Multitool is an npm package; the test
command in README.md installs it into .tools/."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from llmsecops.cli.main import main
from tests.helpers import EXAMPLE, REPO

pytestmark = pytest.mark.e2e

DEFAULT_TOOL = REPO / ".tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"


@pytest.fixture(scope="module")
def multitool() -> Path:
    tool = Path(os.environ.get("SARIF_MULTITOOL", DEFAULT_TOOL))
    if not tool.is_file():
        pytest.skip(
            "SARIF Multitool not installed: npm install --no-save --prefix .tools "
            "@microsoft/sarif-multitool@5.7.0"
        )
    return tool


@pytest.fixture(scope="module")
def example_sarif(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gh") / "example.sarif"
    code = main(["scan", str(EXAMPLE), "--offline", "--sarif", str(out), "-q", "--no-progress"])
    assert code == 1
    return out


def run_tool(tool: Path, *args: str, cwd: Path) -> None:
    done = subprocess.run(
        [str(tool), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_sarif_passes_github_ingestion_rules(multitool: Path, example_sarif: Path) -> None:
    work = example_sarif.parent
    run_tool(multitool, "export-validation-config", "gh.xml", cwd=work)
    config = (work / "gh.xml").read_text()
    enabled, count = re.subn(
        r'(Key="GH100[1-7]\.[^"]+"\>\s*<Property Key="RuleEnabled" Value=")Default"',
        r'\1Error"',
        config,
    )
    assert count == 7
    (work / "gh.xml").write_text(enabled)
    run_tool(
        multitool,
        "validate",
        str(example_sarif),
        "--config",
        "gh.xml",
        "--rule-kind",
        "Gh;Sarif",
        "--level",
        "Error;Warning",
        "-o",
        "v.sarif",
        "--log",
        "ForceOverwrite",
        cwd=work,
    )
    report = json.loads((work / "v.sarif").read_text())
    errors = [
        (r["ruleId"], r.get("message", {}))
        for r in report["runs"][0].get("results", [])
        if r.get("level") == "error"
    ]
    assert errors == []


def test_line_hashes_match_the_multitool(multitool: Path, example_sarif: Path) -> None:
    ours: dict[Any, Any] = json.loads(example_sarif.read_text())
    theirs = json.loads(example_sarif.read_text())
    run = theirs["runs"][0]
    run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": EXAMPLE.resolve().as_uri() + "/"}}
    for result in run["results"]:
        result["partialFingerprints"].pop("primaryLocationLineHash", None)
    work = example_sarif.parent
    (work / "stripped.sarif").write_text(json.dumps(theirs))
    run_tool(
        multitool,
        "rewrite",
        "stripped.sarif",
        "-o",
        "rehashed.sarif",
        "--insert",
        "RollingHashPartialFingerprints",
        "--log",
        "ForceOverwrite",
        cwd=work,
    )
    rehashed = json.loads((work / "rehashed.sarif").read_text())["runs"][0]["results"]
    expected = [r["partialFingerprints"].get("primaryLocationLineHash") for r in rehashed]
    actual = [
        r["partialFingerprints"].get("primaryLocationLineHash") for r in ours["runs"][0]["results"]
    ]
    assert len(actual) > 20 and all(actual)
    assert actual == expected
