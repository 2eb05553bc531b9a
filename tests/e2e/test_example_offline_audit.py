"""The example app's dependencies audited offline from the fixture OSV
database, as a firewalled CI runner would with --vuln-db."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import DATA, EXAMPLE

pytestmark = pytest.mark.e2e

EXPECTED = {
    ("deps/GHSA-8h2j-cgx8-6xv7", 3),  # fastapi 0.65.1, CVE-2021-32677
    ("deps/GHSA-74m5-2c7w-9w3x", 4),  # starlette 0.14.2, CVE-2023-30798
    ("deps/PYSEC-2023-74", 5),  # requests 2.25.1, CVE-2023-32681 (+ GHSA alias)
    ("deps/GHSA-mh33-7rrq-662w", 6),  # urllib3 1.24.1, CVE-2019-11324
    ("deps/PYSEC-2020-96", 7),  # pyyaml 5.3, CVE-2020-1747 (+ GHSA alias)
    ("deps/PYSEC-2021-66", 8),  # jinja2 2.11.2, CVE-2020-28493 (+ GHSA alias)
    ("deps/GHSA-h5c8-rqwp-cp95", 8),  # jinja2 2.11.2, CVE-2024-22195
    ("deps/GHSA-37q5-v5qm-c9v8", 9),  # transformers 4.36.2, CVE-2024-3568
    ("deps/GHSA-53q9-r3pm-6pq6", 10),  # torch 2.2.2, CVE-2025-32434
}


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("offline-audit")
    env = {
        **os.environ,
        # No route anywhere: the audit must not need one.
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "LLMSECOPS_CACHE_DIR": str(out / "no-cache"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmsecops",
            "scan",
            str(EXAMPLE),
            "--only",
            "dependencies",
            "--offline",
            "--vuln-db",
            str(DATA / "osv"),
            "--json",
            str(out / "out.json"),
            "--sarif",
            str(out / "out.sarif"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    return {
        "code": done.returncode,
        "stderr": done.stderr,
        "json": json.loads((out / "out.json").read_text()),
        "sarif": json.loads((out / "out.sarif").read_text()),
    }


def test_findings_sit_on_the_vulnerable_requirement_lines(audit: dict[str, Any]) -> None:
    assert audit["code"] == 1, audit["stderr"]
    got = {
        (f["rule_id"], f["location"]["start_line"])
        for f in audit["json"]["findings"]
        if f["location"]["path"] == "requirements.txt"
    }
    assert got == EXPECTED


def test_every_marked_line_is_flagged_and_no_safe_one(audit: dict[str, Any]) -> None:
    lines = (EXAMPLE / "requirements.txt").read_text().splitlines()
    vulnerable = {i for i, line in enumerate(lines, 1) if re.search(r"#\s*VULNERABLE:", line)}
    safe = {i for i, line in enumerate(lines, 1) if re.search(r"#\s*SAFE:", line)}
    flagged = {f["location"]["start_line"] for f in audit["json"]["findings"]}
    assert vulnerable == flagged
    assert flagged & safe == set()


def test_aliases_merged_and_severity_and_fix_in_the_message(audit: dict[str, Any]) -> None:
    by_rule = {f["rule_id"]: f for f in audit["json"]["findings"]}
    yaml_finding = by_rule["deps/PYSEC-2020-96"]
    assert yaml_finding["severity"] == "critical"
    assert "CVE-2020-1747" in yaml_finding["message"]
    assert "GHSA-6757-jp84-gxfx" in yaml_finding["message"]
    assert "fixed in 5.3.1" in yaml_finding["message"]
    assert "deps/GHSA-6757-jp84-gxfx" not in by_rule  # merged, not a second finding
    assert by_rule["deps/PYSEC-2023-74"]["severity"] == "medium"


def test_the_database_date_is_in_every_output(audit: dict[str, Any]) -> None:
    run = next(s for s in audit["json"]["scanners"] if s["name"] == "dependencies")
    assert run["status"] == "ok"
    assert any("newest record 2025-04-18" in n for n in run["notes"])
    assert "newest record 2025-04-18" in " ".join(audit["stderr"].split())  # may wrap
    assert "newest record 2025-04-18" in json.dumps(audit["sarif"])
    assert audit["json"]["complete"] is True


def test_the_example_app_is_left_untouched(audit: dict[str, Any]) -> None:
    assert audit["code"] == 1
    names = {p.name for p in Path(EXAMPLE).rglob("*")}
    assert not {"build", "dist"} & names
    assert not any(n.endswith(".egg-info") for n in names)
